"""ProjectStore: the durable local store of the fieldwork (TinyDB files, one per interview).

Layout of a data directory::

    pi87-field.json                     store metadata (schema version)
    projects/<project id>/project.json  the project's facts
    projects/<project id>/interviews/<uuid>.json   one interview: facts + one document per answer
    backups/                            rolling hard-link backups of the files above
    guides/                             the user's own guides (*.yaml)
    .lock                               single-writer lock (released by the OS if the process dies)

Saving one answer rewrites one interview file only, so it costs the same with 1 or 1,000
interviews in the store, and one damaged file cannot take the others down.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document

from pi87_field.core.ancestry import grown_from, lineage
from pi87_field.core.errors import (
    DamagedFileError,
    FieldError,
    InterviewGoneError,
    InterviewLockedError,
    StoreError,
    StoreLockedError,
)
from pi87_field.core.facts import INTERVIEW_FACTS, PROJECT_FACTS, fact_rev, record_edits
from pi87_field.core.guides import Guide, GuideLibrary
from pi87_field.core.model import (
    EDITED_IN_WORD,
    SETTLED,
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    InterviewStatus,
    Project,
    ProjectKind,
    answer_lock,
    check_interview_id,
    check_project_id,
    life_cycle_event,
    new_burst,
    now_iso,
    split_burst,
    text_rev,
    version_source,
)
from pi87_field.core.serialize import (
    answer_from_dict,
    answer_to_dict,
    interview_from_dict,
    interview_to_dict,
    project_from_dict,
    project_to_dict,
)
from pi87_field.core.grid import ProgressFacts
from pi87_field.core.store.progress import ProgressKeeper, facts_from_docs
from pi87_field.core.store.atomic import (
    atomic_write_bytes,
    ensure_dir,
    remove_stale_temp_files,
)
from pi87_field.core.store.storage import (
    ANSWER,
    ANSWERS,
    INTERVIEW,
    META,
    PROJECT,
    SCHEMA_VERSION,
    dump_json,
    edit_file,
    open_file,
    read_json_file,
    schema_of,
)
from pi87_field.core.store.history import HISTORY, AnswerHistory, HistoryEntry, push_history
from pi87_field.core.store.lifecycle import InterviewLifeCycle
from pi87_field.core.store.search import AnswerSearch, SearchHit
from pi87_field.core.store.sheet import InterviewSheet, check_sheet
from pi87_field.core.store.trash import Trash, TrashedInterview, describe_unique
from pi87_field.core.summary import interview_order_key, interview_title, project_label
from pi87_field.core.text import clean_text, one_line, slug
from pi87_field.core.timestamps import parse_instant

# Re-exported: the store's vocabulary, defined beside the collaborator that uses it.
__all__ = ["EMPTY_REV", "META_FILE", "HistoryEntry", "InterviewSheet", "ProjectStore", "SavedAnswer", "SearchHit",
           "StoreScan", "TrashedInterview", "check_sheet", "describe_unique"]

META_FILE = "pi87-field.json"
# Successive saves by the same author within this many seconds are one edit (one revision).
EDIT_BURST_SECONDS = 90
# The revision of "no answer yet" (what an editor opened on an unanswered question started from).
EMPTY_REV = text_rev("", AnswerState.ANSWERED.value)
# How a stored answer kept by a stale save is labelled among the concurrent versions.
STALE_SOURCE = "enregistrée ailleurs pendant la saisie"


@dataclass
class StoreScan:
    projects: list[Project] = field(default_factory=list)
    damaged: list[DamagedFileError] = field(default_factory=list)


@dataclass(frozen=True)
class SavedAnswer:
    """What `save_answer_checked` wrote, and the stored version it kept beside it (a conflict)."""

    answer: Answer
    conflict: AnswerVersion | None = None


# Where the methods that left ProjectStore live now (see ProjectStore.__getattr__).
_MOVED = {
    "start_interview": "life_cycle",
    "update_sheet": "life_cycle",
    "record_consent": "life_cycle",
    "postpone_interview": "life_cycle",
    "cancel_interview": "life_cycle",
    "finish_interview": "life_cycle",
    "reopen_interview": "life_cycle",
    "save_notes": "life_cycle",
    "open_sitting": "life_cycle",
    "close_sitting": "life_cycle",
    "record_visits": "life_cycle",
    "attach_transcript": "life_cycle",
    "shift_transcript": "life_cycle",
    "trash_dir": "trash",
    "trash_interview": "trash",
    "list_trash": "trash",
    "restore_from_trash": "trash",
    "trashed_copies": "trash",
    "save_trashed": "trash",
    "unique_in_trash": "trash",
    "empty_trash": "trash",
    "answer_history": "history",
    "iter_interviews": "finder",
}
_RENAMED = {
    "answer_history": "earlier_texts",
    "start_interview": "start",
    "finish_interview": "finish",
    "reopen_interview": "reopen",
    "postpone_interview": "postpone",
    "cancel_interview": "cancel",
    "trash_interview": "put",
    "list_trash": "items",
    "restore_from_trash": "restore",
    "trashed_copies": "newest_copies",
    "save_trashed": "write_back",
    "unique_in_trash": "unique_answers",
    "empty_trash": "empty",
    "trash_dir": "folder",
}


class ProjectStore:
    """Open with `ProjectStore.open(root)`; writers hold the data directory's lock."""

    def __init__(self, root: Path, *, writer: bool = True, guide_dirs: list[Path] | None = None,
                 durable: bool = True) -> None:
        self.root = Path(root)
        self.writer = writer
        self.durable = durable
        self._lock: FileLock | None = None
        self._folder_lock_fd: int | None = None
        self.damaged: list[DamagedFileError] = []
        self.notices: list[str] = []   # said once on opening (a damaged metadata file set aside)
        from pi87_field.core.guides import builtin_guides_dir

        self.guide_dirs = guide_dirs if guide_dirs is not None else [builtin_guides_dir(), self.root / "guides"]
        self._guides: GuideLibrary | None = None
        self._own_bursts: set[str] = set()     # bursts of autosaves started by this store
        # What the store does beyond persistence, each a collaborator with one job.
        self.life_cycle = InterviewLifeCycle(self)
        self.trash = Trash(self)
        self.history = AnswerHistory(self)
        self.finder = AnswerSearch(self)
        # Progress facts per interview, noted on every write: the home never opens every interview.
        self.progress = ProgressKeeper(self.projects_dir, writer=writer)

    # -- life cycle ----------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, *, writer: bool = True, seed: bool = True, **kwargs: Any) -> ProjectStore:
        store = cls(root, writer=writer, **kwargs)
        store._open(seed=seed)
        return store

    def _open(self, *, seed: bool) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"Le dossier de données n'est pas un dossier : {self.root}")
        ensure_dir(self.root)
        meta, damaged_meta = self._read_meta_or_damage()
        if self.writer:
            self._acquire_lock()
            remove_stale_temp_files(self.root / "projects")
            if damaged_meta is not None:
                self._set_meta_aside(damaged_meta)
            if meta is None:
                self._write_meta()
        elif meta is None and seed and not any(self.projects_dir.glob("*/project.json")):
            # A read-only command on a brand-new store: seed it under a brief lock.
            try:
                with self._briefly_locked():
                    self.seed_campaign_if_empty()
                    if self._read_meta_or_damage() == (None, None):
                        self._write_meta()
            except StoreLockedError:
                pass
            return
        if seed and self.writer:
            self.seed_campaign_if_empty()

    def _read_meta(self) -> dict | None:
        data = read_json_file(self.root / META_FILE)
        if data is not None:
            schema = (data.get("meta", {}).get("1", {}) or {}).get("schema") if isinstance(data, dict) else None
            if isinstance(schema, int) and schema > SCHEMA_VERSION:
                raise StoreError(
                    f"Ces données ont été écrites par une version plus récente de pi87-field "
                    f"(schéma {schema}) : mettez le programme à jour."
                )
        return data

    def _read_meta_or_damage(self) -> tuple[dict | None, DamagedFileError | None]:
        """The metadata file holds only the schema version: damaged, it must not lock the user
        out of intact data. It is named (`notices`), and a writer sets it aside and rewrites it."""
        try:
            return self._read_meta(), None
        except DamagedFileError as exc:
            if not self.writer:
                self.notices.append(f"{exc} ; données ouvertes quand même (il sera mis de côté à la "
                                    "prochaine écriture).")
            return None, exc

    def _set_meta_aside(self, damaged: DamagedFileError) -> None:
        path = self.root / META_FILE
        aside = path.with_name(f"{META_FILE}.endommage-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            os.replace(path, aside)
        except OSError as exc:
            raise StoreError(f"{damaged} ; impossible de le mettre de côté ({exc.strerror}).") from None
        self.notices.append(f"{damaged} ; mis de côté ({aside.name}) et recréé, les données sont intactes.")

    def _write_meta(self) -> None:
        payload = {"meta": {"1": {"schema": SCHEMA_VERSION, "created_at": now_iso()}}}
        atomic_write_bytes(self.root / META_FILE, dump_json(payload), durable=self.durable)

    def _locked_out(self) -> StoreLockedError:
        owner = ""
        try:
            owner = (self.root / ".lock.owner").read_text(encoding="utf-8").strip()
        except OSError:
            pass
        return StoreLockedError(
            f"Les données {self.root} sont déjà ouvertes par un autre pi87-field"
            f"{f' ({owner})' if owner else ''} : fermez-le, ou choisissez un autre --data-dir."
        )

    def _lock_folder(self) -> int | None:
        """Lock the data folder itself (POSIX): unlike the `.lock` file, it cannot be deleted from
        under a running writer, so deleting `.lock` by hand does not let a second writer in."""
        if os.name != "posix":  # pragma: no cover - Windows: the `.lock` file alone
            return None
        import fcntl

        fd = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise self._locked_out() from None
        return fd

    def _acquire_lock(self) -> None:
        folder_fd = self._lock_folder()
        # The `.lock` file too: older versions look only at it, and it holds the owner's name.
        lock = FileLock(self.root / ".lock", timeout=0, mode=0o600, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            if folder_fd is not None:
                os.close(folder_fd)
            raise self._locked_out() from None
        self._folder_lock_fd = folder_fd
        self._lock = lock
        try:
            info = f"pid {os.getpid()} sur {socket.gethostname()}, depuis {datetime.now():%H:%M:%S}"
            atomic_write_bytes(self.root / ".lock.owner", info.encode(), durable=False)
        except OSError:
            pass

    class _Brief:
        def __init__(self, store: ProjectStore) -> None:
            self.store = store

        def __enter__(self):
            self.store._acquire_lock()
            self.store.writer = True

        def __exit__(self, *exc):
            self.store.writer = False
            self.store._release_lock()

    def _briefly_locked(self) -> ProjectStore._Brief:
        return ProjectStore._Brief(self)

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._folder_lock_fd is not None:
            os.close(self._folder_lock_fd)
            self._folder_lock_fd = None

    def close(self) -> None:
        if self._lock is not None:
            self.progress.flush()
        self._release_lock()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- paths ---------------------------------------------------------------------------------

    @property
    def projects_dir(self) -> Path:
        return self.root / "projects"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    def project_dir(self, project_id: str) -> Path:
        return self.projects_dir / check_project_id(project_id)

    def project_file(self, project_id: str) -> Path:
        return self.project_dir(project_id) / "project.json"

    def interview_file(self, project_id: str, interview_id: str) -> Path:
        return self.project_dir(project_id) / "interviews" / f"{check_interview_id(interview_id)}.json"

    def _edit(self, path: Path):
        """Change one store file with TinyDB tables; written once, atomically (storage.edit_file)."""
        base = self.projects_dir if path.is_relative_to(self.projects_dir) else self.root
        return edit_file(path, backup_root=self.backups_dir, relative_to=base, durable=self.durable)

    def _require_writer(self) -> None:
        if not self.writer or self._lock is None:
            raise StoreError("Le magasin est ouvert en lecture seule.")

    # -- guides --------------------------------------------------------------------------------

    @property
    def guides(self) -> GuideLibrary:
        if self._guides is None:
            self._guides = GuideLibrary(self.guide_dirs)
        return self._guides

    def guide_for(self, guide_id: str) -> Guide | None:
        return self.guides.get(guide_id)

    # -- projects ------------------------------------------------------------------------------

    def scan(self) -> StoreScan:
        """All readable projects, sorted by id, plus the files that could not be read."""
        scan = StoreScan()
        if not self.projects_dir.is_dir():
            return scan
        for folder in sorted(self.projects_dir.iterdir()):
            path = folder / "project.json"
            if not path.is_file():
                continue
            try:
                scan.projects.append(self._read_project(path))
            except DamagedFileError as exc:
                scan.damaged.append(exc)
        self.damaged = scan.damaged
        return scan

    def list_projects(self) -> list[Project]:
        return self.scan().projects

    def _read_project(self, path: Path) -> Project:
        db = open_file(path)
        try:
            assert db is not None, "fichier absent"
            doc = db.table(PROJECT).get(doc_id=1)
            assert doc is not None, "fiche du projet absente"
            project = project_from_dict(dict(doc))
        except DamagedFileError:
            raise
        except Exception as exc:  # any shape problem means the file is damaged
            raise DamagedFileError(path, f"contenu inattendu ({exc})") from None
        if project.id != path.parent.name:
            raise DamagedFileError(path, "l'identifiant ne correspond pas au dossier")
        return project

    def has_project(self, project_id: str) -> bool:
        return self.project_file(project_id).is_file()

    def get_project(self, project_id: str) -> Project:
        path = self.project_file(project_id)
        if not path.is_file():
            raise StoreError(f"Projet inconnu : « {project_id} »")
        return self._read_project(path)

    def save_project(self, project: Project, *, touch: bool = True) -> Project:
        self._require_writer()
        check_project_id(project.id)
        if touch:
            project.updated_at = now_iso()
        path = self.project_file(project.id)
        ensure_dir(path.parent / "interviews", durable=self.durable)
        with self._edit(path) as db:
            _refuse_newer_schema(path, db)
            stored = db.table(PROJECT).get(doc_id=1)
            record_edits(None if stored is None else _or_none(project_from_dict, stored), project, PROJECT_FACTS)
            db.drop_tables()
            db.table(META).insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))
            db.table(PROJECT).insert(Document(project_to_dict(project), doc_id=1))
        return project

    def create_project(self, kind: ProjectKind | str, title: str, *, label: str = "", carrier: str = "",
                       os: int | None = None, fse_amount: Decimal | None = None, characteristics: str = "",
                       project_id: str | None = None) -> Project:
        """A case study or an interview series that is not in the campaign. Its id is derived
        from its short name (or title) unless given, and never takes an existing project's."""
        from pi87_field.core.campaign import CASE_STUDY_GUIDE, INTERVIEW_GUIDE

        self._require_writer()
        kind = ProjectKind(kind)
        title = one_line(title)
        if not title:
            raise StoreError("Un projet a besoin d'un intitulé.")
        if os not in (None, 1, 2):
            raise StoreError(f"Objectif spécifique inconnu : {os} (1 ou 2)")
        if project_id:
            check_project_id(project_id)
            if self.has_project(project_id) or self.project_dir(project_id).exists():
                raise StoreError(f"Le projet « {project_id} » existe déjà : choisissez un autre identifiant.")
        else:
            prefix = "ec" if kind == ProjectKind.CASE_STUDY else "eq"
            stem = f"{prefix}-{slug(label or title)[:60]}".rstrip("-")
            project_id, n = stem, 1
            while self.project_dir(project_id).exists():
                n += 1
                project_id = f"{stem}-{n}"
        project = Project(id=project_id, kind=kind, title=title, label=one_line(label), carrier=one_line(carrier),
                          os=os, fse_amount=fse_amount, characteristics=clean_text(characteristics).strip(),
                          guide_id=CASE_STUDY_GUIDE if kind == ProjectKind.CASE_STUDY else INTERVIEW_GUIDE)
        return self.save_project(project)

    # -- interviews ----------------------------------------------------------------------------

    def _read_interview(self, path: Path, project_id: str) -> Interview:
        db = open_file(path)
        if db is None:
            raise InterviewGoneError(f"Entretien introuvable : {path.name}")
        try:
            facts = db.table(INTERVIEW).get(doc_id=1)
            assert facts is not None, "fiche de l'entretien absente"
            doc = dict(facts)
            doc["answers"] = {a["qid"]: {k: v for k, v in a.items() if k != "qid"}
                              for a in db.table(ANSWERS).all()}
            interview = interview_from_dict(doc, project_id)
        except DamagedFileError:
            raise
        except Exception as exc:
            raise DamagedFileError(path, f"contenu inattendu ({exc})") from None
        if interview.id != path.stem:
            raise DamagedFileError(path, "l'identifiant ne correspond pas au fichier")
        return interview

    def list_interviews(self, project_id: str, damaged: list | None = None) -> list[Interview]:
        folder = self.project_dir(project_id) / "interviews"
        out: list[Interview] = []
        if not folder.is_dir():
            return out
        for path in folder.glob("*.json"):
            try:
                out.append(self._read_interview(path, project_id))
            except DamagedFileError as exc:
                if damaged is not None:
                    damaged.append(exc)
                elif all(Path(d.path) != path for d in self.damaged):  # each file named once
                    self.damaged.append(exc)
        out.sort(key=interview_order_key)
        return out

    def progress_facts(self, project_id: str, damaged: list | None = None) -> list[ProgressFacts]:
        """What progress needs of each interview of a project (`store.progress`), without
        opening the interviews unchanged since they were last noted."""
        return self.progress.facts(project_id, lambda path: self._read_interview(path, project_id), damaged)

    def get_interview(self, project_id: str, interview_id: str) -> Interview:
        return self._read_interview(self.interview_file(project_id, interview_id), project_id)

    def save_interview(self, interview: Interview, *, touch: bool = True) -> Interview:
        """Write a whole interview (facts and every answer) in one atomic write."""
        self._require_writer()
        if not self.has_project(interview.project_id):
            raise StoreError(f"Projet inconnu : « {interview.project_id} »")
        if touch:
            interview.updated_at = now_iso()
        return self._write_interview(self.interview_file(interview.project_id, interview.id), interview)

    def _write_interview(self, path: Path, interview: Interview) -> Interview:
        with self._edit(path) as db:
            _refuse_newer_schema(path, db)
            stored = db.table(INTERVIEW).get(doc_id=1)
            record_edits(None if stored is None else _or_none(interview_from_dict, stored), interview, INTERVIEW_FACTS)
            # The texts a whole rewrite (an import) replaces stay in the answers' history.
            history = [dict(d) for d in db.table(HISTORY).all()]
            replaced = []
            for old_doc in db.table(ANSWERS).all():
                qid = old_doc.get("qid")
                if qid in interview.answers:
                    try:
                        old = answer_from_dict({k: v for k, v in old_doc.items() if k != "qid"})
                    except Exception:  # an unreadable old answer has nothing to keep
                        continue
                    if old.rev != interview.answers[qid].rev:
                        replaced.append((qid, old))
            db.drop_tables()
            db.table(META).insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))
            db.table(INTERVIEW).insert(Document(interview_to_dict(interview, with_answers=False), doc_id=1))
            db.table(ANSWERS).insert_multiple(
                {"qid": qid, **answer_to_dict(a)} for qid, a in interview.answers.items())
            if history:
                db.table(HISTORY).insert_multiple(history)
            for qid, old in replaced:
                push_history(db, qid, old, "remplacée par un import")
        self.progress.noted(path, interview)
        return interview

    def save_answer(self, project_id: str, interview_id: str, question_id: str,
                    text: str, state: str | None = None, author: str = "") -> Answer:
        """Save one answer: one read and one atomic write of this interview's file only.

        No check of what the caller started from (the CLI, scripts). An editor uses
        `save_answer_checked`, which never writes over an answer that changed under it."""
        return self.save_answer_checked(project_id, interview_id, question_id, text, state=state,
                                        author=author).answer

    def save_answer_checked(self, project_id: str, interview_id: str, question_id: str,
                            text: str, state: str | None = None, author: str = "",
                            *, base_rev: str | None = None, source: str = "") -> SavedAnswer:
        """Save one answer typed over the stored revision `base_rev` (the one the editor loaded;
        `EMPTY_REV` for no answer; None: no check).

        If the stored answer is no longer `base_rev` (another screen, an import wrote it since),
        the new text is saved *and* the stored one is kept beside it as a concurrent version
        (`Answer.concurrent`, labelled `source`): a conflict the user resolves, never a silent
        loss of either text."""
        self._require_writer()
        path = self.interview_file(project_id, interview_id)
        with self._edit(path) as db:
            facts = db.table(INTERVIEW)
            meta = facts.get(doc_id=1)
            if meta is None:
                raise StoreError(f"Entretien introuvable : {interview_id}")
            _refuse_newer_schema(path, db)
            _refuse_locked(meta)
            answers = db.table(ANSWERS)
            old_doc = answers.get(ANSWER.qid == question_id)
            old = answer_from_dict({k: v for k, v in old_doc.items() if k != "qid"}) if old_doc else None
            new = Answer(text=clean_text(text), author=author or (old.author if old else ""))
            if state is not None:
                new.state = type(new.state)(state)
            elif old is not None:
                new.state = old.state
            stored_rev = old.rev if old is not None else EMPTY_REV
            kept: AnswerVersion | None = None
            if old is not None:
                if old.rev == new.rev and old.author == new.author:
                    return SavedAnswer(old)
                new.concurrent = old.concurrent
                new.extra = _extra_for_new_text(old.extra) if old.rev != new.rev else old.extra
                if base_rev is not None and stored_rev != base_rev and old.rev != new.rev:
                    # A stale editor: both texts stay, the stored one as a concurrent version.
                    kept = AnswerVersion(text=old.text, state=old.state, updated_at=old.updated_at,
                                         author=old.author, source=source or ", ".join((
                                             version_source(old.author, "", str(old.extra.get(EDITED_IN_WORD) or "")),
                                             STALE_SOURCE)))
                    new.concurrent = [kept, *(v for v in old.concurrent if v.rev not in (kept.rev, new.rev))]
                    new.ancestors = lineage(base_rev, *old.ancestors, exclude=(old.rev, new.rev))
                    new.burst = new_burst()
                    self._own_bursts.add(split_burst(new.burst)[0])
                    push_history(db, question_id, old, "gardée lors d'un conflit")
                elif not _grow(old, new, self._own_bursts):
                    push_history(db, question_id, old, "révision")
            else:
                new.burst = new_burst()
                self._own_bursts.add(split_burst(new.burst)[0])
            _put_answer(answers, old_doc, question_id, new)
            change: dict[str, Any] = {"updated_at": new.updated_at}
            if meta.get("status") == InterviewStatus.PLANNED.value:
                change["status"] = InterviewStatus.IN_PROGRESS.value
                history = dict(meta.get("fact_history") or {})
                planned, started = fact_rev(InterviewStatus.PLANNED.value), fact_rev(InterviewStatus.IN_PROGRESS.value)
                older = [r for r in history.get("status", []) if isinstance(r, str) and r not in (planned, started)]
                history["status"] = [started, *lineage(planned, *older, exclude=started)]
                event = life_cycle_event("started", new.updated_at)
                change["life_cycle"] = event
                history["life_cycle"] = [fact_rev(event), *lineage(fact_rev(meta.get("life_cycle")),
                                                                   *history.get("life_cycle", []))]
                change["fact_history"] = history
            facts.update(change, doc_ids=[1])
            noted = facts_from_docs({**meta, **change}, answers.all())
        self.progress.noted(path, noted)
        return SavedAnswer(new, kept)

    def resolve_conflict(self, project_id: str, interview_id: str, question_id: str, text: str,
                         state: str, author: str, *, base_rev: str) -> Answer:
        """Settle a conflict: `text` (one of the versions, or an edit of them) becomes the answer,
        descending from the shown answer and every concurrent version. Those leave the answer (the
        screen and the write-up no longer show them) but stay in its history, and an import of
        any of them later counts as older. Refused if the answer changed since the user looked
        at it (`base_rev`)."""
        return self._rewrite_answer(project_id, interview_id, question_id, text, state, author,
                                    base_rev=base_rev, resolve=True)

    def restore_answer(self, project_id: str, interview_id: str, question_id: str, text: str,
                       state: str, author: str, *, base_rev: str) -> Answer:
        """Bring back an earlier text of an answer as a new revision (the current text goes to
        the history, never away). Refused if the answer changed since `base_rev`."""
        return self._rewrite_answer(project_id, interview_id, question_id, text, state, author,
                                    base_rev=base_rev, resolve=False)

    def _rewrite_answer(self, project_id: str, interview_id: str, question_id: str, text: str,
                        state: str, author: str, *, base_rev: str, resolve: bool) -> Answer:
        self._require_writer()
        path = self.interview_file(project_id, interview_id)
        with self._edit(path) as db:
            facts = db.table(INTERVIEW)
            meta = facts.get(doc_id=1)
            if meta is None:
                raise StoreError(f"Entretien introuvable : {interview_id}")
            _refuse_newer_schema(path, db)
            if not resolve:    # settling what an import brought is not an edit of the grid
                _refuse_locked(meta)
            answers = db.table(ANSWERS)
            old_doc = answers.get(ANSWER.qid == question_id)
            old = answer_from_dict({k: v for k, v in old_doc.items() if k != "qid"}) if old_doc else None
            if (old.rev if old else EMPTY_REV) != base_rev:
                raise StoreError("Cette réponse a changé entre-temps : rien n'a été modifié, "
                                 "regardez-la de nouveau.")
            new = Answer(text=clean_text(text), state=AnswerState(state), author=author)
            if old is not None:
                new.extra = _extra_for_new_text(old.extra) if new.rev != old.rev else dict(old.extra)
                if resolve:
                    _settle(old, new, settler=author)
                ended = [old.burst] if old.burst else []
                settled = [v.rev for v in old.concurrent] if resolve else []
                new.ancestors = grown_from(old.rev, old.ancestors, new.rev, *ended, *settled)
                if resolve:
                    for version in old.concurrent:
                        push_history(db, question_id, Answer(text=version.text, state=version.state,
                                                              updated_at=version.updated_at,
                                                              author=version.author),
                                      "version écartée d'un conflit")
                else:
                    new.concurrent = old.concurrent
                push_history(db, question_id, old, "remplacée au règlement du conflit" if resolve else "remplacée par une restauration")
            new.burst = new_burst()
            self._own_bursts.add(split_burst(new.burst)[0])
            _put_answer(answers, old_doc, question_id, new)
            facts.update({"updated_at": new.updated_at}, doc_ids=[1])
            noted = facts_from_docs(facts.get(doc_id=1) or {}, answers.all())
        self.progress.noted(path, noted)
        return new

    def answer_place(self, project_id: str, interview_id: str, question_id: str) -> str:
        """Where an answer is, for a person: "INSUP · TCC · Claire Martin — 14/10/2019 · 6.1"
        (project label, interview title, the guide's question number), never internal ids
        unless the files cannot be read."""
        try:
            project = self.get_project(project_id)
        except FieldError:
            return " · ".join((project_id, interview_id[:8], question_id))
        try:
            interview = self.get_interview(project_id, interview_id)
        except FieldError:
            return " · ".join((project_label(project), interview_id[:8], question_id))
        guide = self.guide_for(interview.guide_id)
        number = ((guide.number(question_id) if guide is not None else "") or question_id) if question_id else ""
        return " · ".join(filter(None, (project_label(project), interview_title(project, interview), number)))

    def delete_interview(self, project_id: str, interview_id: str) -> None:
        """Move an interview file to the backups folder (never destroyed outright)."""
        self._require_writer()
        path = self.interview_file(project_id, interview_id)
        if path.exists():
            folder = ensure_dir(self.backups_dir / "deleted" / project_id)
            stamp = f"{datetime.now():%Y%m%dT%H%M%S}"
            target = folder / f"{interview_id}.{stamp}.json"
            n = 1
            while target.exists():  # deleted again within the second: never replace the first copy
                n += 1
                target = folder / f"{interview_id}.{stamp}-{n}.json"
            os.replace(path, target)

    def exportable_interviews(self, project_id: str) -> list[Interview]:
        """The interviews that may leave this computer: not those whose consent was withdrawn."""
        return [i for i in self.list_interviews(project_id) if i.consent is not False]

    # -- campaign and search ---------------------------------------------------------------------

    def seed_campaign_if_empty(self) -> bool:
        if any(self.projects_dir.glob("*/project.json")):
            return False
        from pi87_field.core.campaign import build_campaign

        for project, interviews in build_campaign(self.guides):
            self.save_project(project, touch=False)
            for interview in interviews:
                self.save_interview(interview, touch=False)
        return True

    def search(self, needle: str, limit: int = 200) -> list[SearchHit]:
        """Case- and accent-insensitive search across every answer of the store."""
        return self.finder.search(needle, limit)

    def __getattr__(self, name: str) -> Any:
        """The names this class had before its life cycle, trash and history became collaborators
        (`life_cycle`, `trash`, `history`), for code written against them."""
        owner = _MOVED.get(name)
        if owner is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(getattr(self, owner), _RENAMED.get(name, name))


