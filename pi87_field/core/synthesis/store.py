"""SynthesisStore: the lead's synthesis objects, stored with the same guarantees as answers.

Layout, beside the projects in the data folder::

    synthesis/evidence.json     cited passages        (one TinyDB file each: a "_meta" table with
    synthesis/judgements.json   one per eval. question  the schema version, and one table of
    synthesis/summaries.json    cell summaries          documents)
    synthesis/codebook.json     the lead's own tags
    synthesis/sources.json      documents and monitoring data cited (chapter 4)
    synthesis/conclusions.json  §4.1: intro, findings, overall paragraph (one object)
    synthesis/recommendations.json  §4.2: préconisations, in their order

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

from pi87_field.core.ancestry import grown_from, merge_lineages
from pi87_field.core.errors import DamagedFileError, StoreError
from pi87_field.core.labels import NOT_RATED, RATING_SCALE
from pi87_field.core.model import Answer, check_interview_id, check_project_id, now_iso
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.storage import META, edit_file, open_file, schema_of
from pi87_field.core.synthesis.codebook import GROUP_LEAD, seed_tags
from pi87_field.core.synthesis import citations
from pi87_field.core.synthesis.objects import (
    TRANSCRIPT_AT,
    SOURCE_FIELDS,
    CellSummary,
    Conclusions,
    Evidence,
    Finding,
    Judgement,
    Recommendation,
    Source,
    Tag,
    conclusions_from_dict,
    conclusions_to_dict,
    evidence_from_dict,
    evidence_to_dict,
    judgement_from_dict,
    judgement_to_dict,
    next_ancestors,
    norm_space,
    passage_in,
    recommendation_from_dict,
    recommendation_to_dict,
    source_from_dict,
    source_to_dict,
    summary_from_dict,
    summary_to_dict,
    tag_from_dict,
    tag_to_dict,
)
from pi87_field.core.text import clean_text
from pi87_field.core.transcript import transcript_of

SYNTHESIS_DIR = "synthesis"
SYNTHESIS_SCHEMA = 1
TABLES = ("evidence", "judgements", "summaries", "codebook", "sources", "conclusions", "recommendations")
CONCLUSIONS_KEY = "conclusions"


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
        if table == "evidence":
            objects = self._with_keys(objects)
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
        return list(self._evidence().values())

    def get_evidence(self, evidence_id: str) -> Evidence | None:
        return self._evidence().get(evidence_id)

    def _evidence(self) -> dict[str, Evidence]:
        """Evidence by id, every one with a key (one pinned before keys existed gets its proposed
        key here, the same on every read, and stored with the next write)."""
        objects = self._load("evidence")
        if all(e.key for e in objects.values()):
            return objects
        keyed = self.__dict__.get("_keyed")
        stamp = id(objects)
        if keyed is not None and keyed[0] == stamp:
            return keyed[1]
        result = self._with_keys(objects)
        self.__dict__["_keyed"] = (stamp, result)
        return result

    def _with_keys(self, objects: dict[str, Evidence]) -> dict[str, Evidence]:
        missing = sorted((e for e in objects.values() if not e.key), key=lambda e: (e.created_at, e.id))
        if not missing:
            return objects
        taken = {e.key for e in objects.values() if e.key} | self._other_keys()
        out = dict(objects)
        for e in missing:
            key = citations.unique_key(self.proposed_key(e.project_id, e.interview_id, e.question_id), taken)
            taken.add(key)
            out[e.id] = replace(e, key=key)
        return out

    def proposed_key(self, project_id: str, interview_id: str, question_id: str) -> str:
        """"lunevillois-2.1": the case's short name and the question's number in its guide."""
        from pi87_field.core.summary import project_label

        label, number = project_id, question_id
        try:
            project = self.store.get_project(project_id)
            label = project_label(project)
            interview = self.store.get_interview(project_id, interview_id)
            guide = self.store.guides.get(interview.guide_id) if interview.guide_id else None
            number = (guide.number(question_id) if guide is not None else "") or question_id
        except (StoreError, OSError, KeyError, ValueError):
            pass
        head = citations.slug(label.split("(")[0]).split("-")
        base = "-".join(head[:2]) or "passage"
        return f"{base}-{citations.slug(number).replace('-', '.') or 'q'}"

    # -- keys (citations) ------------------------------------------------------------------------

    def _other_keys(self) -> set[str]:
        keys = set(self._load("sources"))
        keys |= {f.key for f in self.conclusions().findings}
        keys |= set(self._load("recommendations"))
        return keys

    def keys_taken(self) -> set[str]:
        return {e.key for e in self._evidence().values()} | self._other_keys()

    def key_index(self) -> dict[str, tuple[str, Any]]:
        """Every key of the synthesis: key -> (kind, object), kind "evidence", "source",
        "finding" or "recommendation"."""
        index: dict[str, tuple[str, Any]] = {}
        for e in self._evidence().values():
            index[e.key] = ("evidence", e)
        for src in self._load("sources").values():
            index[src.key] = ("source", src)
        for f in self.conclusions().findings:
            index[f.key] = ("finding", f)
        for r in self._load("recommendations").values():
            index[r.key] = ("recommendation", r)
        return index

    def cited_texts(self) -> list[tuple[str, str]]:
        """(where, text) of every text that may cite: explanations, conclusions, préconisations."""
        out = [(f"jugement {q}", j.explanation) for q, j in self._load("judgements").items()]
        c = self.conclusions()
        out += [("conclusions (introduction)", c.intro), ("conclusions (paragraphe final)", c.overall),
                ("préconisations (introduction)", c.recommendations_intro)]
        out += [(f"constat {f.key}", f.text) for f in c.findings]
        for r in self._load("recommendations").values():
            out += [(f"préconisation {r.key}", r.text)] + [(f"préconisation {r.key}", sp) for sp in r.subpoints]
        return out

    def unknown_keys(self) -> list[tuple[str, str]]:
        """(key, where) of every citation naming nothing in this synthesis."""
        known = self.key_index()
        out: list[tuple[str, str]] = []
        for where, text in self.cited_texts():
            out += [(k, where) for k in citations.keys_in(text) if k not in known and (k, where) not in out]
        for r in self._load("recommendations").values():
            fw_ids = set(_framework_ids(self.store))
            out += [(k, f"préconisation {r.key} (repose sur)") for k in r.rests_on
                    if k not in known and k not in fw_ids]
        return out

    def rename_key(self, old: str, new: str) -> None:
        """Rename a key; every citation of it (explanations, conclusions, préconisations, what a
        préconisation rests on) follows."""
        new = new.strip()
        if not citations.valid_key(new):
            raise StoreError(f"Clé « {new} » invalide : lettres, chiffres, « - », « _ » ou « . », "
                             "commençant et finissant par une lettre ou un chiffre.")
        index = self.key_index()
        if old not in index:
            raise StoreError(f"Clé « {old} » introuvable.")
        if new == old:
            return
        if new in index:
            raise StoreError(f"La clé « {new} » nomme déjà autre chose : choisissez-en une autre.")
        kind, _ = index[old]
        mapping = {old: new}
        if kind == "evidence":
            objects = dict(self._evidence())
            for eid, e in objects.items():
                if e.key == old:
                    objects[eid] = replace(e, key=new)
            self._save("evidence", objects)
        elif kind == "source":
            sources = self._load("sources")
            self._save("sources", {(new if k == old else k): (replace(v, key=new) if k == old else v)
                                   for k, v in sources.items()})
        elif kind == "recommendation":
            recs = self._load("recommendations")
            self._save("recommendations", {(new if k == old else k): (replace(v, key=new) if k == old else v)
                                           for k, v in recs.items()})
        self.rewrite_citations(mapping, finding_rename=kind == "finding")

    def rewrite_citations(self, mapping: dict[str, str], *, finding_rename: bool = False) -> None:
        """Every text citing a key of `mapping` rewritten (a change of text is an edit: it carries
        its ancestry like any other)."""
        judgements = dict(self._load("judgements"))
        changed = False
        for q, j in judgements.items():
            text = citations.rename_keys(j.explanation, mapping)
            if text != j.explanation:
                new = replace(j, explanation=text, updated_at=now_iso())
                new.ancestors = next_ancestors(j.rev, j.ancestors, new.rev)
                judgements[q] = new
                changed = True
        if changed:
            self._save("judgements", judgements)
        c = self.conclusions()
        findings = [replace(f, key=mapping.get(f.key, f.key) if finding_rename else f.key,
                            text=citations.rename_keys(f.text, mapping)) for f in c.findings]
        values = (citations.rename_keys(c.intro, mapping), findings, citations.rename_keys(c.overall, mapping),
                  citations.rename_keys(c.recommendations_intro, mapping))
        if values != (c.intro, c.findings, c.overall, c.recommendations_intro):
            new_c = replace(c, intro=values[0], findings=values[1], overall=values[2],
                            recommendations_intro=values[3], updated_at=now_iso())
            new_c.ancestors = next_ancestors(c.rev, c.ancestors, new_c.rev)
            self._save("conclusions", {CONCLUSIONS_KEY: new_c})
        recs = dict(self._load("recommendations"))
        changed = False
        for k, r in recs.items():
            new_r = replace(r, text=citations.rename_keys(r.text, mapping),
                            subpoints=[citations.rename_keys(sp, mapping) for sp in r.subpoints],
                            rests_on=[mapping.get(x, x) for x in r.rests_on])
            if new_r.values() != r.values():
                new_r.updated_at = now_iso()
                new_r.ancestors = next_ancestors(r.rev, r.ancestors, new_r.rev)
                recs[k] = new_r
                changed = True
        if changed:
            self._save("recommendations", recs)

    # -- sources (documents, monitoring data) ------------------------------------------------------

    def sources(self) -> list[Source]:
        return list(self._load("sources").values())

    def source(self, key: str) -> Source | None:
        return self._load("sources").get(key)

    def save_source(self, key: str, values: dict[str, str], *, author: str = "", old_key: str = "") -> Source:
        """Create (no `old_key`) or edit a source; a changed key is a rename (citations follow)."""
        key = key.strip()
        if not citations.valid_key(key):
            raise StoreError(f"Clé « {key} » invalide : lettres, chiffres, « - », « _ » ou « . ».")
        clean: dict[str, Any] = {f: " ".join(clean_text(str(values.get(f, ""))).split()) if f != "note"
                 else clean_text(str(values.get(f, ""))).strip() for f in SOURCE_FIELDS}
        if not clean["title"]:
            raise StoreError("Une source a besoin d'un titre.")
        if old_key and old_key != key:
            self.rename_key(old_key, key)
        sources = dict(self._load("sources"))
        old = sources.get(key)
        if old is None:
            if key in self.keys_taken():
                raise StoreError(f"La clé « {key} » nomme déjà autre chose : choisissez-en une autre.")
            new = Source(key, **clean, edited_by=author, updated_at=now_iso())
        else:
            if old.values() == clean:
                return old
            new = replace(old, **clean, edited_by=author, updated_at=now_iso())
            new.ancestors = next_ancestors(old.rev, old.ancestors, new.rev)
        sources[key] = new
        self._save("sources", sources)
        return new

    def delete_source(self, key: str) -> None:
        sources = dict(self._load("sources"))
        if sources.pop(key, None) is not None:
            self._save("sources", sources)

    # -- conclusions (§4.1) and préconisations (§4.2) ---------------------------------------------------

    def conclusions(self) -> Conclusions:
        return self._load("conclusions").get(CONCLUSIONS_KEY) or Conclusions()

    def save_conclusions(self, *, intro: str, findings: list[Finding], overall: str,
                         recommendations_intro: str | None = None, author: str = "") -> Conclusions:
        old = self.conclusions()
        taken = {e.key for e in self._evidence().values()} | set(self._load("sources")) | set(
            self._load("recommendations"))
        seen: set[str] = set()
        clean_findings: list[Finding] = []
        for f in findings:
            text = clean_text(f.text).strip()
            if not text:
                continue
            key = f.key.strip() or citations.unique_key(f"c{len(clean_findings) + 1}", taken | seen)
            if not citations.valid_key(key) or key in seen or key in taken:
                key = citations.unique_key(f"c{len(clean_findings) + 1}", taken | seen)
            seen.add(key)
            if f.kind not in ("atout", "limite"):
                raise StoreError(f"Constat « {key} » : nature « {f.kind} » inconnue (atout ou limite).")
            clean_findings.append(Finding(key, f.kind, text, _unique(f.questions), extra=f.extra))
        new = replace(old, intro=clean_text(intro).strip(), findings=clean_findings, overall=clean_text(overall).strip(),
                      recommendations_intro=clean_text(recommendations_intro).strip()
                      if recommendations_intro is not None else old.recommendations_intro)
        if new.rev == old.rev:
            return old
        new.author, new.updated_at = author, now_iso()
        if not old.is_blank:
            new.ancestors = next_ancestors(old.rev, old.ancestors, new.rev)
        self._save("conclusions", {CONCLUSIONS_KEY: new})
        return new

    def recommendations(self) -> list[Recommendation]:
        return list(self._load("recommendations").values())

    def save_recommendation(self, key: str, text: str, subpoints: list[str], rests_on: list[str], *,
                            author: str = "", old_key: str = "") -> Recommendation:
        """Create (appended at the end) or edit a préconisation; `old_key` set: rename first."""
        key = key.strip()
        text = clean_text(text).strip()
        if not text:
            raise StoreError("Une préconisation a besoin d'un texte.")
        if old_key and old_key != key:
            self.rename_key(old_key, key)
        recs = dict(self._load("recommendations"))
        if not key:
            key = citations.unique_key(f"p{len(recs) + 1}", self.keys_taken())
        if not citations.valid_key(key):
            raise StoreError(f"Clé « {key} » invalide : lettres, chiffres, « - », « _ » ou « . ».")
        subs = [clean_text(sp).strip() for sp in subpoints if clean_text(sp).strip()]
        old = recs.get(key)
        if old is None:
            if key in self.keys_taken():
                raise StoreError(f"La clé « {key} » nomme déjà autre chose : choisissez-en une autre.")
            new = Recommendation(key, text, subs, _unique(rests_on), author=author, updated_at=now_iso())
        else:
            new = replace(old, text=text, subpoints=subs, rests_on=_unique(rests_on))
            if new.rev == old.rev:
                return old
            new.author, new.updated_at = author, now_iso()
            new.ancestors = next_ancestors(old.rev, old.ancestors, new.rev)
        recs[key] = new
        self._save("recommendations", recs)
        return new

    def delete_recommendation(self, key: str) -> None:
        recs = dict(self._load("recommendations"))
        if recs.pop(key, None) is not None:
            self._save("recommendations", recs)

    def move_recommendation(self, key: str, delta: int) -> None:
        """Move a préconisation up (-1) or down (+1): its number changes with its place."""
        keys = list(self._load("recommendations"))
        if key not in keys:
            return
        i = keys.index(key)
        j = max(0, min(len(keys) - 1, i + delta))
        if i == j:
            return
        keys.insert(j, keys.pop(i))
        recs = self._load("recommendations")
        self._save("recommendations", {k: recs[k] for k in keys})

    def pin_evidence(self, project_id: str, interview_id: str, question_id: str, quote: str, *,
                     supports: list[str], tags: list[str] | None = None, author: str = "",
                     answer: Answer | None = None, transcript_at: float | None = None) -> Evidence:
        """Pin an exact passage of one answer as evidence for `supports` (evaluative questions);
        with `transcript_at` (seconds into the recording), a passage of the interview's transcript
        cut on that question (its source then says "transcription, 00:13:05").

        Pinning the same passage again adds the new questions and tags to the existing evidence.
        `answer` may be passed by a caller that already holds the current answer (one read less).
        """
        check_project_id(project_id)
        check_interview_id(interview_id)
        quote = clean_text(quote).strip()
        if not norm_space(quote):
            raise StoreError("Passage vide : sélectionnez un extrait de la réponse.")
        if transcript_at is not None:
            rev = _transcript_passage(self.store.get_interview(project_id, interview_id), question_id, quote)
        else:
            if answer is None:
                answer = self.store.get_interview(project_id, interview_id).answers.get(question_id)
            if answer is None or not passage_in(quote, answer.text):
                raise StoreError("Ce passage ne figure pas dans la réponse : rien n'a été épinglé.")
            rev = answer.rev
        objects = dict(self._load("evidence"))
        new = Evidence(project_id, interview_id, question_id, quote, rev=rev,
                       tags=_unique(tags or []), supports=_unique(supports), author=author,
                       extra={} if transcript_at is None else {TRANSCRIPT_AT: round(float(transcript_at), 3)})
        old = objects.get(new.id)
        if old is not None:
            new.tags = _unique([*old.tags, *new.tags])
            new.supports = _unique([*old.supports, *new.supports])
            new.created_at, new.extra = old.created_at, old.extra
            new.author = old.author or author
            new.key = old.key
        if not new.key:
            new.key = citations.unique_key(self.proposed_key(project_id, interview_id, question_id),
                                           self.keys_taken())
        self._learn_tags(new.tags, author)
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
                       scale: tuple[str, ...] = RATING_SCALE) -> Judgement:
        rating = rating.strip()
        if rating and rating not in scale:
            raise StoreError(f"Niveau d'atteinte « {rating} » inconnu (attendus : {', '.join(scale)} "
                             f"ou vide pour {NOT_RATED}).")
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
        """The lead has read the concurrent versions and kept the current one."""
        self.settle(kind, key, None)

    def settle(self, kind: str, key: str, values: dict[str, Any] | None, *, author: str = "") -> None:
        """Settle a conflict on a judgement, summary, source, the conclusions or a préconisation:
        `values` None keeps the current version ("garder la mienne"); otherwise they become the
        current version (theirs, or a merge the lead edited). Every version read moves to the
        ancestors (an import of one of them is then an old edit); who settled, and when, is
        recorded beside the object, never as its author."""
        table = SETTLE_TABLES[kind]
        objects = dict(self._load(table))
        obj = objects.get(key)
        if obj is None:
            raise StoreError("Objet introuvable : rien n'a été réglé.")
        revs = [REV_OF[kind](v.values) for v in obj.concurrent]
        new = obj
        if values is not None:
            new = _with_values(kind, obj, values)
            if new.rev != obj.rev:
                new.updated_at = now_iso()
        extra = {**obj.extra, "settled_by": author, "settled_at": now_iso()} if obj.concurrent else obj.extra
        lineage = (grown_from(obj.rev, obj.ancestors, new.rev, *revs) if new.rev != obj.rev
                   else merge_lineages(obj.rev, obj.ancestors, revs))
        new = replace(new, ancestors=lineage, concurrent=[], extra=extra)
        objects[key] = new
        self._save(table, objects)

    # -- codebook ------------------------------------------------------------------------------

    def _learn_tags(self, tags: list[str], author: str) -> None:
        """Tags typed while pinning join the codebook (offered next time, exported)."""
        known = {t.name for t in self.codebook()}
        new = [t for t in tags if t not in known and "," not in t]
        if not new:
            return
        objects = dict(self._load("codebook"))
        for name in new:
            objects[name] = Tag(name, "", GROUP_LEAD, author)
        self._save("codebook", objects)

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
    if table in ("sources", "recommendations"):
        return obj.key
    if table == "conclusions":
        return CONCLUSIONS_KEY
    return obj.name


SETTLE_TABLES = {"judgement": "judgements", "summary": "summaries", "source": "sources",
                 "conclusions": "conclusions", "recommendation": "recommendations"}


def _rev_of() -> dict[str, Any]:
    from pi87_field.core.synthesis.objects import (
        conclusions_rev,
        judgement_rev,
        recommendation_rev,
        source_rev,
        summary_rev,
    )

    return {"judgement": lambda v: judgement_rev(v.get("rating", ""), v.get("explanation", "")),
            "summary": lambda v: summary_rev(v.get("text", ""), list(v.get("tags", []))),
            "source": source_rev, "conclusions": conclusions_rev, "recommendation": recommendation_rev}


REV_OF = _rev_of()


def _with_values(kind: str, obj: Any, values: dict[str, Any]) -> Any:
    if kind == "judgement":
        return replace(obj, rating=str(values.get("rating", "")), explanation=clean_text(str(values.get("explanation", ""))))
    if kind == "summary":
        return replace(obj, text=clean_text(str(values.get("text", ""))), tags=_unique(list(values.get("tags", []))))
    if kind == "source":
        return replace(obj, **{f: clean_text(str(values.get(f, ""))).strip() for f in SOURCE_FIELDS})
    if kind == "recommendation":
        return replace(obj, text=clean_text(str(values.get("text", ""))).strip(),
                       subpoints=[clean_text(str(x)).strip() for x in values.get("subpoints", []) if str(x).strip()],
                       rests_on=_unique([str(x) for x in values.get("rests_on", [])]))
    from pi87_field.core.synthesis.objects import finding_from_dict

    return replace(obj, intro=clean_text(str(values.get("intro", ""))).strip(),
                   overall=clean_text(str(values.get("overall", ""))).strip(),
                   recommendations_intro=clean_text(str(values.get("recommendations_intro", ""))).strip(),
                   findings=[finding_from_dict(f) for f in values.get("findings", [])])


def _framework_ids(store: ProjectStore) -> list[str]:
    from pi87_field.core.synthesis.framework import QUESTION_IDS

    return list(QUESTION_IDS)


_FROM: dict[str, Any] = {"evidence": evidence_from_dict, "judgements": judgement_from_dict,
         "summaries": summary_from_dict, "codebook": tag_from_dict, "sources": source_from_dict,
         "conclusions": conclusions_from_dict, "recommendations": recommendation_from_dict}
_TO: dict[str, Any] = {"evidence": evidence_to_dict, "judgements": judgement_to_dict,
       "summaries": summary_to_dict, "codebook": tag_to_dict, "sources": source_to_dict,
       "conclusions": conclusions_to_dict, "recommendations": recommendation_to_dict}


def _transcript_passage(interview: Any, question_id: str, quote: str) -> str:
    """The revision (digest) of the transcript holding `quote` among `question_id`'s passages."""
    held = transcript_of(interview)
    said = " ".join(s.text for s in held.segments if s.question == question_id) if held else ""
    if held is None or not passage_in(quote, said):
        raise StoreError("Ce passage ne figure pas dans la transcription de cette question : rien n'a été épinglé.")
    return held.digest
