"""What to do with answers that could not be written (a full disk), asked whenever the user
leaves a question, an interview or the app while one is pending. Nothing is dropped unless the
user says so; the text can be copied or written to another folder from here.

The dialog opens while the evaluator is typing: its commands are control keys (ctrl+r, ctrl+t,
ctrl+d, ctrl+g, Échap), never letters, and letters typed into it are kept (shown, copied,
written, and given back to the answer by the caller: `typed`)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pi87_field.core.text import excerpt
from pi87_field.tui.base import FieldApp
from pi87_field.tui.pending import PendingAnswer, rescue_text, write_rescue_file

# What the caller is about to do, and the key that does it anyway.
LEAVE_WORDS = {
    "question": "Garder en attente et changer de question",
    "screen": "Garder en attente et quitter l'entretien",
    "app": "Quitter pi87-field SANS ces textes",
}


class UnsavedDialog(ModalScreen[str | None]):
    """Dismissed with "saved" (everything written on a retry), "leave" (go on, the user chose)
    or None (stay)."""

    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("ctrl+r", "retry", "Réessayer", id="unsaved.retry"),
        Binding("ctrl+t", "copy", "Copier", id="unsaved.copy"),
        Binding("ctrl+d", "ask_folder", "Dossier", id="unsaved.folder"),
        Binding("ctrl+g", "leave", "Continuer", id="unsaved.leave"),
        Binding("escape", "stay", "Rester", id="unsaved.stay"),
    ]

    def __init__(self, scope: str, items: list[PendingAnswer]) -> None:
        super().__init__()
        self.scope = scope
        self.items = items
        self._confirm_leave = False
        self.typed = ""  # what was typed while the dialog was open (the caller puts it back)

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-dialog", classes="dialog"):
            yield Label("", id="unsaved-title", classes="dialog-title")
            with VerticalScroll(id="unsaved-list"):
                yield Static("", id="unsaved-items")
            yield Static("", id="unsaved-typed")
            yield Static("", id="unsaved-keys")
            yield Input(placeholder="Dossier où écrire les textes (Entrée pour écrire)", id="unsaved-folder")
            yield Static("", id="unsaved-status")

    def on_mount(self) -> None:
        self.query_one("#unsaved-folder", Input).display = False
        self.query_one("#unsaved-typed", Static).display = False
        self._show()

    def _show(self) -> None:
        count = len(self.items)
        title = ("⚠ Réponse NON enregistrée" if count == 1 else f"⚠ {count} réponses NON enregistrées")
        self.query_one("#unsaved-title", Label).update(Text(title))
        lines = Text()
        for item in self.items:
            lines.append(item.where, style="bold")
            lines.append(f"\n{excerpt(item.text, 150) or '(vide)'}\n")
        reason = self.items[0].error if self.items else ""
        if reason:
            lines.append(reason, style="red")
        self.query_one("#unsaved-items", Static).update(lines)
        keys = Text.assemble(
            "Le texte est gardé en mémoire et réessayé toutes les 5 s.\n",
            ("ctrl+r", "bold"), " réessayer · ", ("ctrl+t", "bold"), " copier le texte · ",
            ("ctrl+d", "bold"), " écrire dans un autre dossier\n",
            ("ctrl+g", "bold"), f" {LEAVE_WORDS[self.scope]} · ", ("Échap", "bold"), " rester")
        self.query_one("#unsaved-keys", Static).update(keys)

    def on_key(self, event: events.Key) -> None:
        """Typing goes on while the dialog is open: letters are kept, never taken as commands."""
        if isinstance(self.focused, Input):
            return
        if event.key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
        elif event.key == "enter":
            self.typed += "\n"
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        field = self.query_one("#unsaved-typed", Static)
        field.display = bool(self.typed)
        shown = self.typed if len(self.typed) <= 150 else "…" + self.typed[-150:]
        field.update(Text.assemble(("Saisi entre-temps (gardé) : ", "bold"), shown))

    def _status(self, text: str, style: str = "") -> None:
        self.query_one("#unsaved-status", Static).update(Text(text, style=style))

    def refresh_items(self, items: list[PendingAnswer]) -> None:
        self.items = items
        if not items:
            self.dismiss("saved")
            return
        self._show()

    def action_retry(self) -> None:
        items = self.app.retry_pending()
        if not items:
            self.app.notify("Enregistré : rien n'est plus en attente.", title="Enregistré")
            self.dismiss("saved")
            return
        self.items = [i for i in items if i.key in {p.key for p in self.items}] or items
        self._show()
        self._status("Toujours impossible d'enregistrer. Copiez le texte ou écrivez-le ailleurs.", "red")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(rescue_text(self.items, self.typed))
        self._status("Texte copié dans le presse-papiers (collez-le dans un autre logiciel).", "green")

    def action_ask_folder(self) -> None:
        field = self.query_one("#unsaved-folder", Input)
        field.display = True
        if not field.value:
            field.value = str(Path.home())
        field.focus()

    @on(Input.Submitted, "#unsaved-folder")
    def _write(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            path = write_rescue_file(Path(event.value.strip() or "."), self.items, self.app.now(), self.typed)
        except OSError as exc:
            self._status(str(exc.args[0] if exc.args else exc), "red")
            return
        self._status(f"Textes écrits dans {path}", "green")
        self.query_one("#unsaved-folder", Input).display = False
        self.query_one("#unsaved-keys", Static).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters go to the folder field while it is being typed in.
        if action in ("retry", "copy", "ask_folder", "leave") and isinstance(self.focused, Input):
            return False
        return True

    def action_leave(self) -> None:
        if self.scope == "app" and not self._confirm_leave:
            self._confirm_leave = True
            self._status("Ces textes seront perdus. ctrl+g de nouveau pour quitter quand même.", "red")
            return
        self.dismiss("leave")

    def action_stay(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#unsaved-folder", Input).display = False
            self.set_focus(None)
            return
        self.dismiss(None)
