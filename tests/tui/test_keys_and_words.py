"""Issue 11 item 10: keys that terminal multiplexers leave alone, undo/redo and start/end of
the answer in the help, toggles readable without colour, amounts that never break."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.screen import Screen

import pi87_field.tui.screens as screens_pkg
from pi87_field.tui.progress import clip
from pi87_field.tui.screens.help import HelpScreen
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.widgets.answer_editor import AnswerEditor
from pi87_field.tui.widgets.toggles import ReadableCheckbox
from tests.tui.tui_helpers import CASE, begin, type_text, wait_until


def all_screen_classes():
    for info in pkgutil.iter_modules(screens_pkg.__path__):
        module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Screen) and value.__module__ == module.__name__:
                yield value


def test_no_shown_binding_starts_with_a_multiplexer_prefix():
    """ctrl+b (tmux) and ctrl+a (screen, and line start in fields) never reach the app there:
    a footer key must be something else (they may stay as a second key)."""
    for screen in all_screen_classes():
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show and binding.description:
                first = binding.key.split(",")[0].strip()
                assert first not in ("ctrl+b", "ctrl+a"), (screen.__name__, binding.key)


async def test_help_lists_undo_redo_and_answer_start_end_which_work(app, store):
    interview = begin(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id, "structure.presentation")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
        editor = app.screen.query_one(AnswerEditor)
        await type_text(pilot, "un deux")
        await pilot.press("enter")
        await type_text(pilot, "trois")
        await pilot.press("ctrl+home")
        assert editor.cursor_location == (0, 0)
        await pilot.press("ctrl+end")
        assert editor.cursor_location == (1, 5)
        await pilot.press("ctrl+z")
        assert editor.text != "un deux\ntrois"
        await pilot.press("ctrl+y")
        assert editor.text == "un deux\ntrois"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert "ctrl+z, ctrl+y" in rows and "ctrl+home, ctrl+end" in rows


async def test_checkbox_says_checked_or_not_without_colour(app):
    from textual.app import App, ComposeResult

    class Box(App):
        def compose(self) -> ComposeResult:
            yield ReadableCheckbox("Consentement", value=False)

    box = Box()
    async with box.run_test() as pilot:
        checkbox = box.query_one(ReadableCheckbox)
        assert "X" not in checkbox.render().plain
        checkbox.value = True
        await pilot.pause()
        assert "X" in checkbox.render().plain


def test_amounts_keep_their_no_break_spaces_when_clipped():
    assert clip("21\u00a0914,89\u00a0€", 20) == "21\u00a0914,89\u00a0€"
    assert clip("a  b\n c", 20) == "a b c"
