"""Progress figures of projects and interviews (shared by the CLI, the TUI and the volume)."""

from __future__ import annotations

from dataclasses import dataclass

from pi87_field.core.guides import Guide, GuideLibrary
from pi87_field.core.model import Interview, InterviewStatus, Project


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

    @property
    def done_label(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def percent_label(self) -> str:
        return f"{self.percent}\u00a0%"


def project_progress(interviews: list[Interview], guides: GuideLibrary) -> ProjectProgress:
    """Progress of a project over all its interviews: the CLI, the TUI and the volume agree."""
    done = answered = questions = 0
    for interview in interviews:
        if interview.status == InterviewStatus.COMPLETE:
            done += 1
        got, out_of = interview_progress(interview, guides.get(interview.guide_id))
        answered += got
        questions += out_of
    return ProjectProgress(done, len(interviews), answered, questions)


def project_fact_rows(project: Project) -> list[tuple[str, str]]:
    """The project's facts as (French label, value) rows, in the order documents show them.

    Empty optional facts are returned with an empty value; callers drop them if they wish.
    """
    from pi87_field.core.model import OS_LABELS
    from pi87_field.core.money import format_amount
    from pi87_field.core.text import one_line

    amount = format_amount(project.fse_amount)
    if amount and project.fse_amount_note:
        amount += f" ({one_line(project.fse_amount_note)})"
    return [
        ("Type", project.kind.label),
        ("Objectif spécifique", OS_LABELS.get(project.os, f"OS {project.os}") if project.os else ""),
        ("Porteur de projet", project.carrier),
        ("Intitulé de l’opération", project.title),
        ("Montant FSE programmé", amount),
        ("Caractéristiques retenues", project.characteristics.strip()),
        ("Volet", project.volet or ""),
        ("Niveau territorial", project.territorial_level or ""),
        ("Région", project.region or ""),
        ("Type d’opération", project.operation_type or ""),
        ("Dimension numérique", "\n".join(project.digital)),
        ("Étapes de l’innovation", ", ".join(project.innovation_steps)),
    ]


def project_label(project: Project) -> str:
    """The short name of a project, everywhere a person must tell projects apart (tables, titles,
    palette, search, volume): the user's label, else the carrier, else the title."""
    return project.label or project.carrier or project.title or project.id
