"""The consolidated volume (.docx): the document a team lead writes the cross-case analysis from.

Layout (portrait A4 throughout, built-in heading styles so Word's navigation pane, the table of
contents and NVivo/MAXQDA auto-coding by heading work):

- cover, figures, contents;
- Part I — answers to the evaluative questions (when the store holds a synthesis): per
  question the table of §4.1 of the report (Registre / Question évaluative / Niveau d'atteinte /
  Explications), then each cited passage in full with its source and a link to the answer,
  stale evidence ("preuve modifiée") flagged, and a coverage line;
- Part II — cross-case matrix: per grid question (a Heading 3, the guide's number, sub-points
  a/b/c under it) one table, one row per interview, the full answer — or the lead's summary,
  labelled as such — never cut: rows may run onto the next page, the header row repeats. A
  conflict shows every version, the passage that differs highlighted. Each cell links to the
  answer in Part III;
- Part III — one chapter per case: facts, every evaluator whose answers it holds, each
  interview with its answers (bookmarked: `format.answer_bookmark`, the write-up's own names),
  answers edited in Word after export marked; a planned interview with no answer is one line;
- annexes: A conflicts (every version in full, the differing paragraph highlighted, author,
  time, source), B provenance (file, evaluator, export time, SHA-256: same-named files told
  apart), C coverage (campaign cases and interviews without a write-up; per evaluative
  question the mapped grid questions left "non abordé" or declined).

The body is XML text from `word.build` streamed into the package, one piece per case or table,
so memory stays bounded by the largest piece.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pi87_field.core.fr import fr_date, fr_datetime, plural
from pi87_field.core.grid import Grid, GridQuestion
from pi87_field.core.labels import EVIDENCE_CHANGED, EVIDENCE_UNKNOWN, NOT_RATED, SUMMARY_REVIEW
from pi87_field.core.merge.content import (
    EDITED_IN_WORD,
    Case,
    Evidence,
    Judgement,
    LeadConflict,
    MatrixPart,
    VolumeContent,
    guide_id_of,
)
from pi87_field.core.model import SETTLED, Answer, AnswerState, Interview
from pi87_field.core.money import format_int
from pi87_field.core.summary import interview_fact_rows, project_fact_rows
from pi87_field.core.text import one_line
from pi87_field.core.synthesis import citations
from pi87_field.core.word import build as B
from pi87_field.core.word import style as S
from pi87_field.core.word.format import (
    PSEUDONYMISED_MARK,
    PSEUDONYMISED_NO_IMPORT,
    PSEUDONYMISED_NOTICE,
    answer_bookmark,
    state_label_text,
)

# the synthesis's own words (core.labels); the report's scale "+", "++", "+++" (§4.1) is shown as such
STALE, MISSING, REVIEW = EVIDENCE_CHANGED, EVIDENCE_UNKNOWN, SUMMARY_REVIEW
SUMMARY_LABEL = "Synthèse de la cheffe d’équipe"
HIGHLIGHT = "yellow"
# Part II table: case | interview | answer (twips, portrait text width)
MATRIX_WIDTHS = [1900, 1750, S.TEXT_WIDTH - 3650]
PART_ONE = "Partie I — Conclusions et préconisations (chapitre 4 du rapport)"
CHAPTER_FOUR = "4. Conclusions et préconisations"
CONCLUSIONS_TITLE = "4.1 Nos conclusions"
RECOMMENDATIONS_TITLE = "4.2 Nos préconisations"
UNKNOWN_REFERENCE = "référence introuvable"
BULLET_RE = re.compile(r"^\s*[-–•*]\s+")
PART_TWO = "Partie II — Matrice transversale"
PART_THREE = "Partie III — Études de cas et entretiens"
ANNEXES = [("Annexe A — Conflits", "_pi87_annexeA"), ("Annexe B — Provenance des fichiers", "_pi87_annexeB"),
           ("Annexe C — Couverture", "_pi87_annexeC")]


def _state_runs(answer: Answer | None) -> list[str]:
    """A state label ("[non abordé]", "[sans réponse]"), in the write-up's own words and style."""
    mark = "empty" if answer is None else answer.mark
    return [B.run(state_label_text(mark), style=S.STATE_CHAR)]


def _split_words(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text)


def marked_runs(text: str, other: str, props: str = "") -> list[list[str]]:
    """`text` as runs per paragraph, the words that `other` does not have highlighted."""
    words = _split_words(text)
    matcher = difflib.SequenceMatcher(None, words, _split_words(other), autojunk=False)
    keep = [False] * len(words)
    for block in matcher.get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            keep[k] = True
    marked = props + B.rpr(bold=True, highlight=HIGHLIGHT)
    paragraphs: list[list[str]] = [[]]
    chunk: list[str] = []
    state = True

    def flush() -> None:
        if chunk:
            paragraphs[-1].append(B.run("".join(chunk), props if state else marked))
            chunk.clear()

    for word, same in zip(words, keep):
        if word.isspace() and "\n\n" in word:
            flush()
            paragraphs.append([])
            continue
        same = same or word.isspace()        # spaces never highlighted
        if same != state:
            flush()
            state = same
        chunk.append(word)
    flush()
    return [p for p in paragraphs if p] or [[]]


@dataclass
class _Slot:
    """Where an answer lives in Part III (its bookmark) and how it is named in links."""

    case: Case
    k: int
    interview: Interview


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, never inside one."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _source_date(value: str) -> str:
    """"2019-06-30" -> "30/06/2019"; anything else ("2019", "juin 2019") as written."""
    from datetime import date

    try:
        return fr_date(date.fromisoformat(value))
    except ValueError:
        return value


