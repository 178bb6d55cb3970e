"""The matrix: grid questions × cases. A cell shows the lead's summary if there is one (✎), else
the answer (the first interview's, with the count when there are several). Enter opens the cell:
full answers with their states and concurrent versions, the passages cited from it, and the
summary and tags the lead writes. "à revoir" (⚠) when an answer changed after the summary.

Opened from an evaluative question, the matrix shows only the grid questions mapped to it.
"""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TextArea

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_datetime
from pi87_field.core.model import ANSWER_STATE_LABELS, Project
from pi87_field.core.summary import interview_title
from pi87_field.core.synthesis import SUMMARY_REVIEW, Workspace
from pi87_field.core.text import one_line
from pi87_field.tui.base import FieldApp
from pi87_field.tui.progress import clip
from pi87_field.tui.widgets.tag_input import TagInput

CELL_WIDTH = 22
ROW_LABEL_WIDTH = 20


def question_label(ws: Workspace, guide_id: str, question_id: str, text: str) -> str:
    """A grid question as the reader knows it: the guide's number and its text ("3.1 Budget…"),
    never its internal id."""
    guide = ws.guide(guide_id)
    number = guide.number(question_id) if guide else ""
    return f"{number} {text}" if number else text


class MatrixTable(DataTable):
    """Grid questions (rows) × cases (columns), cursor on cells."""


def matrix_rows(ws: Workspace, question_id: str | None) -> list[tuple[str, str, str]]:
    """(guide id, grid question id, label) of each row: every grid question of the guides the
    projects follow, or those mapped to one evaluative question."""
    if question_id:
        eq = ws.framework.question(question_id)
        return [(g, q, text) for g, q, text in ws.grid_questions(eq)] if eq else []
    out = []
    seen_guides: list[str] = []
    for project in ws.projects:
        for gid in [project.guide_id, *(i.guide_id for i in ws.interviews(project.id))]:
            if gid and gid not in seen_guides:
                seen_guides.append(gid)
    for gid in seen_guides:
        guide = ws.guide(gid)
        if guide is not None:
            out += [(gid, q.id, q.text) for q in guide.questions]
    return out


def cell_text(ws: Workspace, project: Project, guide_id: str, question_id: str, width: int = CELL_WIDTH) -> Text:
    if project.guide_id != guide_id and not any(i.guide_id == guide_id for i in ws.interviews(project.id)):
        return Text("·", style="dim", end="")
    summary = ws.summary(project.id, question_id)
    if summary is not None:
        stale = ws.summary_state(summary) == SUMMARY_REVIEW
        mark = "⚠✎ " if stale else "✎ "
        return Text.assemble((mark, "bold yellow" if stale else "bold cyan"),
                             clip(summary.text or ", ".join(summary.tags), width - len(mark)), end="")
    answers = ws.cell(project.id, question_id)
    if not answers:
        return Text("—", style="dim", end="")
    first = answers[0].answer
    body = first.text if first.text.strip() else f"({ANSWER_STATE_LABELS.get(first.mark, first.mark)})"
    prefix = f"{len(answers)}× " if len(answers) > 1 else ""
    return Text(clip(prefix + one_line(body), width), end="")


