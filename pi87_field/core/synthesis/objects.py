"""The team lead's synthesis objects and their stored form (plain JSON dicts, unknown keys kept).

- `Evidence`: an exact passage of one answer, the answer's revision when it was pinned, tags, and
  the evaluative questions it supports. Its id is derived from (project, interview, question,
  quote), so the same passage pinned twice, or imported twice, is one evidence.
- `Judgement`: one per evaluative question: rating, explanation, author, time. The evidence it
  cites is the evidence whose `supports` names the question (one rule, no second list to drift).
- `CellSummary`: the lead's summary of one cell (project × grid question): text, tags, and the
  revisions of the answers it was written from (`sources`, interview id -> answer revision).
- `Tag`: a codebook entry (name, description, group).

Judgements and summaries carry `ancestors` (the revisions they grew from) and `concurrent`
(versions kept beside them after a conflicting import), like answers: an edit wins over what it
descends from; divergent edits are kept both ways, never dropped.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from pi87_field.core.ancestry import grown_from
from pi87_field.core.errors import ImportFormatError
from pi87_field.core.model import now_iso
from pi87_field.core.text import clean_text
from pi87_field.core.transcript import clock

# Evidence.extra: where a passage pinned from a recording's transcript starts, in seconds into the
# recording (an optional key of `pi87-field-synthesis/1` evidence: a file without it stays valid,
# and older versions keep it as an unknown key).
TRANSCRIPT_AT = "transcript_at"

def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def evidence_id(project_id: str, interview_id: str, question_id: str, quote: str) -> str:
    return _digest(project_id, interview_id, question_id, quote)


def norm_space(text: str) -> str:
    """Whitespace folded to single spaces: a passage still matches after Word re-wrapped it."""
    return " ".join(text.split())


def passage_in(quote: str, text: str) -> bool:
    """Is `quote` an exact passage of `text` (up to whitespace)?"""
    q = norm_space(quote)
    return bool(q) and q in norm_space(text)


@dataclass(slots=True)
class Version:
    """A version of a judgement or summary kept beside the current one after a conflict."""

    values: dict[str, Any]
    author: str = ""
    updated_at: str = ""
    source: str = ""


@dataclass(slots=True)
class Evidence:
    project_id: str
    interview_id: str
    question_id: str
    quote: str
    rev: str = ""                      # the answer's revision when pinned ("" if unknown)
    key: str = ""                      # the citation key ("lunevillois-2.1"), unique in the synthesis
    tags: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)   # evaluative question ids
    author: str = ""
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        quote = self.quote if self.transcript_at is None else f"transcription\x00{self.quote}"
        return evidence_id(self.project_id, self.interview_id, self.question_id, quote)

    @property
    def transcript_at(self) -> float | None:
        """Seconds into the recording, for a passage of a transcript; None for a passage of an answer."""
        value = self.extra.get(TRANSCRIPT_AT)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            return None
        return float(value)

    @property
    def source_label(self) -> str:
        """"transcription, 00:13:05" for a passage of a transcript, "" for one of an answer."""
        at = self.transcript_at
        return "" if at is None else f"transcription, {clock(at)}"


@dataclass(slots=True)
class Judgement:
    question_id: str
    rating: str = ""                   # one of the framework's scale, "" = non évalué
    explanation: str = ""
    author: str = ""
    updated_at: str = ""
    ancestors: list[str] = field(default_factory=list)
    concurrent: list[Version] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rev(self) -> str:
        return judgement_rev(self.rating, self.explanation)

    @property
    def is_blank(self) -> bool:
        return not self.rating and not self.explanation.strip()


def judgement_rev(rating: str, explanation: str) -> str:
    return _digest("judgement", rating, explanation)


@dataclass(slots=True)
class CellSummary:
    project_id: str
    question_id: str
    text: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    updated_at: str = field(default_factory=now_iso)
    sources: dict[str, str] = field(default_factory=dict)   # interview id -> answer revision
    ancestors: list[str] = field(default_factory=list)
    concurrent: list[Version] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.project_id}/{self.question_id}"

    @property
    def rev(self) -> str:
        return summary_rev(self.text, self.tags)


def summary_rev(text: str, tags: list[str]) -> str:
    return _digest("summary", text, *sorted(tags))


@dataclass(slots=True)
class Tag:
    name: str
    description: str = ""
    group: str = ""
    author: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def next_ancestors(old_rev: str, old_ancestors: list[str], new_rev: str) -> list[str]:
    return grown_from(old_rev, old_ancestors, new_rev)


# -- stored form --------------------------------------------------------------------------------

def _s(data: dict, key: str, what: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFormatError(f"{what} : « {key} » doit être un texte")
    return clean_text(value)


def _str_list(data: dict, key: str, what: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ImportFormatError(f"{what} : « {key} » doit être une liste de textes")
    out: list[str] = []
    for v in value:
        v = " ".join(clean_text(v).split())
        if v and v not in out:
            out.append(v)
    return out


def _versions_to(versions: list[Version]) -> list[dict]:
    return [{"values": v.values, "author": v.author, "updated_at": v.updated_at, "source": v.source}
            for v in versions]


def _versions_from(data: Any, what: str) -> list[Version]:
    if not isinstance(data, list):
        return []
    out = []
    for v in data:
        if isinstance(v, dict) and isinstance(v.get("values"), dict):
            out.append(Version(dict(v["values"]), str(v.get("author", "")), str(v.get("updated_at", "")),
                               str(v.get("source", ""))))
    return out


_EVIDENCE_KEYS = {"project", "interview", "question", "quote", "rev", "tags", "supports", "author",
                  "created_at", "updated_at", "id", "key"}


def evidence_to_dict(e: Evidence) -> dict:
    return {**e.extra, "id": e.id, "project": e.project_id, "interview": e.interview_id,
            "question": e.question_id, "quote": e.quote, "rev": e.rev, "tags": list(e.tags),
            "supports": list(e.supports), "author": e.author, "created_at": e.created_at,
            "updated_at": e.updated_at, "key": e.key}


def evidence_from_dict(d: Any, what: str = "preuve") -> Evidence:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    quote = _s(d, "quote", what)
    if not norm_space(quote):
        raise ImportFormatError(f"{what} : « quote » vide")
    for key in ("project", "interview", "question"):
        if not _s(d, key, what):
            raise ImportFormatError(f"{what} : « {key} » manquant")
    return Evidence(
        project_id=_s(d, "project", what), interview_id=_s(d, "interview", what),
        question_id=_s(d, "question", what), quote=quote, rev=_s(d, "rev", what),
        tags=_str_list(d, "tags", what), supports=_str_list(d, "supports", what),
        author=_s(d, "author", what), created_at=_s(d, "created_at", what) or now_iso(),
        updated_at=_s(d, "updated_at", what) or now_iso(), key=_key(d, what),
        extra={k: v for k, v in d.items() if k not in _EVIDENCE_KEYS},
    )


_JUDGEMENT_KEYS = {"question", "rating", "explanation", "author", "updated_at", "ancestors", "concurrent",
                   "evidence"}


def judgement_to_dict(j: Judgement) -> dict:
    return {**j.extra, "question": j.question_id, "rating": j.rating, "explanation": j.explanation,
            "author": j.author, "updated_at": j.updated_at, "ancestors": list(j.ancestors),
            "concurrent": _versions_to(j.concurrent)}


def judgement_from_dict(d: Any, what: str = "jugement") -> Judgement:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    qid = _s(d, "question", what)
    if not qid:
        raise ImportFormatError(f"{what} : « question » manquant")
    return Judgement(
        question_id=qid, rating=_s(d, "rating", what).strip(), explanation=_s(d, "explanation", what),
        author=_s(d, "author", what), updated_at=_s(d, "updated_at", what),
        ancestors=_str_list(d, "ancestors", what), concurrent=_versions_from(d.get("concurrent"), what),
        extra={k: v for k, v in d.items() if k not in _JUDGEMENT_KEYS},
    )


_SUMMARY_KEYS = {"project", "question", "text", "tags", "author", "updated_at", "sources", "ancestors",
                 "concurrent"}


def summary_to_dict(s: CellSummary) -> dict:
    return {**s.extra, "project": s.project_id, "question": s.question_id, "text": s.text,
            "tags": list(s.tags), "author": s.author, "updated_at": s.updated_at,
            "sources": dict(s.sources), "ancestors": list(s.ancestors), "concurrent": _versions_to(s.concurrent)}


def summary_from_dict(d: Any, what: str = "synthèse de cellule") -> CellSummary:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    for key in ("project", "question"):
        if not _s(d, key, what):
            raise ImportFormatError(f"{what} : « {key} » manquant")
    sources = d.get("sources") or {}
    if not isinstance(sources, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in sources.items()):
        raise ImportFormatError(f"{what} : « sources » doit associer un entretien à une révision")
    return CellSummary(
        project_id=_s(d, "project", what), question_id=_s(d, "question", what), text=_s(d, "text", what),
        tags=_str_list(d, "tags", what), author=_s(d, "author", what),
        updated_at=_s(d, "updated_at", what) or now_iso(), sources=dict(sources),
        ancestors=_str_list(d, "ancestors", what), concurrent=_versions_from(d.get("concurrent"), what),
        extra={k: v for k, v in d.items() if k not in _SUMMARY_KEYS},
    )


_TAG_KEYS = {"name", "description", "group", "author"}


def tag_to_dict(t: Tag) -> dict:
    return {**t.extra, "name": t.name, "description": t.description, "group": t.group, "author": t.author}


def tag_from_dict(d: Any, what: str = "étiquette") -> Tag:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    name = " ".join(_s(d, "name", what).split())
    if not name:
        raise ImportFormatError(f"{what} : « name » manquant")
    return Tag(name=name, description=_s(d, "description", what), group=_s(d, "group", what),
               author=_s(d, "author", what), extra={k: v for k, v in d.items() if k not in _TAG_KEYS})


# -- chapter 4: sources, conclusions, recommendations ----------------------------------------------

def _key(d: dict, what: str, required: bool = False) -> str:
    from pi87_field.core.synthesis.citations import valid_key

    key = _s(d, "key", what).strip()
    if key and not valid_key(key):
        raise ImportFormatError(f"{what} : clé « {key[:40]} » invalide (lettres, chiffres, « - », « _ », « . »)")
    if required and not key:
        raise ImportFormatError(f"{what} : « key » manquant")
    return key


def new_uid() -> str:
    import uuid

    return uuid.uuid4().hex


SOURCE_KINDS = ("document", "données", "rapport", "texte officiel", "autre")
SOURCE_FIELDS = ("title", "author", "date", "kind", "locator", "url", "note")


@dataclass(slots=True)
class Source:
    """A document or monitoring data the lead cites (`[@mdfse-2019, p. 12]`): reference and locator.

    `author` is the document's author; `edited_by` the lead who wrote the entry."""

    key: str
    title: str = ""
    author: str = ""
    date: str = ""
    kind: str = "document"
    locator: str = ""
    url: str = ""
    note: str = ""
    uid: str = field(default_factory=new_uid)
    edited_by: str = ""
    updated_at: str = ""
    ancestors: list[str] = field(default_factory=list)
    concurrent: list[Version] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rev(self) -> str:
        return source_rev(self.values())

    def values(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in SOURCE_FIELDS}


