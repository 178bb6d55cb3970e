"""Smaller holes around files (issue 9, item 12): temp files of a killed export are swept, new
folders are made durable, deleting `.lock` by hand does not let a second writer in, a full disk
during an import says what went in, OS errors reach the user in French with the target's name."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pi87_field.core.errors import FileWriteError, StoreLockedError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome
from pi87_field.core.merge import merge_files
from pi87_field.core.model import Project, ProjectKind
from pi87_field.core.store import ProjectStore
from pi87_field.core.store import atomic, storage

PID = "ec05-ml-lunevillois"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leftovers(folder: Path, target: str) -> dict[str, Path]:
    """Temp files as a killed writer leaves them: of a dead process, of an older version (no pid,
    an hour old), and of a writer still running (this process)."""
    dead = folder / f".{target}.{_dead_pid()}-{'a' * 12}.tmp"
    legacy = folder / f".{target}.{'b' * 12}.tmp"
    live = folder / f".{target}.{os.getpid()}-{'c' * 12}.tmp"
    for path in (dead, legacy, live):
        path.write_bytes(b"half a file")
    old = time.time() - 3600
    os.utime(legacy, (old, old))
    return {"dead": dead, "legacy": legacy, "live": live}


def test_an_export_sweeps_the_temp_files_a_killed_export_left(store, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    left = _leftovers(out, "ec05-ml-lunevillois.docx")
    export_project(store, PID, out, fmt="docx")
    assert not left["dead"].exists() and not left["legacy"].exists()
    assert left["live"].exists()            # a writer still at work keeps its file


def test_a_merge_sweeps_the_temp_files_a_killed_merge_left(store, tmp_path):
    source = export_project(store, PID, tmp_path / "in", fmt="json")
    out = tmp_path / "volume"
    out.mkdir()
    left = _leftovers(out, "volume.docx")
    merge_files([source], out / "volume.docx")
    assert not left["dead"].exists() and not left["legacy"].exists() and left["live"].exists()


def test_a_new_project_folder_is_made_durable(data_dir, monkeypatch):
    synced: list[Path] = []
    real = atomic.fsync_dir
    monkeypatch.setattr(atomic, "fsync_dir", lambda path: (synced.append(Path(path)), real(path))[1])
    with ProjectStore.open(data_dir, seed=False) as store:
        synced.clear()
        store.save_project(Project(id="nouveau", kind=ProjectKind.CASE_STUDY, title="Nouveau"))
        projects = data_dir / "projects"
        assert projects.parent in synced or projects in synced      # the "projects" folder, if new
        assert projects in synced                                   # holds the new "nouveau" folder
        assert projects / "nouveau" in synced                       # holds the new "interviews"


def test_deleting_the_lock_file_does_not_let_a_second_writer_in(data_dir):
    with ProjectStore.open(data_dir, seed=False) as first:
        (data_dir / ".lock").unlink()
        with pytest.raises(StoreLockedError):
            ProjectStore.open(data_dir, seed=False)
        first.save_project(Project(id="encore", kind=ProjectKind.CASE_STUDY, title="Encore"))
    with ProjectStore.open(data_dir, seed=False) as again:     # released when the first closes
        assert again.has_project("encore")


def _six_interviews(tmp_path: Path) -> Path:
    interviews = [{"id": str(uuid.uuid4()), "guide_id": "etude-de-cas", "guide_version": "1.0",
                   "interviewer": "E", "date": f"2019-10-{10 + n}", "status": "complete",
                   "answers": {"structure.presentation": {"text": f"Réponse {n}"}}} for n in range(6)]
    path = tmp_path / "six.json"
    path.write_text(json.dumps({"format": "pi87-field/1", "exported_at": "2019-10-20T09:00:00+00:00",
                                "project": {"id": "nouveau-projet", "kind": "case_study", "title": "Nouveau"},
                                "interviews": interviews}), encoding="utf-8")
    return path


def test_a_full_disk_during_an_import_says_what_went_in(store, tmp_path, monkeypatch):
    """It said "la version précédente est intacte" for a file that did not exist, and the summary
    said "Total : rien" although 4 of 6 interviews had gone in."""
    path = _six_interviews(tmp_path)
    writes = {"n": 0}
    real = storage.atomic_write_bytes

    def disk_fills_up(target, data, **kwargs):
        writes["n"] += 1
        if writes["n"] > 5:             # the project's record, then 4 interviews
            raise FileWriteError(errno.ENOSPC, f"{target} : écriture impossible (disque plein)")
        return real(target, data, **kwargs)

    monkeypatch.setattr(storage, "atomic_write_bytes", disk_fills_up)
    report = import_files(store, [path])
    (result,) = report.files
    assert "disque plein" in result.error and "4 entretiens enregistrés sur 6" in result.error
    assert "intacte" not in result.error and "rien n'a été écrit" in result.error
    assert "No space" not in result.error and ".tmp" not in result.error
    assert report.totals()[Outcome.ADDED] == 5          # the project and 4 interviews
    assert len(store.list_interviews("nouveau-projet")) == 4
    monkeypatch.setattr(storage, "atomic_write_bytes", real)
    again = import_files(store, [path])                 # running it again completes it
    assert again.ok and len(store.list_interviews("nouveau-projet")) == 6


@pytest.mark.parametrize("failure, reason", [
    (lambda tmp: PermissionError(errno.EACCES, "Permission denied", str(tmp)), "permission refusée"),
    (lambda tmp: OSError(errno.ENOSPC, "No space left on device"), "disque plein"),
])
def test_write_errors_are_french_and_name_the_target(tmp_path, monkeypatch, failure, reason):
    target = tmp_path / "out" / "rapport.json"
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise failure(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", refuse)
    with pytest.raises(FileWriteError) as caught:
        atomic.atomic_write_bytes(target, b"{}")
    message = str(caught.value)
    assert message == f"{target} : écriture impossible ({reason})"
    assert isinstance(caught.value, OSError) and caught.value.filename == str(target)


def test_a_folder_in_the_way_of_an_export_is_said_in_french(store, tmp_path):
    out = tmp_path / "exports"
    (out / "ec05-ml-lunevillois.json").mkdir(parents=True)
    with pytest.raises(FileWriteError) as caught:
        export_project(store, PID, out, fmt="json")
    assert str(caught.value) == f"{out / 'ec05-ml-lunevillois.json'} : écriture impossible (est un dossier)"
