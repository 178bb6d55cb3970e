"""The interviewer's name is settable (issue 18): in the interview's sheet and from the palette,
kept as a setting of the data folder, used for new interviews and as the author of the answers
typed — never the login name ("root" on a write-up's cover)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from pi87_field.locations import interviewer_setting
from pi87_field.tui.app import ENV_USER, make_app
from pi87_field.tui.screens.dialogs import AskDialog
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.new_interview import NewInterviewScreen
from tests.tui.tui_helpers import CASE, fixed_clock, open_project, type_text, wait_until


async def test_the_first_name_typed_in_the_sheet_is_remembered_and_signs_the_answers(store, monkeypatch):
    monkeypatch.delenv(ENV_USER, raising=False)
    app = make_app(store, clock=fixed_clock)
    assert app.interviewer == ""                        # not the login name
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        form = app.screen
        field = form.query_one("#n-interviewer", Input)
        assert field.value == "" and field.has_focus    # asked first
        await type_text(pilot, "Camille Martin")
        await pilot.press("tab")
        await type_text(pilot, "Claire Dupuis")
        form.query_one("#n-consent", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
        grid = app.screen
        await type_text(pilot, "Créée en 1990")
        await pilot.press("ctrl+s")
        await pilot.pause()
        iid = grid.interview_id
    interview = store.get_interview(CASE, iid)
    assert interview.interviewer == "Camille Martin"
    assert {a.author for a in interview.answers.values()} == {"Camille Martin"}
    assert interviewer_setting(store.root) == "Camille Martin"
    assert make_app(store).interviewer == "Camille Martin"          # the next session knows it


async def test_the_palette_sets_the_interviewer_for_what_is_typed_next(store, monkeypatch):
    monkeypatch.delenv(ENV_USER, raising=False)
    app = make_app(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "nom d'enqu")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await type_text(pilot, "Dominique Bernard")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.interviewer == "Dominique Bernard")
    assert interviewer_setting(store.root) == "Dominique Bernard"
    monkeypatch.setenv(ENV_USER, "Jean Second")                   # a session as someone else
    assert make_app(store).interviewer == "Jean Second"
