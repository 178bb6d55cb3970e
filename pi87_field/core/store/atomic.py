"""Durable, atomic file replacement: temp file in the same folder, fsync, os.replace, fsync dir.

A reader (or a crash) sees either the old file or the new one, never a mix. Files are created
0600 and folders 0700: the store holds interviews with named people.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_dir(path: Path) -> Path:
    """Create `path` and any missing parent, each 0700 (mkdir's parents would get the umask)."""
    if not path.is_dir():
        if not path.parent.is_dir():
            ensure_dir(path.parent)
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
        try:
            os.chmod(path, DIR_MODE)
        except OSError:  # pragma: no cover - e.g. a filesystem without modes
            pass
    return path


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE, durable: bool = True) -> None:
    """Replace `path` with `data` atomically. On any error the old file is left untouched."""
    folder = path.parent
    ensure_dir(folder)
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(folder)


def remove_stale_temp_files(folder: Path) -> int:
    """Temp files left by a killed process are garbage by construction: remove them."""
    removed = 0
    if not folder.is_dir():
        return 0
    for tmp in folder.rglob(".*.tmp"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed
