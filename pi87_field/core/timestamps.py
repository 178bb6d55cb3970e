"""The one reader of stored timestamps (ISO 8601; answers, facts, events, sittings, backups).

Stored times carry their offset (`model.now_iso`). What comes from elsewhere may not: a bundle
written by hand, a Word comment's date ("…Z"), an older file. `parse_instant` reads them all the
same way; `instant_key` orders them (unreadable counts as oldest); `is_newer` compares two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

OLDEST = datetime.min.replace(tzinfo=UTC)


def parse_instant(value: Any, *, assume_utc: bool = True) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime ("Z" read as UTC). A time without an offset is
    taken as UTC, or refused (None) when `assume_utc` is False; None if unreadable."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC) if assume_utc else None
    return parsed


def instant_key(value: Any) -> datetime:
    """Sort key of a stored timestamp: unreadable ones first (the oldest)."""
    return parse_instant(value) or OLDEST


def is_newer(a: Any, b: Any) -> bool:
    """True if timestamp `a` is later than `b` (offsets honoured; unreadable counts as oldest)."""
    return instant_key(a) > instant_key(b)
