"""The consolidated volume (.docx) of a merge: cover, table of contents, overview of the cases,
one chapter per project, cross-case matrices per guide section (landscape), appendices of
conflicts and of provenance.

Speed matters (127 write-ups make tens of thousands of paragraphs), so the body is written as
WordprocessingML text in one pass and parsed once by lxml, instead of going through python-docx
object by object. python-docx still provides the package: built-in styles (Title,
Heading 1/2/3, TOC Heading, Table Grid), the footer part, core properties. Only built-in
heading styles carry the outline, so Word's navigation pane and TOC work, in a French Word too
(styles are referenced by id, not by localised name).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor

from pi87_field.core.guides import Guide, GuideLibrary, Question, Section
from pi87_field.core.model import (
    ANSWER_STATE_LABELS,
    OS_LABELS,
    Answer,
    AnswerState,
    Interview,
    Project,
    ProjectKind,
)
from pi87_field.core.money import NBSP, format_amount, format_int
from pi87_field.core.text import clean_text, excerpt, one_line

if TYPE_CHECKING:  # pragma: no cover
    from pi87_field.core.merge import Conflict, Consolidation, MergedProject

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Page geometry (twentieths of a point). A4, 2 cm margins portrait, 1.5 cm landscape.
A4_W, A4_H = 11906, 16838
MARGIN_PORTRAIT = 1134
MARGIN_LANDSCAPE = 851
PORTRAIT_TEXT_W = A4_W - 2 * MARGIN_PORTRAIT
LANDSCAPE_TEXT_W = A4_H - 2 * MARGIN_LANDSCAPE

MATRIX_COLUMNS = 4            # case columns per matrix table (landscape)
MATRIX_EXCERPT = 220          # characters of an answer shown in a matrix cell

# Palette, defined once.
INK = "1F2A44"
ACCENT = "1F4E79"
MUTED = "6B7280"
HEAD_FILL = "1F4E79"
ZEBRA_FILL = "F2F5F9"
TOTAL_FILL = "DCE6F1"
CONFLICT_FILL = "FFF4E5"
CONFLICT_INK = "9A5B00"
RULE = "BFC7D5"

# Custom paragraph styles: (style id, name, size pt, bold, italic, colour, space before, after,
# left indent twips, keep with next).
_PARA_STYLES = [
    ("PiQuestion", "Question", 10.5, True, False, ACCENT, 9, 2, 0, True),
    ("PiAnswer", "Réponse", 10.5, False, False, None, 0, 3, 284, False),
    ("PiState", "État de réponse", 10, False, True, MUTED, 0, 3, 284, False),
    ("PiMeta", "Mention", 8.5, False, False, MUTED, 0, 4, 284, False),
    ("PiConflict", "Version concurrente", 10, False, False, CONFLICT_INK, 2, 2, 567, False),
    ("PiCell", "Cellule", 8.5, False, False, None, 0, 2, 0, False),
    ("PiCellSmall", "Cellule discrète", 7.5, False, False, MUTED, 0, 0, 0, False),
    ("PiCellHead", "Cellule d’en-tête", 8.5, True, False, "FFFFFF", 0, 0, 0, False),
    ("PiCoverLine", "Page de titre", 12, False, False, INK, 0, 6, 0, False),
    ("PiNote", "Note", 9, False, True, MUTED, 6, 6, 0, False),
]


# -- WordprocessingML text helpers ---------------------------------------------------------------

def _x(text: str) -> str:
    return escape(clean_text(text), quote=False)


def _attr(text: str) -> str:
    return escape(clean_text(text), quote=True)


def _run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
         size: float | None = None, mono: bool = False) -> str:
    """One run; newlines become line breaks."""
    props = []
    if mono:
        props.append('<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>')
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if color:
        props.append(f'<w:color w:val="{color}"/>')
    if size:
        props.append(f'<w:sz w:val="{int(size * 2)}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    lines = clean_text(text).split("\n")
    body = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line, quote=False)}</w:t>' for line in lines)
    return f"<w:r>{rpr}{body}</w:r>"


def _para(content: str = "", style: str | None = None, *, align: str | None = None,
          keep_next: bool = False, page_break: bool = False, extra_ppr: str = "") -> str:
    ppr = []
    if style:
        ppr.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        ppr.append("<w:keepNext/>")
    if page_break:
        ppr.append("<w:pageBreakBefore/>")
    if extra_ppr:
        ppr.append(extra_ppr)
    if align:
        ppr.append(f'<w:jc w:val="{align}"/>')
    ppr_xml = f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""
    return f"<w:p>{ppr_xml}{content}</w:p>"


def _text_paras(text: str, style: str) -> str:
    """Paragraphs of an answer: blank lines separate paragraphs, single newlines are breaks."""
    blocks = [b for b in clean_text(text).split("\n\n")]
    return "".join(_para(_run(b.strip("\n")), style) for b in blocks if b.strip()) or _para("", style)


def _link(anchor: str, text: str, *, size: float | None = None, color: str = ACCENT) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{_run(text, color=color, size=size)}</w:hyperlink>'


def _cell(content: str, width: int, *, fill: str | None = None, span: int = 1, valign: str | None = None) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if valign:
        props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{content or _para('', 'PiCell')}</w:tc>"


def _row(cells: Iterable[str], *, header: bool = False, cant_split: bool = False) -> str:
    props = []
    if cant_split:
        props.append("<w:cantSplit/>")
    if header:
        props.append("<w:tblHeader/>")
    trpr = f"<w:trPr>{''.join(props)}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def _table(widths: list[int], rows: Iterable[str], *, style: str = "TableGrid") -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _head_cell(text: str, width: int, *, align: str | None = None) -> str:
    return _cell(_para(_run(text), "PiCellHead", align=align), width, fill=HEAD_FILL, valign="bottom")


def _facts_table(rows: list[tuple[str, str]], width: int = PORTRAIT_TEXT_W) -> str:
    label_w = 2600
    out = []
    for n, (label, value) in enumerate(rows):
        fill = ZEBRA_FILL if n % 2 == 0 else None
        out.append(_row([
            _cell(_para(_run(label, bold=True, color=INK), "PiCell"), label_w, fill=fill),
            _cell(_text_paras(value, "PiCell"), width - label_w, fill=fill),
        ], cant_split=True))
    return _table([label_w, width - label_w], out)


# -- formatting of values ------------------------------------------------------------------------

def format_timestamp(value: str) -> str:
    """ISO 8601 -> "14/10/2019 10:05" (local time of the writer); unparsable values as they are."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return one_line(value)
    if moment.hour == moment.minute == moment.second == 0 and "T" not in value:
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%d/%m/%Y %H:%M")


