"""What every face says about projects and interviews, one function per rule.

Shared by the CLI, the TUI, the write-up and the volume, so they cannot drift apart:

- progress: `interview_progress(interview, guide) -> (answered, questions)` (`grid.Grid.progress`) and
  `project_progress(interviews, guides) -> ProjectProgress` (done/total, percent);
- interview order: `ordered_interviews(interviews)` and its key `interview_order_key` (defined in
  `grid`, the read model, and re-exported here): "Entretien 2" is the same interview in a
  write-up, the volume and the pseudonym register;
- interview title: `interview_title(project, interview)` -> "Mission locale du Lunévillois —
  14/10/2019" (who was met: organisations, else names; when), and with `header=True` the TUI's
  one-line header "carrier · Claire Martin (Mission locale) · 14/10/2019";
- `project_fact_rows(project)` (labelled facts) and `project_label(project)` (short name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pi87_field.core.fr import format_percent, fr_date, percent
from pi87_field.core.grid import Grid, GuideLike, ProgressFacts
from pi87_field.core.grid import interview_order_key as interview_order_key  # re-exported: the one order
from pi87_field.core.grid import ordered_interviews as ordered_interviews
from pi87_field.core.guides import Guide, GuideLibrary
from pi87_field.core.model import Interview, InterviewStatus, Project, ProjectKind
from pi87_field.core.text import one_line


def interview_progress(interview: Interview, guide: GuideLike | None) -> tuple[int, int]:
    """(questions with an answer or an explicit state, questions of the guide): `grid.Grid`'s."""
    return Grid.of(interview, guide).progress


