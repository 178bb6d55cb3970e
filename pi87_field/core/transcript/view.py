"""An interview's transcript question by question, in the guide's order: what `transcript show`,
the write-up's annex and the interview screen's pane read.

Questions of the guide first (those with segments), then questions the guide no longer has
(answers kept), then the segments "hors question" (in no visit)."""

from __future__ import annotations

from dataclasses import dataclass

from pi87_field.core.guides import Guide, question_numbers
from pi87_field.core.model import Interview
from pi87_field.core.transcript.cut import by_question
from pi87_field.core.transcript.model import OUTSIDE_LABEL, Segment, Transcript, clock


@dataclass(frozen=True, slots=True)
class QuestionPassages:
    question: str | None          # None: "hors question"
    number: str                   # "2.1"; "" outside the guide or hors question
    text: str                     # the question's text (first line), or OUTSIDE_LABEL
    segments: list[Segment]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.text}" if self.number else self.text


def question_passages(interview: Interview, transcript: Transcript, guide: Guide | None) -> list[QuestionPassages]:
    groups = by_question(transcript)
    out: list[QuestionPassages] = []
    if guide is not None:
        numbers = question_numbers(guide.sections)
        for question in guide.questions:
            if question.id in groups:
                out.append(QuestionPassages(question.id, numbers[question.id], question.text.split("\n", 1)[0],
                                            groups.pop(question.id)))
    for qid in [q for q in groups if q is not None]:
        text = interview.question_texts.get(qid, qid).split("\n", 1)[0]
        out.append(QuestionPassages(qid, "", text, groups.pop(qid)))
    if None in groups:
        out.append(QuestionPassages(None, "", OUTSIDE_LABEL.capitalize(), groups[None]))
    return out


def segment_line(segment: Segment) -> str:
    """"[00:13:05] Jean-Pierre Marchand : Sans le FSE…" (no speaker: no name)."""
    who = f"{segment.speaker}\u00a0: " if segment.speaker else ""
    return f"[{clock(segment.start)}] {who}{segment.text}"
