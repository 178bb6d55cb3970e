"""The editor's long-line rendering must look exactly like Textual's own."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from pi87_field.tui.widgets.answer_editor import LONG_LINE_SECTIONS, AnswerEditor

LONG = ("Le FSE a permis d'expérimenter\tune offre 🙂 de services aux employeurs, עברית, "
        "puis de l'essaimer dans trois agences. ") * 30


class EditorApp(App):
    def compose(self) -> ComposeResult:
        yield AnswerEditor(f"Court.\n{LONG}\nFin.", id="editor")


@pytest.mark.parametrize("cursor, selection", [
    ((1, 0), None),
    ((1, 500), None),
    ((1, len(LONG)), None),                     # end of the line: the cursor cell is added
    ((1, 700), ((1, 120), (1, 700))),           # a selection across several sections
    ((2, 2), ((0, 3), (2, 2))),                 # a selection across lines
])
async def test_long_line_sections_render_like_textarea(cursor, selection):
    app = EditorApp()
    async with app.run_test(size=(60, 30)) as pilot:
        editor = app.query_one(AnswerEditor)
        editor.focus()
        if selection:
            editor.selection = editor.selection.__class__(*selection)
        else:
            editor.move_cursor(cursor)
        editor.cursor_blink = False
        await pilot.pause()
        offsets = editor.wrapped_document.get_offsets(1)
        assert len(offsets) >= LONG_LINE_SECTIONS
        compared = 0
        for first_row in (0, 10, 25):
            editor.scroll_to(y=first_row, animate=False)
            await pilot.pause()
            for y in range(editor.scrollable_content_region.height):
                ours = editor._render_line(y)
                theirs = TextArea._render_line(editor, y)
                assert list(ours) == list(theirs), (first_row, y)
                compared += 1
        assert compared > 50
