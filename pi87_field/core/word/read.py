"""Reading a Word write-up back: the embedded project, plus the answers edited in the body.

The file is untrusted (it came by mail): the archive is opened with `zipfile` and every member
we need is inflated through a size cap (declared sizes are not trusted), the number of members is
bounded, and XML is parsed by lxml without DTDs, entities or network. Each refusal is one clear
French line (`ImportFormatError`).

Where the data is found (see `word/writeup.py` for how it is written):
1. the custom XML part `<pi87:writeup>` (kept by Word and LibreOffice), else
2. the compressed copy in the custom document properties.
Where each answer is found: the paragraphs under its question heading, the heading being found
by its bookmark `_pi87_…`, else by its text (kept in the payload), in document order.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from pi87_field.core.bundle import Bundle, bundle_from_dict, loads_untrusted
from pi87_field.core.errors import FieldError, ImportFormatError, os_reason
from pi87_field.core.model import (
    ANSWER_STATE_LABELS,
    INTERVIEW_NOTES,
    Answer,
    AnswerState,
    ReviewNote,
    merge_review_notes,
    now_iso,
)
from pi87_field.core.text import clean_text, one_line
from pi87_field.core.timestamps import parse_instant
from pi87_field.core.word import style as S
from pi87_field.core.word.format import (
    BOOKMARK_PREFIX,
    BOUNDARY_PREFIX,
    INVISIBLE_CHARS,
    NOTES_PREFIX,
    PAYLOAD_NS,
    PROP_PREFIX,
    EDITION_CLIENT,
    EDITION_PROPERTY,
    answer_bookmark,
    notes_bookmark,
    slot_paragraphs,
    slot_text,
)

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024     # any single part, once inflated
MAX_TOTAL_BYTES = 160 * 1024 * 1024     # all parts we inflate, together
MAX_MEMBERS = 2000
MAX_SLOTS = 200_000
MAX_PARAGRAPHS = 100_000                # a write-up of 100 interviews holds about 12,000
MAX_COMMENTS = 10_000
MAX_XML_TAGS = 1_500_000                # "<" in all parts read (a parsed tree takes ~120 bytes a tag);
                                        # a write-up of 100 interviews saved by LibreOffice: 260,000
_CHUNK = 1 << 16

W = f"{{{S.W_NS}}}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT_OFFICE_DOCUMENT = RT.OFFICE_DOCUMENT
_RT_STYLES = RT.STYLES
_RT_COMMENTS = RT.COMMENTS
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CUSTOM_PROPS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

# Paragraph roles, from the style (id or name: LibreOffice may rename ids of our own styles).
_HEADING_NAMES = {"title", "subtitle", "toc heading"}
_DETAIL = {S.QUESTION_DETAIL.casefold(), S.STYLE_NAMES[S.QUESTION_DETAIL].casefold()}
_CONCURRENT = {S.CONCURRENT.casefold(), S.STYLE_NAMES[S.CONCURRENT].casefold()}
_NOTE = {S.REVIEW_NOTE.casefold(), S.STYLE_NAMES[S.REVIEW_NOTE].casefold()}
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARS))
_LABELS = {f"[{label}]".casefold(): mark for mark, label in ANSWER_STATE_LABELS.items()}
_LABEL_THEN_TEXT = re.compile(r"\[([^\]]{1,40})\]\s*(\S.*)", re.S)


@dataclass
class WriteUp:
    bundle: Bundle
    # (interview id, question id) of answers whose text in the body differs from the embedded copy
    edited: list[tuple[str, str]] = field(default_factory=list)
    # answers whose place in the body could not be found (the embedded copy is kept)
    missing: list[tuple[str, str]] = field(default_factory=list)
    # (interview id, question id or INTERVIEW_NOTES) of each Word comment brought back as a note
    notes: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""        # where the project data was found: "customXml" or "custom-properties"
    # interviews whose "Notes" cell was edited in Word (read back into `Interview.notes`)
    notes_edited: list[str] = field(default_factory=list)
    # what the Word edits meant, one French line each, for the import summary (a deleted
    # question heading, an emptied answer, notes read back)
    notices: list[str] = field(default_factory=list)


# -- safe archive and XML -----------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_comments=True, remove_pis=True)


class _Archive:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.inflated = 0
        self.tags = 0           # tags parsed so far, all parts together
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
        if data is None:
            return None
        self.tags += data.count(b"<")
        if self.tags > MAX_XML_TAGS:
            raise ImportFormatError(f"{self.path} : document refusé (plus de {_number(MAX_XML_TAGS)} balises XML "
                                    f"en tout, « {name} » compris)")
        return parse_untrusted_xml(data, f"{self.path} : « {name} »")


def _check_xml(data: bytes, where: str) -> None:
    """What is refused before parsing: DTDs and entities (OOXML has none), and more tags than a
    real document part holds (a tree of millions of empty elements takes gigabytes)."""
    if _DTD_RE.search(data):
        raise ImportFormatError(f"{where} : XML refusé (déclaration DOCTYPE ou ENTITY interdite)")
    tags = data.count(b"<")
    if tags > MAX_XML_TAGS:
        raise ImportFormatError(f"{where} : XML refusé ({_number(tags)} balises, {_number(MAX_XML_TAGS)} au plus)")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _syntax_error(exc: etree.XMLSyntaxError, where: str) -> ImportFormatError:
    if "huge" in str(exc).casefold():
        return ImportFormatError(f"{where} : XML refusé (un texte d'un seul tenant dépasse 10 Mo)")
    line = f" ligne {exc.lineno}" if getattr(exc, "lineno", None) else ""
    return ImportFormatError(f"{where} : XML illisible ou tronqué ({line.strip() or 'début'})")


def parse_untrusted_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML without DTD, entities or network; a DOCTYPE is refused outright (OOXML has none)."""
    _check_xml(data, where)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, where) from None
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


