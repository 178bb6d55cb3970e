"""One project: its facts (editable on the facts screen) and its interviews."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_date, plural
from pi87_field.core.model import Interview, InterviewStatus, Project
from pi87_field.core.money import format_amount
from pi87_field.core.summary import interview_people, interview_progress, interview_title, project_label, project_progress
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable


def project_facts_text(project: Project) -> Text:
    """The facts as a few lines for the top of the project screen. Built as Text, not markup:
    titles and notes are user text and may contain "[" (an unbalanced "[/" used to crash)."""
    lines: list[Text] = [Text(project_label(project), style="bold"), Text(project.title),
                         Text(f"Porteur : {project.carrier or '—'}")]
    first = [project.kind.label]
    if project.os:
        first.append(f"OS {project.os}")
    if project.fse_amount is not None:
        amount = format_amount(project.fse_amount)
        if project.fse_amount_note:
            amount += f" ({project.fse_amount_note})"
        first.append(f"FSE programmé : {amount}")
    lines.append(Text(" · ".join(first)))
    optional = [v for v in (project.volet and f"volet {project.volet}",
                            project.territorial_level and f"niveau {project.territorial_level}",
                            project.region) if v]
    if optional:
        lines.append(Text(" · ".join(optional)))
    if project.operation_type:
        lines.append(Text(f"Type d'opération : {project.operation_type}"))
    if project.digital:
        lines.append(Text(f"Numérique : {' ; '.join(project.digital)}"))
    if project.innovation_steps:
        lines.append(Text(f"Innovation : {', '.join(project.innovation_steps)}"))
    if project.characteristics:
        lines.append(Text(f"Caractéristiques : {' / '.join(project.characteristics.splitlines())}", style="dim"))
    return Text("\n").join(lines)


INTERVIEW_COLUMNS = [
    ColumnSpec("date", "Date", width=10, figures=True),
    ColumnSpec("who", "Interlocuteurs", min_width=10),
    ColumnSpec("mode", "Mode", width=9, figures=True),
    ColumnSpec("interviewer", "Enquêteur", width=10),
    ColumnSpec("status", "Statut", width=8, figures=True),
    ColumnSpec("progress", "Réponses", width=8, figures=True),
]


class InterviewTable(FittedTable):
    """The project's interviews (cursor on rows)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(INTERVIEW_COLUMNS, **kwargs)


class ProjectScreen(Screen):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("escape", "back", "Projets", id="project.back", tooltip="Revenir à la liste des projets."),
        Binding("enter", "open_interview", "Ouvrir", id="project.open", priority=True,
                tooltip="Ouvrir l'entretien sélectionné (un entretien prévu s'ouvre sur sa fiche)."),
        Binding("ctrl+n", "new_interview", "Nouvel entretien", id="project.new_interview",
                tooltip="Préparer et commencer un nouvel entretien."),
        Binding("ctrl+t", "edit_facts", "Fiche", id="project.edit_facts",
                tooltip="Modifier la fiche du projet (intitulé, montant FSE, vocabulaire du rapport)."),
        Binding("ctrl+e", "export", "Exporter", id="project.export",
                tooltip="Exporter ce projet ou tous (Word, JSON, pseudonymisé)."),
        Binding("delete", "trash_interview", "Supprimer", id="project.trash", key_display="Suppr",
                tooltip="Mettre l'entretien sélectionné à la corbeille (récupérable jusqu'à ce qu'elle soit vidée)."),
    ]
    # The footer at 80 columns (widgets/field_footer.py): these first, f1 always; the rest in f1.
    FOOTER_ORDER = ("project.open", "project.new_interview", "project.trash", "project.back", "project.export",
                    "project.edit_facts", "app.quit")

    def __init__(self, project_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.project: Project | None = None
        self.interviews: list[Interview] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="project-facts"):
            yield Static("", id="project-facts-text")
        yield InterviewTable(id="interview-table")
        yield Static("", id="project-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(InterviewTable).focus()

    def on_screen_resume(self) -> None:
        if self.project is not None:
            self.reload()

    def reload(self) -> None:
        store = self.app.store
        try:
            self.project = store.get_project(self.project_id)
        except FieldError as exc:
            self.notify(str(exc), severity="error")
            self.app.leave_screen(self)
            return
        self.sub_title = project_label(self.project)
        self.query_one("#project-facts-text", Static).update(project_facts_text(self.project))
        damaged: list = []
        self.interviews = store.list_interviews(self.project_id, damaged=damaged)
        self.app.report_damaged(damaged)
        rows = []
        for interview in self.interviews:
            got, out_of = interview_progress(interview, store.guide_for(interview.guide_id))
            who = interview_people(interview)
            rows.append((interview.id, [
                fr_date(interview.date) or "à fixer",
                who or "—",
                interview.mode.label if interview.mode else "",
                interview.interviewer,
                interview.status.label,
                f"{got}/{out_of}",
            ]))
        self.query_one(InterviewTable).set_rows(rows)
        figures = project_progress(self.interviews, store.guides)
        status = (f"{plural(figures.total, 'entretien')}, {plural(figures.done, 'terminé')}"
                  if self.interviews else "Aucun entretien : ctrl+n pour en préparer un.")
        if damaged:
            names = ", ".join(Path(d.path).name if getattr(d, "path", None) else str(d) for d in damaged[:2])
            more = f" (+{len(damaged) - 2})" if len(damaged) > 2 else ""
            status += "\n⚠ " + plural(len(damaged), "fichier d'entretien endommagé, conservé tel quel",
                                        "fichiers d'entretien endommagés, conservés tels quels") + f" : {names}{more}"
        self.query_one("#project-status", Static).update(Text(status))
        self.refresh_bindings()

    @property
    def selected_interview(self) -> Interview | None:
        key = self.query_one(InterviewTable).selected_key
        return next((i for i in self.interviews if i.id == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_interview", "trash_interview"):
            return True if self.selected_interview else None
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open_interview()

    def action_back(self) -> None:
        self.app.leave_screen(self)

    def action_open_interview(self) -> None:
        interview = self.selected_interview
        if interview is None:
            return
        if interview.status == InterviewStatus.PLANNED and not interview.answers:
            # The facts (date, mode, consent) are recorded before the grid opens.
            self.app.new_interview(self.project_id, interview.id)
        else:
            self.app.open_interview(self.project_id, interview.id)

    def action_new_interview(self) -> None:
        selected = self.selected_interview
        self.app.new_interview(self.project_id, selected=selected.id if selected else None)

    def action_trash_interview(self) -> None:
        from pi87_field.tui.screens.dialogs import ConfirmDialog

        interview = self.selected_interview
        if interview is None or self.project is None:
            return
        title = interview_title(self.project, interview)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.trash.put(self.project_id, interview.id, self.app.now())
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Suppression refusée", severity="error")
                return
            self.notify(f"« {title} » mis à la corbeille (ctrl+p → Corbeille pour le restaurer).")
            self.reload()

        self.app.push_screen(ConfirmDialog(
            f"Mettre à la corbeille : {title} ?",
            "Il quitte le projet, la recherche et les exports ; il reste récupérable dans la corbeille "
            "jusqu'à ce qu'elle soit vidée (commande explicite)."), answered)

    def action_edit_facts(self) -> None:
        from pi87_field.tui.screens.facts import FactsScreen

        self.app.push_screen(FactsScreen(self.project_id))

    def action_export(self) -> None:
        self.app.open_export(self.project_id)
