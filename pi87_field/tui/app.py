"""The Textual application: one factory (`make_app`) for the CLI and the tests, and `run`,
which adds what Textual leaves to us: flushing answers on SIGTERM/SIGHUP and closing the store."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from time import monotonic
from typing import cast

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette

from pi87_field.core.errors import FieldError, os_reason
from pi87_field.core.fr import plural
from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.locations import interviewer_setting, set_interviewer_setting
from pi87_field.tui.base import FieldApp
from pi87_field.tui.commands import FrenchCommandPalette, Pi87Commands
from pi87_field.tui.pending import RETRY_SECONDS, PendingAnswer, PendingAnswers
from pi87_field.tui.widgets import incremental_wrap

ENV_USER = "PI87_FIELD_USER"
HANDLED_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


def default_interviewer(data_root: Path | None = None) -> str:
    """$PI87_FIELD_USER (a session as someone else), else the name set for this data folder
    (the sheet or the palette), else "" — never the login name, which is no interviewer's name."""
    return os.environ.get(ENV_USER, "").strip() or (interviewer_setting(data_root) if data_root else "")


class Pi87FieldApp(FieldApp):
    """Fieldwork interviews for the ESF PI 8.7 evaluation (what screens may use of it is
    `tui.base.FieldApp`; screens never import this module)."""

    CSS_PATH = "app.tcss"
    TITLE = "pi87-field"
    SUB_TITLE = "Évaluation FSE · PI 8.7"
    COMMANDS = {Pi87Commands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True,
                tooltip="Enregistre la réponse en cours et quitte pi87-field."),
        Binding("f1", "help", "Aide", id="app.help",
                tooltip="Les touches de l'écran et le déroulé d'un entretien."),
        Binding("ctrl+f", "search", "Rechercher", id="app.search", show=False,
                tooltip="Chercher un mot dans toutes les réponses."),
    ]

    def __init__(self, store: ProjectStore, *, interviewer: str = "",
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.store = store
        self.interviewer = interviewer or default_interviewer(store.root)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.install_signal_handlers = False
        self._reported_damage: set[str] = set()
        # Answers a save could not write (a full disk): retried, never dropped silently.
        self.pending = PendingAnswers()
        self._pending_told_at = 0.0
        self._workspace = None

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        # Messages carry file names, exception text and answers: never read them as markup
        # (an unbalanced "[/" would raise inside the toast).
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def now(self) -> datetime:
        """The app's clock (fixed in snapshot tests)."""
        return self._clock()

    def on_mount(self) -> None:
        from pi87_field.tui.screens.home import HomeScreen

        if self.install_signal_handlers:
            self._install_signal_handlers()
        self.push_screen(HomeScreen())
        self.set_interval(RETRY_SECONDS, self._retry_pending_quietly)
        if self.store.damaged:
            self.notify_damaged()
        for notice in self.store.notices:  # a damaged metadata file set aside: the data opened
            self.notify(notice, title="Fichier mis de côté", severity="warning", timeout=15)

    def on_home_screen_progress_shown(self) -> None:
        """Read the interviews for the synthesis screens in the background, so that the first
        ctrl+g does not wait for every interview file to be parsed: once the home's figures are
        in (parsing 1,000 interviews in a thread would hold the first screen and its figures back)."""
        if self._workspace is None:
            self.run_worker(self._warm_workspace, thread=True, group="synthesis-warmup", exit_on_error=False,
                            exclusive=True)

    def _warm_workspace(self) -> None:
        if self._workspace is not None:
            return
        from pi87_field.core.synthesis import Workspace

        try:
            workspace = Workspace(self.store)
        except Exception:  # noqa: BLE001 - the synthesis screens report it when opened
            return
        if self._workspace is None:
            self._workspace = workspace

    def notify_damaged(self) -> None:
        self.report_damaged(self.store.damaged)

    def report_damaged(self, problems: list) -> None:
        """Name each damaged store file once per session (the files are kept as they are)."""
        fresh = []
        for problem in problems:
            key = str(getattr(problem, "path", problem))
            if key not in self._reported_damage:
                self._reported_damage.add(key)
                fresh.append(problem)
        for problem in fresh[:3]:
            self.notify(str(problem), title="Fichier endommagé", severity="warning", timeout=15)
        if len(fresh) > 3:
            rest = plural(len(fresh) - 3, "autre fichier endommagé, conservé tel quel",
                            "autres fichiers endommagés, conservés tels quels")
            self.notify(f"Et {rest}.",
                        severity="warning", timeout=15)

    def leave_screen(self, screen) -> None:
        """Pop `screen` if it is still the one on top: keys typed fast (a held Escape, a pasted
        control character) can reach a screen that is already leaving, and popping again would
        close the screen underneath or empty the stack."""
        if screen.is_active:
            self.pop_screen()

    # -- saving -----------------------------------------------------------------------------------

    def flush_pending(self, *, closing: bool = False) -> None:
        """Write every answer and note still waiting for its autosave (called before any exit);
        when the app is `closing`, also the end time of each open interview's sitting."""
        for screen in list(self.screen_stack):
            for name in ("save_now", "save_notes_now", *(("end_sitting",) if closing else ())):
                save = getattr(screen, name, None)
                if save is not None:
                    save()

    def retry_pending(self) -> list[PendingAnswer]:
        """Try again to write the answers a save could not write. Returns those still pending.

        An answer on the question an interview screen shows is saved by that screen (its editor
        holds the latest text); the others are written from what was kept."""
        from pi87_field.tui.screens.interview import InterviewScreen

        shown: dict[tuple[str, str, str], InterviewScreen] = {}
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen) and screen.current is not None:
                shown[(screen.project_id, screen.interview_id, screen.current.qid)] = screen
        for item in self.pending.all():
            showing = shown.get(item.key)
            if showing is not None:
                showing.save_now()
                continue
            try:
                saved = self.store.save_answer_checked(
                    item.project_id, item.interview_id, item.question_id, item.text, state=item.state,
                    author=item.author, base_rev=item.base_rev)
            except (FieldError, OSError) as exc:
                item.error = str(exc) if isinstance(exc, FieldError) else f"Enregistrement impossible ({os_reason(exc)})"
                continue
            self.pending.drop(*item.key)
            self.notify(f"{item.where} : enregistrée.", title="Réponse en attente enregistrée")
            owner = self.interview_screen(item.project_id, item.interview_id)
            if owner is not None:
                owner.pending_saved(item.question_id, saved.answer)
        return self.pending.all()

    def _retry_pending_quietly(self) -> None:
        if not self.pending:
            return
        left = self.retry_pending()
        from pi87_field.tui.screens.unsaved import UnsavedDialog

        if isinstance(self.screen, UnsavedDialog):
            self.screen.refresh_items([i for i in left if i.key in {p.key for p in self.screen.items}])
            return
        # Elsewhere than on the screen showing it, remind the user now and then.
        if left and monotonic() - self._pending_told_at > 30:
            self._pending_told_at = monotonic()
            count = plural(len(left), "réponse toujours NON enregistrée", "réponses toujours NON enregistrées")
            self.notify(f"{count} ({left[0].error}). "
                        "Nouvel essai toutes les 5 s ; ctrl+q propose de les copier.",
                        title="En attente", severity="warning", timeout=8)

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in HANDLED_SIGNALS:
            try:
                loop.add_signal_handler(signum, self._on_terminate_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover - Windows
                signal.signal(signum, lambda s, _f: loop.call_soon_threadsafe(self._on_terminate_signal, s))

    def _on_terminate_signal(self, signum: int) -> None:
        # The terminal may already be gone (SIGHUP): save first, then leave quietly.
        self.flush_pending(closing=True)
        self.exit(return_code=0)

    # -- actions ----------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        from pi87_field.tui.screens.unsaved import UnsavedDialog

        self.flush_pending()
        left = self.retry_pending()
        if not left:
            self.flush_pending(closing=True)
            self.exit(return_code=0)
            return
        if isinstance(self.screen, UnsavedDialog):
            return

        def answered(choice: str | None) -> None:
            if choice in ("saved", "leave"):
                self.flush_pending(closing=True)
                self.exit(return_code=0)

        self.push_screen(UnsavedDialog("app", left), answered)

    def action_help_quit(self) -> None:
        # Textual's own message for ctrl+c is in English.
        self.notify("Pour quitter, appuyez sur ctrl+q (la réponse en cours est enregistrée).",
                    title="Quitter ?")

    def action_help(self) -> None:
        from pi87_field.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_search(self) -> None:
        from pi87_field.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_command_palette(self) -> None:
        # App is invariant in its return type; is_open only looks at the screen on top.
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(FrenchCommandPalette(id="--command-palette",
                                                  placeholder="Commande : projet, entretien, export…"))

    # -- shared commands (screens and the palette use them) --------------------------------------

    def open_project(self, project_id: str) -> None:
        from pi87_field.tui.screens.project import ProjectScreen

        self.flush_pending()
        self.push_screen(ProjectScreen(project_id))

    def new_interview(self, project_id: str, planned_id: str | None = None, *, selected: str | None = None) -> None:
        """The sheet of a new interview; if the project already has a planned interview with no
        answer (the campaign's "à fixer"), ask first: fill that one, or really add a second.
        `selected`: the planned interview to offer when there are several."""
        from pi87_field.core.summary import interview_title
        from pi87_field.tui.screens.dialogs import ChoiceDialog
        from pi87_field.tui.screens.new_interview import NewInterviewScreen

        self.flush_pending()
        if planned_id is not None:
            self.push_screen(NewInterviewScreen(project_id, planned_id))
            return
        try:
            project = self.store.get_project(project_id)
            planned = [i for i in self.store.list_interviews(project_id)
                       if i.status == InterviewStatus.PLANNED and not i.answers]
        except FieldError as exc:
            self.notify(str(exc), severity="error")
            return
        if not planned:
            self.push_screen(NewInterviewScreen(project_id))
            return
        offered = next((i for i in planned if i.id == selected), planned[0])
        others = f" ({plural(len(planned), 'entretien prévu', 'entretiens prévus')} dans ce projet)" \
            if len(planned) > 1 else ""

        def chosen(choice: str | None) -> None:
            if choice == "planned":
                self.push_screen(NewInterviewScreen(project_id, offered.id))
            elif choice == "new":
                self.push_screen(NewInterviewScreen(project_id))

        self.push_screen(ChoiceDialog(
            "Un entretien est déjà prévu : le remplir ?",
            f"Entretien prévu : {interview_title(project, offered)}{others}. Le remplir évite un second "
            "entretien vide à côté de lui (et dans les exports).",
            [("r", "remplir l'entretien prévu", "planned"), ("n", "en créer un autre", "new")]), chosen)

    def open_interview(self, project_id: str, interview_id: str, question_id: str | None = None) -> None:
        """Open an interview on its grid. An interview is open on one screen at most: if it is
        already open, the screens above it are closed and that screen comes back (two screens
        on one answer would each save their own text over the other's)."""
        from pi87_field.tui.screens.interview import InterviewScreen

        self.flush_pending()
        existing = self.interview_screen(project_id, interview_id)
        if existing is None:
            self.push_screen(InterviewScreen(project_id, interview_id, question_id))
            return
        while self.screen is not existing and len(self.screen_stack) > 1:
            self.pop_screen()
        existing.go_to_question(question_id)

    def edit_interview_sheet(self, project_id: str, interview_id: str,
                             closed: Callable[[str | None], None]) -> None:
        from pi87_field.tui.screens.new_interview import NewInterviewScreen

        self.push_screen(NewInterviewScreen(project_id, interview_id, edit=True), closed)

    def start_interview(self, project_id: str, interview_id: str) -> None:
        from pi87_field.tui.screens.interview import InterviewScreen

        self.switch_screen(InterviewScreen(project_id, interview_id))

    def interview_screen(self, project_id: str, interview_id: str):
        """The screen this interview is open on, if any."""
        from pi87_field.tui.screens.interview import InterviewScreen

        return next((s for s in self.screen_stack if isinstance(s, InterviewScreen)
                     and s.project_id == project_id and s.interview_id == interview_id), None)

    def store_changed(self) -> None:
        """The store changed under the open screens (an import): let each follow it."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_from_store", None)
            if refresh is not None:
                refresh()

    def new_project(self) -> None:
        from pi87_field.tui.screens.new_project import NewProjectScreen

        self.flush_pending()
        self.push_screen(NewProjectScreen())

    def remember_interviewer(self, name: str) -> bool:
        """`name` becomes who is typing here, from now on and in the next sessions (a setting of
        this data folder). False (and one French line) if it could not be written."""
        name = " ".join(name.split())
        if not name:
            return False
        try:
            set_interviewer_setting(self.store.root, name)
        except OSError as exc:
            self.notify(f"Nom non enregistré ({os_reason(exc)}) : il vaut pour cette session.",
                        title="Enquêteur·rice", severity="warning")
            self.interviewer = name
            return False
        self.interviewer = name
        return True

    def set_interviewer(self) -> None:
        """Palette: the interviewer's name, used for new interviews and as the author of what is
        typed here."""
        from pi87_field.tui.screens.dialogs import AskDialog

        def answered(values: dict[str, str] | None) -> None:
            if values and " ".join(values.get("name", "").split()) and self.remember_interviewer(values["name"]):
                self.notify(f"Vous êtes « {self.interviewer} » : auteur·rice de ce que vous saisissez ici "
                            "et enquêteur·rice des nouveaux entretiens.", title="Enquêteur·rice")

        note = ("Retenu pour ce dossier de données ; la variable PI87_FIELD_USER, si elle est définie, "
                "l'emporte le temps d'une session.")
        self.push_screen(AskDialog("Votre nom d'enquêteur·rice", [("name", "Nom", self.interviewer)], note),
                         answered)

    def open_trash(self) -> None:
        from pi87_field.tui.screens.trash import TrashScreen

        self.flush_pending()
        if not isinstance(self.screen, TrashScreen):
            self.push_screen(TrashScreen())

    # -- the lead's synthesis --------------------------------------------------------------------

    @property
    def workspace(self):
        """The synthesis workspace (core.synthesis.Workspace), shared by the synthesis screens so
        that the interview files are parsed once; None (and one French line) if the framework
        cannot be read."""
        if self._workspace is None:
            from pi87_field.core.synthesis import Workspace

            try:
                self._workspace = Workspace(self.store)
            except FieldError as exc:
                self.notify(str(exc), title="Référentiel illisible", severity="error", timeout=15)
                return None
        return self._workspace

    def open_synthesis(self) -> None:
        from pi87_field.tui.screens.synthesis import SynthesisScreen

        self.flush_pending()
        if self.workspace is not None:
            self.push_screen(SynthesisScreen())

    def open_evaluative_question(self, question_id: str) -> None:
        from pi87_field.tui.screens.evaluative_question import EvaluativeQuestionScreen

        self.flush_pending()
        if self.workspace is not None and self.workspace.framework.question(question_id) is not None:
            self.push_screen(EvaluativeQuestionScreen(question_id))

    def open_matrix(self, question_id: str | None = None) -> None:
        from pi87_field.tui.screens.matrix import MatrixScreen

        self.flush_pending()
        if self.workspace is not None:
            self.push_screen(MatrixScreen(question_id))

    def open_import(self) -> None:
        from pi87_field.tui.screens.import_files import ImportScreen

        self.push_screen(ImportScreen())

    def open_export(self, project_id: str | None = None, fmt: str = "docx") -> None:
        """The export dialog: this project or all, Word or JSON, pseudonymised, which folder."""
        from pi87_field.tui.screens.export import ExportScreen

        self.flush_pending()
        self.push_screen(ExportScreen(project_id, fmt))

    def export_project(self, project_id: str, fmt: str = "docx") -> Path | None:
        """Export one project into the data folder's exports location; tell the user where it
        went, or why not. A file changed since pi87-field wrote it is not replaced: the export
        dialog opens to ask."""
        from pi87_field.core.exchange.exporting import export_project, export_target
        from pi87_field.core.exchange.ledger import ExportLedger
        from pi87_field.locations import exports_dir

        self.flush_pending()
        folder = exports_dir(self.store.root)
        ledger = ExportLedger(self.store.root)
        if ledger.changed(export_target(project_id, folder, fmt)):
            self.open_export(project_id, fmt)
            self.notify("Ce compte rendu a changé depuis son dernier export : rien n'est remplacé sans "
                        "votre accord.", title="Export", severity="warning", timeout=8)
            return None
        try:
            path = export_project(self.store, project_id, folder, fmt)
        except FieldError as exc:
            self.notify(str(exc), title="Export impossible", severity="error", timeout=10)
            return None
        except ImportError:
            self.notify("L'export Word n'est pas disponible dans cette version : utilisez l'export JSON.",
                        title="Export impossible", severity="error", timeout=10)
            return None
        except OSError as exc:
            self.notify(f"Écriture impossible ({os_reason(exc)}) : {folder}",
                        title="Export impossible", severity="error", timeout=10)
            return None
        try:
            ledger.record([path])
        except OSError:
            pass
        self.notify(str(path), title="Exporté")
        return path

def make_app(store: ProjectStore, *, interviewer: str = "",
             clock: Callable[[], datetime] | None = None) -> Pi87FieldApp:
    """The one factory of the app, used by the CLI (through `run`) and the tests. It installs
    the incremental wrap of long answers (a fenced patch of Textual, see `incremental_wrap`)."""
    incremental_wrap.install()
    return Pi87FieldApp(store, interviewer=interviewer, clock=clock)


def run(store: ProjectStore) -> int:
    """Run the TUI on an open (writer) store until the user quits or a signal ends it."""
    app = make_app(store)
    app.install_signal_handlers = True
    try:
        result = app.run()
    finally:
        store.close()
    return result if isinstance(result, int) else 0
