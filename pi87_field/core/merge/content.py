"""What a consolidated volume shows, gathered once, whichever way it came in.

Two roads lead to one volume and one workbook (`volume.build_volume`, `workbook.build_workbook`):
- `from_store`: the team lead's workspace (`pi87-field volume`): every project of the store,
  the files imported into it (provenance), the built-in campaign for coverage, and the
  synthesis if the store holds one;
- `from_consolidation`: the one-shot `pi87-field merge FILE…`, from the files given.

Everything shown is cleaned here once (text XML can carry); the writers only escape it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pi87_field.core.bundle import Bundle
from pi87_field.core.campaign import CASE_STUDY_GUIDE, build_campaign
from pi87_field.core.exchange.importing import EDITED_IN_WORD, IMPORTS_KEY
from pi87_field.core.grid import Grid, GridSection, orphan_questions, ordered_interviews
from pi87_field.core.guides import Guide, GuideLibrary, Question, Section, numbered, question_numbers
from pi87_field.core.labels import NOT_RATED
from pi87_field.core.model import Answer, Interview, Project, ProjectKind, now_iso
from pi87_field.core.summary import interview_title, project_label
from pi87_field.core.text import clean_text, one_line

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.merge.consolidation import Consolidation
    from pi87_field.core.store import ProjectStore
    from pi87_field.core.synthesis import Workspace



@dataclass
class GuideView:
    """The guide interviews are shown against: a known guide, or one rebuilt from the question
    texts the interviews carry (a guide this installation does not have)."""

    id: str
    title: str
    sections: tuple[Section, ...]
    guide: Guide | None = None

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]

    def number(self, qid: str) -> str:
        """The guide's numbering (`guides.question_numbers`: the same rule as `Guide.number`)."""
        numbers = self.__dict__.get("_numbers")
        if numbers is None:
            numbers = self.__dict__["_numbers"] = question_numbers(self.sections)
        return numbers.get(qid, "")

    def label(self, q: Question) -> str:
        """"1.1. Présentation de la structure"."""
        return numbered(self.number(q.id), one_line(q.text))


def guide_view(guides: GuideLibrary, guide_id: str, interviews: list[Interview]) -> GuideView:
    guide = guides.get(guide_id) if guide_id else None
    if guide is not None:
        return GuideView(guide.id, guide.title, guide.sections, guide)
    texts: dict[str, str] = {}
    for i in interviews:
        for qid, text in i.question_texts.items():
            texts.setdefault(qid, text)
        for qid in i.answers:
            texts.setdefault(qid, qid)
    questions = tuple(Question(id=qid, text=one_line(text.split("\n")[0]) or qid) for qid, text in texts.items())
    title = f"Grille « {guide_id} » (absente de cette installation)" if guide_id else "Questions sans grille"
    return GuideView(guide_id, title, (Section(id="questions", title="Questions", questions=questions),))


def guide_order(guide_ids: Iterable[str]) -> list[str]:
    """The one order of guides in the volume and the workbook: the case-study grid (annex 5.1)
    first, then the others by id."""
    return sorted(guide_ids, key=lambda gid: (gid != CASE_STUDY_GUIDE, gid))


@dataclass
class MatrixPart:
    """One guide's part of the cross-case matrix (the volume's Part II, the workbook's "Matrice"):
    the interviews on it that have answers, each seen through its grid, and the sections to show
    — the guide's, then the questions left out of it that any of these interviews answered."""

    rank: int                                       # 1-based, among the parts shown
    view: GuideView
    rows: list[tuple[Case, int, Grid]]              # (case, its interview's rank "E2", grid)
    sections: list[GridSection]                     # questions without answers: read each row's grid

    @property
    def single(self) -> bool:
        """A one-section guide (its title stands for its section)."""
        return sum(1 for s in self.sections if not s.orphan) == 1


