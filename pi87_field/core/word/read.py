"""Reading a Word write-up back: the embedded project, plus the answers edited in the body.

The file is untrusted (it came by mail): the archive is opened with `zipfile` and every member
we need is inflated through a size cap (declared sizes are not trusted), the number of members is
bounded, and XML is parsed by lxml without DTDs, entities or network. Each refusal is one clear
French line (`ImportFormatError`).

Where the data is found (see `docx_export.py` for how it is written):
1. the custom XML part `<pi87:writeup>` (kept by Word and LibreOffice), else
2. the compressed copy in the custom document properties.
Where each answer is found: the paragraphs under its question heading, the heading being found
by its bookmark `_pi87_…`, else by its text (kept in the payload), in document order.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from pi87_field.core.bundle import Bundle, bundle_from_dict, loads_untrusted
from pi87_field.core.errors import FieldError, ImportFormatError, os_reason
from pi87_field.core.model import ANSWER_STATE_LABELS, Answer, AnswerState, now_iso
from pi87_field.core.text import clean_text
from pi87_field.core.word import style as S
from pi87_field.core.word.format import (
    BOOKMARK_PREFIX,
    PAYLOAD_NS,
    PROP_PREFIX,
    answer_bookmark,
    slot_text,
)

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024     # any single part, once inflated
MAX_TOTAL_BYTES = 160 * 1024 * 1024     # all parts we inflate, together
MAX_MEMBERS = 2000
MAX_SLOTS = 200_000
_CHUNK = 1 << 16

W = f"{{{S.W_NS}}}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT_OFFICE_DOCUMENT = RT.OFFICE_DOCUMENT
_RT_STYLES = RT.STYLES
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CUSTOM_PROPS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

# Paragraph roles, from the style (id or name: LibreOffice may rename ids of our own styles).
_HEADING_NAMES = {"title", "subtitle", "toc heading"}
_DETAIL = {S.QUESTION_DETAIL.casefold(), S.STYLE_NAMES[S.QUESTION_DETAIL].casefold()}
_CONCURRENT = {S.CONCURRENT.casefold(), S.STYLE_NAMES[S.CONCURRENT].casefold()}
_LABELS = {f"[{label}]".casefold(): mark for mark, label in ANSWER_STATE_LABELS.items()}


@dataclass
class WriteUp:
    bundle: Bundle
    # (interview id, question id) of answers whose text in the body differs from the embedded copy
    edited: list[tuple[str, str]] = field(default_factory=list)
    # answers whose place in the body could not be found (the embedded copy is kept)
    missing: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""        # where the project data was found: "customXml" or "custom-properties"


# -- safe archive and XML -----------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_comments=True, remove_pis=True)


class _Archive:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.inflated = 0
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ImportFormatError(f"{path} : illisible ({os_reason(exc)})") from None
        if size > MAX_FILE_BYTES:
            raise ImportFormatError(f"{path} : fichier trop volumineux ({size // 1_000_000} Mo)")
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ImportFormatError(f"{path} : ce n'est pas un document Word .docx lisible "
                                    "(archive ZIP invalide ou document protégé)") from None
        if len(infos) > MAX_MEMBERS:
            self.zip.close()
            raise ImportFormatError(f"{path} : archive refusée ({len(infos)} éléments, "
                                    f"{MAX_MEMBERS} au plus)")
        self.names = {i.filename: i for i in infos}

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name)
        if info is None:
            return None
        where = f"{self.path} : archive refusée : « {name} »"
        if info.flag_bits & 0x1:
            raise ImportFormatError(f"{self.path} : document chiffré ou protégé par mot de passe")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ImportFormatError(f"{where} dépasse {MAX_MEMBER_BYTES // 2**20} Mo une fois "
                                    "décompressé (bombe ZIP ?)")
        budget = min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self.inflated)
        chunks: list[bytes] = []
        total = 0
        try:
            with self.zip.open(info) as handle:
                while True:
                    block = handle.read(_CHUNK)
                    if not block:
                        break
                    total += len(block)
                    if total > budget:
                        raise ImportFormatError(f"{where} se décompresse au-delà de "
                                                f"{budget // 2**20} Mo (bombe ZIP ?)")
                    chunks.append(block)
        except ImportFormatError:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError,
                RuntimeError) as exc:
            raise ImportFormatError(f"{self.path} : archive endommagée (« {name} » : {exc})") from None
        self.inflated += total
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        return None if data is None else parse_untrusted_xml(data, f"{self.path} : « {name} »")


def parse_untrusted_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML without DTD, entities or network; a DOCTYPE is refused outright (OOXML has none)."""
    if _DTD_RE.search(data):
        raise ImportFormatError(f"{where} : XML refusé (déclaration DOCTYPE ou ENTITY interdite)")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = f" ligne {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise ImportFormatError(f"{where} : XML illisible ou tronqué ({line.strip() or 'début'})") from None
    if root.getroottree().docinfo.doctype:
        raise ImportFormatError(f"{where} : XML refusé (déclaration DOCTYPE interdite)")
    return root


