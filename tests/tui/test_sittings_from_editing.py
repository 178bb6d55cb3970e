"""A sitting is time spent editing an interview, not time it was open on a screen (DESIGN §9,
issue 18): reading a finished interview, settling a conflict, deleting and restoring add no
sitting and no time per question; typing does."""

from __future__ import annotations

from datetime import timedelta

from pi87_field.core import timing
from pi87_field.core.model import Answer, AnswerState, AnswerVersion, InterviewStatus
from pi87_field.core.summary import timing_rows
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.dialogs import ConfirmDialog
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.trash import TrashScreen
from pi87_field.tui.screens.versions import VersionsScreen
from tests.tui.tui_helpers import CASE, FIXED_NOW, begin, type_text, wait_until

QID = "structure.presentation"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self):
        return self.now


def held_interview(store) -> str:
    """An interview held earlier: one sitting of 4 minutes, 4 minutes on the first question."""
    interview = begin(store)
    interview.answers[QID] = Answer(text="Créée en 1990", author="Camille",
                                    updated_at="2019-10-14T08:04:00+00:00")
    start = FIXED_NOW - timedelta(hours=1)
    timing.open_sitting(interview, start)
    timing.record_visit(interview, QID, start, start + timedelta(minutes=4))
    timing.close_sitting(interview, start + timedelta(minutes=4))
    store.save_interview(interview)
    return interview.id


async def open_grid(app, pilot, iid, qid=None) -> InterviewScreen:
    await pilot.pause()
    app.open_project(CASE)
    await pilot.pause()
    app.open_interview(CASE, iid, qid)
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
    return app.screen


def record(store, iid):
    interview = store.get_interview(CASE, iid)
    return (len(timing.sittings(interview)), timing.duration_seconds(interview),
            timing.question_seconds(interview), timing_rows(interview, store.guide_for(interview.guide_id)))


async def test_reading_a_finished_interview_adds_no_sitting(store):
    iid = held_interview(store)
    store.life_cycle.finish(CASE, iid, FIXED_NOW - timedelta(minutes=50))
    before = record(store, iid)
    clock = Clock()
    app = make_app(store, interviewer="Camille", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid)
        clock.now += timedelta(minutes=1)                # reading it for a minute
        await pilot.press("ctrl+n")
        clock.now += timedelta(minutes=1)
        grid.query_one("#elapsed").tick()
        assert "00:04:00" in str(grid.query_one("#elapsed").render())   # the clock does not run
        await pilot.press("escape")
        await wait_until(pilot, lambda: not grid.is_attached)
    assert record(store, iid) == before
    assert before[0] == 1 and before[1] == 240


async def test_settling_a_conflict_adds_no_sitting(store):
    iid = held_interview(store)
    interview = store.get_interview(CASE, iid)
    interview.answers[QID].concurrent = [AnswerVersion(
        text="Créée en 1991", state=AnswerState.ANSWERED, updated_at="2019-10-14T08:10:00+00:00",
        author="Jean", source="jean.docx")]
    store.save_interview(interview)
    before = record(store, iid)
    clock = Clock()
    app = make_app(store, interviewer="Dominique Cheffe", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, QID)
        clock.now += timedelta(minutes=1)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        clock.now += timedelta(seconds=30)
        await pilot.press("enter")                      # keep the concurrent version
        await wait_until(pilot, lambda: app.screen is grid)
        clock.now += timedelta(seconds=20)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not grid.is_attached)
    after = store.get_interview(CASE, iid)
    assert after.answers[QID].text == "Créée en 1991" and after.answers[QID].concurrent == []
    assert record(store, iid) == before


async def test_deleting_and_restoring_adds_no_sitting(store):
    iid = held_interview(store)
    before = record(store, iid)
    clock = Clock()
    app = make_app(store, interviewer="Camille", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot, iid)
        clock.now += timedelta(minutes=1)
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#n-trash").press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        clock.now += timedelta(minutes=1)
        app.open_trash()
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        await pilot.press("enter")                      # restore
        await wait_until(pilot, lambda: iid in [i.id for i in store.list_interviews(CASE)])
    assert record(store, iid) == before


async def test_typing_in_an_interview_in_progress_makes_one_sitting(store):
    iid = held_interview(store)
    clock = Clock()
    app = make_app(store, interviewer="Camille", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot, iid, "structure.effectifs")
        clock.now += timedelta(minutes=2)
        await type_text(pilot, "Formation")
        await wait_until(pilot, lambda: "00:06:00" in str(grid.query_one("#elapsed").render()))
        clock.now += timedelta(minutes=1)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not grid.is_attached)
    interview = store.get_interview(CASE, iid)
    found = timing.sittings(interview)
    assert len(found) == 2                              # the earlier one and this one
    assert found[-1].start == FIXED_NOW and found[-1].end == FIXED_NOW + timedelta(minutes=3)
    assert timing.duration_seconds(interview) == 240 + 180
    assert timing.question_seconds(interview)["structure.effectifs"] == 180
    assert interview.status == InterviewStatus.IN_PROGRESS
