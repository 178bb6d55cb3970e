"""When an interview happened: its sittings (start and end), its duration, and the time spent
on each question (when it was entered and left).

Kept in `Interview.extra["timing"]`, one plain JSON object::

    {"sessions": [{"start": "2019-10-14T10:05:00+02:00", "end": "2019-10-14T11:20:00+02:00"}],
     "questions": {"budget.cout": [{"entered": "…", "left": "…"}]}}

so it travels in the interview file and in the `pi87-field/1` bundle, and a version that does not
know it keeps it untouched (unknown keys are kept). Entries that do not parse (an edited or
foreign file) are skipped, never fatal.

A sitting is time spent *editing* an interview, not time it was open on a screen (DESIGN §9):
`PendingSitting` holds what a screen saw (when it opened, the questions visited) and turns it
into a sitting only when something is edited; reading a finished interview, settling a conflict,
deleting and restoring add nothing to the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pi87_field.core.model import Interview
from pi87_field.core.timestamps import parse_instant

TIMING_KEY = "timing"


@dataclass(frozen=True)
class Sitting:
    start: datetime
    end: datetime | None


def _parse(value: Any) -> datetime | None:
    return parse_instant(value, assume_utc=False) if isinstance(value, str) else None


def _timing(interview: Interview) -> dict[str, Any]:
    timing = interview.extra.get(TIMING_KEY)
    if not isinstance(timing, dict):
        timing = {}
        interview.extra[TIMING_KEY] = timing
    return timing


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def sittings(interview: Interview) -> list[Sitting]:
    raw = interview.extra.get(TIMING_KEY)
    out: list[Sitting] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("sessions"), list):
        return out
    for entry in raw["sessions"]:
        if isinstance(entry, dict) and (start := _parse(entry.get("start"))) is not None:
            out.append(Sitting(start, _parse(entry.get("end"))))
    return out


def open_sitting(interview: Interview, at: datetime) -> None:
    """The interview screen opened: a sitting starts (an unclosed one before it is left as is)."""
    sessions = _timing(interview).setdefault("sessions", [])
    if not isinstance(sessions, list):
        sessions = _timing(interview)["sessions"] = []
    sessions.append({"start": _stamp(at)})


def close_sitting(interview: Interview, at: datetime) -> None:
    """The interview screen closed (or the interview was finished): the last sitting ends."""
    sessions = _timing(interview).get("sessions")
    if isinstance(sessions, list):
        for entry in reversed(sessions):
            if isinstance(entry, dict) and "start" in entry:
                if "end" not in entry:
                    entry["end"] = _stamp(at)
                return


def started_at(interview: Interview) -> datetime | None:
    found = sittings(interview)
    return min(s.start for s in found) if found else None


def ended_at(interview: Interview) -> datetime | None:
    ends = [s.end for s in sittings(interview) if s.end is not None]
    return max(ends) if ends else None


def duration_seconds(interview: Interview, now: datetime | None = None) -> int:
    """Time spent in the interview, all sittings added. The last sitting, if still open, counts up
    to `now` (the screen is open); any other open sitting (a crash) up to the last question left
    in it."""
    total = 0.0
    visits = [v for vs in question_visits(interview).values() for v in vs]
    found = sittings(interview)
    for n, sitting in enumerate(found):
        end = sitting.end
        if end is None:
            if now is not None and n == len(found) - 1:
                end = now
            else:
                lefts = [left for _q, entered, left in visits if left and entered >= sitting.start]
                end = max(lefts) if lefts else sitting.start
        total += max(0.0, (end - sitting.start).total_seconds())
    return int(total)


class PendingSitting:
    """What one opening of the interview screen would add to the record, held back until the
    interview is edited. `opened_at` is when editing became possible (the screen opened on an
    editable interview, or the interview was reopened); None while it is locked."""

    def __init__(self, opened_at: datetime | None) -> None:
        self.opened_at = opened_at
        self.started = False
        self._visits: list[tuple[str, datetime, datetime]] = []

    def editable_from(self, at: datetime) -> None:
        """The interview became editable (reopened): a sitting would start here."""
        if not self.started and self.opened_at is None:
            self.opened_at = at

    def visit(self, question_id: str, entered: datetime, left: datetime) -> list[tuple[str, datetime, datetime]]:
        """A question was left: the visits to write now (none until the interview is edited)."""
        if left <= entered:
            return []
        if self.started:
            return [(question_id, entered, left)]
        if self.opened_at is not None:
            self._visits.append((question_id, max(entered, self.opened_at), left))
        return []

    def edited(self, at: datetime) -> tuple[datetime, list[tuple[str, datetime, datetime]]] | None:
        """Something was saved: the sitting's start and the visits held back, the first time only."""
        if self.started:
            return None
        self.started = True
        start = self.opened_at if self.opened_at is not None and self.opened_at <= at else at
        visits, self._visits = self._visits, []
        return start, [v for v in visits if v[1] >= start]


def record_visit(interview: Interview, question_id: str, entered: datetime, left: datetime) -> None:
    questions = _timing(interview).setdefault("questions", {})
    if not isinstance(questions, dict):
        questions = _timing(interview)["questions"] = {}
    visits = questions.setdefault(question_id, [])
    if not isinstance(visits, list):
        visits = questions[question_id] = []
    visits.append({"entered": _stamp(entered), "left": _stamp(left)})


def question_visits(interview: Interview) -> dict[str, list[tuple[str, datetime, datetime | None]]]:
    raw = interview.extra.get(TIMING_KEY)
    out: dict[str, list[tuple[str, datetime, datetime | None]]] = {}
    questions = raw.get("questions") if isinstance(raw, dict) else None
    if not isinstance(questions, dict):
        return out
    for qid, visits in questions.items():
        if not isinstance(visits, list):
            continue
        for visit in visits:
            if isinstance(visit, dict) and (entered := _parse(visit.get("entered"))) is not None:
                out.setdefault(str(qid), []).append((str(qid), entered, _parse(visit.get("left"))))
    return out


def question_seconds(interview: Interview) -> dict[str, int]:
    """Seconds spent on each question, all visits added."""
    return {qid: int(sum(max(0.0, (left - entered).total_seconds()) for _q, entered, left in visits if left))
            for qid, visits in question_visits(interview).items()}


def format_duration(seconds: int) -> str:
    """French duration: "1 h 05 min", "12 min", "45 s"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}\u00a0h\u00a0{minutes:02d}\u00a0min"
    if minutes:
        return f"{minutes}\u00a0min" + (f"\u00a0{secs:02d}\u00a0s" if minutes < 10 and secs else "")
    return f"{secs}\u00a0s"
