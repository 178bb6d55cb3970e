"""Interview and project progress as the screens show it (no Textual here: plain figures)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from pi87_field.core.guides import Guide
from pi87_field.core.model import Interview, InterviewStatus, Project
from pi87_field.core.store import ProjectStore

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


def question_ids(interview: Interview, guide: Guide | None) -> list[str]:
    """The questions an interview is measured against: its guide's, else the texts it kept."""
    if guide is not None:
        return guide.question_ids
    return list(interview.question_texts) or list(interview.answers)


def interview_progress(interview: Interview, guide: Guide | None) -> tuple[int, int]:
    """(questions with an answer or an explicit state, questions of the guide)."""
    ids = question_ids(interview, guide)
    return interview.answered_count(ids), len(ids)


@dataclass(frozen=True)
class ProjectProgress:
    done: int          # interviews marked complete
    total: int         # all interviews (planned ones included)
    answered: int      # answered questions over all interviews
    questions: int     # questions over all interviews

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 0


def project_progress(store: ProjectStore, project: Project,
                     interviews: list[Interview] | None = None) -> ProjectProgress:
    if interviews is None:
        interviews = store.list_interviews(project.id)
    done = answered = questions = 0
    for interview in interviews:
        if interview.status == InterviewStatus.COMPLETE:
            done += 1
        got, out_of = interview_progress(interview, store.guide_for(interview.guide_id))
        answered += got
        questions += out_of
    return ProjectProgress(done, len(interviews), answered, questions)


def clip(text: str, width: int) -> str:
    """One line, at most `width` cells (ellipsis when cut)."""
    flat = " ".join(text.split())
    if width <= 0:
        return ""
    if cell_len(flat) <= width:
        return flat
    return set_cell_size(flat, width - 1).rstrip() + "…"
