"""`merge FILE… --out`: consolidate write-ups and bundles, then write the volume (and merged JSON).

The one-shot path, with no store: `consolidate` gathers the inputs, `volume.build_volume` lays
them out, and nothing is written before both succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pi87_field.core.errors import FieldError
from pi87_field.core.guides import GuideLibrary, builtin_guides_dir
from pi87_field.core.merge import volume
from pi87_field.core.merge.consolidation import MergeReport, consolidate, merged_json_bytes
from pi87_field.core.store.atomic import atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.privacy import PseudonymRegister


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
    *,
    pseudonymise: bool | str = False,
    register: PseudonymRegister | None = None,
) -> MergeReport:
    """Merge `paths` into the volume `out_docx` (and `json_out` if given).

    A bad input is one row with status "error" and is skipped. Raises FieldError (nothing
    written) when no input could be merged or an output would overwrite an input.

    `pseudonymise` (True, "people" or "strict"): every chapter is pseudonymised with one
    register — `register` if given (e.g. the store's, so that the volume's labels are those of
    the store's exports), else a register in memory for this merge only. The outputs then take
    their own names (`vol.pseudonymise.docx`, `….pseudonymise.json`) and the residual-risk list
    is written beside the volume (`vol.pseudonymise.docx.a-verifier.txt`); `report.out_docx` and
    `report.json_out` are the names actually written. Inputs that would mix real names and
    pseudonyms are refused (see `merge.pseudonymised`).
    """
    from pi87_field.core.merge.pseudonymised import check_inputs, output_names, pseudonymise_consolidation
    from pi87_field.core.privacy import LEVELS, PEOPLE, PseudonymRegister, sidecar_path

    level = PEOPLE if pseudonymise is True else (pseudonymise or None)
    if level is not None and level not in LEVELS:
        raise FieldError(f"Niveau de pseudonymisation inconnu : « {level} » (people ou strict)")
    paths = [Path(p) for p in paths]
    out_docx, json_out = Path(out_docx), Path(json_out) if json_out else None

    def check_outputs() -> None:
        for out in [out_docx] + ([json_out] if json_out else []):
            for path in paths:
                if _same_file(out, path):
                    raise FieldError(f"Le fichier de sortie {out} est aussi un fichier à fusionner : "
                                     "choisissez un autre nom")
        if json_out is not None and _same_file(out_docx, json_out):
            raise FieldError("Le volume Word et la fusion JSON doivent être deux fichiers différents")

    check_outputs()
    state = consolidate(paths, progress)
    if not state.projects:
        detail = "; ".join(f"{r.file} : {r.reason}" for r in state.inputs if r.reason)
        raise FieldError("Rien à fusionner" + (f" ({detail})" if detail else " (aucun fichier donné)"))
    check_inputs(state, pseudonymise=level is not None)
    residual = None
    if level is not None:
        residual = pseudonymise_consolidation(state, register or PseudonymRegister.in_memory(), level)
    else:
        levels = {r.pseudonymised for r in state.inputs if r.status.value == "ok"}
        if levels and "" not in levels:      # every input pseudonymised: so is the volume
            state.pseudonymised = "strict" if levels == {"strict"} else "people"
    out_docx, json_out = output_names(out_docx, json_out, bool(state.pseudonymised))
    check_outputs()
    counts = state.counts()
    conflicts = state.conflicts()
    # Everything is built in memory first: an error here leaves no file behind.
    volume_bytes = volume.build_volume(state, guides or _default_guides(), conflicts=conflicts)
    merged_json = merged_json_bytes(state) if json_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes)
    if json_out is not None and merged_json is not None:
        atomic_write_bytes(Path(json_out), merged_json)
    sidecar = None
    if residual is not None:
        sidecar = sidecar_path(out_docx)
        atomic_write_bytes(sidecar, residual.text(out_docx.name).encode("utf-8"))
    return MergeReport(inputs=state.inputs, counts=counts, conflicts=conflicts,
                       out_docx=out_docx, json_out=Path(json_out) if json_out else None,
                       residual=residual, sidecar=sidecar)
