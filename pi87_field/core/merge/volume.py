"""The consolidated volume (.docx) of a merge: cover, table of contents, overview of the cases,
one chapter per project, cross-case matrices per guide section (landscape pages), appendices
of conflicts and of provenance.

The look (styles, fonts, colours, footer) is the one of every Word file pi87-field writes:
`docx_style`. Speed matters (127 write-ups make tens of thousands of paragraphs), so the body
is written as WordprocessingML text in one pass and parsed once, never paragraph by paragraph
through python-docx. Headings use the built-in styles (Title, Heading 1/2/3, TOC Heading), so
Word's navigation pane and table of contents work, in a French Word too.

Where each answer appears: in its project's chapter (in full, with its concurrent versions) and
in the matrix of its guide section (an excerpt, concurrent versions too, with a link to the
chapter). Conflicts are listed again in appendix A with every version in full.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from pi87_field.core.fr import fr_date, fr_datetime
from pi87_field.core.guides import Guide, GuideLibrary, Question, Section, numbered, question_numbers
from pi87_field.core.model import (
    ANSWER_STATE_LABELS,
    Answer,
    AnswerState,
    Interview,
    Project,
    ProjectKind,
)
from pi87_field.core.money import NBSP, format_amount, format_int
from pi87_field.core.summary import interview_people, interview_progress, interview_title, project_fact_rows
from pi87_field.core.text import clean_text, excerpt, one_line
from pi87_field.core.word import style as S
from pi87_field.core.word.format import PSEUDONYMISED_MARK, PSEUDONYMISED_NO_IMPORT, PSEUDONYMISED_NOTICE

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.merge.consolidation import Conflict, Consolidation, MergedProject

MATRIX_COLUMNS = 4            # case columns per matrix table (landscape)
MATRIX_EXCERPT = 160          # characters of an answer shown in a matrix cell (several interviews)
MATRIX_EXCERPT_SINGLE = 300   # ... when the column is one interview
MATRIX_ROW_LINES = 42         # taller matrix rows may break across pages
CASE_STUDY_GUIDE = "etude-de-cas"

# Styles of the volume's own (added to this document only; the shared ones are in docx_style).
CELL = "VolCellule"
CELL_REF = "VolRenvoi"
QUESTION = "VolQuestion"
_VOLUME_STYLES = (
    f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{CELL}"><w:name w:val="Cellule de matrice"/>'
    '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="50" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
    f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{CELL_REF}"><w:name w:val="Renvoi"/>'
    '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="20" w:after="0" w:line="240" '
    f'w:lineRule="auto"/><w:jc w:val="right"/></w:pPr><w:rPr><w:color w:val="{S.MUTED}"/><w:sz w:val="14"/>'
    '<w:szCs w:val="14"/></w:rPr></w:style>'
    f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{QUESTION}"><w:name w:val="Question"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Reponse"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
    '<w:spacing w:before="160" w:after="60" w:line="252" w:lineRule="auto"/></w:pPr>'
    f'<w:rPr><w:b/><w:bCs/><w:color w:val="{S.ACCENT}"/></w:rPr></w:style>'
)


# -- XML helpers -----------------------------------------------------------------------------------

def _run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
         size: float | None = None, mono: bool = False, style: str | None = None) -> str:
    props = ['<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>'] if mono else []
    props += S.font_props(size, color, bold=bold, italic=italic)
    return S.run_xml(clean_text(text), "".join(props), style=style)


def _p(content: str | list[str] = "", style: str | None = None, *, ppr: str = "", before: str = "",
       after: str = "") -> str:
    if isinstance(content, str) and content:
        content = [_run(content)]
    return S.paragraph_xml(content, style, ppr=ppr, before=before, after=after)


def _text_paras(text: str, style: str, ppr: str = "") -> str:
    """An answer's paragraphs: blank lines separate paragraphs, single newlines are breaks."""
    blocks = [b.strip("\n") for b in clean_text(text).split("\n\n")]
    return "".join(_p([_run(b)], style, ppr=ppr) for b in blocks if b.strip()) or _p("", style, ppr=ppr)


def _link(anchor: str, text: str, *, size: float | None = None) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{_run(text, size=size, style="Hyperlink")}</w:hyperlink>'


def _cell(content: str, width: int, *, fill: str | None = None, span: int = 1) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if fill:
        props.append(S.shading_xml(fill))
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{content or _p('', S.TABLE_TEXT)}</w:tc>"


