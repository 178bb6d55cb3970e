"""What a screen, a widget or the command palette may ask of the application: the store, the
clock, the interviewer, the answers still waiting to be written, the lead's synthesis workspace,
and navigation (open a project, an interview, the synthesis, the export dialog…).

Screens and widgets depend on this base, never on `tui.app`: the app imports the screens to
open them, so a screen importing the app back made the whole TUI one import circle. harlequin's
components never import `harlequin.app` for the same reason. The rule is an import-linter
contract (pyproject.toml, checked by tests/test_architecture.py).

`Pi87FieldApp` (tui/app.py) is the one implementation. A screen gets it typed with
`app = getters.app(FieldApp)` (Textual checks the instance at run time, mypy checks the calls).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.screen import Screen

from pi87_field.core.store import ProjectStore
from pi87_field.tui.pending import PendingAnswer, PendingAnswers

if TYPE_CHECKING:
    from pi87_field.core.synthesis import Workspace


class FieldApp(App[int]):
    """The application as its screens see it (implemented by `tui.app.Pi87FieldApp`)."""

    store: ProjectStore
    """The open project store (the one writer of this data folder)."""
    interviewer: str
    """Who is typing: the author of the answers and synthesis objects saved from the TUI."""
    pending: PendingAnswers
    """Answers a save could not write (a full disk), retried until written."""
    _workspace: Workspace | None
    """The synthesis workspace once loaded (None until then); `workspace` loads it."""

    # -- services ---------------------------------------------------------------------------------

    @abstractmethod
    def now(self) -> datetime:
        """The app's clock (fixed in snapshot tests)."""

    @property
    @abstractmethod
    def workspace(self) -> Workspace | None:
        """The synthesis workspace shared by the synthesis screens; None (and one French line)
        if the framework cannot be read."""

    @abstractmethod
    def leave_screen(self, screen: Screen) -> None:
        """Pop `screen` if it is still the one on top."""

    @abstractmethod
    def report_damaged(self, problems: list) -> None:
        """Name each damaged store file once per session."""

    @abstractmethod
    def flush_pending(self, *, closing: bool = False) -> None:
        """Write every answer and note still waiting for its autosave."""

    @abstractmethod
    def retry_pending(self) -> list[PendingAnswer]:
        """Try again to write the answers a save could not write; returns those still pending."""

    @abstractmethod
    def store_changed(self) -> None:
        """The store changed under the open screens (an import): let each follow it."""

    # -- navigation -------------------------------------------------------------------------------

    @abstractmethod
    def open_project(self, project_id: str) -> None: ...

    @abstractmethod
    def new_project(self) -> None: ...

    @abstractmethod
    def new_interview(self, project_id: str, planned_id: str | None = None, *, selected: str | None = None) -> None:
        """The interview sheet, for a new interview or a planned one (`planned_id`); without
        `planned_id`, a project's planned interview with no answer is offered first (`selected`
        if it is one of them)."""

    @abstractmethod
    def open_interview(self, project_id: str, interview_id: str, question_id: str | None = None) -> None:
        """An interview on its grid (on one screen at most)."""

    @abstractmethod
    def edit_interview_sheet(self, project_id: str, interview_id: str,
                             closed: Callable[[str | None], None]) -> None:
        """The sheet of an open interview, edited over its grid; `closed` gets "trashed" if the
        interview went to the trash from there."""

    @abstractmethod
    def start_interview(self, project_id: str, interview_id: str) -> None:
        """Replace the sheet on top (just saved) by the interview's grid."""

    @abstractmethod
    def remember_interviewer(self, name: str) -> bool:
        """`name` becomes who is typing here (saved as this data folder's setting)."""

    @abstractmethod
    def set_interviewer(self) -> None:
        """Ask for the interviewer's name (palette)."""

    @abstractmethod
    def open_trash(self) -> None: ...

    @abstractmethod
    def open_import(self) -> None: ...

    @abstractmethod
    def open_export(self, project_id: str | None = None, fmt: str = "docx") -> None: ...

    @abstractmethod
    def export_project(self, project_id: str, fmt: str = "docx") -> Path | None: ...

    @abstractmethod
    def open_synthesis(self) -> None: ...

    @abstractmethod
    def open_evaluative_question(self, question_id: str) -> None: ...

    @abstractmethod
    def open_matrix(self, question_id: str | None = None) -> None: ...

    @abstractmethod
    def action_help(self) -> None: ...

    @abstractmethod
    def action_search(self) -> None: ...
