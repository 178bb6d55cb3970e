"""An interview seen against its guide: the one read model every face iterates.

The interview screen (tree, progress, what's left), the write-up, the volume (matrix and
chapters), the workbook and the synthesis read an interview through `Grid.of(interview, guide)`;
none of them re-derives these rules:

- sections and questions in the guide's order, numbered by the guide (`guides.question_numbers`:
  its own `number:`, else "<section>.<rank>");
- an answer whose question is not (or no longer) in the guide is kept and shown: an *orphan*,
  numbered "H1", "H2"… in its own section, last (`ORPHAN_SECTION`); with no guide at all, the
  question texts the interview kept are orphans too (nothing it was answered against is lost);
- a question is answered when it has an answer with text or an explicit state other than "à
  compléter" (`GridQuestion.answered`, the one test of "unanswered"); the missing questions are
  the guide's unanswered ones (what's left: an orphan is never missing from a guide);
- progress: (answered, questions of the guide), orphans left out; `ProgressFacts` is what
  progress needs of an interview, small enough to be kept up to date by the store on every save
  (the home reads it at programme scale without opening every interview);
- the lock: consent withdrawn, finished or cancelled (`Grid.lock`, the store's `model.AnswerLock`);
- interview order: `ordered_interviews` (by date, undated last, then creation time, then id).

`guide` is a `guides.Guide`, anything with its `id`, `title` and `sections` (the volume's view of
a guide rebuilt from the question texts interviews carry), or None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from pi87_field.core.guides import Question, Section, numbered, question_numbers
from pi87_field.core.model import Answer, AnswerLock, AnswerVersion, Interview
from pi87_field.core.text import one_line

ORPHAN_SECTION = "Hors grille (réponses conservées)"
ORPHAN_PREFIX = "H"


class GuideLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def sections(self) -> tuple[Section, ...]: ...


@dataclass(frozen=True, slots=True)
class GridQuestion:
    """One question of an interview's grid, with the answer it holds (None: never answered)."""

    qid: str
    number: str                 # the guide's ("6.1", "3"), "H1"… for an orphan
    text: str                   # first line: the guide's text, else the text the interview kept, else the id
    section_index: int          # 1-based rank of its section in the guide; 0 for the orphan section
    section_title: str
    question: Question | None   # the guide's question; None for an orphan
    answer: Answer | None
    kept_text: str = ""         # the full text the interview was answered against ("" if none)

    @property
    def orphan(self) -> bool:
        return self.question is None

    @property
    def answered(self) -> bool:
        """An answer with text or an explicit state (not asked, declined, not applicable…), and
        not "à compléter" (`Answer.is_open`): the one test of "unanswered" is `not answered`."""
        return self.answer is not None and not self.answer.is_open

    @property
    def mark(self) -> str:
        """State key for display: "empty" or the answer's state (`model.ANSWER_STATE_LABELS`)."""
        return self.answer.mark if self.answer is not None else "empty"

    @property
    def versions(self) -> list[AnswerVersion]:
        """Concurrent versions kept beside the answer (a conflict), oldest import first."""
        return list(self.answer.concurrent) if self.answer is not None else []

    @property
    def label(self) -> str:
        """ "6.1. Effets notables…": a guide question numbered; an orphan by its text and id."""
        if self.orphan:
            return f"{one_line(self.text)} [{self.qid}]" if self.text != self.qid else self.qid
        return numbered(self.number, one_line(self.text))

    @property
    def detail_lines(self) -> list[str]:
        """The lines after the first of the text the interview kept (sub-points a/b/c…)."""
        return [one_line(x) for x in self.kept_text.split("\n")[1:] if one_line(x)]


@dataclass(frozen=True, slots=True)
class GridSection:
    index: int                  # 1-based rank in the guide; 0 for the orphan section
    title: str
    questions: tuple[GridQuestion, ...]
    intro: str = ""
    section_id: str = ""

    @property
    def orphan(self) -> bool:
        return self.index == 0

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answered)


@lru_cache(maxsize=64)
def _layout(sections: tuple[Section, ...]) -> tuple[tuple[int, Section, tuple[tuple[Question, str], ...]], ...]:
    """The guide's part of every grid built on it (worked out once per guide)."""
    numbers = question_numbers(sections)
    return tuple((si, s, tuple((q, numbers[q.id]) for q in s.questions)) for si, s in enumerate(sections, start=1))


