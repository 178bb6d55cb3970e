"""The words of the field that are not people: what lets the detector of names leave them alone.

Two word lists ship with the package (folded: lower case, no accents, one word a line):
- `ordinary.txt`: words French writing in this field uses in lower case (the final report of the
  PI 8.7 evaluation, the interview grids, the evaluation framework, the tool's own French
  messages and demo answers, spaCy's French stop words).
  A name word that is also one of these ("rose", "claire", "petit", "marchand"…) is *weak*: it is
  a name only where it is used as one (next to a civility, an initial or another part of the
  name, or tagged as a person by the French model in its sentence), never alone at the start of
  a sentence, never in lower case.
- `domain.txt`: words the report writes with a capital (organisations, programmes, places,
  headings: "Pôle", "Emploi", "DIRECCTE", "Garantie", "Jeunes", "Bilan", "Sénart"…), plus the
  campaign's organisations. A span the French model calls a person but made only of these words
  ("Pôle Emploi", "DIRECCTE Grand Est", "Garantie Jeunes") is not a person.

The report's own people (the one interviewee it names) are kept out of both lists.
Rebuild after changing the sources:

    .venv/bin/python -m pi87_field.core.privacy.lexicon ../shared/seed/000_b814e8720ab1cfd5.txt
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

from pi87_field.core.text import fold

_HERE = Path(__file__).parent
ORDINARY_FILE = _HERE / "ordinary.txt"
DOMAIN_FILE = _HERE / "domain.txt"
# People the report names: never in a list of words that are not people.
_REPORT_PEOPLE = {"miloslava", "molnarova"}
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def ordinary_words() -> frozenset[str]:
    return frozenset(ORDINARY_FILE.read_text(encoding="utf-8").split())


@functools.cache
def domain_words() -> frozenset[str]:
    return frozenset(DOMAIN_FILE.read_text(encoding="utf-8").split())


def _build(sources: list[str]) -> tuple[set[str], set[str]]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    from pi87_field.core.campaign import CASE_STUDIES, CASE_STUDY_LABELS, QUALITATIVE_INTERVIEWS

    ordinary = {fold(w) for w in STOP_WORDS}
    domain: set[str] = set()
    for text in sources:
        for word in _WORD.findall(text):
            if len(word) < 2:
                continue
            (ordinary if word.islower() else domain).add(fold(word))
    for name in [*QUALITATIVE_INTERVIEWS, *CASE_STUDY_LABELS.values(), *(str(v) for c in CASE_STUDIES for v in c[:7])]:
        domain.update(fold(w) for w in _WORD.findall(name) if len(w) >= 2)
    return ordinary - _REPORT_PEOPLE, domain - _REPORT_PEOPLE


def _french_strings(package: Path) -> list[str]:
    """The French the tool itself writes (messages, labels, the demo's answers): its string
    literals that hold an accented letter or a space, so that its own words are known."""
    import ast

    out = []
    for path in sorted(package.rglob("*.py")):
        if "privacy" in path.relative_to(package).parts:      # its examples are names
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and len(node.value.split()) >= 3 and re.search(r"[éèêàâçùûôî]", node.value):
                out.append(node.value)
    return out


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[3]
    sources = [Path(a).read_text(encoding="utf-8") for a in argv]
    sources += [p.read_text(encoding="utf-8") for p in sorted((root / "interview_guides").glob("*.yaml"))]
    sources += _french_strings(root / "pi87_field")
    ordinary, domain = _build(sources)
    ORDINARY_FILE.write_text("\n".join(sorted(ordinary)) + "\n", encoding="utf-8")
    DOMAIN_FILE.write_text("\n".join(sorted(domain)) + "\n", encoding="utf-8")
    print(f"{len(ordinary)} ordinary words, {len(domain)} domain words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
