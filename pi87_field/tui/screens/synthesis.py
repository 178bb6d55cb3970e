"""Synthèse: the five evaluative questions with registre, rating, evidence, cases, items to review.

Enter opens one evaluative question (its answers, the passages cited, the judgement); `m` opens
the matrix (grid questions × cases). The figures come from `core.synthesis.Workspace.status`,
the same as `pi87-field synthesis status`.
"""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError
from pi87_field.core.fr import plural
from pi87_field.core.synthesis import SUMMARY_REVIEW, QuestionStatus
from pi87_field.tui.base import FieldApp
from pi87_field.tui.screens.chapter4 import (
    SYNTHESIS_HELP,
    ConclusionsScreen,
    RecommendationsScreen,
    SourcesScreen,
)
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable, cell

COLUMNS = [
    ColumnSpec("n", "N°", width=2),
    ColumnSpec("registre", "Registre"),
    ColumnSpec("rating", "Niveau", width=10),
    ColumnSpec("evidence", "Preuves", width=7, justify="right", figures=True),
    ColumnSpec("cases", "Cas cités", width=9, justify="right", figures=True),
    ColumnSpec("stale", "À revoir", width=8),
]


class SynthesisTable(FittedTable):
    """One row per evaluative question (cursor on rows)."""


def rating_text(label: str) -> Text:
    return Text(label, style="bold green" if label.startswith("+") else "dim", end="")


class SynthesisScreen(Screen):
    app = getters.app(FieldApp)

    DEFAULT_CSS = """
    SynthesisScreen #synthesis-table { height: auto; max-height: 9; }
    SynthesisScreen #synthesis-question { height: 1fr; padding: 0 1; overflow-y: auto; }
    SynthesisScreen #synthesis-status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Accueil", id="synthesis.back", tooltip="Revenir à la liste des projets."),
        Binding("enter", "open_question", "Ouvrir", id="synthesis.open", priority=True,
                tooltip="Ouvrir la question évaluative : réponses, passages cités, jugement."),
        Binding("m", "matrix", "Matrice", id="synthesis.matrix",
                tooltip="La matrice questions de la grille × cas."),
        Binding("c", "conclusions", "Conclusions", id="synthesis.conclusions",
                tooltip="§ 4.1 : introduction, constats (atouts, limites), paragraphe final."),
        Binding("o", "recommendations", "Préconisations", id="synthesis.recommendations",
                tooltip="§ 4.2 : préconisations numérotées, sous-points, ce sur quoi elles reposent."),
        Binding("d", "sources", "Documents", id="synthesis.sources",
                tooltip="Documents et données de suivi cités ([@clé, p. 12])."),
        Binding("r", "refresh", "Actualiser", id="synthesis.refresh", show=False,
                tooltip="Relire les données (après un import fait ailleurs)."),
    ]
    HELP_WORKFLOW = SYNTHESIS_HELP

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QuestionStatus] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield SynthesisTable(COLUMNS, id="synthesis-table")
        yield Static("", id="synthesis-question")
        yield Static("", id="synthesis-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.title = "Synthèse"
        table = self.query_one(SynthesisTable)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.rows:
            self.reload()

    def reload(self) -> None:
        ws = self.app.workspace
        if ws is None:
            return
        try:
            ws.refresh()
            self.rows = ws.status()
        except FieldError as exc:
            self.app.notify(str(exc), title="Synthèse illisible", severity="error", timeout=10)
            return
        table = self.query_one(SynthesisTable)
        rows: list[tuple[str, list[str | Text]]] = []
        for r in self.rows:
            stale = len(r.stale) + r.conflicts
            rows.append((r.question.id, [
                cell(r.question.number or "·"), cell(r.question.registre), rating_text(r.rating_label),
                str(r.evidence_count), f"{r.cases_cited}/{r.cases_mapped}",
                Text(str(stale), style="bold yellow", end="") if stale else cell("—"),
            ]))
        table.set_rows(rows)
        self._show_question()
        self.query_one("#synthesis-status", Static).update(Text(
            f"{ws.framework.title} (v{ws.framework.version}) · {len(ws.projects)} projets · "
            "Entrée : ouvrir · c : conclusions · o : préconisations · d : documents", end=""))

    def _current(self) -> QuestionStatus | None:
        key = self.query_one(SynthesisTable).selected_key
        return next((r for r in self.rows if r.question.id == key), self.rows[0] if self.rows else None)

    def _show_question(self) -> None:
        current = self._current()
        if current is None:
            return
        q = current.question
        text = Text()
        text.append(f"{q.registre}\n", style="bold")
        text.append(q.text)
        ws = self.app.workspace
        details = []
        for item in current.stale[:3]:
            where = ws.label(item.project_id) if ws is not None else item.project_id
            details.append(f"⚠ {item.state} : {where} / {item.question_id}")
        if len(current.stale) > 3:
            details.append(f"⚠ et {plural(len(current.stale) - 3, 'autre élément', 'autres éléments')} {SUMMARY_REVIEW}")
        if current.conflicts:
            details.append(f"⚠ {plural(current.conflicts, 'version concurrente', 'versions concurrentes')} à arbitrer")
        if details:
            text.append("\n" + "\n".join(details), style="yellow")
        self.query_one("#synthesis-question", Static).update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_question()

    def action_open_question(self) -> None:
        current = self._current()
        if current is not None:
            self.app.open_evaluative_question(current.question.id)

    def action_matrix(self) -> None:
        self.app.open_matrix()

    def action_conclusions(self) -> None:
        self.app.push_screen(ConclusionsScreen())

    def action_recommendations(self) -> None:
        self.app.push_screen(RecommendationsScreen())

    def action_sources(self) -> None:
        self.app.push_screen(SourcesScreen())

    def action_refresh(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.leave_screen(self)
