"""Progress figures of projects and interviews (shared by the CLI, the TUI and the volume)."""

from __future__ import annotations

from dataclasses import dataclass

from pi87_field.core.guides import Guide, GuideLibrary
from pi87_field.core.model import Interview, InterviewStatus, Project
from pi87_field.core.text import fr_date


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


def project_heading(project: Project) -> str:
    """What a document is titled after: a case study's carrier, else the project's title."""
    from pi87_field.core.model import ProjectKind
    from pi87_field.core.text import one_line

    if project.kind == ProjectKind.CASE_STUDY and project.carrier:
        return one_line(project.carrier)
    return one_line(project.title) or project.id


def interview_order(interviews: list[Interview]) -> list[Interview]:
    """The one order of a project's interviews ("Entretien 1, 2…" in the write-up, the volume and
    the TUI): by date (undated last), then creation, then id."""
    from datetime import date

    return sorted(interviews, key=lambda i: (i.date or date.max, i.created_at, i.id))


def interviewee_lines(interview: Interview) -> str:
    """One line per person met: "Name — role, organisation"."""
    from pi87_field.core.text import one_line

    lines = []
    for p in interview.interviewees:
        detail = ", ".join(x for x in (one_line(p.role), one_line(p.organisation)) if x)
        lines.append(" — ".join(x for x in (one_line(p.name), detail) if x) or "(non renseigné)")
    return "\n".join(lines)


def interview_fact_rows(interview: Interview, guide: Guide | None) -> list[tuple[str, str]]:
    """The interview's facts as (French label, value) rows: the write-up and the volume agree."""
    from pi87_field.core.text import one_line

    done, total = interview_progress(interview, guide)
    grid = (f"{guide.title} (version {interview.guide_version or guide.version})" if guide
            else f"{interview.guide_id} (grille introuvable)" if interview.guide_id else "")
    return [
        ("Enquêteur·rice", one_line(interview.interviewer) or "non renseigné"),
        ("Date", fr_date(interview.date, "à fixer")),
        ("Mode", interview.mode.label if interview.mode else ""),
        ("Personnes interrogées", interviewee_lines(interview)),
        ("Consentement", {True: "oui", False: "non", None: "non renseigné"}[interview.consent]),
        ("Statut", interview.status.label),
        ("Grille", grid),
        ("Avancement", f"{done} / {total} questions renseignées" if total else ""),
        ("Notes", interview.notes.strip()),
    ]
