"""Search every answer of the store ("where did someone mention X?"); Enter opens the answer."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from pi87_field.core.store import SearchHit
from pi87_field.tui.app import Pi87FieldApp
from pi87_field.tui.progress import clip
from pi87_field.tui.widgets.fitted_table import cell, clear_rows

MATCH_STYLE = "bold reverse"


def excerpt_cell(hit: SearchHit, width: int) -> Text:
    """The excerpt cut to `width` around the match, the match highlighted (plain Text: answers
    are user text, never markup)."""
    text, lo, hi = hit.excerpt, hit.match_start, hit.match_end
    if len(text) > width:
        room = max(0, width - (hi - lo))
        a = max(0, lo - room // 2)
        b = min(len(text), a + width)
        a = max(0, b - width)
        piece = text[a:b]
        if a > 0:
            piece = "…" + piece[1:]
        if b < len(text):
            piece = piece[:-1] + "…"
        text, lo, hi = piece, lo - a, hi - a
    out = Text(text, no_wrap=True, overflow="ellipsis")
    if hi > lo:
        out.stylize(MATCH_STYLE, max(0, lo), min(len(text), hi))
    return out


class SearchScreen(Screen):
    app = getters.app(Pi87FieldApp)

    BINDINGS = [
        Binding("escape", "back", "Retour", id="search.back", tooltip="Fermer la recherche."),
        Binding("enter", "open_hit", "Ouvrir", id="search.open", priority=True,
                tooltip="Ouvrir l'entretien sur cette réponse."),
        Binding("down", "cursor(1)", show=False, id="search.down"),
        Binding("up", "cursor(-1)", show=False, id="search.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Chercher dans toutes les réponses (accents et majuscules ignorés)",
                    id="search-input")
        yield DataTable(id="search-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Recherche"
        table = self.query_one(DataTable)
        table.add_column("Projet", key="project")
        table.add_column("Entretien", key="interview")
        table.add_column("Question", key="question")
        table.add_column("Extrait", key="excerpt")
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True, group="search")
    async def run_search(self, needle: str) -> None:
        await asyncio.sleep(0.25)  # let the user finish the word
        if len(needle.strip()) < 2:
            self._show([], needle)
            return
        hits = await asyncio.to_thread(self.app.store.search, needle.strip())
        self._show(hits, needle)

    def _show(self, hits: list[SearchHit], needle: str) -> None:
        self.hits = hits
        table = self.query_one(DataTable)
        clear_rows(table)
        width = max(20, self.size.width - 52)
        for n, hit in enumerate(hits):
            table.add_row(cell(clip(hit.project_id, 14)), cell(clip(hit.interview_label, 16)),
                          cell(clip(hit.question_id, 14)), excerpt_cell(hit, width), key=str(n))
        count = len(hits)
        if len(needle.strip()) < 2:
            status = "Tapez au moins deux lettres."
        elif count == 0:
            status = f"Aucune réponse ne contient « {needle.strip()} »."
        elif count == 1:
            status = f"1 réponse contient « {needle.strip()} » · Entrée pour l'ouvrir"
        else:
            status = f"{count} réponses contiennent « {needle.strip()} » · Entrée pour ouvrir"
        if len(hits) >= 200:
            status += " (200 premières)"
        self.query_one("#search-status", Static).update(Text(status))  # the needle is user text
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_hit":
            return True if self.hits else None
        return True

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step), animate=False)

    def action_open_hit(self) -> None:
        table = self.query_one(DataTable)
        if not self.hits or not (0 <= table.cursor_row < len(self.hits)):
            return
        hit = self.hits[table.cursor_row]
        self.app.open_interview(hit.project_id, hit.interview_id, hit.question_id)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open_hit()

    def action_back(self) -> None:
        self.app.leave_screen(self)
