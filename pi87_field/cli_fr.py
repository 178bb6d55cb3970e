"""Click's own words (usage, help headings, usage errors) in French.

Click marks its messages with gettext but ships no catalogue, and Python's gettext only reads
compiled .mo files; a small table is simpler than building one. `install()` points the `_` and
`ngettext` that click's modules imported at a lookup in this table (unknown messages stay as
they are).
"""

from __future__ import annotations

import importlib
from typing import Any

FRENCH = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "Missing {param_type}": "{param_type} manquant",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "default: {default}": "par défaut : {default}",
    "Aborted!": "Interrompu.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide ({number_type}).",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible (droits).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non modifiable (droits).",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}",
    "unknown error": "erreur inconnue",
    "(dynamic)": "(dynamique)",
    "env var: {var}": "variable d'environnement : {var}",
    "Value must be an iterable.": "La valeur doit être une liste.",
}
FRENCH_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop ({args})", "Arguments en trop ({args})"),
    "Got unexpected extra arguments ({args})": (
        "Argument en trop ({args})", "Arguments en trop ({args})"),
    "{value!r} is not {choice}.": (
        "{value!r} n'est pas {choice}.", "{value!r} ne fait pas partie de {choices}."),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de celles-ci : {possibilities} ?)"),
    "Option {name!r} requires an argument.": (
        "L'option {name!r} attend une valeur.", "L'option {name!r} attend {nargs} valeurs."),
    "Takes {nargs} values but 1 was given.": (
        "Attend {nargs} valeurs, mais 1 a été donnée.", "Attend {nargs} valeurs, mais {len} ont été données."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs sont attendues, mais {len_value} a été donnée.",
        "{len_type} valeurs sont attendues, mais {len_value} ont été données."),
    "{value!r} does not match the format {format}.": (
        "{value!r} ne correspond pas au format {format}.", "{value!r} ne correspond à aucun des formats {formats}."),
}


def gettext_fr(message: str) -> str:
    return FRENCH.get(message, message)


def ngettext_fr(singular: str, plural: str, n: int) -> str:
    french = FRENCH_PLURAL.get(singular)
    if french:
        return french[0] if n == 1 else french[1]
    return singular if n == 1 else plural


CLICK_MODULES = ("core", "decorators", "formatting", "exceptions", "parser", "types")


def install() -> None:
    """Point click's translation functions at the French table (idempotent). Called by the
    `pi87-field` group when it runs (cli.FrenchGroup), never on import: importing pi87_field
    does not change click for anyone else in the process."""
    for name in CLICK_MODULES:
        module: Any = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext_fr
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext_fr


def installed() -> bool:
    return getattr(importlib.import_module("click.core"), "_", None) is gettext_fr