@dataclass
class Case:
    """One project of the volume: a chapter of Part III, a column of the matrix."""

    number: int
    project: Project
    interviews: list[Interview]          # in the one interview order
    sources: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        label = self.__dict__.get("_label")
        if label is None:
            label = self.__dict__["_label"] = one_line(project_label(self.project))
        return label

    def title(self, interview: Interview) -> str:
        """The interview's title (`summary.interview_title`), worked out once per interview."""
        titles = self.__dict__.setdefault("_titles", {})
        if interview.id not in titles:
            titles[interview.id] = interview_title(self.project, interview)
        return titles[interview.id]

    @property
    def anchor(self) -> str:
        return f"_pi87_cas{self.number}"

    @property
    def is_case_study(self) -> bool:
        return self.project.kind == ProjectKind.CASE_STUDY

    @property
    def evaluators(self) -> list[str]:
        """Everyone whose answers this case holds: interviewers, then other answer authors."""
        names = [one_line(i.interviewer) for i in self.interviews]
        names += [one_line(a.author) for i in self.interviews for a in i.answers.values()]
        names += [one_line(v.author) for i in self.interviews for a in i.answers.values() for v in a.concurrent]
        return [n for n in dict.fromkeys(names) if n]

    @property
    def answered(self) -> list[Interview]:
        """Interviews with at least one answer or explicit state (a write-up came back)."""
        return [i for i in self.interviews if i.answered_count() > 0]


@dataclass
class SourceFile:
    """A file that went into the volume (provenance)."""

    file: str
    sha256: str
    evaluator: str = ""
    exported_at: str = ""
    project_id: str = ""
    status: str = "fusionné"
    reason: str = ""
    error: bool = False


@dataclass
class Evidence:
    """A passage the team lead cited, with the answer it comes from."""

    project_id: str
    interview_id: str
    question_id: str
    quote: str
    tags: list[str] = field(default_factory=list)
    stale: bool = False                  # "preuve modifiée": the passage is no longer in the answer
    missing: bool = False                # "réponse introuvable": the answer is not in this store
    key: str = ""                        # its citation key ("lunevillois-2.1")
    source_label: str = ""               # "transcription, 00:13:05" for a passage of a recording's transcript


@dataclass
class Judgement:
    """One evaluative question of the framework, with the lead's judgement (§4.1 of the report)."""

    id: str
    registre: str
    text: str
    rating: str = ""                     # "+", "++", "+++" or "" (non évalué)
    explanation: str = ""
    mapped: list[tuple[str, str]] = field(default_factory=list)     # (guide id, question id)
    evidence: list[Evidence] = field(default_factory=list)
    author: str = ""
    updated_at: str = ""
    number: str = ""                     # the framework's number of the question ("1"…"5")
    conflict: LeadConflict | None = None  # two leads' divergent versions, the shown one first


@dataclass
class CellSummary:
    """The lead's summary of one case's answers to one grid question."""

    project_id: str
    question_id: str
    text: str
    review: bool = False                 # "à revoir": an answer it summarises changed since
    author: str = ""
    conflict: LeadConflict | None = None  # two leads' divergent versions, the shown one first


@dataclass
class SourceRef:
    """A document or monitoring data cited (`[@key, p. 12]`)."""

    key: str
    title: str
    author: str = ""
    date: str = ""
    kind: str = ""
    locator: str = ""
    url: str = ""
    note: str = ""


@dataclass
class FindingView:
    key: str
    kind: str                            # "atout" | "limite"
    text: str
    questions: list[str] = field(default_factory=list)


@dataclass
class RecommendationView:
    key: str
    text: str
    subpoints: list[str] = field(default_factory=list)
    rests_on: list[str] = field(default_factory=list)


@dataclass
class LeadConflict:
    """A lead's object (judgement, cell summary, source, conclusions, préconisation) edited both
    ways by two leads: every version, the one shown first."""

    kind: str                            # "jugement", "synthèse de cellule", "source", "conclusions", "préconisation"
    key: str
    versions: list[tuple[str, str, str, str]] = field(default_factory=list)   # (text, author, when, source)


@dataclass
class SynthesisView:
    judgements: list[Judgement]
    summaries: dict[tuple[str, str], CellSummary] = field(default_factory=dict)
    framework: str = ""
    # chapter 4 of the report
    intro: str = ""
    findings: list[FindingView] = field(default_factory=list)
    overall: str = ""
    recommendations_intro: str = ""
    recommendations: list[RecommendationView] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)     # every cited passage by key
    lead_conflicts: list[LeadConflict] = field(default_factory=list)

    @property
    def has_chapter(self) -> bool:
        return bool(self.intro or self.findings or self.overall or self.recommendations)


