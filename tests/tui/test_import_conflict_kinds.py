"""The TUI's import summary says where each kind of conflict is settled (issue 16 item 3): a
conflict on the interview's sheet is not sent to "ctrl+r sur la question"."""

from __future__ import annotations

from pathlib import Path

from pi87_field.core.exchange.importing import FileResult, ImportReport
from pi87_field.core.exchange.reconcile import Change, Outcome
from pi87_field.tui.screens.import_files import conflict_lines

CASE = "ec05-ml-lunevillois"


def test_a_fact_conflict_is_settled_on_the_sheet_not_on_a_question(make_store):
    store = make_store()
    interview = store.list_interviews(CASE)[0]
    report = ImportReport([FileResult(Path("b.json"), CASE, [
        Change(Outcome.CONFLICT, CASE, interview.id, fact="mode",
               detail="fiche de l'entretien, mode : « téléphone » gardé, « visio » (b.json) conservé à côté"),
        Change(Outcome.CONFLICT, CASE, interview.id, "structure.presentation"),
    ])])
    text = conflict_lines(store, report)
    answers, facts = text.split("Fiches en conflit")
    assert "Réponses en conflit" in answers and "ctrl+r sur la question" in answers
    assert "ctrl+r" not in facts and "ctrl+t" in facts and "mode : « téléphone » gardé" in facts
