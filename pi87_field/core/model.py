"""Domain objects of the fieldwork. Their stored form lives in `serialize.py`, nowhere else."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pi87_field.core.ancestry import MAX_ANCESTORS, lineage
from pi87_field.core.errors import StoreError

PROJECT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
QUESTION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class ProjectKind(StrEnum):
    CASE_STUDY = "case_study"
    INTERVIEW_SERIES = "interview_series"

    @property
    def label(self) -> str:
        return {"case_study": "Étude de cas", "interview_series": "Entretiens qualitatifs"}[self.value]


class AnswerState(StrEnum):
    ANSWERED = "answered"
    # answered in part, to finish from the notes or a recording after the interview
    TO_COMPLETE = "to_complete"
    NOT_ASKED = "not_asked"
    DECLINED = "declined"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return ANSWER_STATE_LABELS[self.value]


ANSWER_STATE_LABELS = {
    "answered": "répondu",
    "to_complete": "à compléter",
    "not_asked": "non abordé",
    "declined": "refus de répondre",
    "not_applicable": "sans objet",
    "empty": "sans réponse",
}


class InterviewStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": "prévu", "in_progress": "en cours", "complete": "terminé",
                "cancelled": "annulé"}[self.value]


class AnswerLock(StrEnum):
    """Why an interview's answers cannot be written now (the store refuses, the screens show it)."""

    CONSENT_WITHDRAWN = "consent_withdrawn"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"consent_withdrawn": "consentement retiré", "complete": "entretien terminé",
                "cancelled": "entretien annulé"}[self.value]

    @property
    def remedy(self) -> str:
        if self is AnswerLock.CONSENT_WITHDRAWN:
            return "consignez de nouveau le consentement pour les modifier"
        return "rouvrez-le pour les modifier"


LIFE_CYCLE_EVENTS = {
    "started": "commencé", "finished": "terminé", "reopened": "rouvert", "postponed": "reporté",
    "cancelled": "annulé", "consent_given": "consentement recueilli", "consent_withdrawn": "consentement retiré",
}


def life_cycle_event(event: str, at: str) -> dict[str, Any]:
    """One change of an interview's life cycle (see `Interview.life_cycle`)."""
    assert event in LIFE_CYCLE_EVENTS, event
    return {"event": event, "at": at, "id": uuid.uuid4().hex[:12]}


def answer_lock(consent: bool | None, status: str) -> AnswerLock | None:
    """The lock on an interview's answers, from its consent and status (None: open)."""
    if consent is False:
        return AnswerLock.CONSENT_WITHDRAWN
    if status == InterviewStatus.COMPLETE.value:
        return AnswerLock.COMPLETE
    if status == InterviewStatus.CANCELLED.value:
        return AnswerLock.CANCELLED
    return None


class InterviewMode(StrEnum):
    ON_SITE = "sur_place"
    PHONE = "telephone"
    VIDEO = "visio"

    @property
    def label(self) -> str:
        return {"sur_place": "sur place", "telephone": "téléphone", "visio": "visio"}[self.value]


# Vocabularies of the report (sections 2-3), offered as choices; stored as plain strings.
OS_LABELS = {
    1: "OS 1 : Expérimenter de nouveaux types de services à destination des demandeurs "
    "d’emploi et des entreprises",
    2: "OS 2 : Augmenter le nombre de conseillers formés à de nouveaux services et aux "
    "nouvelles modalités d’accompagnement",
}
VOLETS = ["national", "régional"]
TERRITORIAL_LEVELS = ["local", "départemental", "régional", "national"]
OPERATION_TYPES = [
    "Relation aux employeurs et appui au recrutement : nouvelle offre de services aux employeurs",
    "Relation aux employeurs et appui au recrutement : nouvelles pratiques de placement",
    "Méthodes d’accompagnement : démarches expérimentales pour améliorer les parcours",
    "Méthodes d’accompagnement : nouvelles méthodes d’accompagnement",
    "Méthodes d’accompagnement : outils et services accessibles à distance",
    "Méthodes d’accompagnement : diagnostic d’attractivité des dispositifs",
    "Collaboration entre acteurs du SPE et employeurs : outils ou services de coopération",
    "Collaboration entre acteurs du SPE et employeurs : démarches territoriales",
    "Coopération transnationale",
]
DIGITAL_COMPONENTS = [
    "Développement d’un outil",
    "Action d’information, de sensibilisation, de formation",
    "Etude d’un problème ou d’un besoin dans la perspective de développer des solutions",
    "Organisation de process, de partenariats ou d’action de coopération",
]
# Only the steps the report names; the list stays editable per project.
INNOVATION_STEPS = ["ingénierie", "expérimentation", "évaluation", "capitalisation", "essaimage"]


