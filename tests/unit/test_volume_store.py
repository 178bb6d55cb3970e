"""`pi87-field volume`: the volume and the workbook built from the team lead's store, read back
with python-docx AND docx2python (an independent reader), the workbook with openpyxl.

The store holds the campaign, the three-evaluator scenario imported (one conflict) and a
synthesis: five judgements with their ratings, cited passages (one of them stale), one cell
summary "à revoir"."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime

import docx
import openpyxl
import pytest
from docx2python import docx2python

from pi87_field.core.errors import FieldError
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.merge.content import Evidence, from_store
from pi87_field.core.merge.pipeline import volume_from_store
from pi87_field.core.merge.volume import STALE, SUMMARY_LABEL, build_volume
from pi87_field.core.merge.workbook import build_workbook
from pi87_field.core.model import AnswerState
from pi87_field.core.store import ProjectStore
from tests.support.merge_bundles import CONFLICT_QID, SHARED_PROJECT, three_evaluators

# §1.3 / §4.1 of the report: the framework's questions, and the rating the test gives each
RATINGS = {"Pertinence": "++", "Efficacité / impact": "+", "Efficience (et mise en œuvre)": "++",
           "Cohérence interne et externe": "+++", "Innovation": "+"}
STALE_QID = "projet.description"            # its answer is rewritten after pinning: "preuve modifiée"
SUMMARY_QID = "structure.effectifs"         # summarised, then an answer changes: "à revoir"


def _synthesis(store: ProjectStore) -> None:
    """The lead's synthesis, in the store: five judgements citing answers of the ec01 chapter's
    first interview (the grid questions the framework maps to each), one summary; then one cited
    answer and one summarised answer change, as when an evaluator's correction comes in later."""
    from pi87_field.core.synthesis import Workspace

    ws = Workspace(store)
    first = sorted((i for i in ws.interviews("ec01-commun") if i.answers), key=lambda i: i.date)[0]
    for eq, rating in zip(ws.framework.questions, RATINGS.values()):
        qids = [q for q in eq.mapped_ids if q in first.answers][:3]
        for qid in qids:
            ws.synthesis.pin_evidence("ec01-commun", first.id, qid, first.answers[qid].text,
                                      supports=[eq.id], tags=[f"tag-{eq.id}"], author="Lead")
        ws.synthesis.save_judgement(eq.id, rating, f"Explication du niveau {rating} pour {eq.registre}.",
                                    author="Lead")
    ws.synthesis.save_summary("ec01-commun", SUMMARY_QID, "Synthèse : effectifs stables dans les trois entretiens.",
                              author="Lead")
    _rewrite(store, first.id, STALE_QID, "Réponse réécrite depuis, sans le passage cité.")
    second = sorted((i for i in ws.interviews("ec01-commun") if i.answers), key=lambda i: i.date)[1]
    _rewrite(store, second.id, SUMMARY_QID, "Effectifs revus à la hausse.")


def _rewrite(store, interview_id: str, qid: str, text: str) -> None:
    """Alice changes an answer of a finished interview: she reopens it (the store refuses answers
    to a finished interview), saves, finishes again."""
    finished = store.get_interview("ec01-commun", interview_id).status.value == "complete"
    now = datetime.now(UTC)
    if finished:
        store.life_cycle.reopen("ec01-commun", interview_id, now)
    store.save_answer_checked("ec01-commun", interview_id, qid, text, author="Alice")
    if finished:
        store.life_cycle.finish("ec01-commun", interview_id, now)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("volume-store")
    (folder / "recus").mkdir()
    scenario = three_evaluators(folder / "recus")
    store = ProjectStore.open(folder / "data")
    report = import_files(store, scenario["paths"])
    assert report.ok
    _synthesis(store)
    content = from_store(store)
    assert content.synthesis is not None
    out, xlsx = folder / "volume.docx", folder / "classeur.xlsx"
    out.write_bytes(build_volume(content))
    xlsx.write_bytes(build_workbook(content))
    interviews = {p.id: store.list_interviews(p.id) for p in store.list_projects()}
    store.close()
    with docx2python(str(out)) as reader:
        text2 = reader.text
    return {"scenario": scenario, "content": content, "out": out, "xlsx": xlsx, "interviews": interviews,
            "docx": docx.Document(str(out)), "text2": text2, "folder": folder}


def _heading_index(document, title: str) -> int:
    """Index of the Heading 1 paragraph `title` (not its table-of-contents entry)."""
    [k] = [k for k, p in enumerate(document.paragraphs) if p.text == title and p.style.name == "Heading 1"]
    return k


