"""Pseudonymising bundles: every person replaced, with one register, and what was left listed.

`pseudonymise_bundles(bundles, register, level)` returns deep copies of the bundles where:
- interviewees are "Personne NN" and evaluators (interviewers, authors of answers and of
  concurrent versions) "Enquêteur·rice NN", numbered by the register (see `register`): the same
  person has the same label in every project, every export and every volume;
- every mention of a known person (anyone in the register, not only this project's people) is
  replaced in every text the bundle carries, found by `names.NameFinder`: answers, concurrent
  versions and their source file names, notes, the project's facts, and any other text field a
  newer version of pi87-field adds (review notes…), since the whole bundle is walked; only
  identifiers, dates, states and vocabularies are skipped. E-mail addresses and phone numbers are
  masked; the interviewees' extra fields (contact details) are dropped, and so is the history
  kept for re-import (answers' ancestors, facts' `fact_history` and `fact_conflicts`: hashes of
  past values could confirm a guessed name, and old values may hold old names);
- at the strict level (`STRICT`), roles and organisations become their category (see
  `categories`), in the facts and in the texts;
- `extra["pseudonymised"] = True` and `extra["pseudonymisation"] = level` mark the bundle: it is
  refused by `import` and kept apart by `merge`.

The `ResidualReport` lists, per project, the capitalised words left in place that look like
names (not at the start of a sentence, not an acronym, not a word of the project's public facts
or of the grid's questions), and the known name words left because they were used as ordinary
words: the evaluator reads it before sending. It goes to the terminal and to a sidecar text file,
never into the document.

Bundles already pseudonymised are passed through unchanged; their labels' numbers are reserved
so that nobody else gets them in the same output.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from pi87_field.core.bundle import Bundle, bundle_from_dict, bundle_to_dict
from pi87_field.core.errors import FieldError
from pi87_field.core.model import Interview
from pi87_field.core.money import format_int
from pi87_field.core.privacy.categories import (
    ORGANISATION_MASK,
    distinctive_words,
    organisation_category,
    role_category,
)
from pi87_field.core.privacy.detect import ProseDetector
from pi87_field.core.privacy.lexicon import ordinary_words
from pi87_field.core.privacy.names import (
    AMBIGUOUS,
    PARTICLES,
    NameFinder,
    Span,
    apply_spans,
    is_sentence_start,
)
from pi87_field.core.privacy.register import (
    EVALUATOR,
    LABEL_RE,
    PERSON,
    PseudonymRegister,
    person_key,
    sheet_name,
)
from pi87_field.core.summary import ordered_interviews
from pi87_field.core.text import fold, fold_with_positions, one_line

PEOPLE = "people"
STRICT = "strict"
LEVELS = (PEOPLE, STRICT)
LEVEL_LABELS = {PEOPLE: "personnes", STRICT: "strict (personnes, fonctions et organismes)"}

__all__ = ["AMBIGUOUS", "LEVELS", "PEOPLE", "STRICT", "Pseudonymiser", "ResidualItem", "ResidualReport",
           "people_of", "pseudonymise_bundle", "pseudonymise_bundles", "pseudonymise_labels",
           "pseudonymiser_for"]

# Keys whose values are identifiers, dates, states or controlled vocabularies: never names.
_SKIP = frozenset({"id", "project_id", "format", "exported_at", "kind", "os", "fse_amount", "created_at",
                   "updated_at", "guide_id", "guide_version", "date", "mode", "consent", "status", "state",
                   "ancestors", "volet", "territorial_level", "operation_type", "digital", "innovation_steps",
                   "pseudonymised", "pseudonymisation", "rev", "sha256"})
# A word that starts with a capital letter (only those can look like names: no need to cut the rest)
_UPPER = "".join(c for c in map(chr, range(0x3000)) if c.isupper() and c.isalpha())
_CAPITALISED = re.compile(rf"(?<![^\W_])[{re.escape(_UPPER)}](?:[^\W_]|[\u0300-\u036f])*")
_HISTORY = frozenset({"fact_history", "fact_conflicts"})
# What may be a phone number or an e-mail address the detectors did not take: listed, never silent.
_CONTACT_HINT = re.compile(r"@|[(\[]\s*(?:at|arobase)\s*[)\]]|\d(?:[\s./-]?\d){8}")
_CONTACT_LEFT = re.compile(r"\S+@\S+|\S+\s*[(\[]\s*(?:at|arobase)\s*[)\]]\s*\S+|\+?\d(?:[\s./-]?\d){8,}")
# Capitalised words of ordinary French writing in this field: not worth a line in the report.
_NOT_NAMES = frozenset(fold(w) for w in """
Personne Enquêteur rice État Etat France Europe Union Pôle Emploi Mission Missions Locale Locales
Région Régions Département Fonds Social Européen FSE Conseil Direction Ministère Travail Plan
Programme Opérateur Services Service Agence Maison Cap Alliance Alliances Villes Ville Emploi
Internet Web Excel Word LibreOffice PDF Covid Janvier Février Mars Avril Mai Juin Juillet Août
Septembre Octobre Novembre Décembre Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche
Monsieur Madame Mademoiselle Mme Mlle Dr Me Île Ile Nord Sud Est Ouest Grand
""".split())


@dataclass
class ResidualItem:
    word: str
    project_id: str
    count: int
    reason: str
    example: str


@dataclass
class ResidualReport:
    """Name-like words left in place, for a person to check before sending."""

    level: str = PEOPLE
    items: list[ResidualItem] = field(default_factory=list)

    def only(self, project_ids: Iterable[str]) -> ResidualReport:
        wanted = set(project_ids)
        return ResidualReport(self.level, [i for i in self.items if i.project_id in wanted])

    def lines(self) -> list[str]:
        if not self.items:
            return ["Aucun mot à vérifier : aucun mot à majuscule ressemblant à un nom n'a été laissé."]
        n = len(self.items)
        left = "mot à majuscule laissé tel quel" if n == 1 else "mots à majuscule laissés tels quels"
        out = [f"{format_int(n)} {left}, à vérifier avant l'envoi :"]
        for item in sorted(self.items, key=lambda i: (i.project_id, fold(i.word))):
            times = f" ×{item.count}" if item.count > 1 else ""
            out.append(f"  {item.project_id} · {item.word}{times} — {item.reason} — « {item.example} »")
        return out

    def text(self, title: str) -> str:
        head = [
            f"Pseudonymisation ({LEVEL_LABELS.get(self.level, self.level)}) — {title}",
            "À VÉRIFIER AVANT L'ENVOI. Ce fichier n'est pas à transmettre : il cite le texte autour des mots",
            "laissés en place. Un nom de personne oublié se corrige dans le magasin (ou s'ajoute comme",
            "personne interrogée) avant d'exporter à nouveau.",
            "",
        ]
        return "\n".join(head + self.lines()) + "\n"


def people_of(interviews: Iterable[Interview]) -> list[tuple[str, str]]:
    """(name, kind) in a stable order: interviewees in interview order, then evaluators."""
    people: list[tuple[str, str]] = []
    evaluators: list[tuple[str, str]] = []
    for interview in ordered_interviews(interviews):
        people += [(p.name, PERSON) for p in interview.interviewees if p.name]
        evaluators.append((interview.interviewer, EVALUATOR))
        for answer in interview.answers.values():
            evaluators.append((answer.author, EVALUATOR))
            evaluators += [(v.author, EVALUATOR) for v in answer.concurrent]
        evaluators += [(author, EVALUATOR) for author in _review_authors(interview)]
    return people + evaluators


def _review_authors(interview: Interview) -> list[str]:
    """Authors of the reviewers' notes (Word comments brought back by import): typed
    `Interview.review_notes` where the model has them, else the same JSON kept in `extra`."""
    notes = getattr(interview, "review_notes", None) or interview.extra.get("review_notes") or {}
    out = []
    if isinstance(notes, dict):
        for items in notes.values():
            for note in items if isinstance(items, list) else []:
                author = note.get("author") if isinstance(note, dict) else getattr(note, "author", "")
                if isinstance(author, str) and author:
                    out.append(author)
    return out


def _strings(value: Any, key: str = "") -> Iterable[str]:
    if key in _SKIP:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _walk(value: Any, fn: Callable[[str], str], key: str = "") -> Any:
    if key in _SKIP:
        return value
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _walk(v, fn, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, fn, key) for v in value]
    return value


class NamedProjectId(FieldError):
    """A project id holding a person's name: it would stay in file names and tables."""


