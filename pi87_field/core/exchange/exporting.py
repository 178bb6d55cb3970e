"""`export`: one file per project (Word write-up or JSON bundle), written atomically into the
chosen folder and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pi87_field.core.bundle import Bundle, bundle_to_bytes
from pi87_field.core.errors import FieldError
from pi87_field.core.model import check_project_id, now_iso
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.atomic import atomic_write_bytes, ensure_dir

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.privacy import PseudonymRegister, ResidualReport

FORMATS = ("docx", "json")


def safe_stem(project_id: str) -> str:
    """The file name stem of a project's export: its id itself. Ids are checked (lowercase
    letters, digits, - and _, at most 80), so the name is safe on every system, never leaves the
    output folder, and is unique per project; a slug would give `ec08_insup` and `ec08-insup`
    the same file, and one export would silently replace the other."""
    return check_project_id(project_id)


def pseudonymisation_level(pseudonymise: bool | str | None) -> str | None:
    """False/None -> None (nominative); True -> "people"; "people" or "strict" as they are."""
    from pi87_field.core.privacy import LEVELS, PEOPLE

    if not pseudonymise:
        return None
    if pseudonymise is True:
        return PEOPLE
    if pseudonymise not in LEVELS:
        raise FieldError(f"Niveau de pseudonymisation inconnu : « {pseudonymise} » (people ou strict)")
    return str(pseudonymise)


def export_target(project_id: str, out_dir: Path, fmt: str = "docx", *, pseudonymise: bool | str = False,
                  edition: str = "travail") -> Path:
    """The file `export_project` writes for this project (to check it before writing)."""
    target = edition_target(Path(out_dir) / f"{safe_stem(project_id)}.{fmt}", edition)
    if pseudonymisation_level(pseudonymise):
        from pi87_field.core.privacy import pseudonymised_path

        target = pseudonymised_path(target)
    return target


def project_bundle(store: ProjectStore, project_id: str, *, pseudonymise: bool | str = False) -> Bundle:
    """The project as a bundle; pseudonymised with the store's register when asked."""
    return _project_bundle(store, project_id, pseudonymise)[0]


def store_register(store: ProjectStore) -> PseudonymRegister:
    """The store's register, knowing every person of the store (not only of the projects being
    exported): a person of one project named in another is found, and numbers follow the store's
    order (projects by id, interviews in order), not the order of exports."""
    from pi87_field.core.privacy import PseudonymRegister, people_of

    register = PseudonymRegister.of_store(store.root, durable=store.durable)
    people = []
    for project in store.list_projects():
        people += people_of(store.list_interviews(project.id))
    register.register(people)
    return register


def _project_bundle(store: ProjectStore, project_id: str, pseudonymise: bool | str | None,
                    register: PseudonymRegister | None = None):
    project = store.get_project(project_id)
    bundle = Bundle(project=project, interviews=store.exportable_interviews(project_id), exported_at=now_iso())
    level = pseudonymisation_level(pseudonymise)
    if level is None:
        return bundle, None
    from pi87_field.core.privacy import pseudonymise_bundles

    bundles, report = pseudonymise_bundles([bundle], register or store_register(store), level)
    return bundles[0], report


@dataclass
class ExportResult:
    """One exported file; a pseudonymised one comes with its residual-risk list and sidecar."""

    path: Path
    sidecar: Path | None = None
    report: ResidualReport | None = None


EDITIONS = ("travail", "client")     # = word.format.EDITIONS (not imported: JSON needs no Word code)


def check_edition(fmt: str, edition: str) -> str:
    """The write-up's edition; the client edition exists in Word only (a bundle is for re-import)."""
    if edition not in EDITIONS:
        raise FieldError(f"Édition inconnue : « {edition} » (travail ou client)")
    if edition == "client" and fmt != "docx":
        raise FieldError("L'édition client n'existe qu'en Word (--format docx) : un paquet JSON sert à réimporter.")
    return edition


def check_with_transcript(fmt: str, edition: str, with_transcript: bool) -> None:
    """The transcripts' annex is part of the working write-up only (DESIGN §8)."""
    if with_transcript and (fmt != "docx" or edition != "travail"):
        raise FieldError("--with-transcript : l'annexe des transcriptions n'existe que dans le compte rendu Word "
                         "de travail (un export JSON les contient toujours ; l'édition client jamais).")


def edition_target(target: Path, edition: str) -> Path:
    """A client edition is `<id>.client.docx`: it never takes the working file's name (which the
    ledger watches for Word edits to re-import)."""
    return target.with_name(f"{target.stem}.client{target.suffix}") if edition == "client" else target


def export_project(store: ProjectStore, project_id: str, out_dir: Path, fmt: str = "docx",
                   *, pseudonymise: bool | str = False, edition: str = "travail",
                   with_transcript: bool = False) -> Path:
    """Write one project's file and return its path (see `export_project_result`)."""
    return export_project_result(store, project_id, out_dir, fmt, pseudonymise=pseudonymise,
                                 edition=edition, with_transcript=with_transcript).path


def export_project_result(store: ProjectStore, project_id: str, out_dir: Path, fmt: str = "docx",
                          *, pseudonymise: bool | str = False,
                          register: PseudonymRegister | None = None, edition: str = "travail",
                          with_transcript: bool = False) -> ExportResult:
    """Write `<id>.<fmt>`, or, pseudonymised (True, "people" or "strict"), `<id>.pseudonymise.<fmt>`
    and beside it `<id>.pseudonymise.<fmt>.a-verifier.txt`, the list of name-like words left in place
    (for the evaluator: it quotes the text, it is not to be sent). A pseudonymised file never
    takes the nominative file's name, so neither replaces the other. `with_transcript`: the
    recordings' transcripts in the write-up's annex (working edition; a bundle always carries them)."""
    if fmt not in FORMATS:
        raise FieldError(f"Format d'export inconnu : « {fmt} » (docx ou json)")
    check_edition(fmt, edition)
    check_with_transcript(fmt, edition, with_transcript)
    bundle, report = _project_bundle(store, project_id, pseudonymise, register)
    out_dir = ensure_dir(Path(out_dir))
    target = export_target(bundle.project.id, out_dir, fmt, pseudonymise=report is not None, edition=edition)
    if target.resolve().parent != out_dir.resolve():  # pragma: no cover - guarded by safe_stem
        raise FieldError(f"Nom de fichier refusé : {target.name}")
    if fmt == "json":
        atomic_write_bytes(target, bundle_to_bytes(bundle), sweep=True)
    else:
        from pi87_field.core.word.writeup import write_project_docx

        write_project_docx(bundle, store.guides, target, pseudonymised=report is not None, edition=edition,
                           with_transcript=with_transcript)
    if report is None:
        return ExportResult(target)
    from pi87_field.core.privacy import sidecar_path

    sidecar = sidecar_path(target)
    atomic_write_bytes(sidecar, report.text(f"{target.name} ({bundle.project.id})").encode("utf-8"), sweep=True)
    return ExportResult(target, sidecar, report)


def export_projects_results(store: ProjectStore, project_ids: list[str], out_dir: Path, fmt: str = "docx",
                            *, pseudonymise: bool | str = False,
                            progress: Callable[[str], None] | None = None,
                            edition: str = "travail") -> list[ExportResult]:
    check_edition(fmt, edition)
    written = []
    register = store_register(store) if pseudonymisation_level(pseudonymise) else None
    for pid in project_ids:
        written.append(export_project_result(store, pid, out_dir, fmt, pseudonymise=pseudonymise,
                                             register=register, edition=edition))
        if progress:
            progress(pid)
    return written
