"""The lead's workspace: the store's answers seen through the framework, with every staleness shown.

`Workspace` is the one read API of the synthesis (the TUI screens, `synthesis status`, the export
and the consolidated volume read through it): projects and their answers per grid question, the
evidence with its state, the judgements, the cell summaries with their state, and the status per
evaluative question. Interview files are parsed once and re-read only when they change on disk
(inode, mtime, size), so a screen opened twice does not read 381 files twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pi87_field.core.errors import DamagedFileError, StoreError
from pi87_field.core.guides import Guide
from pi87_field.core.model import Answer, Interview, Project, ProjectKind
from pi87_field.core.store import ProjectStore
from pi87_field.core.summary import project_label
from pi87_field.core.grid import ordered_interviews
from pi87_field.core.labels import EVIDENCE_CHANGED, EVIDENCE_OK, EVIDENCE_UNKNOWN, SUMMARY_OK, SUMMARY_REVIEW
from pi87_field.core.synthesis.framework import EvaluativeQuestion, Framework, find_framework
from pi87_field.core.synthesis.objects import CellSummary, Evidence, Judgement, passage_in
from pi87_field.core.synthesis.store import SynthesisStore
from pi87_field.core.transcript import transcript_of



def framework_for(store: ProjectStore) -> Framework:
    """The framework of a data folder: the built-in one, or the user's in `<data dir>/guides/`."""
    return find_framework(store.guide_dirs, store.guides)


@dataclass(frozen=True)
class CellAnswer:
    """One interview's answer to a grid question (the cell's content before any summary)."""

    interview: Interview
    answer: Answer


@dataclass(frozen=True)
class EvidenceView:
    evidence: Evidence
    state: str
    project_label: str
    answer: Answer | None = None

    @property
    def stale(self) -> bool:
        return self.state != EVIDENCE_OK

    @property
    def answer_changed(self) -> bool:
        """The answer was edited since pinning but still holds the passage."""
        return self.answer is not None and bool(self.evidence.rev) and self.answer.rev != self.evidence.rev


@dataclass(frozen=True)
class StaleItem:
    kind: str            # "evidence" or "summary"
    state: str           # "preuve modifiée", "réponse introuvable", "à revoir"
    project_id: str
    question_id: str     # grid question
    interview_id: str = ""
    text: str = ""       # the quote, or the summary

    def to_dict(self) -> dict:
        return {"kind": self.kind, "state": self.state, "project": self.project_id,
                "interview": self.interview_id, "question": self.question_id, "text": self.text}


@dataclass
class QuestionStatus:
    question: EvaluativeQuestion
    judgement: Judgement
    rating_label: str
    evidence_count: int
    cases_cited: int
    cases_mapped: int
    stale: list[StaleItem] = field(default_factory=list)
    conflicts: int = 0

    def to_dict(self) -> dict:
        return {
            "id": self.question.id, "registre": self.question.registre, "rating": self.rating_label,
            "evidence_count": self.evidence_count, "cases_cited": self.cases_cited,
            "cases_mapped": self.cases_mapped, "stale_count": len(self.stale),
            "stale_items": [s.to_dict() for s in self.stale], "conflicts": self.conflicts,
            "author": self.judgement.author, "updated_at": self.judgement.updated_at,
        }