def _custom_prop(archive: _Archive, name: str) -> str | None:
    """One `pi87-field.<name>` custom document property, None when absent or unreadable."""
    try:
        root = archive.xml("docProps/custom.xml")
    except ImportFormatError:
        return None
    if root is None:
        return None
    for prop in root.iter(f"{_CUSTOM_PROPS}property"):
        if prop.get("name", "") == PROP_PREFIX + name:
            return "".join(prop.itertext())
    return None


def _slots(payload: dict) -> list[tuple[str, str, str]]:
    raw = payload.get("slots")
    out: list[tuple[str, str, str]] = []
    if isinstance(raw, list):
        for item in raw[:MAX_SLOTS]:
            if isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item):
                out.append((item[0], item[1], item[2]))
    return out


# -- the body -----------------------------------------------------------------------------------
#
# Every step below is linear in the number of paragraphs and slots (a sort or a bisection at
# most), and the parts are capped in size and in tags, so a hostile file is read or refused in
# seconds and a few hundred megabytes (see docs/word-files.md).

@dataclass(slots=True)
class _Para:
    text: str
    role: str                       # "heading", "detail", "concurrent", "note", "toc", "text"
    level: int                      # heading level (0: title, subtitle, TOC heading); 9 if none
    bookmarks: tuple[str, ...]      # slot bookmarks `_pi87_…` starting in or just before it
    boundary: bool = False          # a chapter or section of ours starts here (no answer text)
    comments: tuple[str, ...] = ()  # ids of the Word comments anchored in it
    mark_deleted: bool = False      # tracked deletion of its paragraph mark: joins the next one
    cell: int = -1                  # the table cell it is in (a number per cell), -1 outside tables
    notes: tuple[str, ...] = ()     # "Notes" cell bookmarks `_pi87n_…` starting in it


_CONTAINERS = {W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml",
               W + "smartTag", W + "ins", W + "moveTo"}
# Inside a paragraph: subtrees that are not text the reader sees (tracked deletions, field codes,
# text boxes, the fallback copy of drawings, properties).
_SKIP = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "instrText", W + "delText",
         W + "txbxContent", _MC_FALLBACK, W + "footnoteReference", W + "endnoteReference",
         W + "commentReference"}
_CHARS = {W + "tab": "\t", W + "cr": "\n", W + "noBreakHyphen": "\u2011", W + "softHyphen": "\u00ad"}
_OFF = {"0", "false", "off"}
_P, _PPR, _PSTYLE, _VAL, _RPR = W + "p", W + "pPr", W + "pStyle", W + "val", W + "rPr"
_R, _T, _BR, _TYPE, _VANISH = W + "r", W + "t", W + "br", W + "type", W + "vanish"
_BOOKMARK_START, _NAME, _ID = W + "bookmarkStart", W + "name", W + "id"
_COMMENT_START, _COMMENT_REF = W + "commentRangeStart", W + "commentReference"
_DEL = W + "del"
_TC = W + "tc"
# paragraph children with nothing inside to read
_BARE = {W + "bookmarkEnd", W + "commentRangeEnd", W + "proofErr", W + "permStart", W + "permEnd"}


