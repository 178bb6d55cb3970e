"""Answer states in the interview screen (issue 20): "à compléter" (`to_complete`) settable with
ctrl+e, shown in the tree, counted in what's left and not in progress, written in the write-up;
a justification typed into "sans objet" keeps "sans objet" (and says so); a conflicted answer is
marked as such in the tree, not ✓."""

from __future__ import annotations

from docx import Document
from textual import events

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.model import AnswerState
from pi87_field.core.summary import interview_progress
from pi87_field.tui.screens.state_picker import StatePicker
from pi87_field.tui.screens.whats_left import WhatsLeftScreen
from pi87_field.tui.widgets.navigator import QuestionNavigator
from pi87_field.tui.screens.interview import InterviewScreen
from tests.tui.tui_helpers import CASE, begin, type_text, wait_until

Q = "structure.presentation"


def started(store) -> str:
    return begin(store).id


async def open_grid(app, pilot, iid, qid=None) -> InterviewScreen:
    await pilot.pause()
    app.open_project(CASE)
    await pilot.pause()
    app.open_interview(CASE, iid, qid)
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
    return app.screen


def tree_label(screen, qid: str) -> str:
    return str(screen.query_one(QuestionNavigator)._question_nodes[qid].label)


async def test_to_complete_is_set_shown_counted_and_written(app, store, tmp_path):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, Q)
        await type_text(pilot, "Structure créée en 1990, chiffres à reprendre")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, StatePicker))
        await pilot.press("2")
        await wait_until(pilot, lambda: store.get_interview(CASE, iid).answers[Q].state == AnswerState.TO_COMPLETE)
        assert tree_label(grid, Q).startswith("◐")
        assert "à compléter" in str(grid.query_one("#answer-state").render())
        await type_text(pilot, " (voir enregistrement)")       # more text: still to complete
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "enregistrement" in store.get_interview(CASE, iid).answers[Q].text)
        assert store.get_interview(CASE, iid).answers[Q].state == AnswerState.TO_COMPLETE
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, WhatsLeftScreen))
        left = app.screen
        assert Q in [s.qid for s in left.missing]
        assert "1 à compléter" in str(left.query_one(".dialog-title").render())
        await pilot.press("escape")
    interview = store.get_interview(CASE, iid)
    done, _total = interview_progress(interview, store.guide_for(interview.guide_id))
    assert done == 0
    path = export_project(store, CASE, tmp_path)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "[à compléter]" in texts and any(t.startswith("Structure créée en 1990") for t in texts)


async def test_f6_sets_to_complete_from_inside_the_answer(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, Q)
        await type_text(pilot, "Chiffres à reprendre")
        assert grid.editor.has_focus
        await pilot.press("f6")
        await wait_until(pilot, lambda: Q in store.get_interview(CASE, iid).answers
                         and store.get_interview(CASE, iid).answers[Q].state == AnswerState.TO_COMPLETE)
        assert store.get_interview(CASE, iid).answers[Q].text == "Chiffres à reprendre"


async def test_a_justification_keeps_sans_objet(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, Q)
        await pilot.press("f5")
        await wait_until(pilot, lambda: Q in store.get_interview(CASE, iid).answers)
        await type_text(pilot, "Pas de salariés : structure bénévole")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "bénévole" in store.get_interview(CASE, iid).answers[Q].text)
        assert store.get_interview(CASE, iid).answers[Q].state == AnswerState.NOT_APPLICABLE
        assert tree_label(grid, Q).startswith("∅")
        assert any("« sans objet » est conservé" in n.message for n in app._notifications)


async def test_text_typed_into_non_aborde_is_an_answer(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot, iid, Q)
        await pilot.press("f3")
        await wait_until(pilot, lambda: Q in store.get_interview(CASE, iid).answers)
        await type_text(pilot, "Finalement abordée")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "abordée" in store.get_interview(CASE, iid).answers[Q].text)
        assert store.get_interview(CASE, iid).answers[Q].state == AnswerState.ANSWERED


async def test_a_conflicted_answer_is_marked_in_the_tree(app, store):
    iid = started(store)
    store.save_answer(CASE, iid, Q, "Version A")
    base = store.get_interview(CASE, iid).answers[Q].rev
    store.save_answer(CASE, iid, Q, "Version A, complétée ici")
    store.save_answer_checked(CASE, iid, Q, "Version B venue d'ailleurs", author="Autre", base_rev=base)
    assert store.get_interview(CASE, iid).answers[Q].concurrent
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, Q)
        assert tree_label(grid, Q).startswith("⚠")


async def test_french_spaces_are_no_break_as_one_types(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot, iid, Q)
        for char in "Il dit « oui » : 55 % !":     # as a keyboard sends them (« has no key name)
            app.post_message(events.Key("space" if char == " " else char, char))
        await wait_until(pilot, lambda: app.screen.editor.text.endswith("!"))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Q in store.get_interview(CASE, iid).answers)
    nb = "\u00a0"
    assert store.get_interview(CASE, iid).answers[Q].text == f"Il dit «{nb}oui{nb}»{nb}: 55{nb}%{nb}!"
