"""French dates, times and amounts as every face of pi87-field shows and reads them.

One module, so that the TUI, the CLI, the write-up and the volume write a date the same way:

- `fr_date(d)`           -> "14/10/2019" ("" for None)
- `fr_datetime(iso)`     -> "14/10/2019 à 10:05" (as written in the ISO text, no time-zone shift;
                            a date-only value gives the date; an unreadable value is returned on
                            one line as it is)
- `fr_local_datetime(iso)` -> the same in the reader's local time (when things happened: saves,
                            versions, conflicts)
- `fr_time(moment)`      -> "10:05:07" (the TUI's "enregistré à")
- `parse_fr_date(text)`  -> date | None: "14/10/2019", "14/10/19", "2019-10-14", "14.10.2019",
                            "14-10-2019"; raises ValueError (French message) otherwise
- `format_percent(ratio)` -> "55 %" (a no-break space before %, as amounts have before €;
                            "—" for None): the one percent format of the TUI, CLI and volume
- `plural(n, "ajouté")`  -> "1 ajouté", "15 ajoutés", "1 500 ajoutés" (French rule: 0 and 1 take
                            the singular; give the plural when it is not singular + "s")
- `fr_spaces(text)`       -> ordinary spaces made no-break where French typography wants them
                            (inside « », before ; : ? !, before % and €, between thousands),
                            so « never ends a line alone; idempotent
- `fr_quote(text)`       -> "« text »" with no-break spaces (quotations the app inserts)
- amounts: `format_amount`, `parse_amount`, `format_int` live in `money` (exact Decimal rules) and
  are re-exported here so one import serves a caller that shows dates and amounts.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from pi87_field.core.money import NBSP, AmountError, format_amount, format_int, parse_amount
from pi87_field.core.text import one_line

__all__ = [
    "AmountError", "DATE_FORMAT", "format_amount", "format_int", "format_percent", "fr_date", "fr_datetime",
    "fr_local_datetime", "fr_quote", "fr_spaces", "fr_time", "parse_amount", "parse_fr_date", "percent", "plural",
    "agreed",
]

DATE_FORMAT = "%d/%m/%Y"
_INPUT_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y")


def fr_date(value: date | None) -> str:
    """14/10/2019 ("" for no date)."""
    return value.strftime(DATE_FORMAT) if value else ""


def fr_datetime(value: str | datetime | None) -> str:
    """ISO 8601 text (or a datetime) -> "14/10/2019 à 10:05", as written (no time-zone shift)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.strftime(f"{DATE_FORMAT} à %H:%M")
    text = str(value)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return one_line(text)
    if "T" not in text and " " not in text.strip():
        return moment.strftime(DATE_FORMAT)
    return moment.strftime(f"{DATE_FORMAT} à %H:%M")


def fr_local_datetime(value: str | None) -> str:
    """ISO text with an offset -> "27/11/2026 à 05:48" in the reader's local time (a stored
    "2026-11-27T04:48:57+00:00" read in Paris); without an offset, as written."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return fr_datetime(value)
    if moment.tzinfo is None or "T" not in str(value):
        return fr_datetime(value)
    return fr_datetime(moment.astimezone())


def fr_time(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def parse_fr_date(text: str) -> date | None:
    """A date typed the French way (or ISO); None for an empty value."""
    value = text.strip()
    if not value:
        return None
    for fmt in _INPUT_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Date illisible : « {one_line(value)} » (format jj/mm/aaaa)")


def percent(ratio: float) -> int:
    """0.555 -> 56: a ratio as a whole percentage, halves rounded up (not to even)."""
    return math.floor(ratio * 100 + 0.5)


def format_percent(ratio: float | None) -> str:
    """0.55 -> "55 %" with a no-break space (U+00A0), so that it never breaks across lines."""
    return "—" if ratio is None else f"{percent(ratio)}{NBSP}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and its noun or participle, agreed: "0 ajouté", "1 ajouté", "15 ajoutés"."""
    return f"{format_int(count)} {agreed(count, singular, plural_form)}"


def agreed(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone, agreed with `count` ("Évaluateur·rices : A, B"): `plural`'s rule."""
    return singular if abs(count) < 2 else (plural_form if plural_form is not None else singular + "s")


# An ordinary space (or tab) where French typography puts a no-break one: after « and before »,
# between a word and ; : ? !, between a number and % or €. (A space that is already no-break is
# left alone: the function is idempotent.)
_BREAKABLE_BEFORE_PUNCTUATION = re.compile(r"(«)[ \t]|[ \t](»)|(?<=\S)[ \t]([;:?!])|(?<=\d)[ \t]([%€])")
# "1 500 000": groups of three digits after one to three digits, a whole number.
_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?: \d{3})+(?!\d)")


def _no_break(match: re.Match[str]) -> str:
    opening, closing, punctuation, unit = match.groups()
    if opening:
        return opening + NBSP
    return NBSP + (closing or punctuation or unit)


def fr_spaces(text: str) -> str:
    """`text` with no-break spaces where French puts them: "« oui »", "Pourquoi ?", "55 %",
    "1 500 €", "2 400 jeunes". Only existing spaces change: nothing is added or removed."""
    if " " not in text and "\t" not in text:
        return text
    text = _BREAKABLE_BEFORE_PUNCTUATION.sub(_no_break, text)
    return _THOUSANDS.sub(lambda m: m.group().replace(" ", NBSP), text)


def fr_quote(text: str) -> str:
    """A quotation as French writes it: « text », the guillemets held to the text."""
    return f"«{NBSP}{text.strip()}{NBSP}»"