def _paragraph_texts(document) -> list[str]:
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def test_every_answer_in_full_in_its_chapter_and_in_the_matrix_both_readers(built):
    document = built["docx"]
    body = "\n".join(_paragraph_texts(document))
    text2 = built["text2"]
    summarised = {("ec01-commun", "structure.effectifs")}
    count = 0
    for pid, interviews in built["interviews"].items():
        for interview in interviews:
            for qid, answer in interview.answers.items():
                if not answer.text:
                    continue
                count += 1
                # chapter + matrix (or, where the lead summarised the cell, chapter + summary)
                expected = 1 if (pid, qid) in summarised else 2
                assert body.count(answer.text) >= expected, (pid, qid)
                assert text2.count(answer.text) >= expected, (pid, qid)
                for version in answer.concurrent:
                    assert body.count(version.text) >= 2 and text2.count(version.text) >= 2
    assert count == 70       # the scenario's 71 texts, one of them a concurrent version
    assert body.count("Synthèse : effectifs stables dans les trois entretiens.") == 1
    assert SUMMARY_LABEL in body and "⚠ à revoir" in body


def test_the_five_judgement_tables_with_their_ratings(built):
    """The report's §4.1 table: a row Registre | Question évaluative, a row Niveau d'atteinte |
    Explications, the explanation in the wide column."""
    tables = [t for t in built["docx"].tables
              if [c.text for c in t.rows[0].cells] == ["Registre", "Question évaluative"]]
    assert len(tables) == 5
    for table, (registre, rating) in zip(tables, RATINGS.items()):
        assert [c.text for c in table.rows[2].cells] == ["Niveau d’atteinte", "Explications"]
        assert table.rows[1].cells[0].text == registre
        row = [c.text for c in table.rows[3].cells]
        assert row[0] == rating          # the report's own scale, nothing added
        assert row[1] == f"Explication du niveau {rating} pour {registre}."
        assert table.columns[1].width > 3 * table.columns[0].width
    headings = [p.text for p in built["docx"].paragraphs if p.style.name == "Heading 3"]
    assert [h for h in headings if h.startswith("Question évaluative")] == [
        f"Question évaluative {n} — {r}" for n, r in enumerate(RATINGS, start=1)]


def test_every_cited_passage_with_its_source_and_stale_flag(built):
    paragraphs = built["docx"].paragraphs
    texts = [p.text for p in paragraphs]
    xml = zipfile.ZipFile(built["out"]).read("word/document.xml").decode()
    for judgement in built["content"].synthesis.judgements:
        for e in judgement.evidence:
            k = texts.index(e.quote)
            source = texts[k + 1]
            assert source.startswith("Source : Porteur 1 – Mission locale · E1 · Directrice, Structure 1 · "), source
            assert source.endswith("→ réponse") and "question " in source
            assert texts[k + 2] == "Étiquettes : " + ", ".join(e.tags)
            assert (f"⚠ {STALE}" in texts[k - 1]) == e.stale
            assert f'w:anchor="{_bookmark(e)}"' in xml and f'w:name="{_bookmark(e)}"' in xml
    assert sum(f"⚠ {STALE}" in t for t in texts) == 1
    assert f"⚠ {STALE}" in built["text2"]


def _bookmark(e: Evidence) -> str:
    from pi87_field.core.word.format import answer_bookmark

    return answer_bookmark(e.interview_id, e.question_id)


def test_the_conflict_shows_both_versions(built):
    conflict = built["scenario"]["conflict"]
    text2 = built["text2"]
    # matrix, chapter, annex A: each shows both versions
    assert text2.count(conflict["shown"]) >= 3 and text2.count(conflict["other"]) >= 3
    assert "⚠ Conflit : 2 versions" in text2


def test_coverage_lists_cases_without_a_write_up_and_mapped_questions_left_aside(built):
    document = built["docx"]
    texts = [p.text for p in document.paragraphs]
    annex = texts[_heading_index(document, "Annexe C — Couverture"):]
    # campaign case studies the store holds only as planned interviews
    missing = [[c.text for c in r.cells] for t in document.tables for r in t.rows
               if r.cells[0].text.startswith("Étude de cas « ")]
    assert ["Étude de cas « Lunévillois · Atout Emploi »", "aucune réponse enregistrée"] in missing
    # a planned interview with no answer: one line, not an empty table
    assert any(t.startswith("7. Lunévillois · Atout Emploi — E1 · Mission locale du Lunévillois — date à fixer")
               for t in annex)
    assert "Entretien 1 — Mission locale du Lunévillois — date à fixer : prévu, aucune réponse enregistrée." in texts
    # Alice left budget.cout "non abordé" and declined budget.connaissance-pi87 (interview 2 of ec01)
    assert "Pertinence : 1 réponse « non abordé » ou refusée pour 6 questions rattachées" in annex
    assert "Efficience (et mise en œuvre) : 1 réponse « non abordé » ou refusée pour 6 questions rattachées" in annex


