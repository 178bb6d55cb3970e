"""Judgement and summary conflicts appear in the volume and the workbook (issue 18): two leads
rate the same evaluative question and summarise the same cell differently; after one imports the
other's synthesis, the volume shows both versions beside the judgement and in the conflicts
annex, and the workbook lists them."""

from __future__ import annotations

import docx
import openpyxl

from pi87_field.core.exchange.importing import import_files
from pi87_field.core.merge.pipeline import volume_from_store
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace
from pi87_field.core.synthesis.exchange import write_synthesis_file

AUX = "ec02-mef-auxerrois"
QID = "suites.specificites"


def document_text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_judgement_and_summary_conflicts_are_in_the_volume_and_the_workbook(tmp_path):
    leads = []
    for name in ("a", "b"):
        store = ProjectStore.open(tmp_path / name)
        ws = Workspace(store)
        iid = ws.interviews(AUX)[0].id
        store.save_answer(AUX, iid, QID, "Les demandeurs d'emploi recueillent les besoins.", author="Évaluatrice")
        ws.refresh()
        leads.append(ws)
    a, b = leads
    a.synthesis.save_judgement("efficacite", "++", "Version de la cheffe A : objectifs atteints.", author="Alice")
    a.synthesis.save_summary(AUX, QID, "Synthèse d'Alice sur la cellule.", author="Alice")
    b.synthesis.save_judgement("efficacite", "+", "Version du chef B : objectifs en partie atteints.", author="Bruno")
    b.synthesis.save_summary(AUX, QID, "Synthèse de Bruno sur la cellule.", author="Bruno")
    exported = tmp_path / "synthese-a.json"
    write_synthesis_file(a, exported)
    report = import_files(b.store, [exported])
    assert not report.errors and report.conflicts
    out, xlsx = tmp_path / "volume.docx", tmp_path / "analyse.xlsx"
    content = volume_from_store(b.store, out, xlsx)
    kinds = {c.kind for c in content.synthesis.lead_conflicts}
    assert {"jugement", "synthèse de cellule"} <= kinds

    text = document_text(out)
    judgement_at = text.index("Version du chef B")
    beside = text[judgement_at - 200:judgement_at + 600]
    assert "Version de la cheffe A" in beside and "Conflit" in beside          # beside the judgement
    annex = text[text.rindex("Annexe A — Conflits"):]
    assert "Version de la cheffe A" in annex and "Version du chef B" in annex
    assert "Synthèse d'Alice" in annex and "Synthèse de Bruno" in annex
    assert "Alice" in annex and "Bruno" in annex

    workbook = openpyxl.load_workbook(xlsx, read_only=True)
    cells = [str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    joined = "\n".join(cells)
    assert "Version de la cheffe A" in joined and "Synthèse d'Alice" in joined
    for ws in leads:
        ws.store.close()