def _or_none(read, doc: Any) -> Any:
    """The stored object, or None if it cannot be read (then there is no history to keep)."""
    try:
        return read(dict(doc))
    except Exception:
        return None


def _refuse_newer_schema(path: Path, db: TinyDB) -> None:
    """A file written by a newer pi87-field may hold what this version would drop: never rewrite it."""
    schema = schema_of(db)
    if schema is not None and schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path.name} a été écrit par une version plus récente de pi87-field (schéma {schema}) : "
            "fichier laissé tel quel, mettez le programme à jour."
        )


def _extra_for_new_text(extra: dict[str, Any]) -> dict[str, Any]:
    """An answer's extra keys for a new text typed over it: what described the old text (edited in
    Word, a settlement) does not describe the new one."""
    return {k: v for k, v in extra.items() if k not in (EDITED_IN_WORD, SETTLED)}


def _settle(old: Answer, new: Answer, *, settler: str) -> None:
    """`new` settles the conflict `old` holds. The version kept keeps its author, time and source
    (typed in the app, edited in Word); an edit of them is the settler's. Who settled, when and
    which version is recorded beside the answer (`extra["settled"]`), never as its author."""
    shown = AnswerVersion(old.text, old.state, old.updated_at, old.author,
                          version_source(old.author, "", str(old.extra.get(EDITED_IN_WORD) or "")))
    kept = next((v for v in (shown, *old.concurrent) if v.rev == new.rev), None)
    if kept is not None:
        new.author, new.updated_at = kept.author, kept.updated_at
        if kept is shown:
            new.extra = {k: v for k, v in old.extra.items() if k != SETTLED}
        elif kept.source.startswith("modifiée dans Word (") and kept.source.endswith(")"):
            new.extra[EDITED_IN_WORD] = kept.source[len("modifiée dans Word ("):-1]
    new.extra[SETTLED] = {
        "by": settler, "at": now_iso(), "rev": new.rev,
        "kept": (f"version de {kept.author or 'auteur inconnu'} ({kept.source})" if kept is not None
                 else "nouvelle rédaction à partir des versions"),
        "set_aside": [{"author": v.author, "source": v.source, "updated_at": v.updated_at}
                      for v in (shown, *old.concurrent) if v.rev != new.rev],
    }


