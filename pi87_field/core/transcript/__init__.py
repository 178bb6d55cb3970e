"""Transcripts of a recorded interview, cut by question (DESIGN §8).

A recording's timestamped transcript (WebVTT from Teams, Zoom or Whisper; SubRip; Whisper's JSON)
is read at the door (`reading`: encodings, caps, one French line for a refusal), placed on the
interview's clock and cut by the question visits the interview screen recorded (`cut`): each
segment goes to the question being visited at its midpoint, a segment in no visit is kept "hors
question". The result lives in `Interview.extra["transcript"]` (`model`), so it travels in the
`pi87-field/1` bundle and in a write-up's embedded copy like every unknown key, and an import that
already holds it changes nothing.

    parsed = read_transcript_file(path)                   # ParsedTranscript (or ImportFormatError)
    outcome = attach(interview, parsed, started_at=None, replace=False)   # AttachOutcome
    shift(interview, -12.0)                               # "décaler de -12 s": the cut is redone
    transcript_of(interview)                              # Transcript | None
"""

from pi87_field.core.transcript.cut import (
    AttachOutcome,
    TranscriptExistsError,
    attach,
    by_question,
    cut_segments,
    parse_started_at,
    recut,
    shift,
)
from pi87_field.core.transcript.model import (
    MAX_SECONDS,
    MAX_SEGMENT_CHARS,
    MAX_SEGMENTS,
    MAX_TRANSCRIPT_BYTES,
    OUTSIDE_LABEL,
    TRANSCRIPT_KEY,
    Segment,
    Transcript,
    check_transcript_limits,
    clock,
    quote,
    transcript_of,
)
from pi87_field.core.transcript.reading import ParsedTranscript, parse_transcript, read_transcript_file
from pi87_field.core.transcript.view import QuestionPassages, question_passages, segment_line

__all__ = [
    "MAX_SECONDS", "MAX_SEGMENTS", "MAX_SEGMENT_CHARS", "MAX_TRANSCRIPT_BYTES", "OUTSIDE_LABEL", "QuestionPassages",
    "TRANSCRIPT_KEY", "AttachOutcome", "ParsedTranscript", "Segment", "Transcript", "TranscriptExistsError",
    "attach", "by_question", "check_transcript_limits", "clock", "cut_segments", "parse_started_at", "parse_transcript", "question_passages", "quote",
    "read_transcript_file", "recut", "segment_line", "shift", "transcript_of",
]
