"""The answer editor: a plain multi-line TextArea (soft wrap, no syntax highlighting)."""

from __future__ import annotations

from textual.widgets import TextArea


class AnswerEditor(TextArea):
    DEFAULT_CSS = """
    AnswerEditor { height: 1fr; min-height: 4; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, language=None, soft_wrap=True, show_line_numbers=False,
                         tab_behavior="focus", **kwargs)