class Pseudonymiser:
    """The replacements of one run: a name finder over the whole register, the people the
    `detector` found in the texts (civilities, the French model), and at the strict level the
    roles' and organisations' phrases. `spans(text, scope)` says what would change."""

    def __init__(self, register: PseudonymRegister, level: str, detector: ProseDetector | None = None,
                 strict_people: Sequence[tuple[str, str]] = (), public_words: AbstractSet[str] = frozenset()) -> None:
        self.register = register
        self.level = level
        self.detector = detector or ProseDetector()
        people = [(e.key, e.label, sheet_name(e.name)) for e in register.entries()]
        self.finder = NameFinder(people)
        self.public_words = public_words
        self.phrases: dict[str, str] = {}
        names: dict[str, str] = {}          # distinctive words of organisations, as written
        if level == STRICT:
            for role, organisation in strict_people:
                # a role of several words can single someone out ("Directeur des opérations Grand
                # Est"); one word ("Directeur") is a common noun of the texts and stays
                if role and len(_words(role)) >= 2:
                    self.phrases.setdefault(" ".join(_words(role)), role_category(role))
                if organisation and len(fold(organisation)) >= 3:
                    category = organisation_category(organisation)
                    self.phrases.setdefault(" ".join(_words(organisation)), category)
                    for run in _distinctive_runs(organisation):
                        if len(run) > 1:
                            names.setdefault(" ".join(run), ORGANISATION_MASK)
                        for word in run:        # alone: only a word that is no ordinary word
                            if fold(word) not in public_words and fold(word) not in ordinary_words():
                                names.setdefault(word, ORGANISATION_MASK)
        self._phrase_re = None
        if self.phrases:
            alternatives = "|".join(r"[\W_]+".join(map(re.escape, p.split()))
                                    for p in sorted(self.phrases, key=len, reverse=True))
            self._phrase_re = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
        # the words that name an organisation ("Avenir Jeunes", "Temporis"): only as written, with
        # their capitals; "un avenir pour les jeunes" stays
        self._names_re = None
        if names:
            alternatives = "|".join(r"[\W_]+".join(map(re.escape, n.split()))
                                    for n in sorted(names, key=len, reverse=True))
            self._names_re = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")

    def label(self, name: str) -> str:
        return self.register.label_for(name) or (AMBIGUOUS if person_key(sheet_name(name)) else "")

    def spans(self, text: str, scope: Iterable[str] = ()) -> tuple[list[Span], list[tuple[int, int, str]]]:
        finding = self.finder.find(text, scope)
        spans = list(finding.spans)
        if text:
            found = []
            for person in self.detector.found(text):
                label = self.register.label_for(person.name) or AMBIGUOUS
                found.append(Span(person.start, person.end, text[person.start:person.end], label,
                                  "name" if label != AMBIGUOUS else "ambiguous"))
            spans = _union(text, spans, found)
        for regex in (self._phrase_re, self._names_re):
            if regex is None or not text:
                continue
            if regex is self._phrase_re:
                folded, positions = fold_with_positions(text)
                matches = [(positions[m.start()], positions[m.end() - 1] + 1, " ".join(_words(m.group(0))))
                           for m in regex.finditer(folded)]
            else:
                matches = [(m.start(), m.end(), "") for m in regex.finditer(text)]
            for start, end, key in matches:
                if any(s.start < end and start < s.end for s in spans):
                    continue
                spans.append(Span(start, end, text[start:end], self.phrases.get(key, ORGANISATION_MASK), "strict"))
            spans.sort(key=lambda s: s.start)
        return spans, finding.left

    def text(self, value: str, scope: Iterable[str] = ()) -> str:
        return apply_spans(value, self.spans(value, scope)[0])


