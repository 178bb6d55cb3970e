"""`merge`: consolidate many evaluators' write-ups into one volume, in memory, no store touched.

Each input (a `.docx` write-up or a `.json` bundle) is read on its own with
`importing.read_input`; a file whose bytes were already seen (same SHA-256) is counted once and
marked as a duplicate; a file that cannot be read is one line in the report and is skipped. The
readable ones are reconciled project by project with `reconcile.reconcile_project`: nothing is
dropped, and where two evaluators changed the same answer differently the newest is shown and
the other kept in `Answer.concurrent` (a conflict, listed in the report and in the volume).

Outputs are built in memory and only then written, each atomically: the consolidated Word
volume (`merge/volume.build_volume`) and, if asked, the merged JSON.

Merged JSON format (`pi87-field-merge/1`), one UTF-8 object::

    {"format": "pi87-field-merge/1",
     "merged_at": "2019-10-20T18:00:00+02:00",
     "pseudonymised": true, "pseudonymisation": "people" | "strict",   (only when pseudonymised;
                  each bundle then carries the same two keys)
     "counts": {"inputs": 4, "projects": 3, "interviews": 9, "answers": 171,
                "conflicts": 1, "duplicates": 1, "errors": 0},
     "bundles": [<one complete pi87-field/1 bundle per consolidated project; conflicting
                  answers carry their other versions in "concurrent">, ...],
     "provenance": [{"file": "ec01-alice.docx", "status": "ok" | "duplicate" | "error",
                     "reason": "", "sha256": "<64 hex>", "project_id": "ec01-…",
                     "evaluators": ["Alice Martin"], "exported_at": "…",
                     "interviews": 3, "answers": 57, "edited": 0, "duplicate_of": ""}, ...],
     "conflicts": [{"project_id": "…", "interview_id": "…", "question_id": "…",
                    "versions": [{"text": "…", "state": "answered", "updated_at": "…",
                                  "author": "…", "source": "<input file>", "shown": true},
                                 ...]}, ...]}

Every element of "bundles" can be read back on its own with `bundle.bundle_from_dict`
(`read_merged_bundles` does that for a whole file).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pi87_field.core.bundle import Bundle, bundle_from_dict, bundle_to_dict
from pi87_field.core.errors import FieldError, ImportFormatError, os_reason
from pi87_field.core.exchange.importing import read_input, sha256_file
from pi87_field.core.exchange.reconcile import reconcile_project
from pi87_field.core.model import AnswerState, Interview, Project, ProjectKind, now_iso, version_source
from pi87_field.core.summary import interview_title, ordered_interviews
from pi87_field.core.text import one_line

MERGE_FORMAT = "pi87-field-merge/1"
# reconcile_answer names a losing known version "typed in the app"; in a merge we know its file.
_PREVIOUS = version_source()


class InputStatus(StrEnum):
    OK = "ok"
    DUPLICATE = "duplicate"
    ERROR = "error"

    @property
    def label(self) -> str:
        return {"ok": "fusionné", "duplicate": "doublon", "error": "erreur"}[self.value]


@dataclass
class InputResult:
    """One row of the report: what became of one input file."""

    path: Path
    status: InputStatus = InputStatus.OK
    reason: str = ""                      # one line, for errors and duplicates
    sha256: str = ""
    project_id: str = ""
    project_title: str = ""
    evaluators: list[str] = field(default_factory=list)
    exported_at: str = ""
    interviews: int = 0
    answers: int = 0
    edited: int = 0                       # answers changed in Word after export (.docx only)
    duplicate_of: Path | None = None
    pseudonymised: str = ""               # level of a pseudonymised input ("people", "strict"), else ""

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def sha256_short(self) -> str:
        return self.sha256[:12]

    @property
    def evaluator(self) -> str:
        return ", ".join(self.evaluators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "status": self.status.value, "reason": self.reason,
            "sha256": self.sha256, "project_id": self.project_id, "evaluators": list(self.evaluators),
            "exported_at": self.exported_at, "interviews": self.interviews, "answers": self.answers,
            "edited": self.edited, "duplicate_of": self.duplicate_of.name if self.duplicate_of else "",
            "pseudonymised": bool(self.pseudonymised),
        }


@dataclass
class ConflictVersion:
    text: str
    state: AnswerState
    updated_at: str
    author: str
    source: str
    shown: bool = False                   # the version shown as the answer

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "state": self.state.value, "updated_at": self.updated_at,
                "author": self.author, "source": self.source, "shown": self.shown}


@dataclass
class Conflict:
    """An answer two evaluators changed differently: the shown version first, then the others."""

    project_id: str
    project_title: str
    interview_id: str
    interview_label: str
    question_id: str
    question_text: str
    versions: list[ConflictVersion]

    def to_dict(self) -> dict[str, Any]:
        return {"project_id": self.project_id, "interview_id": self.interview_id,
                "question_id": self.question_id, "versions": [v.to_dict() for v in self.versions]}


@dataclass(frozen=True)
class MergeCounts:
    inputs: int
    projects: int
    interviews: int
    answers: int          # (interview, question) pairs with an answer or an explicit state
    conflicts: int        # answers that carry at least one concurrent version
    duplicates: int
    errors: int

    def as_dict(self) -> dict[str, int]:
        return {"inputs": self.inputs, "projects": self.projects, "interviews": self.interviews,
                "answers": self.answers, "conflicts": self.conflicts,
                "duplicates": self.duplicates, "errors": self.errors}


@dataclass
class MergedProject:
    project: Project
    interviews: dict[str, Interview] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)     # input files that contributed

    def ordered_interviews(self) -> list[Interview]:
        return ordered_interviews(self.interviews.values())


@dataclass
class Consolidation:
    """The in-memory result of merging: projects, where each answer came from, the inputs."""

    projects: dict[str, MergedProject] = field(default_factory=dict)
    inputs: list[InputResult] = field(default_factory=list)
    # (project id, interview id, question id) -> input file the shown answer came from
    answer_sources: dict[tuple[str, str, str], str] = field(default_factory=dict)
    merged_at: str = field(default_factory=now_iso)
    # "" for a nominative consolidation, else the pseudonymisation level ("people", "strict")
    pseudonymised: str = ""

    def ordered_projects(self) -> list[MergedProject]:
        """Case studies first (by id), then interview series: the volume's chapter order."""
        return sorted(self.projects.values(),
                      key=lambda m: (m.project.kind != ProjectKind.CASE_STUDY, m.project.id))

    def conflicts(self) -> list[Conflict]:
        out: list[Conflict] = []
        for merged in self.ordered_projects():
            for interview in merged.ordered_interviews():
                for qid, answer in interview.answers.items():
                    if not answer.concurrent:
                        continue
                    source = self.answer_sources.get((merged.project.id, interview.id, qid), "")
                    versions = [ConflictVersion(answer.text, answer.state, answer.updated_at,
                                                answer.author, source, shown=True)]
                    versions += [ConflictVersion(v.text, v.state, v.updated_at, v.author, v.source)
                                 for v in answer.concurrent]
                    out.append(Conflict(
                        project_id=merged.project.id, project_title=merged.project.title,
                        interview_id=interview.id, interview_label=interview_title(merged.project, interview),
                        question_id=qid,
                        question_text=interview.question_texts.get(qid, ""), versions=versions,
                    ))
        return out

    def counts(self) -> MergeCounts:
        interviews = [i for m in self.projects.values() for i in m.interviews.values()]
        return MergeCounts(
            inputs=len(self.inputs),
            projects=len(self.projects),
            interviews=len(interviews),
            answers=sum(1 for i in interviews for a in i.answers.values() if not a.is_empty),
            conflicts=sum(1 for i in interviews for a in i.answers.values() if a.concurrent),
            duplicates=sum(1 for r in self.inputs if r.status == InputStatus.DUPLICATE),
            errors=sum(1 for r in self.inputs if r.status == InputStatus.ERROR),
        )

    def bundles(self) -> list[Bundle]:
        extra = {"pseudonymised": True, "pseudonymisation": self.pseudonymised} if self.pseudonymised else {}
        return [Bundle(project=m.project, interviews=m.ordered_interviews(), exported_at=self.merged_at,
                       extra=dict(extra))
                for m in self.ordered_projects()]


