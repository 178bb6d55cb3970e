"""A project that is not in the campaign: a case study or an interview series, created with
the few facts needed to tell it apart; the rest is filled in on its facts screen (ctrl+t)."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, RadioSet, Select

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError, os_reason
from pi87_field.core.model import OS_LABELS, ProjectKind
from pi87_field.core.money import AmountError, parse_amount
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.toggles import ReadableRadioButton


class NewProjectScreen(Screen):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("ctrl+s", "create", "Créer", id="new_project.create", priority=True,
                tooltip="Créer le projet et l'ouvrir."),
        Binding("escape", "cancel", "Annuler", id="new_project.cancel", tooltip="Revenir sans créer."),
    ]

    kind_set = getters.query_one("#np-kind", RadioSet)
    title_input = getters.query_one("#np-title", Input)
    amount_input = getters.query_one("#np-amount", Input)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="new-project-form", classes="form"):
            yield Label("Type de projet")
            with RadioSet(id="np-kind"):
                yield ReadableRadioButton("Étude de cas", value=True, id="np-case")
                yield ReadableRadioButton("Série d'entretiens qualitatifs", id="np-series")
            yield Label("Nom court, pour le distinguer à l'écran (ex. « Épinal · Plateforme emploi »)")
            yield Input(id="np-label")
            yield Label("Intitulé de l'opération (obligatoire)")
            yield Input(id="np-title")
            yield Label("Porteur de projet")
            yield Input(id="np-carrier")
            yield Label("Objectif spécifique")
            yield Select([(label, n) for n, label in OS_LABELS.items()], id="np-os", prompt="—",
                         allow_blank=True)
            yield Label("Montant FSE programmé (ex. 21 914,89 €)")
            yield Input(id="np-amount", placeholder="21 914,89 €")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.sub_title = "Nouveau projet hors campagne"
        self.query_one("#np-label", Input).focus()

    def action_create(self) -> None:
        try:
            amount = parse_amount(self.amount_input.value)
        except AmountError as exc:
            self.amount_input.add_class("-invalid")
            self.amount_input.focus()
            self.notify(str(exc), title="Montant refusé", severity="error")
            return
        self.amount_input.remove_class("-invalid")
        if not self.title_input.value.strip():
            self.title_input.focus()
            self.notify("L'intitulé ne peut pas être vide.", title="Projet non créé", severity="error")
            return
        kind = ProjectKind.INTERVIEW_SERIES if self.kind_set.pressed_index == 1 else ProjectKind.CASE_STUDY
        os_value = self.query_one("#np-os", Select).value
        try:
            project = self.app.store.create_project(
                kind, self.title_input.value, label=self.query_one("#np-label", Input).value,
                carrier=self.query_one("#np-carrier", Input).value,
                os=os_value if isinstance(os_value, int) else None, fse_amount=amount)
        except FieldError as exc:
            self.notify(str(exc), title="Projet non créé", severity="error")
            return
        except OSError as exc:
            self.notify(f"Écriture impossible ({os_reason(exc)})", title="Projet non créé", severity="error")
            return
        from pi87_field.tui.screens.project import ProjectScreen

        self.notify(f"Projet créé : {project.label or project.title}", title="Nouveau projet")
        self.app.switch_screen(ProjectScreen(project.id))

    def action_cancel(self) -> None:
        self.app.leave_screen(self)