def format_percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)}{NBSP}%"


def _consent(value: bool | None) -> str:
    return {True: "oui", False: "non", None: "non renseigné"}[value]


def _interviewees(interview: Interview) -> str:
    lines = []
    for p in interview.interviewees:
        who = p.name or "(nom non renseigné)"
        detail = ", ".join(x for x in (p.role, p.organisation) if x)
        lines.append(f"{who} — {detail}" if detail else who)
    return "\n".join(lines) or "non renseigné"


# -- model helpers ------------------------------------------------------------------------------

@dataclass
class _GuideView:
    """The guide an interview is shown against: a known guide, or one rebuilt from the texts
    the interview carries (a guide this installation does not have)."""

    id: str
    title: str
    version: str
    sections: tuple[Section, ...]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]


def _guide_view(guides: GuideLibrary, guide_id: str, interviews: list[Interview]) -> _GuideView:
    guide: Guide | None = guides.get(guide_id) if guide_id else None
    if guide is not None:
        return _GuideView(guide.id, guide.title, guide.version, guide.sections)
    texts: dict[str, str] = {}
    for i in interviews:
        for qid, text in i.question_texts.items():
            texts.setdefault(qid, text)
        for qid in i.answers:
            texts.setdefault(qid, qid)
    questions = tuple(Question(id=qid, text=one_line(text.split("\n")[0]) or qid) for qid, text in texts.items())
    title = f"Grille « {guide_id} » (non disponible ici)" if guide_id else "Questions sans grille"
    return _GuideView(guide_id or "", title, "", (Section(id="questions", title="Questions", questions=questions),))


def _interview_guide_id(interview: Interview, project: Project) -> str:
    return interview.guide_id or project.guide_id


def _completeness(merged: MergedProject, views: dict[str, _GuideView]) -> float | None:
    expected = answered = 0
    for interview in merged.interviews.values():
        view = views[_interview_guide_id(interview, merged.project)]
        qids = view.question_ids
        expected += len(qids)
        answered += interview.answered_count(qids)
    return answered / expected if expected else None


def _answer_meta(author: str, updated_at: str, source: str = "") -> str:
    parts = [p for p in (author, format_timestamp(updated_at)) if p]
    text = ", ".join(parts)
    if source:
        text = f"{text} ({source})" if text else source
    return text


def _state_label(answer: Answer | None) -> str:
    if answer is None:
        return ANSWER_STATE_LABELS["empty"]
    return ANSWER_STATE_LABELS[answer.mark]