@dataclass
class MergeReport:
    """What `merge_files` did: the rows and figures the CLI prints."""

    inputs: list[InputResult]
    counts: MergeCounts
    conflicts: list[Conflict]
    out_docx: Path | None = None
    json_out: Path | None = None
    residual: Any = None                  # privacy.ResidualReport of a pseudonymised merge
    sidecar: Path | None = None           # where that report was written beside the volume

    @property
    def rows(self) -> list[InputResult]:
        return self.inputs

    @property
    def ok(self) -> bool:
        return any(r.status == InputStatus.OK for r in self.inputs)

    @property
    def errors(self) -> list[InputResult]:
        return [r for r in self.inputs if r.status == InputStatus.ERROR]

    @property
    def duplicates(self) -> list[InputResult]:
        return [r for r in self.inputs if r.status == InputStatus.DUPLICATE]


# -- consolidation -----------------------------------------------------------------------------

def _evaluators(bundle: Bundle) -> list[str]:
    """Interviewers first, then anyone else who wrote an answer in this file."""
    names = [i.interviewer for i in bundle.interviews if i.interviewer]
    names += [a.author for i in bundle.interviews for a in i.answers.values() if a.author]
    return list(dict.fromkeys(names))


def _one_line_reason(exc: BaseException, path: Path) -> str:
    message = one_line(str(exc)) or type(exc).__name__
    # Readers prefix their messages with the path; the report already has a file column.
    for prefix in (f"{path} : ", f"{path}: ", f"{path.name} : ", f"{path.name}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def add_bundle(state: Consolidation, bundle: Bundle, source: str) -> None:
    """Reconcile one input's project and interviews into the consolidation."""
    pid = bundle.project.id
    merged = state.projects.get(pid)
    # Shown revisions before this input, to name the file a losing version came from.
    previous: dict[tuple[str, str], str] = {}
    if merged is not None:
        for inc in bundle.interviews:
            cur = merged.interviews.get(inc.id)
            if cur is not None:
                for qid in inc.answers:
                    if qid in cur.answers:
                        previous[(inc.id, qid)] = cur.answers[qid].rev
    result = reconcile_project(merged.project if merged else None,
                               merged.interviews if merged else {},
                               bundle.project, bundle.interviews, source)
    if merged is None:
        merged = state.projects[pid] = MergedProject(project=result.project, interviews=result.interviews)
    else:
        merged.project = result.project
    if source not in merged.sources:
        merged.sources.append(source)
    for inc in bundle.interviews:
        shown = merged.interviews[inc.id]
        for qid, incoming in inc.answers.items():
            final = shown.answers.get(qid)
            if final is not incoming:
                continue
            key = (pid, inc.id, qid)
            prev_rev = previous.get((inc.id, qid))
            prev_source = state.answer_sources.get(key)
            if prev_rev and prev_source:
                for version in final.concurrent:
                    if version.source.startswith(_PREVIOUS) and version.rev == prev_rev:
                        version.source = version_source(version.author, prev_source)
            state.answer_sources[key] = source


def consolidate(paths: list[Path], progress: Callable[[Path], None] | None = None) -> Consolidation:
    """Read and reconcile every input; bad inputs become one-line error rows."""
    state = Consolidation()
    seen: dict[str, Path] = {}
    for path in paths:
        path = Path(path)
        row = InputResult(path=path)
        state.inputs.append(row)
        try:
            row.sha256 = sha256_file(path)
            if row.sha256 in seen:
                row.status = InputStatus.DUPLICATE
                row.duplicate_of = seen[row.sha256]
                row.reason = f"identique à {seen[row.sha256].name}, compté une fois"
            else:
                bundle, row.edited = read_input(path)
                seen[row.sha256] = path
                row.project_id = bundle.project.id
                row.project_title = bundle.project.title
                row.evaluators = _evaluators(bundle)
                row.exported_at = bundle.exported_at
                if bundle.extra.get("pseudonymised"):
                    row.pseudonymised = str(bundle.extra.get("pseudonymisation") or "people")
                row.interviews = len(bundle.interviews)
                row.answers = sum(1 for i in bundle.interviews for a in i.answers.values() if not a.is_empty)
                add_bundle(state, bundle, path.name)
                del bundle
        except FileNotFoundError:
            row.status, row.reason = InputStatus.ERROR, "fichier introuvable"
        except OSError as exc:
            row.status, row.reason = InputStatus.ERROR, f"illisible ({os_reason(exc)})"
        except FieldError as exc:
            row.status, row.reason = InputStatus.ERROR, _one_line_reason(exc, path)
        except MemoryError:
            row.status, row.reason = InputStatus.ERROR, "fichier refusé : il demanderait trop de mémoire"
        except RecursionError:
            row.status, row.reason = InputStatus.ERROR, "fichier refusé : structure trop profondément imbriquée"
        except Exception as exc:  # noqa: BLE001 - untrusted input: one line, never a traceback
            row.status = InputStatus.ERROR
            row.reason = f"fichier illisible ou endommagé ({type(exc).__name__}: {_one_line_reason(exc, path)})"
        if progress:
            progress(path)
    return state


# -- outputs -----------------------------------------------------------------------------------

def merged_json_bytes(state: Consolidation) -> bytes:
    data = {
        "format": MERGE_FORMAT,
        "merged_at": state.merged_at,
        "counts": state.counts().as_dict(),
        **({"pseudonymised": True, "pseudonymisation": state.pseudonymised} if state.pseudonymised else {}),
        "bundles": [bundle_to_dict(b) for b in state.bundles()],
        "provenance": [r.to_dict() for r in state.inputs],
        "conflicts": [c.to_dict() for c in state.conflicts()],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_merged_bundles(raw: bytes, source: str = "") -> list[Bundle]:
    """The bundles of a `pi87-field-merge/1` file, each validated like an ordinary bundle."""
    where = f"{source} : " if source else ""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or a number of 4,300+ digits
        raise ImportFormatError(f"{where}fusion JSON illisible") from None
    if not isinstance(data, dict) or data.get("format") != MERGE_FORMAT or not isinstance(data.get("bundles"), list):
        raise ImportFormatError(f"{where}ce n'est pas une fusion pi87-field (format {MERGE_FORMAT!r} attendu)")
    return [bundle_from_dict(b, source) for b in data["bundles"]]
