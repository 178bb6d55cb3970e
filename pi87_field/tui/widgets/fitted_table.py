"""Refilling a DataTable whose cells are clipped to the terminal width."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


def clear_rows(table: DataTable) -> None:
    """Remove the rows and forget the column widths they imposed.

    `DataTable.clear()` keeps each auto-width column as wide as its widest past cell, so after
    the terminal shrinks the re-clipped rows would still be laid out at the old width and
    push the last columns off screen."""
    table.clear()
    for column in table.columns.values():
        if column.auto_width:
            column.content_width = column.label.cell_len


def cell(text: str) -> Text:
    """A cell of user data. DataTable reads a plain str as Rich markup, so a title or an answer
    containing "[/b]" would crash the screen and "[annexe 2]" would vanish."""
    return Text(text, end="")
