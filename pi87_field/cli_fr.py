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
}
FRENCH_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop ({args})", "Arguments en trop ({args})"),
    "Got unexpected extra arguments ({args})": (
        "Argument en trop ({args})", "Arguments en trop ({args})"),
    "{value!r} is not {choice}.": (
        "{value!r} n'est pas {choice}.", "{value!r} ne fait pas partie de {choices}."),
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
