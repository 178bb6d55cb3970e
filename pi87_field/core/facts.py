"""Facts of a project or an interview, merged field by field with the answers' ancestry rule.

A fact is one field of a project's or an interview's record (the ESF amount, the region, the
interviewer, the date…). Two laptops change different facts of the same project; a bundle's clock
may be wrong. So facts are never replaced wholesale by the "newest" copy:

- every save through the store records, per field, its history: the revision (`fact_rev` of the
  field's stored value) of the value as saved, then the revisions it grew from, newest first:
  `Project.fact_history` / `Interview.fact_history` (JSON key `fact_history`). A value that no
  longer matches the head of its history was changed outside the store (a hand-edited bundle, an
  older pi87-field): it descends from that head;
- `merge_facts(known, incoming, fields, source)` merges one copy into another field by field:
  same value -> nothing; the incoming value descends from the known one -> it is an edit and wins;
  the known value descends from the incoming one -> the incoming one is older, ignored; both
  changed since a common value -> a conflict: the known value stays, the incoming one is kept
  beside it in `fact_conflicts` (JSON key `fact_conflicts`, field -> [{"value", "updated_at",
  "source"}]) and reported. Only when one side has no history for the field (files written
  before this rule) and the known value was never edited does the newer timestamp decide; a
  timestamp never lets an older base erase a recorded edit;
- `record_edits(old, new, fields)` is what the store calls on every save: each field's history
  gets the saved value at its head, a changed field the old value among its ancestors, and a field
  edited while in conflict settles the conflict (the edit descends from every version shown).

`PROJECT_FACTS` and `INTERVIEW_FACTS` list the merged fields; `FACT_LABELS` their French names,
`fact_text(value)` a value as a person reads it (import summary, TUI, write-up).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pi87_field.core.ancestry import MAX_ANCESTORS, lineage
from pi87_field.core.fr import fr_local_datetime
from pi87_field.core.model import LIFE_CYCLE_EVENTS, Interview, Project
from pi87_field.core.serialize import interview_to_dict, project_to_dict
from pi87_field.core.timestamps import is_newer

PROJECT_FACTS = ("title", "carrier", "label", "os", "fse_amount", "fse_amount_note", "characteristics",
                 "guide_id", "volet", "territorial_level", "region", "operation_type", "digital",
                 "innovation_steps")
INTERVIEW_FACTS = ("interviewer", "interviewees", "date", "mode", "consent", "consent_recorded_at",
                   "status", "life_cycle", "guide_id", "guide_version", "notes")
# What the life cycle decides (merged with it when both copies record it, see exchange.reconcile).
LIFE_CYCLE_STATE = ("status", "consent", "consent_recorded_at")
LIFE_CYCLE_EXTRAS = ("finished_at", "cancelled", "reopened", "postponed", "consent_withdrawn_at")

FACT_LABELS = {
    "title": "intitulé", "carrier": "porteur", "label": "nom court", "os": "objectif spécifique",
    "fse_amount": "montant FSE", "fse_amount_note": "note sur le montant", "characteristics": "caractéristiques",
    "guide_id": "grille", "volet": "volet", "territorial_level": "niveau territorial", "region": "région",
    "operation_type": "type d'opération", "digital": "dimension numérique",
    "innovation_steps": "étapes de l'innovation", "interviewer": "enquêteur·rice",
    "interviewees": "personnes interrogées", "date": "date", "mode": "mode", "consent": "consentement",
    "consent_recorded_at": "heure du consentement", "status": "statut", "life_cycle": "cycle de vie", "guide_version": "version de grille",
    "notes": "notes",
}


def _stored(obj: Project | Interview) -> dict[str, Any]:
    if isinstance(obj, Project):
        return project_to_dict(obj)
    return interview_to_dict(obj, with_answers=False)


def _normal(value: Any) -> Any:
    """Empty text, empty list and no value are one value (a stored file may omit the key)."""
    return None if value in ("", [], {}) else value


def fact_values(obj: Project | Interview, fields: tuple[str, ...]) -> dict[str, Any]:
    """The stored (JSON) form of each fact."""
    stored = _stored(obj)
    return {name: _normal(stored.get(name)) for name in fields}


def fact_rev(value: Any) -> str:
    """Content address of one value of a fact."""
    raw = json.dumps(_normal(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def fact_text(value: Any) -> str:
    """A fact's stored value as a person reads it, on one line."""
    value = _normal(value)
    if value is None:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict) and "event" in value:
        return f"{LIFE_CYCLE_EVENTS.get(str(value['event']), value['event'])} le {fr_local_datetime(str(value.get('at')))}"
    if isinstance(value, list):
        return ", ".join(
            " ".join(str(v.get(k) or "") for k in ("name", "organisation")).strip() if isinstance(v, dict) else str(v)
            for v in value)
    return " ".join(str(value).split())