def _chapter_title(project: Project) -> str:
    if project.kind == ProjectKind.CASE_STUDY and project.carrier:
        return project.carrier
    return project.title or project.id


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
    def __init__(self, state: Consolidation, guides: GuideLibrary, conflicts: list[Conflict],
                 footer_ref: str) -> None:
        self.state = state
        self.guides = guides
        self.conflicts = conflicts
        self.footer_ref = footer_ref
        self.parts: list[str] = []
        self._bookmark = 0
        self._fresh_page = True
        projects = state.ordered_projects()
        self.chapters = [
            _Chapter(n, m, f"_pi87_chap{n}", m.ordered_interviews()) for n, m in enumerate(projects, start=1)
        ]
        # One guide view per guide id in use (interviews may carry guides we do not have).
        by_guide: dict[str, list[Interview]] = {}
        for ch in self.chapters:
            for i in ch.interviews:
                by_guide.setdefault(_interview_guide_id(i, ch.merged.project), []).append(i)
        self.views = {gid: _guide_view(guides, gid, ivs) for gid, ivs in by_guide.items()}

    # -- low level --
    def add(self, xml: str) -> None:
        self.parts.append(xml)
        self._fresh_page = False

    def heading(self, level: int, text: str, *, anchor: str | None = None, new_page: bool = False) -> None:
        content = _run(text)
        if anchor:
            self._bookmark += 1
            bid = self._bookmark
            content = (f'<w:bookmarkStart w:id="{bid}" w:name="{anchor}"/>{content}'
                       f'<w:bookmarkEnd w:id="{bid}"/>')
        self.add(_para(content, f"Heading{level}", page_break=new_page and not self._fresh_page))

    def page_break(self) -> None:
        if not self._fresh_page:
            self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            self._fresh_page = True

    def _sect_pr(self, landscape: bool, *, title_page: bool = False) -> str:
        if landscape:
            size = f'<w:pgSz w:w="{A4_H}" w:h="{A4_W}" w:orient="landscape"/>'
            m = MARGIN_LANDSCAPE
        else:
            size = f'<w:pgSz w:w="{A4_W}" w:h="{A4_H}"/>'
            m = MARGIN_PORTRAIT
        return (f"<w:sectPr>{self.footer_ref}<w:type w:val=\"nextPage\"/>{size}"
                f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="567" '
                f'w:footer="454" w:gutter="0"/><w:cols w:space="708"/>'
                f"{'<w:titlePg/>' if title_page else ''}</w:sectPr>")

    def end_section(self, landscape: bool, *, title_page: bool = False) -> None:
        """Close the section so far (its pages portrait or landscape); the next starts a page."""
        self.parts.append(f"<w:p><w:pPr>{self._sect_pr(landscape, title_page=title_page)}</w:pPr></w:p>")
        self._fresh_page = True

    # -- document --
    def build(self) -> str:
        self.cover()
        self.toc()
        self.overview()
        self.end_section(False, title_page=True)
        for chapter in self.chapters:
            self.chapter(chapter)
        self.end_section(False)
        self.matrices()
        self.end_section(True)
        self.conflict_appendix()
        self.provenance_appendix()
        return "".join(self.parts)

    def final_sect_pr(self) -> str:
        return self._sect_pr(False)

    # -- cover --
    def cover(self) -> None:
        counts = self.state.counts()
        evaluators = sorted({n for r in self.state.inputs for n in r.evaluators})
        self.add(_para("", extra_ppr='<w:spacing w:before="2400"/>'))
        self.add(_para(_run("Évaluation de la PI 8.7 du FSE"), "Subtitle"))
        self.add(_para(_run("Volume consolidé des travaux de terrain"), "Title"))
        self.add(_para(_run("Études de cas et entretiens qualitatifs : comptes rendus des évaluateurs, "
                            "vue d’ensemble, matrices transversales"), "PiCoverLine"))
        self.add(_para("", extra_ppr='<w:spacing w:before="600"/>'))
        ok = counts.inputs - counts.duplicates - counts.errors
        rows = [
            ("Consolidé le", format_timestamp(self.state.merged_at)),
            ("Fichiers reçus", f"{format_int(counts.inputs)} (fusionnés : {format_int(ok)} ; "
                               f"doublons : {format_int(counts.duplicates)} ; erreurs : {format_int(counts.errors)})"),
            ("Projets", format_int(counts.projects)),
            ("Entretiens", format_int(counts.interviews)),
            ("Réponses", format_int(counts.answers)),
            ("Réponses en conflit", format_int(counts.conflicts)),
            ("Évaluateurs", ", ".join(evaluators) or "non renseigné"),
        ]
        self.add(_facts_table(rows))
        self.add(_para(_run(
            "Les conflits (réponses modifiées différemment par deux évaluateurs) sont signalés dans le "
            "texte et détaillés en annexe A ; l’origine de chaque fichier est en annexe B. Pour mettre à "
            "jour la table des matières dans Word : clic droit sur la table, « Mettre à jour les champs »."),
            "PiNote"))
        self.page_break()

    def toc(self) -> None:
        self.add(_para(_run("Sommaire"), "TOCHeading"))
        entries = [("Vue d’ensemble des cas", "_pi87_overview")]
        entries += [(f"{c.number}. {_chapter_title(c.merged.project)}", c.anchor) for c in self.chapters]
        entries += [("Matrices transversales", "_pi87_matrices"), ("Annexe A — Conflits", "_pi87_annexA"),
                    ("Annexe B — Provenance des fichiers", "_pi87_annexB")]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        # Pre-filled entries (without page numbers) so the table reads well before any update.
        for n, (text, anchor) in enumerate(entries):
            content = _link(anchor, text, color=INK)
            if n == 0:
                content = begin + content
            if n == len(entries) - 1:
                content += end
            self.add(_para(content, "TOC1"))
        self.page_break()

    # -- overview --
    def overview(self) -> None:
        self.heading(1, "Vue d’ensemble des cas", anchor="_pi87_overview")
        widths = [620, 1250, 520, 2150, 2598, 1200, 700, 600]
        heads = ["Chap.", "Type", "OS", "Porteur", "Intitulé de l’opération", "Montant FSE",
                 "Entre-tiens", "Complé-tude"]
        aligns = [None, None, "center", None, None, "right", "center", "right"]
        rows = [_row([_head_cell(h, w, align=a) for h, w, a in zip(heads, widths, aligns)], header=True)]
        total_amount = Decimal("0")
        amounts = 0
        total_interviews = 0
        expected = answered = 0
        for n, ch in enumerate(self.chapters):
            p = ch.merged.project
            ratio = _completeness(ch.merged, self.views)
            for i in ch.interviews:
                qids = self.views[_interview_guide_id(i, p)].question_ids
                expected += len(qids)
                answered += i.answered_count(qids)
            if p.fse_amount is not None:
                total_amount += p.fse_amount
                amounts += 1
            total_interviews += len(ch.interviews)
            fill = ZEBRA_FILL if n % 2 else None
            kind = "Étude de cas" if p.kind == ProjectKind.CASE_STUDY else "Entretiens qualitatifs"
            amount = format_amount(p.fse_amount) if p.fse_amount is not None else "—"
            values = [
                _link(ch.anchor, str(ch.number), size=8.5), _run(kind), _run(str(p.os) if p.os else "—"),
                _run(p.carrier or "—"), _run(p.title or "—"), _run(amount),
                _run(format_int(len(ch.interviews))), _run(format_percent(ratio)),
            ]
            rows.append(_row([_cell(_para(v, "PiCell", align=a), w, fill=fill)
                              for v, w, a in zip(values, widths, aligns)], cant_split=True))
        overall = answered / expected if expected else None
        label = f"Total ({format_int(len(self.chapters))} projets"
        label += f", montant sur {format_int(amounts)} cas)" if amounts != len(self.chapters) else ")"
        total_cells = [
            _cell(_para(_run(label, bold=True), "PiCell"), sum(widths[:5]), fill=TOTAL_FILL, span=5),
            _cell(_para(_run(format_amount(total_amount), bold=True), "PiCell", align="right"), widths[5], fill=TOTAL_FILL),
            _cell(_para(_run(format_int(total_interviews), bold=True), "PiCell", align="center"), widths[6], fill=TOTAL_FILL),
            _cell(_para(_run(format_percent(overall), bold=True), "PiCell", align="right"), widths[7], fill=TOTAL_FILL),
        ]
        rows.append(_row(total_cells, cant_split=True))
        self.add(_table(widths, rows))
        self.add(_para(_run(
            "Montant FSE : montant programmé. Complétude : part des questions de la grille ayant une réponse ou "
            "un état explicite (non abordé, refus, sans objet), sur l’ensemble des entretiens du projet."), "PiNote"))

    # -- chapters --
    def chapter(self, ch: _Chapter) -> None:
        p = ch.merged.project
        self.heading(1, f"{ch.number}. {_chapter_title(p)}", anchor=ch.anchor, new_page=True)
        self.add(_facts_table(self._project_facts(ch)))
        if not ch.interviews:
            self.add(_para(_run("Aucun entretien dans les fichiers reçus."), "PiState"))
        for k, interview in enumerate(ch.interviews, start=1):
            self.interview(ch, k, interview)

    def _project_facts(self, ch: _Chapter) -> list[tuple[str, str]]:
        p = ch.merged.project
        rows = [("Type", p.kind.label), ("Identifiant", p.id)]
        if p.os:
            rows.append(("Objectif spécifique", OS_LABELS.get(p.os, f"OS {p.os}")))
        if p.carrier:
            rows.append(("Porteur", p.carrier))
        rows.append(("Intitulé de l’opération", p.title))
        if p.fse_amount is not None:
            amount = format_amount(p.fse_amount)
            rows.append(("Montant FSE programmé", f"{amount} ({p.fse_amount_note})" if p.fse_amount_note else amount))
        if p.characteristics:
            rows.append(("Caractéristiques retenues", p.characteristics))
        for label, value in (("Volet", p.volet), ("Niveau territorial", p.territorial_level),
                             ("Région", p.region), ("Type d’opération", p.operation_type)):
            if value:
                rows.append((label, value))
        if p.digital:
            rows.append(("Dimension numérique", "\n".join(p.digital)))
        if p.innovation_steps:
            rows.append(("Étapes d’innovation", ", ".join(p.innovation_steps)))
        evaluators = list(dict.fromkeys(i.interviewer for i in ch.interviews if i.interviewer))
        rows.append(("Évaluateurs", ", ".join(evaluators) or "non renseigné"))
        rows.append(("Fichiers sources", "\n".join(ch.merged.sources)))
        return rows

    def interview(self, ch: _Chapter, k: int, interview: Interview) -> None:
        p = ch.merged.project
        self.heading(2, f"Entretien {k} — {interview.label}")
        view = self.views[_interview_guide_id(interview, p)]
        facts = [
            ("Évaluateur", interview.interviewer or "non renseigné"),
            ("Date", interview.date.strftime("%d/%m/%Y") if interview.date else "à fixer"),
            ("Mode", interview.mode.label if interview.mode else "non renseigné"),
            ("Personnes interrogées", _interviewees(interview)),
            ("Consentement", _consent(interview.consent)),
            ("Statut", interview.status.label),
            ("Grille", f"{view.title}" + (f" (version {interview.guide_version})" if interview.guide_version else "")),
        ]
        if interview.notes:
            facts.append(("Notes", interview.notes))
        self.add(_facts_table(facts))
        if not interview.answers:
            self.add(_para(_run("Aucune réponse enregistrée pour cet entretien."), "PiState"))
            return
        known = set(view.question_ids)
        for section in view.sections:
            self.heading(3, section.title)
            for n, q in enumerate(section.questions, start=1):
                self.question(ch, interview, q.id, self._question_label(q, n), interview.answers.get(q.id))
        outside = [qid for qid in interview.answers if qid not in known]
        if outside:
            self.heading(3, "Questions hors grille")
            for qid in outside:
                text = one_line(interview.question_texts.get(qid, "").split("\n")[0]) or qid
                self.question(ch, interview, qid, f"{text} [{qid}]", interview.answers[qid])

    @staticmethod
    def _question_label(q: Question, n: int) -> str:
        number = q.number or str(n)
        return f"{number}. {q.text}"

    def question(self, ch: _Chapter, interview: Interview, qid: str, label: str, answer: Answer | None) -> None:
        self.add(_para(_run(label), "PiQuestion"))
        if answer is None or answer.is_empty:
            self.add(_para(_run(_state_label(answer)), "PiState"))
        else:
            if answer.state != AnswerState.ANSWERED:
                self.add(_para(_run(answer.state.label), "PiState"))
            if answer.text.strip():
                self.add(_text_paras(answer.text, "PiAnswer"))
            meta = _answer_meta(answer.author, answer.updated_at)
            if meta:
                self.add(_para(_run(f"— {meta}"), "PiMeta"))
        if answer is not None:
            for version in answer.concurrent:
                head = f"Version concurrente — {_answer_meta(version.author, version.updated_at, version.source)}"
                if version.state != AnswerState.ANSWERED:
                    head += f" — {version.state.label}"
                self.add(_para(_run(head, bold=True, size=9), "PiConflict", keep_next=True))
                if version.text.strip():
                    self.add(_text_paras(version.text, "PiConflict"))

    # -- matrices --
    def _columns(self, guide_id: str) -> list[_Column]:
        columns = []
        for ch in self.chapters:
            p = ch.merged.project
            numbered = [(k, i) for k, i in enumerate(ch.interviews, start=1)
                        if _interview_guide_id(i, p) == guide_id]
            if not numbered:
                continue
            if p.kind == ProjectKind.INTERVIEW_SERIES:
                for k, i in numbered:
                    who = ", ".join(x.organisation or x.name for x in i.interviewees if x.organisation or x.name)
                    columns.append(_Column(f"{who or 'Entretien'} (chap. {ch.number}, E{k})", ch, [(k, i)], True))
            else:
                columns.append(_Column(f"{ch.number}. {_chapter_title(p)}", ch, numbered, False))
        return columns

    def matrices(self) -> None:
        self.heading(1, "Matrices transversales", anchor="_pi87_matrices")
        self.add(_para(_run(
            "Une matrice par section de grille : les questions en lignes, les cas en colonnes (pour les "
            "entretiens qualitatifs, chaque entretien est une colonne). Chaque cellule donne la réponse ou son "
            "début, et renvoie au chapitre où elle figure en entier (E1, E2… : numéro de l’entretien dans le "
            "chapitre)."), "PiNote"))
        first = True
        for guide_id, view in sorted(self.views.items(), key=lambda kv: kv[0] != "etude-de-cas"):
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
                                        questions=tuple(Question(id=q, text=t) for q, t in extra.items())))
            for section in sections:
                self.heading(2, f"{view.title} — {section.title}", new_page=not first)
                first = False
                self.matrix_tables(section, columns)

    def matrix_tables(self, section: Section, columns: list[_Column]) -> None:
        groups = math.ceil(len(columns) / MATRIX_COLUMNS)
        q_w = 3200
        for g in range(groups):
            chunk = columns[g * MATRIX_COLUMNS:(g + 1) * MATRIX_COLUMNS]
            col_w = (LANDSCAPE_TEXT_W - q_w) // MATRIX_COLUMNS
            widths = [q_w] + [col_w] * len(chunk)
            if groups > 1:
                first, last = g * MATRIX_COLUMNS + 1, g * MATRIX_COLUMNS + len(chunk)
                self.add(_para(_run(f"Colonnes {first} à {last} sur {len(columns)}"
                                    if last > first else f"Colonne {first} sur {len(columns)}"),
                               "PiNote", keep_next=True))
            rows = [_row([_head_cell("Question", q_w)] + [_head_cell(c.header, col_w) for c in chunk], header=True)]
            for n, q in enumerate(section.questions, start=1):
                fill = ZEBRA_FILL if n % 2 == 0 else None
                cells = [_cell(_para(_run(self._question_label(q, n), bold=True, color=INK), "PiCell"), q_w, fill=fill)]
                cells += [_cell(self.matrix_cell(c, q.id), col_w, fill=fill) for c in chunk]
                rows.append(_row(cells, cant_split=True))
            self.add(_table(widths, rows))
            if g < groups - 1:
                self.add(_para("", "PiCellSmall"))

    def matrix_cell(self, column: _Column, qid: str) -> str:
        out = []
        any_answer = False
        for k, interview in column.interviews:
            answer = interview.answers.get(qid)
            prefix = "" if column.single else f"E{k} "
            if answer is None or answer.is_empty:
                if not column.single and answer is not None:
                    out.append(_para(_run(prefix, bold=True, color=MUTED) + _run(_state_label(answer), italic=True, color=MUTED), "PiCell"))
                continue
            any_answer = True
            content = _run(prefix, bold=True, color=ACCENT) if prefix else ""
            if answer.state != AnswerState.ANSWERED:
                content += _run(answer.state.label + (" : " if answer.text.strip() else ""), italic=True, color=MUTED)
            if answer.text.strip():
                content += _run(excerpt(answer.text, MATRIX_EXCERPT))
            out.append(_para(content, "PiCell"))
            for version in answer.concurrent:
                label = f"≠ version concurrente ({version.author or 'auteur inconnu'}) : "
                text = excerpt(version.text, MATRIX_EXCERPT) if version.text.strip() else version.state.label
                out.append(_para(_run(label, bold=True, color=CONFLICT_INK) + _run(text, color=CONFLICT_INK), "PiCell"))
        if not any_answer and not out:
            return _para(_run("—", color=MUTED), "PiCell", align="center")
        ref = f"→ chap. {column.chapter.number}"
        if column.single:
            ref += f", E{column.interviews[0][0]}"
        out.append(_para(_link(column.chapter.anchor, ref, size=7.5), "PiCellSmall", align="right"))
        return "".join(out)

    # -- appendices --
    def conflict_appendix(self) -> None:
        self.heading(1, "Annexe A — Conflits", anchor="_pi87_annexA")
        if not self.conflicts:
            self.add(_para(_run("Aucun conflit : aucune réponse n’a été modifiée différemment par deux évaluateurs."), "PiNote"))
            return
        self.add(_para(_run(
            f"{format_int(len(self.conflicts))} réponse(s) modifiée(s) différemment par plusieurs évaluateurs. "
            "La version la plus récente est affichée comme réponse ; les autres sont conservées et listées ici."),
            "PiNote"))
        chapter_of = {c.merged.project.id: c for c in self.chapters}
        widths = [1350, 1500, 1400, 1700, PORTRAIT_TEXT_W - 5950]
        for conflict in self.conflicts:
            ch = chapter_of.get(conflict.project_id)
            k = next((n for n, i in enumerate(ch.interviews, start=1) if i.id == conflict.interview_id), 0) if ch else 0
            where = f"{ch.number}. {_chapter_title(ch.merged.project)}" if ch else conflict.project_id
            question = one_line(conflict.question_text.split("\n")[0]) or conflict.question_id
            self.add(_para(_run(f"{where} — Entretien {k} ({conflict.interview_label})"), "PiQuestion"))
            self.add(_para(_run(f"Question : {question} [{conflict.question_id}]"), "PiMeta", keep_next=True))
            rows = [_row([_head_cell(h, w) for h, w in zip(
                ["Version", "Auteur", "Date", "Source", "Texte"], widths)], header=True)]
            for v in conflict.versions:
                text = v.text if v.text.strip() else ANSWER_STATE_LABELS[
                    "empty" if v.state == AnswerState.ANSWERED else v.state.value]
                if v.text.strip() and v.state != AnswerState.ANSWERED:
                    text = f"[{v.state.label}] {text}"
                fill = None if v.shown else CONFLICT_FILL
                rows.append(_row([
                    _cell(_para(_run("affichée" if v.shown else "concurrente", bold=v.shown), "PiCell"), widths[0], fill=fill),
                    _cell(_para(_run(v.author or "—"), "PiCell"), widths[1], fill=fill),
                    _cell(_para(_run(format_timestamp(v.updated_at) or "—"), "PiCell"), widths[2], fill=fill),
                    _cell(_para(_run(v.source or "—"), "PiCell"), widths[3], fill=fill),
                    _cell(_text_paras(text, "PiCell"), widths[4], fill=fill),
                ]))
            self.add(_table(widths, rows))

    def provenance_appendix(self) -> None:
        self.heading(1, "Annexe B — Provenance des fichiers", anchor="_pi87_annexB", new_page=True)
        self.add(_para(_run(
            "Chaque fichier reçu, dans l’ordre de traitement. Deux fichiers de même empreinte SHA-256 sont "
            "identiques octet pour octet : le second est compté comme doublon et n’est pas fusionné une seconde fois."),
            "PiNote"))
        widths = [2050, 1450, 1500, 1450, 1050, PORTRAIT_TEXT_W - 7500]
        rows = [_row([_head_cell(h, w) for h, w in zip(
            ["Fichier", "Statut", "Projet", "Évaluateur(s)", "Exporté le", "SHA-256"], widths)], header=True)]
        for n, r in enumerate(self.state.inputs):
            fill = ZEBRA_FILL if n % 2 else None
            status = r.status.label + (f" : {r.reason}" if r.reason else "")
            status_run = _run(status, color=CONFLICT_INK if r.status.value == "error" else None)
            sha = r.sha256 or "—"
            rows.append(_row([
                _cell(_para(_run(r.file), "PiCell"), widths[0], fill=fill),
                _cell(_para(status_run, "PiCell"), widths[1], fill=fill),
                _cell(_para(_run(r.project_id or "—"), "PiCell"), widths[2], fill=fill),
                _cell(_para(_run(r.evaluator or "—"), "PiCell"), widths[3], fill=fill),
                _cell(_para(_run(format_timestamp(r.exported_at) or "—"), "PiCell"), widths[4], fill=fill),
                # The digest in two halves of 32 so it wraps cleanly and can be compared by eye.
                _cell(_para(_run(sha[:32] + ("\n" + sha[32:] if len(sha) > 32 else ""), mono=True, size=7),
                            "PiCell"), widths[5], fill=fill),
            ], cant_split=True))
        self.add(_table(widths, rows))


