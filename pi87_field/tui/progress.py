"""How the screens mark answer states and clip text (no Textual here). Progress figures are the
core's (`core.summary.interview_progress` / `project_progress`), used directly."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

from pi87_field.core.model import Answer

# One mark per answer state, as the navigator and the lists show it.
STATE_MARKS = {
    "answered": "✓",
    "to_complete": "◐",
    "not_asked": "–",
    "declined": "✗",
    "not_applicable": "∅",
    "empty": "·",
    "conflict": "⚠",
}
STATE_STYLES = {
    "answered": "green",
    "to_complete": "magenta",
    "not_asked": "yellow",
    "declined": "red",
    "not_applicable": "blue",
    "empty": "dim",
    "conflict": "bold red",
}


def display_mark(answer: Answer | None) -> str:
    """The mark a list shows for an answer: a conflict first (both versions wait for a choice,
    whatever the state of the one displayed), else its state."""
    if answer is None:
        return "empty"
    return "conflict" if answer.concurrent else answer.mark


# Runs of ordinary white space become one space; no-break spaces ("21 914,89 €") stay.
BREAKING_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


def clip(text: str, width: int) -> str:
    """One line, at most `width` cells (ellipsis when cut)."""
    flat = BREAKING_SPACES.sub(" ", text).strip()
    if width <= 0:
        return ""
    if cell_len(flat) <= width:
        return flat
    return set_cell_size(flat, width - 1).rstrip() + "…"