@dataclass
class VolumeContent:
    cases: list[Case]
    guides: GuideLibrary
    sources: list[SourceFile] = field(default_factory=list)
    made_at: str = field(default_factory=now_iso)
    origin: str = "store"                # "store" (volume) or "merge"
    synthesis: SynthesisView | None = None
    missing: list[tuple[str, str]] = field(default_factory=list)     # (what, why): coverage
    damaged: list[Any] = field(default_factory=list)   # store files that could not be read (left out)
    pseudonymised: str = ""              # "" nominative, else the level ("people", "strict")
    residual: Any = None                 # privacy.ResidualReport when pseudonymised here
    out_docx: Path | None = None         # the files written (a pseudonymised one has its own name)
    out_xlsx: Path | None = None
    views: dict[str, GuideView] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_guide: dict[str, list[Interview]] = {}
        for case in self.cases:
            for i in case.interviews:
                by_guide.setdefault(guide_id_of(i, case.project), []).append(i)
        self.views = {gid: guide_view(self.guides, gid, ivs) for gid, ivs in by_guide.items()}

    def view_of(self, interview: Interview, project: Project) -> GuideView:
        return self.views[guide_id_of(interview, project)]

    def grid(self, case: Case, interview: Interview) -> Grid:
        """The interview against its guide view (`core.grid`): worked out once per interview."""
        cached: dict[str, Grid] = self.__dict__.setdefault("_grids", {})
        found = cached.get(interview.id)
        if found is None:
            found = cached[interview.id] = Grid.of(interview, self.view_of(interview, case.project))
        return found

    def matrix(self) -> list[MatrixPart]:
        """The matrix's parts, in the one guide order; a guide no interview answered is left out."""
        cached = self.__dict__.get("_matrix")
        if cached is not None:
            return cached
        parts: list[MatrixPart] = []
        for guide_id in guide_order(self.views):
            view = self.views[guide_id]
            rows = [(case, k, grid) for case in self.cases for k, i in enumerate(case.interviews, start=1)
                    if guide_id_of(i, case.project) == guide_id and (grid := self.grid(case, i)).has_answers]
            if not rows:
                continue
            sections = list(rows[0][2].guide_sections)
            orphans = orphan_questions([grid for _, _, grid in rows])
            if orphans:
                sections.append(GridSection(0, f"Questions hors grille ({view.title})", tuple(orphans)))
            # the questions only: each row's answer is read from its own grid
            bare = [replace(s, questions=tuple(replace(q, answer=None) for q in s.questions)) for s in sections]
            parts.append(MatrixPart(len(parts) + 1, view, rows, bare))
        self.__dict__["_matrix"] = parts
        return parts

    @property
    def evaluators(self) -> list[str]:
        return sorted({n for c in self.cases for n in c.evaluators})

    def case_of(self, project_id: str) -> Case | None:
        return self._by_id().get(project_id)

    def _by_id(self) -> dict[str, Case]:
        cached = getattr(self, "_index", None)
        if cached is None:
            cached = {c.project.id: c for c in self.cases}
            object.__setattr__(self, "_index", cached)
        return cached


def guide_id_of(interview: Interview, project: Project) -> str:
    return interview.guide_id or project.guide_id


def case_order(projects: list[Project]) -> list[Project]:
    """Case studies first (by id), then interview series: the chapters' order."""
    return sorted(projects, key=lambda p: (p.kind != ProjectKind.CASE_STUDY, p.id))


# -- cleaning ------------------------------------------------------------------------------------

def _clean_answer(a: Answer) -> None:
    a.text = clean_text(a.text)
    a.author = clean_text(a.author)
    for v in a.concurrent:
        v.text, v.author, v.source = clean_text(v.text), clean_text(v.author), clean_text(v.source)


def _clean_interview(i: Interview) -> None:
    i.interviewer = clean_text(i.interviewer)
    i.notes = clean_text(i.notes)
    for p in i.interviewees:
        p.name, p.role, p.organisation = clean_text(p.name), clean_text(p.role), clean_text(p.organisation)
    for a in i.answers.values():
        _clean_answer(a)
    i.question_texts = {k: clean_text(v) for k, v in i.question_texts.items()}


def _clean_project(p: Project) -> None:
    for name in ("id", "title", "carrier", "label", "characteristics", "fse_amount_note"):
        setattr(p, name, clean_text(getattr(p, name)))


# -- coverage against the campaign -----------------------------------------------------------------