def _union(text: str, known: list[Span], found: list[Span]) -> list[Span]:
    """The finder's spans (people of the register, contacts), widened by the detector's where
    they overlap ("Mme de La Tour" over "Tour"), with the finder's label; the detector's others
    added."""
    out = list(known)
    for span in found:
        over = [s for s in out if s.start < span.end and span.start < s.end]
        if not over:
            out.append(span)
            continue
        if any(s.kind in ("email", "phone") for s in over):
            continue
        first = min(over, key=lambda s: s.start)
        start, end = min(span.start, first.start), max(span.end, *(s.end for s in over))
        out = [s for s in out if s not in over]
        out.append(Span(start, end, text[start:end], first.replacement, first.kind))
    return sorted(out, key=lambda s: s.start)


def _distinctive_runs(organisation: str) -> list[list[str]]:
    """Runs of consecutive distinctive words of an organisation's name: "Association Avenir
    Jeunes" -> [["Avenir", "Jeunes"]]."""
    distinct = set(distinctive_words(organisation))
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[^\W_]+", organisation):
        if word in distinct:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _name_words(name: str) -> list[str]:
    """Folded words of a name that identify: no particle, no initials ("JP Dupont" -> dupont)."""
    initials = {fold(w) for w in re.findall(r"[^\W\d_]+", name) if w.isupper() and len(w) <= 3}
    return [w for w in _words(name) if w not in PARTICLES and len(w) >= 2 and w not in initials]


