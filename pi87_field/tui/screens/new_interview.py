"""The interview's sheet: guide, interviewer, interviewees, date, mode — and consent, which
is recorded before the grid opens. A planned interview of the campaign is started the same way.

The same screen edits the sheet at any time from the grid (`edit=True`, ctrl+t there): fix a
name, add a person who joined midway, change date or mode, record a consent withdrawn; and the
life cycle: postpone (new date and reason), cancel (reason), delete to the trash, reopen. The
rules themselves are ProjectStore operations."""

from __future__ import annotations

from datetime import date

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    Label,
    RadioSet,
    Select,
    Static,
)

from pi87_field.core.errors import FieldError, SheetError
from pi87_field.core.fr import fr_date, parse_fr_date
from pi87_field.core.model import Interviewee, InterviewMode, InterviewStatus
from pi87_field.core.store import InterviewSheet, check_sheet
from pi87_field.core.summary import project_label
from pi87_field.core.text import one_line
from pi87_field.tui.base import FieldApp
from pi87_field.tui.screens.form_keys import FOCUS_BINDINGS
from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.tui.widgets.toggles import ReadableCheckbox, ReadableRadioButton

MODES = [InterviewMode.ON_SITE, InterviewMode.PHONE, InterviewMode.VIDEO]


def parse_date(value: str) -> date:
    """"14/10/2019", "14/10/19" or "2019-10-14" (`fr.parse_fr_date`); raises FieldError in French."""
    try:
        when = parse_fr_date(value)
    except ValueError:
        when = None
    if when is None:
        raise FieldError(f"Date invalide : « {value} » (jj/mm/aaaa, exemple : 14/10/2019)")
    return when

# The form field to focus when the store refuses the sheet (SheetError.field).
_SHEET_FIELDS = {"mode": "#n-mode", "consent": "#n-consent"}


class IntervieweeRow(Horizontal):
    """Name, role and organisation of one interviewee."""

    def __init__(self, person: Interviewee | None = None) -> None:
        super().__init__(classes="interviewee-row")
        self.person = person or Interviewee()

    def compose(self) -> ComposeResult:
        yield Input(self.person.name, placeholder="Nom", classes="who-name", compact=True)
        yield Input(self.person.role, placeholder="Fonction", classes="who-role", compact=True)
        yield Input(self.person.organisation, placeholder="Organisation", classes="who-org", compact=True)

    def value(self) -> Interviewee:
        name, role, org = (one_line(i.value) for i in self.query(Input))
        return Interviewee(name=name, role=role, organisation=org, extra=dict(self.person.extra))


