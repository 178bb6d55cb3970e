"""A write-up edited by a reviewer, in Word (python-docx, hand-written WordprocessingML) and in
LibreOffice: styles inside an answer, re-saves that change nothing, comments and tracked changes.

What must hold: an answer runs from its question marker to the next one whatever the styles in
between; a re-save is never an edit; each Word comment comes back once, as a review note of the
answer it sits in; tracked insertions are text, tracked deletions are not."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pi87_field.core.bundle import Bundle, bundle_from_dict, bundle_to_dict
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome
from pi87_field.core.model import Answer
from pi87_field.core.serialize import interview_from_dict, interview_to_dict
from pi87_field.core.text import clean_text
from pi87_field.core.word.read import read_writeup
from pi87_field.core.word.writeup import answer_bookmark, write_project_docx
from pi87_field.core.fr import fr_spaces
from tests.support.writeup_bundle import guides, make_bundle

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
HAS_SOFFICE = shutil.which("soffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")

# what LibreOffice or Word could normalise on a re-save (item 6): none of it is an edit
SPECIAL_TEXTS = {
    "structure.presentation": "coordi\u00adnation des acteurs, re\u00adcrutement",
    "structure.effectifs": "montant\u00a0: 12\u00a0000\u00a0€ ; question\u202f? oui\u202f!",
    "structure.publics": "a\tb\t\tc\n\nfin avec espaces   ",
    "realisations.etapes": "   début avec espaces, deux  espaces",
    "projet.description": "l’équipe « citée » “anglais” — tiret – court … fin",
    "projet.publics-vises": "zéro\u200blargeur, insécable\u2011trait",
}


def soffice_resave(src: Path, out_dir: Path) -> Path:
    """Open and save `src` with LibreOffice (docx to docx), as a reviewer's re-save does."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out_dir / 'lo-profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src)],
        capture_output=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out_dir / src.name


def answers_of(bundle: Bundle) -> dict[tuple[str, str], tuple[str, str]]:
    return {(i.id, q): (a.text, a.state.value) for i in bundle.interviews for q, a in i.answers.items()}


def expected_answers(bundle: Bundle) -> dict[tuple[str, str], tuple[str, str]]:
    return {(i.id, q): (clean_text(a.text), a.state.value) for i in bundle.interviews for q, a in i.answers.items()}


def paragraph_starting(document, prefix: str):
    return next(p for p in document.paragraphs if p.text.startswith(prefix))


def last_question_of_second_section() -> str:
    return guides().get("etude-de-cas").sections[1].questions[-1].id


# -- item 2: styles inside an answer -------------------------------------------------------------

def restyle_as_reviewer(path: Path, out: Path) -> tuple[Path, dict]:
    """python-docx edits a reviewer makes: the 2nd paragraph of an answer turned into "Heading 3";
    a sub-heading ("Heading 2", even) inserted inside another answer; a "Heading 1" paragraph
    added after the last answer of a section. Returns the answers now expected."""
    document = docx.Document(str(path))
    bundle = make_bundle()
    expected = {}
    # 1. restyle only: the text is unchanged
    second = paragraph_starting(document, "Deuxième paragraphe")          # first answer's 2nd paragraph
    first_text = second._p.getprevious()
    assert first_text is not None
    second.style = document.styles["Heading 3"]
    # 2. a sub-heading inside interview 3's answer to projet.description
    i3 = bundle.interviews[2]
    target = paragraph_starting(document, "Entretien 3, projet.description")
    follower = target._p.getnext()
    follower_par = next(p for p in document.paragraphs if p._p is follower)
    follower_par.insert_paragraph_before("Ce que le relecteur ajoute", style=document.styles["Heading 2"])
    expected[(i3.id, "projet.description")] = (fr_spaces(
        "Entretien 3, projet.description : réponse détaillée.\nDeuxième ligne.\n\nCe que le relecteur ajoute"
        "\n\nDeuxième paragraphe\tavec tabulation."), "answered")
    # 3. at the end of the last answer of a section (before our "heading 2")
    qid = last_question_of_second_section()
    last = paragraph_starting(document, f"Entretien 3, {qid}")
    tail = next(p for p in document.paragraphs if p._p is last._p.getnext())
    assert tail.text.startswith("Deuxième paragraphe")
    new = tail.insert_paragraph_before("", style=document.styles["Heading 1"])
    tail._p.addnext(new._p)          # after the answer's last paragraph
    new.add_run("Conclusion du relecteur")
    # an edited answer is read as the body shows it: with the write-up's no-break spaces
    expected[(i3.id, qid)] = (fr_spaces(f"Entretien 3, {qid} : réponse détaillée.\nDeuxième ligne.\n\n"
                              "Deuxième paragraphe\tavec tabulation.\n\nConclusion du relecteur"), "answered")
    document.save(str(out))
    return out, expected


