"""`import`: bring bundles (.json), Word write-ups (.docx) and a lead's synthesis
(`pi87-field-synthesis/1`, .json) into a store, nothing dropped.

Synthesis files are merged after the bundles and write-ups of the same run, so that the
passages they cite find the answers those bring in."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pi87_field.core.bundle import Bundle, read_bundle_file
from pi87_field.core.errors import FieldError, ImportFormatError, StoreError, os_reason
from pi87_field.core.exchange.reconcile import TRASHED, Change, Outcome, reconcile_interview, reconcile_project
from pi87_field.core.fr import fr_local_datetime, plural
from pi87_field.core.model import EDITED_IN_WORD, now_iso
from pi87_field.core.store import ProjectStore


@dataclass
class FileResult:
    path: Path
    project_id: str = ""
    changes: list[Change] = field(default_factory=list)
    error: str = ""
    edited: int = 0          # answers whose text was changed in Word after export
    kind: str = "project"    # "project" (bundle, write-up) or "synthesis"
    damaged: list[str] = field(default_factory=list)   # local files this input could not repair
    notices: list[str] = field(default_factory=list)   # what Word edits meant (word.read.WriteUp.notices)

    @property
    def counts(self) -> Counter:
        return Counter(c.outcome for c in self.changes)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return any(not f.error for f in self.files)

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    def totals(self) -> Counter:
        total: Counter = Counter()
        for f in self.files:
            total.update(f.counts)
        return total

    @property
    def conflicts(self) -> list[Change]:
        return [c for f in self.files for c in f.changes if c.outcome == Outcome.CONFLICT]


IMPORTS_KEY = "pi87_imports"             # Project.extra: the files imported into the project


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


INPUT_SUFFIXES = (".json", ".docx")


def expand_inputs(paths: list[Path]) -> list[Path]:
    """The files to read: a file as it is; a folder, its .json and .docx files (not its
    sub-folders, hidden files or Word's "~$" lock files), sorted by name."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out += sorted((p for p in path.iterdir()
                           if p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith((".", "~$"))
                           and p.is_file()), key=lambda p: p.name)
        else:
            out.append(path)
    return out


def read_input(path: Path) -> tuple[Bundle, int]:
    """Read a .json bundle or a .docx write-up. Returns the bundle and the count of answers
    edited in Word after export (0 for JSON)."""
    bundle, edited, _notices = read_input_said(path)
    return bundle, edited


def read_input_said(path: Path) -> tuple[Bundle, int, list[str]]:
    """`read_input`, with what the Word edits meant, one French line each (a deleted question
    heading, an emptied answer, notes read back: `word.read.WriteUp.notices`)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFormatError(f"{path} : fichier introuvable")
    if suffix == ".json":
        return read_bundle_file(path), 0, []
    if suffix == ".docx":
        from pi87_field.core.word.read import read_writeup

        writeup = read_writeup(path)
        interviews = {i.id: i for i in writeup.bundle.interviews}
        for iid, qid in writeup.edited:
            # the volume marks it "modifiée dans Word" (an extra key: kept, exchanged, never compared)
            interviews[iid].answers[qid].extra[EDITED_IN_WORD] = path.name
        return writeup.bundle, len(writeup.edited) + len(writeup.notes_edited), writeup.notices
    raise ImportFormatError(f"{path} : format non pris en charge (attendu : .json ou .docx)")


SYNTHESIS_PROJECT_LABEL = "synthèse"


def is_synthesis_file(path: Path) -> bool:
    """A .json file holding a `pi87-field-synthesis/…` document (anything unreadable: no)."""
    import json

    from pi87_field.core.synthesis.exchange import MAX_SYNTHESIS_BYTES, is_synthesis_document

    if path.suffix.lower() != ".json":
        return False
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
        if b'"pi87-field-synthesis/' in head:
            return True   # said at the top: read (and refused aloud if it must be) as a synthesis
        if size > MAX_SYNTHESIS_BYTES:
            return False
        head = path.read_bytes()
        if b"pi87-field-synthesis/" not in head:
            return False
        return is_synthesis_document(json.loads(head.decode("utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False


def import_synthesis_file(store: ProjectStore, path: Path, result: FileResult, workspace=None) -> None:
    """Merge a lead's synthesis file into the store's synthesis (see core.synthesis.exchange)."""
    from pi87_field.core.synthesis.exchange import merge_synthesis, read_synthesis_file
    from pi87_field.core.synthesis.workspace import Workspace

    result.kind = "synthesis"
    result.project_id = SYNTHESIS_PROJECT_LABEL
    parsed = read_synthesis_file(path)   # the whole file is checked before anything is written
    ws = workspace or Workspace(store)
    for c in merge_synthesis(ws, parsed, source=path.name):
        label = {"judgement": "jugement", "summary": "synthèse de cellule", "evidence": "preuve",
                 "tag": "étiquette", "source": "source", "conclusions": "conclusions",
                 "recommendation": "préconisation", "key": "clé"}[c.kind]
        result.changes.append(Change(Outcome(c.outcome), SYNTHESIS_PROJECT_LABEL, "", f"{label} {c.key}", c.detail))


def import_files(store: ProjectStore, paths: list[Path],
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import each file on its own: a bad file is reported and skipped, the others go in."""
    report = ImportReport()
    synthesis = [p for p in paths if is_synthesis_file(p)]
    for path in [p for p in paths if p not in synthesis] + synthesis:
        result = FileResult(path=path)
        report.files.append(result)
        if path in synthesis:
            try:
                import_synthesis_file(store, path, result)
            except FieldError as exc:
                result.error = str(exc)
            except OSError as exc:
                result.error = f"{path} : {exc.strerror or exc}"
            if progress:
                progress(path)
            continue
        try:
            sha = sha256_file(path) if path.is_file() else ""
            bundle, result.edited, result.notices = read_input_said(path)
            result.project_id = bundle.project.id
            import_bundle(store, bundle, source=path.name, result=result)
            if any(c.outcome != Outcome.UNCHANGED for c in result.changes):
                _log_import(store, bundle, path.name, sha)
        except FieldError as exc:
            result.error = str(exc)
        except OSError as exc:
            result.error = f"{path} : {os_reason(exc)}"
        if progress:
            progress(path)
    return report