def _text_of(element: etree._Element, out: list[str]) -> None:
    """Visible text under `element` (runs are the bulk: `_run_text` keeps their cost low)."""
    for child in element:
        _element_text(child, out)


def _element_text(child: etree._Element, out: list[str]) -> None:
    tag = child.tag
    if tag == _R:
        _run_text(child, out)
    elif tag == _T:
        if child.text:
            out.append(child.text)
    elif tag in _SKIP or not isinstance(tag, str):
        return
    elif tag in _CHARS:
        out.append(_CHARS[tag])
    elif tag == _BR:
        if child.get(_TYPE) in (None, "textWrapping"):
            out.append("\n")
    elif len(child):
        _text_of(child, out)


def _run_text(run: etree._Element, out: list[str], comments: list[str] | None = None) -> None:
    mark = len(out)
    for child in run:
        tag = child.tag
        if tag == _T:
            if child.text:
                out.append(child.text)
        elif tag == _RPR:
            vanish = child.find(_VANISH)
            if vanish is not None and vanish.get(_VAL, "true") not in _OFF:
                del out[mark:]
                return   # hidden text is not part of what the reader sees
        elif tag == _COMMENT_REF:
            if comments is not None:
                comments.append(child.get(_ID, ""))
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        elif tag == _BR:
            if child.get(_TYPE) in (None, "textWrapping"):
                out.append("\n")
        elif len(child):
            _text_of(child, out)


def _role(style_id: str, style_names: dict[str, str]) -> tuple[str, int]:
    name = style_names.get(style_id, style_id).casefold()
    sid = style_id.casefold()
    for value in (name, sid):
        heading = re.fullmatch(r"heading ?(\d)", value)
        if heading:
            return "heading", int(heading.group(1))
    if name in _HEADING_NAMES or sid in ("title", "subtitle", "tocheading"):
        return "heading", 0
    if name.startswith("toc ") or re.fullmatch(r"toc\d", sid):
        return "toc", 9
    if name in _DETAIL or sid in _DETAIL:
        return "detail", 9
    if name in _CONCURRENT or sid in _CONCURRENT:
        return "concurrent", 9
    if name in _NOTE or sid in _NOTE:
        return "note", 9
    return "text", 9


