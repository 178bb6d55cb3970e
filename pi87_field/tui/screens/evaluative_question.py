"""One evaluative question: the answers that inform it, the passages cited, and the judgement.

Top: the answers of every case (qualitative interviews too) to one mapped grid question at a time
(`s` / `p`: next / previous grid question; `n` / `N`: next / previous answer), in a read-only
text area: move with the arrows,
select with shift+arrows, `e` pins the selection (or the line under the cursor) as evidence, with
tags. Bottom left: the cited evidence ("preuve modifiée" when the passage left the answer,
"réponse introuvable"); bottom right: the rating and the explanation, saved as you type.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Header, Select, Static, TextArea

from pi87_field.tui.widgets.field_footer import FieldFooter
from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_datetime, plural
from pi87_field.core.guides import numbered
from pi87_field.core.model import ANSWER_STATE_LABELS, Answer, Interview, Project
from pi87_field.core.summary import interview_title
from pi87_field.core.synthesis import NOT_RATED, SUMMARY_REVIEW, EvidenceView, Workspace
from pi87_field.core.text import one_line
from pi87_field.tui.base import FieldApp
from pi87_field.tui.screens.chapter4 import SYNTHESIS_HELP, SettleDialog, TextEditorScreen, version_label
from pi87_field.tui.progress import clip
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable, cell
from pi87_field.tui.widgets.tag_input import TagInput
from pi87_field.tui.widgets.toggles import ReadableCheckbox

AUTOSAVE_SECONDS = 1.5
CASE_WIDTH = 10


@dataclass(frozen=True)
class Segment:
    """Where one answer sits in the reader's document (rows [start, end))."""

    start: int
    end: int
    project_id: str
    interview_id: str
    question_id: str
    answer: Answer


PAGE_SIZE = 20   # interviews per page of the reader: a page opens in well under 300 ms at 80×24


def reader_entries(ws: Workspace, guide_id: str, question_id: str) -> list[tuple[Project, Interview]]:
    """Every interview following the guide, case by case (the reader's order)."""
    return [(project, interview) for project in ws.projects_for_guide(guide_id)
            for interview in ws.interviews(project.id) if interview.guide_id == guide_id]


def concurrent_warning(answer: Answer) -> str:
    """One line saying an answer has concurrent versions, who wrote which, and which is shown."""
    shown = ", ".join(x for x in (answer.author or "?", fr_datetime(answer.updated_at)) if x)
    others = " ; ".join(", ".join(x for x in (v.author or "?", fr_datetime(v.updated_at)) if x)
                        for v in answer.concurrent)
    return (f"⚠ conflit : {plural(len(answer.concurrent) + 1, 'version')} de cette réponse — affichée : {shown} ; "
            f"autre(s) : {others}. Épingler cite la version affichée ; à régler dans l'entretien (ctrl+r).")