def now_iso() -> str:
    """Current time, ISO 8601 with offset, to the second."""
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def new_interview_id() -> str:
    return str(uuid.uuid4())


def check_project_id(value: str) -> str:
    if not isinstance(value, str) or not PROJECT_ID_RE.match(value):
        raise StoreError(
            f"Identifiant de projet invalide : « {value} » "
            "(lettres minuscules, chiffres, - et _ seulement)"
        )
    return value


def check_interview_id(value: str) -> str:
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise StoreError(f"Identifiant d'entretien invalide : « {value} » (UUID attendu)")
    return value


def new_burst() -> str:
    """The mark of the first save of a new burst of autosaves."""
    return f"{uuid.uuid4().hex[:12]}:1"


def split_burst(mark: str) -> tuple[str, int]:
    bid, _, n = mark.rpartition(":")
    try:
        return bid, int(n)
    except ValueError:
        return mark, 0


def text_rev(text: str, state: str) -> str:
    """Content address of one version of an answer (derived, never stored)."""
    return hashlib.sha256(f"{state}\x00{text}".encode()).hexdigest()[:16]


# Answer.extra keys (extra keys: kept, exchanged, never compared).
EDITED_IN_WORD = "edited_in_word"   # the write-up the answer was corrected in
SETTLED = "settled"                 # who settled the conflict this answer ended, when, keeping what


def version_source(author: str = "", file: str = "", edited_in_word: str = "") -> str:
    """What a version of an answer was, for a person: typed in the app by X, edited in Word in
    file F, imported from X's bundle F."""
    if edited_in_word:
        return f"modifiée dans Word ({edited_in_word})"
    who = f" par {author}" if author else ""
    if file:
        what = "du compte rendu" if file.lower().endswith(".docx") else "du paquet"
        return f"saisie{who}, importée {what} {file}"
    return f"saisie dans l'application{who}"


@dataclass(slots=True)
class AnswerVersion:
    """A version of an answer kept beside the current one after a conflicting import."""

    text: str
    state: AnswerState
    updated_at: str
    author: str
    source: str = ""

    @property
    def rev(self) -> str:
        return text_rev(self.text, self.state)


@dataclass(slots=True)
class Answer:
    text: str = ""
    state: AnswerState = AnswerState.ANSWERED
    updated_at: str = field(default_factory=now_iso)
    author: str = ""
    # Revisions this answer grew from (newest first): lets an import tell an edit from a conflict.
    ancestors: list[str] = field(default_factory=list)
    # The burst of autosaves this version belongs to, "<burst id>:<save number>" ("" outside a
    # burst). Versions saved during a burst are not ancestors (they would crowd the real edits
    # out), but any of them may have been exported: the burst mark still tells it is older.
    burst: str = ""
    concurrent: list[AnswerVersion] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rev(self) -> str:
        return text_rev(self.text, self.state)

    @property
    def is_empty(self) -> bool:
        return self.state == AnswerState.ANSWERED and not self.text.strip()

    @property
    def is_open(self) -> bool:
        """Still to do: empty, or "à compléter" (counted in what's left, not in progress)."""
        return self.is_empty or self.state == AnswerState.TO_COMPLETE

    def descends_from(self, other: Answer | AnswerVersion | str) -> bool:
        """True if this answer grew from `other`: a revision it lists among its ancestors, or an
        earlier save of a burst it continued or that ended among its ancestors.

        The one ancestry rule, used by the store (a save records what it grew from) and by
        reconcile (an edit wins over what it descends from)."""
        rev = other if isinstance(other, str) else other.rev
        if rev == self.rev:
            return False
        if rev in self.ancestors:
            return True
        mark = getattr(other, "burst", "")
        if not mark:
            return False
        bid, n = split_burst(mark)
        mine = [self.burst] if self.burst else []
        for candidate in (*mine, *(a for a in self.ancestors if ":" in a)):
            cid, m = split_burst(candidate)
            if cid == bid and m >= n:
                return True
        return False

    def grow_from(self, old: Answer, *, same_burst: bool = False, burst: str = "",
                  limit: int = MAX_ANCESTORS) -> None:
        """Record that this answer replaces `old`: `old` joins the ancestors (with the mark of
        the burst it ended), unless this save continues `old`'s burst of autosaves (then `old`
        was a passing state: the chain is kept, the burst's save number goes up). A save that
        does not continue a burst starts `burst` ("" for none, e.g. an edit made in Word).
        At most `limit` entries, newest first, never this revision."""
        if same_burst and old.burst:
            bid, n = split_burst(old.burst)
            chain = list(old.ancestors)
            self.burst = f"{bid}:{n + 1}"
        else:
            chain = [old.rev, *([old.burst] if old.burst else []), *old.ancestors]
            self.burst = burst
        self.ancestors = lineage(*chain, exclude=self.rev, limit=limit)

    @property
    def mark(self) -> str:
        """State key for display: one of ANSWER_STATE_LABELS' keys."""
        return "empty" if self.is_empty else self.state.value


