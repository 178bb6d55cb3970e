"""The register of pseudonyms: one label per person, for good, across projects and exports.

A person is known by the canonical key of their name (case- and accent-folded words, sorted, so
"Jean Dupont", "DUPONT Jean" and "Jean Dupónt" are one person). The first time a person is met
they get the next free number of their kind; nobody else ever gets it, and it is never given
back (removing a person from the store keeps their line), so an export next year still calls
them the same.

Labels (`label_for`):
- interviewees: "Personne 01", "Personne 02"… ("Personne 100" after 99);
- evaluators (interviewers, authors of answers and of concurrent versions):
  "Enquêteur·rice 01"…
Why this scheme: it reads as French in a sentence ("Personne 07 insiste sur…", "selon
Personne 07"), says nothing of gender, and cannot collide with real text: nobody writes a
capitalised "Personne" followed by a zero-padded number, and numbers never run out (the letters
of the old "Personne A" scheme made "Personne A a dit" read oddly). `LABEL_RE` finds labels
again (used to keep numbers of already pseudonymised inputs free).

Persistence (`PseudonymRegister.of_store(root)`): `<data dir>/pseudonyms.json`, written like
every store file (atomic temp + fsync + rename, 0600, rolling backups under `backups/`), under
its own lock `<data dir>/.pseudonyms.lock`, held only while a batch of people is added: so a
read-only `export` can add people while the TUI holds the store's writer lock, and two exports
at once never give one number twice (the file is read again under the lock before allocating).
The file holds real names: it is as private as the interviews themselves and never leaves the
data folder. A damaged register is never written over: pseudonymising stops with one line.

`PseudonymRegister.in_memory()` is the same thing without a file (merge of files without a
store, tests); `reserve` keeps numbers already used by pseudonymised inputs out of its reach.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from pi87_field.core.errors import DamagedFileError, StoreError
from pi87_field.core.model import now_iso
from pi87_field.core.store.storage import AtomicJSONStorage
from pi87_field.core.text import fold, one_line

REGISTER_FILE = "pseudonyms.json"
REGISTER_LOCK = ".pseudonyms.lock"
SCHEMA = 1

PERSON = "person"
EVALUATOR = "evaluator"
_PREFIX = {PERSON: "Personne", EVALUATOR: "Enquêteur·rice"}
LABEL_RE = re.compile(r"\b(Personne|Enquêteur·rice) (\d{2,})\b")
_WORDS = re.compile(r"[^\W_]+")


def person_key(name: str) -> str:
    """Canonical key of a person's name: folded words, sorted ("" for a name with no letters)."""
    return " ".join(sorted(_WORDS.findall(fold(name))))


_CIVILITY_WORDS = frozenset({"m", "mm", "mme", "mmes", "mlle", "mlles", "monsieur", "messieurs", "madame", "mesdames",
                             "mademoiselle", "dr", "docteur", "docteure", "pr", "professeur", "professeure",
                             "me", "maitre"})


@functools.lru_cache(maxsize=4096)
def sheet_name(value: str) -> str:
    """The name in a sheet's name field, without civility, role or note: "M. B. (chargé de
    mission)" -> "B."; "Mme Martin, directrice" -> "Martin"; "Mme Sophie Marchetti" -> "Sophie
    Marchetti"; a civility alone ("Mme") -> "" (never a name)."""
    text = re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", one_line(value))
    parts = [p for p in re.split(r"[,;:/]| [–—-] ", text) if p.strip()] or [""]
    # the part with a civility is the name ("Directeur d'agence : M. Laurent Schmitt"), else the first
    text = next((p for p in parts if fold((p.split() or [""])[0]).rstrip(".") in _CIVILITY_WORDS), parts[0])
    words = text.split()
    while words and fold(words[0]).rstrip(".") in _CIVILITY_WORDS:
        words.pop(0)
    name = " ".join(words).strip(" -–—")
    return name if _WORDS.search(name) else ""


def make_label(kind: str, number: int) -> str:
    return f"{_PREFIX[kind]} {number:02d}"


@dataclass(frozen=True)
class Entry:
    """One person of the register: the name as first met, their kind and number."""

    key: str
    name: str
    kind: str
    number: int

    @property
    def label(self) -> str:
        return make_label(self.kind, self.number)


