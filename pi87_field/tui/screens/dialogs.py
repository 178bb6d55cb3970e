"""Small modal dialogs: a few fields to fill (postpone, cancel), or a yes/no confirmation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class AskDialog(ModalScreen[dict[str, str] | None]):
    """Ask for a few one-line values; Enter on the last field (or ctrl+s) validates."""

    BINDINGS = [
        Binding("escape", "close", "Fermer", id="ask.close"),
        Binding("ctrl+s", "submit", "Valider", id="ask.submit", priority=True),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields  # (key, label, initial value)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ask-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for key, label, value in self.fields:
                yield Label(label, markup=False)
                yield Input(value, id=f"ask-{key}")
            if self.note:
                yield Static(self.note, classes="dialog-note", markup=False)
            yield Static("Entrée : valider · Échap : fermer", classes="dialog-note")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_submit(self) -> None:
        if self.is_active:
            self.dismiss({key: self.query_one(f"#ask-{key}", Input).value for key, _l, _v in self.fields})

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A question answered with o (oui) / Entrée, or n (non) / Échap."""

    BINDINGS = [
        Binding("enter,o", "answer(True)", "Oui", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "Non", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False)
            yield Static("Entrée ou o : oui · Échap ou n : non", classes="dialog-note")

    def action_answer(self, yes: bool) -> None:
        if self.is_active:
            self.dismiss(yes)


class ChoiceDialog(ModalScreen[str | None]):
    """A question with a few answers, each on its own key; Échap answers None (nothing done)."""

    BINDINGS = [Binding("escape", "close", "Fermer", id="choice.close")]

    def __init__(self, question: str, detail: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.choices = choices  # (key, label, value); the first is also Entrée

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False)
            keys = [f"{'Entrée ou ' if n == 0 else ''}{key} : {label}" for n, (key, label, _v) in enumerate(self.choices)]
            yield Static(" · ".join([*keys, "Échap : rien"]), classes="dialog-note", markup=False)

    def on_key(self, event) -> None:
        if not self.is_active:
            return
        for n, (key, _label, value) in enumerate(self.choices):
            if event.key == key or (n == 0 and event.key == "enter"):
                event.stop()
                self.dismiss(value)
                return

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)