def import_bundle(store: ProjectStore, bundle: Bundle, source: str = "", result: FileResult | None = None) -> FileResult:
    result = result or FileResult(path=Path(source))
    pid = bundle.project.id
    if bundle.extra.get("pseudonymised"):
        # Its people are "Personne A"… and their names are masked in every text: merged into a
        # store it would replace real names and answers. It is made for sharing and for `merge`.
        raise ImportFormatError(
            f"{source or pid} : document pseudonymisé, non importé (il remplacerait les vrais noms) ; "
            "pour le consolider, utilisez « pi87-field merge »."
        )
    known = store.get_project(pid) if store.has_project(pid) else None
    damaged: list = []
    known_interviews = {i.id: i for i in store.list_interviews(pid, damaged=damaged)} if known else {}
    damaged_ids = {Path(d.path).stem for d in damaged}
    incoming = [i for i in bundle.interviews if i.id not in damaged_ids]
    # The trash holds the newest copy of what it holds: a copy arriving is merged into it there
    # (nothing it brings is lost) and reported as a conflict, never added back to the project.
    trashed = store.trash.newest_copies(pid) if known else {}
    for inc in [i for i in incoming if i.id in trashed and i.id not in known_interviews]:
        incoming.remove(inc)
        item = trashed[inc.id]
        changed, _ = reconcile_interview(item.interview, inc, pid, source)
        if changed:
            store.trash.write_back(item)
        result.changes.append(Change(
            Outcome.CONFLICT, pid, inc.id, fact=TRASHED,
            detail=f"entretien mis à la corbeille ici le {fr_local_datetime(item.trashed_at)} : la copie importée "
                   f"y est {'fusionnée' if changed else 'déjà'}, il reste à la corbeille (trash restore pour le reprendre)"))
    for skipped in damaged_ids & {i.id for i in bundle.interviews}:
        result.changes.append(Change(Outcome.OLDER, pid, skipped, detail="fichier local endommagé : non modifié"))
        result.damaged += [str(d.path) for d in damaged if Path(d.path).stem == skipped]
    merged = reconcile_project(known, known_interviews, bundle.project, incoming, source)
    written: set[str] = set()       # "" for the project's record, else interview ids
    pending = sorted(merged.changed_interview_ids)
    try:
        if merged.project_changed:
            store.save_project(merged.project, touch=False)
        written.add("")
        for iid in pending:
            store.save_interview(merged.interviews[iid], touch=False)
            written.add(iid)
    except (FieldError, OSError) as exc:
        # Stopped midway (a full disk…): say what went in, and that running it again completes it.
        result.changes.extend(c for c in merged.changes
                              if c.interview_id in written or c.outcome in (Outcome.UNCHANGED, Outcome.OLDER))
        done = len(written - {""})
        raise StoreError(f"{str(exc).rstrip('.')} ; import interrompu : "
                         f"{plural(done, 'entretien enregistré', 'entretiens enregistrés')} sur {len(pending)}, "
                         "relancez-le une fois le problème réglé pour compléter.") from None
    result.changes.extend(merged.changes)
    if not merged.changes:
        result.changes.append(Change(Outcome.UNCHANGED, pid, detail="déjà importé"))
    return result


def _log_import(store: ProjectStore, bundle: Bundle, name: str, sha256: str) -> None:
    """Remember a file that brought something into its project (for the volume's provenance
    annex): name, evaluator, export time, SHA-256. A file that changed nothing is not logged, so
    importing known data leaves the store as it was; the same bytes are never logged twice."""
    project = store.get_project(bundle.project.id)
    log = project.extra.get(IMPORTS_KEY)
    log = [r for r in log if isinstance(r, dict)] if isinstance(log, list) else []
    if any(r.get("sha256") == sha256 for r in log):
        return
    names = [i.interviewer for i in bundle.interviews if i.interviewer]
    log.append({"file": name, "sha256": sha256, "evaluator": ", ".join(dict.fromkeys(names)),
                "exported_at": bundle.exported_at, "imported_at": now_iso()})
    project.extra[IMPORTS_KEY] = log
    store.save_project(project, touch=False)
