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

    def __init__(self, **kwargs) -> None:
        super().__init__("Grille", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._question_nodes: dict[str, TreeNode[str]] = {}
        self._slot_by_qid: dict[str, Slot] = {}

    def build(self, slots: list[Slot], marks: dict[str, str]) -> None:
        self.clear()
        self._question_nodes.clear()
        self._slot_by_qid = {s.qid: s for s in slots}
        sections: dict[int, TreeNode[str]] = {}
        for slot in slots:
            parent = sections.get(slot.section_index)
            if parent is None:
                title = f"{slot.section_index}. {slot.section_title}" if slot.section_index else slot.section_title
                parent = self.root.add(clip(title, 22), data=f"section:{slot.section_index}", expand=True)
                sections[slot.section_index] = parent
            self._question_nodes[slot.qid] = parent.add_leaf(self._label(slot, marks.get(slot.qid, "empty")), data=slot.qid)

    def _label(self, slot: Slot, mark: str) -> Text:
        label = Text()
        label.append(STATE_MARKS.get(mark, "?"), style=STATE_STYLES.get(mark, ""))
        label.append(" ")
        label.append(clip(f"{slot.number} {slot.text}", 19))
        return label

    def set_mark(self, qid: str, mark: str) -> None:
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
