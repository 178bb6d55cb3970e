"""A transcript as it is kept with its interview, and its plain-JSON form.

Stored in `Interview.extra["transcript"]` (DESIGN §8)::

    {"source": "entretien.vtt", "started_at": "2019-10-14T10:00:00+02:00", "digest": "…",
     "segments": [{"start": 361.0, "end": 372.5, "speaker": "…", "text": "…", "question": "budget.cout"}]}

`start` and `end` are seconds from the beginning of the recording; `started_at` is the moment of
the interview's clock that the recording's second 0 is placed at (a shift moves it); `question` is
the question being visited at the segment's midpoint, or null ("hors question"). `digest` names the
transcript's content (times, speakers, texts), so importing the same file again, even re-encoded,
is recognised. Keys this version does not know are kept.

A stored transcript came from elsewhere (a bundle, a write-up's embedded copy): `from_dict` skips a
segment it cannot read rather than failing the interview, and `check_transcript_limits` refuses an
absurd one at the door of a bundle, with the caps of a transcript file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pi87_field.core.errors import ImportFormatError
from pi87_field.core.model import Interview
from pi87_field.core.money import format_int
from pi87_field.core.text import one_line

TRANSCRIPT_KEY = "transcript"
OUTSIDE_LABEL = "hors question"
# The caps of a transcript file (README, "Limits"). A three-hour call is about 4,000 cues and
# 1 MB; Whisper cuts a day of speech into fewer than 20,000 segments.
MAX_TRANSCRIPT_BYTES = 32 * 1024 * 1024
MAX_SEGMENTS = 20_000
MAX_SEGMENT_CHARS = 10_000
MAX_SECONDS = 24 * 3600           # a recording longer than a day is not an interview
_SEGMENT_KEYS = {"start", "end", "speaker", "text", "question"}
_KEYS = {"source", "started_at", "digest", "segments"}


@dataclass(slots=True)
class Segment:
    start: float
    end: float
    speaker: str
    text: str
    question: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


@dataclass(slots=True)
class Transcript:
    source: str
    started_at: str
    digest: str
    segments: list[Segment]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "started_at": self.started_at, "digest": self.digest,
                               "segments": [_segment_to_dict(s) for s in self.segments]}
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Transcript | None:
        if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
            return None
        segments = [s for s in (_segment_from_dict(x) for x in data["segments"][:MAX_SEGMENTS]) if s is not None]
        return cls(source=one_line(str(data.get("source") or "")), started_at=str(data.get("started_at") or ""),
                   digest=str(data.get("digest") or ""), segments=segments,
                   extra={k: v for k, v in data.items() if k not in _KEYS})


def _segment_to_dict(s: Segment) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text, "question": s.question, **s.extra}


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and 0 <= value <= MAX_SECONDS else None


def _segment_from_dict(data: Any) -> Segment | None:
    if not isinstance(data, dict):
        return None
    start, end = _seconds(data.get("start")), _seconds(data.get("end"))
    text = data.get("text")
    if start is None or end is None or end < start or not isinstance(text, str):
        return None
    speaker = data.get("speaker")
    question = data.get("question")
    return Segment(start, end, one_line(speaker) if isinstance(speaker, str) else "", text[:MAX_SEGMENT_CHARS],
                   question if isinstance(question, str) and question else None,
                   {k: v for k, v in data.items() if k not in _SEGMENT_KEYS})


def transcript_of(interview: Interview) -> Transcript | None:
    """The interview's transcript, or None (none attached, or not readable)."""
    return Transcript.from_dict(interview.extra.get(TRANSCRIPT_KEY))


def check_transcript_limits(data: Any) -> None:
    """A transcript inside a bundle: refused, in one French sentence, beyond a transcript file's caps."""
    if not isinstance(data, dict):
        return
    segments = data.get("segments")
    if not isinstance(segments, list):
        return
    if len(segments) > MAX_SEGMENTS:
        raise ImportFormatError(f"transcription de {format_int(len(segments))} segments : au plus "
                                f"{format_int(MAX_SEGMENTS)}")
    for segment in segments:
        text = segment.get("text") if isinstance(segment, dict) else None
        if isinstance(text, str) and len(text) > MAX_SEGMENT_CHARS:
            raise ImportFormatError(f"segment de transcription de plus de {format_int(MAX_SEGMENT_CHARS)} "
                                    "caractères : refusé")


def clock(seconds: float) -> str:
    """A time in the recording, as a video player shows it: "00:13:05"."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def quote(segments: list[Segment]) -> str:
    """A passage for an answer: its words in French quotation marks, then its time,
    « … » [00:13:05] (the time of its first segment)."""
    if not segments:
        return ""
    words = " ".join(s.text.strip() for s in segments if s.text.strip())
    return f"«\u00a0{words}\u00a0» [{clock(segments[0].start)}]"
