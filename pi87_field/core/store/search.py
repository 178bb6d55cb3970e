"""Search across every answer of the store (case- and accent-insensitive), and the walk over every
interview it reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pi87_field.core.model import INTERVIEW_NOTES, Interview, Project
from pi87_field.core.summary import interview_title
from pi87_field.core.text import centred_excerpt

if TYPE_CHECKING:
    from pi87_field.core.store.project_store import ProjectStore


@dataclass(frozen=True)
class SearchHit:
    project_id: str
    project_title: str
    interview_id: str
    interview_label: str
    question_id: str
    excerpt: str              # one line, the match in its middle
    match_start: int = 0      # the match is excerpt[match_start:match_end]
    match_end: int = 0


class AnswerSearch:
    """Search in the answers of one store (`ProjectStore.finder`)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    def iter_interviews(self) -> Iterator[tuple[Project, Interview]]:
        for project in self.store.list_projects():
            for interview in self.store.list_interviews(project.id):
                yield project, interview

    def search(self, needle: str, limit: int = 200) -> list[SearchHit]:
        """Case- and accent-insensitive search across every answer and every interview's notes
        (a hit in the notes has `question_id` INTERVIEW_NOTES)."""
        from pi87_field.core.text import fold, fold_with_positions

        target = fold(needle)
        hits: list[SearchHit] = []
        if not target:
            return hits
        for project, interview in self.iter_interviews():
            texts = [(qid, answer.text) for qid, answer in interview.answers.items()]
            if interview.notes:
                texts.append((INTERVIEW_NOTES, interview.notes))
            for qid, text in texts:
                folded, positions = fold_with_positions(text)
                pos = folded.find(target)
                if pos < 0:
                    continue
                last = pos + len(target) - 1
                snippet, lo, hi = centred_excerpt(text, positions[pos], positions[last] + 1)
                hits.append(SearchHit(project.id, project.title, interview.id, interview_title(project, interview),
                                      qid, snippet, lo, hi))
                if len(hits) >= limit:
                    return hits
        return hits
