"""Finding people in free text: every mention of a known person, and nothing else.

`NameFinder(people, common_words)` knows each person's name words (folded: case and accents
ignored) and finds, in one pass over a text:
- full names in any order and with any separators ("Jean Dupont", "DUPONT Jean",
  "Jean-Dupont", "jean_dupont" in a file name), parts alone ("Dupont", "Karim"), initials
  before a name ("J. Dupont", "J.-C. Dupont", "Mme N. Petit"), initials alone when they belong
  to one known person ("J. D."), civility forms, which go with the name ("M. Dupont",
  "Madame Petit", "Dr Benali" -> "Personne 01"), elided forms ("d’Amélie" -> "de Personne 02"),
  hyphenated compounds ("Petit-Renaud": a known part joined to unknown capitalised parts is
  masked whole as "[nom masqué]", never attributed to the wrong person);
- e-mail addresses ("[courriel masqué]") and phone numbers ("[téléphone masqué]").

A name word that is also an ordinary word (`common_words`: a built-in list of French words that
are frequent names, plus any word the texts use in lower case) is a name only where it is used
as one: capitalised and not at the start of a sentence, or next to a civility, an initial or
another part of the same person's name. "Un petit nombre" and "Petit à petit" stay; "selon
Petit" and "Nathalie Petit" do not. A capitalised common word next to an unknown capitalised
word ("DIRECCTE Grand Est") is taken as another proper noun and left (and listed as a risk).

A part shared by several people ("Jean" for Jean Dupont and Jean Martin) goes to the one among
them met in the same interview (`scope`), else becomes "[nom masqué]": a quote is never given to
the wrong person. Every replacement is returned as a `Span` of the original text, so callers (and
the tests) can check that nothing but names changed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pi87_field.core.privacy.detect import EMAIL_MASK, INVISIBLE, PHONE_MASK, contact_spans
from pi87_field.core.privacy.lexicon import ordinary_words
from pi87_field.core.text import fold, fold_with_positions

AMBIGUOUS = "[nom masqué]"
__all__ = ["AMBIGUOUS", "EMAIL_MASK", "PHONE_MASK", "NameFinder", "Span", "apply_spans", "word_spans"]

PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "van", "von", "der", "den", "da", "di", "del",
                       "della", "dos", "mc", "mac", "ben", "bin", "el", "al", "ibn", "ter", "ten"})
_CIVILITIES = {"m": True, "mm": True, "mme": False, "mmes": False, "mlle": False, "mlles": False,
               "monsieur": False, "messieurs": False, "madame": False, "mesdames": False,
               "mademoiselle": False, "dr": False, "docteur": False, "docteure": False, "pr": False,
               "professeur": False, "professeure": False, "me": False, "maitre": False}
# value: the form needs a dot after it to be a civility ("M." yes, "M" alone no); "Me" (maître)
# only with its capital ("me" is a pronoun); in lower case only the long forms ("madame Petit")
_LOWER_CIVILITIES = {"monsieur", "madame", "mademoiselle", "messieurs", "mesdames"}
_ELISIONS = {"d": "de", "qu": "que", "lorsqu": "lorsque", "puisqu": "puisque", "jusqu": "jusque"}

# French words that are also names, likely to open a sentence of a write-up in their ordinary
# sense ("Petit à petit", "Grand nombre de…"), written with their accents: "Marie" is a name,
# "marié" a word. The texts being pseudonymised add every name word they use in lower case.
COMMON_NAME_WORDS = frozenset("""
petit petite grand grande blanc blanche noir noire brun brune roux fort forte bon bonne bel belle
beau vrai vraie doux constant constante modeste juste simple jeune vieux neuf long longue court
haut haute bas basse gros grosse sage parfait durant masse chance page garde champ champs pont
port roche bois mars mai juin france paix guerre bonheur sauvage berger boucher marchand meunier
mercier charpentier maçon boulanger chevalier fontaine rivière moulin marié mariée marine clément
aimé parfait saint sainte lion loup renard merle coq lapin roi reine prince fleur vallée jardin
lac mer mur pré côte croix rose olive claire clair patience prudence victoire espérance auguste
ange dieu abbé juge maire maréchal comte duc baron marquis lune soleil vigne blé tour
""".split())

_WORD = re.compile(r"[^\W_]+")
_STRIP_INVISIBLE = {ord(c): None for c in INVISIBLE}
_INITIALS = re.compile(r"(?<![^\W_])[^\W\d_]\.[ \u00a0-]?[^\W\d_]\.")
_SENTENCE_END = set(".!?…")
_OPENERS = set("«\"“‘'([—–-*•")
_QUOTES = set("«\"“")


@dataclass(frozen=True)
class Span:
    """A replacement: original[start:end] becomes `replacement`."""

    start: int
    end: int
    original: str
    replacement: str
    kind: str = "name"          # name, email, phone, ambiguous, role, organisation


@dataclass
class Person:
    key: str
    label: str
    tokens: frozenset[str]      # folded name words, particles left out
    ordered: tuple[str, ...]    # folded name words in the order written (initials)
    particles: frozenset[str] = frozenset()   # "de", "la" of "de la Tour"


@dataclass
class _Item:
    start: int
    end: int
    kind: str                   # name, civility, initial, particle
    token: str = ""             # folded word (name) / letter (initial)
    weak: bool = False          # an ordinary word too: needs support to count as a name
    lower: bool = False         # written in lower case (a name only joined to the rest of the name)
    sentence_start: bool = False
    title_case: bool = False


@dataclass
class Finding:
    """Spans to replace, and the name words left in place (for the residual-risk report)."""

    spans: list[Span] = field(default_factory=list)
    left: list[tuple[int, int, str]] = field(default_factory=list)   # (start, end, reason)


def _case(word: str) -> str:
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if sum(c.isalpha() for c in word) > 1 else "title"
    return "title" if word[0].isupper() else "mixed"


def is_sentence_start(text: str, start: int) -> bool:
    """True at the start of the text, of a line, or after . ! ? … (skipping quotes and brackets)."""
    i = start - 1
    while i >= 0 and (text[i] in " \t\u00a0\u202f" or text[i] in _OPENERS):
        if text[i] in _QUOTES:       # a quotation starts its own sentence
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i] == "\n"


# A word: letters and digits, with the combining accents of decomposed (NFD) text inside it.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD_RAW = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}]|[{INVISIBLE}](?=[^\W_]))*")
# The pieces of one written word that are words of their own: "Dupont2019" -> Dupont, 2019;
# "JPDupont" -> JP, Dupont; "EntretienDupont" -> Entretien, Dupont (names glued in file names).
_UP = "".join(c for c in map(chr, range(0x250)) if c.isupper() and c.isalpha())
_LO = "".join(c for c in map(chr, range(0x250)) if c.islower() and c.isalpha())
_M = f"[{_MARKS}{INVISIBLE}]"
_PIECES = re.compile(rf"[{_UP}]{_M}*(?:[{_LO}]{_M}*)+|[{_UP}](?:{_M}*[{_UP}])*(?!{_M}*[{_LO}])|(?:[{_LO}]{_M}*)+|\d+|\S")
_MIXED = re.compile(rf"[{_LO}]{_M}*[{_UP}]|\d|[{_UP}]{_M}*[{_UP}]{_M}*[{_LO}]")


# Every combining mark (what `text.fold` drops after NFKD), as one class: the same folding at C speed.
def _combining_class() -> str:
    codes = [c for c in range(0x30000) if unicodedata.combining(chr(c))]
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


_COMBINING = re.compile(f"[{_combining_class()}]+")
_LATIN_ACCENTS = re.compile("[\u0300-\u034e\u0350-\u036f]+")   # Latin accents (U+034F is no mark)
_LOW = re.compile("[\x00-\u0482]+")                 # no other combining mark comes before U+0483


def fast_fold(value: str) -> str:
    """Exactly `text.fold(value)`, without a Python step per character (long answers): the Latin
    accents are removed with a small class; the long class of every other combining mark is only
    run when the text has such a mark."""
    folded = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", value.casefold()))
    if _COMBINING.search(_LOW.sub("", folded)):
        folded = _COMBINING.sub("", folded)
    return folded


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fast_fold(word.translate(_STRIP_INVISIBLE))


@functools.lru_cache(maxsize=65536)
def _pieces(word: str) -> tuple[tuple[int, int], ...]:
    """Where a written word splits into words ((0, len) for a plain word)."""
    if not _MIXED.search(word):
        return ((0, len(word)),)
    return tuple((m.start(), m.end()) for m in _PIECES.finditer(word))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of every word of `text`, positions in `text` itself.

    Words are cut on the text itself and folded one by one (`text.fold`, cached): the same
    result as cutting the folded text (`fold_with_positions`), five times faster on long answers.
    A word whose folded form is not one word ("½") is cut again in its folded form."""
    out: list[tuple[int, int, str]] = []
    for m in _WORD_RAW.finditer(text):
        base = m.start()
        if unicodedata.combining(text[base]):       # a stray accent with no letter before it
            continue
        raw_word = m.group(0)
        if raw_word.isalpha() and (raw_word.islower() or raw_word[1:].islower() or len(raw_word) == 1):
            folded = _fold_word(raw_word)           # the common case: one plain word
            if folded.isalnum():
                out.append((base, m.end(), folded))
                continue
        for a, b in _pieces(raw_word):
            raw = raw_word[a:b]
            start = base + a
            folded = _fold_word(raw)
            if folded.isalnum():
                out.append((start, start + len(raw), folded))
                continue
            part, positions = fold_with_positions(raw.translate(_STRIP_INVISIBLE))
            if len(part) and raw.translate(_STRIP_INVISIBLE) != raw:
                out.append((start, start + len(raw), "".join(_WORD.findall(part))))
                continue
            for w in _WORD.finditer(part):
                out.append((start + positions[w.start()], start + positions[w.end() - 1] + 1, w.group(0)))
    return out


