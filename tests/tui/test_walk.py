"""The whole path an evaluator walks, end to end, with the real store on disk."""

from __future__ import annotations

import pytest

from pi87_field.core.model import AnswerState, InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.widgets.answer_editor import AnswerEditor
from pi87_field.tui.widgets.navigator import QuestionNavigator
from tests.tui.tui_helpers import fixed_clock, open_project, start_planned_interview, type_text

PID = "ec05-ml-lunevillois"


@pytest.mark.slow
async def test_open_start_answer_states_quit_reopen(store, data_dir, app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "lunev")
        screen = await start_planned_interview(pilot)
        assert screen.current.qid == "structure.presentation"
        await type_text(pilot, "Mission locale, 35 salariés.")
        await pilot.press("ctrl+n")                       # leaving the question saves it
        await pilot.press("f3")                           # 1.2: non abordé
        await pilot.press("ctrl+n", "f4")                 # 1.3: refus de répondre
        await pilot.press("ctrl+n", "f5", "f5")           # 1.4: sans objet, then back to répondu
        await pilot.press("ctrl+n")
        await type_text(pilot, "Projet Atout Emploi")     # 2.1: still typing when we quit
        assert screen.current.qid == "projet.description"
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    store.close()

    reopened = ProjectStore.open(data_dir, durable=False)
    try:
        interview = next(i for i in reopened.list_interviews(PID))
        answers = interview.answers
        assert answers["structure.presentation"].text == "Mission locale, 35 salariés."
        assert answers["structure.presentation"].author == "Camille Enquêtrice"
        assert answers["structure.effectifs"].state == AnswerState.NOT_ASKED
        assert answers["structure.publics"].state == AnswerState.DECLINED
        assert answers["structure.mobilisation-fse"].state == AnswerState.ANSWERED
        assert answers["projet.description"].text == "Projet Atout Emploi"   # saved by ctrl+q
        assert interview.status == InterviewStatus.IN_PROGRESS
        assert interview.consent is True
        assert interview.interviewees[0].name == "Claire Martin"
        assert interview.interviewees[0].role == "Directrice"
        assert interview.interviewees[0].organisation == "Mission locale du Lunévillois"

        # A new app on the same data: the answers are on screen.
        app2 = make_app(reopened, interviewer="Camille Enquêtrice", clock=fixed_clock)
        async with app2.run_test(size=(80, 24)) as pilot:
            await open_project(pilot, "lunev")
            await pilot.press("enter")
            await pilot.pause()
            screen = app2.screen
            assert isinstance(screen, InterviewScreen)
            # Resumes on the first question without an answer, after the answered ones.
            assert screen.current.qid == "structure.mobilisation-fse"  # first one still empty
            await pilot.press("ctrl+g", "1")
            await pilot.pause()
            assert screen.current.qid == "structure.presentation"
            assert screen.query_one(AnswerEditor).text == "Mission locale, 35 salariés."
            nav = screen.query_one(QuestionNavigator)
            labels = [str(node.label) for node in nav.root.children[0].children]
            assert labels[0].startswith("✓") and labels[1].startswith("–") and labels[2].startswith("✗")
            await pilot.press("ctrl+l")                   # finish: what's left first (issue 11.3)
            await pilot.pause()
            await pilot.press("t", "t")                   # questions left: confirmed
            await pilot.pause()
        assert reopened.list_interviews(PID)[0].status == InterviewStatus.COMPLETE
    finally:
        reopened.close()
