"""Reconciling an incoming copy of a project (bundle or Word write-up) with a known one.

Pure functions over domain objects, shared by `import` (into a store) and `merge` (into a
volume). The rule: nothing is ever dropped.

- same revision: unchanged (a duplicate);
- the incoming answer descends from the known one: it is an update (edits win);
- the known answer descends from the incoming one: the incoming one is older, ignored;
- otherwise both changed: a conflict; the newest is shown, the other is kept as a concurrent
  version (`Answer.concurrent`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from pi87_field.core.model import Answer, AnswerVersion, Interview, Project


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    OLDER = "older"

    @property
    def label(self) -> str:
        return {
            "added": "ajouté", "updated": "mis à jour", "conflict": "en conflit",
            "unchanged": "doublon ignoré", "older": "version plus ancienne ignorée",
        }[self.value]


@dataclass
class Change:
    outcome: Outcome
    project_id: str
    interview_id: str = ""
    question_id: str = ""
    detail: str = ""


@dataclass
class Reconciled:
    """What merging one incoming project into a known one produced."""

    project: Project
    interviews: dict[str, Interview]
    changes: list[Change] = field(default_factory=list)
    changed_interview_ids: set[str] = field(default_factory=set)
    project_changed: bool = False


def newer(a: str, b: str) -> bool:
    """True if ISO timestamp a is later than b (offsets honoured; unreadable counts as oldest)."""
    return _ts(a) > _ts(b)


def _ts(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _version(a: Answer, source: str) -> AnswerVersion:
    return AnswerVersion(text=a.text, state=a.state, updated_at=a.updated_at, author=a.author, source=source)


def _merge_concurrent(*lists: list[AnswerVersion], exclude: str) -> list[AnswerVersion]:
    seen = {exclude}
    out: list[AnswerVersion] = []
    for versions in lists:
        for v in versions:
            if v.rev not in seen:
                seen.add(v.rev)
                out.append(v)
    return out


def reconcile_answer(current: Answer | None, incoming: Answer, source: str = "") -> tuple[Answer, Outcome]:
    if current is None:
        return incoming, Outcome.ADDED
    if incoming.rev == current.rev:
        merged = _merge_concurrent(current.concurrent, incoming.concurrent, exclude=current.rev)
        if len(merged) == len(current.concurrent):
            return current, Outcome.UNCHANGED
        current.concurrent = merged
        return current, Outcome.CONFLICT
    known_versions = {v.rev for v in current.concurrent}
    if incoming.rev in current.ancestors or incoming.rev in known_versions:
        return current, Outcome.OLDER
    if current.rev in incoming.ancestors:
        incoming.concurrent = _merge_concurrent(current.concurrent, incoming.concurrent, exclude=incoming.rev)
        return incoming, Outcome.UPDATED
    # Both sides changed the answer: keep the newest as the answer, the other beside it.
    if newer(incoming.updated_at, current.updated_at):
        winner, loser = incoming, current
        loser_source = "version précédente"
    else:
        winner, loser = current, incoming
        loser_source = source
    winner.concurrent = _merge_concurrent(
        [_version(loser, loser_source)], current.concurrent, incoming.concurrent, exclude=winner.rev
    )
    ancestors = [r for r in dict.fromkeys([*winner.ancestors, *loser.ancestors]) if r != winner.rev]
    winner.ancestors = ancestors[:50]
    return winner, Outcome.CONFLICT


_META_FIELDS = ("interviewer", "interviewees", "date", "mode", "consent", "status", "guide_id",
                "guide_version", "notes", "updated_at", "extra")


def _meta_key(i: Interview) -> tuple:
    return (i.interviewer, [(p.name, p.role, p.organisation) for p in i.interviewees], i.date, i.mode,
            i.consent, i.status, i.guide_id, i.guide_version, i.notes)


def reconcile_project(
    known: Project | None,
    known_interviews: dict[str, Interview],
    incoming: Project,
    incoming_interviews: list[Interview],
    source: str = "",
) -> Reconciled:
    """Merge an incoming project and its interviews into known ones (which are modified in place)."""
    result = Reconciled(project=known or incoming, interviews=known_interviews)
    if known is None:
        result.project_changed = True
        result.changes.append(Change(Outcome.ADDED, incoming.id, detail="projet"))
    elif newer(incoming.updated_at, known.updated_at) and incoming != known:
        incoming.created_at = known.created_at
        result.project = incoming
        result.project_changed = True
        result.changes.append(Change(Outcome.UPDATED, incoming.id, detail="fiche du projet"))
    for inc in incoming_interviews:
        cur = known_interviews.get(inc.id)
        if cur is None:
            known_interviews[inc.id] = inc
            result.changed_interview_ids.add(inc.id)
            result.changes.append(Change(Outcome.ADDED, incoming.id, inc.id,
                                         detail=f"entretien ({len(inc.answers)} réponses)"))
            continue
        changed = False
        if _meta_key(inc) != _meta_key(cur) and newer(inc.updated_at, cur.updated_at):
            for name in _META_FIELDS:
                setattr(cur, name, getattr(inc, name))
            changed = True
            result.changes.append(Change(Outcome.UPDATED, incoming.id, inc.id, detail="fiche de l'entretien"))
        for qid, answer in inc.answers.items():
            merged, outcome = reconcile_answer(cur.answers.get(qid), answer, source)
            if outcome in (Outcome.ADDED, Outcome.UPDATED, Outcome.CONFLICT):
                cur.answers[qid] = merged
                changed = True
            if outcome != Outcome.UNCHANGED:
                result.changes.append(Change(outcome, incoming.id, inc.id, qid))
        for qid, text in inc.question_texts.items():
            if qid not in cur.question_texts:
                cur.question_texts[qid] = text
                changed = True
        if changed:
            result.changed_interview_ids.add(inc.id)
    return result
