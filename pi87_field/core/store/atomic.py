"""Durable, atomic file replacement: temp file in the same folder, fsync, os.replace, fsync dir.

A reader (or a crash) sees either the old file or the new one, never a mix. Files are created
0600 and folders 0700: the store holds interviews with named people. A new folder is made
durable too (its parent is fsynced), or a crash could lose the folder with the files in it.

Temp files are named `.<target>.<pid>-<random>.tmp`: `sweep_temp_files(folder)` removes those of
a process that is gone (a killed export or merge), in export folders where no lock says that all
of them are garbage (the store sweeps its own at start-up, under its writer lock).

A failed write raises `FileWriteError` (an OSError with a French message naming the target:
"disque plein", "permission refusée", "est un dossier"…), never the temp file's English error.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from pathlib import Path

from pi87_field.core.errors import FileWriteError, os_reason

FILE_MODE = 0o600
DIR_MODE = 0o700
# A temp file without a live owner is garbage; one of an older version (no pid in its name) once
# it is this old; any temp file once it is a day old (a pid can be reused).
LEGACY_TEMP_SECONDS = 600
MAX_TEMP_SECONDS = 24 * 3600
_TEMP_RE = re.compile(r"^\..+\.(?:(\d+)-)?[0-9a-f]{12}\.tmp$")



def _write_error(target: Path, exc: OSError, what: str = "écriture impossible") -> FileWriteError:
    error = FileWriteError(exc.errno or 0, f"{target} : {what} ({os_reason(exc)})")
    error.filename = str(target)
    return error


def _mkdir(path: Path, durable: bool) -> None:
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise _write_error(path, exc, "création du dossier impossible") from None
    try:
        os.chmod(path, DIR_MODE)
    except OSError:  # pragma: no cover - e.g. a filesystem without modes
        pass
    if durable:
        fsync_dir(path.parent)


def ensure_dir(path: Path, *, durable: bool = True) -> Path:
    """Create `path` and any missing parent, each 0700 (mkdir's parents would get the umask), and
    fsync each new folder's parent so the new folder survives a crash."""
    if not path.is_dir():
        if path.exists():
            raise _write_error(path, OSError(errno.ENOTDIR, "not a directory"), "pas un dossier")
        if not path.parent.is_dir():
            ensure_dir(path.parent, durable=durable)
        _mkdir(path, durable)
    return path


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE, durable: bool = True,
                       sweep: bool = False) -> None:
    """Replace `path` with `data` atomically. On any error the old file is left untouched and a
    FileWriteError names `path`. With `sweep`, temp files of dead processes in the folder go."""
    folder = path.parent
    ensure_dir(folder, durable=durable)
    if sweep:
        sweep_temp_files(folder)
    if path.is_dir():
        raise _write_error(path, IsADirectoryError(errno.EISDIR, "is a directory"))
    tmp = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, FileWriteError):
            raise _write_error(path, exc) from None
        raise
    if durable:
        fsync_dir(folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True        # someone else's live process (or no way to tell): leave its file
    return True


def sweep_temp_files(folder: Path) -> int:
    """Remove, in `folder` only, the temp files of writers that are gone; return how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = match.group(1)
        stale = age > MAX_TEMP_SECONDS or (not _alive(int(pid)) if pid else age > LEGACY_TEMP_SECONDS)
        if stale:
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


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