def _paragraphs(root: etree._Element | None, where: str, style_names: dict[str, str]) -> list[_Para]:
    """The body's paragraphs in document order (those of tables too; not those of text boxes)."""
    body = root.find(W + "body") if root is not None else None
    if body is None:
        raise ImportFormatError(f"{where} : document Word sans corps de texte")
    roles: dict[str, tuple[str, int]] = {}
    out: list[_Para] = []
    pending: list[str] = []           # bookmarks met between paragraphs belong to the next one
    pending_comments: list[str] = []
    seen: set[str] = set()            # slot bookmarks met so far
    starts: list[bool] = []           # per paragraph: the first of one of them is in it

    def paragraph(p: etree._Element) -> None:
        marks, comments = pending[:], pending_comments[:]
        parts: list[str] = []
        pending.clear()
        pending_comments.clear()
        style, deleted = "", False
        if len(p):
            # one pass over the paragraph (each lxml call costs microseconds: a hostile file
            # is made of them)
            for child in p:
                tag = child.tag
                if tag == _R:
                    _run_text(child, parts, comments)
                elif tag == _PPR:
                    for prop in child:
                        if prop.tag == _PSTYLE:
                            style = prop.get(_VAL, "")
                        elif prop.tag == _RPR:
                            deleted = prop.find(_DEL) is not None
                elif tag == _BOOKMARK_START:
                    marks.append(child.get(_NAME, ""))
                elif tag == _COMMENT_START:
                    comments.append(child.get(_ID, ""))
                elif not isinstance(tag, str) or tag in _BARE:
                    continue
                else:   # hyperlinks, tracked insertions, fields, content controls…
                    for mark in child.iter(_BOOKMARK_START, _COMMENT_START, _COMMENT_REF):
                        if mark.tag == _BOOKMARK_START:
                            marks.append(mark.get(_NAME, ""))
                        else:
                            comments.append(mark.get(_ID, ""))
                    _element_text(child, parts)
        if style not in roles:
            roles[style] = _role(style, style_names)
        role, level = roles[style]
        slot_marks = tuple(m for m in marks if m.startswith(BOOKMARK_PREFIX))
        current = _Para("".join(parts), role, level, slot_marks,
                        any(m.startswith(BOUNDARY_PREFIX) for m in marks) if marks else False,
                        tuple(comments), deleted, cells[-1],
                        tuple(m for m in marks if m.startswith(NOTES_PREFIX)) if marks else ())
        previous = out[-1] if out else None
        if previous is not None and previous.mark_deleted and previous.role == "text" \
                and not previous.boundary and not starts[-1]:
            # a paragraph mark deleted with tracked changes: one paragraph once accepted
            current.text = previous.text + current.text
            current.comments = previous.comments + current.comments
            current.bookmarks = previous.bookmarks + current.bookmarks
            out[-1] = current
            starts[-1] = any(m not in seen for m in slot_marks)
            seen.update(slot_marks)
            return
        out.append(current)
        # a slot's first bookmark starts its answer; LibreOffice repeats a bookmark's name
        # further down (it splits bookmarks that span paragraphs): those starts nothing
        starts.append(any(m not in seen for m in slot_marks))
        seen.update(slot_marks)
        if len(out) > MAX_PARAGRAPHS:
            raise ImportFormatError(f"{where} : document refusé (plus de {_number(MAX_PARAGRAPHS)} paragraphes)")

    cells = [-1]                      # the cell being walked (a counter), innermost last
    cell_count = 0

    def walk(container: etree._Element) -> None:
        nonlocal cell_count
        for child in container:
            tag = child.tag
            if tag == _P:
                paragraph(child)
            elif tag == _BOOKMARK_START:
                pending.append(child.get(_NAME, ""))
            elif tag == _COMMENT_START:
                pending_comments.append(child.get(_ID, ""))
            elif tag == _TC:
                cell_count += 1
                cells.append(cell_count)
                walk(child)
                cells.pop()
            elif tag in _CONTAINERS:
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


def _comments(archive: _Archive, part: str | None) -> dict[str, ReviewNote]:
    """The Word comments of the document, by id."""
    if not part:
        return {}
    root = archive.xml(part)     # unreadable: refused, rather than losing the reviewers' notes
    out: dict[str, ReviewNote] = {}
    if root is None:
        return out
    if len(root) > MAX_COMMENTS:
        raise ImportFormatError(f"{archive.path} : document refusé ({_number(len(root))} commentaires, "
                                f"{_number(MAX_COMMENTS)} au plus)")
    for comment in root.iter(W + "comment"):
        texts: list[str] = []
        for paragraph in comment.iter(W + "p"):
            parts: list[str] = []
            _text_of(paragraph, parts)
            texts.append("".join(parts))
        text = clean_text("\n\n".join(texts)).strip()
        if not text:
            continue
        when = _when(comment.get(W + "date", ""))
        out[comment.get(W + "id", "")] = ReviewNote(
            author=one_line(comment.get(W + "author", "")),
            date=when.isoformat(timespec="seconds") if when else "",
            text=text,
        )
    return out


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
    return parse_instant(value)


def parse_slot(texts: list[str]) -> tuple[AnswerState, str]:
    """(state, text) of the paragraphs found under a question (see `format.slot_paragraphs`)."""
    texts = [clean_text(t) for t in texts]
    while texts and not texts[0].strip():
        texts.pop(0)
    while texts and not texts[-1].strip():
        texts.pop()
    state = AnswerState.ANSWERED
    if texts:
        first = " ".join(texts[0].split())
        mark = _LABELS.get(first.casefold())
        typed = _LABEL_THEN_TEXT.match(first) if mark is None else None
        if typed is not None and (mark := _LABELS.get(f"[{typed.group(1)}]".casefold())) is not None:
            # typed after the label in its paragraph ("[sans réponse] 300 jeunes"): the label
            # says the state, as its own paragraph would; "[sans réponse]" is then no text at all
            texts[0] = texts[0][texts[0].index("]") + 1:].lstrip()
        elif mark is not None:
            texts.pop(0)
        if mark is not None:
            while texts and not texts[0].strip():
                texts.pop(0)
            if mark != "empty":
                state = AnswerState(mark)
    return state, "\n\n".join(texts)