@dataclass(frozen=True)
class Grid:
    """An interview against its guide: sections in order, the orphan section last."""

    interview: Interview
    guide: GuideLike | None
    sections: tuple[GridSection, ...]
    by_id: Mapping[str, GridQuestion] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, interview: Interview, guide: GuideLike | None,
           answers: Mapping[str, Answer] | None = None) -> Grid:
        """`answers`: the answers to show instead of the interview's (an editor's live ones)."""
        answers = interview.answers if answers is None else answers
        texts = interview.question_texts
        sections: list[GridSection] = []
        known: set[str] = set()
        if guide is not None:
            for si, section, questions in _layout(tuple(guide.sections)):
                row = []
                for q, number in questions:
                    known.add(q.id)
                    row.append(GridQuestion(q.id, number, q.text, si, section.title, q, answers.get(q.id),
                                            texts.get(q.id, "")))
                sections.append(GridSection(si, section.title, tuple(row), section.intro, section.id))
        orphan_ids = [qid for qid in answers if qid not in known]
        if guide is None:   # the questions it was answered against, then answers to any other
            orphan_ids = [q for q in texts if q not in known] + [q for q in orphan_ids if q not in texts]
        if orphan_ids:
            row = []
            for n, qid in enumerate(orphan_ids, start=1):
                kept = texts.get(qid, "")
                first = one_line(kept.split("\n", 1)[0]) or qid
                row.append(GridQuestion(qid, f"{ORPHAN_PREFIX}{n}", first, 0, ORPHAN_SECTION, None,
                                        answers.get(qid), kept))
            sections.append(GridSection(0, ORPHAN_SECTION, tuple(row)))
        return cls(interview, guide, tuple(sections), {q.qid: q for s in sections for q in s.questions})

    # -- reading -----------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[GridQuestion]:
        return (q for s in self.sections for q in s.questions)

    @property
    def questions(self) -> list[GridQuestion]:
        """Every question in order: the guide's, then the orphans."""
        return list(self)

    @property
    def guide_sections(self) -> tuple[GridSection, ...]:
        return tuple(s for s in self.sections if not s.orphan)

    @property
    def in_guide(self) -> list[GridQuestion]:
        return [q for q in self if not q.orphan]

    @property
    def orphans(self) -> list[GridQuestion]:
        return [q for q in self if q.orphan]

    @property
    def missing(self) -> list[GridQuestion]:
        """The guide's questions without an answer or a state ("Ce qui reste")."""
        return [q for q in self if not q.orphan and not q.answered]

    @property
    def progress(self) -> tuple[int, int]:
        """(questions answered, questions of the guide); without a guide, over the orphans."""
        counted = self.in_guide if self.guide is not None else self.orphans
        return sum(1 for q in counted if q.answered), len(counted)

    @property
    def has_answers(self) -> bool:
        """At least one answer with text or a state (a write-up came back for it)."""
        return any(q.answered for q in self)

    @property
    def conflicts(self) -> list[GridQuestion]:
        return [q for q in self if q.versions]

    @property
    def lock(self) -> AnswerLock | None:
        """Why the answers cannot be written now (`model.answer_lock`: the store refuses)."""
        return self.interview.answer_lock

    def find(self, qid: str) -> GridQuestion | None:
        return self.by_id.get(qid)

    def number(self, qid: str) -> str:
        found = self.find(qid)
        return found.number if found is not None else ""


# -- progress at programme scale ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProgressFacts:
    """What progress needs of one interview, and nothing else: kept per interview by the store
    (`store.progress`) so that a project's figures never need its interviews opened."""

    status: str
    guide_id: str
    answered: tuple[str, ...]       # questions with an answer or a state
    kept: int                       # questions it kept texts for or answered (progress without a guide)

    @classmethod
    def of(cls, interview: Interview) -> ProgressFacts:
        answered = tuple(q for q, a in interview.answers.items() if not a.is_open)
        kept = len(set(interview.question_texts) | set(interview.answers))
        return cls(interview.status.value, interview.guide_id, answered, kept)

    def against(self, guide: GuideLike | None) -> tuple[int, int]:
        """(questions answered, questions of the guide): the same figures as `Grid.progress`."""
        if guide is None:
            return len(self.answered), self.kept
        return self.count(frozenset(q.id for s in guide.sections for q in s.questions))

    def count(self, question_ids: frozenset[str]) -> tuple[int, int]:
        """`against` a guide given by its question ids (worked out once for many interviews)."""
        return len(question_ids.intersection(self.answered)), len(question_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "guide_id": self.guide_id, "answered": list(self.answered),
                "kept": self.kept}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProgressFacts:
        answered = data["answered"]
        if not isinstance(answered, list):
            raise ValueError("answered")
        return cls(str(data["status"]), str(data["guide_id"]), tuple(map(str, answered)), int(data["kept"]))


# -- interview order ---------------------------------------------------------------------------------

def interview_order_key(interview: Interview) -> tuple[date, str, str]:
    """Dated interviews by date, undated ones last; then creation time, then id."""
    return (interview.date or date.max, interview.created_at, interview.id)


def ordered_interviews(interviews: Iterable[Interview]) -> list[Interview]:
    """The one interview order: "Entretien 2" is the same interview in a write-up, the volume,
    the workbook, the synthesis screens and the pseudonym register."""
    return sorted(interviews, key=interview_order_key)


def orphan_questions(grids_: Sequence[Grid]) -> list[GridQuestion]:
    """The orphan questions of several interviews on one guide, each id once, first seen first
    (the volume's "Questions hors grille" heading, the workbook's rows)."""
    seen: dict[str, GridQuestion] = {}
    for grid in grids_:
        for q in grid.orphans:
            if q.answer is not None and q.qid not in seen:
                seen[q.qid] = q
    return list(seen.values())