class PseudonymRegister:
    """Person key -> Entry. Build with `of_store(root)` (persisted) or `in_memory()`."""

    def __init__(self, path: Path | None = None, *, root: Path | None = None, durable: bool = True) -> None:
        self.path = path
        self.root = root
        self.durable = durable
        self._entries: dict[str, Entry] = {}
        self._reserved: dict[str, set[int]] = {PERSON: set(), EVALUATOR: set()}
        if path is not None:
            self._entries = self._load()

    @classmethod
    def in_memory(cls) -> PseudonymRegister:
        return cls()

    @classmethod
    def of_store(cls, root: Path, *, durable: bool = True) -> PseudonymRegister:
        root = Path(root)
        return cls(root / REGISTER_FILE, root=root, durable=durable)

    @property
    def persisted(self) -> bool:
        return self.path is not None

    # -- reading -------------------------------------------------------------------------------

    def _storage(self) -> AtomicJSONStorage:
        assert self.path is not None and self.root is not None
        return AtomicJSONStorage(self.path, backup_root=self.root / "backups", relative_to=self.root,
                                 durable=self.durable)

    def _load(self) -> dict[str, Entry]:
        try:
            data = self._storage().read()
        except DamagedFileError as exc:
            raise StoreError(f"Registre des pseudonymes endommagé, laissé tel quel : {exc} — "
                             "rien n'a été pseudonymisé.") from None
        entries: dict[str, Entry] = {}
        if not data:
            return entries
        meta = (data.get("_meta") or {}).get("1") or {}
        if isinstance(meta.get("schema"), int) and meta["schema"] > SCHEMA:
            raise StoreError("Le registre des pseudonymes a été écrit par une version plus récente de "
                             "pi87-field : mettez le programme à jour.")
        try:
            for doc in (data.get("people") or {}).values():
                entry = Entry(str(doc["key"]), str(doc["name"]), str(doc["kind"]), int(doc["number"]))
                if entry.kind not in _PREFIX or entry.number < 1:
                    raise ValueError(entry)
                entries[entry.key] = entry
        except (KeyError, TypeError, ValueError):
            raise StoreError(f"Registre des pseudonymes endommagé, laissé tel quel : {self.path} — "
                             "rien n'a été pseudonymisé.") from None
        return entries

    def entries(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: (e.kind, e.number))

    def get(self, name: str) -> Entry | None:
        return self._entries.get(person_key(sheet_name(name)))

    def label_for(self, name: str) -> str | None:
        entry = self.get(name)
        return entry.label if entry else None

    # -- adding people ---------------------------------------------------------------------------

    def reserve(self, labels: Iterable[str]) -> None:
        """Numbers already used by labels of pseudonymised inputs: never given to anyone here."""
        for label in labels:
            for prefix, number in LABEL_RE.findall(label):
                kind = PERSON if prefix == "Personne" else EVALUATOR
                self._reserved[kind].add(int(number))

    def register(self, people: Iterable[tuple[str, str]]) -> None:
        """Give a number to every (name, kind) not yet known, in order; one write for the batch."""
        wanted = [(sheet_name(name), kind) for name, kind in people if person_key(sheet_name(name))]
        if not wanted:
            return
        if self.path is None:
            self._allocate(wanted)
            return
        lock = FileLock(self.path.parent / REGISTER_LOCK, timeout=30, mode=0o600, thread_local=False)
        try:
            with lock:
                self._entries = self._load()          # another process may have added people
                if self._allocate(wanted):
                    self._save()
        except Timeout:
            raise StoreError("Registre des pseudonymes occupé par un autre export : réessayez.") from None

    def _allocate(self, wanted: list[tuple[str, str]]) -> bool:
        changed = False
        for name, kind in wanted:
            key = person_key(name)
            if key in self._entries:
                continue
            used = {e.number for e in self._entries.values() if e.kind == kind} | self._reserved[kind]
            number = max(used, default=0) + 1
            self._entries[key] = Entry(key, name, kind, number)
            changed = True
        return changed

    def _save(self) -> None:
        people = {str(n): {"key": e.key, "name": e.name, "kind": e.kind, "number": e.number}
                  for n, e in enumerate(sorted(self._entries.values(), key=lambda e: (e.kind, e.number)),
                                        start=1)}
        self._storage().write({"_meta": {"1": {"schema": SCHEMA, "updated_at": now_iso()}}, "people": people})
