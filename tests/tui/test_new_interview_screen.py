"""The new-interview form: refusals are said once and do not linger; bad dates are named."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.tui_helpers import messages, open_project, start_planned_interview


async def test_refusal_toast_does_not_stay_over_the_grid(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")                     # no consent yet: refused
        await pilot.pause()
        assert any("consentement" in m for m in messages(app))
        await pilot.press("escape")
        await pilot.pause()
        await start_planned_interview(pilot)
        assert not any("Fiche incomplète" in m for m in messages(app))


async def test_bad_date_says_invalid(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await pilot.pause()
        date = app.screen.query_one("#n-date", Input)
        date.value = "31/02/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Date invalide" in m for m in messages(app))
