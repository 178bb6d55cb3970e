"""FittedTable: a DataTable whose columns always fill its own width, set through the public API.

Each column is declared once (`ColumnSpec`: a fixed width, or a share of what is left). The
table keeps its rows as data and, whenever its own size changes, rebuilds its columns with
explicit widths (`add_column(width=...)`) and re-clips the cells to them. Explicit widths mean
DataTable never measures content, so the first frame already has the final layout: no
auto-width column sits at its header's width while a re-measure is pending (that frame used to
be captured on a loaded machine). The cursor stays on the same row key across refits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from pi87_field.tui.progress import clip

SCROLLBAR_ALLOWANCE = 2  # the vertical scrollbar appears when the rows overflow


@dataclass(frozen=True)
class ColumnSpec:
    """One column: a fixed `width`, or a `share` of the width the fixed columns leave."""

    key: str
    label: str
    width: int | None = None
    share: int = 1
    min_width: int = 4
    justify: Literal["left", "right"] = "left"
    # Figures the app writes itself (dates, counts, amounts): kept as plain strings. Everything
    # else is user text and becomes Text, never markup.
    figures: bool = False
    # Left out when the table is narrower than this (a title that would show ten letters at
    # 80 columns helps nobody; the label beside it does).
    hide_below: int = 0


def cell(text: str) -> Text:
    """A cell of user data. DataTable reads a plain str as Rich markup, so a title or an answer
    containing "[/b]" would crash the screen and "[annexe 2]" would vanish."""
    return Text(text, end="")


class FittedTable(DataTable):
    """A row-cursor table fitted to its width; fill it with `set_rows`."""

    def __init__(self, columns: Sequence[ColumnSpec], **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self.specs = list(columns)
        self._rows: list[tuple[str, list[str | Text | Callable[[int], Text]]]] = []
        self._fitted_width: int | None = None

    # -- public ------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str | Text | Callable[[int], Text]]]]) -> None:
        """Replace every row: (row key, one value per column). The cursor keeps its row key
        when that row is still there."""
        self._rows = [(key, list(values)) for key, values in rows]
        self._refill()

    @property
    def row_keys_shown(self) -> list[str]:
        return [key for key, _ in self._rows]

    @property
    def selected_key(self) -> str | None:
        if not self._rows or not (0 <= self.cursor_row < len(self._rows)):
            return None
        return self._rows[self.cursor_row][0]

    def select_key(self, key: str) -> None:
        keys = self.row_keys_shown
        if key in keys:
            self.move_cursor(row=keys.index(key), animate=False)

    def visible_specs(self, total: int) -> list[ColumnSpec]:
        return [s for s in self.specs if total >= s.hide_below]

    def column_widths(self, total: int) -> list[int]:
        """Content widths of the visible columns for a table `total` cells wide (no padding)."""
        specs = self.visible_specs(total)
        padding = 2 * self.cell_padding * len(specs)
        fixed = sum(s.width for s in specs if s.width is not None)
        flexible = [s for s in specs if s.width is None]
        free = max(0, total - SCROLLBAR_ALLOWANCE - padding - fixed)
        shares = sum(s.share for s in flexible) or 1
        widths: dict[str, int] = {}
        given = 0
        for n, spec in enumerate(flexible):
            if n == len(flexible) - 1:
                width = free - given
            else:
                width = free * spec.share // shares
            widths[spec.key] = max(spec.min_width, width)
            given += width
        return [s.width if s.width is not None else widths[s.key] for s in specs]

    # -- fitting -----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._fitted_width:
            self._refill()

    def _refill(self) -> None:
        width = self.size.width
        if width <= 0:  # not laid out yet: the first Resize fills the table
            return
        selected = self.selected_key
        specs = self.visible_specs(width)
        widths = self.column_widths(width)
        shown = [n for n, spec in enumerate(self.specs) if spec in specs]
        if width != self._fitted_width or not self.columns:
            self.clear(columns=True)
            for spec, w in zip(specs, widths, strict=True):
                self.add_column(Text(clip(spec.label, w), end=""), width=w, key=spec.key)
            self._fitted_width = width
        else:
            self.clear()
        for key, values in self._rows:
            cells = [values[n] for n in shown]
            self.add_row(*(self._fit(v, spec, w) for v, spec, w in zip(cells, specs, widths, strict=True)),
                         key=key)
        if selected is not None:
            self.select_key(selected)

    @staticmethod
    def _fit(value: str | Text | Callable[[int], Text], spec: ColumnSpec, width: int) -> str | Text:
        if callable(value):  # a cell laid out for its width (an excerpt centred on a match)
            value = value(width)
        if isinstance(value, Text):
            if value.cell_len > width:
                value = value.copy()
                value.truncate(width, overflow="ellipsis")
            return value
        text = clip(value, width)
        if spec.justify == "right":
            text = " " * max(0, width - cell_len(text)) + text
        return text if spec.figures else cell(text)
