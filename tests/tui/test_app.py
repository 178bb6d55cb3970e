"""The application shell: what the app itself says and does, whatever the screen."""

from __future__ import annotations

from tests.tui.tui_helpers import messages, open_project, wait_until


async def test_ctrl_c_outside_a_text_field_answers_in_french(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("ctrl+q" in m and "appuyez" in m for m in messages(app))
        assert not any("Press" in m for m in messages(app))


async def test_palette_says_no_match_in_french(app):
    """Issue 11 item 11: Textual's "No matches found" is English."""
    from textual.command import CommandList

    from pi87_field.tui.commands import NO_MATCHES

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"zzqxw")
        palette = app.screen
        prompts = lambda: [str(getattr(o.prompt, "renderable", o.prompt))  # noqa: E731
                           for o in palette.query_one(CommandList).options]
        await wait_until(pilot, lambda: any(NO_MATCHES in p for p in prompts()))
        assert not any("No matches" in p for p in prompts())
