"""The footer of every screen, designed for 80 columns: the most useful keys first, never a cut
word ("^q Quit" for "Quitter"), f1 always shown.

Textual's `Footer` lists the active bindings in the order it meets them (a key the focused
widget also binds comes first) and lets the last ones run off the edge. This one orders them by
the screen's `FOOTER_ORDER` (binding ids; the others follow in their own order), keeps the app's
help key (f1) at the end whatever the width, and leaves out a key that would not fit whole —
every key stays in f1's list and in the command palette (ctrl+p).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Always shown (at the end), in this order: what gives access to every other key.
PINNED = ("app.help",)


class FieldFooter(Footer):
    def __init__(self, **kwargs) -> None:
        super().__init__(show_command_palette=False, compact=True, **kwargs)

    def shown_bindings(self, width: int) -> list[tuple[Binding, bool, str]]:
        """The bindings the footer shows at `width` cells: (binding, enabled, tooltip)."""
        order: tuple[str, ...] = tuple(getattr(self.screen, "FOOTER_ORDER", ()))
        items: list[tuple[Binding, bool, str]] = []
        actions: set[str] = set()
        for _namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                items.append((binding, enabled, tooltip))
        rank = {binding_id: n for n, binding_id in enumerate(order)}
        pinned = [item for item in items if item[0].id in PINNED]
        rest = sorted((item for item in items if item[0].id not in PINNED),
                      key=lambda item: rank.get(item[0].id or "", len(rank)))
        budget = width - 1 - sum(self._cells(item[0]) for item in pinned)   # 1: the left edge
        kept = []
        for item in rest:
            cells = self._cells(item[0])
            if cells <= budget:
                kept.append(item)
                budget -= cells
        return kept + pinned

    def _cells(self, binding: Binding) -> int:
        """A compact key's width: "^n" + " " + description + the one-cell margin after it."""
        return cell_len(self.app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        shown = self.shown_bindings(width)
        self.styles.grid_size_columns = len(shown)
        yield from self._keys(shown)

    def _keys(self, shown: list[tuple[Binding, bool, str]]) -> Iterator[FooterKey]:
        for binding, enabled, tooltip in shown:
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, disabled=not enabled,
                            tooltip=tooltip or binding.tooltip).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)
