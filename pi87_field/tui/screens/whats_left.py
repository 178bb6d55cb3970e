"""What's left: the questions still without an answer, and those "à compléter", by section.

Enter jumps to the question; `t` finishes the interview — at once when nothing is left, else
after a second `t` (the dialog says how many questions stay unanswered: one key never finishes
an interview with 18 of 19 questions empty); `r` reopens a finished one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pi87_field.core.fr import format_int, plural
from pi87_field.tui.progress import STATE_MARKS, STATE_STYLES, clip
from pi87_field.tui.widgets.navigator import Slot


def left_summary(marks: list[str]) -> str:
    """"3 sans réponse, 1 à compléter" (marks: "empty" or "to_complete", one per question left)."""
    empty = sum(1 for m in marks if m != "to_complete")
    partial = len(marks) - empty
    parts = ([f"{plural(empty, 'question')} sans réponse"] if empty else []) + \
        ([f"{format_int(partial)} à compléter"] if partial else [])
    return ", ".join(parts)


class WhatsLeftScreen(ModalScreen[str | None]):
    """Dismissed with a question id (go there), "finish", "reopen", or None."""

    BINDINGS = [
        Binding("escape", "close", "Fermer", id="left.close"),
        Binding("t", "finish", "Terminer l'entretien", id="left.finish"),
        Binding("r", "reopen", "Rouvrir", id="left.reopen"),
    ]

    def __init__(self, missing: list[Slot], total: int, finished: bool, width: int = 72,
                 marks: dict[str, str] | None = None) -> None:
        super().__init__()
        self.missing = missing
        self.total = total
        self.finished = finished
        self.width = width
        self.marks = {s.qid: (marks or {}).get(s.qid, "empty") for s in missing}
        self.confirming = False

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        section = None
        for slot in self.missing:
            if slot.section_title != section:
                section = slot.section_title
                number = f"{slot.section_index}. " if slot.section_index else ""
                options.append(Option(Text(clip(f"{number}{section}", self.width), style="bold"), disabled=True))
            mark = self.marks[slot.qid]
            line = Text("  ")
            line.append(STATE_MARKS[mark], style=STATE_STYLES[mark])
            line.append(" " + clip(f"{slot.number} {slot.text}", self.width - 4))
            options.append(Option(line, id=slot.qid))
        done = self.total - len(self.missing)
        if self.missing:
            head = f"Ce qui reste : {left_summary(list(self.marks.values()))} ({done}/{self.total})"
        else:
            head = f"Ce qui reste : rien ({done}/{self.total} renseignées)"
        with Vertical(id="left-dialog", classes="dialog"):
            yield Label(head, classes="dialog-title", markup=False)
            if options:
                yield OptionList(*options, id="left-list")
            yield Static(self._hint(), id="left-hint", markup=False)

    def _hint(self) -> str:
        if self.finished:
            return "Entretien terminé · r : le rouvrir · Entrée : y aller · Échap : fermer"
        if self.confirming:
            left = left_summary(list(self.marks.values()))
            return f"Terminer avec {left} ? t : oui, terminer · Échap : non, continuer"
        return "t : terminer l'entretien · Entrée : y aller · Échap : continuer"

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
        if not self.is_active or self.finished:
            return
        if self.missing and not self.confirming:
            self.confirming = True
            hint = self.query_one("#left-hint", Static)
            hint.update(Text(self._hint(), style="bold"))
            return
        self.dismiss("finish")

    def action_reopen(self) -> None:
        if self.is_active and self.finished:
            self.dismiss("reopen")

    def action_close(self) -> None:
        if not self.is_active:
            return
        if self.confirming:   # Échap answers the question first: keep going
            self.confirming = False
            self.query_one("#left-hint", Static).update(self._hint())
            return
        self.dismiss(None)
