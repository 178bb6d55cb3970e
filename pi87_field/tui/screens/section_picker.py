"""Jump to a section of the grid: a short list; a digit picks directly."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pi87_field.tui.progress import clip


class SectionPicker(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer", id="section.close")]

    def __init__(self, sections: list[tuple[int, str, int, int]], current: int | None) -> None:
        super().__init__()
        self.sections = sections
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for index, title, got, total in self.sections:
            number = f"{index}. " if index else ""
            options.append(Option(f"{number}{escape(clip(title, 52))}  [dim]{got}/{total}[/dim]", id=str(index)))
        with Vertical(id="section-dialog", classes="dialog"):
            yield Label("Aller à la section (chiffre ou Entrée)", classes="dialog-title")
            yield OptionList(*options, id="section-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [str(s[0]) for s in self.sections]
        if self.current is not None and str(self.current) in ids:
            options.highlighted = ids.index(str(self.current))
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_active:  # a second Enter queued behind the first must not close the grid
            self.dismiss(int(event.option.id or 0))

    def on_key(self, event: Key) -> None:
        if not self.is_active:
            # Keys typed (or pasted) faster than the picker closes: leave them alone rather
            # than dismiss twice, which would pop the interview screen too.
            return
        if event.character and event.character.isdigit():
            wanted = int(event.character)
            if any(s[0] == wanted for s in self.sections):
                event.stop()
                self.dismiss(wanted)