def _words(value: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(value))


def pseudonymise_labels(values: Iterable[str], register: PseudonymRegister, report: ResidualReport | None = None,
                        where: str = "(fichiers)") -> list[str]:
    """Names of the register replaced in short texts that are not part of a bundle (input file
    names, evaluators of a merge's inputs); what looks like a name and stays goes to `report`."""
    ps = Pseudonymiser(register, PEOPLE)
    residue = _Residue(report, set()) if report is not None else None
    out = []
    for value in values:
        spans, left = ps.spans(value)
        result = apply_spans(value, spans)
        if residue is not None:
            residue.scan(where, result, value, left, spans)
        out.append(result)
    return out


class _Residue:
    def __init__(self, report: ResidualReport, public_words: set[str]) -> None:
        self.report = report
        self.public = public_words
        self.seen: dict[tuple[str, str, str], ResidualItem] = {}

    def add(self, pid: str, word: str, reason: str, text: str, start: int, end: int) -> None:
        key = (pid, fold(word), reason)
        item = self.seen.get(key)
        if item:
            item.count += 1
            return
        example = one_line(text[max(0, start - 40):end + 40])
        item = ResidualItem(word, pid, 1, reason, example)
        self.seen[key] = item
        self.report.items.append(item)

    def scan(self, pid: str, out: str, original: str, left: list[tuple[int, int, str]],
             spans: Iterable[Span] = ()) -> None:
        for start, end, reason in left:
            # the example is taken from the pseudonymised text: the report names nobody it replaced
            shift = sum(len(s.replacement) - len(s.original) for s in spans if s.end <= start)
            self.add(pid, original[start:end], reason, out, start + shift, end + shift)
        for m in (_CONTACT_LEFT.finditer(out) if _CONTACT_HINT.search(out) else ()):
            self.add(pid, m.group(0), "coordonnée possible laissée (téléphone ou courriel)", out, m.start(), m.end())
        masked = LABEL_RE.sub(lambda m: " " * len(m.group(0)), out)
        for m in _CAPITALISED.finditer(masked):
            start, end, raw = m.start(), m.end(), m.group(0)
            if len(raw) < 2 or raw.isupper() or any(c.isdigit() for c in raw):
                continue
            token = fold(raw)
            if token in _NOT_NAMES or token in self.public or is_sentence_start(masked, start):
                continue
            if masked[max(0, start - 1):start] == "[":
                continue
            self.add(pid, raw, "mot à majuscule laissé", out, start, end)