def test_workbook_every_answer_in_full_in_the_matrix_sheet(built):
    wb = openpyxl.load_workbook(built["xlsx"])
    assert wb.sheetnames == ["Matrice", "Extraits", "Jugements", "Conclusions", "Préconisations", "Sources",
                             "Couverture"]
    matrix = wb["Matrice"]
    assert matrix.freeze_panes == "A2" and matrix.auto_filter.ref.startswith("A1:")
    assert all(c.alignment.wrap_text for c in next(matrix.iter_rows(min_row=2, max_row=2)))
    cells = "\n".join(str(v) for row in matrix.iter_rows(values_only=True) for v in row if v)
    for pid, interviews in built["interviews"].items():
        for interview in interviews:
            for qid, answer in interview.answers.items():
                if answer.text and (pid, qid) != ("ec01-commun", "structure.effectifs"):
                    assert answer.text in cells, (pid, qid)
    assert "Synthèse : effectifs stables dans les trois entretiens." in cells
    head = [c.value for c in matrix[1]]
    assert head[:5] == ["N°", "Question", "Sous-points", "Section", "Grille"]
    first = [c.value for c in matrix[2]]
    assert first[0] == "1.1" and first[1] == "1.1. Présentation de la structure"
    extracts = list(wb["Extraits"].iter_rows(values_only=True))
    assert len(extracts) == 1 + 15
    assert sum(1 for r in extracts[1:] if r[7] == "oui") == 1
    judgements = list(wb["Jugements"].iter_rows(values_only=True))
    assert [(r[0], r[2]) for r in judgements[1:]] == list(RATINGS.items())
    coverage = [r[1] for r in wb["Couverture"].iter_rows(values_only=True)]
    assert "Étude de cas « Lunévillois · Atout Emploi »" in coverage


def test_a_cell_longer_than_excel_allows_continues_on_the_next_row(tmp_path):
    from tests.support.merge_bundles import full_case_bundle, write_bundle

    bundle = full_case_bundle("ec09-long", 9, "Alice", interviews=1, answer_chars=80)
    long = bundle.interviews[0].answers["structure.presentation"]
    long.text = "début " + "x" * 70_000 + " fin"
    store = ProjectStore.open(tmp_path / "data", seed=False)
    import_files(store, [write_bundle(bundle, tmp_path / "b.json")])
    data = build_workbook(from_store(store))
    store.close()
    (tmp_path / "w.xlsx").write_bytes(data)
    rows = list(openpyxl.load_workbook(tmp_path / "w.xlsx")["Matrice"].iter_rows(values_only=True))
    pieces = [r[5] for r in rows if r[1] and r[1].startswith("1.1. ")]
    assert len(pieces) == 3 and rows[2][1].endswith("(suite)")
    assert "".join(pieces) == "E1 : " + long.text


def test_volume_command_path_writes_both_files_atomically(built, tmp_path):
    store = ProjectStore.open(built["folder"] / "data", writer=False)
    steps: list[tuple[str, int, int]] = []
    try:
        content = volume_from_store(store, tmp_path / "v.docx", tmp_path / "v.xlsx",
                                    progress=lambda *a: steps.append(a))
    finally:
        store.close()
    assert (tmp_path / "v.docx").is_file() and (tmp_path / "v.xlsx").is_file()
    assert steps[-1][0] == "Volume" and steps[-1][1] == steps[-1][2] == len(content.cases)
    with pytest.raises(FieldError, match="Le classeur doit être un fichier .xlsx"):
        store = ProjectStore.open(built["folder"] / "data", writer=False)
        try:
            volume_from_store(store, tmp_path / "x.docx", tmp_path / "x.docx")
        finally:
            store.close()


def test_answers_left_aside_are_labelled_the_same_way_everywhere(built):
    """"[sans réponse]", "[non abordé]": the write-up's own labels, never "—" or a bare word."""
    text2 = built["text2"]
    assert "[non abordé]" in text2 and "[refus de répondre]" in text2 and "[sans réponse]" in text2
    assert not re.search(r"(?m)^(sans réponse|non abordé)$", text2)
    assert AnswerState.NOT_ASKED.label == "non abordé"


