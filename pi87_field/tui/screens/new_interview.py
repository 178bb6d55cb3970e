"""Prepare an interview: guide, interviewer, interviewees, date, mode — and consent, which
is recorded before the grid opens. A planned interview of the campaign is started the same way."""

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
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
)

from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_date, parse_fr_date
from pi87_field.core.model import (
    Interview,
    Interviewee,
    InterviewMode,
    InterviewStatus,
    new_interview_id,
)
from pi87_field.core.summary import project_label
from pi87_field.core.text import one_line
from pi87_field.tui.app import Pi87FieldApp

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
    app = getters.app(Pi87FieldApp)

    BINDINGS = [
        Binding("ctrl+s", "start", "Ouvrir la grille", id="new.start", priority=True,
                tooltip="Enregistrer la fiche de l'entretien et ouvrir la grille."),
        Binding("ctrl+a", "add_person", "+ Interlocuteur", id="new.add_person", priority=True,
                tooltip="Ajouter un interlocuteur."),
        Binding("escape", "cancel", "Annuler", id="new.cancel", tooltip="Revenir sans rien enregistrer."),
    ]

    def __init__(self, project_id: str, planned_id: str | None = None) -> None:
        super().__init__()
        self.project_id = project_id
        self.planned_id = planned_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        project = store.get_project(self.project_id)
        planned = store.get_interview(self.project_id, self.planned_id) if self.planned_id else None
        guides = store.guides.for_kind(project.kind.value)
        guide_id = (planned.guide_id if planned else "") or project.guide_id
        choices = [(g.title, g.id) for g in guides]
        if guide_id and guide_id not in {g.id for g in guides} and store.guide_for(guide_id):
            choices.append((store.guide_for(guide_id).title, guide_id))
        people = (planned.interviewees if planned else []) or [Interviewee()]
        when = planned.date if planned and planned.date else self.app.now().date()
        mode = planned.mode if planned and planned.mode else InterviewMode.ON_SITE

        yield Header()
        with VerticalScroll(id="new-form", classes="form"):
            yield Label("Entretien prévu de la campagne : complétez la fiche." if planned
                        else "Nouvel entretien", classes="form-title")
            yield Label("Grille d'entretien")
            yield Select(choices, value=guide_id if any(v == guide_id for _, v in choices) else Select.NULL,
                         id="n-guide", allow_blank=False if choices else True, compact=True)
            yield Label("Enquêteur")
            yield Input((planned.interviewer if planned else "") or self.app.interviewer, id="n-interviewer",
                        compact=True)
            yield Label("Interlocuteurs (nom, fonction, organisation)")
            for person in people:
                yield IntervieweeRow(person)
            yield Button("+ interlocuteur (ctrl+a)", id="n-add-person", compact=True)
            with Horizontal(id="n-when"):
                yield Label("Date ")
                yield Input(fr_date(when), id="n-date", compact=True, placeholder="jj/mm/aaaa")
            with RadioSet(id="n-mode"):
                for m in MODES:
                    yield RadioButton(m.label, value=m == mode, name=m.value)
            yield Checkbox("Consentement recueilli auprès de chaque interlocuteur", id="n-consent",
                           value=bool(planned and planned.consent))
            yield Button("Ouvrir la grille (ctrl+s)", id="n-start", variant="primary", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = project_label(self.app.store.get_project(self.project_id))
        rows = list(self.query(IntervieweeRow))
        target = rows[0].query(Input).first() if rows else self.query_one("#n-interviewer", Input)
        target.focus()

    @on(Button.Pressed, "#n-add-person")
    def action_add_person(self) -> None:
        row = IntervieweeRow()
        self.query_one("#new-form").mount(row, before="#n-add-person")
        self.call_after_refresh(lambda: row.query(Input).first().focus())

    @on(Button.Pressed, "#n-start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_cancel(self) -> None:
        self.app.leave_screen(self)

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
        if not people:
            self._refuse("Indiquez au moins un interlocuteur (nom ou organisation).")
            return
        try:
            when = parse_date(self.query_one("#n-date", Input).value)
        except FieldError as exc:
            self._refuse(str(exc), "#n-date")
            return
        pressed = self.query_one(RadioSet).pressed_button
        mode = InterviewMode(pressed.name) if pressed is not None and pressed.name else None
        if mode is None:
            self._refuse("Choisissez le mode : sur place, téléphone ou visio.", "#n-mode")
            return
        if not self.query_one("#n-consent", Checkbox).value:
            self._refuse("Recueillez le consentement de chaque interlocuteur avant d'ouvrir la grille.", "#n-consent")
            return
        if self.planned_id:
            interview = store.get_interview(self.project_id, self.planned_id)
        else:
            interview = Interview(id=new_interview_id(), project_id=self.project_id, guide_id=guide.id,
                                  guide_version=guide.version)
        if not interview.answers or interview.guide_id != guide.id:
            interview.question_texts = guide.question_texts()
        interview.guide_id, interview.guide_version = guide.id, guide.version
        interview.interviewer = one_line(self.query_one("#n-interviewer", Input).value)
        interview.interviewees = people
        interview.date = when
        interview.mode = mode
        interview.consent = True
        if not interview.consent_recorded_at:
            interview.consent_recorded_at = self.app.now().isoformat(timespec="seconds")
        if interview.status == InterviewStatus.PLANNED:
            interview.status = InterviewStatus.IN_PROGRESS
        try:
            store.save_interview(interview)
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Entretien non enregistré", severity="error")
            return
        from pi87_field.tui.screens.interview import InterviewScreen

        self.app.clear_notifications()  # "Fiche incomplète" no longer applies; keep the grid clear
        self.app.switch_screen(InterviewScreen(self.project_id, interview.id))
