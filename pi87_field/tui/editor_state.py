"""The answer being edited on the interview screen, without the terminal.

What it holds: the text last written, the answer's state, the stored revision the editor's text
descends from (every save is checked against it), and whether something typed or chosen is not
written yet (since when). What it decides: what a keystroke does to the state ("non abordé" ends
when text is typed, "sans objet" / "refus" / "à compléter" keep their text), when the debounced
autosave fires, whether a save is needed and with which state, and whether an answer that changed
in the store (an import, another screen) replaces the editor's text or is saved over as a
conflict.

`InterviewScreen` (tui/screens/interview.py) owns one `EditorState` and does what it says with
the widgets, the store and the app's pending answers. Plain Python, no Textual: the rules are
tested without an app (tests/unit/test_editor_state.py), and an import-linter contract keeps it so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from time import monotonic

from pi87_field.core.fr import plural
from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.store import EMPTY_REV

AUTOSAVE_DELAY_SECONDS = 0.6
"""The pause in typing after which the answer is written."""
MAX_UNSAVED_SECONDS = 1.0
"""Continuous typing is still written at least this often."""

# Text typed into an answer in these states makes it an answer (what was said was asked)...
TEXT_ENDS_STATE = frozenset({AnswerState.NOT_ASKED})
# ...while in these the text explains the state, or is the part said so far.
TEXT_KEEPS_STATE_REASON = {
    AnswerState.NOT_APPLICABLE: "le texte le justifie",
    AnswerState.DECLINED: "le texte le justifie",
    AnswerState.TO_COMPLETE: "réponse partielle",
}


@dataclass(frozen=True)
class Keystroke:
    """What an edit of the text means (`EditorState.typed`)."""

    clean_again: bool = False
    """The text is back to what is written: nothing to save any more."""
    ended_state: AnswerState | None = None
    """The state text typed into ended (it is "répondu" now)."""
    kept_state: AnswerState | None = None
    """The state kept with the first text typed into it (told once)."""
    started: bool = False
    """The first change since the last save."""
    autosave: bool = False
    """Schedule the debounced autosave."""


class StoreChange(Enum):
    """What to do when the stored answer under the editor may have changed (`EditorState.follow`)."""

    SAME = "same"        # the editor still descends from the stored answer
    SAVE = "save"        # it moved on, but something is typed: save it (the store keeps both)
    RELOADED = "reloaded"  # it moved on and nothing is typed: the editor shows the stored answer


class EditorState:
    """The current question's answer as the editor has it, and the rules of saving it."""

    def __init__(self, clock: Callable[[], float] = monotonic) -> None:
        self._clock = clock
        self.state = AnswerState.ANSWERED
        self.saved_text = ""
        self.base_rev = EMPTY_REV
        self.dirty_since: float | None = None
        """When the text started to differ from what is written (None: it does not)."""
        self.state_dirty = False
        """A state (or a pending text) is waiting to be written even if the text is unchanged."""
        self.last_saved_at = ""
        """The clock time of the last save on this screen, as shown ("14:32:05")."""

    @property
    def dirty(self) -> bool:
        """Something typed or chosen is not written yet."""
        return self.dirty_since is not None or self.state_dirty

    # -- loading ----------------------------------------------------------------------------------

    def load(self, answer: Answer | None) -> str:
        """The stored answer (None: no answer yet) is in the editor, nothing typed. Returns its text."""
        self.state = answer.state if answer else AnswerState.ANSWERED
        self.saved_text = answer.text if answer else ""
        self.base_rev = answer.rev if answer else EMPTY_REV
        self.dirty_since = None
        self.state_dirty = False
        return self.saved_text

    def load_pending(self, state: AnswerState, base_rev: str) -> None:
        """An answer typed earlier that a save could not write is back in the editor: still unsaved."""
        self.state = state
        self.base_rev = base_rev
        self.dirty_since = self._clock()
        self.state_dirty = True

    # -- typing -----------------------------------------------------------------------------------

    def typed(self, text: str) -> Keystroke:
        """The editor's text is now `text`."""
        if text == self.saved_text:
            if self.dirty_since is not None and not self.state_dirty:
                self.dirty_since = None
                return Keystroke(clean_again=True)
            return Keystroke()
        ended = kept = None
        if self.state in TEXT_ENDS_STATE and text.strip():
            # Text typed into a "non abordé" answer is an answer: never export "[non abordé]"
            # followed by what was said.
            ended, self.state = self.state, AnswerState.ANSWERED
            self.state_dirty = True
        elif self.state != AnswerState.ANSWERED and text.strip() and not self.saved_text.strip() \
                and self.dirty_since is None:
            # "sans objet" or "refus" with a justification, "à compléter" with what was said so
            # far: the state stays, and the evaluator is told once.
            kept = self.state
        started = self.dirty_since is None
        if started:
            self.dirty_since = self._clock()
        return Keystroke(ended_state=ended, kept_state=kept, started=started, autosave=True)

    def autosave_delay(self) -> float:
        """Seconds to wait before the autosave: a pause in typing, but never more than
        MAX_UNSAVED_SECONDS after the first unsaved change."""
        delay = AUTOSAVE_DELAY_SECONDS
        if self.dirty_since is not None:
            delay = min(delay, max(0.0, self.dirty_since + MAX_UNSAVED_SECONDS - self._clock()))
        return delay

    def choose_state(self, new: AnswerState, *, toggle: bool = True) -> None:
        """A state key (F2-F6) or the state picker; the same key again goes back to "répondu"."""
        if toggle and new == self.state and new != AnswerState.ANSWERED:
            new = AnswerState.ANSWERED
        self.state = new
        self.state_dirty = True

    def save_requested(self) -> None:
        """ctrl+s: write now what is typed, even if the Changed message has not come yet."""
        self.state_dirty = self.state_dirty or self.dirty_since is not None

    def mark(self, text: str | None) -> str:
        """The mark of the answer as typed (the navigator's and the state line's): an answered
        answer with no text is "empty". `text` None: no editor."""
        if self.state == AnswerState.ANSWERED and text is not None and not text.strip():
            return "empty"
        return self.state.value

    # -- saving -----------------------------------------------------------------------------------

    def needs_save(self, text: str) -> bool:
        # The text itself decides, not only the Changed message: a key bound with priority (ctrl+n)
        # can be handled before the message of a paste that came just before it.
        return self.dirty or text != self.saved_text

    def state_to_save(self, text: str) -> AnswerState:
        """The state written with `text` (typed into a "non abordé": an answer, see `typed`)."""
        if text != self.saved_text and self.state in TEXT_ENDS_STATE and text.strip():
            self.state = AnswerState.ANSWERED
        return self.state

    def saved(self, text: str, answer: Answer, at: str) -> None:
        """`text` was written as `answer` at clock time `at`: the editor descends from it."""
        self.saved_text = text
        self.base_rev = answer.rev
        self.dirty_since = None
        self.state_dirty = False
        self.last_saved_at = at

    def saved_status(self) -> str:
        return f"✓ enregistré à {self.last_saved_at}" if self.last_saved_at else "✓ à jour"

    def resting_status(self, waiting: int) -> str:
        """The status line when nothing is being typed: saved, or `waiting` answers still pending."""
        if waiting:
            return f"⚠ {plural(waiting, 'réponse')} en attente"
        return self.saved_status()

    # -- the store moved ------------------------------------------------------------------------

    def follow(self, stored: Answer | None) -> StoreChange:
        """The stored answer (re-read after an import, a restore) against the editor's."""
        if (stored.rev if stored else EMPTY_REV) == self.base_rev:
            return StoreChange.SAME
        if self.dirty:
            return StoreChange.SAVE
        self.load(stored)
        return StoreChange.RELOADED
