"""How the screens mark answer states and clip text (no Textual here). Progress figures are the
core's (`core.summary.interview_progress` / `project_progress`), used directly."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

# One mark per answer state, as the navigator and the lists show it.
STATE_MARKS = {
    "answered": "✓",
    "not_asked": "–",
    "declined": "✗",
    "not_applicable": "∅",
    "empty": "·",
}
STATE_STYLES = {
    "answered": "green",
    "not_asked": "yellow",
    "declined": "red",
    "not_applicable": "blue",
    "empty": "dim",
}


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

