"""The answer editor: a plain multi-line TextArea (soft wrap, no syntax highlighting).

Textual 8.2's TextArea renders each screen row of a soft-wrapped line by cutting the *whole*
line into all of its wrapped sections (see the TODO in `TextArea._render_line`). A pasted
100 KB paragraph has ~2,000 sections, so every visible row cost ~2,000 Text objects and a
keystroke took most of a second. For long lines this editor renders only the section on
screen; short lines still go through Textual's own code. Re-wrapping the edited line is made
incremental too (see `incremental_wrap`, installed by `make_app`).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.expand_tabs import expand_text_tabs_from_widths
from textual.strip import Strip
from textual.widgets import TextArea

# Lines wrapped into more sections than this are rendered section by section.
LONG_LINE_SECTIONS = 8
NBSP = "\u00a0"


def french_space(before: str, char: str) -> str | None:
    """What typing `char` after `before` should write, when French typography holds a space to
    its neighbour (the rule of `core.fr.fr_spaces`, as one types): a space after « is no-break;
    », ; : ? ! after a space, % or € after "55 ", make that space no-break. None: type as is."""
    if char == " " and before.endswith("«"):
        return NBSP
    if not before.endswith(" ") or len(before) < 2:
        return None
    previous = before[-2]
    if char == "»" or (char in ";:?!" and not previous.isspace()) or (char in "%€" and previous.isdigit()):
        return NBSP + char
    return None


class FrenchSpacing(TextArea):
    """A TextArea that writes French no-break spaces as one types « oui », « pourquoi ? »,
    « 55 % »: a guillemet or a colon never ends up alone at the start or end of a line."""

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if char and not self.read_only and self.selection.is_empty and len(char) == 1:
            row, column = self.cursor_location
            written = french_space(self.document.get_line(row)[:column], char)
            if written is not None:
                event.stop()
                event.prevent_default()
                start = (row, column - (len(written) - 1))
                self.replace(written, start, (row, column))
                return
        await super()._on_key(event)


class NotesEditor(FrenchSpacing):
    """The interview's notes (same typing rules as the answer)."""


class AnswerEditor(FrenchSpacing):
    DEFAULT_CSS = """
    AnswerEditor { height: 1fr; min-height: 4; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, language=None, soft_wrap=True, show_line_numbers=False,
                         tab_behavior="focus", **kwargs)
        self.match_cursor_bracket = False

    def _render_line(self, y: int) -> Strip:
        wrapped = self.wrapped_document
        _scroll_x, scroll_y = self.scroll_offset
        try:
            line_info = wrapped._offset_to_line_info[y + scroll_y]
        except IndexError:
            line_info = None
        if line_info is None or self.show_line_numbers or self.suggestion or self._highlights:
            return super()._render_line(y)
        line_index, section_offset = line_info
        offsets = wrapped.get_offsets(line_index)
        if len(offsets) < LONG_LINE_SECTIONS:
            return super()._render_line(y)
        return self._render_long_line_section(line_index, section_offset, offsets)

    def _render_long_line_section(self, line_index: int, section_offset: int, offsets: list[int]) -> Strip:
        """Same look as TextArea._render_line (soft wrap, no gutter), for one section only."""
        theme = self._theme
        base_style = theme.base_style if theme and theme.base_style is not None else self.rich_style
        text = self.document.get_line(line_index)
        start = offsets[section_offset - 1] if section_offset else 0
        end = offsets[section_offset] if section_offset < len(offsets) else len(text) + 1
        piece = text[start:end]
        if end > len(text):
            piece += " "  # the cell the cursor sits on at the end of the line
        section = Text(piece, end="", no_wrap=True)

        selection = self.selection
        cursor_row, cursor_column = selection.end
        highlight_cursor_line = self.highlight_cursor_line and self._has_cursor
        cursor_line_style = theme.cursor_line_style if (theme and highlight_cursor_line) else None
        if cursor_line_style and cursor_row == line_index:
            section.stylize(cursor_line_style)

        top, bottom = sorted(selection)
        if selection.start != selection.end and top[0] <= line_index <= bottom[0]:
            selection_style = theme.selection_style if theme else None
            if selection_style:
                first = top[1] if line_index == top[0] else 0
                last = bottom[1] if line_index == bottom[0] else len(text)
                lo, hi = max(first, start), min(last, end)
                if lo < hi:
                    section.stylize(selection_style, lo - start, hi - start)

        if cursor_row == line_index and self._draw_cursor and start <= cursor_column < end:
            cursor_style = theme.cursor_style if theme else None
            if cursor_style:
                section.stylize(cursor_style, cursor_column - start, cursor_column - start + 1)

        tabs_within = piece.count("\t")
        if tabs_within:
            tabs_before = text.count("\t", 0, start)
            widths = self.wrapped_document.get_tab_widths(line_index)[tabs_before:tabs_before + tabs_within]
            section = expand_text_tabs_from_widths(section, widths)

        target_width = self.scrollable_content_region.size.width - self.gutter_width
        strip = Strip(section.render(self.app.console), cell_length=section.cell_len)
        if cursor_row == line_index and self.highlight_cursor_line:
            line_style = cursor_line_style
        else:
            line_style = theme.base_style if theme else None
        strip = strip.extend_cell_length(target_width, line_style)
        return strip.apply_style(base_style)
