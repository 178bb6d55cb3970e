"""The strict level: roles and organisations generalised to their category.

A unique role in a small structure identifies a person as surely as a name ("Directeur, Agence
d'intérim « Temporis » Lunéville"). At the strict level an interviewee's role becomes its
function ("direction", "conseiller·ère"…) and their organisation its kind ("agence d'intérim",
"mission locale"…), in the facts and wherever the role or the organisation is written out in
the texts; the distinctive words of an organisation's name ("Temporis") are masked too.

The categories follow the actors of the report (§1.4 and §2-3: the public employment service,
its networks and partners, the State's services, local authorities, employers).
"""

from __future__ import annotations

import re

from pi87_field.core.text import fold

ORGANISATION_MASK = "[organisme]"

# (folded words or phrases to look for, category); the first rule that matches wins.
_ROLE_RULES: list[tuple[tuple[str, ...], str]] = [
    (("directeur", "directrice", "direction", "dg", "president", "presidente", "gerant", "gerante",
      "delegue general", "deleguee generale", "secretaire general", "secretaire generale"), "direction"),
    (("chef de projet", "cheffe de projet", "chef·fe de projet", "chargee de projet", "charge de projet",
      "chef de service", "cheffe de service"), "chef·fe de projet ou de service"),
    (("responsable", "manager", "encadrant", "encadrante"), "encadrement"),
    (("coordinateur", "coordinatrice", "coordination", "coordonnateur", "coordonnatrice"), "coordination"),
    (("charge de mission", "chargee de mission", "charge d'etudes", "chargee d'etudes"), "chargé·e de mission"),
    (("conseiller", "conseillere", "conseil"), "conseiller·ère"),
    (("referent", "referente"), "référent·e"),
    (("gestionnaire", "assistant", "assistante", "secretaire", "comptable", "administratif", "administrative"),
     "fonction administrative"),
    (("formateur", "formatrice", "psychologue", "animateur", "animatrice", "accompagnateur",
      "accompagnatrice", "educateur", "educatrice", "travailleur social", "travailleuse sociale"),
     "accompagnement"),
    (("elu", "elue", "maire", "adjoint", "adjointe", "vice-president", "vice-presidente"), "élu·e"),
    (("beneficiaire", "demandeur", "demandeuse", "participant", "participante", "salarie", "salariee"),
     "bénéficiaire"),
]

_ORG_RULES: list[tuple[tuple[str, ...], str]] = [
    (("interim", "travail temporaire"), "agence d'intérim"),
    (("mission locale", "missions locales", "unml"), "mission locale"),
    (("pole emploi", "france travail", "ale"), "Pôle emploi"),
    (("cap emploi",), "Cap emploi"),
    (("dgefp", "ministere", "administration centrale"), "administration centrale"),
    (("direccte", "dreets", "ddets", "dieccte", "prefecture", "sgar"), "services déconcentrés de l'État"),
    (("alliance villes emploi", "alliances villes emploi", "alliance ville emploi", "ave",
      "union nationale", "reseau", "federation", "comite national"), "tête de réseau"),
    (("maison de l'emploi", "plie", "mde"), "maison de l'emploi ou PLIE"),
    (("conseil regional", "region", "conseil departemental", "departement", "metropole", "communaute",
      "agglomeration", "mairie", "commune", "ville de", "collectivite"), "collectivité territoriale"),
    (("insertion", "siae", "chantier", "entreprise adaptee", "esat", "geiq"), "structure d'insertion"),
    (("afpa", "greta", "cfa", "organisme de formation", "formation", "ecole", "universite", "lycee"),
     "organisme de formation"),
    (("cci", "cma", "chambre"), "chambre consulaire"),
    (("opco", "opca", "agefiph", "apec", "caf", "cpam", "urssaf"), "organisme paritaire ou social"),
    (("association", "asso"), "association"),
    (("cabinet", "conseil", "bureau d'etudes"), "cabinet de conseil"),
    (("entreprise", "sarl", "sas", "sa", "groupe", "societe", "ets", "industrie", "usine"), "entreprise"),
]

# Words of an organisation's name that say what it is, not which one it is.
GENERIC_ORG_WORDS = frozenset(
    fold(w) for w in """agence intérim emploi mission locale locales pôle pole cap france travail
    maison plie association réseau union nationale national régional régionale départemental
    départementale conseil région département direction directeur service services entreprise
    groupe société cabinet centre structure insertion chantier formation organisme école
    délégation territoriale territorial antenne site siège de du des la le les l d et en à au aux
    pour sur dgefp direccte dreets ddets préfecture ministère métropole communauté commune ville
    mairie chambre commerce industrie métiers artisanat alliance alliances villes ave unml
    grand est nord sud ouest centre île ile hauts bretagne normandie occitanie provence alpes côte
    azur auvergne rhône bourgogne comté nouvelle aquitaine pays loire corse guadeloupe martinique
    guyane réunion mayotte""".split())


def _padded(value: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", fold(value))) + " "


def _category(value: str, rules: list[tuple[tuple[str, ...], str]], default: str) -> str:
    """The category whose word comes first in `value` ("Assistante de direction" is an
    assistant, "Directrice administrative" a director)."""
    key = _padded(value)
    if not key.strip():
        return ""
    best: tuple[int, int, str] | None = None
    for rank, (needles, category) in enumerate(rules):
        for needle in needles:
            pos = key.find(_padded(needle))
            if pos >= 0 and (best is None or (pos, rank) < best[:2]):
                best = (pos, rank, category)
    return best[2] if best else default


def role_category(role: str) -> str:
    """"Directrice adjointe" -> "direction"; "" stays ""; an unknown role -> "autre fonction"."""
    return _category(role, _ROLE_RULES, "autre fonction")


def organisation_category(organisation: str) -> str:
    """"Agence d'intérim « Temporis » Lunéville" -> "agence d'intérim"; unknown -> "autre organisme"."""
    return _category(organisation, _ORG_RULES, "autre organisme")


def distinctive_words(organisation: str) -> list[str]:
    """Words of an organisation's name that single it out ("Temporis", "Lunéville")."""
    out = []
    for word in re.findall(r"[^\W\d_]+", organisation):
        if len(word) >= 3 and word[0].isupper() and fold(word) not in GENERIC_ORG_WORDS:
            out.append(word)
    return out