def test_conflict_question_is_in_annex_a(built):
    document = built["docx"]
    texts = [p.text for p in document.paragraphs]
    annex = texts[_heading_index(document, "Annexe A — Conflits"):_heading_index(document, "Annexe B — Provenance des fichiers")]
    [line] = [t for t in annex if "Présentation de la structure" in t]
    assert line.startswith("4. Porteur 2 – Mission locale — E1 (Structure 1 — 01/10/2019) — 1.1. ")
    content = built["content"]
    case = content.case_of(SHARED_PROJECT)
    assert case is not None and any(CONFLICT_QID in i.answers and i.answers[CONFLICT_QID].concurrent
                                    for i in case.interviews)


def test_pseudonymised_volume_and_workbook_use_the_store_register(built, tmp_path):
    """`volume --pseudonymise`: both files get their own names, every page says so, no evaluator's
    name is left in the text, in the workbook or in the provenance annex."""
    store = ProjectStore.open(built["folder"] / "data")
    try:
        content = volume_from_store(store, tmp_path / "v.docx", tmp_path / "v.xlsx", pseudonymise=True)
    finally:
        store.close()
    assert content.out_docx == tmp_path / "v.pseudonymise.docx" and content.out_xlsx == tmp_path / "v.pseudonymise.xlsx"
    assert not (tmp_path / "v.docx").exists()
    with docx2python(str(content.out_docx)) as reader:
        text = reader.text
    cells = "\n".join(str(v) for ws in openpyxl.load_workbook(content.out_xlsx).worksheets
                      for row in ws.iter_rows(values_only=True) for v in row if v)
    # (the fixture's answer tags "[Alice|ec01…]" are markers of this test, not text: left aside)
    text, cells = re.sub(r"\[[^\]]*\|[^\]]*\]", "", text), re.sub(r"\[[^\]]*\|[^\]]*\]", "", cells)
    for name in ("Alice", "Bruno", "Chloé"):
        assert name not in text and name not in cells, name
    assert "Volume pseudonymisé." in text
    assert docx.Document(str(content.out_docx)).sections[0].footer.paragraphs[0].text.startswith(
        "PI 8.7 · volume consolidé · PSEUDONYMISÉ")


def test_same_named_files_from_two_evaluators_are_two_provenance_rows(tmp_path):
    """Two evaluators send "compte-rendu.json": the annex tells them apart (evaluator, SHA-256)."""
    from tests.support.merge_bundles import full_case_bundle, write_bundle

    (tmp_path / "alice").mkdir()
    (tmp_path / "bruno").mkdir()
    a = write_bundle(full_case_bundle("ec11-a", 11, "Alice", interviews=1, answer_chars=60), tmp_path / "alice" / "compte-rendu.json")
    b = write_bundle(full_case_bundle("ec12-b", 12, "Bruno", interviews=1, answer_chars=60), tmp_path / "bruno" / "compte-rendu.json")
    store = ProjectStore.open(tmp_path / "data", seed=False)
    try:
        import_files(store, [a, b])
        import_files(store, [a])                                  # the same bytes again: not a new row
        out = tmp_path / "v.docx"
        volume_from_store(store, out)
    finally:
        store.close()
    document = docx.Document(str(out))
    [table] = [t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["Fichier", "Statut", "Évaluateur"]]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 2
    assert [r[0].split("\n")[0] for r in rows] == ["compte-rendu.json (même nom)"] * 2
    assert sorted(r[2] for r in rows) == ["Alice", "Bruno"]
    assert rows[0][4].replace("\n", "") != rows[1][4].replace("\n", "") and all(len(r[4].replace("\n", "")) == 64 for r in rows)


def test_cover_counts_only_the_files_that_brought_data_and_says_so(store, tmp_path):
    """Importing the same write-up twice (and its JSON twin) logs one file: the cover must not call
    that count the files received."""
    import docx

    from pi87_field.core.exchange.exporting import export_project
    from pi87_field.core.exchange.importing import import_files

    other_root = tmp_path / "other"
    other = ProjectStore.open(other_root)
    pid = other.list_projects()[0].id
    iid = other.list_interviews(pid)[0].id
    interview = other.get_interview(pid, iid)
    interview.consent = True
    other.save_interview(interview)
    other.save_answer(pid, iid, "structure.presentation", "Texte de l'évaluatrice", author="Alice")
    word = export_project(other, pid, tmp_path / "x", "docx")
    twin = export_project(other, pid, tmp_path / "x", "json")
    other.close()
    import_files(store, [word, twin, word])
    out = tmp_path / "v.docx"
    volume_from_store(store, out)
    cover = "\n".join(c.text for t in docx.Document(str(out)).tables[:2] for r in t.rows for c in r.cells)
    assert "Fichiers ayant apporté des données" in cover and "Fichiers reçus" not in cover
    assert "1 (un fichier dont tout était déjà connu" in cover
