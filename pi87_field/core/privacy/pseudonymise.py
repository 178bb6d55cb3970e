"""Pseudonymisation of a project before it leaves the team: interviewees become "Personne A"…

The pseudonym of a person is stable within a project: people are numbered in the order they
were first met (interviews by date, then creation time, then id), so exporting again, or after
a later interview was added, gives everyone already met the same letter.

Names are replaced in the interviewees' facts and inside every free text (answers, concurrent
versions, notes, the project's characteristics): full names (either order) and last names, whole
words only, ignoring case and accents ("DUPONT", "Dupont", "Dupónt"). A last name shared by two
people is replaced by a neutral "[nom masqué]" rather than by either pseudonym.
"""

from __future__ import annotations

import copy
import re

from pi87_field.core.bundle import Bundle
from pi87_field.core.summary import ordered_interviews
from pi87_field.core.text import fold, fold_with_positions, one_line

AMBIGUOUS = "[nom masqué]"
_PARTICLES = {"de", "du", "des", "d", "la", "le", "van", "von", "der", "da", "di", "mc", "ben", "el", "al"}
_MIN_NAME = 2


def pseudonym(index: int) -> str:
    """0 -> "Personne A", 25 -> "Personne Z", 26 -> "Personne AA"…"""
    letters = ""
    n = index
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            break
    return f"Personne {letters}"


_SEPARATORS = re.compile(r"[\s\-'’]+")


def _key(name: str) -> str:
    """Canonical form of a name: folded, words separated by single spaces."""
    return " ".join(w for w in _SEPARATORS.split(fold(name)) if w)




def _pattern(words: list[str]) -> str:
    # words of a name may be separated by spaces, hyphens or apostrophes in the text
    return r"[\s\-'’]+".join(re.escape(w) for w in words)


class Replacer:
    """Replaces a set of names (folded forms -> replacement) in free text, in one pass."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.regex = None
        if names:
            ordered = sorted(names, key=len, reverse=True)
            self.lookup = {k: names[k] for k in ordered}
            alternatives = "|".join(_pattern(k.split()) for k in ordered)
            # whole words; a hyphenated compound ("Dupont-Aignan") is another name
            self.regex = re.compile(rf"(?<![\w-])(?:{alternatives})(?!-?\w)")

    def __call__(self, text: str) -> str:
        if not text or self.regex is None:
            return text
        folded, index = fold_with_positions(text)
        pieces: list[str] = []
        last = 0
        for match in self.regex.finditer(folded):
            start, end = index[match.start()], index[match.end() - 1] + 1
            if start < last:
                continue
            key = _key(match.group(0))
            pieces.append(text[last:start])
            pieces.append(self.lookup.get(key, AMBIGUOUS))
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)


def build_replacer(bundle: Bundle) -> tuple[dict[str, str], Replacer]:
    """(folded full name -> pseudonym, text replacer) for the interviewees of `bundle`."""
    people: dict[str, str] = {}
    for interview in ordered_interviews(bundle.interviews):
        for person in interview.interviewees:
            key = _key(person.name)
            if key and key not in people:
                people[key] = pseudonym(len(people))
    names: dict[str, str] = {}
    last_names: dict[str, set[str]] = {}
    for key, alias in people.items():
        words = key.split()
        names[key] = alias
        if len(words) >= 2:
            names[" ".join([*words[1:], words[0]])] = alias         # "Dupont Jean"
            # last name: the words after the first name, particles included ("de la Tour")
            last = words[1:]
            while len(last) > 1 and last[0] in _PARTICLES:
                last_names.setdefault(" ".join(last), set()).add(alias)
                last = last[1:]
            last_names.setdefault(" ".join(last), set()).add(alias)
    for last, aliases in last_names.items():
        if len(last) < _MIN_NAME or last in names:
            continue
        names[last] = aliases.pop() if len(aliases) == 1 else AMBIGUOUS
    return people, Replacer(names)


def pseudonymise_bundle(bundle: Bundle) -> Bundle:
    """A deep copy of `bundle` where interviewees' names are replaced by stable pseudonyms."""
    out = copy.deepcopy(bundle)
    people, replace = build_replacer(out)
    for interview in out.interviews:
        for person in interview.interviewees:
            key = _key(person.name)
            if key:
                person.name = people[key]
            person.role = replace(person.role)
            person.extra = {}            # may hold contact details
        interview.notes = replace(interview.notes)
        for answer in interview.answers.values():
            answer.text = replace(answer.text)
            for version in answer.concurrent:
                version.text = replace(version.text)
    project = out.project
    project.characteristics = replace(project.characteristics)
    project.title = one_line(replace(project.title))
    out.extra["pseudonymised"] = True
    return out