def _joined(text: str, end: int, start: int) -> bool:
    """Two words separated only by what joins the parts of one name: spaces (not a line break),
    a hyphen, an underscore, or a dot followed by no space ("jean.dupont")."""
    gap = text[end:start]
    if not gap:
        return True                  # pieces of one written word: "JPDupont", "Dupont2019"
    if len(gap) <= 3 and all(c in " \u00a0\u202f" for c in gap):
        return True
    return gap in ("-", "‐", "‑", "_", ".")


class NameFinder:
    def __init__(self, people: Iterable[tuple[str, str, str]], common_words: Iterable[str] = (),
                 ) -> None:
        """`people`: (key, label, name as written). `common_words`: more ordinary words than the
        built-in ones (the field's lexicon is always there: `lexicon.ordinary_words`)."""
        self.people: dict[str, Person] = {}
        self.by_token: dict[str, set[str]] = {}
        for key, label, name in people:
            words = [w for w in _WORD.findall(fold(name))]
            tokens = frozenset(w for w in words if w not in PARTICLES and len(w) >= 2)
            if not tokens:
                continue
            self.people[key] = Person(key, label, tokens, tuple(w for w in words if w not in PARTICLES),
                                      frozenset(w for w in words if w in PARTICLES))
            for token in tokens:
                self.by_token.setdefault(token, set()).add(key)
        self.common = frozenset(fold(w) for w in common_words) | ordinary_words()
        self._named: set[str] = set()       # weak name words used as names earlier in this text
        self.initials: dict[str, set[str]] = {}
        for key, person in self.people.items():
            if len(person.ordered) >= 2:
                self.initials.setdefault("".join(w[0] for w in person.ordered), set()).add(key)

    @property
    def tokens(self) -> set[str]:
        return set(self.by_token)

    def _may_name(self, text: str) -> bool:
        """Cheap test first: most texts hold no name word at all (whole-text fold is C-fast)."""
        folded = fast_fold(text)
        if any(c in text for c in INVISIBLE):
            folded = folded.translate(_STRIP_INVISIBLE)
        return any(token in folded for token in self.by_token) or bool(_INITIALS.search(text))

    # -- one text --------------------------------------------------------------------------------

    def find(self, text: str, scope: Iterable[str] = ()) -> Finding:
        finding = Finding()
        if not text:
            return finding
        scope = set(scope)
        self._named = set()
        for start, end, mask, kind in contact_spans(text):
            finding.spans.append(Span(start, end, text[start:end], mask, kind))
        if not self._may_name(text):
            return finding
        taken = sorted((s.start, s.end) for s in finding.spans)
        words = word_spans(text)
        if taken:
            words = [w for w in words if not any(a <= w[0] < b for a, b in taken)]
        items = [self._item(text, w) for w in words]
        groups = self._groups(text, items, words)
        for group in groups:
            self._resolve(text, group, scope, finding)
        finding.spans.sort(key=lambda s: s.start)
        return finding

    def replace(self, text: str, scope: Iterable[str] = ()) -> str:
        return apply_spans(text, self.find(text, scope).spans)

    def _item(self, text: str, word: tuple[int, int, str]) -> _Item | None:
        start, end, token = word
        if not (token in self.by_token or token in _CIVILITIES or token in PARTICLES or end - start <= 3):
            return None
        raw = text[start:end]
        case = _case(raw)
        after = text[end:end + 1]
        if token in self.by_token and len(token) >= 2:
            # a name word that is an ordinary word ("rose", "évaluateur") is a name in lower case
            # only inside a file name or joined to the rest of the name ("jean_dupont")
            weak = raw.lower() in COMMON_NAME_WORDS or token in self.common
            if case == "mixed":
                return None
            return _Item(start, end, "name", token, weak=weak, lower=case == "lower",
                         sentence_start=is_sentence_start(text, start), title_case=case in ("title", "upper"))
        if token in _CIVILITIES:
            if _CIVILITIES[token] and after != ".":
                return None
            if token == "me" and raw != "Me":
                return None
            if case == "lower" and token not in _LOWER_CIVILITIES:
                return None
            return _Item(start, end + (1 if after == "." else 0), "civility", token)
        if len(token) == 1 and raw.isupper() and after == ".":
            return _Item(start, end + 1, "initial", token)
        if (len(token) == 1 and raw.isupper() and after in ("'", "’") and token not in ("d", "l")
                and text[end + 1:end + 2].isupper()):
            return _Item(start, end + 1, "initial", token)      # the "N'" of "N'Diaye"
        if token in PARTICLES and (case == "lower" or (case == "title" and len(token) >= 2)):
            return _Item(start, end, "particle", token)    # "de la Tour", "Le Gall", "De La Tour"
        if 2 <= len(token) <= 3 and raw.isupper() and raw.isalpha() and (text[end:end + 1] in (" ", "\u00a0", "")
                                                                    or text[end:end + 1].isupper()):
            return _Item(start, end, "initials", token)    # "JP Dupont", "CR_JPDupont"
        return None

    def _groups(self, text: str, items: list[_Item | None], words: list[tuple[int, int, str]]) -> list[list[_Item]]:
        """Runs of consecutive items joined like the parts of one name."""
        groups: list[list[_Item]] = []
        current: list[_Item] = []
        for i, item in enumerate(items):
            if item is None:
                if current:
                    groups.append(current)
                current = []
                continue
            if current and not _joined(text, current[-1].end, item.start):
                # "J.-C." or "N. Petit": an initial's dot is inside the item; allow a following space
                gap = text[current[-1].end:item.start]
                if not (current[-1].kind in ("initial", "civility") and gap in (" ", "\u00a0", "-", "")):
                    groups.append(current)
                    current = []
            current.append(item)
        if current:
            groups.append(current)
        out = []
        for group in groups:
            while group and group[-1].kind != "name" and not (group[-1].kind == "initial" and len(group) > 1):
                group = group[:-1]
            if group and all(g.kind == "particle" for g in group):
                continue
            if group:
                out.append(group)
        return out

    def _resolve(self, text: str, group: list[_Item], scope: set[str], finding: Finding) -> None:
        lead = []
        while group and group[0].kind == "particle":      # "de la" before "Tour": kept if theirs
            lead.append(group[0])
            group = group[1:]
        names = [g for g in group if g.kind == "name"]
        if not names:
            self._initials_only(text, [g for g in group if g.kind != "initials"], scope, finding)
            return
        # capital initials ("JP") count only where they are those of a person of the name
        # ("JP Dupont" for Jean Dupont: yes; "CR Jean Dupont.json": no)
        tokens_all = {n.token for n in names}
        firsts = {p.ordered[0][0] for p in self.people.values() if tokens_all & p.tokens}
        group = [g for g in group if g.kind != "initials"
                 or (g.token[0] in firsts and _joined(text, g.end, names[0].start) and g.end <= names[0].start)]
        initials = [g for g in group if g.kind in ("initial", "initials")]
        strong = [n for n in names if not n.weak]
        titled = [n for n in names if n.title_case]
        whole = len(titled) >= 2 and any({n.token for n in titled} <= p.tokens for p in self.people.values())
        own_particles = bool(lead) and any({n.token for n in names} <= p.tokens and p.particles
                                           and {x.token for x in lead} <= p.particles for p in self.people.values())
        supported = (bool(strong) or whole or own_particles
                     or any(g.kind in ("civility", "initial", "initials") for g in group))
        accepted = []
        for n in names:
            if not n.weak:
                accepted.append(n)
            elif n.title_case and (supported or (not n.sentence_start and not self._proper_neighbour(text, n))
                                   or (n.sentence_start and n.token in self._named
                                       and not _idiom(text, n))):
                # "M. Petit, son trésorier. Petit a ensuite convaincu…": named earlier in this text
                accepted.append(n)
            elif n.lower and _file_name_part(text, n.start, n.end):
                accepted.append(n)          # "unml_boulanger_morvan.docx"
        if supported:
            self._named.update(n.token for n in accepted if n.weak)
        weak_lower = [n for n in names if n.weak and n.lower and n not in accepted]
        if weak_lower and strong:
            # "jean_dupont": a lower-case ordinary word is a name only as part of the same full name
            tokens = {n.token for n in accepted} | {n.token for n in weak_lower}
            if any(tokens <= p.tokens for p in self.people.values()):
                accepted = sorted([*accepted, *weak_lower], key=lambda n: n.start)
        for n in names:
            if n not in accepted and n.title_case:
                finding.left.append((n.start, n.end, "nom connu laissé (mot courant)"))
            elif n not in accepted and n.lower and n.token not in self.common and n.token not in COMMON_NAME_WORDS:
                finding.left.append((n.start, n.end, "nom connu laissé (en minuscules)"))
        if not accepted:
            return
        first = accepted[0]
        head = [g for g in group if g.end <= first.start and g.kind in ("civility", "initial", "initials")]
        group = [*head, *(g for g in group if first.start <= g.start <= accepted[-1].start
                          and (g.kind != "name" or g in accepted))]
        tokens = {n.token for n in accepted}
        candidates = [k for k, p in self.people.items() if tokens <= p.tokens]
        if initials and candidates:
            letters = set("".join(i.token for i in initials if i.kind == "initial"))
            narrowed = [k for k in candidates if letters <= {w[0] for w in self.people[k].ordered}]
            if narrowed:
                candidates = narrowed
            else:       # "J.-C. Dupont" is another Dupont than Jean: attributed to nobody
                candidates = []
                self._emit(text, group, None, finding)
                return
        if not candidates:
            # parts of different people side by side: each part on its own
            for n in accepted:
                if not n.lower or not n.weak or _file_name_part(text, n.start, n.end):
                    self._emit(text, [n], self._pick(self.by_token[n.token], scope), finding)
            return
        key = self._pick(set(candidates), scope)
        if key and lead and group[0] is first and {p.token for p in lead} <= self.people[key].particles:
            group = [*lead, *group]
        self._emit(text, group, key, finding)

    def _proper_neighbour(self, text: str, item: _Item) -> bool:
        """A capitalised unknown word joined to this one: "Grand Est", "Petit-Bourg"."""
        before = re.search(r"([^\W\d_]+)[ \u00a0\-]$", text[max(0, item.start - 40):item.start])
        after = re.match(r"[ \u00a0\-]([^\W\d_]+)", text[item.end:item.end + 40])
        for m in (before, after):
            if m and _case(m.group(1)) in ("title", "upper") and fold(m.group(1)) not in self.by_token \
                    and fold(m.group(1)) not in _CIVILITIES:
                if m is before and is_sentence_start(text, item.start - len(m.group(0))) \
                        and fold(m.group(1)) in self.common and fold(m.group(1)) not in _ARTICLES:
                    continue            # "Selon Marchand": an ordinary word opening the sentence
                return True
        return False

    def _compound_part(self, word: str) -> bool:
        return _case(word) == "title" and fold(word) not in self.by_token

    def _pick(self, candidates: set[str], scope: set[str]) -> str | None:
        if len(candidates) == 1:
            return next(iter(candidates))
        inside = candidates & scope
        return next(iter(inside)) if len(inside) == 1 else None

    def _emit(self, text: str, group: list[_Item], key: str | None, finding: Finding) -> None:
        start, end = group[0].start, group[-1].end
        label = self.people[key].label if key else AMBIGUOUS
        kind = "name" if key else "ambiguous"
        # a hyphenated compound with unknown capitalised parts: masked whole, attributed to nobody
        left = re.search(r"([^\W\d_]+)-$", text[max(0, start - 40):start])
        right = re.match(r"-([^\W\d_]+)", text[end:end + 40])
        # not "IDF-Blanc", not another person's name ("Blanc-Nguyen" are two people)
        left_part = left.group(1) if left and self._compound_part(left.group(1)) else ""
        right_part = right.group(1) if right and self._compound_part(right.group(1)) else ""
        in_file_name = bool(_FILE_EXTENSION.search(text[end:].split(" ", 1)[0]))
        if (left_part or right_part) and not in_file_name:
            if fold(left_part) in _SAINTS:
                return                      # "Saint-Laurent-du-Maroni": a place
            start -= len(left_part) + 1 if left_part else 0
            end += len(right_part) + 1 if right_part else 0
            label, kind = AMBIGUOUS, "ambiguous"
        elided = re.search(r"(?<![^\W\d_])([^\W\d_]+)['’]$", text[max(0, start - 12):start])
        if (elided and key and len(elided.group(1)) == 1 and elided.group(1).isupper()
                and fold(elided.group(1)) in self.people[key].ordered):
            start -= len(elided.group(0))        # "N'Diaye", "O'Brien": the letter is the name's
        elif elided and elided.group(1).lower() in _ELISIONS:
            full = _ELISIONS[elided.group(1).lower()]
            if elided.group(1)[0].isupper():
                full = full[0].upper() + full[1:]
            start -= len(elided.group(0))
            label = f"{full} {label}"
        if any(s.start < end and start < s.end for s in finding.spans):
            return
        finding.spans.append(Span(start, end, text[start:end], label, kind))

    def _initials_only(self, text: str, group: list[_Item], scope: set[str], finding: Finding) -> None:
        initials = [g for g in group if g.kind == "initial"]
        if len(initials) < 2 or len(initials) != len(group):
            return
        letters = "".join(i.token for i in initials)
        candidates = self.initials.get(letters, set())
        key = self._pick(candidates, scope) if candidates else None
        if key is None:
            if candidates:
                finding.left.append((group[0].start, group[-1].end, "initiales de plusieurs personnes"))
            return
        finding.spans.append(Span(group[0].start, group[-1].end, text[group[0].start:group[-1].end],
                                  self.people[key].label, "name"))


