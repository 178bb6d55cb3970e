"""Finding people in free text (privacy.names): every form of a name, and nothing else."""

from __future__ import annotations

import unicodedata

import pytest

from pi87_field.core.privacy.names import AMBIGUOUS, EMAIL_MASK, PHONE_MASK, NameFinder, apply_spans
from pi87_field.core.privacy.register import person_key

PEOPLE = {"Jean Dupont": "Personne 01", "Nathalie Petit": "Personne 02", "Karim Benali": "Personne 03",
          "Amélie Lefèvre": "Personne 04", "Jean Martin": "Personne 05", "Marie-Claire de la Tour": "Personne 06"}


@pytest.fixture(scope="module")
def finder():
    return NameFinder([(person_key(n), label, n) for n, label in PEOPLE.items()])


def replace(finder, text, scope=()):
    return apply_spans(text, finder.find(text, {person_key(s) for s in scope}).spans)


@pytest.mark.parametrize("text, expected", [
    ("Karim insiste sur le suivi.", "Personne 03 insiste sur le suivi."),
    ("Selon lui, Nathalie a dit non.", "Selon lui, Personne 02 a dit non."),
    ("DUPONT Jean et Dupont Jean", "Personne 01 et Personne 01"),
    ("M. DUPONT, Mme N. Petit, madame Petit, Dr Benali", "Personne 01, Personne 02, Personne 02, Personne 03"),
    # initials that are not this person's: another Dupont, attributed to nobody
    ("J. Dupont et J.-C. Dupont", f"Personne 01 et {AMBIGUOUS}"),
    ("l’avis d’Amélie, qu'Amélie", "l’avis de Personne 04, que Personne 04"),
    ("D’Amélie, rien.", "De Personne 04, rien."),
    ("LEFÈVRE, Lefevre, lefèvre, Lefévre", "Personne 04, Personne 04, Personne 04, Personne 04"),
    ("Marie-Claire explique ; Mme de la Tour conclut.", "Personne 06 explique ; Personne 06 conclut."),
    ("CR Jean Dupont.json, cr_jean_dupont.docx", "CR Personne 01.json, cr_Personne 01.docx"),
    ("Dupont-Aignan, Dupontel", f"{AMBIGUOUS}, Dupontel"),
    ("J. D. a signé.", "Personne 01 a signé."),
])
def test_every_form_of_a_name(finder, text, expected):
    assert replace(finder, text) == expected


@pytest.mark.parametrize("text", [
    "Un petit nombre de structures.",
    "Petit à petit, l'équipe a grandi.",
    "UN PETIT NOMBRE",
    "La DIRECCTE Grand Est et le Petit-Bourg.",
    "Tour de table : le tour de parole ; une réponse claire et nette.",
])
def test_ordinary_words_stay(finder, text):
    assert replace(finder, text) == text


def test_a_common_word_is_a_name_where_it_is_used_as_one(finder):
    assert replace(finder, "Un petit nombre ; selon Petit, Nathalie Petit et NATHALIE PETIT.") == (
        "Un petit nombre ; selon Personne 02, Personne 02 et Personne 02.")
    found = finder.find("Petit à petit, rien.")
    assert [reason for _s, _e, reason in found.left] == ["nom connu laissé (mot courant)"]


def test_words_the_texts_use_in_lower_case_are_ordinary_words():
    finder = NameFinder([(person_key("Jean Dupont"), "Personne 01", "Jean Dupont")], common_words=["jean"])
    assert replace(finder, "Un jean bleu ; Jean Dupont ; selon Jean, oui.") == (
        "Un jean bleu ; Personne 01 ; selon Personne 01, oui.")


def test_a_shared_first_name_goes_to_the_one_met_in_this_interview(finder):
    assert replace(finder, "Jean a parlé.", scope=["Jean Martin"]) == "Personne 05 a parlé."
    assert replace(finder, "Jean a parlé.") == f"{AMBIGUOUS} a parlé."
    assert replace(finder, "Jean Dupont a parlé.", scope=["Jean Martin"]) == "Personne 01 a parlé."


@pytest.mark.parametrize("text, expected", [
    ("jean.dupont@insup.fr", EMAIL_MASK),
    ("06 12 34 56 78 / 06.12.34.56.78 / 0612345678 / +33 6 12 34 56 78 / +33 (0)6 12 34 56 78",
     " / ".join([PHONE_MASK] * 5)),
    ("En 2019, 1 500 000 € pour 12 structures.", "En 2019, 1 500 000 € pour 12 structures."),
])
def test_contacts_are_masked_and_figures_are_not(finder, text, expected):
    assert replace(finder, text) == expected


def test_accents_decomposed_and_case_folding(finder):
    nfd = unicodedata.normalize("NFD", "Amélie LEFÈVRE a dit")
    assert replace(finder, nfd) == "Personne 04 a dit"
    assert replace(finder, "Straße avec Karim") == "Straße avec Personne 03"


def test_particles_go_with_the_name_they_belong_to(finder):
    assert replace(finder, "avec de la Tour, puis de Karim") == "avec Personne 06, puis de Personne 03"


def test_fast_fold_is_text_fold():
    from pi87_field.core.privacy.names import fast_fold
    from pi87_field.core.text import fold

    sample = "".join(chr(c) for c in range(0x20, 0x3000)) + unicodedata.normalize("NFD", "Amélie Lefèvre ﬁ ß ½ ǅ")
    assert fast_fold(sample) == fold(sample)


def test_names_with_an_apostrophe():
    finder = NameFinder([(person_key("Awa N'Diaye"), "Personne 01", "Awa N'Diaye"),
                         (person_key("Sean O’Brien"), "Personne 02", "Sean O’Brien")])
    assert replace(finder, "M. N'Diaye et Mme O’Brien, puis d'Awa.") == "Personne 01 et Personne 02, puis de Personne 01."
