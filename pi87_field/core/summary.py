"""Progress figures of projects and interviews (shared by the CLI, the TUI and the volume)."""

from __future__ import annotations

from dataclasses import dataclass

from pi87_field.core.guides import Guide
from pi87_field.core.model import Interview, InterviewStatus, Project


def interview_completion(interview: Interview, guide: Guide | None) -> float:
    """Share of the guide's questions that have an answer or an explicit state (0..1)."""
    ids = guide.question_ids if guide else list(interview.answers)
    if not ids:
        return 0.0
    return interview.answered_count(ids) / len(ids)


@dataclass(frozen=True)
class ProjectSummary:
    interviews: int
    done: int
    completion: float  # over all interviews of the project, 0..1

    @property
    def done_label(self) -> str:
        return f"{self.done}/{self.interviews}"

    @property
    def completion_label(self) -> str:
        return f"{round(self.completion * 100)} %".replace(" ", "\u00a0")


def project_summary(project: Project, interviews: list[Interview], guides) -> ProjectSummary:
    if not interviews:
        return ProjectSummary(0, 0, 0.0)
    done = sum(1 for i in interviews if i.status == InterviewStatus.COMPLETE)
    shares = [interview_completion(i, guides.get(i.guide_id or project.guide_id)) for i in interviews]
    return ProjectSummary(len(interviews), done, sum(shares) / len(shares))


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
