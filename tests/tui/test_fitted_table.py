"""FittedTable: column widths set through DataTable's public API, refitted on resize.

Defect it pins: the home table sometimes came up with every column at its header's width
("Mission  Atout Em") on a loaded machine, because the old helper reset DataTable's internal
`content_width` and a frame rendered before the re-measure."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable

COLUMNS = [
    ColumnSpec("code", "Code", width=4, figures=True),
    ColumnSpec("name", "Nom", share=1),
    ColumnSpec("title", "Intitulé", share=2),
    ColumnSpec("amount", "Montant", width=12, justify="right", figures=True),
]
ROWS = [
    ("a", ["EC1", "Mission locale du Lunévillois", "Atout Emploi – Editions 2015-2016-2017-2018", "328 318 €"]),
    ("b", ["EC2", "[/b] not markup", "Démarche pédagogique T.C.C", "21\u00a0914,89\u00a0€"]),
]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield FittedTable(COLUMNS)

    def on_mount(self) -> None:
        self.query_one(FittedTable).set_rows(ROWS)


def render_width(table: FittedTable) -> int:
    return sum(c.get_render_width(table) for c in table.columns.values())


async def test_columns_fill_the_width_without_measuring_content():
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        # Every width is explicit: nothing waits for a re-measure, so no frame shows header widths.
        assert all(not c.auto_width for c in table.columns.values())
        assert render_width(table) == 120 - 2  # two cells kept for the scrollbar
        name = table.columns["name"].width
        assert name > len("Nom") + 10
        assert table.columns["title"].width in (2 * name, 2 * name + 1, 2 * name - 1)
        row = table.get_row("a")
        assert row[1].plain == "Mission locale du Lunévillois"
        assert isinstance(table.get_row("b")[1], Text)  # user text is never markup
        assert table.get_row("b")[3] == "21\u00a0914,89\u00a0€".rjust(12)


async def test_refits_on_resize_and_keeps_the_selected_row():
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        table.move_cursor(row=1)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert render_width(table) <= 60
        assert table.selected_key == "b"
        cells = table.get_row("a")
        assert cells[2].plain.endswith("…") and cells[2].cell_len <= table.columns["title"].width
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        assert render_width(table) == 98
        assert table.selected_key == "b"
