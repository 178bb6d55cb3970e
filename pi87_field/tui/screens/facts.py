"""The project's facts, editable: amounts typed the French way, optional facts from the
report's vocabularies (model.py). Nothing is saved unless every field is valid."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    TextArea,
)

from pi87_field.tui.screens.form_keys import FOCUS_BINDINGS
from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError
from pi87_field.core.model import (
    DIGITAL_COMPONENTS,
    INNOVATION_STEPS,
    OPERATION_TYPES,
    OS_LABELS,
    TERRITORIAL_LEVELS,
    VOLETS,
    Project,
)
from pi87_field.core.money import AmountError, format_amount, parse_amount
from pi87_field.core.summary import project_label
from pi87_field.core.text import clean_text, one_line
from pi87_field.tui.base import FieldApp


def _select(options: list[str], value: str | None, id: str) -> Select:
    choices = [(o, o) for o in options]
    if value and value not in options:  # a value from an import stays choosable
        choices.append((value, value))
    return Select(choices, value=value if value else Select.NULL, id=id, prompt="—", allow_blank=True)


class FactsScreen(Screen):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="facts.save", priority=True,
                tooltip="Vérifier et enregistrer la fiche."),
        Binding("escape", "cancel", "Annuler", id="facts.cancel", tooltip="Revenir sans enregistrer."),
        *FOCUS_BINDINGS,
    ]

    def __init__(self, project_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.project: Project | None = None

    def compose(self) -> ComposeResult:
        p = self.project = self.app.store.get_project(self.project_id)
        yield Header()
        with VerticalScroll(id="facts-form", classes="form"):
            yield Label("Nom court (distingue le projet dans les listes, ex. Lunévillois · Atout Emploi)")
            yield Input(p.label, id="f-label", placeholder=project_label(p))
            yield Label("Intitulé de l'opération")
            yield Input(p.title, id="f-title")
            yield Label("Porteur de projet")
            yield Input(p.carrier, id="f-carrier")
            yield Label("Objectif spécifique")
            yield Select([(label, n) for n, label in OS_LABELS.items()], value=p.os or Select.NULL,
                         id="f-os", prompt="—", allow_blank=True)
            yield Label("Montant FSE programmé (ex. 21 914,89 €)")
            yield Input(format_amount(p.fse_amount), id="f-amount", placeholder="21 914,89 €")
            yield Label("Précision sur le montant")
            yield Input(p.fse_amount_note, id="f-amount-note", placeholder="ex. pour les 4 opérations")
            yield Label("Caractéristiques retenues pour l'étude de cas")
            yield TextArea(p.characteristics, id="f-characteristics", soft_wrap=True, show_line_numbers=False)
            yield Label("Volet")
            yield _select(VOLETS, p.volet, "f-volet")
            yield Label("Niveau territorial")
            yield _select(TERRITORIAL_LEVELS, p.territorial_level, "f-level")
            yield Label("Région")
            yield Input(p.region or "", id="f-region")
            yield Label("Type d'opération (typologie de l'OS 1)")
            yield _select(OPERATION_TYPES, p.operation_type, "f-operation")
            yield Label("Dimension numérique")
            digital = DIGITAL_COMPONENTS + [d for d in p.digital if d not in DIGITAL_COMPONENTS]
            yield SelectionList[str](*[(d, d, d in p.digital) for d in digital], id="f-digital")
            yield Label("Étapes d'innovation")
            yield SelectionList[str](*[(s, s, s in p.innovation_steps) for s in INNOVATION_STEPS], id="f-steps")
            yield Label("Autres étapes (séparées par des virgules)")
            yield Input(", ".join(s for s in p.innovation_steps if s not in INNOVATION_STEPS), id="f-steps-other")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Fiche : {project_label(self.project)}" if self.project else "Fiche"
        self.query_one("#f-label", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def action_save(self) -> None:
        assert self.project is not None
        amount_input = self.query_one("#f-amount", Input)
        try:
            amount = parse_amount(amount_input.value)
        except AmountError as exc:
            amount_input.add_class("-invalid")
            amount_input.focus()
            self.notify(str(exc), title="Montant refusé", severity="error")
            return
        amount_input.remove_class("-invalid")
        title = one_line(self._value("#f-title"))
        if not title:
            self.query_one("#f-title", Input).focus()
            self.notify("L'intitulé ne peut pas être vide.", severity="error")
            return
        p = self.project
        p.title = title
        p.label = one_line(self._value("#f-label"))
        p.carrier = one_line(self._value("#f-carrier"))
        os_value = self.query_one("#f-os", Select).value
        p.os = os_value if isinstance(os_value, int) else None
        p.fse_amount = amount
        p.fse_amount_note = one_line(self._value("#f-amount-note"))
        p.characteristics = clean_text(self.query_one("#f-characteristics", TextArea).text).strip()

        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else None

        p.volet = chosen("#f-volet")
        p.territorial_level = chosen("#f-level")
        p.region = one_line(self._value("#f-region")) or None
        p.operation_type = chosen("#f-operation")
        p.digital = list(self.query_one("#f-digital", SelectionList).selected)
        steps = list(self.query_one("#f-steps", SelectionList).selected)
        steps += [s for s in (one_line(x) for x in self._value("#f-steps-other").split(",")) if s and s not in steps]
        p.innovation_steps = steps
        try:
            self.app.store.save_project(p)
        except FieldError as exc:
            self.notify(str(exc), title="Fiche non enregistrée", severity="error")
            return
        except OSError as exc:
            self.notify(f"Écriture impossible : {exc.strerror or exc}", severity="error")
            return
        self.notify("Fiche enregistrée.")
        self.app.leave_screen(self)

    def action_cancel(self) -> None:
        self.app.leave_screen(self)
