"""The application shell: what the app itself says and does, whatever the screen."""

from __future__ import annotations

from tests.tui.tui_helpers import messages, open_project


async def test_ctrl_c_outside_a_text_field_answers_in_french(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("ctrl+q" in m and "appuyez" in m for m in messages(app))
        assert not any("Press" in m for m in messages(app))