def _row(cells: Iterable[str], *, header: bool = False, cant_split: bool = True) -> str:
    props = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def _table(widths: list[int], rows: Iterable[str]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{S.TABLE_STYLE}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _head_row(heads: list[str], widths: list[int], aligns: list[str | None] | None = None,
              style: str = S.TABLE_TEXT) -> str:
    aligns = aligns or [None] * len(heads)
    return _row([
        _cell(_p([_run(h, bold=True, color=S.ACCENT)], style, ppr=f'<w:jc w:val="{a}"/>' if a else ""), w,
              fill=S.ACCENT_SOFT)
        for h, w, a in zip(heads, widths, aligns)
    ], header=True)


def _facts(rows: list[tuple[str, str]], width: int = S.TEXT_WIDTH) -> str:
    rows = [(label, value) for label, value in rows if value]
    return S.table_xml([(label, clean_text(value)) for label, value in rows], [2750, width - 2750],
                       label_column=True) + _p("", S.SMALL)


def _jc(align: str | None) -> str:
    return f'<w:jc w:val="{align}"/>' if align else ""


# -- values --------------------------------------------------------------------------------------

def format_timestamp(value: str) -> str:
    """ISO 8601 -> "14/10/2019 à 10:05" (the one French format: `fr.fr_datetime`)."""
    return fr_datetime(value)


def format_percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{math.floor(ratio * 100 + 0.5)}{NBSP}%"


def _consent(value: bool | None) -> str:
    return {True: "oui", False: "non", None: "non renseigné"}[value]


def _interviewees(interview: Interview) -> str:
    lines = []
    for p in interview.interviewees:
        detail = ", ".join(x for x in (p.role, p.organisation) if x)
        who = p.name or ""
        lines.append(" — ".join(x for x in (who, detail) if x) or "(non renseigné)")
    return "\n".join(lines) or "non renseigné"


def _state_label(answer: Answer | None) -> str:
    return ANSWER_STATE_LABELS["empty" if answer is None else answer.mark]


def _meta(author: str, updated_at: str, source: str = "") -> str:
    return ", ".join(x for x in (author, format_timestamp(updated_at), source) if x)


def chapter_title(project: Project) -> str:
    if project.kind == ProjectKind.CASE_STUDY and project.carrier:
        return one_line(project.carrier)
    return one_line(project.title) or project.id


# -- guides as shown -----------------------------------------------------------------------------

@dataclass
class _GuideView:
    """The guide an interview is shown against: a known guide, or one rebuilt from the question
    texts the interviews carry (a guide this installation does not have)."""

    id: str
    title: str
    sections: tuple[Section, ...]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]

    @property
    def numbers(self) -> dict[str, str]:
        """The guide's numbering (`guides.question_numbers`), the same as the write-up's and the TUI's."""
        return question_numbers(self.sections)


def _guide_view(guides: GuideLibrary, guide_id: str, interviews: list[Interview]) -> _GuideView:
    guide: Guide | None = guides.get(guide_id) if guide_id else None
    if guide is not None:
        return _GuideView(guide.id, guide.title, guide.sections)
    texts: dict[str, str] = {}
    for i in interviews:
        for qid, text in i.question_texts.items():
            texts.setdefault(qid, text)
        for qid in i.answers:
            texts.setdefault(qid, qid)
    questions = tuple(Question(id=qid, text=one_line(text.split("\n")[0]) or qid) for qid, text in texts.items())
    title = f"Grille « {guide_id} » (absente de cette installation)" if guide_id else "Questions sans grille"
    return _GuideView(guide_id, title, (Section(id="questions", title="Questions", questions=questions),))


def _guide_id(interview: Interview, project: Project) -> str:
    return interview.guide_id or project.guide_id


def _question_label(q: Question, number: str) -> str:
    return numbered(number, one_line(q.text))


# -- the writer ----------------------------------------------------------------------------------

@dataclass
class _Chapter:
    number: int
    merged: MergedProject
    anchor: str
    interviews: list[Interview]


@dataclass
class _Column:
    header: str
    chapter: _Chapter
    interviews: list[tuple[int, Interview]]      # (number in the chapter, interview)
    single: bool                                  # one interview per column (interview series)


