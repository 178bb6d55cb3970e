"""SynthesisStore: the lead's synthesis objects, stored with the same guarantees as answers.

Layout, beside the projects in the data folder::

    synthesis/evidence.json     cited passages        (one TinyDB file each: a "_meta" table with
    synthesis/judgements.json   one per eval. question  the schema version, and one table of
    synthesis/summaries.json    cell summaries          documents)
    synthesis/codebook.json     the lead's own tags

Every write goes through the TinyDB `AtomicJSONStorage` of `core.store.storage` (temp file,
fsync, rename, fsync of the folder, rolling hard-link backups under `backups/synthesis/`), files
0600 and folders 0700, and needs the data folder's single-writer lock (`ProjectStore`). A file
written by a newer schema is never rewritten; a damaged file raises `DamagedFileError` and is
kept as it is. Pinning a passage rewrites `evidence.json` only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pi87_field.core.ancestry import merge_lineages
from pi87_field.core.errors import DamagedFileError, StoreError
from pi87_field.core.model import Answer, check_interview_id, check_project_id, now_iso
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.storage import META, edit_file, open_file, schema_of
from pi87_field.core.synthesis.codebook import GROUP_LEAD, seed_tags
from pi87_field.core.synthesis.objects import (
    CellSummary,
    Evidence,
    Judgement,
    Tag,
    evidence_from_dict,
    evidence_to_dict,
    judgement_from_dict,
    judgement_to_dict,
    next_ancestors,
    norm_space,
    passage_in,
    summary_from_dict,
    summary_to_dict,
    tag_from_dict,
    tag_to_dict,
)
from pi87_field.core.text import clean_text

SYNTHESIS_DIR = "synthesis"
SYNTHESIS_SCHEMA = 1
TABLES = ("evidence", "judgements", "summaries", "codebook")


class SynthesisStore:
    """The synthesis objects of one data folder. Reads are cached per file (mtime and size)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._cache: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}

    @property
    def folder(self) -> Path:
        return self.store.root / SYNTHESIS_DIR

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.json"

    # -- raw tables ----------------------------------------------------------------------------

    def _load(self, table: str) -> dict[str, Any]:
        """Objects of one table keyed by their key (evidence id, question id, cell key, tag name)."""
        path = self.path(table)
        try:
            st = path.stat()
        except FileNotFoundError:
            self._cache.pop(table, None)
            return {}
        except OSError as exc:
            raise DamagedFileError(path, exc.strerror or "illisible") from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)  # an atomic replace is a new inode
        cached = self._cache.get(table)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        db = open_file(path)
        objects: dict[str, Any] = {}
        try:
            for doc in (db.table(table).all() if db is not None else []):
                obj = _FROM[table](dict(doc))
                objects[_key(table, obj)] = obj
        except Exception as exc:  # any shape problem: the file is damaged, kept as it is
            raise DamagedFileError(path, f"contenu inattendu ({exc})") from None
        self._cache[table] = (stamp, objects)
        return objects

    def _save(self, table: str, objects: dict[str, Any]) -> None:
        self.store._require_writer()  # the data folder's single-writer lock
        path = self.path(table)
        with edit_file(path, backup_root=self.store.backups_dir, relative_to=self.store.root,
                       durable=self.store.durable) as db:
            schema = schema_of(db)
            if schema is not None and schema > SYNTHESIS_SCHEMA:
                raise StoreError(f"{path.name} a été écrit par une version plus récente de pi87-field "
                                 f"(schéma {schema}) : fichier laissé tel quel, mettez le programme à jour.")
            meta = db.table(META)
            if schema is None:
                meta.truncate()
                meta.insert({"schema": SYNTHESIS_SCHEMA})
            documents = db.table(table)
            documents.truncate()
            documents.insert_multiple(_TO[table](obj) for obj in objects.values())
        st = path.stat()
        self._cache[table] = ((st.st_ino, st.st_mtime_ns, st.st_size), dict(objects))

    # -- evidence ------------------------------------------------------------------------------

    def evidence(self) -> list[Evidence]:
        return list(self._load("evidence").values())

    def get_evidence(self, evidence_id: str) -> Evidence | None:
        return self._load("evidence").get(evidence_id)

    def pin_evidence(self, project_id: str, interview_id: str, question_id: str, quote: str, *,
                     supports: list[str], tags: list[str] | None = None, author: str = "",
                     answer: Answer | None = None) -> Evidence:
        """Pin an exact passage of one answer as evidence for `supports` (evaluative questions).

        Pinning the same passage again adds the new questions and tags to the existing evidence.
        `answer` may be passed by a caller that already holds the current answer (one read less).
        """
        check_project_id(project_id)
        check_interview_id(interview_id)
        quote = clean_text(quote).strip()
        if not norm_space(quote):
            raise StoreError("Passage vide : sélectionnez un extrait de la réponse.")
        if answer is None:
            answer = self.store.get_interview(project_id, interview_id).answers.get(question_id)
        if answer is None or not passage_in(quote, answer.text):
            raise StoreError("Ce passage ne figure pas dans la réponse : rien n'a été épinglé.")
        objects = dict(self._load("evidence"))
        new = Evidence(project_id, interview_id, question_id, quote, rev=answer.rev,
                       tags=_unique(tags or []), supports=_unique(supports), author=author)
        old = objects.get(new.id)
        if old is not None:
            new.tags = _unique([*old.tags, *new.tags])
            new.supports = _unique([*old.supports, *new.supports])
            new.created_at, new.extra = old.created_at, old.extra
            new.author = old.author or author
        objects[new.id] = new
        self._save("evidence", objects)
        return new

    def update_evidence(self, evidence_id: str, *, tags: list[str] | None = None,
                        supports: list[str] | None = None) -> Evidence | None:
        """Change tags or supported questions; an evidence left supporting nothing is removed."""
        objects = dict(self._load("evidence"))
        old = objects.get(evidence_id)
        if old is None:
            raise StoreError("Preuve introuvable (déjà retirée ?).")
        ev = replace(old, tags=_unique(tags) if tags is not None else list(old.tags),
                     supports=_unique(supports) if supports is not None else list(old.supports),
                     updated_at=now_iso())  # the cached object stays as it is if the write fails
        objects[evidence_id] = ev
        if not ev.supports:
            del objects[evidence_id]
            self._save("evidence", objects)
            return None
        self._save("evidence", objects)
        return ev

    def unpin(self, evidence_id: str, question_id: str) -> None:
        ev = self.get_evidence(evidence_id)
        if ev is not None:
            self.update_evidence(evidence_id, supports=[q for q in ev.supports if q != question_id])

    # -- judgements ----------------------------------------------------------------------------

    def judgements(self) -> dict[str, Judgement]:
        return dict(self._load("judgements"))

    def judgement(self, question_id: str) -> Judgement:
        return self._load("judgements").get(question_id) or Judgement(question_id)

    def save_judgement(self, question_id: str, rating: str, explanation: str, *, author: str = "",
                       scale: tuple[str, ...] = ("+", "++", "+++")) -> Judgement:
        rating = rating.strip()
        if rating and rating not in scale:
            raise StoreError(f"Niveau d'atteinte « {rating} » inconnu (attendus : {', '.join(scale)} "
                             "ou vide pour non évalué).")
        objects = dict(self._load("judgements"))
        old = objects.get(question_id) or Judgement(question_id)
        explanation = clean_text(explanation).strip()
        if old.rating == rating and old.explanation == explanation:
            return old
        new = Judgement(question_id, rating, explanation, author=author, updated_at=now_iso(),
                        concurrent=old.concurrent, extra=old.extra)
        if not old.is_blank:
            new.ancestors = next_ancestors(old.rev, old.ancestors, new.rev)
        objects[question_id] = new
        self._save("judgements", objects)
        return new

    # -- cell summaries ------------------------------------------------------------------------

    def summaries(self) -> dict[str, CellSummary]:
        return dict(self._load("summaries"))

    def summary(self, project_id: str, question_id: str) -> CellSummary | None:
        return self._load("summaries").get(f"{project_id}/{question_id}")

    def answer_sources(self, project_id: str, question_id: str) -> dict[str, str]:
        """The revisions of the project's non-empty answers to a grid question (what a summary
        is written from)."""
        return {i.id: i.answers[question_id].rev for i in self.store.list_interviews(project_id)
                if question_id in i.answers and not i.answers[question_id].is_empty}

    def save_summary(self, project_id: str, question_id: str, text: str, tags: list[str] | None = None,
                     *, author: str = "") -> CellSummary | None:
        """Write (or clear, with an empty text and no tags) the summary of one cell."""
        check_project_id(project_id)
        if not self.store.has_project(project_id):
            raise StoreError(f"Projet inconnu : « {project_id} »")
        objects = dict(self._load("summaries"))
        key = f"{project_id}/{question_id}"
        old = objects.get(key)
        text = clean_text(text).strip()
        tags = _unique(tags or [])
        sources = self.answer_sources(project_id, question_id)
        if not text and not tags:
            if old is None:
                return None
            del objects[key]
            self._save("summaries", objects)
            return None
        if old is not None and old.text == text and sorted(old.tags) == sorted(tags) and old.sources == sources:
            return old
        new = CellSummary(project_id, question_id, text, tags, author=author, sources=sources)
        if old is not None:
            new.concurrent, new.extra = old.concurrent, old.extra
            new.ancestors = next_ancestors(old.rev, old.ancestors, new.rev)
        objects[key] = new
        self._save("summaries", objects)
        return new

    def dismiss_concurrent(self, kind: str, key: str) -> None:
        """The lead has read the concurrent versions of a judgement or summary and kept the current
        one: the other versions move to the ancestors (an import of them is then an old edit)."""
        table = {"judgement": "judgements", "summary": "summaries"}[kind]
        objects = dict(self._load(table))
        obj = objects.get(key)
        if obj is None or not obj.concurrent:
            return
        from pi87_field.core.synthesis.objects import judgement_rev, summary_rev

        revs = [judgement_rev(v.values.get("rating", ""), v.values.get("explanation", "")) if kind == "judgement"
                else summary_rev(v.values.get("text", ""), list(v.values.get("tags", [])))
                for v in obj.concurrent]
        objects[key] = replace(obj, ancestors=merge_lineages(obj.rev, obj.ancestors, revs), concurrent=[])
        self._save(table, objects)

    # -- codebook ------------------------------------------------------------------------------

    def codebook(self) -> list[Tag]:
        """Seed tags (the report's vocabularies) then the lead's, a stored tag overriding its seed."""
        stored = self._load("codebook")
        tags = {t.name: t for t in seed_tags()}
        tags.update(stored)
        return list(tags.values())

    def save_tag(self, name: str, description: str = "", group: str = GROUP_LEAD, *, author: str = "") -> Tag:
        name = " ".join(clean_text(name).split())
        if not name or "," in name:
            raise StoreError("Nom d'étiquette invalide (non vide, sans virgule).")
        objects = dict(self._load("codebook"))
        tag = Tag(name, clean_text(description).strip(), group or GROUP_LEAD, author)
        objects[name] = tag
        self._save("codebook", objects)
        return tag

    # -- used by the importer --------------------------------------------------------------------

    def replace_all(self, table: str, objects: dict[str, Any]) -> None:
        self._save(table, objects)

    def raw(self, table: str) -> dict[str, Any]:
        return dict(self._load(table))


def _unique(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        v = " ".join(clean_text(v).split())
        if v and v not in out:
            out.append(v)
    return out


def _key(table: str, obj: Any) -> str:
    if table == "evidence":
        return obj.id
    if table == "judgements":
        return obj.question_id
    if table == "summaries":
        return obj.key
    return obj.name


_FROM: dict[str, Any] = {"evidence": evidence_from_dict, "judgements": judgement_from_dict,
         "summaries": summary_from_dict, "codebook": tag_from_dict}
_TO: dict[str, Any] = {"evidence": evidence_to_dict, "judgements": judgement_to_dict,
       "summaries": summary_to_dict, "codebook": tag_to_dict}
