"""The consolidated volume, read back with python-docx: every answer of every evaluator is in
its chapter once and in its matrix once, the conflict is in appendix A, the duplicate counted
once, the overview has the totals, the matrices are on landscape pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from pi87_field.core.merge import Consolidation, InputResult, add_bundle, merge_files
from pi87_field.core.merge.volume import build_volume
from pi87_field.core.money import format_amount
from pi87_field.core.text import clean_text
from tests.conftest import HOSTILE_TEXTS
from tests.unit.test_merge_fixtures import (
    CONFLICT_QID,
    SHARED_PROJECT,
    full_case_bundle,
    guides,
    three_evaluators,
    write_bundle,
)

TAG = re.compile(r"\[[^\[\]|]+\|[^\[\]|]+\|E\d+\|[^\[\]|]+\]")


@dataclass
class Region:
    """The text of one part of the volume (a chapter, the matrices, an appendix)."""

    title: str
    paragraphs: list[tuple[str, str]] = field(default_factory=list)   # (style name, text)
    tables: list[list[list[str]]] = field(default_factory=list)       # rows of cell texts

    @property
    def text(self) -> str:
        parts = [t for _, t in self.paragraphs]
        parts += ["\n".join(" | ".join(row) for row in table) for table in self.tables]
        return "\n".join(parts)


def read_regions(path) -> tuple[list[Region], docx.document.Document]:
    """Split the document body at each Heading 1 (in reading order)."""
    document = docx.Document(str(path))
    regions = [Region("(début)")]
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document)
            style = p.style.name if p.style is not None else ""
            if style == "Heading 1":
                regions.append(Region(p.text))
            regions[-1].paragraphs.append((style, p.text))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            regions[-1].tables.append([[cell.text for cell in row.cells] for row in table.rows])
    return regions, document


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("merge")
    inputs = folder / "recus"
    inputs.mkdir()
    scenario = three_evaluators(inputs)
    out = folder / "volume.docx"
    report = merge_files(scenario["paths"], out, guides=guides())
    regions, document = read_regions(out)
    return {"scenario": scenario, "report": report, "path": out, "regions": regions, "document": document}


def region(merged, prefix: str) -> Region:
    [found] = [r for r in merged["regions"] if r.title.startswith(prefix)]
    return found


def chapters(merged) -> dict[str, Region]:
    """Chapter regions by project id (the chapter's facts table names the id)."""
    out = {}
    for r in merged["regions"]:
        if re.match(r"^\d+\. ", r.title):
            facts = r.tables[0]
            pid = next(row[1] for row in facts if row[0] == "Identifiant")
            out[pid] = r
    return out


def test_every_answer_once_in_its_chapter_and_once_in_the_matrix(merged):
    expected = merged["scenario"]["expected"]
    by_project = chapters(merged)
    assert set(by_project) == {"ec01-commun", SHARED_PROJECT, "entretiens-qualitatifs"}
    matrix = region(merged, "Matrices transversales").text
    all_chapters = "\n".join(r.text for r in by_project.values())
    assert len(expected) == 19 + 5 + 19 + 19 + 1 + 5 + 3
    for project_id, text in expected:
        marker = TAG.match(text).group(0)
        assert by_project[project_id].text.count(text) == 1, (project_id, marker)
        assert all_chapters.count(marker) == 1, marker
        assert matrix.count(marker) == 1, marker
        # The answers are short: the matrix shows them whole.
        assert matrix.count(text) == 1, marker
    # Nothing else tagged sneaked in (e.g. the duplicate counted twice).
    assert len(TAG.findall(all_chapters)) == len(expected)
    assert len(TAG.findall(matrix)) == len(expected)


def test_conflict_in_chapter_matrix_and_appendix(merged):
    conflict = merged["scenario"]["conflict"]
    chapter = chapters(merged)[SHARED_PROJECT]
    styles = {text: style for style, text in chapter.paragraphs}
    assert styles[conflict["shown"]] == "Réponse"
    assert styles[conflict["other"]] == "Version concurrente"
    assert any(t.startswith("Version concurrente — Bruno, 18/10/2019 à 10:00, bruno-ec02.json") for _, t in chapter.paragraphs)
    appendix = region(merged, "Annexe A — Conflits")
    [table] = appendix.tables
    assert table[0] == ["Version", "Auteur", "Date", "Source", "Texte"]
    assert table[1] == ["affichée", "Chloé", "19/10/2019 à 11:00", "chloe-ec02.json", conflict["shown"]]
    assert table[2] == ["concurrente", "Bruno", "18/10/2019 à 10:00", "bruno-ec02.json", conflict["other"]]
    assert any(CONFLICT_QID in t for _, t in appendix.paragraphs)
    matrix = region(merged, "Matrices transversales").text
    assert "≠ Bruno : " + conflict["other"] in matrix


def test_duplicate_counted_once_and_provenance(merged):
    report = merged["report"]
    appendix = region(merged, "Annexe B — Provenance des fichiers")
    [table] = appendix.tables
    assert table[0] == ["Fichier", "Statut", "Projet", "Évaluateur(s)", "Exporté le", "SHA-256"]
    rows = {row[0]: row for row in table[1:]}
    assert len(rows) == 6
    assert rows["alice-ec01 (copie).json"][1] == "doublon : identique à alice-ec01.json, compté une fois"
    assert rows["alice-ec01.json"][1] == "fusionné"
    assert rows["alice-ec01.json"][4] == "16/10/2019 à 09:00"
    for r in report.rows:
        assert rows[r.file][5].replace("\n", "") == r.sha256
    cover = merged["regions"][0].text
    assert "6 : 5 fusionné(s), 1 doublon(s), 0 en erreur" in cover
    assert "Alice, Bruno, Chloé" in cover


def test_overview_table_with_totals(merged):
    overview = region(merged, "Vue d’ensemble des cas")
    [table] = overview.tables
    assert table[0] == ["Chap.", "Type", "OS", "Porteur", "Intitulé de l’opération", "Montant FSE",
                        "Entretiens", "Complétude"]
    body = table[1:-1]
    assert [row[0] for row in body] == ["1", "2", "3"]
    assert [row[1] for row in body] == ["Étude de cas", "Étude de cas", "Entretiens qualitatifs"]
    assert body[0][5] == "22 914,89 €".replace(" ", "\u00a0")
    assert [row[6] for row in body] == ["3", "1", "2"]
    # ec01: 19 + 7 + 19 of 57; ec02: 19 of 19; series: 5 + 3 of 10.
    assert [row[7] for row in body] == ["79\u00a0%", "100\u00a0%", "80\u00a0%"]
    total = table[-1]
    assert total[0].startswith("Total : 3 projet(s)")
    assert format_amount(merged["scenario"]["amount_total"]) in total
    assert "6" in total


def test_unanswered_questions_show_their_state(merged):
    chapter = chapters(merged)["ec01-commun"]
    states = [t for style, t in chapter.paragraphs if style == "Réponse" and t in
              ("non abordé", "refus de répondre", "sans réponse")]
    assert states.count("non abordé") == 1 and states.count("refus de répondre") == 1
    # Interview 2 answered 5 of 19 and gave 2 states: 12 questions are "sans réponse".
    assert states.count("sans réponse") == 12


def test_matrix_layout_landscape_columns_and_chapter_references(merged):
    document = merged["document"]
    orientations = [s.orientation for s in document.sections]
    # cover + contents, overview, chapters, matrices + appendices
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    for section in document.sections:
        assert (section.page_width > section.page_height) == (section.orientation == WD_ORIENT.LANDSCAPE)
        assert section.footer.paragraphs[0].text.startswith("PI 8.7 · volume consolidé")
    # Landscape footers have their own tab stops (the page number sits at the right margin).
    assert document.sections[1].footer.part is not document.sections[0].footer.part
    assert document.sections[3].footer.part is document.sections[1].footer.part
    matrices = region(merged, "Matrices transversales")
    headings = [t for style, t in matrices.paragraphs if style == "Heading 2"]
    assert headings[0] == "Grille d'entretien des études de cas — Concernant votre structure"
    assert len(headings) == 8 + 1                       # 8 case-study sections, 1 interview section
    case_table = matrices.tables[0]
    assert case_table[0] == ["Question", "1. Porteur 1 – Mission locale", "2. Porteur 2 – Mission locale"]
    assert case_table[1][0] == "1.1. Présentation de la structure"
    assert case_table[1][1].endswith("→ chap. 1") and case_table[1][2].endswith("→ chap. 2")
    assert case_table[1][1].count("E1 [Alice|") == 1 and "E3 [Bruno|" in case_table[1][1]
    series_table = matrices.tables[-1]
    assert series_table[0][1:] == ["DGEFP (chap. 3, E1)", "Pôle Emploi (chap. 3, E2)"]
    assert series_table[1][1].endswith("→ chap. 3, E1")
    assert series_table[-1][2] == "—"                   # Pôle Emploi was not asked question 5


def test_structure_styles_toc_and_properties(merged):
    document = merged["document"]
    names = [r.title for r in merged["regions"][1:]]
    assert names[0] == "Vue d’ensemble des cas"
    assert names[-3:] == ["Matrices transversales", "Annexe A — Conflits", "Annexe B — Provenance des fichiers"]
    used = {style for r in merged["regions"] for style, _ in r.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"} <= used
    xml = zipfile.ZipFile(merged["path"]).read("word/document.xml").decode()
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml
    assert xml.count('w:anchor="_pi87_chap1"') >= 2            # TOC entry, overview, matrix cells
    assert 'w:name="_pi87_chap3"' in xml
    props = document.core_properties
    assert props.title == "PI 8.7 — Volume consolidé des travaux de terrain"
    assert props.author == "Alice, Bruno, Chloé"
    assert props.language == "fr-FR"
    assert props.identifier.startswith("pi87-field-merge:")
    names_in_package = zipfile.ZipFile(merged["path"]).namelist()
    assert not any("thumbnail" in n for n in names_in_package)
    assert b"python-docx" not in b"".join(zipfile.ZipFile(merged["path"]).read(n) for n in names_in_package)


def test_long_answers_are_excerpted_in_the_matrix_but_whole_in_the_chapter(tmp_path):
    bundle = full_case_bundle("ec09-long", 9, "Alice", interviews=1, answer_chars=800)
    text = bundle.interviews[0].answers["structure.presentation"].text
    path = write_bundle(bundle, tmp_path / "long.json")
    merge_files([path], tmp_path / "v.docx", guides=guides())
    regions, _ = read_regions(tmp_path / "v.docx")
    chapter = next(r for r in regions if r.title.startswith("1. "))
    matrix = next(r for r in regions if r.title == "Matrices transversales")
    assert text in chapter.text and text not in matrix.text
    cell = matrix.tables[0][1][1]
    assert cell.startswith("E1 " + text[:100]) and "…" in cell and len(cell) < 220


def test_hostile_text_survives(tmp_path):
    """Control characters, lone surrogates, emoji, RTL, CRLF, 100 KB: built straight from
    domain objects (a bundle file could not even hold some of them)."""
    bundle = full_case_bundle("ec10-hostile", 10, "Alice", interviews=1, answer_chars=50)
    answers = bundle.interviews[0].answers
    for qid, key in zip(list(answers), HOSTILE_TEXTS):
        answers[qid].text = HOSTILE_TEXTS[key]
    bundle.project.title = "Titre\x0b avec \ud800 contrôle"
    state = Consolidation()
    state.inputs.append(InputResult(path=tmp_path / "h.json", sha256="0" * 64, evaluators=["Alice\x07"]))
    add_bundle(state, bundle, "h.json")
    out = tmp_path / "v.docx"
    out.write_bytes(build_volume(state, guides()))
    regions, _ = read_regions(out)
    chapter = next(r for r in regions if r.title.startswith("1. "))
    for key, value in HOSTILE_TEXTS.items():
        for block in clean_text(value).split("\n\n"):
            assert block.strip("\n") in chapter.text, key
    assert "Titre avec  contrôle" in chapter.text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")
def test_libreoffice_renders_the_volume(merged, tmp_path):
    """LibreOffice opens the volume and lays it out: overview, landscape matrices, appendices."""
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(merged["path"])],
        capture_output=True, timeout=180)
    pdf = tmp_path / "volume.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    assert "Vue d’ensemble des cas" in text and "Annexe B — Provenance des fichiers" in text
    assert "→ chap. 1" in text and "≠ Bruno" in text
    conflict = merged["scenario"]["conflict"]["shown"]
    assert TAG.match(conflict).group(0) in text
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "400", str(pdf)], capture_output=True, text=True).stdout
    sizes = set(re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info))
    assert any(float(w) > float(h) for w, h in sizes) and any(float(w) < float(h) for w, h in sizes)