def source_rev(values: dict[str, Any]) -> str:
    return _digest("source", *(str(values.get(f, "")) for f in SOURCE_FIELDS))


_SOURCE_KEYS = {"key", *SOURCE_FIELDS, "id", "edited_by", "updated_at", "ancestors", "concurrent"}


def source_to_dict(s: Source) -> dict:
    return {**s.extra, "key": s.key, **s.values(), "id": s.uid, "edited_by": s.edited_by,
            "updated_at": s.updated_at, "ancestors": list(s.ancestors), "concurrent": _versions_to(s.concurrent)}


def source_from_dict(d: Any, what: str = "source") -> Source:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    return Source(key=_key(d, what, required=True), **{f: _s(d, f, what).strip() for f in SOURCE_FIELDS},
                  uid=_s(d, "id", what) or "", edited_by=_s(d, "edited_by", what),
                  updated_at=_s(d, "updated_at", what), ancestors=_str_list(d, "ancestors", what),
                  concurrent=_versions_from(d.get("concurrent"), what),
                  extra={k: v for k, v in d.items() if k not in _SOURCE_KEYS})


FINDING_KINDS = ("atout", "limite")


@dataclass(slots=True)
class Finding:
    """One bullet of §4.1: a strength ("atout") or, after "Mais aussi :", a limit ("limite")."""

    key: str
    kind: str = "atout"
    text: str = ""
    questions: list[str] = field(default_factory=list)     # evaluative question ids
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**self.extra, "key": self.key, "kind": self.kind, "text": self.text,
                "questions": list(self.questions)}


