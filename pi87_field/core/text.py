"""Text hygiene: what we store and export must be valid XML 1.0 text and plain UTF-8.

Also the one accent folding: `fold(text)` for comparing, `fold_with_positions(text) ->
(folded, index_map)` where index_map[i] is the index in `text` of folded character i.
"""

from __future__ import annotations

import re
import unicodedata

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


def slug(value: str) -> str:
    """ASCII, lower case, words joined by "-": "Mission locale du Lunévillois" -> "mission-locale-du-lunevillois"."""
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def centred_excerpt(value: str, start: int, end: int, width: int = 160) -> tuple[str, int, int]:
    """The part of `value` around `value[start:end]` (a match), on one line, about `width`
    characters with the match in the middle; "…" where it was cut. Returns the excerpt and the
    match's offsets in it. Whitespace becomes single spaces, one for one, so offsets hold."""
    start, end = max(0, start), max(start, min(end, len(value)))
    room = max(0, width - (end - start))
    lo = max(0, start - room // 2)
    hi = min(len(value), end + (room - (start - lo)))
    lo = max(0, min(lo, hi - width))
    piece = re.sub(r"\s", " ", value[lo:hi])
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(value) else ""
    offset = len(prefix) - lo
    return prefix + piece + suffix, start + offset, end + offset


def fold(value: str) -> str:
    """Lower-case, accent-free form for searching ("Pôle" matches "pole")."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_with_positions(value: str) -> tuple[str, list[int]]:
    """fold(value), plus for each folded character the index of the original one it came from
    (folding can change the length: "ß" -> "ss", "ﬁ" -> "fi").

    The one accent folding with positions: the store's search (excerpt around the match) and
    pseudonymisation (replace the original span of a folded match) both use it."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(value):
        part = char.lower() if char.isascii() else fold(char)
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions


def clip_words(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters, cut between words (never inside one),
    "…" marking the cut."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:max(1, limit - 1)]
    if " " in cut and not line[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