def _rel_target(archive: _Archive, rels_name: str, rel_type: str, base: str) -> str | None:
    root = archive.xml(rels_name)
    if root is None:
        return None
    for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath(base) / target)
            parts: list[str] = []
            for piece in path.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            return "/".join(parts)
    return None


# -- the embedded project -----------------------------------------------------------------------

def _payload_from_custom_xml(archive: _Archive) -> dict | None:
    names = sorted(n for n in archive.names if re.fullmatch(r"customXml/item\d+\.xml", n))
    for name in names:
        try:
            root = archive.xml(name)
        except ImportFormatError:
            continue   # a damaged data store item of someone else: not ours, try the next
        if root is None or root.tag != f"{{{PAYLOAD_NS}}}writeup":
            continue
        bundle_el = root.find(f"{{{PAYLOAD_NS}}}bundle")
        slots_el = root.find(f"{{{PAYLOAD_NS}}}slots")
        if bundle_el is None:
            continue
        try:
            return {"bundle": loads_untrusted(bundle_el.text or ""),
                    "slots": json.loads(slots_el.text or "[]") if slots_el is not None else []}
        except ImportFormatError as exc:
            raise ImportFormatError(f"{archive.path} : {exc}") from None
        except (ValueError, RecursionError):
            continue
    return None


def _payload_from_custom_props(archive: _Archive) -> dict | None:
    try:
        root = archive.xml("docProps/custom.xml")
    except ImportFormatError:
        return None
    if root is None:
        return None
    values: dict[str, str] = {}
    for prop in root.iter(f"{_CUSTOM_PROPS}property"):
        name = prop.get("name", "")
        if name.startswith(PROP_PREFIX):
            values[name[len(PROP_PREFIX):]] = "".join(prop.itertext())
    try:
        count = int(values.get("chunks", ""))
        packed = "".join(values[f"data.{i:04d}"] for i in range(count))
        compressed = base64.b64decode(packed, validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_MEMBER_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            return None
        if hashlib.sha256(raw).hexdigest() != values.get("sha256"):
            return None
        payload = loads_untrusted(raw.decode("utf-8"))
    except ImportFormatError as exc:
        raise ImportFormatError(f"{archive.path} : {exc}") from None
    except (KeyError, ValueError, binascii.Error, zlib.error, RecursionError):
        return None
    return payload if isinstance(payload, dict) and "bundle" in payload else None


def _slots(payload: dict) -> list[tuple[str, str, str]]:
    raw = payload.get("slots")
    out: list[tuple[str, str, str]] = []
    if isinstance(raw, list):
        for item in raw[:MAX_SLOTS]:
            if isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item):
                out.append((item[0], item[1], item[2]))
    return out


# -- the body -----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Para:
    text: str
    role: str              # "heading", "detail", "concurrent", "toc", "text"
    bookmarks: list[str]


_SKIP = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "instrText", W + "delText",
         W + "txbxContent", _MC_FALLBACK, W + "footnoteReference", W + "endnoteReference",
         W + "commentReference"}