def campaign_missing(cases: list[Case], guides: GuideLibrary, *, pseudonymised: bool = False) -> list[tuple[str, str]]:
    """Case studies and interviews of the built-in campaign that have no write-up here.

    A pseudonymised volume names them by their rank in the report (annex 5.1, §1.4), not by
    carrier or organisation: what was not pseudonymised must not enter it."""
    present = {c.project.id: c for c in cases}
    out: list[tuple[str, str]] = []
    studies = interviews = 0
    for project, planned in build_campaign(guides):
        case = present.get(project.id)
        if project.kind == ProjectKind.CASE_STUDY:
            studies += 1
        label = f"n° {studies} de l’annexe 5.1" if pseudonymised else one_line(project_label(project))
        if project.kind == ProjectKind.CASE_STUDY:
            if case is None:
                out.append((f"Étude de cas « {label} »", "aucun compte rendu"))
            elif not case.answered:
                out.append((f"Étude de cas « {label} »", "aucune réponse enregistrée"))
            continue
        answered = case.answered if case else []
        known = {i.id for i in case.interviews} if case else set()    # planned ones: listed on their own
        orgs = [one_line(p.organisation) for i in answered for p in i.interviewees]
        for interview in planned:
            interviews += 1
            org = one_line(interview.interviewees[0].organisation) if interview.interviewees else ""
            if interview.id in known:
                continue
            if org and org in orgs:
                orgs.remove(org)             # an interview of that organisation came back
                continue
            name = f"n° {interviews} du §1.4" if pseudonymised else (org or interview.id)
            out.append((f"Entretien qualitatif « {name} »", "aucun compte rendu"))
    return out


# -- the two roads ---------------------------------------------------------------------------------

def _pseudonymise_store(store: ProjectStore, projects: list[tuple[Project, list[Interview]]],
                       sources: list[SourceFile], level: str) -> tuple[list[tuple[Project, list[Interview]]], Any, Any]:
    """Every project through the store's one register (the labels of the store's exports), and
    the file names and evaluators of the provenance annex; returns the residual-risk report and
    the pseudonymiser the synthesis's texts go through."""
    from pi87_field.core.exchange.exporting import store_register
    from pi87_field.core.privacy import pseudonymise_bundles
    from pi87_field.core.privacy.pseudonymise import Pseudonymiser, pseudonymise_labels

    register = store_register(store)
    bundles, report = pseudonymise_bundles([Bundle(project=p, interviews=i) for p, i in projects], register, level)
    ps = Pseudonymiser(register, "people")
    for source in sources:
        source.file = pseudonymise_labels([source.file], register, report)[0]
        source.evaluator = ", ".join(register.label_for(n) or ps.text(n) for n in source.evaluator.split(", ") if n)
    return [(b.project, b.interviews) for b in bundles], report, Pseudonymiser(register, level)


def _imports(project: Project) -> list[SourceFile]:
    log = project.extra.get(IMPORTS_KEY)
    files = [r for r in log if isinstance(r, dict)] if isinstance(log, list) else []
    return [SourceFile(file=one_line(str(r.get("file", ""))), sha256=str(r.get("sha256", "")),
                       evaluator=one_line(str(r.get("evaluator", ""))), exported_at=str(r.get("exported_at", "")),
                       project_id=project.id, status="importé") for r in files]


def from_store(store: ProjectStore, *, pseudonymise: str = "",
               progress: Callable[[str], None] | None = None) -> VolumeContent:
    """The team lead's workspace: every project and interview of the store, and its synthesis.

    Read through `synthesis.Workspace`, the one read API of the lead's work (each interview
    file parsed once, evidence and summary states worked out by the synthesis itself).
    `pseudonymise`: "" (nominative) or a level ("people", "strict"), with the store's register."""
    from pi87_field.core.synthesis import Workspace

    workspace = Workspace(store)
    guides = store.guides
    projects: list[tuple[Project, list[Interview]]] = []
    for project in case_order(workspace.projects):
        projects.append((project, list(workspace.interviews(project.id))))
        if progress:
            progress(project.id)
    sources = [s for project, _ in projects for s in _imports(project)]
    residual = pseudonymiser = None
    if pseudonymise:
        projects, residual, pseudonymiser = _pseudonymise_store(store, projects, sources, pseudonymise)
    # before the texts are cleaned below: a passage is looked for in the answer as stored
    synthesis = synthesis_view(workspace, pseudonymiser=pseudonymiser)
    cases = []
    for n, (project, interviews) in enumerate(projects, start=1):
        _clean_project(project)
        for i in interviews:
            _clean_interview(i)
        files = [s.file for s in sources if s.project_id == project.id]
        cases.append(Case(n, project, ordered_interviews(interviews), files))
    for source in sources:
        source.file, source.evaluator = clean_text(source.file), clean_text(source.evaluator)
    content = VolumeContent(cases=cases, guides=guides, sources=sources, origin="store",
                            pseudonymised=pseudonymise, residual=residual, synthesis=synthesis)
    content.missing = campaign_missing(cases, guides, pseudonymised=bool(pseudonymise))
    content.damaged = list(workspace.damaged)
    return content