class NewInterviewScreen(Screen):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("ctrl+s", "start", "Enregistrer", id="new.start", priority=True,
                tooltip="Enregistrer la fiche de l'entretien (et ouvrir la grille)."),
        # Not ctrl+a: screen's prefix, and line start in the fields.
        Binding("ctrl+n", "add_person", "+ Interlocuteur", id="new.add_person", priority=True,
                tooltip="Ajouter un interlocuteur."),
        Binding("escape", "cancel", "Annuler", id="new.cancel", tooltip="Revenir sans rien enregistrer."),
        *FOCUS_BINDINGS,
    ]

    def __init__(self, project_id: str, planned_id: str | None = None, *, edit: bool = False) -> None:
        super().__init__()
        self.project_id = project_id
        self.planned_id = planned_id
        self.edit = edit and planned_id is not None
        self._consent_before: bool | None = None

    @property
    def planned(self) -> str:
        """The id of the interview this sheet belongs to (the buttons and the edit that use it
        exist only then)."""
        assert self.planned_id is not None
        return self.planned_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        project = store.get_project(self.project_id)
        planned = store.get_interview(self.project_id, self.planned_id) if self.planned_id else None
        guides = store.guides.for_kind(project.kind.value)
        guide_id = (planned.guide_id if planned else "") or project.guide_id
        choices = [(g.title, g.id) for g in guides]
        if guide_id and guide_id not in {g.id for g in guides} and (former := store.guide_for(guide_id)):
            choices.append((former.title, guide_id))
        people = (planned.interviewees if planned else []) or [Interviewee()]
        when = planned.date if planned and planned.date else self.app.now().date()
        mode = planned.mode if planned and planned.mode else InterviewMode.ON_SITE

        yield Header()
        with VerticalScroll(id="new-form", classes="form"):
            if self.edit:
                status = planned.status.label if planned else ""
                yield Label(f"Fiche de l'entretien ({status}) : modifiable à tout moment", classes="form-title")
            else:
                yield Label("Entretien prévu de la campagne : complétez la fiche." if planned
                            else "Nouvel entretien", classes="form-title")
            yield Label("Grille d'entretien")
            yield Select(choices, value=guide_id if any(v == guide_id for _, v in choices) else Select.NULL,
                         id="n-guide", allow_blank=False if choices else True, compact=True,
                         disabled=self.edit and bool(planned and planned.answers))
            yield Label("Enquêteur")
            yield Input((planned.interviewer if planned else "") or self.app.interviewer, id="n-interviewer",
                        compact=True, placeholder="Votre nom (retenu pour les prochains entretiens)")
            yield Label("Interlocuteurs (nom, fonction, organisation)")
            for person in people:
                yield IntervieweeRow(person)
            yield Button("+ interlocuteur (ctrl+n)", id="n-add-person", compact=True)
            with Horizontal(id="n-when"):
                yield Label("Date ")
                yield Input(fr_date(when), id="n-date", compact=True, placeholder="jj/mm/aaaa")
            with RadioSet(id="n-mode"):
                for m in MODES:
                    yield ReadableRadioButton(m.label, value=m == mode, name=m.value)
            self._consent_before = planned.consent if planned else None
            yield ReadableCheckbox("Consentement recueilli auprès de chaque interlocuteur", id="n-consent",
                           value=bool(planned and planned.consent))
            if self.edit:
                yield Static("Décocher = consentement retiré : les réponses restent sur ce poste "
                             "seulement, la grille est verrouillée et l'entretien n'est plus exporté "
                             "(ni Word, ni JSON, ni volume). Pour les effacer : Supprimer, puis vider "
                             "la corbeille.", classes="form-note", markup=False)
                yield Button("Enregistrer la fiche (ctrl+s)", id="n-start", variant="primary", compact=True)
                with Horizontal(id="n-lifecycle"):
                    yield Button("Reporter…", id="n-postpone", compact=True)
                    yield Button("Annuler l'entretien…", id="n-cancel", compact=True)
                    yield Button("Supprimer (corbeille)…", id="n-trash", compact=True, variant="error")
                    if planned and planned.status in (InterviewStatus.COMPLETE, InterviewStatus.CANCELLED):
                        yield Button("Rouvrir", id="n-reopen", compact=True)
            else:
                yield Button("Ouvrir la grille (ctrl+s)", id="n-start", variant="primary", compact=True)
                if planned is not None:   # the campaign's planned interview: its own life cycle too
                    with Horizontal(id="n-lifecycle"):
                        yield Button("Reporter…", id="n-postpone", compact=True)
                        yield Button("Annuler l'entretien…", id="n-cancel", compact=True)
                        yield Button("Supprimer (corbeille)…", id="n-trash", compact=True, variant="error")
        yield FieldFooter()

    def on_mount(self) -> None:
        self.sub_title = project_label(self.app.store.get_project(self.project_id))
        rows = list(self.query(IntervieweeRow))
        interviewer = self.query_one("#n-interviewer", Input)
        # No name yet (none set, and the login name is no interviewer's name): ask it first.
        target = rows[0].query(Input).first() if rows and interviewer.value else interviewer
        target.focus()

    @on(Button.Pressed, "#n-add-person")
    async def action_add_person(self) -> None:
        row = IntervieweeRow()
        await self.query_one("#new-form").mount(row, before="#n-add-person")
        row.query(Input).first().focus()

    @on(Button.Pressed, "#n-start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_cancel(self) -> None:
        if self.edit:
            if self.is_active:
                self.dismiss(None)
            return
        self.app.leave_screen(self)

    # -- life cycle (edit mode) --------------------------------------------------------------------

    def _done(self, result: str, message: str) -> None:
        self.notify(message)
        if self.is_active:
            if self.edit:
                self.dismiss(result)
            else:       # the planned interview's sheet, opened from the project: back there
                self.app.leave_screen(self)

    @on(Button.Pressed, "#n-postpone")
    def _postpone(self) -> None:
        from pi87_field.tui.screens.dialogs import AskDialog

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                when = parse_date(values["date"])
                self.app.store.life_cycle.postpone(self.project_id, self.planned, when,
                                                  one_line(values["reason"]), self.app.now())
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Report refusé", severity="error")
                return
            self._done("postponed", f"Entretien reporté au {fr_date(when)}.")

        self.app.push_screen(AskDialog("Reporter l'entretien", [
            ("date", "Nouvelle date (jj/mm/aaaa)", ""), ("reason", "Motif (facultatif)", "")]), answered)

    @on(Button.Pressed, "#n-cancel")
    def _cancel_interview(self) -> None:
        from pi87_field.tui.screens.dialogs import AskDialog

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                self.app.store.life_cycle.cancel(self.project_id, self.planned, one_line(values["reason"]),
                                                self.app.now())
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Annulation refusée", severity="error")
                return
            self._done("cancelled", "Entretien annulé (réponses conservées ; Rouvrir pour le reprendre).")

        self.app.push_screen(AskDialog("Annuler l'entretien", [("reason", "Motif de l'annulation", "")],
                                       "Les réponses déjà saisies sont conservées."), answered)

    @on(Button.Pressed, "#n-trash")
    def _trash(self) -> None:
        from pi87_field.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.trash.put(self.project_id, self.planned, self.app.now())
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Suppression refusée", severity="error")
                return
            self._done("trashed", "Entretien mis à la corbeille (ctrl+p → Corbeille pour le restaurer).")

        self.app.push_screen(ConfirmDialog(
            "Mettre cet entretien à la corbeille ?",
            "Il quitte le projet, la recherche et les exports ; il reste récupérable dans la corbeille "
            "jusqu'à ce qu'elle soit vidée (commande explicite)."), answered)

    @on(Button.Pressed, "#n-reopen")
    def _reopen(self) -> None:
        try:
            self.app.store.life_cycle.reopen(self.project_id, self.planned, self.app.now())
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Entretien non rouvert", severity="error")
            return
        self._done("reopened", "Entretien rouvert.")

    def _refuse(self, message: str, widget_id: str | None = None) -> None:
        self.notify(message, severity="error", title="Fiche incomplète")
        if widget_id:
            self.query_one(widget_id).focus()

    def action_start(self) -> None:
        if not self.is_active:  # a second ctrl+s behind the first must not create a second interview
            return
        store = self.app.store
        guide_id = self.query_one("#n-guide", Select).value
        guide = store.guide_for(guide_id) if isinstance(guide_id, str) else None
        if guide is None:
            self._refuse("Choisissez une grille d'entretien.", "#n-guide")
            return
        people = [p for p in (row.value() for row in self.query(IntervieweeRow)) if p.name or p.organisation]
        try:
            when = parse_date(self.query_one("#n-date", Input).value)
        except FieldError as exc:
            self._refuse(str(exc), "#n-date")
            return
        pressed = self.query_one(RadioSet).pressed_button
        mode = InterviewMode(pressed.name) if pressed is not None and pressed.name else None
        consent = self.query_one("#n-consent", Checkbox).value
        sheet = InterviewSheet(one_line(self.query_one("#n-interviewer", Input).value), people, when, mode)
        if sheet.interviewer and not self.app.interviewer:
            # The first name typed on this laptop is whoever is typing: remembered (a setting),
            # the author of the answers and the interviewer of the next interviews.
            self.app.remember_interviewer(sheet.interviewer)
        try:  # the store's own checks and words
            check_sheet(sheet, consent=None if self.edit else consent)
        except SheetError as exc:
            self._refuse(str(exc), _SHEET_FIELDS.get(exc.field))
            return
        if self.edit:
            try:
                store.life_cycle.update_sheet(self.project_id, self.planned, sheet)
                if consent != bool(self._consent_before):
                    store.life_cycle.record_consent(self.project_id, self.planned, consent, self.app.now())
            except (FieldError, OSError) as exc:
                self.notify(str(exc), title="Fiche non enregistrée", severity="error")
                return
            message = "Fiche enregistrée."
            if consent != bool(self._consent_before):
                message += (" Consentement consigné." if consent else
                            " Consentement retiré : réponses gardées ici, hors des exports, grille verrouillée.")
            self._done("saved", message)
            return
        try:
            interview = store.life_cycle.start(self.project_id, guide, sheet, consent=True, at=self.app.now(),
                                              interview_id=self.planned_id)
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Entretien non enregistré", severity="error")
            return
        self.app.clear_notifications()  # "Fiche incomplète" no longer applies; keep the grid clear
        self.app.start_interview(self.project_id, interview.id)
