"""Writing the volume, by either road, with one builder.

- `merge_files` (`merge FILE… --out`): the one-shot path, with no store: `consolidate` gathers
  the inputs, `content.from_consolidation` what to show, `volume.build_volume` lays it out;
- `volume_from_store` (`volume --out [--xlsx]`): the team lead's workspace, through
  `content.from_store`, and the analysis workbook (`workbook.build_workbook`).

Nothing is written before every output was built in memory; each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pi87_field.core.errors import FieldError
from pi87_field.core.guides import GuideLibrary, builtin_guides_dir
from pi87_field.core.merge import volume
from pi87_field.core.merge.content import VolumeContent, from_consolidation, from_store
from pi87_field.core.merge.consolidation import MergeReport, consolidate, merged_json_bytes
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.atomic import atomic_write_bytes


def _default_guides() -> GuideLibrary:
    return GuideLibrary([builtin_guides_dir()])


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover - unresolvable paths are not the same file
        return False


def merge_files(
    paths: list[Path],
    out_docx: Path,
    json_out: Path | None = None,
    progress: Callable[[Path], None] | None = None,
    guides: GuideLibrary | None = None,
) -> MergeReport:
    """Merge `paths` into the volume `out_docx` (and `json_out` if given).

    A bad input is one row with status "error" and is skipped. Raises FieldError (nothing
    written) when no input could be merged or an output would overwrite an input.
    """
    paths = [Path(p) for p in paths]
    out_docx = Path(out_docx)
    outputs = [out_docx] + ([Path(json_out)] if json_out else [])
    for out in outputs:
        for path in paths:
            if _same_file(out, path):
                raise FieldError(f"Le fichier de sortie {out} est aussi un fichier à fusionner : choisissez un autre nom")
    if json_out is not None and _same_file(out_docx, Path(json_out)):
        raise FieldError("Le volume Word et la fusion JSON doivent être deux fichiers différents")
    state = consolidate(paths, progress)
    counts = state.counts()
    if not state.projects:
        detail = "; ".join(f"{r.file} : {r.reason}" for r in state.inputs if r.reason)
        raise FieldError("Rien à fusionner" + (f" ({detail})" if detail else " (aucun fichier donné)"))
    conflicts = state.conflicts()
    # Everything is built in memory first: an error here leaves no file behind.
    volume_bytes = volume.build_volume(from_consolidation(state, guides or _default_guides()))
    merged_json = merged_json_bytes(state) if json_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes)
    if json_out is not None and merged_json is not None:
        atomic_write_bytes(Path(json_out), merged_json)
    return MergeReport(inputs=state.inputs, counts=counts, conflicts=conflicts,
                       out_docx=out_docx, json_out=Path(json_out) if json_out else None)


def _refuse_same_outputs(out_docx: Path, xlsx_out: Path | None) -> None:
    if out_docx.suffix.lower() != ".docx":
        raise FieldError(f"Le volume doit être un fichier .docx : {out_docx}")
    if xlsx_out is not None:
        if xlsx_out.suffix.lower() != ".xlsx":
            raise FieldError(f"Le classeur doit être un fichier .xlsx : {xlsx_out}")
        if _same_file(out_docx, xlsx_out):
            raise FieldError("Le volume Word et le classeur doivent être deux fichiers différents")


def volume_from_store(
    store: ProjectStore,
    out_docx: Path,
    xlsx_out: Path | None = None,
    *,
    pseudonymise: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> VolumeContent:
    """Build the volume (and the workbook) from the store. `progress(step, done, total)`."""
    from pi87_field.core.merge.workbook import build_workbook

    out_docx = Path(out_docx)
    xlsx_out = Path(xlsx_out) if xlsx_out is not None else None
    _refuse_same_outputs(out_docx, xlsx_out)
    total = len(store.list_projects())
    done = {"read": 0, "write": 0}

    def step(kind: str, label: str) -> Callable[[str], None]:
        def tick(_item: str) -> None:
            done[kind] += 1
            if progress:
                progress(label, done[kind], total)
        return tick

    content = from_store(store, pseudonymise=pseudonymise, progress=step("read", "Lecture"))
    if not content.cases:
        raise FieldError("Le magasin ne contient aucun projet : rien à consolider")
    volume_bytes = volume.build_volume(content, progress=step("write", "Volume"))
    workbook_bytes = build_workbook(content) if xlsx_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes)
    if xlsx_out is not None and workbook_bytes is not None:
        atomic_write_bytes(xlsx_out, workbook_bytes)
    return content