def from_consolidation(state: Consolidation, guides: GuideLibrary) -> VolumeContent:
    """The one-shot merge of the files given (pseudonymised beforehand by `merge.pseudonymised`
    when asked: `state.pseudonymised` says so)."""
    merged = state.ordered_projects()
    cases = []
    for n, m in enumerate(merged, start=1):
        _clean_project(m.project)
        for i in m.interviews.values():
            _clean_interview(i)
        cases.append(Case(n, m.project, ordered_interviews(list(m.interviews.values())), [clean_text(s) for s in m.sources]))
    sources = [SourceFile(file=clean_text(r.file), sha256=r.sha256, evaluator=clean_text(r.evaluator),
                          exported_at=r.exported_at, project_id=clean_text(r.project_id),
                          status=r.status.label, reason=clean_text(r.reason), error=r.status.value == "error")
               for r in state.inputs]
    content = VolumeContent(cases=cases, guides=guides, sources=sources, made_at=state.merged_at, origin="merge",
                            pseudonymised=state.pseudonymised)
    content.missing = campaign_missing(cases, guides, pseudonymised=bool(state.pseudonymised))
    return content


# -- the synthesis (Part I, summaries in the matrix, "Extraits" and "Jugements") --------------------

def synthesis_view(workspace: Workspace, *, pseudonymiser: Any = None) -> SynthesisView | None:
    """The lead's synthesis as the volume shows it, read through `synthesis.Workspace` (the one
    read API: evidence states, summary states, the framework and its mapping); None when the
    store holds no judgement, evidence or summary yet. `pseudonymiser`: texts go through it."""
    from pi87_field.core.synthesis import EVIDENCE_CHANGED, SUMMARY_REVIEW

    store = workspace.synthesis
    judgements, evidence, summaries = store.judgements(), store.evidence(), store.summaries()
    conclusions, recommendations, sources = store.conclusions(), store.recommendations(), store.sources()
    if not any(j.rating or j.explanation for j in judgements.values()) and not evidence and not summaries \
            and conclusions.is_blank and not recommendations and not sources:
        return None

    def text(value: str) -> str:
        return clean_text(pseudonymiser.text(value) if pseudonymiser is not None and value else value)

    out = []
    for eq in workspace.framework.questions:
        j = workspace.judgement(eq.id)
        cited = []
        for view in workspace.evidence_for(eq.id):
            e = view.evidence
            cited.append(Evidence(e.project_id, e.interview_id, e.question_id, text(e.quote),
                                  tags=[text(t) for t in e.tags], stale=view.state == EVIDENCE_CHANGED,
                                  missing=view.stale and view.state != EVIDENCE_CHANGED, key=e.key,
                                  source_label=e.source_label))
        out.append(Judgement(id=eq.id, registre=clean_text(eq.registre), text=clean_text(eq.text),
                             rating=j.rating, explanation=text(j.explanation),
                             mapped=[(m.guide_id, m.question_id) for m in eq.mapping], evidence=cited,
                             author=text(j.author), updated_at=j.updated_at, number=eq.number,
                             conflict=judgement_conflict(f"{eq.number}. {clean_text(eq.registre)}".lstrip(". "), j, text)))
    cells = {(s.project_id, s.question_id): CellSummary(s.project_id, s.question_id, text(s.text),
                                                         review=workspace.summary_state(s) == SUMMARY_REVIEW,
                                                         author=text(s.author), conflict=summary_conflict(s, text))
             for s in summaries.values()}
    by_key = {e.key: e for j in out for e in j.evidence}
    for e in evidence:     # a passage no judgement cites any more may still be cited by a text
        if e.key not in by_key:
            view = workspace.evidence_view(e)
            by_key[e.key] = Evidence(e.project_id, e.interview_id, e.question_id, text(e.quote),
                                     tags=[text(t) for t in e.tags], stale=view.state == EVIDENCE_CHANGED,
                                     missing=view.stale and view.state != EVIDENCE_CHANGED, key=e.key,
                                     source_label=e.source_label)
    conflicts = [j.conflict for j in out if j.conflict is not None]
    conflicts += [c.conflict for c in cells.values() if c.conflict is not None]
    conflicts += [LeadConflict("source", src.key, [(_source_line(src.values(), text), text(src.edited_by),
                                                   src.updated_at, "version affichée")]
                              + [(_source_line(v.values, text), text(v.author), v.updated_at, v.source)
                                 for v in src.concurrent]) for src in sources if src.concurrent]
    if conclusions.concurrent:
        conflicts.append(LeadConflict("conclusions", "§4.1", [
            (_conclusions_text(conclusions.values(), text), text(conclusions.author), conclusions.updated_at,
             "version affichée")] + [(_conclusions_text(v.values, text), text(v.author), v.updated_at, v.source)
                                     for v in conclusions.concurrent]))
    for r in recommendations:
        if r.concurrent:
            conflicts.append(LeadConflict("préconisation", r.key, [
                (_recommendation_text(r.values(), text), text(r.author), r.updated_at, "version affichée")]
                + [(_recommendation_text(v.values, text), text(v.author), v.updated_at, v.source)
                   for v in r.concurrent]))
    return SynthesisView(
        judgements=out, summaries=cells, framework=workspace.framework.id,
        intro=text(conclusions.intro), overall=text(conclusions.overall),
        recommendations_intro=text(conclusions.recommendations_intro),
        findings=[FindingView(f.key, f.kind, text(f.text), list(f.questions)) for f in conclusions.findings],
        recommendations=[RecommendationView(r.key, text(r.text), [text(x) for x in r.subpoints], list(r.rests_on))
                         for r in recommendations],
        sources={src.key: SourceRef(src.key, text(src.title), text(src.author), src.date, src.kind,
                                    text(src.locator), src.url, text(src.note)) for src in sources},
        evidence=by_key, lead_conflicts=conflicts)


