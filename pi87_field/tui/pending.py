"""Answers the store could not write (a full disk, a read-only folder): kept in memory, retried,
and never dropped without the user saying so.

An interview screen whose save fails puts the answer here; the app retries every
RETRY_SECONDS and before anything leaves (a question, a screen, the app). Whoever wants to leave
while something is pending is asked what to do (see `screens.unsaved`), and the text can always be
copied to the clipboard or written to another folder (`write_rescue_file`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pi87_field.core.errors import os_reason

RETRY_SECONDS = 5.0


@dataclass
class PendingAnswer:
    project_id: str
    interview_id: str
    question_id: str
    text: str
    state: str
    base_rev: str
    author: str
    where: str          # "Lunévillois · Atout Emploi · Entretien du 14/10/2019 · 6.1"
    error: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.project_id, self.interview_id, self.question_id)


class PendingAnswers:
    """The answers waiting to be written, by (project, interview, question)."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str], PendingAnswer] = {}

    def put(self, item: PendingAnswer) -> None:
        self._items[item.key] = item

    def drop(self, project_id: str, interview_id: str, question_id: str) -> None:
        self._items.pop((project_id, interview_id, question_id), None)

    def get(self, project_id: str, interview_id: str, question_id: str) -> PendingAnswer | None:
        return self._items.get((project_id, interview_id, question_id))

    def for_interview(self, project_id: str, interview_id: str) -> list[PendingAnswer]:
        return [p for p in self._items.values() if p.project_id == project_id and p.interview_id == interview_id]

    def all(self) -> list[PendingAnswer]:
        return list(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


def rescue_text(items: list[PendingAnswer], typed: str = "") -> str:
    """The pending answers as plain text: where each belongs, then its text (and what was typed
    while the unsaved dialog was open)."""
    blocks = [f"== {p.where}\n{p.text}" for p in items]
    if typed:
        blocks.append(f"== Saisi pendant l'alerte\n{typed}")
    return "\n\n".join(blocks) + "\n"


def write_rescue_file(folder: Path, items: list[PendingAnswer], now: datetime, typed: str = "") -> Path:
    """Write the pending answers into a new text file of `folder` (never over an existing file).
    Raises OSError with a French message."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise OSError(f"Dossier introuvable : {folder}")
    stem = f"pi87-field-non-enregistre-{now:%Y%m%d-%H%M%S}"
    data = rescue_text(items, typed).encode("utf-8")
    for n in range(1, 100):
        target = folder / (f"{stem}.txt" if n == 1 else f"{stem}-{n}.txt")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OSError(f"Écriture impossible ({os_reason(exc)}) : {target}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            try:
                target.unlink()
            except OSError:
                pass
            raise OSError(f"Écriture impossible ({os_reason(exc)}) : {target}") from None
        return target
    raise OSError(f"Trop de fichiers de secours dans {folder}")