class _VolumeWriter:
    def __init__(self, content: VolumeContent, progress: Callable[[str], None] | None = None,
                 only: str = "") -> None:
        self.c = content
        self.body = B.Body()
        self.progress = progress
        self.only = only
        self.footnotes = B.Footnotes()
        self.synthesis = content.synthesis
        syn = content.synthesis
        self.finding_index = {f.key: (n, f) for n, f in enumerate(syn.findings, start=1)} if syn else {}
        self.rec_index = {r.key: (n, r) for n, r in enumerate(syn.recommendations, start=1)} if syn else {}
        self.slots: dict[str, _Slot] = {}
        for case in content.cases:
            for k, interview in enumerate(case.interviews, start=1):
                self.slots[interview.id] = _Slot(case, k, interview)

    # -- small pieces --
    def add(self, xml: str) -> None:
        self.body.add(xml)

    def p(self, content: str | list[str] = "", style: str | None = None, **kw: str) -> None:
        self.body.p(content, style, **kw)

    def source_line(self, slot: _Slot, qid: str) -> list[str]:
        """"Lunévillois · Atout Emploi · E2 · Directrice, Mission locale · 14/10/2019 · question 3.1 →"."""
        interview = slot.interview
        who = "; ".join(", ".join(x for x in (one_line(p.role), one_line(p.organisation)) if x)
                        for p in interview.interviewees if p.role or p.organisation)
        number = self.c.view_of(interview, slot.case.project).number(qid) or qid
        parts = [slot.case.label, f"E{slot.k}", who, (fr_date(interview.date) or "date à fixer"), f"question {number}"]
        return [B.run(" · ".join(x for x in parts if x) + " "), B.link(answer_bookmark(interview.id, qid), "→ réponse")]

    # -- the document --
    def matrix_plan(self) -> list[tuple[MatrixPart, list[tuple[str, str, tuple[GridQuestion, ...]]]]]:
        """Part II's tables: per guide (`VolumeContent.matrix`, the one guide order) the (title,
        anchor, questions) of each level-2 heading: one per section (a one-section guide by its
        title), then the questions out of the guide that its interviews answered."""
        plan = []
        for part in self.c.matrix():
            g = part.rank
            heads = [(section.title if section.orphan or not part.single else part.view.title,
                      f"_pi87_mx{g}_hors" if section.orphan else f"_pi87_mx{g}_{n}", section.questions)
                     for n, section in enumerate(part.sections, start=1)]
            plan.append((part, heads))
        return plan

    def contents(self) -> list[tuple[int, str, str]]:
        """Every level-1 and level-2 heading, known before the body is written (so the body can
        be streamed after the contents)."""
        entries: list[tuple[int, str, str]] = []
        if self.synthesis is not None:
            entries.append((1, PART_ONE, "_pi87_partie1"))
            entries += [(2, CONCLUSIONS_TITLE, "_pi87_conclusions"), (2, RECOMMENDATIONS_TITLE, "_pi87_preconisations")]
        entries.append((1, PART_TWO, "_pi87_matrice"))
        entries += [(2, title, anchor) for _, heads in self.plan for title, anchor, _ in heads]
        entries.append((1, PART_THREE, "_pi87_partie3"))
        entries += [(2, f"{case.number}. {case.label}", case.anchor) for case in self.c.cases]
        entries += [(1, title, anchor) for title, anchor in ANNEXES]
        return entries

    def chunks(self) -> Iterator[str]:
        if self.only:
            if self.synthesis is not None:
                self.part_one()
            else:
                self.p("Pas de synthèse dans cet espace de travail : rien à écrire au chapitre 4.", S.NOTICE)
            yield self.body.flush()
            return
        self.plan = self.matrix_plan()
        self.cover()
        self.add(B.page_break() + B.toc(self.contents(), levels="1-2"))
        if self.synthesis is not None:
            self.part_one()
        yield self.body.flush()
        yield from self.part_two()
        yield from self.part_three()
        self.annexes()
        yield self.body.flush()

    def cover(self) -> None:
        c = self.c
        kicker = "Évaluation de la PI 8.7 du FSE · Travaux de terrain"
        self.p([B.run(kicker.upper(), B.rpr(color=S.MUTED, spacing=10))], S.SMALL,
               ppr='<w:spacing w:before="1800" w:after="480"/>')
        self.p("Volume consolidé des travaux de terrain", S.TITLE)
        parts = ["Conclusions et préconisations"] if self.synthesis else []
        parts += ["matrice transversale", "études de cas et entretiens", "annexes"]
        subtitle = ", ".join(parts)
        self.p(subtitle[0].upper() + subtitle[1:], S.SUBTITLE)
        if c.pseudonymised:
            notice = PSEUDONYMISED_NOTICE.split(" : ", 1)[1]
            strict = (" Niveau strict : fonctions et organismes des personnes interrogées ramenés à leur catégorie."
                      if c.pseudonymised == "strict" else "")
            self.p([B.run("Volume pseudonymisé. ", "<w:b/>"), B.run(notice[0].upper() + notice[1:] + strict)], S.NOTICE)
            self.p([B.run(PSEUDONYMISED_NO_IMPORT, "<w:b/>")], S.SMALL)
        interviews = [i for case in c.cases for i in case.interviews]
        answered = [i for case in c.cases for i in case.answered]
        answers = sum(1 for i in interviews for a in i.answers.values() if not a.is_empty)
        conflicts = sum(1 for i in interviews for a in i.answers.values() if a.concurrent)
        cases = sum(1 for case in c.cases if case.is_case_study)
        rows = [
            ("Consolidé le", fr_datetime(c.made_at)),
            ("Source", "espace de travail de la cheffe d’équipe (pi87-field volume)" if c.origin == "store"
             else "fichiers reçus (pi87-field merge)"),
            ("Études de cas", format_int(cases)),
            ("Séries d’entretiens qualitatifs", format_int(len(c.cases) - cases)),
            ("Entretiens", f"{format_int(len(answered))} avec réponses sur {format_int(len(interviews))}"),
            ("Réponses", format_int(answers)),
            ("Réponses en conflit", format_int(conflicts)),
            # The store logs only the files that brought something (a file already known leaves the
            # store as it was), so from the store the row says exactly that; a merge lists every file given.
            ("Fichiers ayant apporté des données" if c.origin == "store" else "Fichiers reçus", self._files_line()),
            ("Évaluateurs", ", ".join(c.evaluators) or "non renseigné"),
        ]
        if self.synthesis is not None:
            rated = sum(1 for j in self.synthesis.judgements if j.rating)
            cited = sum(len(j.evidence) for j in self.synthesis.judgements)
            rows.append(("Synthèse", f"{plural(rated, 'question évaluative jugée', 'questions évaluatives jugées')} sur "
                                     f"{len(self.synthesis.judgements)}, {plural(cited, 'passage cité', 'passages cités')}"))
        self.p([B.run("EN CHIFFRES", B.rpr(bold=True, color=S.ACCENT, spacing=10))], S.SMALL,
               ppr='<w:spacing w:before="240" w:after="80"/>')
        self.body.facts(rows)
        self.p("Chaque réponse figure en entier dans la matrice (partie II) et dans le chapitre de son cas "
               "(partie III) ; les cellules de la matrice renvoient à la réponse. Les réponses modifiées "
               "différemment par deux évaluateurs (conflits) sont signalées partout et détaillées en annexe A ; "
               "l’origine des fichiers est en annexe B, ce qui manque en annexe C.", S.NOTICE)

    def _files_line(self) -> str:
        sources = self.c.sources
        if not sources:
            return "aucun fichier importé enregistré" if self.c.origin == "store" else "aucun"
        by_status: dict[str, int] = {}
        for s in sources:
            by_status[s.status] = by_status.get(s.status, 0) + 1
        if self.c.origin == "store":
            return (f"{format_int(len(sources))} (un fichier dont tout était déjà connu — un doublon, "
                    "le même compte rendu en Word et en JSON — n’est pas compté)")
        return f"{format_int(len(sources))} : " + ", ".join(f"{format_int(n)} {label}" for label, n in by_status.items())

    # -- Part I: chapter 4 of the report --
    def part_one(self) -> None:
        assert self.synthesis is not None
        syn = self.synthesis
        title = CHAPTER_FOUR if self.only else PART_ONE
        self.body.heading(1, title, anchor="_pi87_partie1")
        if not self.only:
            self.p("Le chapitre 4 du rapport tel qu’écrit dans l’outil : les conclusions, puis pour chaque question "
                   "évaluative le jugement et les passages cités en entier avec leur source, enfin les "
                   "préconisations. Chaque référence renvoie à une note de bas de page qui cite le passage ou "
                   "le document. « preuve modifiée » : la réponse a changé depuis que le passage a été cité.",
                   S.NOTICE)
        self.body.heading(2, CONCLUSIONS_TITLE, anchor="_pi87_conclusions")
        if syn.intro:
            self.cited_paragraphs(syn.intro, S.BODY)
        atouts = [f for f in syn.findings if f.kind != "limite"]
        limites = [f for f in syn.findings if f.kind == "limite"]
        for f in atouts:
            self.add(B.list_paragraph(self.cited_runs(f.text)))
        if limites:
            self.p("Mais aussi :", S.BODY, ppr='<w:keepNext/><w:spacing w:before="160"/>')
            for f in limites:
                self.add(B.list_paragraph(self.cited_runs(f.text)))
        if syn.overall:
            self.cited_paragraphs(syn.overall, S.BODY, ppr='<w:spacing w:before="200"/>')
        if not (syn.intro or syn.findings or syn.overall):
            self.p([B.run("Conclusions à rédiger.", style=S.STATE_CHAR)], S.BODY)
        for n, judgement in enumerate(syn.judgements, start=1):
            self.judgement(n, judgement)
        self.recommendations()

    def cited_runs(self, text: str, props: str = "") -> list[str]:
        """`text` as runs, each citation group `[@k1; @k2, p. 3]` a footnote reference (an
        unknown key shown "[référence introuvable : key]" in the text)."""
        out: list[str] = []
        pieces = citations.parse(text)
        for n, piece in enumerate(pieces):
            if isinstance(piece, str):
                if n + 1 < len(pieces):       # the mark sits against the word, as in the report
                    piece = piece.rstrip(" ")
                if piece:
                    out.append(B.run(piece, props))
                continue
            known = [c for c in piece.items if self.known(c.key)]
            unknown = [c for c in piece.items if not self.known(c.key)]
            if known:
                out.append(self.footnotes.add([self.note_runs(c) for c in known]))
            for c in unknown:
                out.append(B.run(f"[{UNKNOWN_REFERENCE} : {c.key}]", B.rpr(bold=True, color=S.WARN)))
        return out

    def known(self, key: str) -> bool:
        syn = self.synthesis
        assert syn is not None
        return key in syn.evidence or key in syn.sources or key in self.finding_index or key in self.rec_index

    def note_runs(self, c: citations.Cite) -> list[str]:
        """A footnote's text: a passage quoted with its source; a document's reference."""
        syn = self.synthesis
        assert syn is not None
        locator = f", {c.locator}" if c.locator else ""
        if c.key in syn.evidence:
            e = syn.evidence[c.key]
            runs = [B.run(f"« {one_line(e.quote)} »", B.rpr(italic=True)), B.run(" — " + self.passage_source(e) + locator)]
            if e.stale or e.missing:
                runs.append(B.run(f" ({STALE if e.stale else MISSING})", B.rpr(bold=True, color=S.WARN)))
            return runs
        if c.key in syn.sources:
            src = syn.sources[c.key]
            head = ", ".join(x for x in (src.author, src.title) if x)
            tail = [x for x in (src.kind, _source_date(src.date), c.locator or src.locator) if x]
            runs = [B.run(head, B.rpr(italic=False)), B.run((", " + ", ".join(tail)) if tail else "")]
            if src.url:
                runs.append(B.run(f", {src.url}"))
            return [*runs, B.run(".")]
        if c.key in self.finding_index:
            n, f = self.finding_index[c.key]
            return [B.run(f"Voir la conclusion n° {n} (§ 4.1) : {one_line(citations.strip_citations(f.text))}{locator}")]
        n_rec = self.rec_index[c.key][0]
        return [B.run(f"Voir la préconisation n° {n_rec} (§ 4.2){locator}.")]

    def passage_source(self, e: Evidence) -> str:
        """"Lunévillois (Atout Emploi), Directrice, Mission locale, 14/10/2019, question 3.1"."""
        slot = self.slots.get(e.interview_id)
        if slot is None:
            return f"{e.project_id}, question {e.question_id} (entretien absent du volume)"
        interview = slot.interview
        who = "; ".join(", ".join(x for x in (one_line(p.role), one_line(p.organisation)) if x)
                        for p in interview.interviewees if p.role or p.organisation)
        number = self.c.view_of(interview, slot.case.project).number(e.question_id) or e.question_id
        parts = [slot.case.label, who, fr_date(interview.date) or "date à fixer", f"question {number}",
                 e.source_label]
        return ", ".join(x for x in parts if x)

    def cited_paragraphs(self, text: str, style: str, *, ppr: str = "", props: str = "") -> None:
        """Paragraphs of a lead's text: a blank line separates paragraphs; lines starting with
        "- ", "– " or "• " are real bullets; citations become footnotes."""
        self.add(self.cited_xml(text, style, ppr=ppr, props=props))

    def cited_xml(self, text: str, style: str, *, ppr: str = "", props: str = "") -> str:
        out = []
        for block in text.split("\n\n"):
            lines = [ln for ln in block.split("\n")]
            buffer: list[str] = []

            def flush() -> None:
                if buffer:
                    out.append(B.paragraph(self.cited_runs("\n".join(buffer), props), style, ppr=ppr))
                    buffer.clear()

            for line in lines:
                m = BULLET_RE.match(line)
                if m:
                    flush()
                    out.append(B.list_paragraph(self.cited_runs(line[m.end():].strip(), props)))
                elif line.strip():
                    buffer.append(line)
            flush()
        return "".join(out) or B.paragraph("", style)

    def judgement(self, n: int, j: Judgement) -> None:
        self.body.heading(3, self.judgement_title(n, j), anchor=f"_pi87_qe{n}", ppr="<w:keepNext/>")
        widths = [1900, S.TEXT_WIDTH - 1900]
        keep = "<w:keepNext/>"
        rating = j.rating or NOT_RATED
        rows = [
            B.row([B.cell(B.paragraph([B.run("Registre", B.rpr(bold=True, color=S.ACCENT))], S.TABLE_TEXT, ppr=keep),
                          widths[0], fill=S.ACCENT_SOFT),
                   B.cell(B.paragraph([B.run("Question évaluative", B.rpr(bold=True, color=S.ACCENT))], S.TABLE_TEXT,
                                      ppr=keep), widths[1], fill=S.ACCENT_SOFT)]),
            B.row([B.cell(B.paragraph([B.run(j.registre, B.rpr(bold=True))], S.TABLE_TEXT, ppr=keep), widths[0]),
                   B.cell(B.text_paragraphs(j.text, S.TABLE_TEXT, ppr=keep), widths[1])]),
            B.row([B.cell(B.paragraph([B.run("Niveau d’atteinte", B.rpr(bold=True, color=S.ACCENT))], S.TABLE_TEXT,
                                      ppr=keep), widths[0], fill=S.ACCENT_SOFT),
                   B.cell(B.paragraph([B.run("Explications", B.rpr(bold=True, color=S.ACCENT))], S.TABLE_TEXT,
                                      ppr=keep), widths[1], fill=S.ACCENT_SOFT)]),
            B.row([B.cell(B.paragraph([B.run(rating, B.rpr(bold=True, color=S.ACCENT, size=12 if j.rating else None))],
                                      S.TABLE_TEXT, ppr=B.jc("center")), widths[0]),
                   B.cell(self.cited_xml(j.explanation, S.TABLE_TEXT) if j.explanation
                          else B.paragraph([B.run("Explications à rédiger.", style=S.STATE_CHAR)], S.TABLE_TEXT),
                          widths[1])], cant_split=False),
        ]
        self.add(B.table(widths, rows, header=False))
        if j.conflict is not None:  # beside the judgement: every version, the annex holds them too
            self.add(lead_conflict_xml(j.conflict, S.CONCURRENT))
        self.p(self.coverage_line(j), S.SMALL, ppr='<w:spacing w:before="80" w:after="120"/>')
        if not j.evidence:
            self.p([B.run("Aucun passage cité pour cette question.", style=S.STATE_CHAR)], S.ANSWER)
            return
        self.p("Éléments de preuve", S.QUESTION, ppr="<w:keepNext/>")
        for k, e in enumerate(j.evidence, start=1):
            self.evidence(k, e)

    def recommendations(self) -> None:
        syn = self.synthesis
        assert syn is not None
        self.body.heading(2, RECOMMENDATIONS_TITLE, anchor="_pi87_preconisations", ppr="<w:pageBreakBefore/>")
        if syn.recommendations_intro:
            self.cited_paragraphs(syn.recommendations_intro, S.BODY)
        if not syn.recommendations:
            self.p([B.run("Préconisations à rédiger.", style=S.STATE_CHAR)], S.BODY)
        for r in syn.recommendations:
            self.add(B.list_paragraph(self.cited_runs(r.text), numbered=True, keep_next=bool(r.subpoints)))
            for m, sp in enumerate(r.subpoints):
                self.add(B.list_paragraph(self.cited_runs(sp), numbered=True, level=1,
                                          keep_next=m < len(r.subpoints) - 1))
            if r.rests_on:
                self.p([B.run("Repose sur : ", B.rpr(bold=True)), B.run(self.rests_on_text(r.rests_on))], S.SMALL,
                       ppr='<w:spacing w:before="40" w:after="120"/><w:ind w:left="425"/>')

    def rests_on_text(self, keys: list[str]) -> str:
        syn = self.synthesis
        assert syn is not None
        parts = []
        registres = {j.id: j for j in syn.judgements}
        for k in keys:
            if k in self.finding_index:
                n, f = self.finding_index[k]
                label = "atout" if f.kind != "limite" else "limite"
                quoted = _shorten(citations.strip_citations(f.text), 90).rstrip(" ;,.:")
                parts.append(f"conclusion n° {n} ({label}) « {quoted} »")
            elif k in registres:
                j = registres[k]
                parts.append(f"question évaluative {j.number} — {j.registre}")
            elif k in self.rec_index:
                parts.append(f"préconisation n° {self.rec_index[k][0]}")
            else:
                parts.append(f"[{UNKNOWN_REFERENCE} : {k}]")
        return " ; ".join(parts) + "."

    @staticmethod
    def judgement_title(n: int, j: Judgement) -> str:  # noqa: D102
        return f"Question évaluative {j.number or n} — {j.registre or j.id}"

    def coverage_line(self, j: Judgement) -> str:
        """Cases = projects (an interview series is one case, its interviews counted apart); the
        cases concerned are every project following a guide the question's grid questions
        belong to, visited or not, and any project a passage is cited from."""
        guides = {gid for gid, _ in j.mapped}
        concerned = {c.project.id for c in self.c.cases
                     if guides & ({c.project.guide_id} | {guide_id_of(i, c.project) for i in c.interviews})}
        cited = {e.project_id for e in j.evidence}
        cited_cases = [c for c in self.c.cases if c.project.id in cited]
        concerned |= cited
        studies = sum(1 for c in cited_cases if c.is_case_study)
        series = len(cited_cases) - studies
        interviews = len({e.interview_id for e in j.evidence
                          if (case := self.c.case_of(e.project_id)) is not None and not case.is_case_study})
        stale = sum(1 for e in j.evidence if e.stale)
        detail = [plural(studies, "étude de cas", "études de cas")] if studies else []
        if series:
            detail.append(f"{plural(series, 'série', 'séries')} d’entretiens qualitatifs "
                          f"({plural(interviews, 'entretien cité', 'entretiens cités')})")
        line = (f"Couverture : {plural(len(cited_cases), 'cas cité', 'cas cités')} sur "
                f"{plural(len(concerned), 'cas concerné', 'cas concernés')}"
                + (f" ({' et '.join(detail)})" if detail else "")
                + f" ; {plural(len(j.evidence), 'passage cité', 'passages cités')}")
        line += (f", dont {stale} {STALE}" if stale else "") + ". "
        return line + ("Un cas est un projet (étude de cas ou série d’entretiens) ; il est concerné quand "
                       "sa grille porte une des questions rattachées, entretien fait ou non.")

    def evidence(self, k: int, e: Evidence) -> None:
        head = [B.run(f"Passage {k}", B.rpr(bold=True, color=S.ACCENT))]
        if e.key:
            head += [B.run(f"  [{e.key}]", B.rpr(color=S.MUTED))]
        if e.stale or e.missing:
            flag = STALE if e.stale else MISSING
            head += [B.run("  "), B.run(f"⚠ {flag}", B.rpr(bold=True, color=S.WARN))]
        self.p(head, S.SMALL, ppr="<w:keepNext/>")
        self.add(B.text_paragraphs(e.quote, S.CONCURRENT))
        slot = self.slots.get(e.interview_id)
        source = self.source_line(slot, e.question_id) if slot else [B.run(f"{e.project_id} · {e.question_id} (entretien absent du volume)")]
        if self.only:            # Part I alone: no Part III to link to
            source = [B.run(self.passage_source(e))]
        self.p([B.run("Source : ", B.rpr(bold=True)), *source], S.SMALL)
        if e.tags:
            self.p([B.run("Étiquettes : ", B.rpr(bold=True)), B.run(", ".join(e.tags))], S.SMALL)

    # -- Part II --
    def part_two(self) -> Iterator[str]:
        self.body.heading(1, PART_TWO, anchor="_pi87_matrice")
        self.p("Une table par question de la grille (titres de niveau 3, numérotés comme dans les comptes rendus) : "
               "une ligne par entretien, la réponse en entier, ou la synthèse de la cheffe d’équipe quand il y en a "
               "une (signalée comme telle). Les longues réponses continuent sur la page suivante, l’en-tête répété. "
               "Une réponse en conflit montre chaque version, le passage qui diffère surligné. « → réponse » mène à "
               "la réponse dans le chapitre du cas (partie III).", S.NOTICE)
        first = True
        for part, heads in self.plan:
            for title, anchor, questions in heads:
                self.body.heading(2, title, anchor=anchor, ppr="" if first else "<w:pageBreakBefore/>")
                first = False
                for q in questions:
                    self.matrix_question(q, part.rows)
                    yield self.body.flush()

    def question_heading(self, q: GridQuestion) -> None:
        self.p(q.label, S.HEADINGS[3])
        details = [f"{sp.id}. {one_line(sp.text)}" for sp in q.question.subpoints] if q.question else []
        if q.question is not None and q.question.condition:
            details.insert(0, f"Condition : {one_line(q.question.condition)}")
        for line in details:
            self.p(line, S.QUESTION_DETAIL)

    def matrix_question(self, q: GridQuestion, rows_for: list[tuple[Case, int, Grid]]) -> None:
        self.question_heading(q)
        w = MATRIX_WIDTHS
        rows = [B.header_row(["Cas", "Entretien", "Réponse"], w, style=S.CELL)]
        summaries = self.synthesis.summaries if self.synthesis else {}
        done: set[str] = set()
        for n, (case, k, grid) in enumerate(rows_for):
            interview = grid.interview
            summary = summaries.get((case.project.id, q.qid))
            if summary is not None:
                if case.project.id in done:
                    continue
                done.add(case.project.id)
                links = [B.link(answer_bookmark(i.id, q.qid), f"E{kk}")
                         for kk, i in enumerate(case.interviews, start=1) if q.qid in i.answers]
                head = [B.run(SUMMARY_LABEL, B.rpr(bold=True, color=S.ACCENT))]
                if summary.review:
                    head += [B.run("  "), B.run(f"⚠ {REVIEW}", B.rpr(bold=True, color=S.WARN))]
                if summary.conflict is not None:
                    head += [B.run("  "), B.link(ANNEXES[0][1], f"⚠ {conflict_count_label(summary.conflict)}")]
                content = B.paragraph(head, S.CELL) + B.text_paragraphs(summary.text, S.CELL)
                if links:
                    refs: list[str] = [B.run("Réponses : ")]
                    for m, ln in enumerate(links):
                        refs += ([B.run(", ")] if m else []) + [ln]
                    content += B.paragraph(refs, S.CELL_REF)
                who = "Synthèse (" + ", ".join(f"E{kk}" for kk, i in enumerate(case.interviews, start=1)
                                               if i.answered_count() > 0) + ")"
            else:
                content = self.matrix_cell(interview, q.qid)
                who = f"E{k} · {case.title(interview)}"
            fill = S.LABEL_SHADE if case.number % 2 == 0 else None
            rows.append(B.row([
                B.cell(B.paragraph([B.link(case.anchor, [B.run(f"{case.number}. {case.label}", B.rpr(bold=True))])],
                                   S.CELL), w[0], fill=fill),
                B.cell(B.paragraph(who, S.CELL), w[1], fill=fill),
                B.cell(content, w[2], fill=fill),
            ], cant_split=False))
        self.add(B.table(w, rows))

    def matrix_cell(self, interview: Interview, qid: str) -> str:
        answer = interview.answers.get(qid)
        out = self.answer_xml(answer, S.CELL)
        if answer is not None and answer.concurrent:
            out = self.conflict_xml(answer, S.CELL)
        out += B.paragraph([B.link(answer_bookmark(interview.id, qid), "→ réponse")], S.CELL_REF)
        return out

    def answer_xml(self, answer: Answer | None, style: str) -> str:
        if answer is None or answer.is_empty:
            return B.paragraph(_state_runs(answer), style)
        out = ""
        if answer.state != AnswerState.ANSWERED:
            out += B.paragraph(_state_runs(answer), style)
        if answer.text.strip():
            out += B.text_paragraphs(answer.text, style)
        return out

    def conflict_xml(self, answer: Answer, style: str) -> str:
        """Every version of a conflicting answer, each with who and when, the differing words
        highlighted against the shown version (and the shown one against the first other)."""
        versions = [(answer.text, answer.state, answer.author, answer.updated_at, "", True)]
        versions += [(v.text, v.state, v.author, v.updated_at, v.source, False) for v in answer.concurrent]
        out = B.paragraph([B.run(f"⚠ Conflit : {len(versions)} versions", B.rpr(bold=True, color=S.WARN))], style)
        for n, (text, state, author, when, source, shown) in enumerate(versions):
            other = versions[1][0] if shown else versions[0][0]
            who = ", ".join(x for x in (one_line(author), fr_datetime(when), source) if x)
            label = "Version affichée" if shown else "Version concurrente"
            out += B.paragraph([B.run(label, B.rpr(bold=True)), B.run(f" — {who}" if who else "")], style,
                               ppr="<w:keepNext/>")
            if state != AnswerState.ANSWERED or not text.strip():
                out += B.paragraph([B.run(state_label_text("empty" if state == AnswerState.ANSWERED else state.value),
                                          style=S.STATE_CHAR)], style)
            if text.strip():
                out += "".join(B.paragraph(runs, style) for runs in marked_runs(text, other))
        return out

    # -- Part III --
    def part_three(self) -> Iterator[str]:
        self.body.heading(1, PART_THREE, anchor="_pi87_partie3")
        self.p("Un chapitre par cas : sa fiche, les évaluateurs dont il contient des réponses, puis chaque entretien "
               "et ses réponses en entier. « modifiée dans Word » : réponse corrigée dans le compte rendu après son "
               "export.", S.NOTICE)
        for case in self.c.cases:
            self.chapter(case)
            yield self.body.flush()
            if self.progress:
                self.progress(case.project.id)

    def chapter(self, case: Case) -> None:
        p = case.project
        self.body.heading(2, f"{case.number}. {case.label}", anchor=case.anchor,
                          ppr="<w:pageBreakBefore/>")
        rows = project_fact_rows(p)
        rows.insert(1, ("Identifiant", p.id))
        evaluators = case.evaluators
        self.body.facts([
            *rows,
            ("Évaluateurs", ", ".join(evaluators) or "non renseigné"),
            ("Fichiers reçus", "\n".join(case.sources)),
        ])
        if not case.interviews:
            self.p([B.run("Aucun entretien enregistré pour ce cas.", style=S.STATE_CHAR)], S.ANSWER)
        for k, interview in enumerate(case.interviews, start=1):
            self.interview(case, k, interview)

    def interview(self, case: Case, k: int, interview: Interview) -> None:
        if interview.answered_count() == 0 and not interview.answers:
            self.p([B.run(f"Entretien {k} — {case.title(interview)} : ", B.rpr(bold=True)),
                    B.run(f"{interview.status.label}, aucune réponse enregistrée.", style=S.STATE_CHAR)], S.ANSWER)
            return
        view = self.c.view_of(interview, case.project)
        grid = self.c.grid(case, interview)
        self.p(f"Entretien {k} — {case.title(interview)}", S.HEADINGS[3], ppr='<w:spacing w:before="360"/>')
        self.body.facts(interview_fact_rows(interview, view.guide))
        for section in grid.sections:
            if len(grid.sections) > 1:
                self.p([B.run(section.title.upper(), B.rpr(bold=True, color=S.MUTED, spacing=10))], S.SMALL,
                       ppr='<w:keepNext/><w:spacing w:before="200" w:after="60"/>')
            for q in section.questions:
                self.question(interview, q.qid, q.label, q.answer)

    def question(self, interview: Interview, qid: str, label: str, answer: Answer | None) -> None:
        start, end = self.body.bookmark(answer_bookmark(interview.id, qid))
        self.p(label, S.QUESTION, before=start, after=end)
        if answer is not None and answer.concurrent:
            self.add(self.conflict_xml(answer, S.CONCURRENT))
            return
        self.add(self.answer_xml(answer, S.ANSWER))
        if answer is None or answer.is_empty:
            return
        meta = ", ".join(x for x in (one_line(answer.author), fr_datetime(answer.updated_at)) if x)
        runs = [B.run(f"— {meta}")] if meta else []
        edited = answer.extra.get(EDITED_IN_WORD)
        if edited:
            runs += [B.run("  "), B.run(f"modifiée dans Word ({one_line(str(edited))})",
                                        B.rpr(bold=True, color=S.WARN))]
        settled = answer.extra.get(SETTLED)
        if isinstance(settled, dict) and settled.get("rev") == answer.rev:
            by = one_line(str(settled.get("by") or "")) or "auteur inconnu"
            runs += [B.run(f"  conflit réglé par {by}, {fr_datetime(str(settled.get('at') or ''))}")]
        if runs:
            self.p(runs, S.SMALL, ppr='<w:ind w:left="227"/>')

    # -- annexes --
    def annexes(self) -> None:
        self.conflict_annex()
        self.provenance_annex()
        self.coverage_annex()

    def conflict_annex(self) -> None:
        self.body.heading(1, ANNEXES[0][0], anchor=ANNEXES[0][1])
        found = [(case, k, i, qid, a) for case in self.c.cases for k, i in enumerate(case.interviews, start=1)
                 for qid, a in i.answers.items() if a.concurrent]
        self.lead_conflicts()
        if not found:
            self.p("Aucun conflit : aucune réponse n’a été modifiée différemment par deux évaluateurs.", S.NOTICE)
            return
        self.p(f"{plural(len(found), 'réponse modifiée', 'réponses modifiées')} différemment par plusieurs évaluateurs. La version "
               "la plus récente est affichée comme réponse ; chaque version est reproduite ici en entier, le "
               "passage qui diffère surligné.", S.NOTICE)
        for case, k, interview, qid, answer in found:
            shown = self.c.grid(case, interview).find(qid)
            label = shown.label if shown else qid
            self.p([B.run(f"{case.number}. {case.label} — E{k} ({case.title(interview)}) — ", B.rpr(bold=True)),
                    B.run(label), B.run("  "), B.link(answer_bookmark(interview.id, qid), "→ réponse")],
                   S.QUESTION)
            self.add(self.conflict_xml(answer, S.CONCURRENT))

    def lead_conflicts(self) -> None:
        """The lead's objects two leads edited differently (judgements, cell summaries, chapter 4's
        documents, conclusions, préconisations): every version in full, the differing words
        highlighted."""
        conflicts = self.synthesis.lead_conflicts if self.synthesis is not None else []
        if not conflicts:
            return
        self.p(f"{plural(len(conflicts), 'élément')} de la synthèse modifié(s) différemment par deux chefs d’équipe : "
               "la version affichée est celle de cet espace de travail ; chaque version est reproduite ici.", S.NOTICE)
        for c in conflicts:
            self.p([B.run(self.lead_conflict_title(c), B.rpr(bold=True))], S.QUESTION)
            first = c.versions[0][0]
            for n, (text, author, when, origin) in enumerate(c.versions):
                other = c.versions[1][0] if n == 0 and len(c.versions) > 1 else first
                who = ", ".join(x for x in (one_line(author), fr_datetime(when), origin) if x)
                self.p([B.run("Version affichée" if n == 0 else "Version concurrente", B.rpr(bold=True)),
                        B.run(f" — {who}" if who else "")], S.CONCURRENT, ppr="<w:keepNext/>")
                self.add("".join(B.paragraph(runs, S.CONCURRENT)
                                 for runs in marked_runs(citations.strip_citations(text),
                                                         citations.strip_citations(other))))

    def lead_conflict_title(self, c: LeadConflict) -> str:
        """"Jugement — 2. Efficacité", "Synthèse de cellule — 3. INSUP — 8.1", "Chapitre 4 — source k"."""
        if c.kind == "jugement":
            return f"Jugement — {c.key}"
        if c.kind == "synthèse de cellule":
            project_id, _, qid = c.key.partition(" / ")
            case = next((x for x in self.c.cases if x.project.id == project_id), None)
            guide = self.c.guides.get(case.project.guide_id) if case else None
            number = guide.number(qid) if guide is not None else ""
            return f"Synthèse de cellule — {case.number}. {case.label} — {number or qid}" if case \
                else f"Synthèse de cellule — {c.key}"
        return f"Chapitre 4 — {c.kind} {c.key}"

    def provenance_annex(self) -> None:
        self.body.heading(1, ANNEXES[1][0], anchor=ANNEXES[1][1])
        self.p("Chaque fichier reçu : son nom, l’évaluateur qui l’a envoyé, l’heure de son export et son empreinte "
               "SHA-256. Deux fichiers de même nom envoyés par deux évaluateurs restent deux lignes ; deux fichiers "
               "de même empreinte sont identiques octet pour octet (le second est un doublon).", S.NOTICE)
        if not self.c.sources:
            self.p("Aucun fichier importé n’est enregistré dans cet espace de travail.", S.ANSWER)
            return
        widths = [2300, 1500, 1700, 1250, S.TEXT_WIDTH - 6750]
        rows = [B.header_row(["Fichier", "Statut", "Évaluateur", "Exporté le", "SHA-256"], widths)]
        names: dict[str, int] = {}
        for s in self.c.sources:
            names[s.file] = names.get(s.file, 0) + 1
        for n, s in enumerate(self.c.sources):
            fill = S.LABEL_SHADE if n % 2 else None
            status = s.status + (f" : {s.reason}" if s.reason else "")
            file_runs = [B.run(s.file)]
            if names[s.file] > 1:
                file_runs += [B.run(" (même nom)", B.rpr(color=S.WARN, size=7.5))]
            sha = s.sha256 or "—"
            rows.append(B.row([
                B.cell(B.paragraph(file_runs, S.TABLE_TEXT) +
                       (B.paragraph([B.run(s.project_id, B.rpr(color=S.MUTED, size=7.5))], S.TABLE_TEXT)
                        if s.project_id else ""), widths[0], fill=fill),
                B.cell(B.paragraph([B.run(status, B.rpr(color=S.WARN) if s.error else "")], S.TABLE_TEXT),
                       widths[1], fill=fill),
                B.cell(B.paragraph(s.evaluator or "—", S.TABLE_TEXT), widths[2], fill=fill),
                B.cell(B.paragraph(fr_datetime(s.exported_at) or "—", S.TABLE_TEXT), widths[3], fill=fill),
                # the digest in two halves so it wraps cleanly and can be compared by eye
                B.cell(B.paragraph([B.run(sha[:32] + ("\n" + sha[32:] if len(sha) > 32 else ""),
                                          B.rpr(mono=True, size=7))], S.TABLE_TEXT), widths[4], fill=fill),
            ]))
        self.add(B.table(widths, rows))

    def coverage_annex(self) -> None:
        self.body.heading(1, ANNEXES[2][0], anchor=ANNEXES[2][1])
        self.p("Ce qui manque : les études de cas et les entretiens de la campagne sans compte rendu, les entretiens "
               "prévus restés sans réponse et, par question évaluative, les questions de la grille qui s’y "
               "rattachent laissées « non abordé » ou refusées.", S.NOTICE)
        self.body.heading(2, "Campagne : cas et entretiens sans compte rendu")
        if self.c.missing:
            self.add(B.text_table([["Cas ou entretien", "Situation"], *[[w, why] for w, why in self.c.missing]],
                                  [6000, S.TEXT_WIDTH - 6000], header=True))
        else:
            self.p("Toutes les études de cas et tous les entretiens de la campagne ont un compte rendu.", S.ANSWER)
        planned = [(case, k, i) for case in self.c.cases for k, i in enumerate(case.interviews, start=1)
                   if i.answered_count() == 0]
        self.body.heading(2, "Entretiens prévus sans réponse")
        if planned:
            for case, k, i in planned:
                self.p([B.link(case.anchor, [B.run(f"{case.number}. {case.label}", B.rpr(bold=True))]),
                        B.run(f" — E{k} · {case.title(i)} ({i.status.label})")], S.ANSWER)
        else:
            self.p("Aucun.", S.ANSWER)
        self.body.heading(2, "Questions rattachées non abordées ou refusées")
        if self.synthesis is None:
            self.p("Pas de synthèse dans cet espace de travail : le rattachement des questions de la grille aux "
                   "questions évaluatives n’est pas disponible.", S.ANSWER)
            return
        widths = [4000, 3200, S.TEXT_WIDTH - 7200]
        for j in self.synthesis.judgements:
            rows = [B.header_row(["Question de la grille", "Cas et entretien", "État"], widths)]
            count = 0
            for case in self.c.cases:
                for k, i in enumerate(case.interviews, start=1):
                    view, grid = self.c.view_of(i, case.project), self.c.grid(case, i)
                    for gid, qid in j.mapped:
                        if gid and gid != view.id:
                            continue
                        a = i.answers.get(qid)
                        if a is None or a.state not in (AnswerState.NOT_ASKED, AnswerState.DECLINED):
                            continue
                        q = grid.find(qid)
                        count += 1
                        rows.append(B.row([
                            B.cell(B.paragraph(q.label if q else qid, S.TABLE_TEXT), widths[0]),
                            B.cell(B.paragraph([B.link(answer_bookmark(i.id, qid),
                                                       f"{case.number}. {case.label} — E{k}")], S.TABLE_TEXT), widths[1]),
                            B.cell(B.paragraph(_state_runs(a), S.TABLE_TEXT), widths[2]),
                        ]))
            self.p([B.run(f"{j.registre or j.id} : ", B.rpr(bold=True)),
                    B.run(f"{plural(count, 'réponse « non abordé » ou refusée', 'réponses « non abordé » ou refusées')} pour "
                          f"{plural(len(j.mapped), 'question rattachée', 'questions rattachées')}")],
                   S.ANSWER, ppr='<w:keepNext/><w:spacing w:before="200"/>')
            if count:
                self.add(B.table(widths, rows))


