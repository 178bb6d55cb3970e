"""French no-break spaces (issue 20): `fr_spaces` holds « », ; : ? !, % €, thousands to their
neighbour; only existing spaces change; idempotent; the write-up uses it and reads it back."""

from __future__ import annotations

from pi87_field.core.fr import fr_quote, fr_spaces

NB = "\u00a0"


def test_no_break_spaces_where_french_puts_them():
    assert fr_spaces("Il a dit « oui » : pourquoi ? Bien ! 55 % ; 1 500 000 € et 21 914,89 €") == (
        f"Il a dit «{NB}oui{NB}»{NB}: pourquoi{NB}? Bien{NB}! 55{NB}%{NB}; 1{NB}500{NB}000{NB}€ et 21{NB}914,89{NB}€")


def test_ordinary_text_is_left_alone_and_the_rule_is_idempotent():
    for text in ("heure [14:32] https://exemple.fr", "en 2019 250 jeunes", "a  :b", "ligne\nsuite", ""):
        assert fr_spaces(text) == text
    once = fr_spaces("« oui » : 2 400 jeunes")
    assert fr_spaces(once) == once and len(once) == len("« oui » : 2 400 jeunes")


def test_quotation():
    assert fr_quote(" Nous avons appris ") == f"«{NB}Nous avons appris{NB}»"
