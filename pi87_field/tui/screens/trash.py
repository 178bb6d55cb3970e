"""The trash: deleted interviews, restorable one by one; emptied only on request, confirmed."""

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
from pi87_field.core.store.project_store import describe_unique
from pi87_field.core.summary import interview_title, project_label
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable

TRASH_COLUMNS = [
    ColumnSpec("project", "Projet", share=2),
    ColumnSpec("interview", "Entretien", share=3),
    ColumnSpec("when", "Supprimé le", width=16, figures=True),
]


class TrashScreen(Screen):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("escape", "back", "Retour", id="trash.back"),
        Binding("enter", "restore", "Restaurer", id="trash.restore", priority=True,
                tooltip="Remettre l'entretien sélectionné dans son projet."),
        Binding("ctrl+x", "empty", "Vider la corbeille", id="trash.empty",
                tooltip="Supprimer définitivement tous les entretiens de la corbeille (confirmation)."),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedTable(TRASH_COLUMNS, id="trash-table")
        yield Static("", id="trash-status")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.sub_title = "Corbeille"
        self.reload()
        self.query_one(FittedTable).focus()

    def reload(self) -> None:
        store = self.app.store
        labels = {p.id: project_label(p) for p in store.list_projects()}
        self.items = store.trash.items()
        self.query_one(FittedTable).set_rows([
            (f"{t.project_id}/{t.interview.id}/{n}", [labels.get(t.project_id, t.project_id),
                                                     interview_title(None, t.interview),
                                                     t.trashed_at[:16].replace("T", " ")])
            for n, t in enumerate(self.items)])
        count = len(self.items)
        status = ("La corbeille est vide." if not count else
                  f"{plural(count, 'entretien')} dans la corbeille, hors des exports · "
                  "Entrée : restaurer · ctrl+x : vider")
        self.query_one("#trash-status", Static).update(Text(status))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "empty"):
            return True if self.items else None
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(FittedTable)
        if not self.items or not (0 <= table.cursor_row < len(self.items)):
            return
        item = self.items[table.cursor_row]
        try:
            self.app.store.trash.restore(item.project_id, item.interview.id)
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Restauration impossible", severity="error")
            return
        self.notify(f"Restauré : {interview_title(None, item.interview)}")
        self.reload()

    def action_empty(self) -> None:
        from pi87_field.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                count = self.app.store.trash.empty(destroy_unique=True)   # named in the question
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Corbeille non vidée", severity="error")
                return
            self.notify(f"Corbeille vidée : {plural(count, 'entretien supprimé', 'entretiens supprimés')} définitivement.")
            self.reload()

        held = self.app.store.trash.unique_answers()
        lost = f", dont {describe_unique(held)}" if held else ""
        self.app.push_screen(ConfirmDialog(
            "Vider la corbeille ?",
            f"{plural(len(self.items), 'entretien sera supprimé', 'entretiens seront supprimés')} définitivement "
            f"(réponses comprises{lost})."), answered)

    def action_back(self) -> None:
        self.app.leave_screen(self)