def check_restyled(writeup, bundle, expected) -> None:
    want = expected_answers(bundle)
    want.update(expected)
    assert answers_of(writeup.bundle) == want
    assert sorted(writeup.edited) == sorted(expected)
    assert writeup.missing == []


def test_heading_styles_inside_answers_keep_every_paragraph_python_docx(tmp_path):
    bundle = make_bundle()
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    edited, expected = restyle_as_reviewer(path, tmp_path / "restyled.docx")
    check_restyled(read_writeup(edited), bundle, expected)


@pytest.mark.slow
@needs_soffice
def test_heading_styles_inside_answers_keep_every_paragraph_after_libreoffice(tmp_path):
    bundle = make_bundle()
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    edited, expected = restyle_as_reviewer(path, tmp_path / "restyled.docx")
    check_restyled(read_writeup(soffice_resave(edited, tmp_path / "lo")), bundle, expected)


def test_lost_bookmarks_fall_back_on_headings_without_swallowing_a_question(tmp_path):
    """Without bookmarks (pasted into another document) answers are found by their headings; a
    question whose heading was also retyped is missing (its stored answer is kept), and the answer
    before it does not swallow it."""
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for node in list(root.iter(W + tag)):
            node.getparent().remove(node)
    i1 = bundle.interviews[0]
    heading = next(p for p in root.iter(W + "p") if "Effectifs de la structure" in "".join(p.itertext()))
    for t in heading.iter(W + "t"):
        t.text = ""
    next(heading.iter(W + "t")).text = "Effectifs (titre retapé)"
    stripped = tmp_path / "no-marks.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = etree.tostring(root) if info.filename == "word/document.xml" else zin.read(info.filename)
            zout.writestr(info.filename, data)
    writeup = read_writeup(stripped)
    assert (i1.id, "structure.effectifs") in writeup.missing
    assert (i1.id, "structure.presentation") not in writeup.edited
    assert answers_of(writeup.bundle) == expected_answers(bundle)


# -- item 6: a re-save is not an edit ------------------------------------------------------------

def special_bundle() -> Bundle:
    bundle = make_bundle(hostile=False)
    for qid, text in SPECIAL_TEXTS.items():
        bundle.interviews[0].answers[qid] = Answer(text=text, updated_at="2019-10-14T10:05:00+02:00",
                                                   author="Claire Martin")
    return bundle


def test_soft_hyphen_written_as_word_does_reads_back_exactly(tmp_path):
    """Word and LibreOffice write a soft hyphen as <w:softHyphen/>, not as a character."""
    bundle = special_bundle()
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "\u00ad" in xml
    xml = xml.replace("\u00ad", '</w:t><w:softHyphen/><w:t xml:space="preserve">')
    resaved = tmp_path / "soft.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(resaved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, xml if info.filename == "word/document.xml" else zin.read(info.filename))
    writeup = read_writeup(resaved)
    assert writeup.edited == []
    assert answers_of(writeup.bundle) == expected_answers(bundle)


