"""The Word write-up: content, styles, properties, hostile text; read back with python-docx and
docx2python; rendered by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx2python import docx2python

from pi87_field.core.bundle import Bundle
from pi87_field.core.text import clean_text
from pi87_field.core.word.writeup import ORPHANS_TITLE, answer_bookmark, write_project_docx
from pi87_field.core.fr import fr_spaces
from tests.support.writeup_bundle import EXPORTED_AT, guides, make_bundle


def answer_paragraphs(text: str) -> list[str]:
    """How an answer must show in the body: its paragraphs (blank-line separated)."""
    return [p for p in clean_text(text).split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Bundle, Path]:
    bundle = make_bundle()
    path = tmp_path_factory.mktemp("export") / "ec05.docx"
    write_project_docx(bundle, guides(), path)
    return bundle, path


def test_every_answer_is_in_the_body_python_docx(exported):
    bundle, path = exported
    document = docx.Document(str(path))
    texts = {p.text for p in document.paragraphs}
    missing = []
    for interview in bundle.interviews:
        for qid, answer in interview.answers.items():
            for part in answer_paragraphs(answer.text):
                if fr_spaces(part) not in texts:
                    missing.append((qid, part[:40]))
    assert not missing
    # the hostile ones are there, cleaned (emoji, RTL kept; controls gone; CRLF normalised)
    assert fr_spaces("Très bien 👍🏽 — l’équipe 👩‍👩‍👧 a « adoré » 🎉") in texts
    assert any("«\u00a0adoré\u00a0»" in t for t in texts)     # « held to its word
    assert "مرحبا بالعالم — שלום עולם ‏(RTL)‏ mixed" in texts
    assert "avantrouge après" in {t.replace("[31m", "") for t in texts}
    assert "ligne 1\nligne 2" in texts and "paragraphe 2\nfin" in texts
    assert any(len(t) >= 99_000 for t in texts)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "\x00" not in xml and "\x1b" not in xml and "\r" not in xml


def test_every_answer_is_in_the_body_docx2python(exported):
    bundle, path = exported
    with docx2python(str(path)) as content:
        text = content.text
    for interview in bundle.interviews:
        for qid, answer in interview.answers.items():
            for part in answer_paragraphs(answer.text):
                assert fr_spaces(part) in text, (qid, part[:40])


def test_states_orphans_and_concurrent_versions_are_shown(exported):
    bundle, path = exported
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [t for _, t in paragraphs]
    assert texts.count("[refus de répondre]") == 3
    assert texts.count("[non abordé]") == 3
    assert texts.count("[sans objet]") == 3 and texts.count(fr_spaces("Sans objet : pas de FSE.")) == 3
    assert ("Heading 2", ORPHANS_TITLE) in paragraphs
    assert sum(1 for s, t in paragraphs if s == "Heading 3" and "Question retirée de la grille ?" in t) == 3
    assert "Réponse hors grille 2." in texts
    concurrent = [t for s, t in paragraphs if s == "Version concurrente"]
    assert any(t.startswith("Version concurrente — Paul Bernard, 15/10/2019") for t in concurrent)
    assert fr_spaces("Version de Paul 3 : 12 salariés.") in concurrent


def test_headings_use_built_in_styles(exported):
    _, path = exported
    document = docx.Document(str(path))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Mission locale du Lunévillois"]
    assert len(by_style["Heading 1"]) == 3
    assert by_style["Heading 1"][0].startswith("Entretien 1 — Mission locale du Lunévillois — 11/10/2019")
    assert "Concernant votre structure" in by_style["Heading 2"]
    assert any(t.startswith("1.1. Présentation de la structure") for t in by_style["Heading 3"])
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].builtin, name
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    # Word recognises its built-in headings by these exact names (and shows "Titre 1" in French)
    for name in ('w:val="heading 1"', 'w:val="heading 2"', 'w:val="heading 3"', 'w:val="Title"',
                 'w:val="Table Grid"', 'w:val="toc 1"'):
        assert name in styles
    tables = document.tables
    assert tables and all(t.style.name == "Table Grid" for t in tables)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'TOC \\o "1-2"' in xml                       # table of contents field
    assert "PAGE" in zipfile.ZipFile(path).read("word/footer1.xml").decode()


def test_facts_table_has_the_french_amount(exported):
    _, path = exported
    document = docx.Document(str(path))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Montant FSE programmé"] == "328\u00a0318\u00a0€"
    assert facts["Porteur de projet"] == "Mission locale du Lunévillois"
    assert facts["Région"] == "Grand Est"
    assert "Volet" not in facts                      # optional facts appear only when filled
    overview = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert overview[0] == ["N°", "Date", "Personnes interrogées", "Enquêteur·rice", "Avancement"]
    assert overview[1][:4] == ["1", "11/10/2019", "Jean Dupont (Mission locale du Lunévillois)", "Claire Martin"]
    assert overview[3][3] == "Paul Bernard" and len(overview) == 4
    interview_facts = {row.cells[0].text: row.cells[1].text for row in document.tables[2].rows}
    assert interview_facts["Personnes interrogées"] == "Jean Dupont — Directeur, Mission locale du Lunévillois"
    assert interview_facts["Date"] == "11/10/2019"
    assert interview_facts["Consentement"] == "oui"


def test_core_properties_and_no_trace_of_python_docx(exported):
    _, path = exported
    props = docx.Document(str(path)).core_properties
    assert props.title == "Mission locale du Lunévillois — Étude de cas"
    assert props.subject.startswith("Évaluation de la PI 8.7")
    assert props.author == "Claire Martin, Paul Bernard"
    assert props.identifier == "ec05-ml-lunevillois"
    assert props.language == "fr-FR"
    assert props.created == datetime(2019, 10, 15, 7, 0, 0, tzinfo=UTC)
    assert props.last_modified_by == ""
    assert props.revision == 1
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for name in names:
            assert b"python-docx" not in z.read(name).lower(), name
        app = z.read("docProps/app.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert "<Application>pi87-field</Application>" in app
    assert not any("thumbnail" in n or "comments" in n or "stylesWithEffects" in n for n in names)
    assert 'w:lang w:val="fr-FR"' in styles
    assert "customXml/item1.xml" in names and "docProps/custom.xml" in names


def test_answers_are_marked_with_bookmarks(exported):
    bundle, path = exported
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    for interview in bundle.interviews:
        for qid in interview.answers:
            name = answer_bookmark(interview.id, qid)
            assert len(name) <= 40 and f'w:name="{name}"' in xml


def test_existing_file_is_replaced_atomically(tmp_path):
    target = tmp_path / "out" / "ec05.docx"
    target.parent.mkdir()
    target.write_bytes(b"old content")
    write_project_docx(make_bundle(hostile=False), guides(), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in target.parent.iterdir()] == ["ec05.docx"]


def test_project_without_interviews_and_unknown_guide(tmp_path):
    bundle = make_bundle(hostile=False)
    bundle.interviews[0].guide_id = "grille-inconnue"
    empty = Bundle(project=bundle.project, interviews=[], exported_at=EXPORTED_AT)
    path = write_project_docx(empty, guides(), tmp_path / "empty.docx")
    assert "Aucun entretien" in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    path = write_project_docx(Bundle(bundle.project, bundle.interviews[:1], EXPORTED_AT), guides(), tmp_path / "u.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    # every answer kept, under "Réponses hors grille", since the guide is unknown
    assert ORPHANS_TITLE in texts
    assert fr_spaces("Entretien 1, structure.presentation : réponse détaillée.\nDeuxième ligne.") in texts


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_export_to_pdf(exported, tmp_path):
    _, path = exported
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=240,
    )
    pdf = tmp_path / "ec05.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Mission locale du Lunévillois" in text and "Concernant votre structure" in text
        assert "Page 3 / " in text