def finding_from_dict(d: Any, what: str = "constat") -> Finding:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    kind = _s(d, "kind", what).strip() or "atout"
    if kind not in FINDING_KINDS:
        raise ImportFormatError(f"{what} : « kind » doit être « atout » ou « limite »")
    return Finding(_key(d, what, required=True), kind, _s(d, "text", what).strip(),
                   _str_list(d, "questions", what),
                   extra={k: v for k, v in d.items() if k not in {"key", "kind", "text", "questions"}})


@dataclass(slots=True)
class Conclusions:
    """§4.1 "Nos conclusions": intro, findings (atouts then limites), the overall paragraph, and the
    sentence that opens §4.2. One object, versioned as a whole like a judgement."""

    intro: str = ""
    findings: list[Finding] = field(default_factory=list)
    overall: str = ""
    recommendations_intro: str = ""
    author: str = ""
    updated_at: str = ""
    ancestors: list[str] = field(default_factory=list)
    concurrent: list[Version] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rev(self) -> str:
        return conclusions_rev(self.values())

    @property
    def is_blank(self) -> bool:
        return not (self.intro.strip() or self.overall.strip() or self.findings or self.recommendations_intro.strip())

    def values(self) -> dict[str, Any]:
        return {"intro": self.intro, "findings": [f.to_dict() for f in self.findings], "overall": self.overall,
                "recommendations_intro": self.recommendations_intro}

    def finding(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)