@dataclass(slots=True)
class ReviewNote:
    """A reviewer's remark on one answer (a Word comment brought back by `import`)."""

    author: str
    date: str               # ISO 8601 (as the comment carried it), "" if it had none
    text: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two notes the same one: importing a file twice adds nothing. Spacing is
        not part of it (a re-save in LibreOffice may reflow a comment)."""
        return " ".join(self.author.split()), self.date, " ".join(self.text.split())


# Key of `Interview.review_notes` for notes on the interview itself (its facts), not on a question.
INTERVIEW_NOTES = "(entretien)"


def merge_review_notes(known: list[ReviewNote], incoming: list[ReviewNote]) -> list[ReviewNote]:
    """`known` followed by the notes of `incoming` it does not hold yet (order kept)."""
    seen = {n.key for n in known}
    out = list(known)
    for note in incoming:
        if note.key not in seen:
            seen.add(note.key)
            out.append(note)
    return out


@dataclass(slots=True)
class Interviewee:
    name: str = ""
    role: str = ""
    organisation: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Interview:
    id: str
    project_id: str
    guide_id: str
    guide_version: str
    interviewer: str = ""
    interviewees: list[Interviewee] = field(default_factory=list)
    date: date | None = None
    mode: InterviewMode | None = None
    consent: bool | None = None
    consent_recorded_at: str = ""   # when consent was recorded (ISO 8601); "" if never
    status: InterviewStatus = InterviewStatus.PLANNED
    # The last change of its life cycle ({"event", "at", "id"}; {} if none recorded): a fact with
    # ancestry like the others, but each change is unique, so an older copy (finished before it
    # was reopened) is recognised as older even though "terminé" was seen before.
    life_cycle: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    # The question texts the answers were given against (question id -> text).
    question_texts: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    # Per fact: its value's revision as saved, then those it grew from; versions kept from a conflicting import (see facts.py).
    fact_history: dict[str, list[str]] = field(default_factory=dict)
    fact_conflicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # Reviewers' notes per question id (Word comments of a write-up), kept apart from the answers:
    # a note is not an edit, and a note on a question nobody answered yet has a place.
    review_notes: dict[str, list[ReviewNote]] = field(default_factory=dict)

    @property
    def answer_lock(self) -> AnswerLock | None:
        return answer_lock(self.consent, self.status.value)

    def answered_count(self, question_ids: list[str] | None = None) -> int:
        """Questions that have an answer or an explicit state, neither empty nor "à compléter"."""
        ids = question_ids if question_ids is not None else list(self.answers)
        return sum(1 for q in ids if q in self.answers and not self.answers[q].is_open)



@dataclass(slots=True)
class Project:
    id: str
    kind: ProjectKind
    title: str
    carrier: str = ""
    label: str = ""             # short name told apart at 80 columns ("Lunévillois · Atout Emploi")
    os: int | None = None
    fse_amount: Decimal | None = None
    fse_amount_note: str = ""
    characteristics: str = ""
    guide_id: str = ""
    volet: str | None = None
    territorial_level: str | None = None
    region: str | None = None
    operation_type: str | None = None
    digital: list[str] = field(default_factory=list)
    innovation_steps: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    # Per fact: its value's revision as saved, then those it grew from; versions kept from a conflicting import (see facts.py).
    fact_history: dict[str, list[str]] = field(default_factory=dict)
    fact_conflicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
