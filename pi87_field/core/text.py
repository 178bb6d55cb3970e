"""Text hygiene: what we store and export must be valid XML 1.0 text and plain UTF-8."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# XML 1.0 allows TAB, LF, CR and everything from U+0020 except surrogates, U+FFFE and U+FFFF.
# We also drop C1 controls (U+0080-U+009F): they are invisible and break Word.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def clean_text(value: str) -> str:
    """Normalise newlines to LF and remove characters XML cannot hold.

    Emoji, right-to-left text and accents are kept as they are; the text is put in NFC so
    that the same word typed twice compares equal.
    """
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _FORBIDDEN.sub("", value)
    return unicodedata.normalize("NFC", value)


def one_line(value: str) -> str:
    """Collapse a value to a single clean line (names, titles, facts)."""
    return " ".join(clean_text(value).split())


def excerpt(value: str, limit: int = 160) -> str:
    """A short excerpt on one line, cut on a word boundary, with an ellipsis."""
    flat = one_line(value)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:.") + "…"


def fold(value: str) -> str:
    """Lower-case, accent-free form for searching ("Pôle" matches "pole")."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_with_positions(value: str) -> tuple[str, list[int]]:
    """fold(value), plus for each folded character the index of the original one it came from
    (folding can change the length: "ß" -> "ss", "ﬁ" -> "fi")."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(value):
        part = fold(char)
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions


# -- French dates, as every document shows them

def fr_date(value: date | None, missing: str = "") -> str:
    """14/10/2019 (or `missing`)."""
    return value.strftime("%d/%m/%Y") if value else missing


def fr_timestamp(value: str) -> str:
    """ISO 8601 -> "14/10/2019 10:05" (as written, no time-zone shift); a date alone -> "14/10/2019";
    anything else as it is, on one line."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return one_line(str(value))
    if "T" not in value and " " not in value.strip():
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%d/%m/%Y %H:%M")
