"""The trash: deleted interviews stay recoverable until it is emptied, and it holds the newest copy
of what it holds (an import merges an arriving copy into it, never adds it back to the project);
emptying it names the answers that exist nowhere else and destroys them only when asked to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pi87_field.core.errors import FieldError, StoreError
from pi87_field.core.fr import plural
from pi87_field.core.model import Interview
from pi87_field.core.store.atomic import ensure_dir
from pi87_field.core.summary import interview_title

if TYPE_CHECKING:
    from pi87_field.core.store.project_store import ProjectStore


@dataclass(frozen=True)
class TrashedInterview:
    project_id: str
    interview: Interview
    path: Path
    trashed_at: str


class Trash:
    """The trash of one store (`ProjectStore.trash`): trash/<project>/<n>/<uuid>.json."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store


    @property
    def folder(self) -> Path:
        return self.store.root / "trash"

    def put(self, project_id: str, interview_id: str, at: datetime) -> Path:
        """Move an interview to the trash: out of lists, search and exports, restorable."""
        self.store._require_writer()
        self.store.life_cycle._change(project_id, interview_id,
                     lambda i: i.extra.__setitem__("trashed_at", at.isoformat(timespec="seconds")))
        source = self.store.interview_file(project_id, interview_id)
        # trash/<project>/<n>/<uuid>.json: the file keeps its name (the reader checks it), and
        # an interview trashed, restored and trashed again keeps both copies.
        n = 1
        while (self.folder / project_id / str(n) / source.name).exists():
            n += 1
        target = ensure_dir(self.folder / project_id / str(n)) / source.name
        os.replace(source, target)
        return target

    def items(self) -> list[TrashedInterview]:
        out: list[TrashedInterview] = []
        if not self.folder.is_dir():
            return out
        for path in sorted(self.folder.glob("*/*/*.json")):
            project_id = path.parent.parent.name
            try:
                interview = self.store._read_interview(path, project_id)
            except FieldError:  # a damaged file in the trash stays there, unlisted
                continue
            out.append(TrashedInterview(project_id, interview, path, str(interview.extra.get("trashed_at", ""))))
        out.sort(key=lambda t: t.trashed_at, reverse=True)
        return out

    def restore(self, project_id: str, interview_id: str) -> Interview:
        self.store._require_writer()
        candidates = [t for t in self.items() if t.project_id == project_id and t.interview.id == interview_id]
        if not candidates:
            raise StoreError(f"Aucun entretien « {interview_id} » dans la corbeille.")
        if not self.store.has_project(project_id):
            raise StoreError(f"Projet inconnu : « {project_id} » (restaurez d'abord le projet).")
        target = self.store.interview_file(project_id, interview_id)
        if target.exists():
            raise StoreError("Cet entretien existe déjà dans le projet : rien n'a été remplacé.")
        ensure_dir(target.parent)
        os.replace(candidates[0].path, target)
        return self.store.life_cycle._change(project_id, interview_id, lambda i: i.extra.pop("trashed_at", None))

    def newest_copies(self, project_id: str) -> dict[str, TrashedInterview]:
        """The newest trashed copy of each of the project's interviews in the trash, by id."""
        out: dict[str, TrashedInterview] = {}
        for item in self.items():          # newest first
            if item.project_id == project_id:
                out.setdefault(item.interview.id, item)
        return out

    def write_back(self, item: TrashedInterview) -> None:
        """Write back a trashed interview where it lies (an import merged a copy into it)."""
        self.store._require_writer()
        self.store._write_interview(item.path, item.interview)

    def unique_answers(self) -> list[tuple[TrashedInterview, list[str]]]:
        """The trashed interviews holding answers that exist nowhere else in the store (their
        interview is not in its project, or its copy there never had that text), with the
        question ids of those answers."""
        out = []
        for item in self.items():
            try:
                live: Interview | None = self.store.get_interview(item.project_id, item.interview.id)
            except FieldError:
                live = None
            known: set[str] = set()
            for answer in (live.answers.values() if live is not None else ()):
                known |= {answer.rev, *answer.ancestors, *(v.rev for v in answer.concurrent)}
            unique = [qid for qid, a in item.interview.answers.items() if not a.is_empty and a.rev not in known]
            if unique:
                out.append((item, unique))
        return out

    def empty(self, *, destroy_unique: bool = False) -> int:
        """Destroy every interview in the trash (only ever on an explicit command). Refused, with
        what would be lost named, when it holds answers that exist nowhere else, unless
        `destroy_unique` (the user was shown them and confirmed)."""
        self.store._require_writer()
        unique = self.unique_answers()
        if unique and not destroy_unique:
            raise StoreError(f"La corbeille contient {describe_unique(unique)} : rien n'a été supprimé. "
                             "Restaurez ce qu'il faut garder, ou confirmez leur destruction.")
        count = 0
        if self.folder.is_dir():
            for path in list(self.folder.glob("*/*/*.json")):
                path.unlink()
                count += 1
            for folder in sorted(self.folder.glob("*/*"), reverse=True) + sorted(self.folder.glob("*")):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        return count


def describe_unique(unique: list[tuple[TrashedInterview, list[str]]]) -> str:
    """"3 réponses qui n'existent nulle part ailleurs (Mission locale — 14/10/2019 : 3)"."""
    total = sum(len(qids) for _, qids in unique)
    where = "; ".join(f"{interview_title(None, item.interview)} : {len(qids)}" for item, qids in unique[:5])
    more = f"; et {plural(len(unique) - 5, 'autre entretien', 'autres entretiens')}" if len(unique) > 5 else ""
    return (f"{plural(total, 'réponse', 'réponses')} qui "
            f"{'n’existe' if total == 1 else 'n’existent'} nulle part ailleurs ({where}{more})")
