from decimal import Decimal

import pytest

from pi87_field.core.money import AmountError, format_amount, parse_amount
from pi87_field.core.text import clean_text, excerpt, fold


@pytest.mark.parametrize(
    "typed, exact",
    [
        ("21 914,89 €", "21914.89"),
        ("1 500 000 €", "1500000.00"),
        ("113 516,76€", "113516.76"),
        ("1\u202f500\u202f000,00 €", "1500000.00"),
        ("1.500.000,00", "1500000.00"),
        ("328318", "328318.00"),
        ("0,1", "0.10"),
        ("183874.00", "183874.00"),
    ],
)
def test_parse_amount_french_forms(typed, exact):
    assert parse_amount(typed) == Decimal(exact)
    assert str(parse_amount(typed)) == exact


@pytest.mark.parametrize("bad", ["abc", "12,345,678,9", "1 500 000 €€x", "-5 €", "12,345", "1e5"])
def test_parse_amount_refuses_bad_input(bad):
    if bad == "12,345":  # three decimals: more precise than a cent
        with pytest.raises(AmountError, match="centime"):
            parse_amount(bad)
        return
    with pytest.raises(AmountError):
        parse_amount(bad)


def test_format_amount_round_trip():
    for value in ["21914.89", "1500000.00", "113516.76", "0.05"]:
        shown = format_amount(Decimal(value))
        assert shown.endswith("\u00a0€")
        assert parse_amount(shown) == Decimal(value)
    assert format_amount(Decimal("1500000")) == "1\u00a0500\u00a0000\u00a0€"
    assert format_amount(Decimal("21914.89")) == "21\u00a0914,89\u00a0€"
    assert format_amount(None) == ""


def test_clean_text_keeps_meaning_drops_xml_illegal():
    raw = "a\x00b\x1bc\r\nd\re\ud800f 🎉 مرحبا"
    assert clean_text(raw) == "abc\nd\nef 🎉 مرحبا"
    assert clean_text("e\u0301") == "é"  # NFC


def test_fold_and_excerpt():
    assert fold("Pôle ÉCOLE") == "pole ecole"
    long = "mot " * 100
    cut = excerpt(long, 20)
    assert cut.endswith("…") and len(cut) <= 21