def _judgement_text(values: dict, text: Callable[[str], str]) -> str:
    rating = str(values.get("rating") or "") or NOT_RATED
    explanation = text(str(values.get("explanation") or ""))
    return f"Niveau d’atteinte : {rating}" + (f"\n{explanation}" if explanation else "")


def judgement_conflict(key: str, j: Any, text: Callable[[str], str]) -> LeadConflict | None:
    """A judgement two leads edited both ways, as the volume and the workbook show it."""
    if not j.concurrent:
        return None
    return LeadConflict("jugement", key, [
        (_judgement_text({"rating": j.rating, "explanation": j.explanation}, text), text(j.author), j.updated_at,
         "version affichée")] + [(_judgement_text(v.values, text), text(v.author), v.updated_at, v.source)
                                 for v in j.concurrent])


def summary_conflict(s: Any, text: Callable[[str], str]) -> LeadConflict | None:
    """A cell summary two leads edited both ways (key: project id / grid question id)."""
    if not s.concurrent:
        return None

    def shown(values: dict) -> str:
        tags = ", ".join(text(str(t)) for t in values.get("tags") or [])
        return text(str(values.get("text") or "")) + (f"\nÉtiquettes : {tags}" if tags else "")
    return LeadConflict("synthèse de cellule", f"{s.project_id} / {s.question_id}", [
        (shown({"text": s.text, "tags": s.tags}), text(s.author), s.updated_at, "version affichée")]
        + [(shown(v.values), text(v.author), v.updated_at, v.source) for v in s.concurrent])


def _source_line(values: dict, text: Callable[[str], str]) -> str:
    return " · ".join(text(str(values.get(f, ""))) for f in ("title", "author", "date", "kind", "locator", "url", "note")
                      if values.get(f))


def _conclusions_text(values: dict, text: Callable[[str], str]) -> str:
    lines = [text(str(values.get("intro", "")))]
    lines += [f"- ({f.get('kind', '')}) {text(str(f.get('text', '')))}" for f in values.get("findings", [])
              if isinstance(f, dict)]
    lines += [text(str(values.get("overall", "")))]
    return "\n\n".join(x for x in lines if x)


def _recommendation_text(values: dict, text: Callable[[str], str]) -> str:
    lines = [text(str(values.get("text", "")))]
    lines += [f"{chr(ord('a') + n)}. {text(str(x))}" for n, x in enumerate(values.get("subpoints", []))]
    if values.get("rests_on"):
        lines.append("Repose sur : " + ", ".join(str(x) for x in values.get("rests_on", [])))
    return "\n\n".join(x for x in lines if x)
