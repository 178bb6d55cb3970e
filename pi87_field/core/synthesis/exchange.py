"""The `pi87-field-synthesis/1` interchange: export a lead's synthesis, import another lead's.

Format (DESIGN §6, stable)::

    {"format": "pi87-field-synthesis/1", "exported_at": "…",
     "framework": {"id": "referentiel-pi87", "version": "…"},
     "judgements": [{"question": "pertinence", "rating": "++", "explanation": "…", "author": "…",
                     "updated_at": "…",
                     "evidence": [{"project": "…", "interview": "…", "question": "…",
                                   "quote": "<exact passage>", "tags": ["…"]}]}],
     "summaries": [{"project": "…", "question": "…", "text": "…", "tags": ["…"], "author": "…",
                    "updated_at": "…"}]}

Optional keys this version adds, which readers of the contract may ignore: `ancestors` and
`concurrent` on judgements and summaries (so that the lead who receives an edit can tell it from
a conflict), `state` on evidence and summaries ("preuve modifiée", "à revoir": nothing goes stale
silently, in outputs too), `sources` on summaries, `supports`/`author`/`created_at` on evidence,
`codebook` (the lead's own tags). A rating of "non évalué" (or "") is no rating. Unknown keys
are kept.

Chapter 4 of the report (optional keys; a file without them stays valid): `sources`
(documents and monitoring data, each with its `key`), `key` on each evidence, `conclusions`
(intro, findings with `key`, `kind` atout/limite and `questions`, overall paragraph) and
`recommendations` (`key`, `text`, `subpoints`, `rests_on`). Texts cite keys in Pandoc's syntax
(`[@key, p. 12]`). On import, an incoming key naming something else here is renamed (`key-b`)
and the incoming texts' citations rewritten; the same object under another key keeps the local
key (incoming citations rewritten to it). Nothing is merged by key alone: evidence is the same
passage, a source or préconisation the same `id` (or, without one, the same key and title).

Import rules (nothing dropped): the same judgement or summary twice changes nothing; one that
descends from the local one is an edit and wins; one the local one descends from is older and
ignored; otherwise both are kept — the local one stays current, the incoming one is kept as a
concurrent version (a conflict). Evidence is merged by identity (project, interview, question,
quote): questions supported and tags add up. Evidence pointing at an answer this store does
not hold is kept, and shown as "réponse introuvable". A malformed file is refused whole, in one
line, before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pi87_field.core.ancestry import merge_lineages
from pi87_field.core.bundle import MAX_DEPTH, loads_untrusted
from pi87_field.core.errors import ImportFormatError, os_reason
from pi87_field.core.labels import EVIDENCE_CHANGED, EVIDENCE_UNKNOWN, NOT_RATED
from pi87_field.core.model import now_iso
from pi87_field.core.synthesis import citations
from pi87_field.core.text import fold
from pi87_field.core.synthesis.objects import (
    CellSummary,
    Conclusions,
    Evidence,
    Judgement,
    Recommendation,
    Source,
    Tag,
    Version,
    conclusions_from_dict,
    conclusions_rev,
    conclusions_to_dict,
    evidence_from_dict,
    recommendation_from_dict,
    recommendation_rev,
    recommendation_to_dict,
    source_from_dict,
    source_rev,
    source_to_dict,
    judgement_from_dict,
    judgement_rev,
    summary_from_dict,
    summary_rev,
    tag_from_dict,
)
from pi87_field.core.synthesis.workspace import Workspace

FORMAT = "pi87-field-synthesis/1"
# Caps, like a bundle's (core/bundle.py): a synthesis file comes from elsewhere and what it brings
# is read by every later command (status, volume). A lead's real synthesis holds a few hundred
# passages and summaries; these leave a hundredfold margin and refuse, in seconds, a file that
# would make every later command crawl.
MAX_SYNTHESIS_BYTES = 16 * 1024 * 1024
MAX_SYNTHESIS_OBJECTS = 100_000   # JSON objects: parsing stops there
MAX_SYNTHESIS_ITEMS = 10_000      # per list: judgements' passages, summaries, tags, sources…
MAX_SYNTHESIS_TEXT = 200_000      # characters in one string (an explanation, a quote)
_ITEM_WORDS = {"judgements": "jugements", "evidence": "preuves", "summaries": "synthèses de cellule",
               "codebook": "étiquettes", "sources": "sources", "findings": "constats",
               "recommendations": "préconisations"}
_TOP_KEYS = {"format", "exported_at", "framework", "judgements", "summaries", "codebook", "sources",
             "conclusions", "recommendations"}
_EXPORT_EVIDENCE_KEYS = ("project", "interview", "question", "quote", "tags")


def export_synthesis(ws: Workspace) -> dict:
    """The lead's synthesis as a `pi87-field-synthesis/1` document."""
    ws.refresh()
    fw = ws.framework
    judgements = ws.synthesis.judgements()
    ordered = [*fw.question_ids, *sorted(q for q in judgements if q not in fw.question_ids)]
    out_j = []
    for qid in ordered:
        j = judgements.get(qid) or Judgement(qid)
        evidence = []
        for view in ws.evidence_for(qid):
            e = view.evidence
            evidence.append({**e.extra, "key": e.key, "project": e.project_id, "interview": e.interview_id,
                             "question": e.question_id, "quote": e.quote, "tags": list(e.tags),
                             "supports": list(e.supports), "author": e.author, "created_at": e.created_at,
                             "state": view.state})
        out_j.append({**j.extra, "question": qid, "rating": fw.rating_label(j.rating),
                      "explanation": j.explanation, "author": j.author, "updated_at": j.updated_at,
                      "evidence": evidence, "ancestors": list(j.ancestors),
                      "concurrent": [_version_dict(v) for v in j.concurrent]})
    out_s = []
    for s in sorted(ws.synthesis.summaries().values(), key=lambda s: (s.project_id, s.question_id)):
        out_s.append({**s.extra, "project": s.project_id, "question": s.question_id, "text": s.text,
                      "tags": list(s.tags), "author": s.author, "updated_at": s.updated_at,
                      "state": ws.summary_state(s), "sources": dict(s.sources), "ancestors": list(s.ancestors),
                      "concurrent": [_version_dict(v) for v in s.concurrent]})
    seeds = {t.name for t in _seed_names()}
    own = [{"name": t.name, "description": t.description, "group": t.group, "author": t.author}
           for t in ws.synthesis.codebook() if t.name not in seeds or t.author]
    doc = {"format": FORMAT, "exported_at": now_iso(),
           "framework": {"id": fw.id, "version": fw.version},
           "judgements": out_j, "summaries": out_s, "codebook": own}
    sources = ws.synthesis.sources()
    if sources:
        doc["sources"] = [source_to_dict(src) for src in sources]
    conclusions = ws.synthesis.conclusions()
    if not conclusions.is_blank or conclusions.concurrent:
        doc["conclusions"] = conclusions_to_dict(conclusions)
    recommendations = ws.synthesis.recommendations()
    if recommendations:
        doc["recommendations"] = [recommendation_to_dict(r) for r in recommendations]
    return doc