def _public_words(bundle: Bundle) -> set[str]:
    p = bundle.project
    words = set()
    for value in (p.title, p.carrier, p.label, p.region or "", p.id):
        words.update(_words(value))
    for interview in bundle.interviews:
        for text in interview.question_texts.values():
            words.update(_words(text))
    return words


def pseudonymiser_for(bundles: list[Bundle], register: PseudonymRegister, level: str = PEOPLE) -> Pseudonymiser:
    """The pseudonymiser `pseudonymise_bundles` uses for these bundles (people of the texts found
    and registered): `spans(text, scope)` says what it replaces in any of their texts."""
    todo = sorted((b for b in bundles if not b.extra.get("pseudonymised")), key=lambda b: b.project.id)
    return _prepare(todo, {id(b): bundle_to_dict(b) for b in todo}, register, level)


def _prepare(todo: list[Bundle], dicts: dict[int, dict[str, Any]], register: PseudonymRegister,
             level: str) -> Pseudonymiser:
    people: list[tuple[str, str]] = []
    for bundle in todo:
        people += people_of(bundle.interviews)
    texts = [s for d in dicts.values() for s in _strings(d)]
    # people named only in the texts get a label like those of the sheets (after them: the
    # sheets' numbers do not depend on what the texts say); one write of the register
    known = {t for e in register.entries() for t in _words(sheet_name(e.name))}
    known |= {t for name, _kind in people for t in _words(sheet_name(name))}
    strict_people = [(p.role, p.organisation) for b in todo for i in b.interviews for p in i.interviewees]
    public: set[str] = set()
    for bundle in todo:
        public |= _public_words(bundle)
    organisations = {w for role, org in strict_people for w in _words(org)}
    detector = ProseDetector(known | {"personne", "enqueteur", "rice"}, (public | organisations) - known)
    tokens = [frozenset(_name_words(sheet_name(n))) for n in [*(e.name for e in register.entries()),
                                                                *(n for n, _k in people)]]
    # fuller names first: "Mme de La Tour" is Bertrand de La Tour when he is named in full elsewhere
    for name in sorted(detector.discover(texts), key=lambda n: -len(_name_words(n))):
        words = frozenset(_name_words(name))
        # "M. Dupont" when Jean Dupont is known is Jean Dupont (the finder decides which, per text)
        if not words or not any(words <= t for t in tokens):
            people.append((name, PERSON))
            tokens.append(words)
    register.register(people)
    return Pseudonymiser(register, level, detector, strict_people, public)