class MatrixScreen(Screen):
    app = getters.app(FieldApp)

    DEFAULT_CSS = """
    MatrixScreen #matrix-table { height: 1fr; }
    MatrixScreen #matrix-status { height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Retour", id="matrix.back"),
        Binding("enter", "open_cell", "Ouvrir la cellule", id="matrix.open", priority=True,
                tooltip="Réponses complètes, états, versions concurrentes ; écrire la synthèse et les étiquettes."),
    ]

    def __init__(self, question_id: str | None = None) -> None:
        super().__init__()
        self.question_id = question_id
        self.rows: list[tuple[str, str, str]] = []
        self.projects: list[Project] = []

    @property
    def ws(self) -> Workspace:
        workspace = self.app.workspace
        assert workspace is not None, "the synthesis screens open once the workspace is read"
        return workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield MatrixTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="matrix-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        eq = self.ws.framework.question(self.question_id) if self.question_id else None
        self.title = f"Matrice — {eq.registre}" if eq else "Matrice questions × cas"
        self.populate()
        self.query_one(MatrixTable).focus()

    def on_screen_resume(self) -> None:
        table = self.query_one(MatrixTable)
        where = table.cursor_coordinate
        self.ws.refresh()
        self.populate()
        table.cursor_coordinate = where

    def populate(self) -> None:
        ws = self.ws
        self.rows = matrix_rows(ws, self.question_id)
        guides = {g for g, _q, _t in self.rows}
        self.projects = [p for p in ws.projects if p.guide_id in guides
                         or any(i.guide_id in guides for i in ws.interviews(p.id))]
        table = self.query_one(MatrixTable)
        table.clear(columns=True)
        table.fixed_columns = 1          # the question stays in view while the cases scroll by
        table.add_column("Question", key="question", width=ROW_LABEL_WIDTH)
        for project in self.projects:
            table.add_column(clip(ws.label(project.id), CELL_WIDTH), key=project.id, width=CELL_WIDTH)
        for gid, qid, text in self.rows:
            label = Text(clip(question_label(ws, gid, qid, text), ROW_LABEL_WIDTH), style="bold", end="")
            table.add_row(label, *(cell_text(ws, p, gid, qid) for p in self.projects), key=f"{gid}/{qid}")
        self._status()

    def _current(self) -> tuple[Project, str, str] | None:
        table = self.query_one(MatrixTable)
        row, column = table.cursor_coordinate
        if not self.rows or column == 0 or column > len(self.projects):
            return None
        gid, qid, _text = self.rows[row]
        return self.projects[column - 1], gid, qid

    def _status(self) -> None:
        current = self._current()
        table = self.query_one(MatrixTable)
        if current is None:
            if self.rows:
                gid, qid, text = self.rows[max(0, table.cursor_row)]
                line = question_label(self.ws, gid, qid, text)
            else:
                line = "Aucune question."
        else:
            project, gid, qid = current
            line = f"{self.ws.label(project.id)} × {question_label(self.ws, gid, qid, self.rows[table.cursor_row][2])}"
        self.query_one("#matrix-status", Static).update(Text(clip(line, 150) + "\nEntrée : ouvrir la cellule · "
                                                             f"✎ synthèse · ⚠ {SUMMARY_REVIEW} · — {ANSWER_STATE_LABELS['empty']}", end=""))

    @on(DataTable.CellHighlighted)
    def _highlighted(self) -> None:
        self._status()

    def action_open_cell(self) -> None:
        current = self._current()
        if current is None:
            return
        project, gid, qid = current
        if project.guide_id != gid and not any(i.guide_id == gid for i in self.ws.interviews(project.id)):
            self.app.notify("Ce cas ne suit pas cette grille.", severity="warning")
            return
        self.app.push_screen(CellScreen(project.id, gid, qid))

    def action_back(self) -> None:
        self.app.leave_screen(self)


class CellScreen(Screen):
    """One cell: every answer in full (states, concurrent versions), cited passages, the summary."""

    app = getters.app(FieldApp)

    DEFAULT_CSS = """
    CellScreen #cell-body { height: 1fr; padding: 0 1; }
    CellScreen #cell-editor { height: 9; }
    CellScreen #cell-summary { height: 1fr; }
    CellScreen #cell-tags { height: 3; }
    """
    BINDINGS = [
        Binding("escape", "back", "Retour", id="cell.back", tooltip="Enregistrer la synthèse et revenir."),
        Binding("ctrl+s", "save", "Enregistrer", id="cell.save", priority=True,
                tooltip="Enregistrer la synthèse de la cellule et ses étiquettes."),
    ]

    def __init__(self, project_id: str, guide_id: str, question_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.guide_id = guide_id
        self.question_id = question_id
        self._saved: tuple[str, list[str]] = ("", [])

    @property
    def ws(self) -> Workspace:
        workspace = self.app.workspace
        assert workspace is not None, "the synthesis screens open once the workspace is read"
        return workspace

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="cell-body"):
            yield Static("", id="cell-answers")
        with Vertical(id="cell-editor"):
            yield TextArea("", id="cell-summary", soft_wrap=True)
            yield TagInput([t.name for t in self.ws.synthesis.codebook()], id="cell-tags")
        yield FieldFooter()

    def on_mount(self) -> None:
        ws = self.ws
        guide = ws.guide(self.guide_id)
        question = guide.question(self.question_id) if guide else None
        text = question.text if question else self.question_id
        self.title = f"{ws.label(self.project_id)} × {question_label(ws, self.guide_id, self.question_id, text)}"
        summary = ws.summary(self.project_id, self.question_id)
        text, tags = (summary.text, list(summary.tags)) if summary else ("", [])
        self.query_one("#cell-summary", TextArea).load_text(text)
        self.query_one(TagInput).value = ", ".join(tags)
        self._saved = (text, tags)
        self.query_one("#cell-summary", TextArea).border_title = "Synthèse de la cellule"
        self.show_answers()
        self.query_one("#cell-summary", TextArea).focus()

    def show_answers(self) -> None:
        ws = self.ws
        guide = ws.guide(self.guide_id)
        question = guide.question(self.question_id) if guide else None
        out = Text()
        out.append(f"{question.text if question else self.question_id}\n", style="bold")
        summary = ws.summary(self.project_id, self.question_id)
        if summary is not None:
            state = ws.summary_state(summary)
            style = "bold yellow" if state == SUMMARY_REVIEW else "green"
            out.append(f"Synthèse : {state}", style=style)
            out.append(f" ({summary.author or '?'}, {fr_datetime(summary.updated_at)})\n", style="dim")
            for v in summary.concurrent:
                out.append(f"⚠ Version concurrente de {v.author or '?'} ({v.source}) : ", style="yellow")
                out.append(f"{v.values.get('text', '')}\n")
        for interview in ws.interviews(self.project_id):
            if interview.guide_id != self.guide_id:
                continue
            answer = interview.answers.get(self.question_id)
            out.append(f"\n── {interview_title(ws.project(self.project_id), interview)}", style="bold cyan")
            if answer is None:
                out.append("\n(sans réponse)\n", style="dim")
                continue
            out.append(f"  [{ANSWER_STATE_LABELS.get(answer.mark, answer.mark)} · {answer.author or '?'} · "
                       f"{fr_datetime(answer.updated_at)}]\n", style="dim")
            if answer.text:
                out.append(answer.text + "\n")
            for version in answer.concurrent:
                out.append(f"⚠ Version concurrente ({version.author or '?'}, {fr_datetime(version.updated_at)}) :\n",
                           style="yellow")
                out.append(version.text + "\n")
        cited = ws.evidence_in_cell(self.project_id, self.question_id)
        if cited:
            out.append("\nPassages cités\n", style="bold")
            for view in cited:
                mark = "✓" if not view.stale else f"⚠ {view.state}"
                out.append(f"{mark} « {view.evidence.quote} » → {', '.join(view.evidence.supports)}\n",
                           style="yellow" if view.stale else "")
        self.query_one("#cell-answers", Static).update(out)

    def save_now(self) -> None:
        if not self.is_mounted:
            return
        text = self.query_one("#cell-summary", TextArea).text.strip()
        tags = self.query_one(TagInput).tags
        if (text, tags) == self._saved:
            return
        try:
            self.ws.synthesis.save_summary(self.project_id, self.question_id, text, tags,
                                           author=self.app.interviewer)
        except FieldError as exc:
            self.app.notify(str(exc), title="Synthèse non enregistrée", severity="error", timeout=10)
            return
        self._saved = (text, tags)
        self.show_answers()

    def action_save(self) -> None:
        self.save_now()
        self.app.notify("Synthèse de la cellule enregistrée.", title="Matrice")

    def action_back(self) -> None:
        self.save_now()
        self.app.leave_screen(self)
