"""`export`: one file per project (Word write-up or JSON bundle), written atomically into the
chosen folder and nowhere else."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pi87_field.core.bundle import Bundle, bundle_to_bytes
from pi87_field.core.errors import FieldError
from pi87_field.core.model import now_iso
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.atomic import atomic_write_bytes, ensure_dir

FORMATS = ("docx", "json")


def safe_stem(project_id: str, title: str = "") -> str:
    """A file name stem that is safe on every system and can never leave the output folder."""
    def slug(value: str) -> str:
        ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()

    stem = slug(project_id) or "projet"
    return stem[:80]


def export_target(project_id: str, out_dir: Path, fmt: str = "docx", *, pseudonymise: bool = False) -> Path:
    """The file `export_project` writes for this project (to check it before writing)."""
    return Path(out_dir) / f"{safe_stem(project_id)}.{fmt}"


def project_bundle(store: ProjectStore, project_id: str, *, pseudonymise: bool = False) -> Bundle:
    project = store.get_project(project_id)
    bundle = Bundle(project=project, interviews=store.list_interviews(project_id), exported_at=now_iso())
    if pseudonymise:
        from pi87_field.core.privacy.pseudonymise import pseudonymise_bundle

        bundle = pseudonymise_bundle(bundle)
    return bundle


def export_project(store: ProjectStore, project_id: str, out_dir: Path, fmt: str = "docx",
                   *, pseudonymise: bool = False) -> Path:
    if fmt not in FORMATS:
        raise FieldError(f"Format d'export inconnu : « {fmt} » (docx ou json)")
    bundle = project_bundle(store, project_id, pseudonymise=pseudonymise)
    out_dir = ensure_dir(Path(out_dir))
    target = export_target(bundle.project.id, out_dir, fmt, pseudonymise=pseudonymise)
    if target.resolve().parent != out_dir.resolve():  # pragma: no cover - guarded by safe_stem
        raise FieldError(f"Nom de fichier refusé : {target.name}")
    if fmt == "json":
        atomic_write_bytes(target, bundle_to_bytes(bundle))
    else:
        from pi87_field.core.word.writeup import write_project_docx

        write_project_docx(bundle, store.guides, target, pseudonymised=pseudonymise)
    return target


def export_projects(store: ProjectStore, project_ids: list[str], out_dir: Path, fmt: str = "docx",
                    *, pseudonymise: bool = False,
                    progress: Callable[[str], None] | None = None) -> list[Path]:
    written = []
    for pid in project_ids:
        written.append(export_project(store, pid, out_dir, fmt, pseudonymise=pseudonymise))
        if progress:
            progress(pid)
    return written
