"""Home: the campaign's projects in one table, filtered as you type; Enter opens one."""

from __future__ import annotations

import re

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.fr import plural
from pi87_field.core.model import Project, ProjectKind
from pi87_field.core.money import format_amount
from pi87_field.core.summary import ProjectProgress, project_label, project_progress
from pi87_field.core.text import fold
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable

OS_WORDS = re.compile(r"\bos\s*(\d)\b")
KIND_SHORT = {ProjectKind.CASE_STUDY: "EC", ProjectKind.INTERVIEW_SERIES: "EQ"}
# Fixed columns: kind and OS, amount, interviews, completion. The project's short label takes
# the rest at 80 columns; from 110 columns the operation's title shares it.
PROJECT_COLUMNS = [
    ColumnSpec("kind", "Type", width=4, figures=True),
    ColumnSpec("label", "Projet", share=2),
    ColumnSpec("title", "Intitulé", share=3, hide_below=110),
    ColumnSpec("amount", "FSE progr.", width=12, justify="right", figures=True),
    ColumnSpec("interviews", "Entr.", width=5, figures=True),
    ColumnSpec("completion", "Avanc.", width=6, justify="right", figures=True),
]


class ProjectTable(FittedTable):
    """The project list (cursor on rows)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(PROJECT_COLUMNS, **kwargs)


class HomeScreen(Screen):
    class ProgressShown(Message):
        """The projects' progress figures are on screen (the app may start background reading)."""

    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("enter", "open_project", "Ouvrir", id="home.open", priority=True,
                tooltip="Ouvrir le projet sélectionné."),
        Binding("ctrl+n", "new_interview", "Nouvel entretien", id="home.new_interview",
                tooltip="Préparer un entretien pour le projet sélectionné."),
        Binding("ctrl+o", "import", "Importer", id="home.import",
                tooltip="Importer des comptes rendus .docx ou des paquets .json."),
        Binding("ctrl+e", "export", "Exporter", id="home.export", show=False,
                tooltip="Exporter le projet sélectionné, ou tous (Word, JSON, pseudonymisé)."),
        Binding("ctrl+g", "synthesis", "Synthèse", id="home.synthesis",
                tooltip="Synthèse de l'équipe : questions évaluatives, preuves, matrice."),
        Binding("ctrl+f", "app.search", "Rechercher", id="home.search",
                tooltip="Chercher un mot dans toutes les réponses."),
        Binding("down", "cursor(1)", show=False, id="home.down"),
        Binding("up", "cursor(-1)", show=False, id="home.up"),
    ]
    # The footer at 80 columns (widgets/field_footer.py): these first, f1 always; the rest in f1.
    FOOTER_ORDER = ("home.open", "home.new_interview", "home.search", "app.quit", "home.import", "home.synthesis")

    def __init__(self) -> None:
        super().__init__()
        self.projects: list[Project] = []
        self.progress: dict[str, ProjectProgress] = {}
        self._shown: list[str] = []
        self.damaged: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filtrer : projet, porteur, intitulé, OS, région…", id="home-filter")
        yield ProjectTable(id="home-table")
        yield Static("", id="home-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        if self.projects:  # back from a project: figures may have changed
            self.reload()
            # Keep the filter, but the next letters typed start a new one.
            if isinstance(self.focused, Input):
                self.focused.select_all()

    def reload(self) -> None:
        scan = self.app.store.scan()
        self.projects = scan.projects
        self.damaged = list(scan.damaged)
        self.populate()
        self.app.report_damaged(self.damaged)
        self.load_progress()

    @work(thread=True, exclusive=True, group="home-progress")
    def load_progress(self) -> None:
        """After the first paint: the store's progress facts (`core/store/progress.py`) open only
        the interviews changed since they were noted."""
        store = self.app.store
        damaged: list = []
        figures = {p.id: project_progress(store.progress_facts(p.id, damaged=damaged), store.guides)
                   for p in self.projects}
        self.app.call_from_thread(self._progress_loaded, figures, damaged)

    def _progress_loaded(self, figures: dict[str, ProjectProgress], damaged: list) -> None:
        self.progress = figures
        self.post_message(self.ProgressShown())
        known = {str(getattr(d, "path", d)) for d in self.damaged}
        self.damaged += [d for d in damaged if str(getattr(d, "path", d)) not in known]
        self.populate()
        self.app.report_damaged(damaged)

    # -- table ------------------------------------------------------------------------------------

    def _matches(self, project: Project, needle: str) -> bool:
        if not needle:
            return True
        code = KIND_SHORT.get(project.kind, "")
        hay = " ".join(str(v) for v in (
            code, f"{code}{project.os}" if project.os else "", project.id, project.label, project.title, project.carrier, f"os{project.os}" if project.os else "",
            project.kind.label, project.region or "", project.characteristics, project.volet or "",
        ))
        needle = OS_WORDS.sub(r"os\1", needle)  # "OS 2" is one criterion, not "os" and "2"
        return all(word in fold(hay) for word in needle.split())

    def populate(self) -> None:
        tables = self.query(ProjectTable)
        if not tables:  # figures that arrive while the app is closing: nothing left to fill
            return
        table = tables.first()
        needle = fold(self.query_one(Input).value.strip())
        rows = []
        for project in self.projects:
            if not self._matches(project, needle):
                continue
            fig = self.progress.get(project.id)
            rows.append((project.id, [
                KIND_SHORT.get(project.kind, "?") + (f"{project.os}" if project.os else ""),
                project_label(project),
                project.title,
                format_amount(project.fse_amount),
                f"{fig.done}/{fig.total}" if fig else "…",
                fig.percent_label if fig else "…",
            ]))
        table.set_rows(rows)
        self._shown = table.row_keys_shown
        count = len(self._shown)
        status = plural(count, "projet")
        if needle:
            status += f" sur {len(self.projects)} (filtre « {self.query_one(Input).value.strip()} »)"
        if self.damaged:
            status += " · ⚠ " + plural(len(self.damaged), "fichier endommagé, conservé tel quel",
                                          "fichiers endommagés, conservés tels quels")
        status += " · EC : étude de cas · EQ : entretiens · ctrl+p : commandes"
        self.query_one("#home-status", Static).update(Text(status))  # the filter is user text
        self.refresh_bindings()

    @on(Input.Changed, "#home-filter")
    def _filter(self) -> None:
        self.populate()
        self.query_one(ProjectTable).move_cursor(row=0, animate=False)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_project(str(event.row_key.value))

    # -- actions ----------------------------------------------------------------------------------

    @property
    def selected_project_id(self) -> str | None:
        return self.query_one(ProjectTable).selected_key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_project", "new_interview", "export"):
            return True if self.selected_project_id else None
        if action == "cursor":
            return isinstance(self.focused, Input)
        return True

    def action_cursor(self, step: int) -> None:
        table = self.query_one(ProjectTable)
        table.move_cursor(row=max(0, table.cursor_row + step), animate=False)

    def action_open_project(self) -> None:
        if self.selected_project_id:
            self.app.open_project(self.selected_project_id)

    def action_new_interview(self) -> None:
        if self.selected_project_id:
            self.app.new_interview(self.selected_project_id)

    def action_export(self) -> None:
        if self.selected_project_id:
            self.app.open_export(self.selected_project_id)

    def action_import(self) -> None:
        self.app.open_import()

    def action_synthesis(self) -> None:
        self.app.open_synthesis()
