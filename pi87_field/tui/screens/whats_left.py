"""What's left: the questions still without an answer, by section, before finishing.

Enter jumps to the question; `t` finishes the interview (that is the confirmation "Terminer"
asks for: the evaluator sees what is left first); `r` reopens a finished one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pi87_field.tui.progress import clip
from pi87_field.tui.widgets.navigator import Slot


class WhatsLeftScreen(ModalScreen[str | None]):
    """Dismissed with a question id (go there), "finish", "reopen", or None."""

    BINDINGS = [
        Binding("escape", "close", "Fermer", id="left.close"),
        Binding("t", "finish", "Terminer l'entretien", id="left.finish"),
        Binding("r", "reopen", "Rouvrir", id="left.reopen"),
    ]

    def __init__(self, missing: list[Slot], total: int, finished: bool, width: int = 72) -> None:
        super().__init__()
        self.missing = missing
        self.total = total
        self.finished = finished
        self.width = width

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        section = None
        for slot in self.missing:
            if slot.section_title != section:
                section = slot.section_title
                number = f"{slot.section_index}. " if slot.section_index else ""
                options.append(Option(Text(clip(f"{number}{section}", self.width), style="bold"), disabled=True))
            options.append(Option(Text("  " + clip(f"{slot.number} {slot.text}", self.width - 2)), id=slot.qid))
        done = self.total - len(self.missing)
        if self.missing:
            head = f"Ce qui reste : {len(self.missing)} question{'s' if len(self.missing) > 1 else ''} sans réponse"
        else:
            head = "Ce qui reste : rien, toutes les questions ont une réponse ou un état"
        with Vertical(id="left-dialog", classes="dialog"):
            yield Label(f"{head} ({done}/{self.total})", classes="dialog-title", markup=False)
            if options:
                yield OptionList(*options, id="left-list")
            if self.finished:
                hint = "Entretien terminé · r : le rouvrir · Entrée : y aller · Échap : fermer"
            else:
                hint = "t : terminer l'entretien · Entrée : y aller · Échap : continuer"
            yield Static(hint, id="left-hint", markup=False)

    def on_mount(self) -> None:
        lists = self.query(OptionList)
        if lists:
            option_list = lists.first()
            option_list.focus()
            first = next((n for n in range(option_list.option_count)
                          if not option_list.get_option_at_index(n).disabled), None)
            if first is not None:
                option_list.highlighted = first

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finish":
            return not self.finished
        if action == "reopen":
            return self.finished
        return True

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_active and event.option.id:
            self.dismiss(event.option.id)

    def action_finish(self) -> None:
        if self.is_active and not self.finished:
            self.dismiss("finish")

    def action_reopen(self) -> None:
        if self.is_active and self.finished:
            self.dismiss("reopen")

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)