def build_volume(content: VolumeContent, progress: Callable[[str], None] | None = None, *,
                 only: str = "") -> bytes:
    """The consolidated volume as .docx bytes (nothing is written to disk here). `only`
    "conclusions": Part I alone, the report's chapter 4 to paste into the report."""
    evaluators = content.evaluators
    digest = hashlib.sha256("".join(sorted(s.sha256 for s in content.sources if s.sha256)).encode()).hexdigest()
    mark = f" ({PSEUDONYMISED_MARK})" if content.pseudonymised else ""
    document = S.new_document(
        title="PI 8.7 — Volume consolidé des travaux de terrain" + mark,
        subject="Évaluation de la PI 8.7 du FSE : études de cas et entretiens qualitatifs" + mark,
        author=", ".join(evaluators) or "Équipe d’évaluation",
        identifier=f"pi87-field-{content.origin}:{digest[:32]}",
        created=content.made_at,
        keywords="PI 8.7; FSE; évaluation; volume consolidé" + (f"; {PSEUDONYMISED_MARK}" if mark else ""),
        description=f"Volume consolidé de {len(content.cases)} cas"
                    + (" — volume pseudonymisé, non réimportable" if mark else ""),
        category="Volume consolidé" + (f" · {PSEUDONYMISED_MARK}" if mark else ""),
    )
    left, top = "PI 8.7 · volume consolidé", "Évaluation de la PI 8.7 du FSE · volume consolidé"
    if only:
        left, top = "PI 8.7 · chapitre 4", "Évaluation de la PI 8.7 du FSE · conclusions et préconisations"
    if content.pseudonymised:       # every page says so
        # shorter header: the mark stays on the line (it wrapped in LibreOffice)
        left, top = f"{left} · {PSEUDONYMISED_MARK.upper()}", f"PI 8.7 du FSE · volume consolidé {PSEUDONYMISED_MARK}"
    B.page_number_footer(document.sections[0], left, header_text=top,
                         first_page_plain=not content.pseudonymised and not only)
    writer = _VolumeWriter(content, progress, only)
    return B.document_bytes_with_body(document, writer.chunks(), stream=True, footnotes=writer.footnotes)


def conflict_count_label(conflict: LeadConflict) -> str:
    return f"Conflit : {len(conflict.versions)} versions"


def lead_conflict_xml(conflict: LeadConflict, style: str, *, heading: bool = True) -> str:
    """Every version of a lead's object edited both ways (judgement, cell summary, chapter 4),
    each with who, when and where it came from, the shown one first. A helper Part I and the
    conflicts annex share."""
    out = ""
    if heading:
        out += B.paragraph([B.run(f"⚠ {conflict_count_label(conflict)}", B.rpr(bold=True, color=S.WARN))], style,
                           ppr="<w:keepNext/>")
    for n, (text, author, when, source) in enumerate(conflict.versions):
        who = ", ".join(x for x in (one_line(author), fr_datetime(when), one_line(source) if n else "") if x)
        label = "Version affichée" if n == 0 else "Version concurrente"
        out += B.paragraph([B.run(label, B.rpr(bold=True)), B.run(f" — {who}" if who else "")], style,
                           ppr="<w:keepNext/>")
        out += B.text_paragraphs(text, style) if text.strip() else B.paragraph("", style)
    return out
