"""A folder's files and bytes: to prove that a refused command changed nothing."""

from __future__ import annotations

from pathlib import Path


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes (lock files excluded): to prove nothing changed."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".lock"):
            out[str(path.relative_to(root))] = path.read_bytes()
    return out
