"""The guide's sections and questions as a tree, one mark per answer state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from pi87_field.core.grid import GridQuestion
from pi87_field.tui.progress import STATE_MARKS, STATE_STYLES, clip


# One question as the interview screen walks it: the read model's (guide questions, then orphans).
Slot = GridQuestion


class QuestionNavigator(Tree[str]):
    DEFAULT_CSS = """
    QuestionNavigator { width: 28; padding: 0; overflow-x: hidden; }
    """

    NARROW = 28      # cells, at 80 columns
    WIDE = 44        # from WIDE_SCREEN columns: "1.1 Présentation de la structure" whole

    def __init__(self, **kwargs) -> None:
        super().__init__("Grille", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._question_nodes: dict[str, TreeNode[str]] = {}
        self._slot_by_qid: dict[str, Slot] = {}
        self._marks: dict[str, str] = {}
        self.cells = self.NARROW

    @property
    def label_cells(self) -> int:
        """What a question's number and text get: the width less the guides, mark and border."""
        return self.cells - 9

    def set_cells(self, cells: int) -> None:
        """Widen or narrow the tree (the screen decides from its width); labels follow."""
        if cells == self.cells:
            return
        self.cells = cells
        self.styles.width = cells
        for qid, node in self._question_nodes.items():
            node.set_label(self._label(self._slot_by_qid[qid], self._marks.get(qid, "empty")))
        for node in self.root.children:
            slot = next((self._slot_by_qid[c.data] for c in node.children if c.data in self._slot_by_qid), None)
            if slot is not None:
                title = f"{slot.section_index}. {slot.section_title}" if slot.section_index else slot.section_title
                node.set_label(clip(title, self.cells - 6))

    def build(self, slots: list[Slot], marks: dict[str, str]) -> None:
        self.clear()
        self._question_nodes.clear()
        self._slot_by_qid = {s.qid: s for s in slots}
        self._marks = dict(marks)
        sections: dict[int, TreeNode[str]] = {}
        for slot in slots:
            parent = sections.get(slot.section_index)
            if parent is None:
                title = f"{slot.section_index}. {slot.section_title}" if slot.section_index else slot.section_title
                parent = self.root.add(clip(title, self.cells - 6), data=f"section:{slot.section_index}", expand=True)
                sections[slot.section_index] = parent
            self._question_nodes[slot.qid] = parent.add_leaf(self._label(slot, marks.get(slot.qid, "empty")), data=slot.qid)

    def _label(self, slot: Slot, mark: str) -> Text:
        label = Text()
        label.append(STATE_MARKS.get(mark, "?"), style=STATE_STYLES.get(mark, ""))
        label.append(" ")
        label.append(clip(f"{slot.number} {slot.text}", self.label_cells))
        return label

    def set_mark(self, qid: str, mark: str) -> None:
        self._marks[qid] = mark
        node = self._question_nodes.get(qid)
        if node is not None:
            node.set_label(self._label(self._slot_by_qid[qid], mark))

    def select_question(self, qid: str) -> None:
        node = self._question_nodes.get(qid)
        if node is not None:
            self.move_cursor(node, animate=False)
            if node.parent is not None and node.parent.children and node.parent.children[0] is node:
                self.scroll_to_node(node.parent, animate=False)  # show the section title too
            self.scroll_to_node(node, animate=False)