_SAINTS = {"saint", "sainte", "st", "ste", "san", "santa"}
# "Petit à petit", "Tour à tour", "Petit à Petit": the word again after a preposition is an idiom
_IDIOM = re.compile(r"\s+(?:à|a|en|sur|par)\s+(?P<again>[^\W\d_]+)")
_ARTICLES = PARTICLES | {"les", "l", "un", "une"}     # "La Fontaine aux Loups", "Le Petit Prince"
_FILE_EXTENSION = re.compile(r"\.(?:docx?|odt|json|xlsx?|ods|pdf|txt|vtt|srt|csv|pptx?|zip)\b", re.IGNORECASE)


def _idiom(text: str, item: _Item) -> bool:
    m = _IDIOM.match(text, item.end)
    return m is not None and fold(m.group("again")) == item.token


def _file_name_part(text: str, start: int, end: int) -> bool:
    """A word inside a file name ("dupont.docx", "cr_dupont2019.xlsx", "unml_boulanger_morvan")."""
    token = re.split(r"[\s,;()«»\"]", text[max(0, start - 80):start])[-1] + re.split(r"[\s,;()«»\"]", text[start:end + 80])[0]
    return "_" in token or bool(_FILE_EXTENSION.search(token))





def apply_spans(text: str, spans: list[Span]) -> str:
    """`text` with every span replaced (spans sorted, not overlapping)."""
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(text[last:span.start])
        pieces.append(span.replacement)
        if span.replacement[-1:].isdigit() and text[span.end:span.end + 1].isdigit():
            pieces.append(" ")          # "Dupont2019" -> "Personne 01 2019", not "Personne 012019"
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)
