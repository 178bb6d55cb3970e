"""Concurrent versions of one answer (kept after conflicting imports), read in full."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pi87_field.core.model import Answer


class VersionsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,ctrl+r", "dismiss", "Fermer", id="versions.close")]

    def __init__(self, question: str, answer: Answer) -> None:
        super().__init__()
        self.question = question
        self.answer = answer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="versions-dialog", classes="dialog"):
            yield Label(f"Versions de la réponse — {escape(self.question)}", classes="dialog-title")
            yield Static(self._block("Version affichée (la plus récente)", self.answer.author,
                                     self.answer.updated_at, "", self.answer.state.label, self.answer.text),
                         classes="version current-version")
            for n, version in enumerate(self.answer.concurrent, start=1):
                yield Static(self._block(f"Version concurrente {n}", version.author, version.updated_at,
                                         version.source, version.state.label, version.text), classes="version")
            yield Label("[dim]Rien n'est perdu : recopiez dans la réponse ce qu'il faut garder. Échap pour fermer.[/dim]")

    @staticmethod
    def _block(title: str, author: str, when: str, source: str, state: str, text: str) -> str:
        meta = " · ".join(filter(None, (author, when.replace("T", " "), source and f"fichier {source}", state)))
        return f"[b]{escape(title)}[/b]  [dim]{escape(meta)}[/dim]\n{escape(text) or '[dim](vide)[/dim]'}"

    def on_mount(self) -> None:
        self.query_one("#versions-dialog").focus()
