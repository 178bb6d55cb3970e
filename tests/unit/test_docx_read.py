"""Reading write-ups back: exact answers, edits made in Word or LibreOffice, fallbacks when a
carrier is lost, and hostile files refused quickly with one clear line."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from pi87_field.core.errors import ImportFormatError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.model import AnswerState
from pi87_field.core.text import clean_text
from pi87_field.core.word.read import read_writeup
from pi87_field.core.word.writeup import answer_bookmark, write_project_docx
from pi87_field.core.fr import fr_spaces
from tests.support.writeup_bundle import guides, make_bundle
from tests.unit.campaign_copies import PID, QID, interview_with_people, seeded_interview

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAS_SOFFICE = shutil.which("soffice") is not None


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    bundle = make_bundle()
    path = tmp_path_factory.mktemp("read") / "ec05.docx"
    write_project_docx(bundle, guides(), path)
    return bundle, path


def rewrite(src: Path, dst: Path, changes: dict[str, bytes | None]) -> Path:
    """Copy a .docx, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    zout.writestr(info.filename, changes[info.filename])
            else:
                zout.writestr(info, zin.read(info.filename))
    return dst


def answer_paragraphs(root, interview_id: str, qid: str) -> list:
    """The answer paragraphs under the heading bookmarked for (interview, question)."""
    name = answer_bookmark(interview_id, qid)
    start = next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == name)
    heading = start.getparent()
    out = []
    node = heading.getnext()
    while node is not None and node.tag == W + "p":
        style = node.find(f"{W}pPr/{W}pStyle")
        sid = style.get(W + "val") if style is not None else ""
        if sid == "QuestionDetail":
            node = node.getnext()
            continue
        if sid != "Reponse":
            break
        out.append(node)
        node = node.getnext()
    return out


def set_text_as_word_does(paragraph, text: str) -> None:
    """Replace a paragraph's runs by new ones, split with rsid attributes like Word does."""
    for run in paragraph.findall(W + "r"):
        paragraph.remove(run)
    half = len(text) // 2
    for chunk in (text[:half], text[half:]):
        run = etree.SubElement(paragraph, W + "r", {W + "rsidR": "00A1B2C3"})
        etree.SubElement(run, W + "rPr").append(etree.Element(W + "lang", {W + "val": "fr-FR"}))
        t = etree.SubElement(run, W + "t")
        t.text = chunk
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def core_edited_by(path: Path, who: str, when: str) -> bytes:
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    core = core.replace("<cp:lastModifiedBy></cp:lastModifiedBy>", f"<cp:lastModifiedBy>{who}</cp:lastModifiedBy>")
    core = core.replace("<cp:lastModifiedBy/>", f"<cp:lastModifiedBy>{who}</cp:lastModifiedBy>")
    return re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{when}\g<2>", core).encode()


def assert_same_answers(bundle, back) -> None:
    original = {(i.id, q): (clean_text(a.text), a.state) for i in bundle.interviews for q, a in i.answers.items()}
    found = {(i.id, q): (a.text, a.state) for i in back.interviews for q, a in i.answers.items()}
    assert found == original


def test_unedited_export_reads_back_exactly(export):
    bundle, path = export
    started = time.perf_counter()
    writeup = read_writeup(path)
    elapsed = time.perf_counter() - started
    assert writeup.edited == [] and writeup.missing == [] and writeup.source == "customXml"
    assert_same_answers(bundle, writeup.bundle)
    assert writeup.bundle.project.id == bundle.project.id
    assert writeup.bundle.exported_at == bundle.exported_at
    assert elapsed < 2.0