@dataclass(frozen=True)
class ProjectProgress:
    done: int          # interviews marked complete
    total: int         # all interviews (planned ones included)
    answered: int      # answered questions over all interviews
    questions: int     # questions over all interviews

    @property
    def percent(self) -> int:
        return percent(self.answered / self.questions) if self.questions else 0

    @property
    def done_label(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def percent_label(self) -> str:
        return format_percent(self.answered / self.questions if self.questions else 0.0)


def project_progress(interviews: Iterable[Interview | ProgressFacts], guides: GuideLibrary) -> ProjectProgress:
    """Progress of a project over all its interviews: the CLI, the TUI and the volume agree.
    Takes the interviews, or the store's `ProgressFacts` of them (the home at programme scale)."""
    done = answered = questions = total = 0
    ids: dict[str, frozenset[str] | None] = {}          # per guide, worked out once
    for item in interviews:
        facts = item if isinstance(item, ProgressFacts) else ProgressFacts.of(item)
        total += 1
        if facts.status == InterviewStatus.COMPLETE.value:
            done += 1
        if facts.guide_id not in ids:
            guide = guides.get(facts.guide_id)
            ids[facts.guide_id] = None if guide is None else frozenset(guide.question_ids)
        known = ids[facts.guide_id]
        got, out_of = facts.against(None) if known is None else facts.count(known)
        answered += got
        questions += out_of
    return ProjectProgress(done, total, answered, questions)


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


def interview_people(interview: Interview) -> str:
    """Who was met: their organisations, else their names (duplicates once)."""
    who = dict.fromkeys(x for x in (one_line(p.organisation or p.name) for p in interview.interviewees) if x)
    return ", ".join(who)


def interview_title(project: Project | None, interview: Interview, *, header: bool = False) -> str:
    """ "Mission locale du Lunévillois — 14/10/2019"; with `header`, the TUI's header line."""
    when = fr_date(interview.date)
    if header:
        people = ", ".join(
            f"{one_line(p.name)} ({one_line(p.organisation)})" if p.name and p.organisation
            else one_line(p.name or p.organisation)
            for p in interview.interviewees if p.name or p.organisation)
        # A case study is known by its label; a series interview by the people met.
        where = project_label(project) if project is not None and project.kind == ProjectKind.CASE_STUDY else ""
        return " · ".join(filter(None, (where, people, when))) or (project_label(project) if project else "Entretien")
    return f"{interview_people(interview) or 'Entretien'} — {when or 'date à fixer'}"


def project_heading(project: Project) -> str:
    """What a document is titled after: a case study's carrier, else the project's title."""
    if project.kind == ProjectKind.CASE_STUDY and project.carrier:
        return one_line(project.carrier)
    return one_line(project.title) or project.id


def interviewee_lines(interview: Interview) -> str:
    """One line per person met: "Name — role, organisation"."""
    lines = []
    for p in interview.interviewees:
        detail = ", ".join(x for x in (one_line(p.role), one_line(p.organisation)) if x)
        lines.append(" — ".join(x for x in (one_line(p.name), detail) if x) or "(non renseigné)")
    return "\n".join(lines)


def interview_fact_rows(interview: Interview, guide: Guide | None, *, log: bool = True,
                        notes: bool = True) -> list[tuple[str, str]]:
    """The interview's facts as (French label, value) rows: the write-up and the volume agree.

    `log`: with the interview log (hours, duration, time per question: `timing_rows`), which the
    write-up puts in an annex of its own; `notes`: with the interviewer's notes (left out of the
    client edition)."""
    done, total = interview_progress(interview, guide)
    grid = (f"{guide.title} (version {interview.guide_version or guide.version})" if guide
            else f"{interview.guide_id} (grille introuvable)" if interview.guide_id else "")
    return [
        ("Enquêteur·rice", one_line(interview.interviewer) or "non renseigné"),
        ("Date", (fr_date(interview.date) or "à fixer") + _postponed_from(interview)),
        ("Mode", interview.mode.label if interview.mode else ""),
        ("Personnes interrogées", interviewee_lines(interview)),
        ("Consentement", {True: "oui", False: "non", None: "non renseigné"}[interview.consent]),
        ("Statut", interview.status.label),
        ("Grille", grid),
        ("Avancement", f"{done} / {total} questions renseignées" if total else ""),
        *(timing_rows(interview, guide) if log else []),
        ("Notes", interview.notes.strip() if notes else ""),
    ]


def _postponed_from(interview: Interview) -> str:
    """" (reporté ; prévu d'abord le 14/10/2019)": the former dates a postponement replaced."""
    former: list[str] = []
    for move in interview.extra.get("postponed") or []:
        if isinstance(move, dict) and isinstance(move.get("from"), str):
            try:
                when = fr_date(date.fromisoformat(move["from"]))
            except ValueError:
                continue
            if when not in former and when != fr_date(interview.date):
                former.append(when)
    if not former:
        return ""
    return f" (reporté ; prévu d'abord le {', puis le '.join(former)})"


def timing_rows(interview: Interview, guide: Guide | None) -> list[tuple[str, str]]:
    """When the interview happened (from core.timing): hours, duration, time per question.
    No rows for an interview never opened in the TUI (nothing was measured)."""
    from pi87_field.core import timing

    start, end = timing.started_at(interview), timing.ended_at(interview)
    if start is None:
        return []
    sittings = len(timing.sittings(interview))
    hours = f"{fr_date(start.date())} de {start:%H:%M}"
    if end is not None:
        hours += f" à {end:%H:%M}" if end.date() == start.date() else f" au {fr_date(end.date())} à {end:%H:%M}"
    if sittings > 1:
        hours += f" ({sittings} séances)"
    per_question = timing.question_seconds(interview)
    numbers = guide.number if guide is not None else (lambda qid: "")
    spent = "\n".join(f"{numbers(qid) or qid} : {timing.format_duration(seconds)}"
                      for qid, seconds in sorted(per_question.items(),
                                                 key=lambda item: _question_rank(guide, item[0]))
                      if seconds > 0)
    return [("Horaires", hours),
            ("Durée", timing.format_duration(timing.duration_seconds(interview))),
            *([("Temps par question", spent)] if spent else [])]


def _question_rank(guide: Guide | None, question_id: str) -> tuple[int, str]:
    ids = guide.question_ids if guide is not None else []
    return (ids.index(question_id) if question_id in ids else len(ids), question_id)