@pytest.mark.slow
@needs_soffice
def test_libreoffice_resave_of_an_untouched_writeup_is_older_never_a_conflict(store, tmp_path):
    """Export, keep typing, re-save the export in LibreOffice, import it: nothing edited, the
    answers typed since stay, no conflict (soft hyphens, non-breaking spaces, tabs, trailing
    spaces, quotes, zero-width spaces in the answers)."""
    pid = "ec08-insup"
    interview = store.list_interviews(pid)[0]
    for qid, text in SPECIAL_TEXTS.items():
        store.save_answer(pid, interview.id, qid, text, author="Anne")
    exported = export_project(store, pid, tmp_path / "out", "docx")
    resaved = soffice_resave(exported, tmp_path / "lo")
    writeup = read_writeup(resaved)
    assert writeup.edited == [] and writeup.missing == []
    # typing goes on after the export
    for qid, text in SPECIAL_TEXTS.items():
        store.save_answer(pid, interview.id, qid, text + " (suite)", author="Anne")
    report = import_files(store, [resaved])
    assert report.ok and not report.conflicts, [(c.question_id, c.outcome) for c in report.conflicts]
    outcomes = {c.question_id: c.outcome for c in report.files[0].changes if c.question_id}
    assert {outcomes[q] for q in SPECIAL_TEXTS} == {Outcome.OLDER}
    now = store.get_interview(pid, interview.id)
    for qid, text in SPECIAL_TEXTS.items():
        assert now.answers[qid].text == clean_text(text + " (suite)")
        assert now.answers[qid].concurrent == []


# -- item 7: comments and tracked changes ------------------------------------------------------

COMMENTS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:comments xmlns:w="{W_NS}">'
    '<w:comment w:id="7" w:author="Relectrice Anne" w:date="2019-10-20T08:00:00Z" w:initials="RA">'
    '<w:p><w:r><w:t>Vérifier ce chiffre</w:t></w:r></w:p><w:p><w:r><w:t>avec la DIRECCTE.</w:t></w:r></w:p>'
    '</w:comment>'
    '<w:comment w:id="8" w:author="Paul Bernard" w:date="2019-10-21T09:30:00Z">'
    '<w:p><w:r><w:t>Titre de question ambigu.</w:t></w:r></w:p></w:comment>'
    '<w:comment w:id="9" w:author="Paul Bernard" w:date="2019-10-21T09:31:00Z">'
    '<w:p><w:r><w:t>Date de l’entretien à confirmer.</w:t></w:r></w:p></w:comment>'
    '</w:comments>'
)
COMMENTS_REL = ('<Relationship Id="rIdPi87c" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/comments" Target="comments.xml"/>')
COMMENTS_CT = ('<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
               'officedocument.wordprocessingml.comments+xml"/>')


def _xml(fragment: str) -> etree._Element:
    return etree.fromstring(f'<w:wrap xmlns:w="{W_NS}">{fragment}</w:wrap>')[0]