def test_edit_in_document_xml_is_reported_with_the_new_text(export, tmp_path):
    bundle, path = export
    interview = bundle.interviews[1]
    qid = "projet.description"
    old = interview.answers[qid]
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    paragraphs = answer_paragraphs(root, interview.id, qid)
    assert len(paragraphs) == 2
    set_text_as_word_does(paragraphs[0], "Texte corrigé dans Word : 42 participants, « très satisfaits ».")
    edited = rewrite(path, tmp_path / "edited.docx", {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "docProps/core.xml": core_edited_by(path, "Relecteur Word", "2019-10-20T08:00:00Z"),
    })
    writeup = read_writeup(edited)
    assert writeup.edited == [(interview.id, qid)]
    answer = next(i for i in writeup.bundle.interviews if i.id == interview.id).answers[qid]
    assert answer.text == ("Texte corrigé dans Word : 42 participants, « très satisfaits »."
                           "\n\nDeuxième paragraphe\tavec tabulation.")
    assert answer.state == AnswerState.ANSWERED
    assert answer.ancestors[0] == old.rev
    assert answer.author == "Relecteur Word"
    assert datetime.fromisoformat(answer.updated_at) == datetime(2019, 10, 20, 8, 0, tzinfo=UTC)
    # everything else is unchanged
    others = {(i.id, q): a.text for i in writeup.bundle.interviews for q, a in i.answers.items()
              if (i.id, q) != (interview.id, qid)}
    assert others == {(i.id, q): clean_text(a.text) for i in bundle.interviews for q, a in i.answers.items()
                      if (i.id, q) != (interview.id, qid)}


def test_added_paragraph_and_state_changes_are_read(export, tmp_path):
    bundle, path = export
    interview = bundle.interviews[0]
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    # 1. a paragraph added after the last one of an answer (Enter at its end)
    last = answer_paragraphs(root, interview.id, "structure.presentation")[-1]
    added = etree.Element(W + "p")
    added.append(etree.fromstring(f'<w:pPr xmlns:w="{W[1:-1]}"><w:pStyle w:val="Reponse"/></w:pPr>'))
    set_text_as_word_does(added, "Paragraphe ajouté.")
    last.addnext(added)
    # 2. "[non abordé]" replaced by an answer
    label = answer_paragraphs(root, interview.id, "realisations.equipe")[0]
    set_text_as_word_does(label, "Finalement abordé : trois conseillers.")
    # 3. an answer replaced by a state label
    qid3 = "resultats.principaux"
    paragraphs = answer_paragraphs(root, interview.id, qid3)
    set_text_as_word_does(paragraphs[0], "[refus de répondre]")
    for extra in paragraphs[1:]:
        extra.getparent().remove(extra)
    edited = rewrite(path, tmp_path / "edited2.docx", {"word/document.xml": etree.tostring(root)})
    writeup = read_writeup(edited)
    answers = writeup.bundle.interviews[0].answers
    assert sorted(writeup.edited) == sorted([(interview.id, "structure.presentation"),
                                             (interview.id, "realisations.equipe"), (interview.id, qid3)])
    assert answers["structure.presentation"].text == fr_spaces(clean_text(   # as the body shows it
        interview.answers["structure.presentation"].text)) + "\n\nParagraphe ajouté."
    assert (answers["realisations.equipe"].state, answers["realisations.equipe"].text) == (
        AnswerState.ANSWERED, "Finalement abordé : trois conseillers.")
    assert (answers[qid3].state, answers[qid3].text) == (AnswerState.DECLINED, "")
    # no modified time later than the export, no editor name: now, and the embedded author
    assert answers[qid3].author == interview.answers[qid3].author
    assert answers[qid3].updated_at > "2019-10-16"


def test_bundle_recovered_from_custom_properties_when_custom_xml_is_lost(export, tmp_path):
    bundle, path = export
    stripped = rewrite(path, tmp_path / "no-customxml.docx", {
        "customXml/item1.xml": None, "customXml/itemProps1.xml": None, "customXml/_rels/item1.xml.rels": None,
    })
    assert not any(n.startswith("customXml/") for n in zipfile.ZipFile(stripped).namelist())
    writeup = read_writeup(stripped)
    assert writeup.source == "custom-properties"
    assert writeup.edited == []
    assert_same_answers(bundle, writeup.bundle)


def test_answers_found_by_heading_when_bookmarks_are_lost(export, tmp_path):
    bundle, path = export
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    qid = "projet.parcours"
    paragraphs = answer_paragraphs(root, bundle.interviews[2].id, qid)
    set_text_as_word_does(paragraphs[0], "Édité sans signets.")
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for node in list(root.iter(W + tag)):
            node.getparent().remove(node)
    stripped = rewrite(path, tmp_path / "no-bookmarks.docx", {"word/document.xml": etree.tostring(root)})
    writeup = read_writeup(stripped)
    assert writeup.missing == []
    assert writeup.edited == [(bundle.interviews[2].id, qid)]
    assert writeup.bundle.interviews[2].answers[qid].text.startswith("Édité sans signets.")


