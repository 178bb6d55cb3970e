"""The evaluator's whole interview at the keyboard (issue 11 items 2 to 6): the sheet editable
from the grid, consent withdrawn, postpone/cancel/trash/reopen, what's left and the next
unanswered question, notes, the time inserted, sittings and question times saved, answer states
without F-keys, and typing into a "sans objet" answer."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Checkbox, Input, TextArea

from pi87_field.core import timing
from pi87_field.core.exchange.exporting import project_bundle
from pi87_field.core.model import AnswerState, InterviewStatus
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.dialogs import AskDialog, ConfirmDialog
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.new_interview import IntervieweeRow, NewInterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.state_picker import StatePicker
from pi87_field.tui.screens.trash import TrashScreen
from pi87_field.tui.screens.whats_left import WhatsLeftScreen
from pi87_field.tui.widgets.answer_editor import AnswerEditor
from tests.tui.tui_helpers import CASE, FIXED_NOW, begin, type_text, wait_until


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self):
        return self.now


def started(store):
    interview = begin(store)
    return interview.id


async def open_grid(app, pilot, iid, qid=None) -> InterviewScreen:
    await pilot.pause()
    app.open_project(CASE)
    await pilot.pause()
    app.open_interview(CASE, iid, qid)
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
    return app.screen


async def test_sheet_is_editable_from_the_grid(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "budget.cout")
        await pilot.press("ctrl+t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen) and form.edit
        form.query(IntervieweeRow).first().query(Input).first().value = "Claire Martin"
        await pilot.press("ctrl+n")                     # a person who joined midway
        await pilot.pause()
        await type_text(pilot, "Paul Durand")
        form.query_one("#n-date", Input).value = "15/10/2019"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is grid)
        again = store.get_interview(CASE, iid)
        assert [p.name for p in again.interviewees] == ["Claire Martin", "Paul Durand"]
        assert again.date == date(2019, 10, 15)
        assert "Paul Durand" in str(grid.query_one("#interview-title").render())
        assert grid.current.qid == "budget.cout"        # still on the same question


async def test_withdrawn_consent_locks_the_grid_and_leaves_exports(app, store):
    iid = started(store)
    store.save_answer(CASE, iid, "structure.presentation", "Créée en 1990")
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "structure.presentation")
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#n-consent", Checkbox).value = False
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is grid)
        editor = grid.query_one(AnswerEditor)
        assert editor.read_only
        assert "Consentement retiré" in str(grid.query_one("#answer-state").render())
        await pilot.press("x")
        await pilot.pause()
        assert store.get_interview(CASE, iid).answers["structure.presentation"].text == "Créée en 1990"
        assert iid not in [i.id for i in project_bundle(store, CASE).interviews]


async def test_postpone_cancel_trash_and_restore(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid)
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#n-postpone").press()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await type_text(pilot, "04/11/2019")
        await pilot.press("enter")
        await type_text(pilot, "interlocutrice absente")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is grid)
        moved = store.get_interview(CASE, iid)
        assert moved.date == date(2019, 11, 4) and moved.extra["postponed"][0]["reason"] == "interlocutrice absente"

        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#n-cancel").press()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press("enter")                      # no reason: refused, nothing changes
        await pilot.pause()
        assert store.get_interview(CASE, iid).status == InterviewStatus.IN_PROGRESS
        app.screen.query_one("#n-cancel").press()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await type_text(pilot, "structure fermée")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is grid)
        assert store.get_interview(CASE, iid).status == InterviewStatus.CANCELLED
        assert grid.query_one(AnswerEditor).read_only

        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#n-trash").press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert iid not in [i.id for i in store.list_interviews(CASE)]
        # the grid underneath saw its interview leave: no false "Entretien illisible" (issue 18)
        assert [n.title for n in app._notifications if n.title == "Entretien illisible"] == []
        app.open_trash()
        await pilot.pause()
        assert isinstance(app.screen, TrashScreen)
        await pilot.press("enter")                      # restore
        await pilot.pause()
        assert iid in [i.id for i in store.list_interviews(CASE)]
        assert store.trash.items() == []


async def test_whats_left_by_section_jumps_and_reopens(app, store):
    iid = started(store)
    store.save_answer(CASE, iid, "structure.presentation", "Créée en 1990")
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "structure.presentation")
        total = sum(1 for s in grid.slots if s.section_index)
        await pilot.press("ctrl+j")                     # next question without an answer
        await pilot.pause()
        assert grid.current.qid == grid.missing_slots()[0].qid != "structure.presentation"
        await pilot.press("ctrl+l")
        await pilot.pause()
        left = app.screen
        assert isinstance(left, WhatsLeftScreen)
        assert len(left.missing) == total - 1
        title = str(left.query_one(".dialog-title").render())
        assert f"{total - 1} questions sans réponse" in title
        await pilot.press("down", "enter")              # the second missing question
        await pilot.pause()
        assert app.screen is grid and grid.current.qid == left.missing[1].qid
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("t")                          # questions are left: asked first (issue 20)
        await pilot.pause()
        left = app.screen
        assert isinstance(left, WhatsLeftScreen)
        assert f"Terminer avec {total - 1} questions sans réponse ?" in str(left.query_one("#left-hint").render())
        assert store.get_interview(CASE, iid).status != InterviewStatus.COMPLETE
        await pilot.press("escape")                     # no: still open, still on what's left
        await pilot.pause()
        assert app.screen is left and "t : terminer" in str(left.query_one("#left-hint").render())
        await pilot.press("t", "t")                     # yes
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert store.get_interview(CASE, iid).status == InterviewStatus.COMPLETE

        app.open_interview(CASE, iid)                   # reopen a finished interview
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
        grid = app.screen
        assert grid.query_one(AnswerEditor).read_only
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert store.get_interview(CASE, iid).status == InterviewStatus.IN_PROGRESS
        assert not grid.query_one(AnswerEditor).read_only


async def test_notes_and_inserted_time_are_saved(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "structure.presentation")
        await pilot.press("ctrl+d")                     # the time into the answer
        await type_text(pilot, "début")
        await pilot.press("ctrl+o")                     # the notes pane
        await pilot.pause()
        notes = grid.query_one("#notes-editor", TextArea)
        assert notes.display and notes.has_focus
        await pilot.press("ctrl+d")
        await type_text(pilot, "demander le bilan 2018")
        await pilot.press("ctrl+o")                     # back to the answer, notes saved
        await pilot.pause()
        assert grid.query_one(AnswerEditor).has_focus
        await pilot.press("escape")
        await pilot.pause()
        again = store.get_interview(CASE, iid)
        assert again.notes == "[10:05] demander le bilan 2018"
        assert again.answers["structure.presentation"].text == "[10:05] début"


async def test_sittings_and_question_times_are_recorded(store):
    iid = started(store)
    clock = Clock()
    app = make_app(store, interviewer="Camille", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "structure.presentation")
        await type_text(pilot, "Créée en 1990")         # a sitting is time spent editing
        await pilot.press("ctrl+s")
        clock.now += timedelta(minutes=3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        clock.now += timedelta(minutes=2)
        await pilot.press("escape")
        await pilot.pause()
        assert not grid.is_attached
    again = store.get_interview(CASE, iid)
    assert timing.started_at(again) == FIXED_NOW
    assert timing.ended_at(again) == FIXED_NOW + timedelta(minutes=5)
    assert timing.duration_seconds(again) == 300
    seconds = timing.question_seconds(again)
    assert seconds["structure.presentation"] == 180 and sum(seconds.values()) == 300

    clock.now += timedelta(hours=1)                     # a second sitting: the clock goes on
    app = make_app(store, interviewer="Camille", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid)
        assert "00:05:00" in str(grid.query_one("#elapsed").render())
        await type_text(pilot, "Cinq salariés")
        await pilot.press("ctrl+s")
        clock.now += timedelta(minutes=1)
        await pilot.press("ctrl+q")
    assert timing.duration_seconds(store.get_interview(CASE, iid)) == 360


async def test_typing_into_a_not_applicable_answer_keeps_it_with_its_justification(app, store):
    # issue 20: "sans objet" then a justification stays "sans objet" (tests/tui/test_answer_states.py)
    iid = started(store)
    store.save_answer(CASE, iid, "structure.presentation", "", state=AnswerState.NOT_APPLICABLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot, iid, "structure.presentation")
        await type_text(pilot, "Pas concerné")
        await pilot.press("ctrl+s")
        await pilot.pause()
        answer = store.get_interview(CASE, iid).answers["structure.presentation"]
        assert answer.state == AnswerState.NOT_APPLICABLE and answer.text == "Pas concerné"

async def test_states_without_f_keys(app, store):
    iid = started(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot, iid, "structure.presentation")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, StatePicker)
        await pilot.press("4")
        await pilot.pause()
        assert store.get_interview(CASE, iid).answers["structure.presentation"].state == AnswerState.DECLINED
