"""The analysis workbook (.xlsx): the volume's content as sheets a team lead sorts and filters.

- "Matrice": one row per grid question (number, question, sub-points a/b/c, section, grid), one
  column per case; each cell holds the full answers of the case's interviews ("E1 : …"), or the
  lead's summary, labelled as such. Excel holds at most 32,767 characters in a cell: a longer
  cell continues on the next row(s), marked "(suite)", never cut.
- "Extraits": one row per cited passage (evaluative question, tags, case, interview, question,
  passage, source, stale flag).
- "Jugements": the table of §4.1 of the report (Registre, Question évaluative, Niveau
  d'atteinte, Explications), plus figures.
- "Couverture": campaign cases and interviews without a write-up, planned interviews without
  answers, and mapped grid questions left "non abordé" or declined.
- "Versions concurrentes" (when there are some): every version of a judgement, a cell summary
  or a chapter 4 object two leads edited both ways, one row per version.

Every sheet: wrapped text, the header row frozen, filters on. Written with openpyxl's
write-only mode (rows streamed to the file, constant memory).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pi87_field.core.grid import Grid
from pi87_field.core.labels import EVIDENCE_CHANGED, EVIDENCE_UNKNOWN, NOT_RATED, SUMMARY_REVIEW
from pi87_field.core.merge.content import Case, VolumeContent
from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.fr import fr_date, fr_datetime
from pi87_field.core.text import one_line
from pi87_field.core.word.format import state_label_text

CELL_LIMIT = 32_000          # Excel's limit is 32,767 characters; keep a margin
SUMMARY_LABEL = "[Synthèse de la cheffe d’équipe]"
_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}     # openpyxl refuses other controls

_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FONT = Font(bold=True, color="1F3864")
_HEAD_FILL = PatternFill("solid", fgColor="DCE3EE")


def _xl(text: str) -> str:
    return text.translate(_ILLEGAL)


def answer_text(answer: Answer | None) -> str:
    """An answer as plain text: state label first when not a plain answer, then the text; a
    conflict lists its other versions after it."""
    if answer is None or answer.is_empty:
        text = state_label_text("empty")
    else:
        parts = [state_label_text(answer.state.value)] if answer.state != AnswerState.ANSWERED else []
        if answer.text.strip():
            parts.append(answer.text)
        text = "\n".join(parts)
    if answer is not None and answer.concurrent:
        for v in answer.concurrent:
            who = ", ".join(x for x in (one_line(v.author), fr_datetime(v.updated_at), v.source) if x)
            text += f"\n\n[Version concurrente — {who}]\n" + (v.text or state_label_text(v.state.value))
    return text


def _chunks(text: str) -> list[str]:
    return [text[i:i + CELL_LIMIT] for i in range(0, len(text), CELL_LIMIT)] or [""]


class _Sheet:
    def __init__(self, wb: Workbook, title: str, heads: list[str], widths: Sequence[float]) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title)
        for n, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(n)].width = w
        self.ws.freeze_panes = "A2"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.pageOrder = "overThenDown"   # a row, then its next columns, then the next row
        self.ws.print_title_rows = "1:1"          # the header row on every printed page
        # printed fit to the page's width (as many pages down as needed): 52 pages across before
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.widths = list(widths)
        self.columns = len(heads)
        self.rows = 1
        self.ws.append([self._cell(h, head=True) for h in heads])

    def _cell(self, value: str | int | None, head: bool = False) -> Cell:
        cell = WriteOnlyCell(self.ws, value=_xl(value) if isinstance(value, str) else value)
        cell.alignment = _WRAP
        if head:
            cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        return cell

    def append(self, values: Iterable[str | int | None]) -> None:
        cells = [self._cell(v) for v in values]
        # Wrapped text needs a row tall enough to show it: LibreOffice Calc keeps the default
        # height of rows written without one. Estimated from the column widths, set before the
        # row is streamed (Excel caps a row at 409 points; the cell still holds all its text).
        lines = 1
        for value, width in zip((c.value for c in cells), self.widths):
            if isinstance(value, str) and value:
                per_line = max(1, int(width * 1.1))
                lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in value.split("\n")))
        self.rows += 1
        if lines > 1:
            self.ws.row_dimensions[self.rows].height = min(409, 15 * lines)  # type: ignore[attr-defined]
        self.ws.append(cells)

    def close(self) -> None:
        # write-only sheets do write their auto filter (openpyxl's writer reads it); the stubs miss it
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.rows, 1)}"  # type: ignore[attr-defined]


def _case_header(case: Case) -> str:
    return f"{case.number}. {case.label}"


def _matrix(wb: Workbook, content: VolumeContent) -> None:
    summaries = content.synthesis.summaries if content.synthesis else {}
    cases = [c for c in content.cases if c.answered]
    sheet = _Sheet(wb, "Matrice", ["N°", "Question", "Sous-points", "Section", "Grille"]
                   + [_case_header(c) for c in cases], [6, 34, 26, 20, 14] + [60] * len(cases))
    # each printed page says which question its cells answer (number and question, then one case)
    sheet.ws.print_title_cols = "A:B"
    for part in content.matrix():
        grids: dict[str, list[tuple[int, Grid]]] = {c.project.id: [] for c in cases}
        for case, k, grid in part.rows:
            grids[case.project.id].append((k, grid))
        for section in part.sections:
            for q in section.questions:
                cells = []
                for case in cases:
                    mine = grids[case.project.id]
                    summary = summaries.get((case.project.id, q.qid))
                    if not mine:
                        cells.append("")
                    elif summary is not None:
                        flag = f" [{SUMMARY_REVIEW}]" if summary.review else ""
                        cells.append(f"{SUMMARY_LABEL}{flag}\n{summary.text}")
                    else:
                        cells.append("\n\n".join(f"E{k} : {answer_text(found.answer if (found := grid.find(q.qid)) else None)}"
                                                   for k, grid in mine))
                pieces = [_chunks(text) for text in cells]
                subpoints = "\n".join(f"{sp.id}. {one_line(sp.text)}" for sp in q.question.subpoints) if q.question else ""
                for n in range(max(len(p) for p in pieces) if pieces else 1):
                    label = q.label if n == 0 else f"{q.label} (suite)"
                    sheet.append(["" if q.orphan else q.number, label, subpoints if n == 0 else "", section.title,
                                  part.view.title, *[p[n] if n < len(p) else "" for p in pieces]])
    sheet.close()


def _extracts(wb: Workbook, content: VolumeContent) -> None:
    sheet = _Sheet(wb, "Extraits", ["Question évaluative", "Étiquettes", "Cas", "Entretien", "Question",
                                    "Passage", "Source", EVIDENCE_CHANGED.capitalize()], [22, 20, 24, 30, 30, 80, 40, 12])
    slots = {i.id: (case, k, i) for case in content.cases for k, i in enumerate(case.interviews, start=1)}
    for j in content.synthesis.judgements if content.synthesis else []:
        for e in j.evidence:
            found = slots.get(e.interview_id)
            if found is None:
                case_label, interview_label, question, source = e.project_id, e.interview_id, e.question_id, ""
            else:
                case, k, i = found
                grid = content.grid(case, i)
                q = grid.find(e.question_id)
                case_label, interview_label = _case_header(case), f"E{k} · {case.title(i)}"
                question = q.label if q else e.question_id
                who = "; ".join(", ".join(x for x in (p.role, p.organisation) if x) for p in i.interviewees)
                source = " · ".join(x for x in (case.label, who, fr_date(i.date), f"question {grid.number(e.question_id)}") if x)
            for n, chunk in enumerate(_chunks(e.quote)):
                sheet.append([f"{j.registre or j.id}", ", ".join(e.tags), case_label, interview_label, question,
                              chunk if n == 0 else f"(suite) {chunk}", source,
                              "oui" if e.stale else EVIDENCE_UNKNOWN if e.missing else "non"])
    sheet.close()


def _judgements(wb: Workbook, content: VolumeContent) -> None:
    sheet = _Sheet(wb, "Jugements", ["Registre", "Question évaluative", "Niveau d’atteinte", "Explications",
                                     "Passages cités", f"dont {EVIDENCE_CHANGED}", "Questions de la grille rattachées"],
                   [18, 60, 16, 80, 14, 14, 40])
    for j in content.synthesis.judgements if content.synthesis else []:
        sheet.append([j.registre or j.id, j.text, j.rating or NOT_RATED, j.explanation, len(j.evidence),
                      sum(1 for e in j.evidence if e.stale), ", ".join(qid for _, qid in j.mapped)])
    sheet.close()


def _coverage(wb: Workbook, content: VolumeContent) -> None:
    sheet = _Sheet(wb, "Couverture", ["Type", "Cas ou entretien", "Question", "Situation"], [34, 50, 50, 40])
    for what, why in content.missing:
        sheet.append(["Campagne : sans compte rendu", what, "", why])
    for case in content.cases:
        for k, i in enumerate(case.interviews, start=1):
            if i.answered_count() == 0:
                sheet.append(["Entretien prévu sans réponse", f"{_case_header(case)} — E{k} {case.title(i)}", "",
                              i.status.label])
    for j in content.synthesis.judgements if content.synthesis else []:
        for case in content.cases:
            for k, i in enumerate(case.interviews, start=1):
                view, grid = content.view_of(i, case.project), content.grid(case, i)
                for gid, qid in j.mapped:
                    a = i.answers.get(qid)
                    if (gid and gid != view.id) or a is None or a.state not in (AnswerState.NOT_ASKED, AnswerState.DECLINED):
                        continue
                    q = grid.find(qid)
                    sheet.append([f"{j.registre or j.id} : question rattachée", f"{_case_header(case)} — E{k}",
                                  q.label if q else qid, a.state.label])
    sheet.close()


def _chapter_four(wb: Workbook, content: VolumeContent) -> None:
    """The report's chapter 4 as written in the tool: findings, préconisations, sources, and
    the versions of them another lead wrote (kept both ways)."""
    syn = content.synthesis
    if syn is None:
        return
    registres = {j.id: j.registre or j.id for j in syn.judgements}
    sheet = _Sheet(wb, "Conclusions", ["N°", "Clé", "Nature", "Constat", "Questions évaluatives"], [6, 14, 10, 90, 40])
    for n, f in enumerate(syn.findings, start=1):
        sheet.append([n, f.key, f.kind, f.text, ", ".join(registres.get(q, q) for q in f.questions)])
    sheet.close()
    sheet = _Sheet(wb, "Préconisations", ["N°", "Clé", "Préconisation", "Sous-points", "Repose sur"],
                   [6, 14, 70, 70, 30])
    for n, r in enumerate(syn.recommendations, start=1):
        subs = "\n".join(f"{chr(ord('a') + m)}. {sp}" for m, sp in enumerate(r.subpoints))
        sheet.append([n, r.key, r.text, subs, ", ".join(registres.get(k, k) for k in r.rests_on)])
    sheet.close()
    sheet = _Sheet(wb, "Sources", ["Clé", "Titre", "Auteur", "Date", "Nature", "Emplacement", "Adresse", "Note"],
                   [16, 50, 20, 12, 14, 18, 30, 40])
    for src in syn.sources.values():
        sheet.append([src.key, src.title, src.author, src.date, src.kind, src.locator, src.url, src.note])
    sheet.close()
    if syn.lead_conflicts:
        sheet = _Sheet(wb, "Versions concurrentes", ["Objet", "Clé", "Version", "Auteur", "Date", "Origine"],
                       [16, 14, 90, 20, 18, 24])
        for c in syn.lead_conflicts:
            for text, author, when, origin in c.versions:
                sheet.append([c.kind, c.key, text, author, when, origin])
        sheet.close()


def build_workbook(content: VolumeContent) -> bytes:
    """The analysis workbook as .xlsx bytes."""
    wb = Workbook(write_only=True)
    _matrix(wb, content)
    _extracts(wb, content)
    _judgements(wb, content)
    _chapter_four(wb, content)
    _coverage(wb, content)
    wb.properties.title = "PI 8.7 — Classeur d’analyse"
    wb.properties.creator = "pi87-field"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