def _refuse_locked(facts: Any) -> None:
    """An answer is never written into an interview whose answers are locked."""
    lock = answer_lock(facts.get("consent"), str(facts.get("status") or ""))
    if lock is not None:
        raise InterviewLockedError(lock)


def _grow(old: Answer, new: Answer, own_bursts: set[str]) -> bool:
    """Record `new`'s ancestry; True if it continues `old`'s burst (then `old` was a passing
    state, not a revision of its own)."""
    same_burst = _same_burst(old, new, own_bursts)
    new.grow_from(old, same_burst=same_burst, burst=new_burst())
    own_bursts.add(split_burst(new.burst)[0])
    return same_burst


def _same_burst(old: Answer, new: Answer, own_bursts: set[str]) -> bool:
    """A burst of autosaves by one author counts as one edit; only a burst this store started
    goes on (an imported answer's burst belongs to another laptop)."""
    then = parse_instant(old.updated_at, assume_utc=False)
    now = parse_instant(new.updated_at, assume_utc=False)
    if then is None or now is None:   # unreadable, or one side without a UTC offset (imported)
        return False
    return (
        old.author == new.author
        and (now - then).total_seconds() < EDIT_BURST_SECONDS
        and bool(old.ancestors)
        and split_burst(old.burst)[0] in own_bursts
    )


def _put_answer(answers: Any, old_doc: Document | None, question_id: str, answer: Answer) -> None:
    """Write `answer` as the document of `question_id`, keeping the old document's id."""
    doc = {"qid": question_id, **answer_to_dict(answer)}
    if old_doc is None:
        answers.insert(doc)
    else:  # replaced whole: upsert would merge, keeping keys the new answer dropped
        answers.remove(doc_ids=[old_doc.doc_id])
        answers.insert(Document(doc, doc_id=old_doc.doc_id))

