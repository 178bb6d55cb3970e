"""`merge FILE… --out`: consolidate write-ups and bundles, then write the volume (and merged JSON).

The one-shot path, with no store: `consolidate` gathers the inputs, `volume.build_volume` lays
them out, and nothing is written before both succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pi87_field.core.errors import FieldError
from pi87_field.core.guides import GuideLibrary, builtin_guides_dir
from pi87_field.core.merge import volume
from pi87_field.core.merge.consolidation import MergeReport, consolidate, merged_json_bytes
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
    volume_bytes = volume.build_volume(state, guides or _default_guides(), conflicts=conflicts)
    merged_json = merged_json_bytes(state) if json_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes)
    if json_out is not None and merged_json is not None:
        atomic_write_bytes(Path(json_out), merged_json)
    return MergeReport(inputs=state.inputs, counts=counts, conflicts=conflicts,
                       out_docx=out_docx, json_out=Path(json_out) if json_out else None)