def build_reader(ws: Workspace, guide_id: str, question_id: str, question_text: str, page: int = 0,
                 page_size: int | None = None) -> tuple[str, list[Segment], int]:
    """The document of one page of the cases' answers to one grid question, where each answer
    sits, and the number of pages."""
    page_size = page_size or PAGE_SIZE
    entries = reader_entries(ws, guide_id, question_id)
    pages = max(1, -(-len(entries) // page_size))
    page = min(max(page, 0), pages - 1)
    lines: list[str] = [question_text]
    if pages > 1:
        first = page * page_size
        lines.append(f"(entretiens {first + 1} à {min(first + page_size, len(entries))} sur {len(entries)} · "
                     "n en fin de page : page suivante, N au début : page précédente)")
    lines.append("")
    segments: list[Segment] = []
    for project, interview in entries[page * page_size:(page + 1) * page_size]:
        answer = interview.answers.get(question_id)
        lines.append(f"── {ws.label(project.id)} · {interview_title(project, interview)}")
        if answer is None or answer.is_empty:
            lines += ["(sans réponse)", ""]
            continue
        if not answer.text.strip():
            lines += [f"({ANSWER_STATE_LABELS.get(answer.mark, answer.mark)})", ""]
            continue
        if answer.concurrent:
            lines.append(concurrent_warning(answer))
        body = answer.text.split("\n")
        segments.append(Segment(len(lines), len(lines) + len(body), project.id, interview.id, question_id, answer))
        lines += body
        lines.append("")
    if not entries:
        lines.append("(aucun entretien ne suit cette grille)")
    return "\n".join(lines), segments, pages


class PinDialog(ModalScreen[tuple[list[str], list[str]] | None]):
    """Tags and evaluative questions of a passage (new pin, or editing a cited one)."""

    DEFAULT_CSS = """
    PinDialog > Vertical { width: 74; height: auto; max-height: 22; border: thick $accent; padding: 0 1;
                           background: $surface; }
    PinDialog #pin-quote { height: auto; max-height: 5; color: $text-muted; }
    PinDialog Checkbox { height: 1; border: none; padding: 0; }
    /* the focused checkbox keeps its one line (a focus border left an empty frame) */
    PinDialog Checkbox:focus { border: none; background: $accent 40%; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="pin.cancel"),
        # Entrée saves wherever the focus is (on a checkbox it toggled it: Espace does that)
        Binding("ctrl+s,enter", "save", "Épingler", id="pin.save", priority=True),
    ]

    def __init__(self, ws: Workspace, quote: str, supports: list[str], tags: list[str], title: str,
                 warning: str = "") -> None:
        super().__init__()
        self.warning = warning
        self.ws = ws
        self.quote = quote
        self.supports = supports
        self.tags = tags
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading, style="bold"))
            yield Static(Text(f"« {clip(self.quote, 300)} »"), id="pin-quote")
            if self.warning:
                yield Static(Text(self.warning, style="bold yellow"), id="pin-warning")
            yield TagInput([t.name for t in self.ws.synthesis.codebook()], ", ".join(self.tags), id="pin-tags")
            for q in self.ws.framework.questions:
                yield ReadableCheckbox(f"{q.number}. {q.registre}", q.id in self.supports, id=f"pin-q-{q.id}")
            yield Static(Text("Espace : cocher · Entrée ou ctrl+s : enregistrer · Échap : annuler", style="dim"))

    def on_mount(self) -> None:
        self.query_one(TagInput).focus()

    @on(TagInput.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        supports = [q.id for q in self.ws.framework.questions if self.query_one(f"#pin-q-{q.id}", Checkbox).value]
        self.dismiss((self.query_one(TagInput).tags, supports))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidenceTable(FittedTable):
    """The passages cited for the judgement (cursor on rows)."""

    COLUMNS = [ColumnSpec("state", "", width=1), ColumnSpec("case", "Cas", width=CASE_WIDTH),
               ColumnSpec("quote", "Passage cité")]


class EvaluativeQuestionScreen(Screen):
    app = getters.app(FieldApp)

    DEFAULT_CSS = """
    EvaluativeQuestionScreen #eq-title { height: 1; padding: 0 1; background: $boost; }
    EvaluativeQuestionScreen #eq-grid { height: 1; padding: 0 1; color: $text-muted; }
    EvaluativeQuestionScreen #eq-reader { height: 1fr; min-height: 5; border: round $primary-darken-2; }
    EvaluativeQuestionScreen #eq-reader:focus { border: round $accent; }
    EvaluativeQuestionScreen #eq-bottom { height: 10; }
    EvaluativeQuestionScreen #eq-evidence { width: 3fr; height: 100%; }
    EvaluativeQuestionScreen #eq-judgement { width: 2fr; height: 100%; }
    EvaluativeQuestionScreen #eq-rating { height: 3; }
    EvaluativeQuestionScreen #eq-explanation { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Synthèse", id="eq.back", tooltip="Enregistrer le jugement et revenir."),
        Binding("e", "pin", "Épingler", id="eq.pin",
                tooltip="Épingler la sélection (ou la ligne du curseur) comme preuve, avec des étiquettes."),
        Binding("s", "grid(1)", "Question suiv.", id="eq.next",
                tooltip="Question suivante de la grille associée à cette question évaluative."),
        Binding("p", "grid(-1)", "Préc.", id="eq.previous", tooltip="Question précédente de la grille."),
        Binding("n", "next_answer(1)", "Cas suiv.", id="eq.next_answer", show=False,
                tooltip="Aller à la réponse suivante (cas ou entretien suivant)."),
        Binding("N", "next_answer(-1)", "Cas préc.", id="eq.previous_answer", show=False,
                tooltip="Aller à la réponse précédente."),
        Binding("m", "matrix", "Matrice", id="eq.matrix",
                tooltip="La matrice des questions associées × cas, synthèses de cellule."),
        Binding("ctrl+s", "save", "Enregistrer", id="eq.save", priority=True,
                tooltip="Enregistrer le niveau d'atteinte et les explications."),
        Binding("t", "edit_evidence", "Étiquettes", id="eq.tags", show=False,
                tooltip="Modifier les étiquettes et questions de la preuve sélectionnée."),
        Binding("delete", "unpin", "Retirer", id="eq.unpin", show=False,
                tooltip="Retirer la preuve sélectionnée de cette question."),
        Binding("f2", "write", "Écrire", id="eq.write", priority=True,
                tooltip="Les explications en plein écran (F3 y insère une référence à un passage ou un document)."),
        Binding("v", "versions", "Versions", id="eq.versions",
                tooltip="Les versions d'une autre cheffe d'équipe : garder la mienne, prendre la sienne, fusionner."),
    ]
    HELP_WORKFLOW = SYNTHESIS_HELP

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.grid_index = 0
        self.page = 0
        self.pages = 1
        self.segments: list[Segment] = []
        self.evidence: list[EvidenceView] = []
        self._saved = ("", "")
        self._timer: Timer | None = None

    @property
    def ws(self) -> Workspace:
        workspace = self.app.workspace
        assert workspace is not None, "the synthesis screens open once the workspace is read"
        return workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="eq-title")
        yield Static("", id="eq-grid")
        yield TextArea("", id="eq-reader", read_only=True, soft_wrap=True, show_line_numbers=False)
        with Horizontal(id="eq-bottom"):
            yield EvidenceTable(EvidenceTable.COLUMNS, id="eq-evidence")
            with Vertical(id="eq-judgement"):
                yield Select([], prompt=f"Niveau : {NOT_RATED}", allow_blank=True, id="eq-rating")
                explanation = TextArea("", id="eq-explanation", soft_wrap=True)
                explanation.border_title = "Explications"
                yield explanation
        yield FieldFooter()

    def on_mount(self) -> None:
        ws = self.ws
        eq = ws.framework.question(self.question_id)
        assert eq is not None, "opened only for a question of the framework (FieldApp.open_evaluative_question)"
        self.eq = eq
        self.grid = ws.grid_questions(self.eq)
        self.title = f"{self.eq.number}. {self.eq.registre}"
        select = self.query_one("#eq-rating", Select)
        select.set_options([(f"Niveau : {r}", r) for r in ws.framework.scale])
        judgement = ws.judgement(self.question_id)
        with self.prevent(Select.Changed, TextArea.Changed):
            select.value = judgement.rating if judgement.rating in ws.framework.scale else Select.NULL
            self.query_one("#eq-explanation", TextArea).load_text(judgement.explanation)
        self._saved = (judgement.rating, judgement.explanation)
        self.show_grid_question()
        self.reload_evidence()
        self.query_one("#eq-reader", TextArea).focus()

    # -- the reader -------------------------------------------------------------------------------

    def show_grid_question(self, keep_cursor: bool = False) -> None:
        if not self.grid:
            return
        guide_id, qid, text = self.grid[self.grid_index]
        guide = self.ws.guide(guide_id)
        heading = numbered(guide.number(qid), text) if guide else text
        document, self.segments, self.pages = build_reader(self.ws, guide_id, qid, f"■ {heading}", self.page)
        self.page = min(self.page, self.pages - 1)
        reader = self.query_one("#eq-reader", TextArea)
        if reader.text != document:
            location, scroll = reader.cursor_location, reader.scroll_offset
            reader.load_text(document)
            if keep_cursor:
                row = min(location[0], reader.document.line_count - 1)
                reader.move_cursor((row, min(location[1], len(reader.document.get_line(row)))))
                reader.scroll_to(scroll.x, scroll.y, animate=False)
        kind = {"case_study": "études de cas", "interview_series": "entretiens qualitatifs"}.get(
            guide.project_kind if guide else "", guide_id)
        self.query_one("#eq-grid", Static).update(Text(
            f"Grille {self.grid_index + 1}/{len(self.grid)} · {qid} ({kind})"
            + (f" · page {self.page + 1}/{self.pages}" if self.pages > 1 else "") + " · s/p · n : cas suivant", end=""))
        self._update_title()

    def action_grid(self, step: int) -> None:
        if self.grid:
            self.grid_index = (self.grid_index + step) % len(self.grid)
            self.page = 0
            self.show_grid_question()

    def action_next_answer(self, step: int) -> None:
        """Put the cursor at the start of the next (or previous) answer in the reader."""
        reader = self.query_one("#eq-reader", TextArea)
        row = reader.cursor_location[0]
        starts = [s.start for s in self.segments]
        targets = [r for r in starts if r > row] if step > 0 else [r for r in starts if r < row]
        if not targets:  # past the last (first) answer of the page: the next (previous) page
            page = self.page + step
            if not 0 <= page < self.pages:
                return
            self.page = page
            self.show_grid_question()
            starts = [s.start for s in self.segments]
            if not starts:
                return
            reader.move_cursor((starts[0] if step > 0 else starts[-1], 0), center=True)
            reader.focus()
            return
        target = targets[0] if step > 0 else targets[-1]
        reader.move_cursor((target, 0), center=True)
        reader.focus()

    def _segment_at(self, row: int) -> Segment | None:
        return next((s for s in self.segments if s.start <= row < s.end), None)

    def selected_passage(self) -> tuple[Segment, str] | None:
        reader = self.query_one("#eq-reader", TextArea)
        start, end = sorted(reader.selection)
        if start == end:  # nothing selected: the line (paragraph) under the cursor
            segment = self._segment_at(start[0])
            if segment is None:
                return None
            return segment, reader.document.get_line(start[0]).strip()
        segment = self._segment_at(start[0])
        last_row = end[0] if end[1] > 0 or end[0] == start[0] else end[0] - 1
        if segment is None or self._segment_at(last_row) is not segment:
            return None
        return segment, reader.selected_text.strip()

    def action_pin(self) -> None:
        found = self.selected_passage()
        if found is None or not found[1]:
            self.app.notify("Sélectionnez un passage d'une seule réponse (maj+flèches), puis « e ».",
                            title="Rien à épingler", severity="warning")
            return
        segment, quote = found

        def done(result: tuple[list[str], list[str]] | None) -> None:
            if result is None:
                return
            tags, supports = result
            if not supports:
                supports = [self.question_id]
            try:
                self.ws.synthesis.pin_evidence(segment.project_id, segment.interview_id, segment.question_id, quote,
                                               supports=supports, tags=tags,
                                               author=self.app.interviewer)
            except FieldError as exc:
                self.app.notify(str(exc), title="Non épinglé", severity="error")
                return
            self.reload_evidence()
            self.app.notify(f"« {clip(quote, 60)} »", title="Passage épinglé")

        warning = concurrent_warning(segment.answer) if segment.answer.concurrent else ""
        self.app.push_screen(PinDialog(self.ws, quote, [self.question_id], [],
                                       f"Épingler — {self.ws.label(segment.project_id)}", warning), done)

    # -- evidence ---------------------------------------------------------------------------------

    def reload_evidence(self) -> None:
        self.evidence = self.ws.evidence_for(self.question_id)
        rows = []
        for view in self.evidence:
            mark = Text("✓", style="green", end="") if not view.stale else Text("⚠", style="bold yellow", end="")
            quote = one_line(view.evidence.quote)
            if view.stale:
                quote = f"[{view.state}] {quote}"
            rows.append((view.evidence.id, [mark, cell(view.project_label), cell(quote)]))
        self.query_one(EvidenceTable).set_rows(rows)
        self._update_title()

    def _update_title(self) -> None:
        ws = self.ws
        judgement = ws.judgement(self.question_id)
        stale = sum(1 for v in self.evidence if v.stale)
        cases = len({v.evidence.project_id for v in self.evidence})
        parts = [f"{self.eq.number}. {self.eq.registre}", f"niveau {ws.framework.rating_label(judgement.rating)}",
                 plural(len(self.evidence), "preuve"), plural(cases, "cas cité", "cas cités")]
        if stale:
            parts.append(f"⚠ {stale} {SUMMARY_REVIEW}")
        if judgement.concurrent:
            parts.append(f"⚠ {plural(len(judgement.concurrent), 'version concurrente', 'versions concurrentes')} (v)")
        self.query_one("#eq-title", Static).update(Text(" · ".join(parts), style="bold", end=""))

    def _current_evidence(self) -> EvidenceView | None:
        key = self.query_one(EvidenceTable).selected_key
        return next((v for v in self.evidence if v.evidence.id == key), None)

    @on(DataTable.RowSelected, "#eq-evidence")
    def _go_to_evidence(self) -> None:
        """Enter on a cited passage: show it, selected, in the reader."""
        view = self._current_evidence()
        if view is None:
            return
        ev = view.evidence
        index = next((n for n, g in enumerate(self.grid) if g[1] == ev.question_id), None)
        if index is None:
            return
        self.grid_index = index
        guide_id, qid, _text = self.grid[index]
        keys = [(p.id, i.id) for p, i in reader_entries(self.ws, guide_id, qid)]
        position = keys.index((ev.project_id, ev.interview_id)) if (ev.project_id, ev.interview_id) in keys else 0
        self.page = position // PAGE_SIZE
        self.show_grid_question()
        reader = self.query_one("#eq-reader", TextArea)
        for segment in self.segments:
            if (segment.project_id, segment.interview_id) != (ev.project_id, ev.interview_id):
                continue
            text = "\n".join(reader.document.get_line(r) for r in range(segment.start, segment.end))
            pos = text.find(ev.quote)
            if pos < 0:
                reader.move_cursor((segment.start, 0), center=True)
            else:
                before = text[:pos]
                row = segment.start + before.count("\n")
                col = len(before.rsplit("\n", 1)[-1])
                end_text = text[: pos + len(ev.quote)]
                end_row = segment.start + end_text.count("\n")
                end_col = len(end_text.rsplit("\n", 1)[-1])
                reader.move_cursor((row, col), center=True)
                reader.move_cursor((end_row, end_col), select=True)
            reader.focus()
            return

    def action_edit_evidence(self) -> None:
        view = self._current_evidence()
        if view is None:
            return
        ev = view.evidence

        def done(result: tuple[list[str], list[str]] | None) -> None:
            if result is None:
                return
            tags, supports = result
            try:
                self.ws.synthesis.update_evidence(ev.id, tags=tags, supports=supports)
            except FieldError as exc:
                self.app.notify(str(exc), severity="error")
            self.reload_evidence()

        self.app.push_screen(PinDialog(self.ws, ev.quote, list(ev.supports), list(ev.tags),
                                       f"Preuve — {view.project_label}"), done)

    def action_unpin(self) -> None:
        view = self._current_evidence()
        if view is None:
            return
        try:
            self.ws.synthesis.unpin(view.evidence.id, self.question_id)
        except FieldError as exc:
            self.app.notify(str(exc), severity="error")
        self.reload_evidence()
        self.app.notify(f"« {clip(view.evidence.quote, 60)} »", title="Preuve retirée de cette question")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters type text in the explanation: they are commands only outside of it.
        if action == "versions" and not self.ws.judgement(self.question_id).concurrent:
            return False
        if action in ("pin", "grid", "next_answer", "matrix", "edit_evidence", "unpin", "versions"):
            focused = self.focused
            if isinstance(focused, TextArea) and not focused.read_only:
                return False
            if action in ("edit_evidence", "unpin") and not isinstance(focused, EvidenceTable):
                return False
        return True

    # -- judgement --------------------------------------------------------------------------------

    @on(Select.Changed, "#eq-rating")
    def _rating_changed(self) -> None:
        self.save_now()

    @on(TextArea.Changed, "#eq-explanation")
    def _explanation_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_SECONDS, self.save_now)

    def save_now(self) -> None:
        """Save the rating and explanation if they changed (the app calls it before any exit)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.is_mounted:
            return
        value = self.query_one("#eq-rating", Select).value
        rating = value if isinstance(value, str) else ""
        explanation = self.query_one("#eq-explanation", TextArea).text.strip()
        if (rating, explanation) == self._saved:
            return
        try:
            self.ws.synthesis.save_judgement(self.question_id, rating, explanation,
                                             author=self.app.interviewer,
                                             scale=self.ws.framework.scale)
        except FieldError as exc:
            self.app.notify(str(exc), title="Jugement non enregistré", severity="error", timeout=10)
            return
        self._saved = (rating, explanation)
        self._update_title()

    def action_save(self) -> None:
        self.save_now()
        self.app.notify("Niveau d'atteinte et explications enregistrés.", title="Jugement")

    def action_write(self) -> None:
        """The explanation in the full-size editor."""
        area = self.query_one("#eq-explanation", TextArea)

        def done(text: str | None) -> None:
            if text is not None:
                area.load_text(text)
                self.save_now()
            area.focus()

        self.app.push_screen(TextEditorScreen(f"Explications — {self.eq.number}. {self.eq.registre}", area.text,
                                              self.ws, self.question_id), done)

    def action_versions(self) -> None:
        self.save_now()
        judgement = self.ws.judgement(self.question_id)
        if not judgement.concurrent:
            self.app.notify("Aucune version concurrente.", title="Jugement")
            return
        v = judgement.concurrent[0]
        label = self.ws.framework.rating_label
        mine = f"Niveau : {label(judgement.rating)}\n\n{judgement.explanation}"
        theirs = f"Niveau : {label(str(v.values.get('rating', '')))}\n\n{v.values.get('explanation', '')}"
        more = f" (et {plural(len(judgement.concurrent) - 1, 'autre')})" if len(judgement.concurrent) > 1 else ""

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            which, text = result
            if which == "mine":
                values = None
            elif which == "theirs":
                values = dict(v.values)
            else:
                body = text.split("\n\n", 1)
                rating = judgement.rating
                if body[0].startswith("Niveau :"):
                    wanted = body[0].split(":", 1)[1].strip()
                    rating = wanted if wanted in self.ws.framework.scale else ""
                    text = body[1] if len(body) > 1 else ""
                values = {"rating": rating, "explanation": text.strip()}
            try:
                self.ws.synthesis.settle("judgement", self.question_id, values, author=self.app.interviewer)
            except FieldError as exc:
                self.app.notify(str(exc), title="Conflit non réglé", severity="error")
                return
            current = self.ws.judgement(self.question_id)
            with self.prevent(Select.Changed, TextArea.Changed):
                select = self.query_one("#eq-rating", Select)
                select.value = current.rating if current.rating in self.ws.framework.scale else Select.NULL
                self.query_one("#eq-explanation", TextArea).load_text(current.explanation)
            self._saved = (current.rating, current.explanation)
            self._update_title()
            self.refresh_bindings()
            self.app.notify("Conflit réglé : l'autre version passe à l'historique.", title="Jugement")

        self.app.push_screen(SettleDialog(f"Jugement {self.eq.number}. {self.eq.registre} — version de "
                                          f"{version_label(v)}{more}", mine, theirs, version_label(v), self.ws,
                                          self.question_id), done)

    def action_matrix(self) -> None:
        self.save_now()
        self.app.open_matrix(self.question_id)

    def on_screen_resume(self) -> None:
        self.ws.refresh()  # an answer may have changed (import, another screen): states follow
        self.show_grid_question(keep_cursor=True)
        self.reload_evidence()

    def action_back(self) -> None:
        self.save_now()
        self.app.leave_screen(self)