class Workspace:
    """Open on a `ProjectStore` (writer for the lead's edits, or read-only for `status`)."""

    def __init__(self, store: ProjectStore, framework: Framework | None = None) -> None:
        self.store = store
        self.synthesis = SynthesisStore(store)
        self.framework = framework or framework_for(store)
        self.damaged: list[DamagedFileError] = []
        self._files: dict[Path, tuple[tuple[int, int, int], Interview]] = {}
        self._projects: list[Project] = []
        self._interviews: dict[str, list[Interview]] = {}
        self.refresh()

    # -- loading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read what changed on disk (cheap when nothing did)."""
        scan = self.store.scan()
        self.damaged = list(scan.damaged)
        self._projects = sorted(scan.projects, key=lambda p: (p.kind != ProjectKind.CASE_STUDY, p.id))
        seen: set[Path] = set()
        self._interviews = {}
        for project in self._projects:
            folder = self.store.project_dir(project.id) / "interviews"
            items: list[Interview] = []
            paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
            for path in paths:
                seen.add(path)
                try:
                    st = path.stat()
                except OSError:
                    continue
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                cached = self._files.get(path)
                if cached is not None and cached[0] == stamp:
                    items.append(cached[1])
                    continue
                try:
                    interview = self.store.get_interview(project.id, path.stem)
                except DamagedFileError as exc:
                    self.damaged.append(exc)
                    continue
                except StoreError:
                    continue
                self._files[path] = (stamp, interview)
                items.append(interview)
            self._interviews[project.id] = ordered_interviews(items)     # the one interview order
        for gone in set(self._files) - seen:
            del self._files[gone]

    # -- projects and answers -------------------------------------------------------------------

    @property
    def projects(self) -> list[Project]:
        return self._projects

    def project(self, project_id: str) -> Project | None:
        return next((p for p in self._projects if p.id == project_id), None)

    def label(self, project_id: str) -> str:
        project = self.project(project_id)
        return project_label(project) if project else project_id

    def interviews(self, project_id: str) -> list[Interview]:
        return self._interviews.get(project_id, [])

    def interview(self, project_id: str, interview_id: str) -> Interview | None:
        return next((i for i in self.interviews(project_id) if i.id == interview_id), None)

    def answer(self, project_id: str, interview_id: str, question_id: str) -> Answer | None:
        interview = self.interview(project_id, interview_id)
        return interview.answers.get(question_id) if interview else None

    def cell(self, project_id: str, question_id: str) -> list[CellAnswer]:
        """Every interview's answer of a project to one grid question (empty answers left out)."""
        return [CellAnswer(i, i.answers[question_id]) for i in self.interviews(project_id)
                if question_id in i.answers and not i.answers[question_id].is_empty]

    def guide(self, guide_id: str) -> Guide | None:
        return self.store.guides.get(guide_id)

    def projects_for_guide(self, guide_id: str) -> list[Project]:
        """Projects whose interviews follow a guide (the cases a grid question is asked in)."""
        return [p for p in self._projects
                if p.guide_id == guide_id or any(i.guide_id == guide_id for i in self.interviews(p.id))]

    def grid_questions(self, eq: EvaluativeQuestion) -> list[tuple[str, str, str]]:
        """(guide id, grid question id, question text) for each mapped grid question."""
        out = []
        for m in eq.mapping:
            guide = self.guide(m.guide_id)
            question = guide.question(m.question_id) if guide else None
            out.append((m.guide_id, m.question_id, question.text if question else m.question_id))
        return out

    def cases_mapped(self, eq: EvaluativeQuestion) -> set[str]:
        """The cases (projects) `eq` concerns: every project following a guide that holds a grid
        question mapped to `eq` — with or without an interview yet (a case study not visited
        still counts in "cités / concernés"), an interview series being one case."""
        guides = {m.guide_id for m in eq.mapping}
        return {p.id for g in guides for p in self.projects_for_guide(g)}

    # -- evidence, judgements, summaries ----------------------------------------------------------

    def evidence_state(self, ev: Evidence) -> tuple[str, Answer | None]:
        if ev.transcript_at is not None:      # a passage of the recording's transcript
            interview = self.interview(ev.project_id, ev.interview_id)
            held = transcript_of(interview) if interview is not None else None
            if held is None:
                return EVIDENCE_UNKNOWN, None
            said = " ".join(s.text for s in held.segments if s.question == ev.question_id)
            return (EVIDENCE_OK if passage_in(ev.quote, said) else EVIDENCE_CHANGED), None
        answer = self.answer(ev.project_id, ev.interview_id, ev.question_id)
        if answer is None:
            return EVIDENCE_UNKNOWN, None
        return (EVIDENCE_OK if passage_in(ev.quote, answer.text) else EVIDENCE_CHANGED), answer

    def evidence_view(self, ev: Evidence) -> EvidenceView:
        state, answer = self.evidence_state(ev)
        return EvidenceView(ev, state, self.label(ev.project_id), answer)

    def evidence_for(self, question_id: str) -> list[EvidenceView]:
        """The evidence a judgement cites: case order, then the guide's order of the questions
        (2.1 before 3.2, whatever their ids), then pinning order."""
        order = {p.id: n for n, p in enumerate(self._projects)}
        items = [e for e in self.synthesis.evidence() if question_id in e.supports]
        items.sort(key=lambda e: (order.get(e.project_id, len(order)), self.question_position(e), e.created_at))
        return [self.evidence_view(e) for e in items]

    def question_position(self, ev: Evidence) -> tuple[int, str]:
        """Where the evidence's grid question stands in its interview's guide (unknown last)."""
        interview = self.interview(ev.project_id, ev.interview_id)
        guide = self.guide(interview.guide_id) if interview is not None and interview.guide_id else None
        if guide is None:
            return (1 << 30, ev.question_id)
        positions = self.__dict__.setdefault("_positions", {})
        table = positions.get(guide.id)
        if table is None:
            table = positions[guide.id] = {q.id: n for n, q in enumerate(q for s in guide.sections
                                                                           for q in s.questions)}
        return (table.get(ev.question_id, 1 << 30), ev.question_id)

    def evidence_in_cell(self, project_id: str, question_id: str) -> list[EvidenceView]:
        return [self.evidence_view(e) for e in self.synthesis.evidence()
                if e.project_id == project_id and e.question_id == question_id]

    def judgement(self, question_id: str) -> Judgement:
        return self.synthesis.judgement(question_id)

    def summary(self, project_id: str, question_id: str) -> CellSummary | None:
        return self.synthesis.summary(project_id, question_id)

    def summary_state(self, summary: CellSummary) -> str:
        current = {c.interview.id: c.answer.rev for c in self.cell(summary.project_id, summary.question_id)}
        return SUMMARY_OK if current == summary.sources else SUMMARY_REVIEW

    # -- status --------------------------------------------------------------------------------

    def status(self) -> list[QuestionStatus]:
        """Per evaluative question: rating, evidence, cases cited / mapped, stale items."""
        summaries = self.synthesis.summaries()
        out = []
        for eq in self.framework.questions:
            judgement = self.judgement(eq.id)
            views = self.evidence_for(eq.id)
            stale = [StaleItem("evidence", v.state, v.evidence.project_id, v.evidence.question_id,
                               v.evidence.interview_id, v.evidence.quote) for v in views if v.stale]
            mapped = set(eq.mapped_ids)
            for s in summaries.values():
                if s.question_id in mapped and self.summary_state(s) == SUMMARY_REVIEW:
                    stale.append(StaleItem("summary", SUMMARY_REVIEW, s.project_id, s.question_id, text=s.text))
            conflicts = len(judgement.concurrent) + sum(
                len(s.concurrent) for s in summaries.values() if s.question_id in mapped)
            out.append(QuestionStatus(
                question=eq, judgement=judgement, rating_label=self.framework.rating_label(judgement.rating),
                evidence_count=len(views), cases_cited=len(cited := {v.evidence.project_id for v in views}),
                # a passage may be pinned from a grid question outside the mapping: its case counts
                # among the cases concerned, so "cited / concerned" never reads "1 / 0"
                cases_mapped=len(self.cases_mapped(eq) | cited), stale=stale, conflicts=conflicts,
            ))
        return out

    def question_status(self, question_id: str) -> QuestionStatus:
        return next(s for s in self.status() if s.question.id == question_id)