def _seed_names() -> list[Tag]:
    from pi87_field.core.synthesis.codebook import seed_tags

    return seed_tags()


def _version_dict(v: Version) -> dict:
    return {"values": v.values, "author": v.author, "updated_at": v.updated_at, "source": v.source}


def write_synthesis_file(ws: Workspace, path: Path) -> dict:
    from pi87_field.core.store.atomic import atomic_write_bytes

    doc = export_synthesis(ws)
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    atomic_write_bytes(path, data, mode=0o600)
    return doc


# -- reading ------------------------------------------------------------------------------------

def is_synthesis_document(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("format"), str) \
        and data["format"].startswith("pi87-field-synthesis/")


@dataclass
class ParsedSynthesis:
    framework_id: str
    framework_version: str
    judgements: list[Judgement] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)   # supports = the judgement(s) citing it
    summaries: list[CellSummary] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    conclusions: Conclusions | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def parse_synthesis(data: Any, source: str = "") -> ParsedSynthesis:
    """Validate a whole document (ImportFormatError, one line, on the first problem)."""
    where = f"{source} : " if source else ""
    if not isinstance(data, dict):
        raise ImportFormatError(f"{where}document de synthèse illisible (objet JSON attendu)")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise ImportFormatError(f"{where}format « {fmt} » non pris en charge (attendu : {FORMAT})")
    fw = data.get("framework")
    if not isinstance(fw, dict) or not isinstance(fw.get("id"), str) or not fw["id"]:
        raise ImportFormatError(f"{where}« framework.id » manquant")
    parsed = ParsedSynthesis(fw["id"], str(fw.get("version", "")),
                             extra={k: v for k, v in data.items() if k not in _TOP_KEYS})
    for key in ("judgements", "summaries", "codebook", "sources", "recommendations"):
        if key in data and not isinstance(data[key], list):
            raise ImportFormatError(f"{where}« {key} » doit être une liste")
    try:
        for n, jd in enumerate(data.get("judgements") or [], start=1):
            what = f"jugement {n}"
            j = judgement_from_dict(jd, what)
            if j.rating in (NOT_RATED, fold(NOT_RATED)):
                j.rating = ""
            parsed.judgements.append(j)
            ev_list = jd.get("evidence") or []
            if not isinstance(ev_list, list):
                raise ImportFormatError(f"{what} : « evidence » doit être une liste")
            for m, ed in enumerate(ev_list, start=1):
                e = evidence_from_dict({k: v for k, v in ed.items() if k != "state"} if isinstance(ed, dict) else ed,
                                       f"{what}, preuve {m}")
                e.supports = list(dict.fromkeys([*e.supports, j.question_id]))
                parsed.evidence.append(e)
        for n, sd in enumerate(data.get("summaries") or [], start=1):
            parsed.summaries.append(summary_from_dict(
                {k: v for k, v in sd.items() if k != "state"} if isinstance(sd, dict) else sd,
                f"synthèse de cellule {n}"))
        for n, td in enumerate(data.get("codebook") or [], start=1):
            parsed.tags.append(tag_from_dict(td, f"étiquette {n}"))
        for n, sd in enumerate(data.get("sources") or [], start=1):
            parsed.sources.append(source_from_dict(sd, f"source {n}"))
        if data.get("conclusions") is not None:
            parsed.conclusions = conclusions_from_dict(data["conclusions"])
        for n, rd in enumerate(data.get("recommendations") or [], start=1):
            parsed.recommendations.append(recommendation_from_dict(rd, f"préconisation {n}"))
    except ImportFormatError as exc:
        raise ImportFormatError(f"{where}{exc}") from None
    for j in parsed.judgements:
        j.extra.pop("state", None)
    keys: dict[str, str] = {}
    for kind, key in [*(("évidence", e.key) for e in _unique_evidence(parsed.evidence) if e.key),
                      *(("source", src.key) for src in parsed.sources),
                      *(("constat", f.key) for f in (parsed.conclusions.findings if parsed.conclusions else [])),
                      *(("préconisation", r.key) for r in parsed.recommendations)]:
        if key in keys:
            raise ImportFormatError(f"{where}la clé « {key} » nomme deux objets ({keys[key]}, {kind})")
        keys[key] = kind
    return parsed