def _text_of(element: etree._Element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == W + "t":
            if child.text:
                out.append(child.text)
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        elif tag == W + "tab":
            out.append("\t")
        elif tag == W + "br":
            if child.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == W + "cr":
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("\u2011")
        elif tag == W + "r":
            rpr = child.find(W + "rPr")
            if rpr is not None and rpr.find(W + "vanish") is not None:
                continue  # hidden text is not part of what the reader sees
            _text_of(child, out)
        elif len(child):
            _text_of(child, out)


def _role(style_id: str, style_names: dict[str, str]) -> str:
    name = style_names.get(style_id, style_id).casefold()
    sid = style_id.casefold()
    if name.startswith("heading") or sid.startswith("heading") or name in _HEADING_NAMES or sid in ("title", "subtitle"):
        return "heading"
    if name.startswith("toc ") or re.fullmatch(r"toc\d", sid):
        return "toc"
    if name in _DETAIL or sid in _DETAIL:
        return "detail"
    if name in _CONCURRENT or sid in _CONCURRENT:
        return "concurrent"
    return "text"


def _paragraphs(body: etree._Element, style_names: dict[str, str]) -> list[_Para]:
    out: list[_Para] = []
    pending: list[str] = []   # bookmarks met between paragraphs belong to the next one

    def walk(container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                style = child.find(f"{W}pPr/{W}pStyle")
                role = _role(style.get(W + "val", "") if style is not None else "", style_names)
                marks = pending[:] + [b.get(W + "name", "") for b in child.iter(W + "bookmarkStart")]
                pending.clear()
                parts: list[str] = []
                _text_of(child, parts)
                out.append(_Para("".join(parts), role, [m for m in marks if m.startswith(BOOKMARK_PREFIX)]))
            elif tag == W + "bookmarkStart":
                pending.append(child.get(W + "name", ""))
            elif tag in (W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml",
                         W + "smartTag", W + "ins", W + "moveTo"):
                walk(child)

    walk(body)
    return out


def _style_names(archive: _Archive, styles_part: str) -> dict[str, str]:
    try:
        root = archive.xml(styles_part)
    except ImportFormatError:
        return {}
    names: dict[str, str] = {}
    if root is not None:
        for style in root.iter(W + "style"):
            name = style.find(W + "name")
            names[style.get(W + "styleId", "")] = name.get(W + "val", "") if name is not None else ""
    return names


def _core(archive: _Archive) -> tuple[datetime | None, str]:
    try:
        root = archive.xml("docProps/core.xml")
    except ImportFormatError:
        return None, ""
    if root is None:
        return None, ""
    modified = root.findtext(f"{_DCTERMS}modified") or ""
    by = " ".join((root.findtext(f"{_CP}lastModifiedBy") or "").split())
    return _when(modified), clean_text(by)


def _when(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_slot(texts: list[str]) -> tuple[AnswerState, str]:
    """(state, text) of the paragraphs found under a question (see `docx_export.slot_paragraphs`)."""
    texts = [clean_text(t) for t in texts]
    while texts and not texts[0].strip():
        texts.pop(0)
    while texts and not texts[-1].strip():
        texts.pop()
    state = AnswerState.ANSWERED
    if texts:
        mark = _LABELS.get(" ".join(texts[0].split()).casefold())
        if mark is not None:
            texts.pop(0)
            while texts and not texts[0].strip():
                texts.pop(0)
            if mark != "empty":
                state = AnswerState(mark)
    return state, "\n\n".join(texts)


def _locate(paras: list[_Para], slots: list[tuple[str, str, str]]) -> dict[int, int]:
    """slot index -> paragraph index of its heading."""
    by_mark: dict[str, int] = {}
    for i, para in enumerate(paras):
        for mark in para.bookmarks:
            by_mark.setdefault(mark, i)
    found: dict[int, int] = {}
    for k, (iid, qid, _) in enumerate(slots):
        index = by_mark.get(answer_bookmark(iid, qid))
        if index is not None:
            found[k] = index
    used = set(found.values())
    # Lost bookmarks: find the heading by its text, between the neighbouring located slots.
    previous = -1
    for k, (_, _, heading) in enumerate(slots):
        if k in found:
            previous = found[k]
            continue
        wanted = " ".join(heading.split())
        later = [found[j] for j in range(k + 1, len(slots)) if j in found]
        limit = later[0] if later else len(paras)
        for i in range(previous + 1, limit):
            if i not in used and paras[i].role == "heading" and " ".join(paras[i].text.split()) == wanted:
                found[k] = i
                used.add(i)
                previous = i
                break
    return found


def _answer_texts(paras: list[_Para], start: int, starts: set[int]) -> list[str]:
    i = start + 1
    while i < len(paras) and paras[i].role == "detail" and i not in starts:
        i += 1
    texts: list[str] = []
    while i < len(paras) and paras[i].role in ("text", "detail") and i not in starts:
        texts.append(paras[i].text)
        i += 1
    return texts


def read_writeup(path: Path) -> WriteUp:
    """The project embedded in a write-up, with the answers edited in the body applied."""
    path = Path(path)
    archive = _Archive(path)
    try:
        return _read(archive, path)
    except FieldError:
        raise
    except (MemoryError, RecursionError):
        raise ImportFormatError(f"{path} : document trop volumineux ou trop imbriqué") from None
    finally:
        archive.close()


def _read(archive: _Archive, path: Path) -> WriteUp:
    document_part = _rel_target(archive, "_rels/.rels", _RT_OFFICE_DOCUMENT, "") or "word/document.xml"
    if document_part not in archive.names:
        raise ImportFormatError(f"{path} : ce n'est pas un document Word (pas de partie principale)")
    payload = _payload_from_custom_xml(archive)
    source = "customXml"
    if payload is None:
        payload, source = _payload_from_custom_props(archive), "custom-properties"
    if payload is None:
        raise ImportFormatError(f"{path} : document Word sans données pi87-field "
                                "(ce n'est pas un compte rendu exporté par pi87-field)")
    bundle = bundle_from_dict(payload.get("bundle"), str(path))
    slots = _slots(payload)
    folder = str(PurePosixPath(document_part).parent)
    rels = str(PurePosixPath(folder) / "_rels" / (PurePosixPath(document_part).name + ".rels"))
    styles_part = _rel_target(archive, rels, _RT_STYLES, folder) or "word/styles.xml"
    style_names = _style_names(archive, styles_part)
    root = archive.xml(document_part)
    body = root.find(W + "body") if root is not None else None
    if body is None:
        raise ImportFormatError(f"{path} : document Word sans corps de texte")
    paras = _paragraphs(body, style_names)
    modified, modified_by = _core(archive)
    exported = _when(bundle.exported_at)
    if modified is not None and (exported is None or modified > exported):
        edit_time = modified.astimezone().isoformat(timespec="seconds")
    else:
        edit_time = now_iso()

    interviews = {i.id: i for i in bundle.interviews}
    located = _locate(paras, slots)
    starts = set(located.values())
    result = WriteUp(bundle=bundle, source=source)
    for k, (iid, qid, _) in enumerate(slots):
        interview = interviews.get(iid)
        if interview is None:
            continue
        if k not in located:
            result.missing.append((iid, qid))
            continue
        texts = _answer_texts(paras, located[k], starts)
        embedded = interview.answers.get(qid)
        if "\n\n".join(texts) == slot_text(embedded):
            continue
        state, text = parse_slot(texts)
        if embedded is None:
            if state == AnswerState.ANSWERED and not text:
                continue
        elif state == embedded.state and text in (embedded.text, embedded.text.strip("\n")):
            continue
        elif embedded.is_empty and state == AnswerState.ANSWERED and not text:
            continue
        edit = Answer(
            text=text,
            state=state,
            updated_at=edit_time,
            author=modified_by or (embedded.author if embedded else "") or interview.interviewer,
            concurrent=list(embedded.concurrent) if embedded else [],
            extra=dict(embedded.extra) if embedded else {},
        )
        if embedded is not None:  # never its own rev: going back to an earlier text is an edit
            edit.grow_from(embedded)
        # The interview's facts stay those of export time, with their time: an answer edited in
        # Word must not make them look newer than facts corrected in the store since the export.
        interview.answers[qid] = edit
        result.edited.append((iid, qid))
    return result


def read_embedded_payload(path: Path) -> dict[str, Any]:
    """The raw embedded payload ({"bundle", "slots"}) — for diagnostics and tests."""
    archive = _Archive(Path(path))
    try:
        payload = _payload_from_custom_xml(archive) or _payload_from_custom_props(archive)
    finally:
        archive.close()
    if payload is None:
        raise ImportFormatError(f"{path} : document Word sans données pi87-field")
    return payload
