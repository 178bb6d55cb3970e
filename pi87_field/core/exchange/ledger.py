"""What pi87-field last wrote into each export file, so that an export never silently replaces
a write-up someone changed since (an evaluator's Word edits not yet imported).

The ledger is one JSON file in the data folder: absolute path -> size, mtime and SHA-256 of
the file as written. A file is "changed" if it exists and does not match its entry (or has
none: pi87-field did not write it, or not from this data folder)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pi87_field.core.store.atomic import atomic_write_bytes

LEDGER_FILE = "exports-ledger.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ExportLedger:
    def __init__(self, data_root: Path) -> None:
        self.path = Path(data_root) / LEDGER_FILE

    def _load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def changed(self, target: Path) -> bool:
        """True if `target` exists and is not the file pi87-field last wrote there."""
        target = Path(target)
        if not target.exists():
            return False
        entry = self._load().get(str(target.resolve()))
        if not isinstance(entry, dict):
            return True
        try:
            stat = target.stat()
            if stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns"):
                return False
            return _sha256(target) != entry.get("sha256")
        except OSError:
            return True

    def record(self, targets: list[Path]) -> None:
        """Remember `targets` as just written by pi87-field."""
        data = self._load()
        for target in targets:
            target = Path(target)
            stat = target.stat()
            data[str(target.resolve())] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                           "sha256": _sha256(target)}
        atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