def _unique_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """The same passage cited by two judgements appears twice in a file: one object."""
    return list({e.id: e for e in evidence}.values())


def check_synthesis_limits(data: Any) -> None:
    """Refuse, in one French sentence, a document beyond the caps: too many items in a list (the
    passages of all judgements counted together), a string too long, unknown keys nested too
    deep. Walks the document without recursion."""
    from pi87_field.core.money import format_int

    passages = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, key, depth = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_SYNTHESIS_TEXT:
                raise ImportFormatError(f"texte de plus de {format_int(MAX_SYNTHESIS_TEXT)} caractères "
                                        f"(« {key} ») : refusé")
            continue
        if depth > MAX_DEPTH:
            raise ImportFormatError(f"données imbriquées sur plus de {MAX_DEPTH} niveaux : refusé")
        if isinstance(value, dict):
            stack.extend((v, str(k)[:40], depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            if key == "evidence":
                passages += len(value)
            count = passages if key == "evidence" else len(value)
            if count > MAX_SYNTHESIS_ITEMS:
                words = _ITEM_WORDS.get(key, f"éléments « {key} »")
                raise ImportFormatError(f"plus de {format_int(MAX_SYNTHESIS_ITEMS)} {words} : refusé")
            stack.extend((v, key, depth + 1) for v in value)


def read_synthesis_file(path: Path) -> ParsedSynthesis:
    try:
        size = path.stat().st_size
        if size > MAX_SYNTHESIS_BYTES:
            raise ImportFormatError(f"{path} : fichier trop volumineux ({size // 1_000_000} Mo, "
                                    f"au plus {MAX_SYNTHESIS_BYTES // 1_000_000} Mo)")
        data = loads_untrusted(path.read_bytes().decode("utf-8-sig"), MAX_SYNTHESIS_OBJECTS)
        check_synthesis_limits(data)
    except ImportFormatError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise ImportFormatError(f"{path} : {exc}") from None
    except OSError as exc:
        raise ImportFormatError(f"{path} : illisible ({os_reason(exc)})") from None
    except UnicodeDecodeError:
        raise ImportFormatError(f"{path} : fichier illisible (pas de l'UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{path} : JSON invalide ou tronqué (ligne {exc.lineno}, colonne {exc.colno})") from None
    except (ValueError, RecursionError):
        raise ImportFormatError(f"{path} : JSON refusé (nombre démesuré ou imbrication excessive)") from None
    return parse_synthesis(data, str(path))


# -- merging ------------------------------------------------------------------------------------

@dataclass
class SynthesisChange:
    outcome: str          # same values as exchange.reconcile.Outcome: added, updated, conflict, unchanged, older
    kind: str             # "judgement", "summary", "evidence", "tag"
    key: str
    detail: str = ""


def _merge_keyed(held: dict, incoming: list, rev_of_values, kind: str, source: str,
                 changes: list[SynthesisChange]) -> bool:
    """Merge keyed chapter 4 objects (sources, préconisations) into `held`, in place, by
    `_merge_versioned`; the local object keeps its uid. True when `held` changed."""
    changed = False
    for inc in incoming:
        local = held.get(inc.key)
        merged, outcome = _merge_versioned(local, inc, lambda v: rev_of_values(v.values),
                                           lambda x: x.values(), source)
        if merged is not None and local is not None:
            merged = replace(merged, uid=local.uid or merged.uid)
        if merged is not None and not merged.uid:
            merged = replace(merged, uid=_new_uid())
        changes.append(SynthesisChange(outcome, kind, inc.key))
        if merged is not None:
            held[inc.key] = merged
            changed = True
    return changed


def _merge_versioned(local, incoming, rev_of, values_of, source: str):
    """(merged object or None if unchanged, outcome) for judgements and summaries."""
    if local is None or getattr(local, "is_blank", False):
        return incoming, "added"
    if local.rev == incoming.rev:
        merged_anc = merge_lineages(local.rev, local.ancestors, incoming.ancestors)
        # A version the other copy settled away (it is among its ancestors) is settled here too.
        kept = [v for v in local.concurrent if rev_of(v) not in incoming.ancestors]
        if kept != local.concurrent:
            return replace(local, ancestors=merged_anc, concurrent=kept), "updated"
        if merged_anc != local.ancestors:
            return replace(local, ancestors=merged_anc), "unchanged"
        return None, "unchanged"
    if local.rev in incoming.ancestors:
        # An edit of ours, or a settlement of a conflict we hold: checked before "a version we
        # already keep as concurrent", or the settlement would never travel.
        kept = [v for v in local.concurrent if rev_of(v) not in incoming.ancestors and rev_of(v) != incoming.rev]
        merged = replace(incoming, concurrent=kept,
                         ancestors=merge_lineages(incoming.rev, incoming.ancestors, local.ancestors))
        return merged, "updated"
    known = {rev_of(v) for v in local.concurrent}
    if incoming.rev in local.ancestors or incoming.rev in known:
        return None, "older"
    version = Version(values_of(incoming), incoming.author, incoming.updated_at, source)
    return replace(local, concurrent=[*local.concurrent, version]), "conflict"


def merge_synthesis(ws: Workspace, parsed: ParsedSynthesis, source: str = "") -> list[SynthesisChange]:
    """Merge a parsed document into the workspace's store. Each table is written at most once."""
    fw = ws.framework
    if parsed.framework_id != fw.id:
        raise ImportFormatError(f"{source or 'synthèse'} : référentiel « {parsed.framework_id} », "
                                f"différent de celui de ces données (« {fw.id} ») : rien n'a été importé.")
    syn = ws.synthesis
    ws.refresh()
    changes: list[SynthesisChange] = []
    renamed = _settle_incoming_keys(syn, parsed)
    for was, now in renamed.items():
        changes.append(SynthesisChange("added", "key", now, f"clé « {was} » déjà prise ici : renommée « {now} », "
                                                            "citations réécrites"))

    judgements = syn.raw("judgements")
    j_changed = False
    for inc in parsed.judgements:
        if inc.is_blank:
            continue
        if inc.rating and inc.rating not in fw.scale:
            raise ImportFormatError(f"{source} : niveau d'atteinte « {inc.rating} » inconnu pour {inc.question_id}")
        merged, outcome = _merge_versioned(
            judgements.get(inc.question_id), inc,
            lambda v: judgement_rev(v.values.get("rating", ""), v.values.get("explanation", "")),
            lambda j: {"rating": j.rating, "explanation": j.explanation}, source)
        detail = "" if fw.question(inc.question_id) else "question évaluative absente du référentiel"
        changes.append(SynthesisChange(outcome, "judgement", inc.question_id, detail))
        if merged is not None:
            judgements[inc.question_id] = merged
            j_changed = True

    evidence = syn.raw("evidence")
    e_changed = False
    for inc_e in parsed.evidence:
        old = evidence.get(inc_e.id)
        if old is None:
            state, answer = ws.evidence_state(inc_e)
            inc_e.rev = answer.rev if answer is not None and state != EVIDENCE_CHANGED else inc_e.rev
            evidence[inc_e.id] = inc_e
            e_changed = True
            changes.append(SynthesisChange("added", "evidence", inc_e.key or inc_e.id,
                                           "" if answer is not None else f"{EVIDENCE_UNKNOWN} : conservée et signalée"))
            continue
        supports = list(dict.fromkeys([*old.supports, *inc_e.supports]))
        tags = list(dict.fromkeys([*old.tags, *inc_e.tags]))
        if supports != old.supports or tags != old.tags:
            evidence[inc_e.id] = replace(old, supports=supports, tags=tags, updated_at=now_iso())
            e_changed = True
            changes.append(SynthesisChange("updated", "evidence", old.key or inc_e.id))
        else:
            changes.append(SynthesisChange("unchanged", "evidence", old.key or inc_e.id))

    summaries = syn.raw("summaries")
    s_changed = False
    for inc_s in parsed.summaries:
        if not inc_s.sources:
            inc_s.sources = {c.interview.id: c.answer.rev for c in ws.cell(inc_s.project_id, inc_s.question_id)}
        merged, outcome = _merge_versioned(
            summaries.get(inc_s.key), inc_s,
            lambda v: summary_rev(v.values.get("text", ""), list(v.values.get("tags", []))),
            lambda s: {"text": s.text, "tags": list(s.tags)}, source)
        detail = "" if ws.project(inc_s.project_id) else "projet inconnu ici : conservée"
        changes.append(SynthesisChange(outcome, "summary", inc_s.key, detail))
        if merged is not None:
            summaries[inc_s.key] = merged
            s_changed = True

    codebook = syn.raw("codebook")
    known_tags = {t.name for t in syn.codebook()}
    c_changed = False
    for tag in parsed.tags:
        if tag.name not in known_tags:
            codebook[tag.name] = tag
            known_tags.add(tag.name)
            c_changed = True
            changes.append(SynthesisChange("added", "tag", tag.name))

    sources = syn.raw("sources")
    src_changed = _merge_keyed(sources, parsed.sources, source_rev, "source", source, changes)

    c_merged = None
    if parsed.conclusions is not None and not parsed.conclusions.is_blank:
        local_c = syn.conclusions()
        c_merged, outcome = _merge_versioned(local_c, parsed.conclusions, lambda v: conclusions_rev(v.values),
                                             lambda x: x.values(), source)
        changes.append(SynthesisChange(outcome, "conclusions", "§4.1"))

    recs = syn.raw("recommendations")
    r_changed = _merge_keyed(recs, parsed.recommendations, recommendation_rev, "recommendation", source, changes)

    if src_changed:
        syn.replace_all("sources", sources)
    if c_merged is not None:
        from pi87_field.core.synthesis.store import CONCLUSIONS_KEY

        syn.replace_all("conclusions", {CONCLUSIONS_KEY: c_merged})
    if r_changed:
        syn.replace_all("recommendations", recs)
    if e_changed:
        syn.replace_all("evidence", evidence)
    if s_changed:
        syn.replace_all("summaries", summaries)
    if c_changed:
        syn.replace_all("codebook", codebook)
    if j_changed:
        syn.replace_all("judgements", judgements)
    return changes


def _new_uid() -> str:
    from pi87_field.core.synthesis.objects import new_uid

    return new_uid()


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _settle_incoming_keys(syn: Any, parsed: ParsedSynthesis) -> dict[str, str]:
    """Give every incoming keyed object its key here, and rewrite the incoming texts' citations.

    The same object (same passage; same source or préconisation `id`, or without one the same key
    and title/text) takes its local key; another object whose key is taken here gets a new one
    (`key-b`). Returns the renames made because a key was taken (old -> new), for the report."""
    index = syn.key_index()
    local_sources = {s.uid: s for s in syn.sources() if s.uid}
    local_recs = {r.uid: r for r in syn.recommendations() if r.uid}
    local_evidence = {e.id: e for e in syn.evidence()}
    taken = set(index)
    mapping: dict[str, str] = {}
    renamed: dict[str, str] = {}

    def place(key: str, same_local_key: str | None) -> str:
        if same_local_key is not None:
            target = same_local_key
        else:
            target = citations.unique_key(key, taken) if key in taken else key
            if target != key:
                renamed[key] = target
        taken.add(target)
        if target != key:
            mapping[key] = target
        return target

    seen_ev: dict[str, str] = {}
    for e in parsed.evidence:
        if e.id in seen_ev:
            e.key = seen_ev[e.id]
            continue
        local = local_evidence.get(e.id)
        if not e.key and local is None:
            e.key = syn.proposed_key(e.project_id, e.interview_id, e.question_id)
            e.key = citations.unique_key(e.key, taken)
            taken.add(e.key)
        elif local is not None:
            e.key = place(e.key or local.key, local.key) if e.key else local.key
        else:
            e.key = place(e.key, None)
        seen_ev[e.id] = e.key
    for src in parsed.sources:
        local_s = local_sources.get(src.uid) if src.uid else None
        if local_s is None:
            kind, obj = index.get(src.key, ("", None))
            if kind == "source" and (not src.uid or not obj.uid) and _same_text(obj.title, src.title):
                local_s = obj
        src.key = place(src.key, local_s.key if local_s is not None else None)
    if parsed.conclusions is not None:
        local_findings = {f.key for f in syn.conclusions().findings}
        for f in parsed.conclusions.findings:
            f.key = place(f.key, f.key if f.key in local_findings else None)
    for r in parsed.recommendations:
        local_r = local_recs.get(r.uid) if r.uid else None
        if local_r is None:
            kind, obj = index.get(r.key, ("", None))
            if kind == "recommendation" and (not r.uid or not obj.uid) and _same_text(obj.text, r.text):
                local_r = obj
        r.key = place(r.key, local_r.key if local_r is not None else None)
    if mapping:
        for j in parsed.judgements:
            j.explanation = citations.rename_keys(j.explanation, mapping)
        c = parsed.conclusions
        if c is not None:
            c.intro = citations.rename_keys(c.intro, mapping)
            c.overall = citations.rename_keys(c.overall, mapping)
            c.recommendations_intro = citations.rename_keys(c.recommendations_intro, mapping)
            for f in c.findings:
                f.text = citations.rename_keys(f.text, mapping)
        for r in parsed.recommendations:
            r.text = citations.rename_keys(r.text, mapping)
            r.subpoints = [citations.rename_keys(sp, mapping) for sp in r.subpoints]
            r.rests_on = [mapping.get(x, x) for x in r.rests_on]
    return renamed
