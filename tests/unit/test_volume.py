"""The consolidated volume, read back with python-docx: every answer of every evaluator is in
its chapter once and in the matrix once, whole; the conflict is in the chapter, the matrix and
annex A with the differing passage marked; the duplicate is counted once; coverage names the
campaign cases without a write-up."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from docx.enum.section import WD_ORIENT

from pi87_field.core.merge import merge_files
from tests.support.merge_bundles import SHARED_PROJECT, guides, three_evaluators
from tests.support.volume_reading import TAG, Region, read_regions


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
    matrix = region(merged, "Partie II — Matrice transversale").text
    all_chapters = "\n".join(r.text for r in by_project.values())
    assert len(expected) == 19 + 5 + 19 + 19 + 1 + 5 + 3
    for project_id, text in expected:
        marker = TAG.match(text).group(0)
        assert by_project[project_id].text.count(text) == 1, (project_id, marker)
        assert all_chapters.count(marker) == 1, marker
        assert matrix.count(marker) == 1, marker
        # The matrix shows every answer whole (issue 13: never a silent cut).
        assert matrix.count(text) == 1, marker
    # Nothing else tagged sneaked in (e.g. the duplicate counted twice).
    assert len(TAG.findall(all_chapters)) == len(expected)
    assert len(TAG.findall(matrix)) == len(expected)


def test_conflict_in_chapter_matrix_and_appendix(merged):
    conflict = merged["scenario"]["conflict"]
    chapter = chapters(merged)[SHARED_PROJECT]
    styles = {text: style for style, text in chapter.paragraphs}
    assert styles[conflict["shown"]] == "Version concurrente"      # both versions, in the conflict block
    assert styles[conflict["other"]] == "Version concurrente"
    assert any(t.startswith("Version concurrente — Bruno, 18/10/2019 à 10:00, saisie par Bruno, importée du paquet "
                                 "bruno-ec02.json") for _, t in chapter.paragraphs)
    assert any(t.startswith("Version affichée — Chloé, 19/10/2019 à 11:00") for _, t in chapter.paragraphs)
    appendix = region(merged, "Annexe A — Conflits")
    texts = [t for _, t in appendix.paragraphs]
    assert conflict["shown"] in texts and conflict["other"] in texts
    assert any("Présentation de la structure" in t and t.startswith("2. ") for t in texts)
    matrix = region(merged, "Partie II — Matrice transversale").text
    assert conflict["other"] in matrix and conflict["shown"] in matrix
    assert "⚠ Conflit : 2 versions" in matrix


def test_conflict_marks_the_differing_passage(merged):
    """The words one version has and the other has not are highlighted, in both versions."""
    from pi87_field.core.merge.volume import marked_runs

    xml = zipfile.ZipFile(merged["path"]).read("word/document.xml").decode()
    conflict = merged["scenario"]["conflict"]
    for text in (conflict["shown"], conflict["other"]):
        assert f'<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">{text[:6]}' in xml
    [runs] = marked_runs("Le projet a réussi en 2018, avec trois partenaires.",
                         "Le projet a échoué en 2018, avec trois partenaires.")
    assert len(runs) == 3
    assert "<w:highlight" not in runs[0] and ">Le projet a <" in runs[0]
    assert "<w:highlight" in runs[1] and ">réussi<" in runs[1]
    assert "<w:highlight" not in runs[2] and "> en 2018, avec trois partenaires.<" in runs[2]


def test_duplicate_counted_once_and_provenance(merged):
    report = merged["report"]
    appendix = region(merged, "Annexe B — Provenance des fichiers")
    [table] = appendix.tables
    assert table[0] == ["Fichier", "Statut", "Évaluateur", "Exporté le", "SHA-256"]
    rows = {row[0].split("\n")[0]: row for row in table[1:]}
    assert len(rows) == 6
    assert rows["alice-ec01 (copie).json"][1] == "doublon : identique à alice-ec01.json, compté une fois"
    assert rows["alice-ec01.json"][1] == "fusionné"
    assert rows["alice-ec01.json"][3] == "16/10/2019 à 09:00"
    for r in report.rows:
        assert rows[r.file][4].replace("\n", "") == r.sha256
    cover = merged["regions"][0].text
    assert "6 : 5 fusionné, 1 doublon" in cover
    assert "Alice, Bruno, Chloé" in cover


def test_unanswered_questions_show_their_state(merged):
    chapter = chapters(merged)["ec01-commun"]
    states = [t for style, t in chapter.paragraphs if style == "Réponse" and t.startswith("[")]
    assert states.count("[non abordé]") == 1 and states.count("[refus de répondre]") == 1
    # Interview 2 answered 5 of 19 and gave 2 states: 12 questions are "sans réponse".
    assert states.count("[sans réponse]") == 12


def test_matrix_questions_are_headings_with_the_guide_numbering_and_links(merged):
    document = merged["document"]
    assert all(s.orientation == WD_ORIENT.PORTRAIT for s in document.sections)
    matrix = region(merged, "Partie II — Matrice transversale")
    sections = [t for style, t in matrix.paragraphs if style == "Heading 2"]
    assert sections[0] == "Concernant votre structure"
    assert sections[-1] == "Grille d'entretien pour les entretiens qualitatifs"
    assert len(sections) == 8 + 1                       # 8 case-study sections, 1 interview guide
    questions = [t for style, t in matrix.paragraphs if style == "Heading 3"]
    assert questions[0] == "1.1. Présentation de la structure"
    assert "1. Analyse de la modernisation des institutions liées au marché du travail depuis 2014 en général :" in questions
    # sub-points a/b/c under the question
    assert ("Précisions de la question", "a. Besoins identifiés") in matrix.paragraphs
    table = matrix.tables[0]
    assert table[0] == ["Cas", "Entretien", "Réponse"]
    assert table[1][0] == "1. Porteur 1 – Mission locale" and table[1][1].startswith("E1 · Structure 1 — ")
    assert table[1][2].endswith("→ réponse")
    xml = zipfile.ZipFile(merged["path"]).read("word/document.xml").decode()
    # every matrix cell links to the answer itself, whose bookmark is in Part III
    anchors = set(re.findall(r'w:anchor="(_pi87_[0-9a-f]{20})"', xml))
    names = set(re.findall(r'w:name="(_pi87_[0-9a-f]{20})"', xml))
    assert anchors and anchors <= names
    # the header row repeats when a table runs onto the next page
    assert xml.count("<w:tblHeader/>") >= 19 + 5


def test_structure_styles_toc_and_properties(merged):
    document = merged["document"]
    names = [r.title for r in merged["regions"][1:]]
    assert names[0] == "Partie II — Matrice transversale"
    assert names[-3:] == ["Annexe A — Conflits", "Annexe B — Provenance des fichiers", "Annexe C — Couverture"]
    used = {style for r in merged["regions"] for style, _ in r.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"} <= used
    xml = zipfile.ZipFile(merged["path"]).read("word/document.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    assert xml.count('w:anchor="_pi87_cas1"') >= 2            # TOC entry, matrix rows
    assert 'w:name="_pi87_cas3"' in xml
    props = document.core_properties
    assert props.title == "PI 8.7 — Volume consolidé des travaux de terrain"
    assert props.author == "Alice, Bruno, Chloé"
    assert props.language == "fr-FR"
    assert props.identifier.startswith("pi87-field-merge:")
    names_in_package = zipfile.ZipFile(merged["path"]).namelist()
    assert not any("thumbnail" in n for n in names_in_package)
    assert b"python-docx" not in b"".join(zipfile.ZipFile(merged["path"]).read(n) for n in names_in_package)


def test_coverage_lists_campaign_cases_without_a_write_up(merged):
    coverage = region(merged, "Annexe C — Couverture")
    [missing] = coverage.tables
    assert missing[0] == ["Cas ou entretien", "Situation"]
    assert ["Étude de cas « Lunévillois · Atout Emploi »", "aucun compte rendu"] in missing
    assert any(row[0] == "Entretien qualitatif « DIRECCTE Grand Est »" for row in missing)


def test_long_answers_are_whole_in_the_matrix_and_in_the_chapter(tmp_path):
    from tests.support.merge_bundles import full_case_bundle, write_bundle

    bundle = full_case_bundle("ec09-long", 9, "Alice", interviews=1, answer_chars=800)
    text = bundle.interviews[0].answers["structure.presentation"].text
    path = write_bundle(bundle, tmp_path / "long.json")
    merge_files([path], tmp_path / "v.docx", guides=guides())
    regions, _ = read_regions(tmp_path / "v.docx")
    chapter = next(r for r in regions if r.title.startswith("1. "))
    matrix = next(r for r in regions if r.title.startswith("Partie II"))
    assert text in chapter.text and text in matrix.text
    cell = matrix.tables[0][1][2]
    assert cell.startswith(text) and "…" not in cell


def test_hostile_text_survives(tmp_path):
    """Control characters, lone surrogates, emoji, RTL, CRLF, 100 KB: built straight from
    domain objects (a bundle file could not even hold some of them)."""
    from pi87_field.core.merge import Consolidation, InputResult, add_bundle
    from pi87_field.core.merge.content import from_consolidation
    from pi87_field.core.merge.volume import build_volume
    from pi87_field.core.text import clean_text
    from tests.support.hostile import HOSTILE_TEXTS
    from tests.support.merge_bundles import full_case_bundle

    bundle = full_case_bundle("ec10-hostile", 10, "Alice", interviews=1, answer_chars=50)
    answers = bundle.interviews[0].answers
    for qid, key in zip(list(answers), HOSTILE_TEXTS):
        answers[qid].text = HOSTILE_TEXTS[key]
    bundle.project.title = "Titre\x0b avec \ud800 contrôle"
    state = Consolidation()
    state.inputs.append(InputResult(path=tmp_path / "h.json", sha256="0" * 64, evaluators=["Alice\x07"]))
    add_bundle(state, bundle, "h.json")
    out = tmp_path / "v.docx"
    out.write_bytes(build_volume(from_consolidation(state, guides())))
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
    assert "Partie II — Matrice transversale" in text and "Annexe B — Provenance des fichiers" in text
    assert "→ réponse" in text and "Version concurrente — Bruno" in text
    conflict = merged["scenario"]["conflict"]["shown"]
    assert TAG.match(conflict).group(0) in text
    # the footer's page number stays on the footer's line
    assert re.search(r"PI 8.7 · volume consolidé +Page \d+ / \d+", text)