def _chain(*revs: str, exclude: str) -> list[str]:
    return lineage(*revs, exclude=exclude)


def ancestors(obj: Project | Interview, name: str, rev: str) -> list[str]:
    """Revisions the current value of fact `name` (revision `rev`) descends from."""
    history = obj.fact_history.get(name, [])
    if history and history[0] == rev:
        return history[1:]
    return list(history)        # changed outside the store since its last recorded value


def record_edits(old: Project | Interview | None, new: Project | Interview, fields: tuple[str, ...]) -> list[str]:
    """Before `new` replaces `old` in the store: put each field's saved value at the head of its
    history; a changed field grew from the old value (and from every version of a conflict it
    settles). Returns the changed fields."""
    before = fact_values(old, fields) if old is not None else {}
    after = fact_values(new, fields)
    changed = []
    for name in fields:
        new_rev = fact_rev(after[name])
        grown = ancestors(new, name, new_rev)
        if old is not None:
            old_rev = fact_rev(before[name])
            old_anc = ancestors(old, name, old_rev)
            if old_rev == new_rev:
                grown = [*grown, *old_anc]
            else:
                changed.append(name)
                settled = [fact_rev(v.get("value")) for v in new.fact_conflicts.pop(name, [])]
                grown = [old_rev, *settled, *grown, *old_anc]
        new.fact_history[name] = [new_rev, *_chain(*grown, exclude=new_rev)][:MAX_ANCESTORS]
    return changed


@dataclass
class FactMerge:
    updated: list[str] = field(default_factory=list)                 # fields taken from the incoming copy
    conflicts: list[tuple[str, Any, Any]] = field(default_factory=list)   # (field, known value, incoming value)

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.conflicts)


def merge_facts(known: Project | Interview, incoming: Project | Interview, fields: tuple[str, ...],
                source: str = "", skip_extra: tuple[str, ...] = ()) -> FactMerge:
    """Merge `incoming`'s facts into `known` (changed in place), field by field."""
    result = FactMerge()
    mine, theirs = fact_values(known, fields), fact_values(incoming, fields)
    for name in fields:
        rk, ri = fact_rev(mine[name]), fact_rev(theirs[name])
        k_anc, i_anc = ancestors(known, name, rk), ancestors(incoming, name, ri)
        kept = known.fact_conflicts.get(name, [])
        if rk == ri:
            merged = [rk, *_chain(*k_anc, *i_anc, exclude=rk)][:MAX_ANCESTORS]
            if known.fact_history.get(name) and merged != known.fact_history[name]:
                known.fact_history[name] = merged
            revs = {fact_rev(v.get("value")) for v in kept} | {rk, *k_anc}
            theirs_kept = [v for v in incoming.fact_conflicts.get(name, []) if fact_rev(v.get("value")) not in revs]
            if theirs_kept:                     # a conflict the other copy holds: kept here too
                known.fact_conflicts[name] = [*kept, *theirs_kept]
                result.conflicts.extend((name, mine[name], v.get("value")) for v in theirs_kept)
            continue
        if rk in i_anc:                         # an edit of what we have: it wins
            setattr(known, name, copy.deepcopy(getattr(incoming, name)))
            known.fact_history[name] = [ri, *_chain(*i_anc, *k_anc, exclude=ri)][:MAX_ANCESTORS]
            left = [v for v in [*kept, *incoming.fact_conflicts.get(name, [])] if fact_rev(v.get("value")) != ri]
            unique = list({fact_rev(v.get("value")): v for v in left}.values())
            if unique:
                known.fact_conflicts[name] = unique
            else:
                known.fact_conflicts.pop(name, None)
            result.updated.append(name)
            continue
        if ri in k_anc or any(fact_rev(v.get("value")) == ri for v in kept):
            continue                            # older, or a version we already keep
        # One side cannot tell what it grew from (written before fact history, or by hand) and the
        # known value was never edited here: there is no edit to lose, the newer copy's value goes.
        unknown_base = not incoming.fact_history.get(name) or not known.fact_history.get(name)
        if unknown_base and not k_anc:
            if is_newer(incoming.updated_at, known.updated_at):
                setattr(known, name, copy.deepcopy(getattr(incoming, name)))
                known.fact_history[name] = [ri, rk]
                result.updated.append(name)
            continue
        known.fact_conflicts[name] = [*kept, {"value": theirs[name], "updated_at": incoming.updated_at,
                                              "source": source}]
        result.conflicts.append((name, mine[name], theirs[name]))
    for key, value in incoming.extra.items():
        if key not in known.extra and key not in skip_extra:
            known.extra[key] = copy.deepcopy(value)
            result.updated.append(key)
    return result
