"""Interview and project progress as the screens show it (no Textual here: plain figures)."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

from pi87_field.core.guides import Guide
from pi87_field.core.model import Interview, Project
from pi87_field.core.store import ProjectStore
from pi87_field.core.summary import ProjectProgress
from pi87_field.core.summary import project_progress as core_project_progress

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


def project_progress(store: ProjectStore, project: Project,
                     interviews: list[Interview] | None = None) -> ProjectProgress:
    if interviews is None:
        interviews = store.list_interviews(project.id)
    return core_project_progress(interviews, store.guides)


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


def question_number(guide: Guide | None, question_id: str) -> str:
    """The question's number as the interview screen shows it: the guide's own, else
    "section.position" ("6.1"); "" when the question is not in the guide."""
    if guide is None:
        return ""
    for si, section in enumerate(guide.sections, start=1):
        for qi, question in enumerate(section.questions, start=1):
            if question.id == question_id:
                return question.number or f"{si}.{qi}"
    return ""
