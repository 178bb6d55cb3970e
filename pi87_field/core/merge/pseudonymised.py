"""`merge --pseudonymise`: the consolidation pseudonymised with one register, before the volume.

Every chapter (project) goes through `privacy.pseudonymise_bundles` in one call, with one
register: the same person is the same "Personne NN" in every chapter, the matrices and the
appendices. What the volume shows besides the bundles is pseudonymised too: the input file names
("CR Jean Dupont.json" -> "CR Personne 03.json") in the provenance appendix and in the source of
every concurrent version, the evaluators of every input, the projects' titles and error reasons.

Inputs already pseudonymised pass through (their labels' numbers are reserved). A project that
comes both nominative and pseudonymised is refused (`check_inputs`): their texts differ only by
the names, which would make false conflicts and mix real names and pseudonyms in one chapter.
Without `--pseudonymise`, nominative and pseudonymised projects are not mixed in one volume
either: either every input is pseudonymised (the volume says so), or `--pseudonymise` makes
them all so.
"""

from __future__ import annotations

from pathlib import Path

from pi87_field.core.errors import FieldError
from pi87_field.core.merge.consolidation import Consolidation, InputStatus, MergedProject
from pi87_field.core.privacy import PseudonymRegister, ResidualReport, pseudonymise_bundles
from pi87_field.core.privacy.pseudonymise import Pseudonymiser, pseudonymise_labels


def _names(rows: list) -> str:
    shown = [r.file for r in rows[:3]]
    return ", ".join(shown) + (f" (+{len(rows) - 3})" if len(rows) > 3 else "")


def check_inputs(state: Consolidation, pseudonymise: bool) -> None:
    """Refuse, in one line naming the files, what would mix real names and pseudonyms."""
    by_project: dict[str, tuple[list, list]] = {}
    for row in state.inputs:
        if row.status == InputStatus.OK:
            pair = by_project.setdefault(row.project_id, ([], []))
            pair[1 if row.pseudonymised else 0].append(row)
    for pid, (plain, masked) in by_project.items():
        if plain and masked:
            raise FieldError(
                f"Fusion refusée : le projet {pid} est à la fois nominatif ({_names(plain)}) et pseudonymisé "
                f"({_names(masked)}) ; fusionnez les uns ou les autres.")
    if not pseudonymise:
        plain = [r for p, m in by_project.values() if not m for r in p]
        masked = [r for p, m in by_project.values() if m for r in m]
        if plain and masked:
            raise FieldError(
                f"Fusion refusée : fichiers nominatifs ({_names(plain)}) et pseudonymisés ({_names(masked)}) "
                "mêlés ; ajoutez --pseudonymise pour un volume entièrement pseudonymisé.")


def pseudonymise_consolidation(state: Consolidation, register: PseudonymRegister, level: str) -> ResidualReport:
    """Pseudonymise `state` in place (projects, sources, inputs); returns the residual report."""
    masked_projects = {r.project_id for r in state.inputs if r.status == InputStatus.OK and r.pseudonymised}
    bundles = state.bundles()
    for bundle in bundles:
        if bundle.project.id in masked_projects:
            bundle.extra["pseudonymised"] = True
    bundles, report = pseudonymise_bundles(bundles, register, level)
    ps = Pseudonymiser(register, "people")
    for bundle in bundles:
        old = state.projects[bundle.project.id]
        state.projects[bundle.project.id] = MergedProject(
            project=bundle.project, interviews={i.id: i for i in bundle.interviews},
            sources=[ps.text(s) for s in old.sources])
    state.answer_sources = {key: ps.text(source) for key, source in state.answer_sources.items()}
    for row in state.inputs:
        row.path = row.path.with_name(pseudonymise_labels([row.path.name], register, report)[0])
        if row.duplicate_of is not None:
            row.duplicate_of = row.duplicate_of.with_name(ps.text(row.duplicate_of.name))
        row.evaluators = [register.label_for(n) or ps.text(n) for n in row.evaluators]
        row.project_title = ps.text(row.project_title)
        row.reason = ps.text(row.reason)
        row.pseudonymised = row.pseudonymised or level
    state.pseudonymised = level
    return report


def output_names(out_docx: Path, json_out: Path | None, pseudonymised: bool) -> tuple[Path, Path | None]:
    """A pseudonymised volume gets its own name (`vol.pseudonymise.docx`); a nominative one may not
    take such a name."""
    from pi87_field.core.privacy import is_pseudonymised_name, pseudonymised_path

    if pseudonymised:
        return pseudonymised_path(out_docx), pseudonymised_path(json_out) if json_out else None
    for path in (out_docx, json_out):
        if path is not None and is_pseudonymised_name(path):
            raise FieldError(f"{path.name} : ce nom est réservé aux volumes pseudonymisés (ajoutez --pseudonymise "
                             "ou choisissez un autre nom)")
    return out_docx, json_out