def review_in_word(path: Path, out: Path, bundle: Bundle) -> Path:
    """Write what Word writes for a review: comments (range, reference, comments.xml part), a
    tracked insertion and a tracked deletion inside answers, a paragraph deleted whole."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    i1 = bundle.interviews[0]

    def paragraphs_of(qid: str) -> list:
        name = answer_bookmark(i1.id, qid)
        start = next(b for b in root.iter(W + "bookmarkStart") if b.get(W + "name") == name)
        out, node = [], start.getparent().getnext()
        while node is not None and node.find(f"{W}pPr/{W}pStyle").get(W + "val") in ("Reponse", "QuestionDetail"):
            if node.find(f"{W}pPr/{W}pStyle").get(W + "val") == "Reponse":
                out.append(node)
            node = node.getnext()
        return out, start.getparent()

    # comment 7 on the answer's first paragraph; comment 8 on the question heading
    answer, heading = paragraphs_of("structure.effectifs")
    first = answer[0]
    first.insert(1, _xml('<w:commentRangeStart w:id="7"/>'))
    first.append(_xml('<w:commentRangeEnd w:id="7"/>'))
    first.append(_xml('<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="7"/></w:r>'))
    heading.append(_xml('<w:commentRangeStart w:id="8"/>'))
    heading.append(_xml('<w:r><w:commentReference w:id="8"/></w:r>'))
    # comment 9 on the interview's facts table (no question): the interview's own notes
    cell = next(p for p in root.iter(W + "p") if "".join(p.itertext()) == "Date")
    cell.append(_xml('<w:r><w:commentReference w:id="9"/></w:r>'))
    # tracked changes in structure.presentation: "réponse détaillée" -> "réponse très détaillée",
    # "Deuxième ligne." deleted; the second paragraph deleted whole (text and paragraph mark)
    answer, _ = paragraphs_of("structure.presentation")
    p1, p2 = answer
    for run in p1.findall(W + "r"):
        p1.remove(run)
    p1.append(_xml('<w:r><w:t xml:space="preserve">Entretien 1, structure.presentation : réponse </w:t></w:r>'))
    p1.append(_xml('<w:ins w:id="90" w:author="Relectrice Anne" w:date="2019-10-20T08:01:00Z">'
                   '<w:r><w:t xml:space="preserve">très </w:t></w:r></w:ins>'))
    p1.append(_xml('<w:r><w:t>détaillée.</w:t></w:r>'))
    p1.append(_xml('<w:del w:id="91" w:author="Relectrice Anne" w:date="2019-10-20T08:02:00Z">'
                   '<w:r><w:br/><w:delText>Deuxième ligne.</w:delText></w:r></w:del>'))
    for run in p2.findall(W + "r"):
        p2.remove(run)
    p2.append(_xml('<w:del w:id="93" w:author="Relectrice Anne" w:date="2019-10-20T08:03:00Z"><w:r>'
                   '<w:delText>Deuxième paragraphe avec tabulation.</w:delText></w:r></w:del>'))
    p2.find(W + "pPr").append(_xml('<w:rPr><w:del w:id="94" w:author="Relectrice Anne" '
                                   'w:date="2019-10-20T08:03:00Z"/></w:rPr>'))
    # a paragraph inserted with tracked changes (its mark inserted) after it
    p2.addnext(_xml('<w:p><w:pPr><w:pStyle w:val="Reponse"/><w:rPr><w:ins w:id="95" w:author="Relectrice Anne" '
                    'w:date="2019-10-20T08:04:00Z"/></w:rPr></w:pPr><w:ins w:id="96" w:author="Relectrice Anne" '
                    'w:date="2019-10-20T08:04:00Z"><w:r><w:t>Ajout suivi.</w:t></w:r></w:ins></w:p>'))
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", COMMENTS_REL.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", COMMENTS_CT.encode() + b"</Types>")
            zout.writestr(info.filename, data)
        zout.writestr("word/comments.xml", COMMENTS_XML)
    return out


def check_review(writeup, bundle: Bundle) -> None:
    from pi87_field.core.model import INTERVIEW_NOTES, ReviewNote

    i1 = bundle.interviews[0]
    got = next(i for i in writeup.bundle.interviews if i.id == i1.id)
    assert got.review_notes["structure.effectifs"] == [      # in the order of the document
        ReviewNote("Paul Bernard", "2019-10-21T09:30:00+00:00", "Titre de question ambigu."),
        ReviewNote("Relectrice Anne", "2019-10-20T08:00:00+00:00", "Vérifier ce chiffre\n\navec la DIRECCTE."),
    ]
    assert got.review_notes[INTERVIEW_NOTES] == [
        ReviewNote("Paul Bernard", "2019-10-21T09:31:00+00:00", "Date de l’entretien à confirmer.")]
    assert got.answers["structure.presentation"].text == (
        "Entretien 1, structure.presentation : réponse très détaillée.\n\nAjout suivi.")
    assert writeup.edited == [(i1.id, "structure.presentation")]
    assert got.answers["structure.effectifs"].text == clean_text(i1.answers["structure.effectifs"].text)


def test_comments_come_back_as_review_notes_and_tracked_changes_are_applied(tmp_path):
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    reviewed = review_in_word(path, tmp_path / "reviewed.docx", bundle)
    check_review(read_writeup(reviewed), bundle)


@pytest.mark.slow
@needs_soffice
def test_comments_and_tracked_changes_survive_libreoffice(tmp_path):
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    reviewed = review_in_word(path, tmp_path / "reviewed.docx", bundle)
    check_review(read_writeup(soffice_resave(reviewed, tmp_path / "lo")), bundle)


@pytest.mark.slow
@needs_soffice
def test_comment_added_with_python_docx_survives_libreoffice(tmp_path):
    bundle = make_bundle(hostile=False)
    path = write_project_docx(bundle, guides(), tmp_path / "w.docx")
    document = docx.Document(str(path))
    target = paragraph_starting(document, "Entretien 2, projet.parcours")
    document.add_comment(target.runs, text="Citer la convention.", author="Relectrice Anne", initials="RA")
    document.save(str(tmp_path / "commented.docx"))
    for path in (tmp_path / "commented.docx", soffice_resave(tmp_path / "commented.docx", tmp_path / "lo")):
        writeup = read_writeup(path)
        notes = writeup.bundle.interviews[1].review_notes["projet.parcours"]
        assert [(n.author, n.text) for n in notes] == [("Relectrice Anne", "Citer la convention.")]
        assert writeup.edited == []


def test_review_notes_are_stored_exported_and_never_duplicated(store, tmp_path):
    """Import a reviewed write-up twice, export it again (the notes are shown under their
    answers), re-import that export and the JSON one: each note is there once."""
    pid = "ec08-insup"
    interview = store.list_interviews(pid)[0]
    store.save_answer(pid, interview.id, "suites.poursuite", "Essaimage prévu.", author="Anne")
    exported = export_project(store, pid, tmp_path / "out", "docx")
    document = docx.Document(str(exported))
    target = paragraph_starting(document, "Essaimage prévu.")
    document.add_comment(target.runs, text="Dans quels territoires ?", author="Relectrice Anne", initials="RA")
    reviewed = tmp_path / "reviewed.docx"
    document.save(str(reviewed))

    first = import_files(store, [reviewed])
    assert first.ok
    assert [(c.question_id, c.outcome) for c in first.files[0].changes if c.question_id] == [
        ("suites.poursuite", Outcome.UPDATED)]
    notes = store.get_interview(pid, interview.id).review_notes["suites.poursuite"]
    assert [(n.author, n.text) for n in notes] == [("Relectrice Anne", "Dans quels territoires ?")]
    again = import_files(store, [reviewed])
    assert {c.outcome for c in again.files[0].changes} == {Outcome.UNCHANGED}

    # the write-up shows the note under the answer; re-importing it adds nothing
    out = export_project(store, pid, tmp_path / "out2", "docx")
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    at = texts.index("Essaimage prévu.")
    assert texts[at + 1].startswith("Note de relecture — Relectrice Anne, ")
    assert texts[at + 1].endswith(" : Dans quels territoires ?")
    shown = docx.Document(str(out)).paragraphs[at + 1]
    assert shown.style.name == "Note de relecture"
    writeup = read_writeup(out)
    assert writeup.edited == [] and writeup.notes == []
    for path in (out, export_project(store, pid, tmp_path / "out3", "json")):
        report = import_files(store, [path])
        assert {c.outcome for c in report.files[0].changes} == {Outcome.UNCHANGED}, path
    assert len(store.get_interview(pid, interview.id).review_notes["suites.poursuite"]) == 1


def test_review_notes_round_trip_keeps_unknown_keys():
    from pi87_field.core.model import ReviewNote

    bundle = make_bundle(hostile=False)
    interview = bundle.interviews[0]
    interview.review_notes = {"structure.effectifs": [ReviewNote("Anne", "2019-10-20T08:00:00+00:00", "Note",
                                                                  extra={"x-resolved": True})]}
    data = interview_to_dict(interview)
    assert data["review_notes"]["structure.effectifs"][0]["x-resolved"] is True
    back = interview_from_dict(data)
    assert back.review_notes == interview.review_notes
    assert bundle_to_dict(bundle_from_dict(bundle_to_dict(bundle))) == bundle_to_dict(bundle)
    # an interview without notes writes no key (older readers see nothing new)
    assert "review_notes" not in interview_to_dict(bundle.interviews[1])
