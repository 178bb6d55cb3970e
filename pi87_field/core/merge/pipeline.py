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
from typing import TYPE_CHECKING

from pi87_field.core.errors import FieldError
from pi87_field.core.guides import GuideLibrary, builtin_guides_dir
from pi87_field.core.merge import volume
from pi87_field.core.merge.consolidation import MergeReport, consolidate, merged_json_bytes
from pi87_field.core.merge.content import VolumeContent, from_consolidation, from_store
from pi87_field.core.store.atomic import atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.privacy import PseudonymRegister
    from pi87_field.core.store import ProjectStore


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
    volume_bytes = volume.build_volume(from_consolidation(state, guides or _default_guides()))
    merged_json = merged_json_bytes(state) if json_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes, sweep=True)
    if json_out is not None and merged_json is not None:
        atomic_write_bytes(Path(json_out), merged_json, sweep=True)
    sidecar = None
    if residual is not None:
        sidecar = sidecar_path(out_docx)
        atomic_write_bytes(sidecar, residual.text(out_docx.name).encode("utf-8"), sweep=True)
    return MergeReport(inputs=state.inputs, counts=counts, conflicts=conflicts,
                       out_docx=out_docx, json_out=Path(json_out) if json_out else None,
                       residual=residual, sidecar=sidecar)


def volume_from_store(
    store: ProjectStore,
    out_docx: Path,
    xlsx_out: Path | None = None,
    *,
    pseudonymise: bool | str = False,
    progress: Callable[[str, int, int], None] | None = None,
    only: str = "",
) -> VolumeContent:
    """Build the volume (and the workbook) from the store; `progress(step, done, total)`.
    `only` "conclusions": Part I alone (the report's chapter 4).

    `pseudonymise` (True, "people" or "strict"): with the store's register; the outputs take
    their pseudonymised names (`vol.pseudonymise.docx`) and the residual-risk list is written
    beside the volume. Returns the content shown (`content.out_docx`/`out_xlsx`: the names written).
    """
    from pi87_field.core.merge.pseudonymised import output_names
    from pi87_field.core.merge.workbook import build_workbook
    from pi87_field.core.privacy import LEVELS, PEOPLE, pseudonymised_path, sidecar_path

    level = PEOPLE if pseudonymise is True else (pseudonymise or "")
    if level and level not in LEVELS:
        raise FieldError(f"Niveau de pseudonymisation inconnu : « {level} » (people ou strict)")
    out_docx = Path(out_docx)
    xlsx_out = Path(xlsx_out) if xlsx_out is not None else None
    if out_docx.suffix.lower() != ".docx":
        raise FieldError(f"Le volume doit être un fichier .docx : {out_docx}")
    if xlsx_out is not None and xlsx_out.suffix.lower() != ".xlsx":
        raise FieldError(f"Le classeur doit être un fichier .xlsx : {xlsx_out}")
    out_docx, _ = output_names(out_docx, None, bool(level))
    if xlsx_out is not None and level:
        xlsx_out = pseudonymised_path(xlsx_out)
    total = len(store.list_projects())
    if not total:
        raise FieldError("Le magasin ne contient aucun projet : rien à consolider")
    done = {"Lecture": 0, "Volume": 0}

    def step(label: str) -> Callable[[str], None]:
        def tick(_item: str) -> None:
            done[label] += 1
            if progress:
                progress(label, done[label], total)
        return tick

    content = from_store(store, pseudonymise=level, progress=step("Lecture"))
    # Everything is built in memory first: an error here leaves no file behind.
    if only and only != "conclusions":
        raise FieldError(f"--only : « {only} » inconnu (attendu : conclusions)")
    volume_bytes = volume.build_volume(content, progress=step("Volume"), only=only)
    workbook_bytes = build_workbook(content) if xlsx_out is not None else None
    atomic_write_bytes(out_docx, volume_bytes, sweep=True)
    if xlsx_out is not None and workbook_bytes is not None:
        atomic_write_bytes(xlsx_out, workbook_bytes, sweep=True)
    if content.residual is not None:
        atomic_write_bytes(sidecar_path(out_docx), content.residual.text(out_docx.name).encode("utf-8"), sweep=True)
    content.out_docx, content.out_xlsx = out_docx, xlsx_out
    return content
