"""Search every answer of the store ("where did someone mention X?"); Enter opens the answer."""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from pi87_field.core.store import SearchHit
from pi87_field.tui.progress import clip


class SearchScreen(Screen):
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
        table.clear()
        width = max(20, self.size.width - 52)
        for n, hit in enumerate(hits):
            table.add_row(clip(hit.project_id, 14), clip(hit.interview_label, 16), clip(hit.question_id, 14),
                          clip(hit.excerpt, width), key=str(n))
        status = (f"{len(hits)} réponse(s) contiennent « {needle.strip()} »" if needle.strip()
                  else "Tapez au moins deux lettres.")
        if len(hits) >= 200:
            status += " (200 premières)"
        self.query_one("#search-status", Static).update(status)
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
        self.app.pop_screen()
