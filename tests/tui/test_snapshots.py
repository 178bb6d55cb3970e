"""Snapshots of the three main screens at 80x24 (fixed data, fixed clock).

Update after an intended change: pytest tests/tui/test_snapshots.py --snapshot-update"""

from __future__ import annotations

from datetime import date

from pi87_field.core.model import AnswerState, Interviewee, InterviewMode, InterviewStatus
from pi87_field.tui.app import make_app
from tests.tui.tui_helpers import fixed_clock, steady_cursors, wait_until

CASE = "ec05-ml-lunevillois"


def fill(store) -> str:
    """One interview under way, with every kind of mark."""
    interview = store.list_interviews(CASE)[0]
    interview.interviewees = [Interviewee("Claire Martin", "Directrice", "Mission locale du Lunévillois")]
    interview.interviewer = "Camille"
    interview.date = date(2019, 10, 14)
    interview.mode = InterviewMode.ON_SITE
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.save_answer(CASE, interview.id, "structure.presentation",
                      "Mission locale créée en 1990 ; 35 salariés, 2 400 jeunes accompagnés par an.")
    store.save_answer(CASE, interview.id, "structure.effectifs", "", state=AnswerState.NOT_ASKED)
    store.save_answer(CASE, interview.id, "structure.publics", "", state=AnswerState.DECLINED)
    store.save_answer(CASE, interview.id, "structure.mobilisation-fse", "", state=AnswerState.NOT_APPLICABLE)
    store.save_answer(CASE, interview.id, "effets.notables",
                      "Sur les publics : retour à l'emploi plus rapide.\nSur la structure : nouvelles "
                      "relations avec les agences d'intérim. 🙂")
    return interview.id


def test_home_screen(snap_compare, store):
    fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await wait_until(pilot, lambda: app.screen.progress)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_project_screen(snap_compare, store):
    fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.press(*"lunev", "enter")
        await pilot.pause()
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_interview_screen(snap_compare, store):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        app.open_interview(CASE, iid, "effets.notables")
        await pilot.pause()
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


async def notes_ready(app, pilot, iid) -> None:
    """The interview on its answered question, the notes pane open with two timed notes."""
    app.store.life_cycle.save_notes(CASE, iid, "[10:02] Rapport d'activité 2018 à demander.\n"
                                    "[10:04] Rappeler la directrice pour les chiffres d'intérim.")
    app.open_interview(CASE, iid, "effets.notables")
    await wait_until(pilot, lambda: getattr(app.screen, "current", None) is not None)
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: getattr(app.screen.focused, "id", None) == "notes-editor")
    await pilot.pause()


async def left_ready(app, pilot, iid) -> None:
    """What's left before finishing: the unanswered questions by section."""
    app.open_interview(CASE, iid, "effets.notables")
    await pilot.pause()
    await pilot.press("ctrl+l")
    await pilot.pause()


def test_interview_screen_with_notes(snap_compare, store):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        await notes_ready(app, pilot, iid)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_whats_left(snap_compare, store):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        await left_ready(app, pilot, iid)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
