"""Reconciling an incoming copy of a project (bundle or Word write-up) with a known one.

Pure functions over domain objects, shared by `import` (into a store) and `merge` (into a
volume). The rule: nothing is ever dropped.

- same revision: unchanged (a duplicate);
- the incoming answer descends from the known one: it is an update (edits win);
- the known answer descends from the incoming one: the incoming one is older, ignored (unless
  the incoming one has seen a later version: then it went back to an earlier text, an edit);
- otherwise both changed: a conflict; the newest is shown, the other is kept as a concurrent
  version (`Answer.concurrent`).

Facts of the project and of each interview follow the same rule field by field
(`facts.merge_facts`): an edited field wins over what it descends from, divergent edits of one
field are a conflict (the known value stays, the other is kept in `fact_conflicts` and reported),
and a timestamp never lets an older base erase a recorded edit.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pi87_field.core.ancestry import merge_lineages
from pi87_field.core.facts import (
    FACT_LABELS,
    INTERVIEW_FACTS,
    LIFE_CYCLE_EXTRAS,
    LIFE_CYCLE_STATE,
    PROJECT_FACTS,
    FactMerge,
    fact_text,
    merge_facts,
)
from pi87_field.core.fr import plural
from pi87_field.core.model import (
    EDITED_IN_WORD,
    Answer,
    AnswerVersion,
    Interview,
    InterviewStatus,
    Project,
    merge_review_notes,
    version_source,
)
from pi87_field.core.timestamps import is_newer


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    OLDER = "older"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self.value][0]

    def count_label(self, count: int) -> str:
        """"1 ajouté", "15 ajoutés", "2 versions plus anciennes ignorées"."""
        singular, plural_form = _OUTCOME_LABELS[self.value]
        return plural(count, singular, plural_form)


_OUTCOME_LABELS = {
    "added": ("ajouté", "ajoutés"), "updated": ("mis à jour", "mis à jour"),
    "conflict": ("en conflit", "en conflit"), "unchanged": ("doublon ignoré", "doublons ignorés"),
    "older": ("version plus ancienne ignorée", "versions plus anciennes ignorées"),
}


class ConflictKind(StrEnum):
    """What a conflict is about, and where a person settles it (the CLI and the TUI say the same)."""

    ANSWER = "answer"
    FACT = "fact"
    LIFE_CYCLE = "life_cycle"
    SYNTHESIS = "synthesis"

    @property
    def heading(self) -> str:
        return {"answer": "Réponses en conflit", "fact": "Fiches en conflit",
                "life_cycle": "Cycle de vie en conflit", "synthesis": "Synthèse en conflit"}[self.value]

    @property
    def kept(self) -> str:
        """What the store did with the two versions."""
        if self is ConflictKind.ANSWER:
            return "les deux versions sont conservées ; la plus récente est affichée"
        return "les deux versions sont conservées ; la vôtre reste affichée"

    @property
    def settle(self) -> str:
        """Where to settle it."""
        return {"answer": "à régler sur la question, dans l'entretien (historique des versions)",
                "fact": "à régler en corrigeant la fiche (de l'entretien ou du projet)",
                "life_cycle": "à régler depuis le cycle de vie de l'entretien (terminer, rouvrir, reporter)",
                "synthesis": "à régler dans la synthèse : v sur la question évaluative, les conclusions, "
                              "les préconisations ou les documents ; la cellule dans la matrice"}[self.value]


# Change.fact of a copy that arrived for an interview in the trash here (kept there, merged).
TRASHED = "trashed"
# Facts that say where an interview is in its life (finished, cancelled, consent): their
# conflicts are settled from the life cycle, not by editing the sheet.
LIFE_CYCLE_FACTS = frozenset({"status", "consent", "consent_recorded_at", "life_cycle", TRASHED})


@dataclass
class Change:
    outcome: Outcome
    project_id: str
    interview_id: str = ""
    question_id: str = ""
    detail: str = ""
    fact: str = ""          # a change of facts: the field(s) concerned (question_id is then "")

    @property
    def kind(self) -> ConflictKind:
        """What this change is about (read for conflicts)."""
        if self.fact:
            return ConflictKind.LIFE_CYCLE if self.fact in LIFE_CYCLE_FACTS else ConflictKind.FACT
        return ConflictKind.ANSWER if self.interview_id else ConflictKind.SYNTHESIS


def conflict_place(store, change: Change) -> str:
    """Where a conflict is, for a person: the answer's place, the sheet and the field, or the
    synthesis object."""
    kind = change.kind
    if kind is ConflictKind.ANSWER:
        return store.answer_place(change.project_id, change.interview_id, change.question_id)
    if kind is ConflictKind.SYNTHESIS:
        return change.question_id
    where = store.answer_place(change.project_id, change.interview_id, "") if change.interview_id \
        else change.project_id
    return f"{where} : {change.detail}" if change.detail else where


def conflicts_by_kind(changes: list[Change]) -> dict[ConflictKind, list[Change]]:
    """The conflicts among `changes`, grouped by kind in a fixed order (answers first)."""
    out: dict[ConflictKind, list[Change]] = {}
    for kind in ConflictKind:
        found = [c for c in changes if c.outcome == Outcome.CONFLICT and c.kind is kind]
        if found:
            out[kind] = found
    return out


@dataclass
class Reconciled:
    """What merging one incoming project into a known one produced."""

    project: Project
    interviews: dict[str, Interview]
    changes: list[Change] = field(default_factory=list)
    changed_interview_ids: set[str] = field(default_factory=set)
    project_changed: bool = False


def _version(a: Answer, file: str) -> AnswerVersion:
    """`a` kept beside the answer, named for what it is (`file`: the file it came in, "" for ours)."""
    source = version_source(a.author, file, str(a.extra.get(EDITED_IN_WORD) or ""))
    return AnswerVersion(text=a.text, state=a.state, updated_at=a.updated_at, author=a.author, source=source)


def _merge_concurrent(*lists: list[AnswerVersion], exclude: str | Iterable[str]) -> list[AnswerVersion]:
    """The versions of `lists`, each once, without `exclude` (the answer's own revision, and the
    versions a lineage settled away: a settlement travels with the answer that made it)."""
    seen = {exclude} if isinstance(exclude, str) else set(exclude)
    out: list[AnswerVersion] = []
    for versions in lists:
        for v in versions:
            if v.rev not in seen:
                seen.add(v.rev)
                out.append(v)
    return out


def _is_older(incoming: Answer, current: Answer) -> bool:
    """`incoming`'s text is one `current` grew from, and `incoming` has not seen any later version.

    Revisions are content addresses, so going back to an earlier text gives an earlier rev: such
    a revert lists, among its own ancestors, a version that came after that text in `current`'s
    history. It is then a new edit, not an old copy."""
    if not current.descends_from(incoming):
        return False
    if incoming.rev not in current.ancestors:
        return True                     # a passing save of a burst `current` continued or ended
    position = current.ancestors.index(incoming.rev)
    later = {current.rev, *current.ancestors[:position]}
    return not later.intersection(incoming.ancestors)


def reconcile_answer(current: Answer | None, incoming: Answer, source: str = "") -> tuple[Answer, Outcome]:
    if current is None:
        return incoming, Outcome.ADDED
    if incoming.rev == current.rev:
        # What each copy settled away (its ancestors) is settled in both.
        mine = _merge_concurrent(current.concurrent, exclude=(current.rev, *incoming.ancestors))
        merged = _merge_concurrent(mine, incoming.concurrent, exclude=(current.rev, *current.ancestors))
        current.ancestors = merge_lineages(current.rev, current.ancestors, incoming.ancestors)
        if [v.rev for v in merged] == [v.rev for v in current.concurrent]:
            return current, Outcome.UNCHANGED
        grew = len(merged) > len(mine)
        current.concurrent = merged
        return current, Outcome.CONFLICT if grew else Outcome.UPDATED
    descends = incoming.descends_from(current)
    known_versions = {v.rev for v in current.concurrent}
    if not descends and (_is_older(incoming, current) or incoming.rev in known_versions):
        return current, Outcome.OLDER
    if descends:
        incoming.concurrent = _merge_concurrent(current.concurrent, incoming.concurrent,
                                                exclude=(incoming.rev, *incoming.ancestors))
        return incoming, Outcome.UPDATED
    # Both sides changed the answer: keep the newest as the answer, the other beside it.
    if is_newer(incoming.updated_at, current.updated_at):
        winner, loser = incoming, current
        loser_source = ""
    else:
        winner, loser = current, incoming
        loser_source = source
    winner.ancestors = merge_lineages(winner.rev, winner.ancestors, loser.ancestors)
    # The loser is kept even if its text is an earlier one (a revert); versions either side
    # settled away are not.
    settled = set(winner.ancestors) - {loser.rev}
    winner.concurrent = _merge_concurrent(
        [_version(loser, loser_source)], current.concurrent, incoming.concurrent,
        exclude=(winner.rev, *settled))
    return winner, Outcome.CONFLICT


def reconcile_review_notes(current: Interview, incoming: Interview) -> list[str]:
    """Add to `current` the reviewers' notes of `incoming` it lacks; the question ids that got some.
    Notes are never replaced nor removed: the same note imported twice is there once."""
    grew: list[str] = []
    for qid, notes in incoming.review_notes.items():
        known = current.review_notes.get(qid, [])
        merged = merge_review_notes(known, notes)
        if len(merged) != len(known):
            current.review_notes[qid] = merged
            grew.append(qid)
    return grew


def _merge_interview_facts(cur: Interview, inc: Interview, source: str) -> FactMerge:
    """An interview's facts, field by field. When both copies record their life cycle, the status
    and the consent follow it (a reopened interview is never re-finished by the copy exported
    before it was reopened, though "terminé" is among the status's past values)."""
    if not (cur.life_cycle and inc.life_cycle):
        return merge_facts(cur, inc, INTERVIEW_FACTS, source)
    fields = tuple(f for f in INTERVIEW_FACTS if f not in LIFE_CYCLE_STATE)
    facts = merge_facts(cur, inc, fields, source, skip_extra=LIFE_CYCLE_EXTRAS)
    if "life_cycle" in facts.updated:
        for name in LIFE_CYCLE_STATE:
            if getattr(cur, name) != getattr(inc, name):
                setattr(cur, name, copy.deepcopy(getattr(inc, name)))
                facts.updated.append(name)
            if name in inc.fact_history:
                cur.fact_history[name] = list(inc.fact_history[name])
        for key in LIFE_CYCLE_EXTRAS:
            if key in inc.extra:
                cur.extra[key] = copy.deepcopy(inc.extra[key])
            else:
                cur.extra.pop(key, None)
    return facts


def _fact_changes(facts: FactMerge, project_id: str, interview_id: str, what: str, source: str) -> list[Change]:
    """The import summary's lines for a merge of facts: fields updated, conflicts with both values."""
    out = []
    if facts.updated:
        names = ", ".join(FACT_LABELS.get(n, n) for n in facts.updated)
        out.append(Change(Outcome.UPDATED, project_id, interview_id, detail=f"{what} ({names})",
                          fact=",".join(facts.updated)))
    for name, mine, theirs in facts.conflicts:
        out.append(Change(
            Outcome.CONFLICT, project_id, interview_id, fact=name,
            detail=f"{what}, {FACT_LABELS.get(name, name)} : « {fact_text(mine)} » gardé, "
                   f"« {fact_text(theirs)} »{f' ({source})' if source else ''} conservé à côté"))
    return out


def _campaign_id(interview_id: str) -> bool:
    """Planned interviews of the built-in campaign have name-based ids (uuid5), the same on every
    laptop; interviews created in the app have random ones (uuid4)."""
    try:
        return uuid.UUID(interview_id).version == 5
    except ValueError:
        return False


def _started(i: Interview) -> bool:
    return i.status != InterviewStatus.PLANNED


def _who(i: Interview) -> tuple[str, str]:
    return i.interviewer, i.consent_recorded_at


def _started_apart(a: Interview, b: Interview) -> bool:
    """Two started copies of one planned interview that were started by different people or at
    different times: two laptops each held the meeting, these are two interviews."""
    (who_a, at_a), (who_b, at_b) = _who(a), _who(b)
    return bool(who_a and who_b and who_a != who_b) or bool(at_a and at_b and at_a != at_b)


def _own_id(i: Interview) -> str:
    """The id given to a started copy of a planned interview when another copy holds its id here:
    derived from who started it, so importing the same file again finds it."""
    who, at = _who(i)
    digest = hashlib.sha256(f"{i.id}\x00{who}\x00{at}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _place(inc: Interview, known: dict[str, Interview], aliases: dict[str, str]) -> str:
    """The known interview `inc` is a copy of (or the id it will be added under)."""
    if inc.id not in known and inc.id in aliases:
        return aliases[inc.id]           # ours, given its own id by a store that had another copy
    if _campaign_id(inc.id) and _started(inc):
        own = _own_id(inc)
        if own in known:
            return own
        cur = known.get(inc.id)
        if cur is not None and _started(cur) and _started_apart(cur, inc):
            return own
    return inc.id


def reconcile_project(
    known: Project | None,
    known_interviews: dict[str, Interview],
    incoming: Project,
    incoming_interviews: list[Interview],
    source: str = "",
) -> Reconciled:
    """Merge an incoming project and its interviews into known ones (which are modified in place).

    A planned interview of the campaign has the same id on every laptop: if two laptops each
    started it, the incoming one is a different interview and gets its own id (`inc.id` is
    changed), rather than overwriting the facts and answers of the known one."""
    result = Reconciled(project=known or incoming, interviews=known_interviews)
    aliases = {_own_id(i): i.id for i in known_interviews.values() if _campaign_id(i.id) and _started(i)}
    if known is None:
        result.project_changed = True
        result.changes.append(Change(Outcome.ADDED, incoming.id, detail="projet"))
    else:
        facts = merge_facts(known, incoming, PROJECT_FACTS, source)
        if facts.changed:
            result.project_changed = True
            if is_newer(incoming.updated_at, known.updated_at):
                known.updated_at = incoming.updated_at
        result.changes += _fact_changes(facts, incoming.id, "", "fiche du projet", source)
    for inc in incoming_interviews:
        place = _place(inc, known_interviews, aliases)
        apart = place != inc.id and _campaign_id(inc.id)
        inc.id = place
        cur = known_interviews.get(inc.id)
        if cur is None:
            known_interviews[inc.id] = inc
            result.changed_interview_ids.add(inc.id)
            result.changes.append(Change(Outcome.ADDED, incoming.id, inc.id,
                                         detail=f"entretien ({len(inc.answers)} réponses)"
                                         + (", entretien prévu commencé aussi ici : gardé à part" if apart else "")))
            continue
        changed, changes = reconcile_interview(cur, inc, incoming.id, source)
        result.changes += changes
        if changed:
            result.changed_interview_ids.add(inc.id)
    return result


def reconcile_interview(cur: Interview, inc: Interview, project_id: str, source: str = "") -> tuple[bool, list[Change]]:
    """Merge an incoming copy of an interview into the known one (changed in place): facts, life
    cycle, answers, reviewers' notes, question texts. Returns (changed, the summary's lines)."""
    facts = _merge_interview_facts(cur, inc, source)
    changed = facts.changed
    if changed and is_newer(inc.updated_at, cur.updated_at):
        cur.updated_at = inc.updated_at
    changes = _fact_changes(facts, project_id, inc.id, "fiche de l'entretien", source)
    for qid, answer in inc.answers.items():
        merged, outcome = reconcile_answer(cur.answers.get(qid), answer, source)
        if outcome in (Outcome.ADDED, Outcome.UPDATED, Outcome.CONFLICT):
            cur.answers[qid] = merged
            changed = True
        if outcome != Outcome.UNCHANGED:
            changes.append(Change(outcome, project_id, inc.id, qid))
    for qid in reconcile_review_notes(cur, inc):
        changed = True
        changes.append(Change(Outcome.UPDATED, project_id, inc.id, qid, detail="note de relecture"))
    for qid, text in inc.question_texts.items():
        if qid not in cur.question_texts:
            cur.question_texts[qid] = text
            changed = True
    return changed, changes
