"""The live interview: navigator, current question, answer editor, state keys, clock, saving.

Saving: every edit starts a debounced autosave (a worker that sleeps first; continuous typing
is still written at least every MAX_UNSAVED_SECONDS), and the answer is written at once when
the question changes, when its state changes, when the screen is left, on ctrl+q and on
SIGTERM/SIGHUP (through `FieldApp.flush_pending`). What is typed, its state, the revision it
descends from and the decisions of saving are `tui.editor_state.EditorState` (no Textual);
this screen shows them and writes through the store."""

from __future__ import annotations

import asyncio
from datetime import datetime

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TextArea, Tree

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core import timing
from pi87_field.core.errors import FieldError, InterviewGoneError, os_reason
from pi87_field.core.fr import fr_datetime, fr_time, plural
from pi87_field.core.grid import ORPHAN_SECTION, Grid
from pi87_field.core.guides import Guide
from pi87_field.core.model import (
    INTERVIEW_NOTES,
    Answer,
    AnswerLock,
    AnswerState,
    Interview,
    InterviewStatus,
    Project,
)
from pi87_field.core.summary import interview_title, project_label
from pi87_field.core.text import excerpt
from pi87_field.tui import heap
from pi87_field.tui.base import FieldApp
from pi87_field.tui.editor_state import AUTOSAVE_DELAY_SECONDS, TEXT_KEEPS_STATE_REASON, EditorState, StoreChange
from pi87_field.tui.pending import PendingAnswer
from pi87_field.tui.progress import STATE_MARKS, STATE_STYLES, clip, display_mark
from pi87_field.tui.widgets.answer_editor import AnswerEditor, NotesEditor
from pi87_field.tui.widgets.elapsed_clock import ElapsedClock
from pi87_field.tui.widgets.navigator import QuestionNavigator, Slot
from pi87_field.tui.widgets.transcript_pane import TranscriptPane
from pi87_field.core.transcript import clock

NARROW_WIDTH = 70
WIDE_SCREEN = 110    # from here the question tree is wide enough for whole question titles


# The store's lock (AnswerLock), said at 80 columns with the keys that lift it.
_LOCK_HINTS = {
    AnswerLock.CONSENT_WITHDRAWN: "Consentement retiré : hors exports (ctrl+t)",
    AnswerLock.COMPLETE: "Terminé : ctrl+l puis r pour rouvrir",
    AnswerLock.CANCELLED: "Annulé : ctrl+l puis r pour rouvrir",
}


