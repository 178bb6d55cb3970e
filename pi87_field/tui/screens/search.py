"""Search every answer of the store ("where did someone mention X?"); Enter opens the answer."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.model import INTERVIEW_NOTES
from pi87_field.core.store import SearchHit
from pi87_field.core.summary import project_label
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable

SEARCH_COLUMNS = [
    ColumnSpec("project", "Projet", width=18),
    ColumnSpec("interview", "Entretien", width=14),
    ColumnSpec("question", "Question", width=8),
    ColumnSpec("excerpt", "Extrait", min_width=20),
]

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
    app = getters.app(FieldApp)

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
        yield FittedTable(SEARCH_COLUMNS, id="search-table")
        yield Static("", id="search-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.sub_title = "Recherche"
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
        labels = {p.id: project_label(p) for p in self.app.store.list_projects()}
        self._show(hits, needle, labels)

    def _show(self, hits: list[SearchHit], needle: str, labels: dict[str, str] | None = None) -> None:
        self.hits = hits
        self.query_one(FittedTable).set_rows(
            [(str(n), [(labels or {}).get(hit.project_id, hit.project_id), hit.interview_label,
                       self._number(hit), partial(excerpt_cell, hit)])
             for n, hit in enumerate(hits)])
        self.query_one(FittedTable).move_cursor(row=0, animate=False)
        count = len(hits)
        if len(needle.strip()) < 2:
            status = "Tapez au moins deux lettres."
        elif count == 0:
            status = f"Aucune réponse ni note ne contient « {needle.strip()} »."
        elif count == 1:
            status = f"1 réponse ou note contient « {needle.strip()} » · Entrée pour l'ouvrir"
        else:
            status = f"{count} réponses ou notes contiennent « {needle.strip()} » · Entrée pour ouvrir"
        if len(hits) >= 200:
            status += " (200 premières)"
        self.query_one("#search-status", Static).update(Text(status))  # the needle is user text
        self.refresh_bindings()

    def _number(self, hit: SearchHit) -> str:
        """The question as the guide numbers it ("6.1"), else its id; "Notes" for the notes."""
        if hit.question_id == INTERVIEW_NOTES:
            return "Notes"
        try:
            interview = self.app.store.get_interview(hit.project_id, hit.interview_id)
        except Exception:  # a file damaged since the search: show the id
            return hit.question_id
        guide = self.app.store.guide_for(interview.guide_id)
        return (guide.number(hit.question_id) if guide else "") or hit.question_id

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