def pseudonymise_bundles(bundles: list[Bundle], register: PseudonymRegister,
                         level: str = PEOPLE) -> tuple[list[Bundle], ResidualReport]:
    """Pseudonymised deep copies of `bundles` (same order) and the residual-risk report.

    `register` gives the labels and learns the people met here (a persisted register is written
    once for the whole batch). `level` is `PEOPLE` (default) or `STRICT`.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown pseudonymisation level {level!r}")
    report = ResidualReport(level)
    done = [b for b in bundles if b.extra.get("pseudonymised")]
    for bundle in done:
        register.reserve(_strings(bundle_to_dict(bundle)))
    todo = sorted((b for b in bundles if not b.extra.get("pseudonymised")), key=lambda b: b.project.id)
    dicts = {id(b): bundle_to_dict(b) for b in todo}
    pseudonymiser = _prepare(todo, dicts, register, level)
    out: list[Bundle] = []
    for bundle in bundles:
        if bundle.extra.get("pseudonymised"):
            out.append(copy.deepcopy(bundle))
            continue
        residue = _Residue(report, _public_words(bundle))
        pid = bundle.project.id
        if [s for s in pseudonymiser.finder.find(re.sub(r"[-_.]", " ", pid)).spans if s.kind != "phone"]:
            # the id is how merges and the synthesis find the project again: it cannot change
            raise NamedProjectId(
                f"Pseudonymisation refusée : l'identifiant de projet « {pid} » contient un nom de personne, "
                "qui resterait dans les noms de fichiers et les tableaux ; donnez au projet un identifiant "
                "sans nom.")
        data = _pseudonymise_dict(dicts[id(bundle)], pseudonymiser, residue, level)
        result = bundle_from_dict(data)
        result.extra["pseudonymised"] = True
        result.extra["pseudonymisation"] = level
        out.append(result)
    return out, report


def _pseudonymise_dict(data: dict[str, Any], ps: Pseudonymiser, residue: _Residue, level: str) -> dict[str, Any]:
    pid = str(data["project"].get("id", ""))

    def texts(scope: set[str], report: bool = True) -> Callable[[str], str]:
        def fn(value: str) -> str:
            spans, left = ps.spans(value, scope)
            result = apply_spans(value, spans)
            if report:
                residue.scan(pid, result, value, left, spans)
            return result
        return fn

    everyone = {person_key(p.get("name", "")) for i in data.get("interviews") or []
                for p in i.get("interviewees") or [] if isinstance(p, dict)}
    data = dict(data)
    data["project"] = _walk(_without_history(data["project"]), texts(everyone))
    interviews = []
    for raw in data.get("interviews") or []:
        interview = _without_history(raw)
        people = [p for p in interview.get("interviewees") or [] if isinstance(p, dict)]
        scope = {person_key(str(p.get("name", ""))) for p in people}
        scope.add(person_key(str(interview.get("interviewer", ""))))
        fn = texts(scope)
        interview["interviewees"] = [{
            "name": ps.label(str(p.get("name", ""))),
            "role": role_category(str(p.get("role", ""))) if level == STRICT else fn(str(p.get("role", ""))),
            "organisation": (organisation_category(str(p.get("organisation", ""))) if level == STRICT
                             else fn(str(p.get("organisation", "")))),
        } for p in people]
        interview["interviewer"] = ps.label(str(interview.get("interviewer", "")))
        answers = {}
        for qid, answer in (interview.get("answers") or {}).items():
            answer = {k: v for k, v in answer.items() if k != "ancestors"}
            answer["author"] = ps.label(str(answer.get("author", "")))
            versions = []
            for version in answer.get("concurrent") or []:
                version = dict(version)
                version["author"] = ps.label(str(version.get("author", "")))
                versions.append(version)
            if versions:
                answer["concurrent"] = versions
            answers[qid] = _walk(answer, fn)
        interview["answers"] = answers
        notes = interview.get("review_notes")
        if isinstance(notes, dict):         # reviewers are named by their label, like evaluators
            interview["review_notes"] = {
                qid: [{**n, "author": ps.label(str(n.get("author", "")))} if isinstance(n, dict) else n
                      for n in items] if isinstance(items, list) else items
                for qid, items in notes.items()}
        texts_only = texts(scope, report=False)     # the grid's own words: replaced, not reported
        interview["question_texts"] = _walk(interview.get("question_texts") or {}, texts_only)
        for key, value in list(interview.items()):
            if key not in ("interviewees", "interviewer", "answers", "question_texts"):
                # review notes' texts go through here (their authors are labels by now)
                interview[key] = _walk(value, fn, key)
        interviews.append(interview)
    data["interviews"] = interviews
    for key, value in list(data.items()):
        if key not in ("project", "interviews"):
            data[key] = _walk(value, texts(everyone), key)
    return data


def _without_history(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what only serves re-import: the revisions (hashes) of past values, which
    could confirm a guessed name, and the conflicting copies of facts, which may hold old names.
    A pseudonymised file is never re-imported, and merging two pseudonymised copies of a project
    shows their differences as conflicts (both kept), never loses one."""
    return {k: v for k, v in record.items() if k not in _HISTORY}


def pseudonymise_bundle(bundle: Bundle, register: PseudonymRegister | None = None,
                        level: str = PEOPLE) -> Bundle:
    """One bundle (an in-memory register unless one is given); the report is dropped."""
    bundles, _ = pseudonymise_bundles([bundle], register or PseudonymRegister.in_memory(), level)
    return bundles[0]
