"""What progress needs of every interview, kept up to date as interviews are saved.

The home shows each project's progress (interviews finished, questions answered). Working it
out from the interviews means opening every interview file: 2 s at 1,000 interviews. Instead
the store keeps, per interview, its `grid.ProgressFacts` (status, guide, the questions answered):
noted in memory on every save, import and life-cycle change, and written beside the interviews,
one small file per project::

    projects/<project id>/progress.json
    {"format": 1, "interviews": {"<uuid>.json": {"stamp": [inode, mtime_ns, size],
                                                 "status": "…", "guide_id": "…",
                                                 "answered": ["<question id>", …], "kept": 19}}}

A cache, never the record: an entry counts only while its interview file still has the stamp
it was noted with (every store write replaces the file, so a new inode; a file changed any other
way is read again), an interview file gone drops its entry, and an unreadable progress file is
rebuilt from the interviews. The figures are therefore always those of the files themselves.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pi87_field.core.errors import DamagedFileError
from pi87_field.core.grid import ProgressFacts
from pi87_field.core.model import AnswerState, Interview
from pi87_field.core.store.atomic import atomic_write_bytes

PROGRESS_FILE = "progress.json"
FORMAT = 1
Stamp = tuple[int, int, int]


def stamp_of(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def facts_from_docs(interview: Mapping[str, Any], answers: Iterable[Mapping[str, Any]]) -> ProgressFacts:
    """`ProgressFacts.of` on an interview file's stored documents, without building the interview
    (the answer save calls it on the file it has just written)."""
    ids: list[str] = []
    answered: list[str] = []
    for doc in answers:
        qid = str(doc.get("qid", ""))
        ids.append(qid)
        state = str(doc.get("state") or AnswerState.ANSWERED.value)
        if state != AnswerState.TO_COMPLETE.value and (state != AnswerState.ANSWERED.value
                                                       or str(doc.get("text") or "").strip()):
            answered.append(qid)     # `Answer.is_open`'s rule, on the stored document
    texts = interview.get("question_texts") or {}
    return ProgressFacts(str(interview.get("status") or ""), str(interview.get("guide_id") or ""),
                         tuple(answered), len(set(texts) | set(ids)))


class ProgressKeeper:
    """Per-interview progress facts of a store's projects (see the module's docstring)."""

    def __init__(self, projects_dir: Path, *, writer: bool) -> None:
        self.projects_dir = projects_dir
        self.writer = writer
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, tuple[Stamp, ProgressFacts]]] = {}   # project id -> file name -> …
        self._dirty: set[str] = set()

    def noted(self, path: Path, facts: ProgressFacts | Interview) -> None:
        """An interview file was just written with these facts."""
        stamp = stamp_of(path)
        if stamp is None:
            return
        if isinstance(facts, Interview):
            facts = ProgressFacts.of(facts)
        project_id = path.parent.parent.name
        with self._lock:
            self._project(project_id)[path.name] = (stamp, facts)
            self._dirty.add(project_id)

    def facts(self, project_id: str, read: Callable[[Path], Interview],
              damaged: list | None = None) -> list[ProgressFacts]:
        """The progress facts of every interview of a project: from the kept entries whose file
        is unchanged, else read from the file (`read`) and kept. A damaged file is reported in
        `damaged` (as `list_interviews` does) and left out."""
        folder = self.projects_dir / project_id / "interviews"
        try:
            with os.scandir(folder) as found:
                files = sorted((e.name, e) for e in found if e.name.endswith(".json") and not e.name.startswith("."))
        except OSError:
            files = []
        out: list[ProgressFacts] = []
        with self._lock:
            entries = self._project(project_id)
            names = {name for name, _ in files}
            for gone in [n for n in entries if n not in names]:
                del entries[gone]
                self._dirty.add(project_id)
            for name, entry in files:
                try:
                    st = entry.stat()
                    stamp: Stamp | None = (st.st_ino, st.st_mtime_ns, st.st_size)
                except OSError:
                    stamp = None
                kept = entries.get(name)
                if kept is not None and kept[0] == stamp:
                    out.append(kept[1])
                    continue
                try:
                    facts = ProgressFacts.of(read(folder / name))
                except DamagedFileError as exc:
                    if damaged is not None:
                        damaged.append(exc)
                    continue
                if stamp is not None:
                    entries[name] = (stamp, facts)
                    self._dirty.add(project_id)
                out.append(facts)
            self._flush(project_id)
        return out

    def flush(self) -> None:
        with self._lock:
            for project_id in list(self._dirty):
                self._flush(project_id)

    # -- the progress file ------------------------------------------------------------------------

    def _project(self, project_id: str) -> dict[str, tuple[Stamp, ProgressFacts]]:
        entries = self._entries.get(project_id)
        if entries is None:
            entries = self._entries[project_id] = self._load(project_id)
        return entries

    def _load(self, project_id: str) -> dict[str, tuple[Stamp, ProgressFacts]]:
        path = self.projects_dir / project_id / PROGRESS_FILE
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != FORMAT:
                return {}
            out = {}
            for name, entry in data["interviews"].items():
                stamp = tuple(int(x) for x in entry["stamp"])
                if len(stamp) == 3:
                    out[str(name)] = ((stamp[0], stamp[1], stamp[2]), ProgressFacts.from_dict(entry))
            return out
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}          # missing or unreadable: rebuilt from the interviews

    def _flush(self, project_id: str) -> None:
        if project_id not in self._dirty:
            return
        self._dirty.discard(project_id)
        folder = self.projects_dir / project_id
        if not self.writer or not folder.is_dir():
            return
        entries = self._entries.get(project_id, {})
        data = {"format": FORMAT,
                "interviews": {name: {"stamp": list(stamp), **facts.to_dict()}
                               for name, (stamp, facts) in sorted(entries.items())}}
        try:      # a cache: not fsynced, and a failed write only costs a re-read next time
            atomic_write_bytes(folder / PROGRESS_FILE, json.dumps(data, ensure_ascii=False).encode(), durable=False)
        except OSError:
            pass
