"""The one ancestry rule of the record: what a revision grew from.

Answers, facts, life-cycle events and the lead's synthesis objects are all versioned the same
way: a version is named by its revision (a content address), and remembers the revisions it grew
from, newest first (its lineage). An import compares lineages, never clocks: an edit wins over
what it descends from, an older copy is recognised as older, divergent edits are a conflict kept
both ways (DESIGN §4 and §9).

`lineage` builds such a list (each revision once, newest first, never the version's own, at most
`MAX_ANCESTORS`); `grown_from` is what a new version records when it replaces an old one;
`merge_lineages` unites what two copies of one version know; `descends(new, old)` and
`settled_away` read them. Every versioned object calls these: there is no second cap.
"""

from __future__ import annotations

from collections.abc import Iterable

# Revisions a version remembers it grew from: enough to recognise any copy still in circulation
# (an ended burst of autosaves takes two entries: its last revision and its burst mark).
MAX_ANCESTORS = 100


def lineage(*revs: str, exclude: str | Iterable[str] = (), limit: int = MAX_ANCESTORS) -> list[str]:
    """`revs` newest first, each once, without empty ones and without `exclude` (the version's
    own revision, or several), at most `limit`."""
    skip = {exclude} if isinstance(exclude, str) else set(exclude)
    return [r for r in dict.fromkeys(revs) if r and r not in skip][:limit]


def grown_from(old_rev: str, old_ancestors: Iterable[str], new_rev: str, *also: str) -> list[str]:
    """The lineage of a version `new_rev` that replaces `old_rev` (whose lineage is
    `old_ancestors`); `also`: other versions it settles (a conflict's concurrent versions)."""
    return lineage(old_rev, *also, *old_ancestors, exclude=new_rev)


def merge_lineages(rev: str, *lineages: Iterable[str]) -> list[str]:
    """What two (or more) copies of version `rev` know of its past, united."""
    return lineage(*(r for line in lineages for r in line), exclude=rev)


def descends(rev: str, ancestors: Iterable[str], other_rev: str) -> bool:
    """True if the version `rev` (with lineage `ancestors`) grew from `other_rev`."""
    return bool(other_rev) and other_rev != rev and other_rev in ancestors


def settled_away(versions: Iterable[str], ancestors: Iterable[str]) -> set[str]:
    """Of the concurrent `versions`, those a lineage already settled (they are among its
    ancestors): a settlement travels with the version that made it."""
    known = set(ancestors)
    return {v for v in versions if v in known}