def _locate(paras: list[_Para], slots: list[tuple[str, str, str]]) -> dict[int, int]:
    """slot index -> paragraph index of its heading: by bookmark, else (bookmark lost) by the
    heading's text between the neighbouring slots found."""
    by_mark: dict[str, int] = {}
    for i, para in enumerate(paras):
        for mark in para.bookmarks:
            by_mark.setdefault(mark, i)
    found: dict[int, int] = {}
    for k, (iid, qid, _) in enumerate(slots):
        index = by_mark.get(answer_bookmark(iid, qid))
        if index is not None:
            found[k] = index
    if len(found) == len(slots):
        return found
    used = set(found.values())
    candidates: dict[str, list[int]] = {}
    for i, para in enumerate(paras):
        if para.role == "heading" and i not in used:
            candidates.setdefault(" ".join(para.text.split()), []).append(i)
    taken: dict[str, int] = {}          # per heading text, how many candidates were consumed
    limits: list[int] = [len(paras)] * len(slots)   # paragraph of the next slot found by bookmark
    nearest = len(paras)
    for k in range(len(slots) - 1, -1, -1):
        limits[k] = nearest
        if k in found:
            nearest = found[k]
    wanted = [" ".join(heading.split()) for _, _, heading in slots]

    def first_after(k: int, after: int) -> int | None:
        pool = candidates.get(wanted[k])
        if not pool:
            return None
        j = max(bisect.bisect_right(pool, after), taken.get(wanted[k], 0))
        return pool[j] if j < len(pool) else None

    previous = -1
    for k in range(len(slots)):
        if k in found:
            previous = found[k]
            continue
        index = first_after(k, previous)
        if index is None or index >= limits[k]:
            continue
        # a heading retyped as well: do not take the same question's heading further on (the
        # next interview's) if one of the next questions' headings comes first
        ahead = (first_after(j, previous) for j in range(k + 1, min(k + 4, len(slots))) if j not in found)
        if any(other is not None and other < index for other in ahead):
            continue
        found[k] = previous = index
        taken[wanted[k]] = candidates[wanted[k]].index(index, taken.get(wanted[k], 0)) + 1
    return found


def _regions(paras: list[_Para], slots: list[tuple[str, str, str]], found: dict[int, int]) -> dict[int, tuple[int, int]]:
    """slot index -> (heading paragraph, end) of its answer, `end` excluded.

    An answer runs from its question heading to the next question heading, or to the next
    chapter or section of ours (marked by a `_pi87p_` bookmark; in files written before those
    marks, a level 1-2 heading), whatever the styles in between: a reviewer may add a
    sub-heading or a table inside an answer. Only when a question between two found ones could
    not be found at all does any heading end the answer (its text may be that question's)."""
    owners: dict[int, int] = {}
    for k in sorted(found, key=lambda k: (found[k], k)):
        start = found[k]
        current = owners.get(start)
        # two slots at one paragraph (a deleted heading's bookmark moved to the next heading):
        # the paragraph belongs to the one whose heading it shows, else to the later one
        if current is None or " ".join(paras[start].text.split()) != " ".join(slots[current][2].split()):
            owners[start] = k
    starts = sorted(owners)
    marked = any(p.boundary for p in paras)
    barriers = [i for i, p in enumerate(paras)
                if (p.boundary if marked else (p.role == "toc" or (p.role == "heading" and p.level <= 2)))]
    headings = [i for i, p in enumerate(paras) if p.role == "heading"]
    out: dict[int, tuple[int, int]] = {}
    for n, start in enumerate(starts):
        k = owners[start]
        end = starts[n + 1] if n + 1 < len(starts) else len(paras)
        b = bisect.bisect_right(barriers, start)
        if b < len(barriers):
            end = min(end, barriers[b])
        if k + 1 < len(slots) and k + 1 not in found:
            h = bisect.bisect_right(headings, start)
            if h < len(headings):
                end = min(end, headings[h])
        out[k] = (start, end)
    return out


def _answer_texts(paras: list[_Para], start: int, end: int) -> list[str]:
    i = start + 1
    while i < end and paras[i].role == "detail":
        i += 1
    return [p.text for p in paras[i:end] if p.role in ("text", "detail", "heading")]


def _visible(text: str) -> str:
    return text.translate(_INVISIBLE)