def conclusions_rev(values: dict[str, Any]) -> str:
    import json

    findings = [(f.get("key", ""), f.get("kind", ""), f.get("text", ""), list(f.get("questions", [])))
                for f in values.get("findings", []) if isinstance(f, dict)]
    return _digest("conclusions", str(values.get("intro", "")), json.dumps(findings, ensure_ascii=False),
                   str(values.get("overall", "")), str(values.get("recommendations_intro", "")))


_CONCLUSIONS_KEYS = {"intro", "findings", "overall", "recommendations_intro", "author", "updated_at",
                     "ancestors", "concurrent"}


def conclusions_to_dict(c: Conclusions) -> dict:
    return {**c.extra, **c.values(), "author": c.author, "updated_at": c.updated_at,
            "ancestors": list(c.ancestors), "concurrent": _versions_to(c.concurrent)}


def conclusions_from_dict(d: Any, what: str = "conclusions") -> Conclusions:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    raw = d.get("findings") or []
    if not isinstance(raw, list):
        raise ImportFormatError(f"{what} : « findings » doit être une liste")
    findings = [finding_from_dict(f, f"{what}, constat {n}") for n, f in enumerate(raw, start=1)]
    keys = [f.key for f in findings]
    if len(set(keys)) != len(keys):
        raise ImportFormatError(f"{what} : deux constats portent la même clé")
    return Conclusions(intro=_s(d, "intro", what).strip(), findings=findings, overall=_s(d, "overall", what).strip(),
                       recommendations_intro=_s(d, "recommendations_intro", what).strip(),
                       author=_s(d, "author", what), updated_at=_s(d, "updated_at", what),
                       ancestors=_str_list(d, "ancestors", what),
                       concurrent=_versions_from(d.get("concurrent"), what),
                       extra={k: v for k, v in d.items() if k not in _CONCLUSIONS_KEYS})


@dataclass(slots=True)
class Recommendation:
    """A préconisation of §4.2: text, lettered sub-points, and what it rests on (finding keys or
    evaluative question ids). Numbered by its place in the list."""

    key: str
    text: str = ""
    subpoints: list[str] = field(default_factory=list)
    rests_on: list[str] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)
    author: str = ""
    updated_at: str = ""
    ancestors: list[str] = field(default_factory=list)
    concurrent: list[Version] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rev(self) -> str:
        return recommendation_rev(self.values())

    def values(self) -> dict[str, Any]:
        return {"text": self.text, "subpoints": list(self.subpoints), "rests_on": list(self.rests_on)}


def recommendation_rev(values: dict[str, Any]) -> str:
    return _digest("recommendation", str(values.get("text", "")), *[str(s) for s in values.get("subpoints", [])],
                   "\x01", *sorted(str(r) for r in values.get("rests_on", [])))


_RECOMMENDATION_KEYS = {"key", "text", "subpoints", "rests_on", "id", "author", "updated_at", "ancestors",
                        "concurrent"}


def recommendation_to_dict(r: Recommendation) -> dict:
    return {**r.extra, "key": r.key, **r.values(), "id": r.uid, "author": r.author, "updated_at": r.updated_at,
            "ancestors": list(r.ancestors), "concurrent": _versions_to(r.concurrent)}


def recommendation_from_dict(d: Any, what: str = "préconisation") -> Recommendation:
    if not isinstance(d, dict):
        raise ImportFormatError(f"{what} : objet attendu")
    subpoints = d.get("subpoints") or []
    if not isinstance(subpoints, list) or not all(isinstance(v, str) for v in subpoints):
        raise ImportFormatError(f"{what} : « subpoints » doit être une liste de textes")
    return Recommendation(key=_key(d, what, required=True), text=_s(d, "text", what).strip(),
                          subpoints=[clean_text(v).strip() for v in subpoints if clean_text(v).strip()],
                          rests_on=_str_list(d, "rests_on", what), uid=_s(d, "id", what) or "",
                          author=_s(d, "author", what), updated_at=_s(d, "updated_at", what),
                          ancestors=_str_list(d, "ancestors", what),
                          concurrent=_versions_from(d.get("concurrent"), what),
                          extra={k: v for k, v in d.items() if k not in _RECOMMENDATION_KEYS})
