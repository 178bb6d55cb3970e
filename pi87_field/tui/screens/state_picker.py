"""Choose an answer's state without F-keys (F2-F6 need fn on many laptops): 1-5 or Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pi87_field.core.model import ANSWER_STATE_LABELS, AnswerState
from pi87_field.tui.progress import STATE_MARKS

STATES = [AnswerState.ANSWERED, AnswerState.TO_COMPLETE, AnswerState.NOT_ASKED, AnswerState.DECLINED,
          AnswerState.NOT_APPLICABLE]


class StatePicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "close", "Fermer", id="state.close")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(f"{n}  {STATE_MARKS[s.value]} {ANSWER_STATE_LABELS[s.value]}", id=s.value)
                   for n, s in enumerate(STATES, start=1)]
        with Vertical(id="state-dialog", classes="dialog"):
            yield Label("État de la réponse (chiffre ou Entrée)", classes="dialog-title")
            yield OptionList(*options, id="state-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        ids = [s.value for s in STATES]
        option_list.highlighted = ids.index(self.current) if self.current in ids else 0
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_active:
            self.dismiss(event.option.id)

    def on_key(self, event: Key) -> None:
        if self.is_active and event.character in [str(n) for n in range(1, len(STATES) + 1)]:
            event.stop()
            self.dismiss(STATES[int(event.character) - 1].value)

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)
