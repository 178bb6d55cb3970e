"""The campaign's planned interview (issue 20): ctrl+n offers to fill it rather than silently
adding a second one beside it; its sheet can postpone, cancel or delete it; the project screen
deletes an interview with Suppr; keys arriving in one burst land in the right field."""

from __future__ import annotations

from textual import events
from textual.widgets import Button, Input

from pi87_field.core.model import InterviewStatus
from pi87_field.tui.screens.dialogs import ChoiceDialog, ConfirmDialog
from pi87_field.tui.screens.new_interview import IntervieweeRow, NewInterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from tests.tui.tui_helpers import CASE, open_project, wait_until


async def test_ctrl_n_offers_the_planned_interview(app, store):
    planned = store.list_interviews(CASE)[0]
    assert planned.status == InterviewStatus.PLANNED and not planned.answers
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("escape")                          # nothing done
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("r")                               # fill the planned one
        await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        assert app.screen.planned_id == planned.id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("n")                               # really a second one
        await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        assert app.screen.planned_id is None
    assert len(store.list_interviews(CASE)) == 1


async def test_the_planned_sheet_postpones_and_deletes(app, store):
    planned = store.list_interviews(CASE)[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")                           # a planned interview opens on its sheet
        await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        sheet = app.screen
        assert {b.id for b in sheet.query(Button)} >= {"n-postpone", "n-cancel", "n-trash"}
        sheet.query_one("#n-postpone", Button).press()
        await wait_until(pilot, lambda: app.screen is not sheet)
        app.screen.query_one("#ask-date", Input).value = "20/11/2019"
        app.screen.query_one("#ask-reason", Input).value = "Directrice absente"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert store.get_interview(CASE, planned.id).date.isoformat() == "2019-11-20"
        await pilot.press("delete")                          # the project screen's delete key
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen) and not app.screen.interviews)
    assert store.list_interviews(CASE) == [] and len(store.trash.items()) == 1


async def test_keys_in_one_burst_go_to_the_right_field(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        row = app.screen.query(IntervieweeRow).first()
        name, role, organisation = list(row.query(Input))
        role.focus()
        await pilot.pause()
        role.value = ""
        # a text expander: every key posted before the first one is handled
        for char in "Chargée\tMEF":
            key = "tab" if char == "\t" else char
            app.post_message(events.Key(key, None if char == "\t" else char))
        await wait_until(pilot, lambda: organisation.value.endswith("MEF"))
        assert role.value == "Chargée"


async def test_every_key_of_the_screen_is_in_the_palette_and_f1_is_in_the_footer(app, store):
    from pi87_field.tui.commands import screen_key_commands
    from pi87_field.tui.widgets.field_footer import FieldFooter

    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        names = [name for name, _c, _h in screen_key_commands(app)]
        assert "Touche Suppr : Supprimer" in names and "Touche ctrl+t : Fiche" in names
        footer = app.screen.query_one(FieldFooter)
        shown = [b.id for b, _e, _t in footer.shown_bindings(80)]
        assert shown[-1] == "app.help" and shown[:2] == ["project.open", "project.new_interview"]
