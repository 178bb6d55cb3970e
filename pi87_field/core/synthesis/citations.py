"""Citations in the lead's texts, in Pandoc's syntax: `[@key]`, `[@key, p. 12]`, `[@k1; @k2]`.

A key (letters, digits, `-`, `_`, `.`; it starts and ends with a letter or digit, so the full
stop ending a sentence is not part of it) names a source, an evidence, a finding or a
recommendation of the synthesis (DESIGN §6). A citation group is the bracketed text; each item
holds one key and an optional locator after a comma (Pandoc's prefix before the `@` is kept as
written). Text between groups is left exactly as it is: `parse` then `render` gives the text back.

Used by the store (renames follow: `rename_keys`), the exchange (an incoming key renamed on
import), `synthesis status` (`keys_in`: unknown keys listed) and the volume (each group becomes a
footnote).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

KEY = r"[^\W_](?:[\w.\-]*[^\W_])?"
KEY_RE = re.compile(rf"^(?:{KEY})$")
# a bracketed group holding at least one @key, with no nested brackets
GROUP_RE = re.compile(r"\[([^\[\]]*?@[^\[\]]*?)\]")
ITEM_RE = re.compile(rf"^(?P<prefix>(?:[^@]*\s)?)@(?P<key>{KEY})(?P<rest>.*)$", re.S)


def valid_key(key: str) -> bool:
    return bool(KEY_RE.match(key))


@dataclass(frozen=True, slots=True)
class Cite:
    key: str
    locator: str = ""      # "p. 12" (what followed the comma)
    prefix: str = ""       # "voir " (what preceded the @)


@dataclass(frozen=True, slots=True)
class Group:
    items: tuple[Cite, ...]
    raw: str               # the bracketed text as written


def _parse_group(inner: str) -> tuple[Cite, ...] | None:
    items: list[Cite] = []
    for part in inner.split(";"):
        m = ITEM_RE.match(part.strip())
        if m is None:
            return None            # not a citation group (e.g. "[contact@x.fr]" is an address)
        rest = m["rest"].strip()
        if rest and not rest.startswith(","):
            return None
        items.append(Cite(m["key"], rest[1:].strip() if rest else "", m["prefix"].strip()))
    return tuple(items) or None


def parse(text: str) -> list[str | Group]:
    """The text as plain strings and citation groups, in order."""
    out: list[str | Group] = []
    pos = 0
    for m in GROUP_RE.finditer(text):
        items = _parse_group(m[1])
        if items is None:
            continue
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(Group(items, m[0]))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def keys_in(text: str) -> list[str]:
    """Every key cited in `text`, first occurrence first."""
    keys: list[str] = []
    for piece in parse(text):
        if isinstance(piece, Group):
            keys += [c.key for c in piece.items if c.key not in keys]
    return keys


def render_group(items: Iterable[Cite]) -> str:
    parts = []
    for c in items:
        parts.append(f"{c.prefix + ' ' if c.prefix else ''}@{c.key}{', ' + c.locator if c.locator else ''}")
    return "[" + "; ".join(parts) + "]"


def rename_keys(text: str, mapping: Mapping[str, str]) -> str:
    """`text` with every citation of a key in `mapping` pointing at its new key (the rest of the
    text, and groups citing nothing renamed, byte for byte as they were)."""
    if not mapping or "@" not in text:
        return text
    out = []
    for piece in parse(text):
        if isinstance(piece, Group) and any(c.key in mapping for c in piece.items):
            out.append(render_group(Cite(mapping.get(c.key, c.key), c.locator, c.prefix) for c in piece.items))
        else:
            out.append(piece if isinstance(piece, str) else piece.raw)
    return "".join(out)


def cite(key: str, locator: str = "") -> str:
    """The text the picker inserts."""
    return render_group([Cite(key, locator)])


def strip_citations(text: str, show: Callable[[Group], str] = lambda g: "") -> str:
    """Plain text with each group replaced by `show(group)` (nothing by default; the space
    before a group goes with it, as a footnote mark sits against the word)."""
    out: list[str] = []
    for p in parse(text):
        if isinstance(p, str):
            out.append(p)
        else:
            if out:
                out[-1] = out[-1].rstrip()
            out.append(show(p))
    return "".join(out)


def slug(text: str) -> str:
    """"Lunévillois (Atout Emploi)" -> "lunevillois-atout-emploi": a key-safe ASCII word."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words)


def unique_key(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-b`, `wanted-c`… the first not in `taken`."""
    if wanted not in taken:
        return wanted
    n = 2
    while True:
        suffix = _letters(n)
        candidate = f"{wanted}-{suffix}"
        if candidate not in taken:
            return candidate
        n += 1


def _letters(n: int) -> str:
    """2 -> "b", 26 -> "z", 27 -> "aa"."""
    out = ""
    n -= 1
    while True:
        out = chr(ord("a") + n % 26) + out
        n = n // 26 - 1
        if n < 0:
            return out