class _VolumeWriter:
    def __init__(self, state: Consolidation, guides: GuideLibrary, conflicts: list[Conflict]) -> None:
        self.state = state
        self.conflicts = conflicts
        self.parts: list[str] = []
        self._bookmark = 0
        self._after_section_break = False
        self.chapters = [_Chapter(n, m, f"_pi87_chap{n}", m.ordered_interviews())
                         for n, m in enumerate(state.ordered_projects(), start=1)]
        by_guide: dict[str, list[Interview]] = {}
        for ch in self.chapters:
            for i in ch.interviews:
                by_guide.setdefault(_guide_id(i, ch.merged.project), []).append(i)
        self.views = {gid: _guide_view(guides, gid, ivs) for gid, ivs in by_guide.items()}
        # header/footer references per orientation (landscape ones have their own tab stops)
        self.sect_refs = {False: "", True: ""}

    def add(self, xml: str) -> None:
        self.parts.append(xml)
        self._after_section_break = False

    def heading(self, level: int, text: str, *, anchor: str | None = None, new_page: bool = False) -> None:
        before = after = ""
        if anchor:
            self._bookmark += 1
            before = f'<w:bookmarkStart w:id="{self._bookmark}" w:name="{anchor}"/>'
            after = f'<w:bookmarkEnd w:id="{self._bookmark}"/>'
        ppr = ""
        if level == 1 and self._after_section_break:
            ppr = '<w:pageBreakBefore w:val="0"/>'   # the section break already starts a page
        elif level > 1 and new_page and not self._after_section_break:
            ppr = "<w:pageBreakBefore/>"
        self.add(_p(text, S.HEADINGS[level], ppr=ppr, before=before, after=after))

    def sect_pr(self, landscape: bool, *, first: bool = False) -> str:
        w, h = (S.PAGE_H, S.PAGE_W) if landscape else (S.PAGE_W, S.PAGE_H)
        orient = ' w:orient="landscape"' if landscape else ""
        return (f"<w:sectPr>{self.sect_refs[landscape]}<w:type w:val=\"nextPage\"/>"
                f'<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
                f'<w:pgMar w:top="{S.MARGIN_TOP}" w:right="{S.MARGIN_LR}" w:bottom="{S.MARGIN_BOTTOM}" '
                f'w:left="{S.MARGIN_LR}" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="708"/>'
                f'{"<w:titlePg/>" if first else ""}<w:docGrid w:linePitch="360"/></w:sectPr>')

    def end_section(self, landscape: bool, *, first: bool = False) -> None:
        """Close the section so far (portrait or landscape pages); what follows starts a page."""
        self.parts.append(f"<w:p><w:pPr>{self.sect_pr(landscape, first=first)}</w:pPr></w:p>")
        self._after_section_break = True

    def chunks(self) -> Iterator[str]:
        """The body, a piece at a time (a chapter, a matrix section…): memory stays bounded
        by the largest piece, not by the volume."""
        def flush() -> str:
            text = "".join(self.parts)
            self.parts = []
            return text

        # Sections: cover and contents (portrait), overview (landscape), chapters (portrait),
        # matrices and appendices (landscape: the body's own last section, see build_volume).
        self.cover()
        self.contents()
        self.end_section(False, first=True)
        self.overview()
        self.end_section(True)
        yield flush()
        for chapter in self.chapters:
            self.chapter(chapter)
            yield flush()
        self.end_section(False)
        yield from self.matrices(flush)
        self.conflict_appendix()
        self.provenance_appendix()
        yield flush()

    def build(self) -> str:
        return "".join(self.chunks())

    # -- cover and contents --
    def cover(self) -> None:
        counts = self.state.counts()
        evaluators = sorted({n for r in self.state.inputs for n in r.evaluators})
        kicker = "Évaluation de la PI 8.7 du FSE · Travaux de terrain"
        self.add(_p([_run(kicker.upper(), color=S.MUTED)], S.SMALL, ppr='<w:spacing w:before="1800" w:after="480"/>'))
        self.add(_p("Volume consolidé des travaux de terrain", S.TITLE))
        self.add(_p("Études de cas et entretiens qualitatifs : comptes rendus des évaluateurs, vue d’ensemble, "
                    "matrices transversales", S.SUBTITLE))
        merged = counts.inputs - counts.duplicates - counts.errors
        self.add(_p([_run("SYNTHÈSE", bold=True, color=S.ACCENT)], S.SMALL, ppr='<w:spacing w:before="240" w:after="80"/>'))
        self.add(_facts([
            ("Consolidé le", format_timestamp(self.state.merged_at)),
            ("Fichiers reçus", f"{format_int(counts.inputs)} : {format_int(merged)} fusionné(s), "
                               f"{format_int(counts.duplicates)} doublon(s), {format_int(counts.errors)} en erreur"),
            ("Projets", format_int(counts.projects)),
            ("Entretiens", format_int(counts.interviews)),
            ("Réponses", format_int(counts.answers)),
            ("Réponses en conflit", format_int(counts.conflicts)),
            ("Évaluateurs", ", ".join(evaluators) or "non renseigné"),
        ]))
        if self.state.pseudonymised:
            self.add(_p([_run("Volume pseudonymisé. ", bold=True),
                         _run(PSEUDONYMISED_NOTICE.split(" : ", 1)[1][0].upper()
                              + PSEUDONYMISED_NOTICE.split(" : ", 1)[1][1:]
                              + (" Niveau strict : fonctions et organismes des personnes interrogées "
                                 "ramenés à leur catégorie." if self.state.pseudonymised == "strict" else ""))],
                        S.NOTICE))
            self.add(_p([_run(PSEUDONYMISED_NO_IMPORT, bold=True)], S.SMALL))
        self.add(_p("Les réponses modifiées différemment par deux évaluateurs (conflits) sont signalées dans "
                    "les chapitres et les matrices, et détaillées en annexe A ; l’origine de chaque fichier "
                    "reçu figure en annexe B.", S.NOTICE))

    def contents(self) -> None:
        """A TOC field pre-filled with links to the chapters (Word adds page numbers on update)."""
        entries = [("Vue d’ensemble des cas", "_pi87_overview")]
        entries += [(f"{c.number}. {chapter_title(c.merged.project)}", c.anchor) for c in self.chapters]
        entries += [("Matrices transversales", "_pi87_matrices"), ("Annexe A — Conflits", "_pi87_annexA"),
                    ("Annexe B — Provenance des fichiers", "_pi87_annexB")]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        self.add(S.page_break_xml() + _p("Sommaire", S.TOC_HEADING))
        for n, (text, anchor) in enumerate(entries):
            runs = [begin if n == 0 else "", _link(anchor, text), end if n == len(entries) - 1 else ""]
            self.add(_p(runs, "TOC1"))

    # -- overview --
    def overview(self) -> None:
        self.heading(1, "Vue d’ensemble des cas", anchor="_pi87_overview")
        widths = [760, 1650, 520, 3000, 3872, 1600, 1150, 1450]
        heads = ["Chap.", "Type", "OS", "Porteur", "Intitulé de l’opération", "Montant FSE",
                 "Entretiens", "Complétude"]
        aligns = [None, None, "center", None, None, "right", "center", "right"]
        rows = [_head_row(heads, widths, aligns)]
        total = Decimal("0")
        with_amount = interviews = expected = answered = 0
        for n, ch in enumerate(self.chapters):
            p = ch.merged.project
            exp, ans = self._completeness(ch)
            expected, answered = expected + exp, answered + ans
            if p.fse_amount is not None:
                total += p.fse_amount
                with_amount += 1
            interviews += len(ch.interviews)
            fill = S.LABEL_SHADE if n % 2 else None
            kind = "Étude de cas" if p.kind == ProjectKind.CASE_STUDY else "Entretiens qualitatifs"
            values = [
                _link(ch.anchor, str(ch.number)), _run(kind), _run(str(p.os) if p.os else "—"),
                _run(one_line(p.carrier) or "—"), _run(one_line(p.title) or "—"),
                _run(format_amount(p.fse_amount) if p.fse_amount is not None else "—"),
                _run(format_int(len(ch.interviews))), _run(format_percent(ans / exp if exp else None)),
            ]
            rows.append(_row([_cell(_p([v], S.TABLE_TEXT, ppr=_jc(a)), w, fill=fill)
                              for v, w, a in zip(values, widths, aligns)]))
        label = f"Total : {format_int(len(self.chapters))} projet(s)"
        if with_amount != len(self.chapters):
            label += f", montant FSE de {format_int(with_amount)} étude(s) de cas"
        rows.append(_row([
            _cell(_p([_run(label, bold=True)], S.TABLE_TEXT), sum(widths[:5]), fill=S.ACCENT_SOFT, span=5),
            _cell(_p([_run(format_amount(total), bold=True)], S.TABLE_TEXT, ppr=_jc("right")), widths[5], fill=S.ACCENT_SOFT),
            _cell(_p([_run(format_int(interviews), bold=True)], S.TABLE_TEXT, ppr=_jc("center")), widths[6], fill=S.ACCENT_SOFT),
            _cell(_p([_run(format_percent(answered / expected if expected else None), bold=True)], S.TABLE_TEXT,
                     ppr=_jc("right")), widths[7], fill=S.ACCENT_SOFT),
        ]))
        self.add(_table(widths, rows))
        self.add(_p("Montant FSE : montant programmé (annexe 5.1 du rapport). Complétude : part des questions "
                    "de la grille qui ont une réponse ou un état explicite (non abordé, refus de répondre, sans "
                    "objet), sur l’ensemble des entretiens du projet. Le numéro de chapitre renvoie au détail.",
                    S.SMALL, ppr='<w:spacing w:before="120"/>'))

    def _completeness(self, ch: _Chapter) -> tuple[int, int]:
        expected = answered = 0
        for i in ch.interviews:
            got, out_of = interview_progress(i, self.views[_guide_id(i, ch.merged.project)])
            expected += out_of
            answered += got
        return expected, answered

    # -- chapters --
    def chapter(self, ch: _Chapter) -> None:
        p = ch.merged.project
        self.heading(1, f"{ch.number}. {chapter_title(p)}", anchor=ch.anchor)
        evaluators = list(dict.fromkeys(i.interviewer for i in ch.interviews if i.interviewer))
        rows = project_fact_rows(p)
        rows.insert(1, ("Identifiant", p.id))
        self.add(_facts([
            *rows,
            ("Évaluateurs", ", ".join(evaluators) or "non renseigné"),
            ("Fichiers reçus", "\n".join(ch.merged.sources)),
        ]))
        if not ch.interviews:
            self.add(_p([_run("Aucun entretien dans les fichiers reçus.", style=S.STATE_CHAR)], S.ANSWER))
        for k, interview in enumerate(ch.interviews, start=1):
            self.interview(ch, k, interview)

    def interview(self, ch: _Chapter, k: int, interview: Interview) -> None:
        view = self.views[_guide_id(interview, ch.merged.project)]
        self.heading(2, f"Entretien {k} — {interview_title(ch.merged.project, interview)}")
        qids = view.question_ids
        self.add(_facts([
            ("Évaluateur·rice", interview.interviewer or "non renseigné"),
            ("Date", fr_date(interview.date) or "à fixer"),
            ("Mode", interview.mode.label if interview.mode else ""),
            ("Personnes interrogées", _interviewees(interview)),
            ("Consentement", _consent(interview.consent)),
            ("Statut", interview.status.label),
            ("Grille", view.title + (f" (version {interview.guide_version})" if interview.guide_version else "")),
            ("Avancement", "{} / {} questions renseignées".format(*interview_progress(interview, view)) if qids else ""),
            ("Notes", interview.notes.strip()),
        ]))
        if not interview.answers:
            self.add(_p([_run("Aucune réponse enregistrée pour cet entretien.", style=S.STATE_CHAR)], S.ANSWER))
            return
        known = set(qids)
        numbers = view.numbers
        for section in view.sections:
            self.heading(3, section.title)
            for q in section.questions:
                self.question(_question_label(q, numbers[q.id]), interview.answers.get(q.id))
        outside = [qid for qid in interview.answers if qid not in known]
        if outside:
            self.heading(3, "Questions hors grille")
            for qid in outside:
                text = one_line(interview.question_texts.get(qid, "").split("\n")[0]) or qid
                self.question(f"{text} [{qid}]", interview.answers[qid])

    def question(self, label: str, answer: Answer | None) -> None:
        self.add(_p(label, QUESTION))
        if answer is None or answer.is_empty:
            self.add(_p([_run(_state_label(answer), style=S.STATE_CHAR)], S.ANSWER))
        else:
            if answer.state != AnswerState.ANSWERED:
                self.add(_p([_run(answer.state.label, style=S.STATE_CHAR)], S.ANSWER))
            if answer.text.strip():
                self.add(_text_paras(answer.text, S.ANSWER))
            meta = _meta(answer.author, answer.updated_at)
            if meta:
                self.add(_p(f"— {meta}", S.SMALL, ppr='<w:ind w:left="227"/>'))
        for version in answer.concurrent if answer is not None else ():
            head = [_run("Version concurrente", bold=True),
                    _run(f" — {_meta(version.author, version.updated_at, version.source)}")]
            if version.state != AnswerState.ANSWERED:
                head.append(_run(f" — {version.state.label}", style=S.STATE_CHAR))
            self.add(_p(head, S.CONCURRENT, ppr="<w:keepNext/>"))
            if version.text.strip():
                self.add(_text_paras(version.text, S.CONCURRENT))

    # -- matrices --
    def _columns(self, guide_id: str) -> list[_Column]:
        columns = []
        for ch in self.chapters:
            p = ch.merged.project
            numbered = [(k, i) for k, i in enumerate(ch.interviews, start=1) if _guide_id(i, p) == guide_id]
            if not numbered:
                continue
            if p.kind == ProjectKind.INTERVIEW_SERIES:
                for k, i in numbered:
                    columns.append(_Column(f"{interview_people(i) or 'Entretien'} (chap. {ch.number}, E{k})", ch, [(k, i)], True))
            else:
                columns.append(_Column(f"{ch.number}. {chapter_title(p)}", ch, numbered, False))
        return columns

    def matrices(self, flush: Callable[[], str]) -> Iterator[str]:
        self.heading(1, "Matrices transversales", anchor="_pi87_matrices")
        self.add(_p("Une matrice par section de grille : les questions en lignes, les cas en colonnes (pour les "
                    "entretiens qualitatifs, chaque entretien est une colonne). Chaque cellule donne la réponse ou "
                    "son début et renvoie au chapitre où elle figure en entier ; E1, E2… numérotent les entretiens "
                    "dans le chapitre. Les versions concurrentes d’une réponse en conflit sont signalées par « ≠ ».",
                    S.NOTICE))
        first = True
        ordered = sorted(self.views.items(), key=lambda kv: (kv[0] != CASE_STUDY_GUIDE, kv[0]))
        for guide_id, view in ordered:
            columns = self._columns(guide_id)
            if not columns:
                continue
            known = set(view.question_ids)
            extra: dict[str, str] = {}
            for col in columns:
                for _, i in col.interviews:
                    for qid in i.answers:
                        if qid not in known and qid not in extra:
                            extra[qid] = one_line(i.question_texts.get(qid, "").split("\n")[0]) or qid
            sections = list(view.sections)
            if extra:
                sections.append(Section(id="hors-grille", title="Questions hors grille",
                                        questions=tuple(Question(id=q, text=f"{t} [{q}]") for q, t in extra.items())))
            for section in sections:
                self.heading(2, f"{view.title} — {section.title}", new_page=not first)
                first = False
                self.matrix(section, columns, view.numbers)
                yield flush()

    def matrix(self, section: Section, columns: list[_Column], numbers: dict[str, str]) -> None:
        q_w = 3000
        col_w = (S.LANDSCAPE_TEXT_WIDTH - q_w) // MATRIX_COLUMNS
        groups = math.ceil(len(columns) / MATRIX_COLUMNS)
        for g in range(groups):
            chunk = columns[g * MATRIX_COLUMNS:(g + 1) * MATRIX_COLUMNS]
            widths = [q_w] + [col_w] * len(chunk)
            if groups > 1:
                first, last = g * MATRIX_COLUMNS + 1, g * MATRIX_COLUMNS + len(chunk)
                label = f"Colonnes {first} à {last} sur {len(columns)}" if last > first else f"Colonne {first} sur {len(columns)}"
                self.add(_p(label, S.SMALL, ppr='<w:keepNext/><w:spacing w:before="160"/>'))
            rows = [_head_row(["Question"] + [c.header for c in chunk], widths, style=CELL)]
            for n, q in enumerate(section.questions, start=1):
                fill = S.LABEL_SHADE if n % 2 == 0 else None
                label = _question_label(q, numbers.get(q.id, f"H{n}"))
                cells = [_cell(_p([_run(label, bold=True, color=S.ACCENT)], CELL), q_w, fill=fill)]
                cells += [_cell(self.matrix_cell(c, q.id), col_w, fill=fill) for c in chunk]
                # A row stays on one page unless it could not fit on one (Word would cut it).
                lines = max(self._cell_lines(c, q.id, col_w) for c in chunk)
                rows.append(_row(cells, cant_split=lines <= MATRIX_ROW_LINES))
            self.add(_table(widths, rows))

    @staticmethod
    def _cell_lines(column: _Column, qid: str, width: int) -> int:
        """Rough height of a matrix cell in lines (8 pt text: about 85 twips a character)."""
        per_line = max(10, (width - 200) // 85)
        limit = MATRIX_EXCERPT_SINGLE if column.single else MATRIX_EXCERPT
        lines = 1
        for _, interview in column.interviews:
            answer = interview.answers.get(qid)
            if answer is None:
                continue
            for text in [answer.text, *(v.text for v in answer.concurrent)]:
                lines += 1 + min(len(text), limit + 20) // per_line
        return lines

    def matrix_cell(self, column: _Column, qid: str) -> str:
        out = []
        limit = MATRIX_EXCERPT_SINGLE if column.single else MATRIX_EXCERPT
        for k, interview in column.interviews:
            answer = interview.answers.get(qid)
            prefix = [] if column.single else [_run(f"E{k} ", bold=True, color=S.ACCENT)]
            if answer is None:
                continue
            if answer.is_empty:
                out.append(_p(prefix + [_run(_state_label(answer), style=S.STATE_CHAR)], CELL))
            else:
                runs = list(prefix)
                if answer.state != AnswerState.ANSWERED:
                    runs.append(_run(answer.state.label, style=S.STATE_CHAR))
                    if answer.text.strip():
                        runs.append(_run(" : "))
                if answer.text.strip():
                    runs.append(_run(excerpt(answer.text, limit)))
                out.append(_p(runs, CELL))
            for version in answer.concurrent:
                who = version.author or "auteur inconnu"
                text = excerpt(version.text, limit) if version.text.strip() else version.state.label
                out.append(_p([_run(f"≠ {who} : ", bold=True, color=S.WARN), _run(text, color=S.WARN)], CELL))
        if not out:
            return _p([_run("—", color=S.MUTED)], CELL, ppr=_jc("center"))
        ref = f"→ chap. {column.chapter.number}"
        if column.single:
            ref += f", E{column.interviews[0][0]}"
        out.append(_p([_link(column.chapter.anchor, ref)], CELL_REF))
        return "".join(out)

    # -- appendices --
    def conflict_appendix(self) -> None:
        self.heading(1, "Annexe A — Conflits", anchor="_pi87_annexA")
        if not self.conflicts:
            self.add(_p("Aucun conflit : aucune réponse n’a été modifiée différemment par deux évaluateurs.", S.NOTICE))
            return
        self.add(_p(f"{format_int(len(self.conflicts))} réponse(s) modifiée(s) différemment par plusieurs "
                    "évaluateurs. La version la plus récente est affichée comme réponse ; les autres sont "
                    "conservées et reproduites ici en entier.", S.NOTICE))
        chapters = {c.merged.project.id: c for c in self.chapters}
        widths = [1400, 1900, 1500, 2300, S.LANDSCAPE_TEXT_WIDTH - 7100]
        for conflict in self.conflicts:
            ch = chapters.get(conflict.project_id)
            k = next((n for n, i in enumerate(ch.interviews, start=1) if i.id == conflict.interview_id), 0) if ch else 0
            where = f"{ch.number}. {chapter_title(ch.merged.project)}" if ch else conflict.project_id
            question = one_line(conflict.question_text.split("\n")[0]) or conflict.question_id
            self.add(_p(f"{where} — Entretien {k} ({one_line(conflict.interview_label)})", QUESTION))
            self.add(_p(f"Question : {question} [{conflict.question_id}]", S.SMALL, ppr="<w:keepNext/>"))
            rows = [_head_row(["Version", "Auteur", "Date", "Source", "Texte"], widths)]
            for v in conflict.versions:
                fill = None if v.shown else S.LABEL_SHADE
                if v.text.strip():
                    text = v.text if v.state == AnswerState.ANSWERED else f"[{v.state.label}] {v.text}"
                else:
                    text = ANSWER_STATE_LABELS["empty" if v.state == AnswerState.ANSWERED else v.state.value]
                rows.append(_row([
                    _cell(_p([_run("affichée" if v.shown else "concurrente", bold=v.shown)], S.TABLE_TEXT), widths[0], fill=fill),
                    _cell(_p(v.author or "—", S.TABLE_TEXT), widths[1], fill=fill),
                    _cell(_p(format_timestamp(v.updated_at) or "—", S.TABLE_TEXT), widths[2], fill=fill),
                    _cell(_p(v.source or "—", S.TABLE_TEXT), widths[3], fill=fill),
                    _cell(_text_paras(text, S.TABLE_TEXT), widths[4], fill=fill),
                ], cant_split=False))
            self.add(_table(widths, rows))

    def provenance_appendix(self) -> None:
        self.heading(1, "Annexe B — Provenance des fichiers", anchor="_pi87_annexB")
        self.add(_p("Chaque fichier reçu, dans l’ordre de traitement. Deux fichiers de même empreinte SHA-256 sont "
                    "identiques octet pour octet : le second est compté comme doublon et n’est pas fusionné une "
                    "seconde fois. Un fichier en erreur n’a pas été fusionné.", S.NOTICE))
        widths = [2700, 2600, 2000, 2300, 1300, S.LANDSCAPE_TEXT_WIDTH - 10900]
        rows = [_head_row(["Fichier", "Statut", "Projet", "Évaluateur(s)", "Exporté le", "SHA-256"], widths)]
        for n, r in enumerate(self.state.inputs):
            fill = S.LABEL_SHADE if n % 2 else None
            status = r.status.label + (f" : {r.reason}" if r.reason else "")
            sha = r.sha256 or "—"
            rows.append(_row([
                _cell(_p(r.file, S.TABLE_TEXT), widths[0], fill=fill),
                _cell(_p([_run(status, color=S.WARN if r.status.value == "error" else None)], S.TABLE_TEXT),
                      widths[1], fill=fill),
                _cell(_p(r.project_id or "—", S.TABLE_TEXT), widths[2], fill=fill),
                _cell(_p(r.evaluator or "—", S.TABLE_TEXT), widths[3], fill=fill),
                _cell(_p(format_timestamp(r.exported_at) or "—", S.TABLE_TEXT), widths[4], fill=fill),
                # The digest in two halves so it wraps cleanly and can be compared by eye.
                _cell(_p([_run(sha[:32] + ("\n" + sha[32:] if len(sha) > 32 else ""), mono=True, size=7)],
                         S.TABLE_TEXT), widths[5], fill=fill),
            ]))
        self.add(_table(widths, rows))


# -- package --------------------------------------------------------------------------------------

def _references(sect_pr) -> str:
    """The default header/footer references of a section, as XML for our own sections."""
    out = []
    for el in sect_pr:
        if el.tag in (qn("w:headerReference"), qn("w:footerReference")) and el.get(qn("w:type")) == "default":
            kind = "headerReference" if el.tag == qn("w:headerReference") else "footerReference"
            out.append(f'<w:{kind} w:type="default" r:id="{el.get(qn("r:id"))}"/>')
    return "".join(out)


def _header_footer_parts(document, pseudonymised: bool = False) -> dict[bool, str]:
    """One header/footer pair for portrait pages, one for landscape pages (whose tab stops
    follow the wider text area); returns their references by orientation.

    python-docx creates the parts; the sections it adds for that are removed again, the body
    then gets its sections from `_VolumeWriter.sect_pr`.
    """
    left, top = "PI 8.7 · volume consolidé", "Évaluation de la PI 8.7 du FSE · volume consolidé"
    if pseudonymised:       # every page says so
        left, top = f"{left} · {PSEUDONYMISED_MARK.upper()}", f"{top} · {PSEUDONYMISED_MARK}"
    S.add_page_number_footer(document.sections[0], left, header_text=top, first_page_plain=False)
    portrait = _references(document.sections[0]._sectPr)
    landscape_section = document.add_section()
    S.add_page_number_footer(landscape_section, left, header_text=top, first_page_plain=False)
    width = S.LANDSCAPE_TEXT_WIDTH
    tabs = (f'<w:tabs {S.NSDECL}><w:tab w:val="clear" w:pos="{S.TEXT_WIDTH // 2}"/>'
            f'<w:tab w:val="clear" w:pos="{S.TEXT_WIDTH}"/><w:tab w:val="center" w:pos="{width // 2}"/>'
            f'<w:tab w:val="right" w:pos="{width}"/></w:tabs>')
    for part in (landscape_section.header, landscape_section.footer):
        ppr = part.paragraphs[0]._p.get_or_add_pPr()
        style = ppr.find(qn("w:pStyle"))
        if style is not None:  # schema order: pStyle first, then tabs
            style.addnext(parse_xml(tabs))
        else:
            ppr.insert(0, parse_xml(tabs))
    landscape = _references(landscape_section._sectPr)
    body = document.element.body
    for p in body.findall(qn("w:p")):            # the paragraph add_section put in
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            body.remove(p)
    return {False: portrait, True: landscape}


_PLACEHOLDER = "@@pi87-volume-body@@"


def _splice_body(package: bytes, body: Iterable[str]) -> bytes:
    """Stream the body text in place of the placeholder paragraph of the saved package.

    The body of a full volume is tens of megabytes of XML: parsing it into an lxml tree only to
    serialise it again would cost seconds and hundreds of megabytes, so it is written straight
    into the archive, piece by piece. The text comes from our own helpers, which escape
    everything; the tests read every volume back with python-docx.
    """
    marker = S.paragraph_xml(_PLACEHOLDER).encode("utf-8")
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                target.writestr(info.filename, data)
                continue
            head, found, tail = data.partition(marker)
            if not found:  # pragma: no cover - would be a bug in docx_style's serialisation
                raise RuntimeError("volume: body placeholder not found")
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with target.open(member, "w") as stream:
                stream.write(head)
                for piece in body:
                    stream.write(piece.encode("utf-8"))
                stream.write(tail)
    return out.getvalue()


def build_volume(state: Consolidation, guides: GuideLibrary, conflicts: list[Conflict] | None = None) -> bytes:
    """The consolidated volume as .docx bytes (nothing is written to disk here)."""
    evaluators = sorted({n for r in state.inputs for n in r.evaluators})
    digest = hashlib.sha256("".join(sorted(r.sha256 for r in state.inputs if r.sha256)).encode()).hexdigest()
    mark = f" ({PSEUDONYMISED_MARK})" if state.pseudonymised else ""
    document = S.new_document(
        title="PI 8.7 — Volume consolidé des travaux de terrain" + mark,
        subject="Évaluation de la PI 8.7 du FSE : études de cas et entretiens qualitatifs" + mark,
        author=", ".join(evaluators) or "Équipe d’évaluation",
        identifier=f"pi87-field-merge:{digest[:32]}",
        created=state.merged_at,
        keywords="PI 8.7; FSE; évaluation; volume consolidé" + (f"; {PSEUDONYMISED_MARK}" if mark else ""),
        description=f"Volume consolidé de {len(state.inputs)} fichier(s) reçu(s)"
                    + (" — volume pseudonymisé, non réimportable" if mark else ""),
        category="Volume consolidé" + (f" · {PSEUDONYMISED_MARK}" if mark else ""),
    )
    document.styles.element.extend(parse_xml(f"<w:styles {S.NSDECL}>{_VOLUME_STYLES}</w:styles>"))
    S.update_fields_on_open(document)
    writer = _VolumeWriter(state, guides, conflicts if conflicts is not None else state.conflicts())
    writer.sect_refs = _header_footer_parts(document, bool(state.pseudonymised))
    # The body's own section is the last one: matrices and appendices, landscape.
    body = document.element.body
    body.remove(body.find(qn("w:sectPr")))
    body.append(parse_xml(writer.sect_pr(True).replace("<w:sectPr>", f"<w:sectPr {S.NSDECL}>", 1)))
    S.append_body_xml(document, [S.paragraph_xml(_PLACEHOLDER)])
    return _splice_body(S.document_bytes(document), writer.chunks())
