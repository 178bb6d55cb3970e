"""Store files as TinyDB databases, over a storage that never leaves a half-written file.

TinyDB's own JSONStorage rewrites the live file in place: a crash or a full disk leaves broken
JSON. `AtomicJSONStorage` writes a temp file, fsyncs it, renames it over the old one and fsyncs
the folder, and keeps rolling hard-link backups. A file that cannot be parsed is reported as
damaged and never written over.

The documents inside a file are read and changed with TinyDB's tables and queries:

- `open_file(path)` -> a TinyDB holding the file as it is on disk (None if there is none), for
  reading: `db.table(INTERVIEW).get(doc_id=1)`, `db.table(ANSWERS).get(ANSWER.qid == "q1")`;
- `edit_file(path, ...)` -> a context manager yielding the same kind of TinyDB; every table
  operation inside it works in memory on the one copy read at the start, and the file is written
  once, atomically, when the block ends without error (nothing is written if nothing changed, or
  if the block raises). Saving one answer is therefore one read and one write, whatever the number
  of table operations.

Tables of a file (the JSON layout written since the first version, so older files open as they
are): `_meta` (doc 1: schema version), `project` (doc 1, in project.json), `interview` (doc 1: the
interview's facts) and `answers` (one document per answer: its question id in `qid`, then the
stored form of `serialize.answer_to_dict`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from pi87_field.core.errors import DamagedFileError, StoreError, os_reason
from pi87_field.core.store.atomic import atomic_write_bytes, ensure_dir

SCHEMA_VERSION = 1

# Table names of a store file, and the query on an answer document's question id.
META, PROJECT, INTERVIEW, ANSWERS = "_meta", "project", "interview", "answers"
ANSWER = Query()
BACKUP_EVERY_SECONDS = 600
BACKUPS_KEPT = 5
MAX_STORE_FILE_BYTES = 256 * 1024 * 1024


def read_json_file(path: Path) -> Any:
    """Parse a store file, raising DamagedFileError (never returning junk) if it is broken."""
    try:
        size = path.stat().st_size
        if size > MAX_STORE_FILE_BYTES:
            raise DamagedFileError(path, "taille anormale")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DamagedFileError(path, f"illisible : {os_reason(exc)}") from None
    if not raw.strip():
        raise DamagedFileError(path, "fichier vide")
    try:
        # NaN/Infinity are not JSON; an older version let them in from a bundle: read as null.
        return json.loads(raw.decode("utf-8"), parse_constant=lambda _name: None)
    except UnicodeDecodeError:
        raise DamagedFileError(path, "pas en UTF-8") from None
    except json.JSONDecodeError as exc:   # said in French, where (json's own text is English)
        raise DamagedFileError(path, f"JSON invalide ou tronqué (ligne {exc.lineno}, colonne {exc.colno})") from None
    except (ValueError, RecursionError):  # a number of more than 4,300 digits, absurd nesting
        raise DamagedFileError(path, "JSON refusé (nombre démesuré ou imbrication excessive)") from None


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


class AtomicJSONStorage(Storage):
    """A TinyDB Storage: atomic durable writes, damaged files refused, rolling hard-link backups."""

    _last_backup: dict[str, float] = {}

    def __init__(self, path: str | os.PathLike, backup_root: Path | None = None,
                 relative_to: Path | None = None, durable: bool = True) -> None:
        self.path = Path(path)
        self.backup_root = backup_root
        self.relative_to = relative_to
        self.durable = durable

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json_file(self.path)
        if data is None:
            return None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise DamagedFileError(self.path, "structure inattendue")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        existed = self.path.exists()
        self._maybe_backup()
        try:
            atomic_write_bytes(self.path, dump_json(data), durable=self.durable)
        except OSError as exc:  # say in one French line what is left on disk
            left = "la version précédente est intacte" if existed else "rien n'a été écrit"
            raise StoreError(f"Enregistrement impossible ({os_reason(exc)}) : {self.path} — {left}.") from None

    def close(self) -> None:
        pass

    def _maybe_backup(self) -> None:
        """Keep the previous version of the file as a hard link (no copy), every 10 minutes."""
        if self.backup_root is None or not self.path.exists():
            return
        key = str(self.path)
        now = time.monotonic()
        last = self._last_backup.get(key)
        if last is not None and now - last < BACKUP_EVERY_SECONDS:
            return
        self._last_backup[key] = now
        rel = self.path.relative_to(self.relative_to) if self.relative_to else Path(self.path.name)
        # One folder per file, so that pruning lists a handful of entries, not the whole store.
        try:
            folder = ensure_dir(self.backup_root / rel.parent / rel.stem)
        except OSError:  # a backup is best effort: it never stands in the way of the save itself
            return
        target = folder / f"{datetime.now():%Y%m%dT%H%M%S%f}{rel.suffix}"
        try:
            os.link(self.path, target)
        except OSError:
            try:  # filesystems without hard links: copy instead
                atomic_write_bytes(target, self.path.read_bytes(), durable=False)
            except OSError:
                return
        for old in sorted(folder.glob(f"*{rel.suffix}"))[:-BACKUPS_KEPT]:
            try:
                old.unlink()
            except OSError:
                pass


class _Snapshot(Storage):
    """The content of one file, held in memory while TinyDB tables read and change it."""

    def __init__(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.changed = False

    def read(self) -> dict[str, dict[str, Any]]:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.changed = True


def _tinydb(data: dict[str, dict[str, Any]]) -> TinyDB:
    return TinyDB(storage=_Snapshot, data=data)


def open_file(path: Path) -> TinyDB | None:
    """The file's documents as a TinyDB (read once); None if the file does not exist."""
    data = AtomicJSONStorage(path).read()
    return None if data is None else _tinydb(data)


@contextmanager
def edit_file(path: Path, backup_root: Path | None = None, relative_to: Path | None = None,
              durable: bool = True) -> Iterator[TinyDB]:
    """Change a file's documents with TinyDB tables; one atomic write at the end of the block.

    A damaged existing file raises DamagedFileError before the block runs: it is never written
    over. To rewrite a file whole, `db.drop_tables()` and insert."""
    storage = AtomicJSONStorage(path, backup_root=backup_root, relative_to=relative_to, durable=durable)
    current = storage.read()
    db = _tinydb({} if current is None else current)
    yield db
    snapshot = db.storage
    assert isinstance(snapshot, _Snapshot)
    if snapshot.changed:
        storage.write(snapshot.data)


def schema_of(db: TinyDB) -> int | None:
    doc = db.table(META).get(doc_id=1)
    schema = doc.get("schema") if isinstance(doc, dict) else None
    return schema if isinstance(schema, int) else None
