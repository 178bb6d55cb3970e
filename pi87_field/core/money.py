"""Amounts in euros, typed and shown the French way, stored exactly (Decimal, 2 places)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pi87_field.core.errors import FieldError

NBSP = "\u00a0"
_CENTS = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


class AmountError(FieldError, ValueError):
    pass


def parse_amount(value: str | int | Decimal | None) -> Decimal | None:
    """Parse "21 914,89 €", "1 500 000 €", "113516.76" or "1.500.000,00" into an exact Decimal.

    Returns None for an empty value. Raises AmountError with a French message otherwise.
    """
    if value is None:
        return None
    if isinstance(value, Decimal):
        raw = value
    elif isinstance(value, int):
        raw = Decimal(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        text = text.replace("€", "").replace("EUR", "").replace("euros", "").strip()
        text = _SPACES.sub("", text)
        if "," in text and "." in text:
            # "1.500.000,00": dots group thousands, the comma is decimal
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:  # "1,500,000.00"
                text = text.replace(",", "")
        elif "," in text:
            text = text.replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise AmountError(f"Montant illisible : « {value} » (exemple : 21 914,89 €)")
        try:
            raw = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise AmountError(f"Montant illisible : « {value} »") from exc
    if raw < 0:
        raise AmountError(f"Montant négatif refusé : « {value} »")
    if raw != raw.quantize(_CENTS):
        raise AmountError(f"Montant au-delà du centime : « {value} »")
    if raw >= Decimal("1e12"):
        raise AmountError(f"Montant invraisemblable : « {value} »")
    return raw.quantize(_CENTS)


def format_amount(value: Decimal | None, *, currency: bool = True) -> str:
    """1500000 -> "1 500 000 €", 21914.89 -> "21 914,89 €" (no-break spaces)."""
    if value is None:
        return ""
    value = value.quantize(_CENTS)
    units, cents = divmod(abs(value) * 100, 100)
    groups = f"{int(units):,}".replace(",", NBSP)
    text = groups if cents == 0 else f"{groups},{int(cents):02d}"
    if value < 0:
        text = "-" + text
    return f"{text}{NBSP}€" if currency else text


def amount_to_json(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_CENTS))


def format_int(value: int) -> str:
    """French thousands grouping for counts: 1000 -> "1 000"."""
    return f"{value:,}".replace(",", NBSP)
