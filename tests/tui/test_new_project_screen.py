"""A project not in the campaign, created from the TUI's palette (issue 11 item 9)."""

from __future__ import annotations

from textual.widgets import Input

from pi87_field.core.model import ProjectKind
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.new_project import NewProjectScreen
from pi87_field.tui.screens.project import ProjectScreen
from tests.tui.tui_helpers import type_text, wait_until, run_from_palette


async def test_new_series_from_the_palette_opens_it_and_lists_it(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "nouveau projet", expect="nouveau projet")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewProjectScreen))
        form = app.screen
        await pilot.press("shift+tab")                    # back to the kind: series
        await pilot.press("down", "space")
        form.query_one("#np-label", Input).focus()
        await type_text(pilot, "Réseau régional")
        await pilot.press("tab")
        await pilot.press("ctrl+s")                       # no title: refused, nothing created
        await pilot.pause()
        assert app.screen is form and len(store.list_projects()) == 9
        await type_text(pilot, "Entretiens avec les têtes de réseau")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        created = app.screen.project_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    project = store.get_project(created)
    assert project.kind == ProjectKind.INTERVIEW_SERIES and project.label == "Réseau régional"
    assert created == "eq-reseau-regional"
