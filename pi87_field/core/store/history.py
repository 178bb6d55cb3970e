"""An answer's earlier texts: the revisions kept in its interview file (a table never exported)
and what the rolling backups hold. Written by the store's answer saves (`push_history`), read by the
versions screen (`ProjectStore.history.earlier_texts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tinydb import TinyDB

from pi87_field.core.errors import StoreError
from pi87_field.core.model import Answer, AnswerState, text_rev
from pi87_field.core.serialize import answer_from_dict, answer_to_dict
from pi87_field.core.store.storage import ANSWER, ANSWERS, open_file
from pi87_field.core.timestamps import instant_key

if TYPE_CHECKING:
    from pi87_field.core.store.project_store import ProjectStore

# Earlier texts of an answer, kept in its interview file, per question.
HISTORY = "history"
MAX_HISTORY = 30


@dataclass(frozen=True)
class HistoryEntry:
    """An earlier text of an answer: from its revisions, or from a rolling backup."""

    text: str
    state: AnswerState
    updated_at: str
    author: str
    origin: str               # "révision", "gardée lors d'un conflit", "sauvegarde automatique"…
    backup_at: str = ""       # when the backup holding it was taken

    @property
    def rev(self) -> str:
        return text_rev(self.text, self.state)


def push_history(db: TinyDB, question_id: str, answer: Answer, why: str) -> None:
    """Keep `answer` as an earlier text of `question_id` (the last MAX_HISTORY per question)."""
    if answer.is_empty:
        return
    table = db.table(HISTORY)
    mine = sorted(table.search(ANSWER.qid == question_id), key=lambda d: d.doc_id)
    if any(text_rev(d.get("text", ""), d.get("state", "")) == answer.rev for d in mine[-3:]):
        return
    doc = answer_to_dict(answer)
    table.insert({"qid": question_id, "why": why, "text": doc["text"], "state": doc["state"],
                  "updated_at": doc["updated_at"], "author": doc["author"]})
    extra = len(mine) + 1 - MAX_HISTORY
    if extra > 0:
        table.remove(doc_ids=[d.doc_id for d in mine[:extra]])


class AnswerHistory:
    """The earlier texts of the answers of one store (`ProjectStore.history`)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    def earlier_texts(self, project_id: str, interview_id: str, question_id: str) -> list[HistoryEntry]:
        """Earlier texts of one answer, newest first: the revisions kept in its interview file,
        then what the rolling backups hold; each text once, the current one left out."""
        path = self.store.interview_file(project_id, interview_id)
        db = open_file(path)
        if db is None:
            raise StoreError(f"Entretien introuvable : {interview_id}")
        current_doc = db.table(ANSWERS).get(ANSWER.qid == question_id)
        current = answer_from_dict({k: v for k, v in current_doc.items() if k != "qid"}) if current_doc else None
        entries: list[HistoryEntry] = []
        for doc in db.table(HISTORY).search(ANSWER.qid == question_id):
            try:
                answer = answer_from_dict({k: v for k, v in doc.items() if k not in ("qid", "why")})
            except Exception:
                continue
            entries.append(HistoryEntry(answer.text, answer.state, answer.updated_at, answer.author,
                                        str(doc.get("why") or "révision")))
        folder = self.store.backups_dir / path.relative_to(self.store.projects_dir).parent / path.stem
        for backup in sorted(folder.glob("*.json"), reverse=True) if folder.is_dir() else []:
            try:
                old_db = open_file(backup)
                found = old_db.table(ANSWERS).get(ANSWER.qid == question_id) if old_db is not None else None
                if found is None:
                    continue
                answer = answer_from_dict({k: v for k, v in found.items() if k != "qid"})
                taken = datetime.fromtimestamp(backup.stat().st_mtime).astimezone()
            except Exception:  # a damaged backup has nothing to offer
                continue
            entries.append(HistoryEntry(answer.text, answer.state, answer.updated_at, answer.author,
                                        "sauvegarde automatique", taken.isoformat(timespec="seconds")))
        seen = {current.rev} if current is not None else set()
        out: list[HistoryEntry] = []
        for entry in sorted(entries, key=lambda e: instant_key(e.updated_at), reverse=True):
            if entry.rev not in seen and entry.text.strip():
                seen.add(entry.rev)
                out.append(entry)
        return out