class InterviewScreen(Screen):
    app = getters.app(FieldApp)
    save_status = getters.query_one("#save-status", Static)
    state_line = getters.query_one("#answer-state", Static)
    navigator = getters.query_one(QuestionNavigator)
    transcript_pane = getters.query_one(TranscriptPane)

    # Shown in this order in the footer (the first six fit at 80 columns; F1 lists them all).
    # Priority: the answer editor (a TextArea) would otherwise take ctrl+e (line end) and ctrl+d
    # (delete right; the Delete key still does it), and the order of the footer follows priority.
    BINDINGS = [
        Binding("ctrl+n,alt+down", "next_question", "Suivante", id="interview.next", priority=True,
                tooltip="Enregistrer et passer à la question suivante."),
        # alt+up first: the footer shows it (ctrl+b is tmux's prefix and never reaches us there).
        Binding("alt+up,ctrl+b", "prev_question", "Préc.", id="interview.prev", priority=True,
                tooltip="Enregistrer et revenir à la question précédente."),
        Binding("ctrl+l", "whats_left", "Reste/Fin", id="interview.whats_left", priority=True,
                tooltip="Ce qui reste (questions sans réponse, par section) ; t pour terminer l'entretien."),
        Binding("ctrl+t", "edit_sheet", "Fiche", id="interview.sheet", priority=True,
                tooltip="Fiche de l'entretien : interlocuteurs, date, mode, consentement, reporter, annuler, supprimer."),
        Binding("ctrl+o", "toggle_notes", "Notes", id="interview.notes", priority=True,
                tooltip="Notes de l'entretien (contexte, documents à récupérer, suites) : afficher et écrire."),
        Binding("ctrl+e", "choose_state", "État", id="interview.state", priority=True,
                tooltip="Choisir l'état de la réponse (1 répondu, 2 à compléter, 3 non abordé, 4 refus, 5 sans objet)."),
        Binding("ctrl+d", "insert_time", "Heure", id="interview.time", priority=True,
                tooltip="Insérer l'heure « [14:32] » dans la réponse ou les notes."),
        Binding("ctrl+j", "next_unanswered", "Prochaine vide", id="interview.next_unanswered", priority=True,
                tooltip="Aller à la prochaine question sans réponse."),
        Binding("ctrl+g", "jump_section", "Section", id="interview.section", priority=True,
                tooltip="Aller directement à une section de la grille."),
        # Shown in the footer when the answer is in conflict; the hidden twin opens the same
        # screen on any answer (its history: earlier texts, backups, restore).
        Binding("ctrl+r", "show_versions", "Versions", id="interview.versions", priority=True,
                tooltip="Régler le conflit : choisir une version, ou la modifier puis marquer réglé."),
        Binding("ctrl+r", "show_history", show=False, id="interview.history", priority=True,
                tooltip="Historique de la réponse : versions antérieures et sauvegardes, restaurer."),
        Binding("f2", "set_state('answered')", "Répondu", id="interview.answered", show=False,
                tooltip="État de la réponse : répondu."),
        Binding("f3", "set_state('not_asked')", "Non abordé", id="interview.not_asked", show=False,
                tooltip="État : question non abordée (appuyer de nouveau pour revenir à répondu)."),
        Binding("f4", "set_state('declined')", "Refus", id="interview.declined", show=False,
                tooltip="État : refus de répondre (appuyer de nouveau pour revenir à répondu)."),
        Binding("f5", "set_state('not_applicable')", "Sans objet", id="interview.not_applicable", show=False,
                tooltip="État : sans objet (appuyer de nouveau pour revenir à répondu)."),
        # priority: the answer editor (a TextArea) binds f6 itself (select the line) and would take it first
        Binding("f6", "set_state('to_complete')", "À compléter", id="interview.to_complete", show=False, priority=True,
                tooltip="État : à compléter, réponse partielle à finir après l'entretien (notes, enregistrement)."),
        Binding("f8", "toggle_transcript", "Transcription", id="interview.transcript", show=False, priority=True,
                tooltip="Transcription de l'enregistrement : passages de la question, à insérer dans la réponse."),
        Binding("ctrl+home", "text_edge('start')", show=False, id="interview.text_start"),
        Binding("ctrl+end", "text_edge('end')", show=False, id="interview.text_end"),
        Binding("ctrl+s", "save", "Enregistrer", id="interview.save", show=False,
                tooltip="Enregistrer maintenant (l'enregistrement est aussi automatique)."),
        Binding("escape", "back", "Retour", id="interview.back",
                tooltip="Enregistrer et revenir au projet."),
    ]

    # The footer at 80 columns (widgets/field_footer.py): the keys of a question, then the way
    # out; f1 (always shown) and the palette list them all.
    FOOTER_ORDER = ("interview.next", "interview.prev", "interview.versions", "interview.state", "interview.notes",
                    "interview.whats_left", "interview.sheet", "interview.back", "interview.next_unanswered",
                    "interview.section", "interview.time", "interview.save", "app.quit")

    def __init__(self, project_id: str, interview_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.project_id = project_id
        self.interview_id = interview_id
        self.start_question = question_id
        self.project: Project | None = None
        self.interview: Interview | None = None
        self.guide: Guide | None = None
        self.slots: list[Slot] = []
        self.answers: dict[str, Answer] = {}
        self.index = 0
        # The current answer as typed, the revision it descends from, what is not written yet.
        self.editing = EditorState()
        self.editor: AnswerEditor | None = None
        self._unmounting = False
        self._heap_held = False
        self.notes: TextArea | None = None
        self._notes_saved = ""
        self._entered_at: datetime | None = None  # when the current question was entered
        # A sitting only once something is edited (DESIGN §9): reading adds nothing to the record.
        self._sitting = timing.PendingSitting(None)

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="interview-bar"):
            yield Static("", id="interview-title")
            yield Static("✓ à jour", id="save-status")
            yield ElapsedClock(self.app.now, id="elapsed")
        with Horizontal(id="interview-body"):
            yield QuestionNavigator(id="navigator")
            with Vertical(id="question-pane"):
                with VerticalScroll(id="question-scroll"):
                    yield Static("", id="question-text")
                yield Static("", id="answer-state")
                yield AnswerEditor(id="answer-editor")
                yield TranscriptPane(self.project_id, self.interview_id, id="transcript-pane")
                yield Static("", id="concurrent-versions")
                yield Static("", id="review-notes")
                yield NotesEditor("", id="notes-editor", classes="-hidden", soft_wrap=True,
                                  show_line_numbers=False, tab_behavior="focus")
        yield FieldFooter()

    def on_mount(self) -> None:
        store = self.app.store
        try:
            self.project = store.get_project(self.project_id)
            self.interview = store.get_interview(self.project_id, self.interview_id)
        except FieldError as exc:
            self.notify(str(exc), severity="error")
            self.app.leave_screen(self)
            return
        self.guide = store.guide_for(self.interview.guide_id)
        if self.guide is None:
            self.notify(f"Grille « {self.interview.guide_id} » introuvable : les questions enregistrées "
                        "avec l'entretien sont affichées.", severity="warning")
        # A sitting starts here if the interview is edited (core/timing.py): not before.
        self._sitting = timing.PendingSitting(None if self.locked_reason else self.app.now())
        # Once the grid and the answer are built: full GC passes stay off the keystrokes (tui/heap.py).
        self.call_after_refresh(self._hold_heap)
        self.query_one(ElapsedClock).set_offset(timing.duration_seconds(self.interview), running=False)
        self.answers = dict(self.interview.answers)
        self.slots = self.grid().questions     # the order walked; the answers live in self.answers
        self.notes = self.query_one("#notes-editor", TextArea)
        self.notes.border_title = "Notes · ctrl+o : réponse · Échap : masquer"
        self._notes_saved = self.interview.notes
        self.notes.load_text(self.interview.notes)
        if self.interview.notes:
            self.notes.remove_class("-hidden")
        self.editor = self.query_one(AnswerEditor)
        self.transcript_pane.load(self.interview)
        self._show_title()
        nav = self.query_one(QuestionNavigator)
        nav.build(self.slots, {qid: display_mark(a) for qid, a in self.answers.items()})
        if not self.slots:
            self.editor.disabled = True
            self.query_one("#question-text", Static).update("Cette grille ne contient aucune question.")
            return
        if self.start_question == INTERVIEW_NOTES:   # a search hit in the notes
            self.call_after_refresh(self._open_notes)
        start = next((i for i, s in enumerate(self.slots) if s.qid == self.start_question), None)
        if start is None:  # resume at the first question without an answer
            start = next((i for i, q in enumerate(self.grid()) if not q.answered), 0)
        self.show_question(start)
        self.editor.focus()

    # -- showing a question ----------------------------------------------------------------------

    @property
    def current(self) -> Slot | None:
        return self.slots[self.index] if self.slots else None

    def show_question(self, index: int) -> None:
        """Save the current answer, then put question `index` in front of the interviewer. If
        the save fails (a full disk), ask first: the text is never left behind silently."""
        if not self.slots or self.editor is None:
            return
        if not self.save_now():
            self.ask_unsaved("question", lambda: self._show_question(index))
            return
        self._show_question(index)

    def _show_question(self, index: int) -> None:
        if not self.slots or self.editor is None:
            return
        self._record_visit()
        self.index = max(0, min(index, len(self.slots) - 1))
        slot = self.slots[self.index]
        self._entered_at = self.app.now()
        saved_text = self.editing.load(self.answers.get(slot.qid))
        pending = self.app.pending.get(self.project_id, self.interview_id, slot.qid)
        if pending is not None:  # typed earlier, not written yet: the editor shows it, still unsaved
            self.editing.load_pending(AnswerState(pending.state), pending.base_rev)
            self.editor.load_text(pending.text)
            self._set_status("⚠ NON enregistré (en attente)")
        else:
            self.editor.load_text(saved_text)
            self._set_status(self._resting_status())
        self.editor.move_cursor(self.editor.document.end)
        self.query_one("#question-text", Static).update(self._question_markup(slot))
        self.query_one("#question-scroll").scroll_home(animate=False)
        self._show_state()
        self._show_versions()
        self._show_review_notes()
        self.transcript_pane.show_question(slot.qid)
        self.query_one(QuestionNavigator).select_question(slot.qid)
        self._apply_lock()
        self.refresh_bindings()

    def _question_markup(self, slot: Slot) -> Text:
        """The question as Text (question texts of imported interviews are untrusted: no markup)."""
        in_guide = [s for s in self.slots if not s.orphan]
        lines: list[Text] = []
        if slot.section_index:
            count = len(self.guide.sections) if self.guide else 0
            position = in_guide.index(slot) + 1
            lines.append(Text(f"Section {slot.section_index}/{count} · {slot.section_title} · "
                              f"question {position}/{len(in_guide)}", style="dim"))
        else:
            lines.append(Text(f"{ORPHAN_SECTION} : question absente de la grille actuelle", style="dim"))
        question = self.guide.question(slot.qid) if self.guide else None
        if question is None:
            full = (self.interview.question_texts.get(slot.qid, slot.qid) if self.interview else slot.qid)
            lines.append(Text(full, style="bold"))
            return Text("\n").join(lines)
        lines.append(Text(f"{slot.number}. {question.text}", style="bold"))
        if question.condition:
            lines.append(Text(f"Condition : {question.condition}", style="italic"))
        for sp in question.subpoints:
            lines.append(Text(f"  {sp.id}. {sp.text}"))
        for relance in question.relances:
            lines.append(Text(f"  Relance : {relance}", style="italic"))
        return Text("\n").join(lines)

    def _show_state(self) -> None:
        mark = self.editing.mark(self.editor.text if self.editor is not None else None)
        from pi87_field.core.model import ANSWER_STATE_LABELS

        reason = self.locked_reason
        if reason:  # one line at 80 columns: the lock says why and how to lift it
            self.state_line.update(Text(f"🔒 {reason}", style="bold"))
            return
        line = Text("État : ")
        line.append(f"{STATE_MARKS[mark]} {ANSWER_STATE_LABELS[mark]}", style=STATE_STYLES[mark])
        # the F-keys are in f1; this line stays whole beside the tree at 80 columns
        line.append("  ctrl+e : changer", style="dim")
        self.state_line.update(line)

    def _show_versions(self) -> None:
        panel = self.query_one("#concurrent-versions", Static)
        answer = self.answers.get(self.current.qid) if self.current else None
        versions = answer.concurrent if answer else []
        panel.display = bool(versions)
        if versions:
            first = versions[0]
            who = first.author or first.source or "autre enquêteur"
            more = f" (+{len(versions) - 1})" if len(versions) > 1 else ""
            panel.update(Text.assemble(
                ("⚠ Conflit : 1 version concurrente" if len(versions) == 1
                 else f"⚠ Conflit : {len(versions)} versions concurrentes", "bold"),
                " — ctrl+r pour choisir\n",
                f"{who}{more} : {excerpt(first.text, 140)}"))

    def _show_review_notes(self) -> None:
        """Reviewers' notes on this answer (Word comments brought back by an import), newest last."""
        panel = self.query_one("#review-notes", Static)
        notes = self.interview.review_notes.get(self.current.qid, []) if self.interview and self.current else []
        panel.display = bool(notes)
        if notes:
            lines = [Text(f"✎ {plural(len(notes), 'note de relecture', 'notes de relecture')}", style="bold")]
            for note in notes[-2:]:
                who = ", ".join(x for x in (note.author, fr_datetime(note.date) if note.date else "") if x)
                lines.append(Text(f"{who or 'relecteur'} : {excerpt(note.text, 140)}"))
            panel.update(Text("\n").join(lines))

    # -- editing and saving -----------------------------------------------------------------------

    @on(TextArea.Changed, "#answer-editor")
    def _answer_changed(self) -> None:
        if self.editor is None or not self.slots:
            return
        change = self.editing.typed(self.editor.text)
        if change.clean_again:
            self._set_status(self.editing.saved_status())
        if not change.autosave:
            return
        if change.ended_state is not None:
            self.notify(f"Texte saisi : l'état « {change.ended_state.label} » devient « répondu ».",
                        title="État de la réponse")
            self._show_state()
        elif change.kept_state is not None:
            self.notify(f"Texte saisi : l'état « {change.kept_state.label} » est conservé "
                        f"({TEXT_KEEPS_STATE_REASON[change.kept_state]}). F2 ou ctrl+e : répondu.",
                        title="État de la réponse")
        if change.started:
            self._set_status("… saisie en cours")
            self._show_state()
        self.autosave()

    @work(exclusive=True, group="autosave")
    async def autosave(self) -> None:
        """Debounced save: wait for a pause in typing, but never longer than MAX_UNSAVED_SECONDS."""
        await asyncio.sleep(self.editing.autosave_delay())
        self.save_now()

    def save_now(self) -> bool:
        """Write the current answer if it changed. Returns False if the write failed."""
        if self.editor is None or not self.slots:
            return True
        text = self.editor.text
        if not self.editing.needs_save(text):
            return True
        state = self.editing.state_to_save(text)
        slot = self.slots[self.index]
        try:
            saved = self.app.store.save_answer_checked(
                self.project_id, self.interview_id, slot.qid, text, state=state.value,
                author=self.author, base_rev=self.editing.base_rev)
        except (FieldError, OSError) as exc:
            error = str(exc) if isinstance(exc, FieldError) else f"Enregistrement impossible ({os_reason(exc)})"
            first_failure = self.app.pending.get(self.project_id, self.interview_id, slot.qid) is None
            self.app.pending.put(PendingAnswer(
                self.project_id, self.interview_id, slot.qid, text, state.value, self.editing.base_rev,
                self.author, self._where(slot), error))
            self._set_status("⚠ NON enregistré")
            if first_failure:
                self.notify(f"{error}\nLe texte reste affiché et en attente : nouvel essai toutes les 5 s.",
                            title="Réponse NON enregistrée", severity="error", timeout=10)
            return False
        self.app.pending.drop(self.project_id, self.interview_id, slot.qid)
        self._edited()
        answer = saved.answer
        self.answers[slot.qid] = answer
        self.editing.saved(text, answer, fr_time(self.app.now()))
        if saved.conflict is not None:
            # Another screen or an import changed this answer while it was being typed: both
            # texts are kept, the other one as a concurrent version to resolve.
            self.notify("Cette réponse avait changé entre-temps (import ou autre écran) : les deux "
                        "versions sont gardées. ctrl+r pour les comparer et choisir.",
                        title="Conflit", severity="warning", timeout=12)
            if not self._unmounting:
                self._show_versions()
                self.refresh_bindings()
        if self._unmounting:  # the widgets are going: the store has the answer, that is what counts
            return True
        self._set_status(self._resting_status())
        self.navigator.set_mark(slot.qid, display_mark(answer))
        self._show_state()
        return True

    @property
    def author(self) -> str:
        """Who is typing: the name set on this laptop, else (none set yet) the interview's own
        interviewer — never the login name."""
        return self.app.interviewer or (self.interview.interviewer if self.interview else "")

    def _resting_status(self) -> str:
        """The status line when nothing is being typed: saved, or other answers still pending."""
        return self.editing.resting_status(len(self.app.pending.for_interview(self.project_id, self.interview_id)))

    def _set_status(self, text: str) -> None:
        if self.editor is not None and not self._unmounting:
            self.save_status.update(text)

    def _hold_heap(self) -> None:
        if not self._unmounting and not self._heap_held:
            self._heap_held = True
            heap.hold()

    def on_unmount(self) -> None:
        self._unmounting = True
        self.save_now()
        self.save_notes_now()
        self._close_sitting()
        if self._heap_held:
            self._heap_held = False
            heap.release()

    # -- time: sittings and question visits ------------------------------------------------------

    def _record_visit(self) -> None:
        """The question being left: when it was entered and left (kept with the interview)."""
        if self._entered_at is None or not self.slots or self.interview is None:
            return
        entered, self._entered_at = self._entered_at, None
        visits = self._sitting.visit(self.slots[self.index].qid, entered, self.app.now())
        if not visits:
            return
        try:
            self.interview = self.app.store.life_cycle.record_visits(self.project_id, self.interview_id, visits)
        except (FieldError, OSError):
            pass  # the answer itself is what matters; a lost visit is not worth an alarm

    def _edited(self) -> None:
        """Something was saved: the first time, this opening becomes a sitting (with the
        question visits held back until now) and the clock runs."""
        begun = self._sitting.edited(self.app.now())
        if begun is None:
            return
        start, visits = begun
        try:
            self.app.store.life_cycle.open_sitting(self.project_id, self.interview_id, start)
            if visits:
                self.app.store.life_cycle.record_visits(self.project_id, self.interview_id, visits)
            self.interview = self.app.store.get_interview(self.project_id, self.interview_id)
        except (FieldError, OSError) as exc:
            if not self._unmounting:
                self.notify(f"Heure de début non enregistrée : {exc}", severity="warning")
            return
        if not self._unmounting:
            self.query_one(ElapsedClock).set_offset(timing.duration_seconds(self.interview, now=start), start)

    def end_sitting(self) -> None:
        """The app is closing (ctrl+q, SIGTERM, SIGHUP): the sitting ends now."""
        self._close_sitting()

    def _close_sitting(self) -> None:
        if self.interview is None or getattr(self, "_sitting_closed", False):
            return
        self._sitting_closed = True
        if not self._sitting.started:  # nothing edited: no sitting, no time per question
            self._entered_at = None
            return
        visits = []
        if self._entered_at is not None and self.slots and self.app.now() > self._entered_at:
            visits.append((self.slots[self.index].qid, self._entered_at, self.app.now()))
        self._entered_at = None
        try:
            self.app.store.life_cycle.close_sitting(self.project_id, self.interview_id, self.app.now(), visits)
        except (FieldError, OSError):
            pass

    # -- notes -----------------------------------------------------------------------------------

    @on(TextArea.Changed, "#notes-editor")
    def _notes_changed(self) -> None:
        if self.notes is not None and self.notes.text != self._notes_saved:
            self._set_status("… notes en cours")
            self.autosave_notes()

    @work(exclusive=True, group="autosave-notes")
    async def autosave_notes(self) -> None:
        await asyncio.sleep(AUTOSAVE_DELAY_SECONDS)
        self.save_notes_now()

    def save_notes_now(self) -> bool:
        if self.notes is None or self.notes.text == self._notes_saved:
            return True
        text = self.notes.text
        try:
            self.interview = self.app.store.life_cycle.save_notes(self.project_id, self.interview_id, text)
        except (FieldError, OSError) as exc:
            self._set_status("⚠ notes NON enregistrées")
            self.notify(f"{exc}", title="Notes non enregistrées", severity="error", timeout=10)
            return False
        self._notes_saved = text
        self._edited()
        self._set_status(f"✓ notes enregistrées à {self.app.now():%H:%M:%S}")
        return True

    def action_toggle_notes(self) -> None:
        """Show the notes and write in them; from the notes, back to the answer."""
        if self.notes is None:
            return
        if self.notes.has_focus:
            self.save_notes_now()
            if self.editor is not None:
                self.editor.focus()
            return
        self._open_notes()

    def _open_notes(self) -> None:
        if self.notes is not None:
            self.notes.remove_class("-hidden")
            self.notes.focus()

    def hide_notes(self) -> None:
        """Échap in the notes: saved, folded away, back to the answer (the editor gets the room)."""
        if self.notes is None:
            return
        self.save_notes_now()
        self.notes.add_class("-hidden")
        if self.editor is not None:
            self.editor.focus()

    def action_text_edge(self, edge: str) -> None:
        """ctrl+home / ctrl+end: start or end of the answer (or of the notes)."""
        target = self.focused if isinstance(self.focused, TextArea) else self.editor
        if target is not None:
            target.move_cursor((0, 0) if edge == "start" else target.document.end)

    # -- transcript of the recording (the pane: tui/widgets/transcript_pane.py) -------------------

    def action_toggle_transcript(self) -> None:
        """F8: open the pane (and go into it); from the answer with the pane open, go into it;
        from the pane, close it."""
        pane = self.transcript_pane
        if pane.display and not pane.has_focus_within:
            pane.focus_list()
            return
        pane.display = not pane.display
        self.set_class(pane.display, "-with-transcript")
        if pane.display:
            pane.show_question(self.current.qid if self.current else None)
            pane.focus_list()
        elif self.editor is not None:
            self.editor.focus()

    def import_transcript(self) -> None:
        """The palette's "Importer une transcription"."""
        from pi87_field.tui.screens.transcript_dialogs import ask_import

        if not self.transcript_pane.display:
            self.action_toggle_transcript()
        ask_import(self, self.app, self.project_id, self.interview_id, self._transcript_changed)

    @on(TranscriptPane.ShiftAsked)
    def _shift_transcript(self) -> None:
        from pi87_field.tui.screens.transcript_dialogs import ask_shift

        ask_shift(self, self.app, self.project_id, self.interview_id, self._transcript_changed)

    @on(TranscriptPane.PinAsked)
    def _pin_passage(self, event: TranscriptPane.PinAsked) -> None:
        """The lead pins a passage of the transcript as evidence (source "transcription, 00:13:05")."""
        from pi87_field.tui.screens.evaluative_question import PinDialog

        ws = self.app.workspace
        if ws is None:
            return
        quote = " ".join(s.text.strip() for s in event.segments)
        at = event.segments[0].start

        def done(result: tuple[list[str], list[str]] | None) -> None:
            if result is None:
                return
            tags, supports = result
            if not supports:
                self.notify("Cochez au moins une question évaluative.", title="Non épinglé", severity="warning")
                return
            try:
                ws.synthesis.pin_evidence(self.project_id, self.interview_id, event.question_id, quote,
                                          supports=supports, tags=tags, author=self.app.interviewer,
                                          transcript_at=at)
            except FieldError as exc:
                self.notify(str(exc), title="Non épinglé", severity="error")
                return
            self.notify(f"« {excerpt(quote, 60)} » (transcription, {clock(at)})", title="Passage épinglé")

        self.app.push_screen(PinDialog(ws, quote, [], [], f"Épingler — transcription, {clock(at)}"), done)

    def _transcript_changed(self, interview: Interview) -> None:
        self.interview = interview
        self.transcript_pane.load(interview)

    @on(TranscriptPane.InsertPassage)
    def _insert_passage(self, event: TranscriptPane.InsertPassage) -> None:
        """A passage of the transcript goes into the answer where the cursor is, on its own line."""
        if self.editor is None:
            return
        if event.text:
            if self.editor.read_only:
                self.notify(self.locked_reason or "Réponse verrouillée.", title="Réponses verrouillées")
                return
            row, column = self.editor.cursor_location
            line = self.editor.document.get_line(row)
            before = "\n" if line[:column].strip() else ""
            self.editor.insert(f"{before}{event.text}\n")
        self.editor.focus()

    def action_insert_time(self) -> None:
        target = self.focused if isinstance(self.focused, TextArea) else self.editor
        if target is None or target.read_only:
            return
        stamp = f"[{self.app.now():%H:%M}] "
        row, column = target.cursor_location
        line = target.document.get_line(row)
        if column > 0 and not line[column - 1].isspace():
            stamp = " " + stamp
        target.insert(stamp)

    # -- the interview's sheet and life cycle ----------------------------------------------------

    def _show_title(self) -> None:
        if self.interview is None or self.project is None:
            return
        title = interview_title(self.project, self.interview, header=True)
        status = self.interview.status
        if status in (InterviewStatus.COMPLETE, InterviewStatus.CANCELLED):
            title = f"[{status.label}] {title}"
        self.query_one("#interview-title", Static).update(Text(clip(title, 200)))

    @property
    def locked_reason(self) -> str:
        """Why the answers cannot be typed into now ("" when they can)."""
        lock = self.interview.answer_lock if self.interview is not None else None
        return _LOCK_HINTS[lock] if lock is not None else ""

    def _apply_lock(self) -> None:
        if self.editor is None:
            return
        reason = self.locked_reason
        self.editor.read_only = bool(reason)
        self._show_state()

    def reload_interview(self) -> None:
        """After the sheet or the life cycle changed in the store: title, lock, clock."""
        try:
            self.interview = self.app.store.get_interview(self.project_id, self.interview_id)
        except (FieldError, OSError):
            return
        self._show_title()
        self._apply_lock()
        self.refresh_bindings()

    def action_edit_sheet(self) -> None:
        self.save_now()
        self.save_notes_now()

        def closed(result: str | None) -> None:
            if result == "trashed":
                self.app.leave_screen(self)
                return
            self.reload_interview()

        self.app.edit_interview_sheet(self.project_id, self.interview_id, closed)

    def grid(self) -> Grid:
        """The interview against its guide (`core.grid`), with the answers as this screen holds them."""
        assert self.interview is not None
        return Grid.of(self.interview, self.guide, answers=self.answers)

    def missing_slots(self) -> list[Slot]:
        """What's left: questions without an answer or state, and those "à compléter"; and those
        the recording's transcript has passages for but whose answer has no text (set aside as
        "non abordé" or "sans objet" while the recording says something was said)."""
        missing = self.grid().missing
        pane = self.transcript_pane
        if not pane.groups:
            return missing
        listed = {s.qid for s in missing}
        said = [s for s in self.slots if s.section_index and s.qid not in listed and pane.count(s.qid)
                and not (self.answers[s.qid].text.strip() if s.qid in self.answers else "")]
        return [s for s in self.slots if s.qid in listed or s in said]

    def action_next_unanswered(self) -> None:
        if not self.slots:
            return
        self.save_now()
        missing = {q.qid for q in self.grid().missing}
        order = list(range(self.index + 1, len(self.slots))) + list(range(0, self.index))
        for i in order:
            if self.slots[i].qid in missing:
                self.show_question(i)
                return
        self.notify("Toutes les questions ont une réponse ou un état.", title="Ce qui reste")

    def action_whats_left(self) -> None:
        from pi87_field.tui.screens.whats_left import WhatsLeftScreen

        self.save_now()
        self.save_notes_now()
        total = len(self.grid().in_guide)
        finished = bool(self.interview and self.interview.status == InterviewStatus.COMPLETE)

        def chosen(result: str | None) -> None:
            if result == "finish":
                self.finish()
            elif result == "reopen":
                self.reopen()
            elif result:
                index = next((i for i, s in enumerate(self.slots) if s.qid == result), None)
                if index is not None:
                    self.show_question(index)
                    if self.editor is not None:
                        self.editor.focus()

        width = max(24, min(64, self.app.size.width - 16))  # inside the dialog's border and list
        missing = self.missing_slots()
        marks = {q.qid: q.mark for q in missing}
        self.app.push_screen(WhatsLeftScreen(missing, total, finished, width, marks), chosen)

    def finish(self) -> None:
        if not self.save_now() or not self.save_notes_now():
            return
        missing = len(self.missing_slots())
        self._record_visit()
        try:
            self.app.store.life_cycle.finish(self.project_id, self.interview_id, self.app.now())
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Statut non enregistré", severity="error")
            return
        self._sitting_closed = True
        self.notify("Entretien terminé." + (f" Reste : {plural(missing, 'question')} sans réponse ou à compléter."
                                           if missing else ""))
        self.app.leave_screen(self)

    def reopen(self) -> None:
        try:
            self.app.store.life_cycle.reopen(self.project_id, self.interview_id, self.app.now())
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Entretien non rouvert", severity="error")
            return
        self._sitting.editable_from(self.app.now())
        self.notify("Entretien rouvert : les réponses se modifient de nouveau.")
        self.reload_interview()
        if self.editor is not None:
            self.editor.focus()

    def action_choose_state(self) -> None:
        from pi87_field.tui.screens.state_picker import StatePicker

        if not self.slots or (self.editor is not None and self.editor.read_only):
            return

        def chosen(state: str | None) -> None:
            if state:
                self.action_set_state(state, toggle=False)
            if self.editor is not None:
                self.editor.focus()

        self.app.push_screen(StatePicker(self.editing.state.value), chosen)

    # -- what changed in the store under the screen (an import, a restore) --------------------

    def on_screen_resume(self) -> None:
        if self.interview is not None:
            self.refresh_from_store()

    def refresh_from_store(self) -> None:
        """Re-read the interview: marks and answers follow the store. If the answer in the
        editor changed in the store and nothing was typed since it was loaded, the editor
        shows the stored text; if something was typed, it is saved now and, the store having
        moved on, both texts are kept as a conflict."""
        if self.editor is None or not self.slots:
            return
        try:
            interview = self.app.store.get_interview(self.project_id, self.interview_id)
        except InterviewGoneError:   # moved to the trash from its sheet: the screen is leaving
            return
        except FieldError as exc:
            self.notify(str(exc), title="Entretien illisible", severity="error")
            return
        self.interview = interview
        self.transcript_pane.load(interview)
        self.answers = dict(interview.answers)
        for qid, answer in self.answers.items():
            self.navigator.set_mark(qid, display_mark(answer))
        change = self.editing.follow(self.answers.get(self.slots[self.index].qid))
        if change is StoreChange.SAME:
            self._show_versions()
            return
        if change is StoreChange.SAVE:
            self.save_now()
            return
        self.editor.load_text(self.editing.saved_text)
        self.editor.move_cursor(self.editor.document.end)
        self._show_state()
        self._show_versions()
        self.refresh_bindings()
        self.notify("La réponse affichée a été mise à jour depuis les données (import).",
                    title="Réponse mise à jour", timeout=6)

    def go_to_question(self, question_id: str | None) -> None:
        """Show `question_id` (when this screen is brought back from a search hit, say)."""
        if question_id == INTERVIEW_NOTES:
            self._open_notes()
            return
        index = next((i for i, s in enumerate(self.slots) if s.qid == question_id), None)
        if index is not None and index != self.index:
            self.show_question(index)
        if self.editor is not None:
            self.editor.focus()

    # -- navigation -------------------------------------------------------------------------------

    @on(Tree.NodeSelected, "#navigator")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data or ""
        if data.startswith("section:"):
            return
        index = next((i for i, s in enumerate(self.slots) if s.qid == data), None)
        if index is not None and self.editor is not None:
            self.show_question(index)
            self.editor.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prev_question":
            return True if self.slots and self.index > 0 else None
        if action == "next_question":
            return True if self.slots and self.index < len(self.slots) - 1 else False
        if action in ("choose_state", "set_state"):   # nothing to change on a locked interview
            return False if not self.slots or self.locked_reason else True
        if action == "insert_time":                   # the notes stay writable when answers are locked
            return True if not self.locked_reason or (self.notes is not None and self.notes.has_focus) else False
        if action in ("next_unanswered", "whats_left"):
            return True if self.slots else None
        if action == "show_versions":
            answer = self.answers.get(self.current.qid) if self.current else None
            return bool(answer and answer.concurrent)
        if action == "show_history":
            return True if self.slots else None
        if action == "jump_section":
            return True if self.slots else None
        return True

    def action_next_question(self) -> None:
        if self.index < len(self.slots) - 1:
            self.show_question(self.index + 1)

    def action_prev_question(self) -> None:
        if self.index > 0:
            self.show_question(self.index - 1)

    def action_jump_section(self) -> None:
        from pi87_field.tui.screens.section_picker import SectionPicker

        self.save_now()  # the counts below must include what was just typed
        sections = [(s.index, s.title, s.answered, len(s.questions)) for s in self.grid().sections]
        current = self.current.section_index if self.current else None

        def chosen(section_index: int | None) -> None:
            if section_index is None:
                return
            first = next((i for i, s in enumerate(self.slots) if s.section_index == section_index), None)
            if first is not None:
                self.show_question(first)
            if self.editor is not None:
                self.editor.focus()

        self.app.push_screen(SectionPicker(sections, current), chosen)

    def action_set_state(self, state: str, toggle: bool = True) -> None:
        if self.editor is not None and self.editor.read_only:
            self.notify(self.locked_reason, title="Réponses verrouillées")
            return
        self.editing.choose_state(AnswerState(state), toggle=toggle)  # the same key again undoes it
        self.save_now()
        self._show_state()

    def action_save(self) -> None:
        self.editing.save_requested()
        if self.save_now() and self.editing.last_saved_at:
            self._set_status(self.editing.saved_status())

    def action_show_history(self) -> None:
        self.action_show_versions()

    def action_show_versions(self) -> None:
        """The versions of this answer: settle a conflict, read or restore an earlier text."""
        from pi87_field.tui.screens.versions import VersionsScreen

        slot = self.current
        if slot is None:
            return
        if not self.save_now():  # what is typed must be a version before choosing between them
            self.notify("Enregistrez d'abord la réponse en cours (elle est en attente).",
                        title="Versions", severity="warning")
            return
        store = self.app.store
        try:
            history = store.history.earlier_texts(self.project_id, self.interview_id, slot.qid)
        except FieldError as exc:
            self.notify(str(exc), title="Historique illisible", severity="error")
            history = []

        def kept(answer: Answer | None) -> None:
            if answer is not None:
                self.answer_replaced(slot.qid, answer)
            if self.editor is not None:
                self.editor.focus()

        self.app.push_screen(VersionsScreen(self._where(slot), self.project_id, self.interview_id, slot.qid,
                                            self.answers.get(slot.qid), history), kept)

    def answer_replaced(self, question_id: str, answer: Answer) -> None:
        """A conflict was settled or a version restored: show it (nothing was typed since)."""
        self.answers[question_id] = answer
        self.navigator.set_mark(question_id, display_mark(answer))
        if not self.editing.dirty:
            self._set_status(self._resting_status())
        if self.current is not None and self.current.qid == question_id and self.editor is not None:
            self.editor.load_text(self.editing.load(answer))
            self.editor.move_cursor(self.editor.document.end)
            self._show_state()
            self._show_versions()
            self.refresh_bindings()

    def on_resize(self) -> None:
        # Below NARROW_WIDTH the navigator would leave the question and the answer a third of
        # the screen; ctrl+g and the "question n/N" line still say where one is.
        wide = self.size.width >= NARROW_WIDTH
        navigator = self.query_one(QuestionNavigator)
        navigator.set_cells(QuestionNavigator.WIDE if self.size.width >= WIDE_SCREEN else QuestionNavigator.NARROW)
        # At 24 rows the notes take 5 (the answer keeps room to write; Échap folds them away);
        # on a tall screen, more of both.
        if self.notes is not None:
            self.notes.styles.height = 5 if self.size.height < 30 else 10
        if navigator.display != wide:
            navigator.display = wide
            if not wide and navigator.has_focus and self.editor is not None:
                self.editor.focus()

    def action_back(self) -> None:
        if self.notes is not None and self.notes.has_focus:
            self.hide_notes()
            return
        self.save_notes_now()
        if not self.save_now() or self.app.pending.for_interview(self.project_id, self.interview_id):
            self.ask_unsaved("screen", lambda: self.app.leave_screen(self))
            return
        self.app.leave_screen(self)

    # -- answers that could not be written -----------------------------------------------------

    def _where(self, slot: Slot) -> str:
        """Where an answer belongs, for a person: project label · interview · question number."""
        project = project_label(self.project) if self.project else self.project_id
        interview = interview_title(self.project, self.interview) if self.interview else ""
        return " · ".join(filter(None, (project, interview, slot.number)))

    def ask_unsaved(self, scope: str, then) -> None:
        """Something typed here is not written: ask what to do before `then` moves on."""
        from pi87_field.tui.screens.unsaved import UnsavedDialog

        items = self.app.pending.for_interview(self.project_id, self.interview_id)
        if not items:
            then()
            return
        current = self.current.qid if self.current else None
        items.sort(key=lambda p: p.question_id != current)

        dialog = UnsavedDialog(scope, items)

        def answered(choice: str | None) -> None:
            if dialog.typed and self.editor is not None and not self.editor.read_only:
                # Typed on while the dialog was open: it belongs to this answer (kept pending
                # with it if the disk is still full).
                self.editor.move_cursor(self.editor.document.end)
                self.editor.insert(dialog.typed)
                self.save_now()
            if choice in ("saved", "leave"):
                then()
            elif self.editor is not None:
                self.editor.focus()

        self.app.push_screen(dialog, answered)

    def pending_saved(self, question_id: str, answer: Answer) -> None:
        """The app's retry wrote an answer typed earlier on this screen."""
        self.answers[question_id] = answer
        self.navigator.set_mark(question_id, display_mark(answer))
        if not self.editing.dirty:
            self._set_status(self._resting_status())
