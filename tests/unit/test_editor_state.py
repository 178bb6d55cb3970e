"""The interview editor's state and its saving decisions, without a terminal (tui/editor_state.py).

What it pins: the rules that lived inside InterviewScreen's handlers (issue 16, item 4): the text a
state keeps or ends, the debounced autosave's deadline, what a save writes and when, and whether an
answer changed in the store replaces the editor's text or is saved over as a conflict. The screen
tests (tests/tui) check that the screen does what these decisions say."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.store import EMPTY_REV
from pi87_field.tui.editor_state import (
    AUTOSAVE_DELAY_SECONDS,
    MAX_UNSAVED_SECONDS,
    EditorState,
    Keystroke,
    StoreChange,
)
from tests.support.paths import REPO


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def editing(clock: FakeClock, answer: Answer | None = None) -> EditorState:
    state = EditorState(clock)
    state.load(answer)
    return state


def test_the_editor_state_imports_no_terminal_library():
    code = ("import sys, pi87_field.tui.editor_state; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_loading_an_answer_or_none(clock):
    state = EditorState(clock)
    assert state.load(None) == ""
    assert (state.state, state.base_rev, state.dirty) == (AnswerState.ANSWERED, EMPTY_REV, False)
    answer = Answer(text="Une réponse", state=AnswerState.DECLINED)
    assert state.load(answer) == "Une réponse"
    assert (state.state, state.base_rev, state.dirty) == (AnswerState.DECLINED, answer.rev, False)


def test_typing_starts_once_and_typing_back_the_saved_text_is_clean(clock):
    state = editing(clock, Answer(text="avant"))
    assert state.typed("avant") == Keystroke()
    first = state.typed("avant !")
    assert first.started and first.autosave and state.dirty_since == 100.0
    clock.now = 100.3
    assert state.typed("avant !!") == Keystroke(autosave=True)
    assert state.dirty_since == 100.0  # the deadline counts from the first unsaved change
    assert state.typed("avant") == Keystroke(clean_again=True)
    assert not state.dirty


def test_text_typed_into_not_asked_makes_it_an_answer(clock):
    state = editing(clock, Answer(text="", state=AnswerState.NOT_ASKED))
    assert state.typed("   ").ended_state is None  # blanks say nothing
    state = editing(clock, Answer(text="", state=AnswerState.NOT_ASKED))
    change = state.typed("Il a dit oui")
    assert change.ended_state == AnswerState.NOT_ASKED
    assert state.state == AnswerState.ANSWERED
    # Deleting the text again does not make it clean: the state change is still to be written.
    assert state.typed("") == Keystroke()
    assert state.dirty


@pytest.mark.parametrize("kept", [AnswerState.NOT_APPLICABLE, AnswerState.DECLINED, AnswerState.TO_COMPLETE])
def test_a_state_that_keeps_its_text_is_told_once(clock, kept):
    state = editing(clock, Answer(text="", state=kept))
    assert state.typed("P").kept_state == kept
    assert state.typed("Pa").kept_state is None
    assert state.state == kept
    # Text already there: nothing to tell.
    state = editing(clock, Answer(text="déjà dit", state=kept))
    assert state.typed("déjà dit, et plus").kept_state is None


def test_autosave_waits_for_a_pause_but_not_past_the_deadline(clock):
    state = editing(clock)
    assert state.autosave_delay() == AUTOSAVE_DELAY_SECONDS
    state.typed("a")
    clock.now += 0.1
    assert state.autosave_delay() == pytest.approx(AUTOSAVE_DELAY_SECONDS)
    clock.now = 100.0 + MAX_UNSAVED_SECONDS - 0.25
    assert state.autosave_delay() == pytest.approx(0.25)
    clock.now = 100.0 + MAX_UNSAVED_SECONDS + 5
    assert state.autosave_delay() == 0.0


def test_a_save_is_needed_when_the_text_differs_even_before_its_changed_message(clock):
    state = editing(clock, Answer(text="avant"))
    assert not state.needs_save("avant")
    assert state.needs_save("avant, collé")  # a paste whose Changed message has not come yet
    state.choose_state(AnswerState.DECLINED)
    assert state.needs_save("avant")


def test_the_state_written_with_the_text(clock):
    state = editing(clock, Answer(text="", state=AnswerState.NOT_ASKED))
    assert state.state_to_save("") == AnswerState.NOT_ASKED
    assert state.state_to_save("dit quand même") == AnswerState.ANSWERED
    state = editing(clock, Answer(text="", state=AnswerState.DECLINED))
    assert state.state_to_save("ne souhaite pas en parler") == AnswerState.DECLINED


def test_after_a_save_the_editor_descends_from_what_was_written(clock):
    state = editing(clock)
    state.typed("nouveau")
    written = Answer(text="nouveau")
    assert state.saved_status() == "✓ à jour"
    state.saved("nouveau", written, "14:32:05")
    assert (state.saved_text, state.base_rev, state.dirty) == ("nouveau", written.rev, False)
    assert state.saved_status() == "✓ enregistré à 14:32:05"
    assert state.resting_status(0) == "✓ enregistré à 14:32:05"
    assert state.resting_status(2) == "⚠ 2 réponses en attente"


def test_the_same_state_key_twice_goes_back_to_answered(clock):
    state = editing(clock)
    state.choose_state(AnswerState.NOT_APPLICABLE)
    assert state.state == AnswerState.NOT_APPLICABLE and state.state_dirty
    state.choose_state(AnswerState.NOT_APPLICABLE)
    assert state.state == AnswerState.ANSWERED
    state.choose_state(AnswerState.DECLINED, toggle=False)
    state.choose_state(AnswerState.DECLINED, toggle=False)  # the picker sets, it does not toggle
    assert state.state == AnswerState.DECLINED


def test_ctrl_s_writes_what_is_typed(clock):
    state = editing(clock)
    state.save_requested()
    assert not state.state_dirty  # nothing typed: nothing forced
    state.typed("x")
    state.save_requested()
    assert state.state_dirty


def test_the_mark_of_the_answer_as_typed(clock):
    state = editing(clock)
    assert state.mark("  ") == "empty"
    assert state.mark("texte") == "answered"
    assert state.mark(None) == "answered"
    state.choose_state(AnswerState.DECLINED)
    assert state.mark("") == "declined"


def test_an_answer_changed_in_the_store(clock):
    before = Answer(text="avant")
    after = Answer(text="importé", ancestors=[before.rev])
    state = editing(clock, before)
    assert state.follow(before) is StoreChange.SAME
    # Nothing typed: the editor shows the stored answer.
    assert state.follow(after) is StoreChange.RELOADED
    assert (state.saved_text, state.base_rev) == ("importé", after.rev)
    # Something typed: saved over it (the store keeps both as a conflict); the editor is untouched.
    state = editing(clock, before)
    state.typed("avant, modifié")
    assert state.follow(after) is StoreChange.SAVE
    assert (state.saved_text, state.base_rev) == ("avant", before.rev)
    # No answer yet on either side.
    assert editing(clock).follow(None) is StoreChange.SAME


def test_an_answer_pending_after_a_failed_save_comes_back_unsaved(clock):
    state = editing(clock, Answer(text="écrit"))
    state.load_pending(AnswerState.TO_COMPLETE, "rev-1")
    assert state.dirty and state.dirty_since == 100.0
    assert (state.state, state.base_rev) == (AnswerState.TO_COMPLETE, "rev-1")