def test_foreign_docx_and_non_zip_are_refused(tmp_path):
    foreign = tmp_path / "foreign.docx"
    document = docx.Document()
    document.add_paragraph("Un document quelconque")
    document.save(str(foreign))
    with pytest.raises(ImportFormatError, match="sans données pi87-field"):
        read_writeup(foreign)
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"%PDF-1.4 not a zip at all" * 10)
    with pytest.raises(ImportFormatError, match="archive ZIP invalide"):
        read_writeup(junk)
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(ImportFormatError, match="pas un document Word"):
        read_writeup(empty)


def _bomb(path: Path, name: str, size_mb: int, other: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in (other or {}).items():
            z.writestr(member, data)
        with z.open(name, "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 20)
            for _ in range(size_mb):
                handle.write(block)
    return path


def _lie_about_size(path: Path, name: str, fake: int = 1000) -> None:
    """Rewrite the declared (uncompressed) size of `name` in the central directory."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    i = data.find(b"PK\x01\x02" + b"", 0)
    while i != -1:
        name_len = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46:i + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, i + 24, fake)
            extra_len = struct.unpack_from("<H", data, i + 30)[0]
            extra_at = i + 46 + name_len
            j = extra_at
            while j < extra_at + extra_len:          # the zip64 extra field holds the real size
                header, length = struct.unpack_from("<HH", data, j)
                if header == 1:
                    struct.pack_into("<Q", data, j + 4, fake)
                j += 4 + length
        i = data.find(b"PK\x01\x02", i + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_is_refused_quickly(export, tmp_path):
    _, path = export
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "word/document.xml"}
    honest = _bomb(tmp_path / "bomb.docx", "word/document.xml", 200, members)
    started = time.perf_counter()
    with pytest.raises(ImportFormatError, match="bombe ZIP"):
        read_writeup(honest)
    assert time.perf_counter() - started < 1.0
    lying = _bomb(tmp_path / "bomb2.docx", "word/document.xml", 200, members)
    _lie_about_size(lying, "word/document.xml", fake=1000)
    assert zipfile.ZipFile(lying).getinfo("word/document.xml").file_size == 1000
    started = time.perf_counter()
    with pytest.raises(ImportFormatError):
        read_writeup(lying)
    assert time.perf_counter() - started < 3.0


def test_too_many_members_is_refused(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(2500):
            z.writestr(f"x/{i}.xml", b"")
    with pytest.raises(ImportFormatError, match="2500 éléments"):
        read_writeup(path)


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
       b"<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_are_refused(export, tmp_path, payload):
    _, path = export
    bad = rewrite(path, tmp_path / "xxe.docx", {"word/document.xml": payload})
    started = time.perf_counter()
    with pytest.raises(ImportFormatError, match="DOCTYPE"):
        read_writeup(bad)
    assert time.perf_counter() - started < 1.0
    # the same in the embedded data: refused there too (and no fallback invents data)
    bad_item = rewrite(path, tmp_path / "xxe-item.docx", {"customXml/item1.xml": payload, "docProps/custom.xml": None})
    with pytest.raises(ImportFormatError, match="sans données pi87-field"):
        read_writeup(bad_item)


def test_damaged_document_xml_is_one_line(export, tmp_path):
    _, path = export
    data = zipfile.ZipFile(path).read("word/document.xml")
    bad = rewrite(path, tmp_path / "trunc.docx", {"word/document.xml": data[: len(data) // 2]})
    with pytest.raises(ImportFormatError, match="XML illisible") as info:
        read_writeup(bad)
    assert "\n" not in str(info.value)


def _soffice_to_docx(src: Path, out_dir: Path) -> Path:
    out_dir.mkdir(exist_ok=True)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out_dir / 'lo-profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src)],
        capture_output=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    return out_dir / src.name


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_saved_by_libreoffice_every_answer_is_recovered(export, tmp_path):
    bundle, path = export
    saved = _soffice_to_docx(path, tmp_path / "lo")
    assert saved.read_bytes() != path.read_bytes()
    writeup = read_writeup(saved)
    assert writeup.edited == [] and writeup.missing == []
    assert_same_answers(bundle, writeup.bundle)
    # and an edit made in the LibreOffice-saved file (its own styles and ids) is still found
    root = etree.fromstring(zipfile.ZipFile(saved).read("word/document.xml"))
    interview = bundle.interviews[0]
    name = answer_bookmark(interview.id, "structure.publics")
    start = next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == name)
    heading = start.getparent() if start.getparent().tag == W + "p" else start.getnext()
    paragraph = heading.getnext()
    set_text_as_word_does(paragraph, "Modifié après LibreOffice.")
    edited = rewrite(saved, tmp_path / "lo-edited.docx", {"word/document.xml": etree.tostring(root)})
    writeup = read_writeup(edited)
    assert writeup.edited == [(interview.id, "structure.publics")]
    assert writeup.bundle.interviews[0].answers["structure.publics"].text.startswith("Modifié après LibreOffice.")


def test_reading_from_bytes_of_many_exports_is_fast(tmp_path):
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "p.docx")
    started = time.perf_counter()
    for _ in range(10):
        read_writeup(path)
    assert (time.perf_counter() - started) / 10 < 0.5


# -- hostile shapes: every one read or refused within seconds, one line --------------------------

def _hostile_writeup(path: Path, slots: list[list[str]], body: str, extra: dict[str, str] | None = None) -> Path:
    """A write-up carrying a valid embedded project, the given slots and body (no styles part)."""
    from pi87_field.core.bundle import bundle_to_dict
    from pi87_field.core.word.writeup import _payload_xml

    bundle = make_bundle(hostile=False)
    payload = {"bundle": bundle_to_dict(bundle), "slots": slots}
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W[1:-1]}">'
                f"<w:body>{body}</w:body></w:document>")
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        z.writestr("customXml/item1.xml", _payload_xml(payload))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def _timed(path: Path) -> tuple[float, object]:
    started = time.perf_counter()
    try:
        outcome: object = read_writeup(path)
    except ImportFormatError as exc:
        outcome = exc
    return time.perf_counter() - started, outcome


def test_many_lost_slots_and_empty_paragraphs_are_read_in_linear_time(tmp_path):
    """5,000 slots whose bookmarks are gone and 95,000 empty paragraphs (60 KB zipped): the old
    reader searched every paragraph and every later slot for each slot (minutes at 100 % CPU)."""
    iid = make_bundle(hostile=False).interviews[0].id
    slots = [[iid, f"q{k}", "Titre"] for k in range(5_000)]
    path = _hostile_writeup(tmp_path / "slots.docx", slots, "<w:p/>" * 95_000)
    assert path.stat().st_size < 100_000
    elapsed, outcome = _timed(path)
    assert not isinstance(outcome, Exception), outcome
    assert len(outcome.missing) == 5_000
    assert elapsed < 5.0


@pytest.mark.parametrize("shape", ["paragraphs", "tags", "comments", "huge-text"])
def test_hostile_shapes_are_refused_in_one_line(tmp_path, shape):
    iid = make_bundle(hostile=False).interviews[0].id
    slots = [[iid, "q", "Titre"]]
    extra = None
    if shape == "paragraphs":
        body, match = "<w:p/>" * 150_000, "paragraphes"
    elif shape == "tags":
        body, match = "<w:p>" + "<w:r/>" * 1_600_000 + "</w:p>", "balises XML"
    elif shape == "comments":
        body, match = "<w:p/>", "commentaires"
        comments = "".join(f'<w:comment w:id="{k}" w:author="A"><w:p><w:r><w:t>n</w:t></w:r></w:p></w:comment>'
                           for k in range(12_000))
        extra = {
            "word/comments.xml": f'<w:comments xmlns:w="{W[1:-1]}">{comments}</w:comments>',
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>'),
        }
    else:
        body, match = "<w:p><w:r><w:t>" + "mot " * 3_000_000 + "</w:t></w:r></w:p>", "seul tenant"
    path = _hostile_writeup(tmp_path / f"{shape}.docx", slots, body, extra)
    elapsed, outcome = _timed(path)
    assert isinstance(outcome, ImportFormatError), outcome
    assert match in str(outcome) and "\n" not in str(outcome)
    assert elapsed < 5.0


def test_deeply_nested_tables_and_many_bookmarks_are_read(tmp_path):
    bundle = make_bundle(hostile=False)
    iid = bundle.interviews[0].id
    nested = "<w:tbl><w:tr><w:tc>" * 80 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 80
    elapsed, outcome = _timed(_hostile_writeup(tmp_path / "nested.docx", [[iid, "q", "Titre"]], nested))
    assert not isinstance(outcome, Exception) and elapsed < 5.0
    marks = "".join(f'<w:p><w:bookmarkStart w:id="{k}" w:name="_pi87_{k:020x}"/><w:bookmarkEnd w:id="{k}"/></w:p>'
                    for k in range(50_000))
    slots = [[iid, f"q{k}", "Titre"] for k in range(50_000)]
    elapsed, outcome = _timed(_hostile_writeup(tmp_path / "marks.docx", slots, marks))
    assert not isinstance(outcome, Exception) and elapsed < 5.0
    # one paragraph holding every slot's bookmark: each answer is not read again and again
    one = "<w:p>" + "".join(f'<w:bookmarkStart w:id="{k}" w:name="{answer_bookmark(iid, f"q{k}")}"/>'
                            for k in range(50_000)) + "</w:p>" + "<w:p><w:r><w:t>texte</w:t></w:r></w:p>" * 50_000
    elapsed, outcome = _timed(_hostile_writeup(tmp_path / "one.docx", slots, one))
    assert not isinstance(outcome, Exception) and elapsed < 5.0
    assert len(outcome.missing) == 49_999


def test_word_edit_going_back_to_an_earlier_text_is_imported(store, tmp_path):
    """The store's answer went A -> B; a reader of the write-up puts A back in Word."""
    interview = seeded_interview(store)
    store.save_answer(PID, interview.id, QID, "Texte A", author="Anne")
    store.save_answer(PID, interview.id, QID, "Texte B", author="Anne")
    path = export_project(store, PID, tmp_path / "out")
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    (paragraph,) = answer_paragraphs(root, interview.id, QID)
    set_text_as_word_does(paragraph, "Texte A")
    edited = rewrite(path, tmp_path / "edited.docx", {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "docProps/core.xml": core_edited_by(path, "Relecteur", "2030-01-01T08:00:00Z"),
    })
    read_back = next(i for i in read_writeup(edited).bundle.interviews if i.id == interview.id).answers[QID]
    assert read_back.text == "Texte A" and read_back.rev not in read_back.ancestors
    report = import_files(store, [edited])
    assert not report.errors
    assert store.get_interview(PID, interview.id).answers[QID].text == "Texte A"


def test_word_edit_of_an_answer_does_not_bring_back_the_exported_interview_facts(store, tmp_path):
    """The facts embedded in a write-up are those of export time; a Word edit of an answer is not
    an edit of the facts, so facts corrected locally since the export must stay."""
    interview = interview_with_people(store)
    path = export_project(store, PID, tmp_path / "out")
    local = store.get_interview(PID, interview.id)
    local.interviewees[0].name = "Jean Dupond"          # spelling fixed after the export
    store.save_interview(local)
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    (paragraph,) = answer_paragraphs(root, interview.id, QID)
    set_text_as_word_does(paragraph, "Relu dans Word.")
    edited = rewrite(path, tmp_path / "edited.docx", {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "docProps/core.xml": core_edited_by(path, "Relecteur", "2030-01-01T08:00:00Z"),
    })
    assert not import_files(store, [edited]).errors
    again = store.get_interview(PID, interview.id)
    assert again.answers[QID].text == "Relu dans Word."
    assert again.interviewees[0].name == "Jean Dupond"


def test_write_up_whose_embedded_data_gives_one_answer_twice_is_refused(store, tmp_path):
    interview = seeded_interview(store)
    store.save_answer(PID, interview.id, QID, "unique")
    path = export_project(store, PID, tmp_path / "out")
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.startswith("customXml/item") and b"writeup" in z.read(n))
        xml = z.read(name).decode()
    marker = f'"{QID}":{{"text":"unique"'
    assert marker in xml
    tampered = rewrite(path, tmp_path / "tampered.docx",
                       {name: xml.replace(marker, f'"{QID}":{{"text":"autre"}},{marker}').encode()})
    report = import_files(store, [tampered])
    assert len(report.errors) == 1 and "en double" in report.errors[0].error
    assert store.get_interview(PID, interview.id).answers[QID].text == "unique"