# -- package ------------------------------------------------------------------------------------

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>pi87-field</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _setup_styles(doc) -> None:
    """The look, defined once: fonts, French language, headings, the volume's own styles."""
    styles = doc.styles
    # Document defaults: font and language (fr-FR) for every run.
    rpr_default = doc.styles.element.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
    if rpr_default is not None:
        for child in list(rpr_default):
            if child.tag in (f"{{{W_NS}}}rFonts", f"{{{W_NS}}}lang"):
                rpr_default.remove(child)
        rpr_default.insert(0, parse_xml(
            f'<w:rFonts xmlns:w="{W_NS}" w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'))
        rpr_default.append(parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>'))
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(INK)
    for name, size, color, before, after in (("Title", 26, INK, 0, 12), ("Subtitle", 13, ACCENT, 0, 6),
                                             ("Heading 1", 17, ACCENT, 0, 10), ("Heading 2", 13.5, ACCENT, 16, 6),
                                             ("Heading 3", 11.5, INK, 12, 4), ("TOC Heading", 17, ACCENT, 0, 12)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(color)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(f"{{{W_NS}}}rFonts")
        if fonts is not None:
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(f"{{{W_NS}}}{attr}", None)
    styles["Title"].font.bold = True
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for el in title_ppr.findall(f"{{{W_NS}}}pBdr"):
        title_ppr.remove(el)
    if "TOC1" not in [s.style_id for s in styles]:
        toc1 = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
        toc1.base_style = styles["Normal"]
        toc1.paragraph_format.space_after = Pt(3)
        toc1.element.style_id = "TOC1"
    for sid, name, size, bold, italic, color, before, after, indent, keep in _PARA_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.style_id = sid
        style.base_style = styles["Normal"]
        style.quick_style = True
        font = style.font
        font.size = Pt(size)
        font.bold = bold
        font.italic = italic
        if color:
            font.color.rgb = RGBColor.from_string(color)
        pf = style.paragraph_format
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        pf.line_spacing = 1.08 if size >= 10 else 1.0
        if indent:
            pf.left_indent = indent * 635  # twips -> EMU
        pf.keep_with_next = keep or None
    conflict_ppr = styles["Version concurrente"].element.get_or_add_pPr()
    conflict_ppr.append(parse_xml(
        f'<w:pBdr xmlns:w="{W_NS}"><w:left w:val="single" w:sz="18" w:space="6" w:color="E3A33B"/></w:pBdr>'))


def _footer_reference(doc) -> str:
    section = doc.sections[0]
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Cellule discrète"]
    p = paragraph._p
    p.get_or_add_pPr().append(parse_xml(f'<w:jc xmlns:w="{W_NS}" w:val="center"/>'))
    field_runs = (
        f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">PI 8.7 — volume consolidé · page </w:t></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:t>1</w:t></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="end"/></w:r>',
    )
    for run in field_runs:
        p.append(parse_xml(run))
    sect = section._sectPr
    ref = sect.find(f"{{{W_NS}}}footerReference")
    rid = ref.get(f"{{{R_NS}}}id")
    return f'<w:footerReference w:type="default" r:id="{rid}"/>'


def _set_properties(doc, state: Consolidation) -> None:
    import hashlib

    props = doc.core_properties
    evaluators = sorted({n for r in state.inputs for n in r.evaluators})
    props.title = "PI 8.7 — Volume consolidé des travaux de terrain"
    props.subject = "Évaluation de la priorité d’investissement 8.7 du FSE : études de cas et entretiens qualitatifs"
    props.author = ", ".join(evaluators)[:250] or "Équipe d’évaluation"
    props.last_modified_by = "pi87-field"
    props.comments = ""
    props.keywords = "PI 8.7; FSE; évaluation; volume consolidé"
    props.category = "Volume consolidé"
    props.language = "fr-FR"
    digest = hashlib.sha256("".join(sorted(r.sha256 for r in state.inputs if r.sha256)).encode()).hexdigest()
    props.identifier = f"pi87-field-merge:{digest[:32]}"
    props.revision = 1
    try:
        moment = datetime.fromisoformat(state.merged_at).astimezone(timezone.utc).replace(tzinfo=None)
    except ValueError:
        moment = datetime.now(timezone.utc).replace(tzinfo=None)
    props.created = moment
    props.modified = moment
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _APP_XML.encode("utf-8")


def _ask_to_update_fields(doc) -> None:
    settings = doc.settings.element
    if settings.find(f"{{{W_NS}}}updateFields") is None:
        settings.append(parse_xml(f'<w:updateFields xmlns:w="{W_NS}" w:val="true"/>'))
    lang = settings.find(f"{{{W_NS}}}themeFontLang")
    if lang is not None:
        lang.set(f"{{{W_NS}}}val", "fr-FR")
    for tag, val in (("decimalSymbol", ","), ("listSeparator", ";")):
        el = settings.find(f"{{{W_NS}}}{tag}")
        if el is not None:
            el.set(f"{{{W_NS}}}val", val)


def build_volume(state: Consolidation, guides: GuideLibrary, conflicts: list[Conflict] | None = None) -> bytes:
    """The consolidated volume as .docx bytes (nothing is written to disk here)."""
    doc = Document()
    _setup_styles(doc)
    footer_ref = _footer_reference(doc)
    _set_properties(doc, state)
    _ask_to_update_fields(doc)
    writer = _VolumeWriter(state, guides, conflicts if conflicts is not None else state.conflicts(), footer_ref)
    body_xml = writer.build()
    fragment = parse_xml(f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body_xml}{writer.final_sect_pr()}</w:body>')
    body = doc.element.body
    for child in list(body):
        body.remove(child)
    body.extend(list(fragment))
    del fragment, body_xml
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
