"""Snapshots of the main screens at 80x24 and 120x40 (fixed data, fixed clock): home, project,
interview (notes closed and open), what's left, a conflict. Looked at for cut words.

Update after an intended change: pytest tests/tui/test_snapshots.py --snapshot-update"""

from __future__ import annotations

from datetime import date

import pytest

from pi87_field.core.model import Answer, AnswerState, AnswerVersion, Interviewee, InterviewMode, InterviewStatus
from pi87_field.tui.app import make_app
from tests.tui.tui_helpers import fixed_clock, steady_cursors, wait_until

CASE = "ec05-ml-lunevillois"
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


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
    store.save_answer(CASE, interview.id, "projet.description", "Atout Emploi depuis 2015 ; chiffres à reprendre "
                      "de l'enregistrement.", state=AnswerState.TO_COMPLETE)
    store.save_answer(CASE, interview.id, "effets.notables",
                      "Sur les publics : retour à l'emploi plus rapide.\nSur la structure : nouvelles "
                      "relations avec les agences d'intérim. 🙂")
    return interview.id


@SIZES
def test_home_screen(snap_compare, store, size):
    fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await wait_until(pilot, lambda: app.screen.progress)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_project_screen(snap_compare, store, size):
    fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.press(*"lunev", "enter")
        await pilot.pause()
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_interview_screen(snap_compare, store, size):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        app.open_interview(CASE, iid, "effets.notables")
        await pilot.pause()
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


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


@SIZES
def test_interview_screen_with_notes(snap_compare, store, size):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        await notes_ready(app, pilot, iid)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_whats_left(snap_compare, store, size):
    iid = fill(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await pilot.pause()
        await left_ready(app, pilot, iid)
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@SIZES
def test_conflict(snap_compare, store, size, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")   # French local time, any machine
    time.tzset()
    iid = fill(store)
    qid = "budget.cout"      # no earlier revision: no history line with today's date
    interview = store.get_interview(CASE, iid)
    interview.answers[qid] = Answer(
        text="Mission locale créée en 1990 ; 35 salariés, 2 400 jeunes accompagnés par an. Antennes à Baccarat "
             "et Blâmont.", author="Camille", updated_at="2019-10-14T10:05:00+02:00",
        concurrent=[AnswerVersion(text="Mission locale créée en 1990 ; 35 salariés, 2 400 jeunes accompagnés par "
                                       "an. Antenne à Baccarat seulement.", state=AnswerState.ANSWERED,
                                  updated_at="2019-10-15T09:00:00+02:00", author="Jean", source="jean.docx")])
    store.save_interview(interview)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        # the dialog alone, over the home screen: the grid under it redraws in its own time
        from pi87_field.tui.screens.versions import VersionsScreen

        from pi87_field.tui.widgets.field_footer import FieldFooter

        # the home's figures and its footer's keys drawn before the dialog covers them
        await wait_until(pilot, lambda: app.screen.progress and app.screen.query_one(FieldFooter).children)
        answer = store.get_interview(CASE, iid).answers[qid]
        app.push_screen(VersionsScreen("Lunévillois · Atout Emploi · Claire Martin — 14/10/2019 · 3.1",
                                       CASE, iid, qid, answer, store.answer_history(CASE, iid, qid)))
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        steady_cursors(app)
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=ready)
    finally:
        monkeypatch.undo()
        time.tzset()