def read_writeup(path: Path) -> WriteUp:
    """The project embedded in a write-up, with the answers edited in the body applied and the
    Word comments brought back as review notes."""
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
    if payload is None and _custom_prop(archive, EDITION_PROPERTY) == EDITION_CLIENT:
        raise ImportFormatError(f"{path} : édition client d'un compte rendu, qui ne se réimporte pas "
                                "(importez l'édition de travail)")
    if payload is None:
        raise ImportFormatError(f"{path} : document Word sans données pi87-field "
                                "(ce n'est pas un compte rendu exporté par pi87-field)")
    bundle = bundle_from_dict(payload.get("bundle"), str(path))
    slots = _slots(payload)
    folder = str(PurePosixPath(document_part).parent)
    rels = str(PurePosixPath(folder) / "_rels" / (PurePosixPath(document_part).name + ".rels"))
    styles_part = _rel_target(archive, rels, _RT_STYLES, folder) or "word/styles.xml"
    style_names = _style_names(archive, styles_part)
    paras = _paragraphs(archive.xml(document_part), f"{path} : « {document_part} »", style_names)
    comments = _comments(archive, _rel_target(archive, rels, _RT_COMMENTS, folder))
    modified, modified_by = _core(archive)
    exported = _when(bundle.exported_at)
    if modified is not None and (exported is None or modified > exported):
        edit_time = modified.astimezone().isoformat(timespec="seconds")
    else:
        edit_time = now_iso()

    interviews = {i.id: i for i in bundle.interviews}
    located = _locate(paras, slots)
    regions = _regions(paras, slots, located)
    result = WriteUp(bundle=bundle, source=source)
    texts_of: dict[int, list[str]] = {k: _answer_texts(paras, *regions[k]) for k in regions}
    name = _slot_namer(slots)
    _split_deleted_headings(slots, texts_of, interviews, name, result)
    for k, (iid, qid, _) in enumerate(slots):
        interview = interviews.get(iid)
        if interview is None:
            continue
        if k not in texts_of:
            if k not in regions:
                result.missing.append((iid, qid))
            continue
        texts = texts_of[k]
        embedded = interview.answers.get(qid)
        body = "\n\n".join(texts)
        if body == slot_text(embedded) or _visible(body) == _visible(slot_text(embedded)):
            continue   # unchanged, or only invisible characters differ (a re-save by LibreOffice)
        state, text = parse_slot(texts)
        if embedded is None:
            if state == AnswerState.ANSWERED and not text:
                continue
        elif state == embedded.state and _visible(text) in (_visible(embedded.text),
                                                             _visible(embedded.text.strip("\n"))):
            continue
        elif embedded.is_empty and state == AnswerState.ANSWERED and not text:
            continue
        if embedded is not None and state == AnswerState.ANSWERED and not text:
            # Emptied in Word: not an answer "répondu" with no text. The question is to answer
            # again; the text deleted stays in the answer's history.
            state = AnswerState.TO_COMPLETE
            result.notices.append(f"{name(k)} : réponse vidée dans Word, marquée « à compléter » "
                                  "(le texte effacé reste dans l'historique de la réponse)")
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
    _read_notes(paras, interviews, result)
    if comments:
        _place_comments(paras, slots, regions, comments, interviews, result)
    return result


def _slot_namer(slots: list[tuple[str, str, str]]):
    """How the import summary names a slot: "1.2" (its heading's number), with "entretien n"
    when the write-up holds several interviews."""
    order: dict[str, int] = {}
    for iid, _, _ in slots:
        order.setdefault(iid, len(order) + 1)

    def name(k: int) -> str:
        iid, qid, heading = slots[k]
        first = heading.split(" ", 1)[0].rstrip(".")
        number = first if first and first.replace(".", "").isdigit() else one_line(heading)[:60] or qid
        return f"Entretien {order[iid]}, question {number}" if len(order) > 1 else f"Question {number}"
    return name


