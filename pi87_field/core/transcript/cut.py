"""Placing a transcript on the interview's clock and cutting it by question visits.

The recording's second 0 is placed at `started_at` (given, else the interview's first sitting's
start: `timing.started_at`). Each segment goes to the question being visited at its midpoint
(`timing.question_visits`, the visits the interview screen records); a segment in no visit is
kept with `question = None` ("hors question"). A shift ("décaler de ±N s") moves `started_at` and
cuts again; so does `recut` when visits were added after the import.

Attaching follows the rule of every import: the same transcript again changes nothing (its
`digest`), a different one replaces the stored one only when the caller says so (`replace`),
otherwise `TranscriptExistsError` says what is there.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from pi87_field.core import timing
from pi87_field.core.errors import StoreError
from pi87_field.core.fr import plural
from pi87_field.core.model import Interview
from pi87_field.core.transcript.model import (
    TRANSCRIPT_KEY,
    Segment,
    Transcript,
    transcript_of,
)
from pi87_field.core.transcript.reading import ParsedTranscript

_LOOK_BACK = 8


class AttachOutcome(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"
    REALIGNED = "realigned"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        return {"added": "transcription ajoutée", "unchanged": "transcription déjà présente : rien n'a changé",
                "realigned": "transcription recalée sur la nouvelle heure de début",
                "replaced": "transcription remplacée par la nouvelle version"}[self.value]


class TranscriptExistsError(StoreError):
    """The interview already holds another transcript: replacing it needs a confirmation."""


def _visits(interview: Interview) -> tuple[list[float], list[tuple[float, float, str]]]:
    spans = sorted((entered.timestamp(), left.timestamp(), qid)
                   for visits in timing.question_visits(interview).values()
                   for qid, entered, left in visits if left is not None and left > entered)
    return [s[0] for s in spans], spans


def cut_segments(segments: Sequence[Segment], started_at: datetime, interview: Interview) -> None:
    """Set each segment's question: the visit holding its midpoint on the clock, else None."""
    starts, spans = _visits(interview)
    zero = started_at.timestamp()
    for segment in segments:
        moment = zero + segment.middle
        i = bisect_right(starts, moment) - 1
        question = None
        # Visits follow one another on one screen; two screens open at once could overlap: the
        # latest visit entered before the moment that still holds it (a few steps back at most).
        for j in range(i, max(-1, i - _LOOK_BACK), -1):
            entered, left, qid = spans[j]
            if entered <= moment < left:
                question = qid
                break
        segment.question = question


def _parse_start(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.astimezone()


def parse_started_at(value: str) -> datetime:
    """`--started-at`: ISO 8601; without an offset, the computer's local time."""
    parsed = _parse_start(value.strip())
    if parsed is None:
        raise StoreError(f"Heure de début illisible : « {value} » (ISO 8601 attendu, par exemple "
                         "2019-10-14T10:00:00+02:00)")
    return parsed


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds" if at.microsecond else "seconds")


def attach(interview: Interview, parsed: ParsedTranscript, *, started_at: datetime | None = None,
           replace: bool = False) -> AttachOutcome:
    """Attach `parsed` to `interview` (changed in place unless the outcome is UNCHANGED)."""
    known = transcript_of(interview)
    digest = parsed.digest
    if known is not None and known.digest == digest:
        known_start = _parse_start(known.started_at)
        if started_at is None or (known_start is not None and known_start == started_at):
            return AttachOutcome.UNCHANGED
        _store(interview, known, started_at)
        return AttachOutcome.REALIGNED
    if known is not None and not replace:
        raise TranscriptExistsError(
            f"Cet entretien a déjà une transcription ({known.source or 'sans nom'}, "
            f"{plural(len(known.segments), 'segment')}) : confirmez pour la remplacer (--replace).")
    start = started_at or timing.started_at(interview)
    if start is None:
        raise StoreError("Cet entretien n'a pas d'heure de début (aucune séance enregistrée) : "
                         "indiquez l'heure de début de l'enregistrement (--started-at).")
    fresh = Transcript(source=parsed.source, started_at="", digest=digest,
                       segments=[Segment(s.start, s.end, s.speaker, s.text) for s in parsed.segments])
    _store(interview, fresh, start)
    return AttachOutcome.REPLACED if known is not None else AttachOutcome.ADDED


def _store(interview: Interview, transcript: Transcript, started_at: datetime) -> None:
    transcript.started_at = _stamp(started_at)
    cut_segments(transcript.segments, started_at, interview)
    interview.extra[TRANSCRIPT_KEY] = transcript.to_dict()


def shift(interview: Interview, seconds: float) -> Transcript:
    """Move the transcript `seconds` later on the clock (earlier if negative) and cut again."""
    known = transcript_of(interview)
    if known is None:
        raise StoreError("Cet entretien n'a pas de transcription.")
    start = _parse_start(known.started_at) or timing.started_at(interview)
    if start is None:
        raise StoreError("Heure de début de la transcription illisible : importez-la de nouveau avec --started-at.")
    _store(interview, known, start + timedelta(seconds=seconds))
    return known


def recut(interview: Interview) -> bool:
    """Cut again after visits were added (the interview went on after the import). True if any
    segment changed question."""
    known = transcript_of(interview)
    start = _parse_start(known.started_at) if known is not None else None
    if known is None or start is None:
        return False
    before = [s.question for s in known.segments]
    cut_segments(known.segments, start, interview)
    if before == [s.question for s in known.segments]:
        return False
    interview.extra[TRANSCRIPT_KEY] = known.to_dict()
    return True


def by_question(transcript: Transcript) -> dict[str | None, list[Segment]]:
    """Segments grouped by question (None: "hors question"), each group in time order."""
    out: dict[str | None, list[Segment]] = {}
    for segment in transcript.segments:
        out.setdefault(segment.question, []).append(segment)
    return out