def _split_deleted_headings(slots: list[tuple[str, str, str]], texts_of: dict[int, list[str]],
                            interviews: dict, name, result: WriteUp) -> None:
    """A question heading deleted in Word (with its bookmark): the answer under it now runs on in
    the previous answer's text. Never read that as an edit of the previous answer: find where
    each swallowed answer starts (its exported first paragraph), and read both from there; if it
    cannot be found, neither is read back, and the summary says so."""
    for j in sorted(texts_of):
        run = []
        k = j + 1
        while k < len(slots) and k not in texts_of and slots[k][0] == slots[j][0]:
            run.append(k)
            k += 1
        if not run:
            continue
        interview = interviews.get(slots[j][0])
        if interview is None:
            continue
        texts = texts_of[j]
        cuts: list[int] = []
        at = 0
        for m in run:
            first = slot_paragraphs(interview.answers.get(slots[m][1]))[0][0]
            hit = next((i for i in range(at, len(texts))
                        if " ".join(_visible(clean_text(texts[i])).split()) == " ".join(_visible(first).split())), None)
            if hit is None:
                break
            cuts.append(hit)
            at = hit + 1
        names = ", ".join(name(m).split("question ", 1)[-1] for m in run)
        if len(cuts) == len(run):
            bounds = [*cuts, len(texts)]
            texts_of[j] = texts[:cuts[0]]
            for n, m in enumerate(run):
                texts_of[m] = texts[bounds[n]:bounds[n + 1]]
            result.notices.append(f"{name(run[0]) if len(run) == 1 else name(j)} : titre de question supprimé "
                                  f"dans Word ({names}) ; la réponse qu'il précédait a été reconnue et relue à sa place")
        else:
            del texts_of[j]
            result.notices.append(f"{name(j)} et {names} : titre de question supprimé dans Word ; ces réponses "
                                  "n'ont pas été relues (le texte de l'une ne se sépare plus de l'autre) : celles "
                                  "du fichier exporté sont gardées, reprenez ces modifications dans l'application")


def _read_notes(paras: list[_Para], interviews: dict, result: WriteUp) -> None:
    """The "Notes" cell of each interview's table, found by its bookmark: an edit is read back
    into the interview's notes (a fact: it merges like the others on import)."""
    by_mark = {notes_bookmark(iid): iid for iid in interviews}
    for i, para in enumerate(paras):
        for mark in para.notes:
            iid = by_mark.pop(mark, None)
            if iid is None or para.cell < 0:
                continue
            j = i
            while j + 1 < len(paras) and paras[j + 1].cell == para.cell:
                j += 1
            text = clean_text("\n".join(p.text for p in paras[i:j + 1])).strip()
            interview = interviews[iid]
            if " ".join(_visible(text).split()) == " ".join(_visible(interview.notes).split()):
                continue
            interview.notes = text
            result.notes_edited.append(iid)
            label = f"entretien {list(interviews).index(iid) + 1}" if len(interviews) > 1 else "l'entretien"
            result.notices.append(f"Notes de {label} modifiées dans Word : relues")


def _place_comments(paras: list[_Para], slots: list[tuple[str, str, str]], regions: dict[int, tuple[int, int]],
                    comments: dict[str, ReviewNote], interviews: dict, result: WriteUp) -> None:
    """Each comment becomes a review note of the answer it sits in (its question heading and
    details included); a comment elsewhere goes to the interview whose chapter holds it (key
    `INTERVIEW_NOTES`), else to the first interview."""
    spans = sorted((start, end, k) for k, (start, end) in regions.items())
    starts = [s for s, _, _ in spans]
    found: dict[tuple[str, str], list[ReviewNote]] = {}
    placed: set[str] = set()
    for i, para in enumerate(paras):
        for cid in para.comments:
            note = comments.get(cid)
            if note is None or cid in placed:
                continue
            placed.add(cid)
            n = bisect.bisect_right(starts, i) - 1
            if n >= 0 and i < spans[n][1]:
                iid, qid = slots[spans[n][2]][0], slots[spans[n][2]][1]
            elif n + 1 < len(spans):           # before the next answer: that interview's chapter
                iid, qid = slots[spans[n + 1][2]][0], INTERVIEW_NOTES
            elif spans:
                iid, qid = slots[spans[-1][2]][0], INTERVIEW_NOTES
            else:
                iid, qid = next(iter(interviews), ""), INTERVIEW_NOTES
            if iid in interviews:
                found.setdefault((iid, qid), []).append(note)
    for (iid, qid), notes in found.items():
        interview = interviews[iid]
        known = interview.review_notes.get(qid, [])
        merged = merge_review_notes(known, notes)
        if len(merged) != len(known):
            interview.review_notes[qid] = merged
            result.notes.append((iid, qid))


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
