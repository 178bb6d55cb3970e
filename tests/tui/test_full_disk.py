"""A save that fails (a full disk) is never dropped when the user moves on (issue 9 item 3):
the text stays pending and is retried, leaving asks what to do, and it can always be copied or
written to another folder."""

from __future__ import annotations

import errno

import pytest
from textual.widgets import Input, Static

from pi87_field.core.store import storage
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.unsaved import UnsavedDialog
from tests.tui.tui_helpers import open_project, start_planned_interview, type_text, wait_until

CASE = "ec08-insup"


class Disk:
    """Makes every atomic write of the store fail with ENOSPC while `full` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        real = storage.atomic_write_bytes

        def write(path, data, **kwargs):
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return real(path, data, **kwargs)

        monkeypatch.setattr(storage, "atomic_write_bytes", write)


def status(screen: InterviewScreen) -> str:
    return str(screen.query_one("#save-status", Static).render())


async def test_full_disk_next_question_asks_and_keeps_the_text(app, store, monkeypatch, tmp_path):
    """Defect it pins: ctrl+n after "NON enregistré" loaded the next question and the text typed
    was gone, from the screen and from the store."""
    disk = Disk(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        first_qid = screen.current.qid
        disk.full = True
        await type_text(pilot, "Texte important")
        await wait_until(pilot, lambda: "NON enregistré" in status(screen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        assert screen.current.qid == first_qid
        await pilot.press("ctrl+t")                          # copy to the clipboard
        assert "Texte important" in app.clipboard
        assert "INSUP" in app.clipboard                      # says where it belongs
        await pilot.press("escape")                          # stay on the question
        await pilot.pause()
        assert app.screen is screen and screen.current.qid == first_qid
        assert screen.editor.text == "Texte important"
        # Move on anyway: the text stays pending, and comes back with the question.
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.screen is screen and screen.current.qid != first_qid
        assert app.pending.get(CASE, screen.interview_id, first_qid).text == "Texte important"
        assert "1 réponse en attente" in status(screen)
        await pilot.press("alt+up")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog) or screen.current.qid == first_qid)
        assert screen.current.qid == first_qid
        assert screen.editor.text == "Texte important"
        assert "NON enregistré" in status(screen)
        # The disk has room again: the retry writes it, nothing typed is lost.
        disk.full = False
        await wait_until(pilot, lambda: not app.pending, timeout=15)
    answer = store.get_interview(CASE, screen.interview_id).answers[first_qid]
    assert answer.text == "Texte important"


async def test_full_disk_escape_asks_and_the_text_can_be_written_elsewhere(app, store, monkeypatch, tmp_path):
    disk = Disk(monkeypatch)
    rescue = tmp_path / "usb"
    rescue.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        disk.full = True
        await type_text(pilot, "Réponse sur disque plein")
        await wait_until(pilot, lambda: "NON enregistré" in status(screen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        dialog = app.screen
        await pilot.press("ctrl+d")
        await pilot.pause()
        field = dialog.query_one("#unsaved-folder", Input)
        assert field.display and field.has_focus
        field.value = str(rescue)
        await pilot.press("enter")
        await pilot.pause()
        written = list(rescue.glob("*.txt"))
        assert len(written) == 1
        assert "Réponse sur disque plein" in written[0].read_text(encoding="utf-8")
        assert app.screen is dialog                          # still asked: stay, retry or leave
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is dialog                          # the disk is still full
        disk.full = False
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    answers = store.get_interview(CASE, screen.interview_id).answers
    assert answers[screen.current.qid].text == "Réponse sur disque plein"


async def test_full_disk_quit_asks_twice_before_dropping_anything(app, store, monkeypatch):
    disk = Disk(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        disk.full = True
        await type_text(pilot, "Dernier mot")
        await wait_until(pilot, lambda: "NON enregistré" in status(screen))
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        assert app.is_running
        await pilot.press("ctrl+g")                          # first ctrl+g: are you sure?
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")                          # no: back to the interview
        await pilot.pause()
        assert app.screen is screen and screen.editor.text == "Dernier mot"
        disk.full = False
        await pilot.press("ctrl+q")                          # room again: saved, then quits
        await pilot.pause()
    assert store.get_interview(CASE, screen.interview_id).answers[screen.current.qid].text == "Dernier mot"


async def test_full_disk_dialog_never_takes_typed_letters_as_commands(app, store, monkeypatch):
    """Defect it pins (issue 18): the evaluator goes on typing while the dialog opens; "c" copied,
    "d" opened a folder field, "g" left the question, and the sentence ended up nowhere. Letters
    typed into the dialog are kept and come back into the answer."""
    disk = Disk(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        first_qid = screen.current.qid
        disk.full = True
        await type_text(pilot, "Le directeur")
        await wait_until(pilot, lambda: "NON enregistré" in status(screen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        dialog = app.screen
        copied_before = app.clipboard
        await type_text(pilot, " a dit : gardez cette dotation, c'est rare")
        await pilot.pause()
        assert app.screen is dialog                          # "g" did not leave the question
        assert not dialog.query_one("#unsaved-folder", Input).display   # "d" opened nothing
        assert app.clipboard == copied_before                # "c" copied nothing
        assert "gardez cette dotation" in str(dialog.query_one("#unsaved-typed", Static).render())
        await pilot.press("ctrl+t")                          # copy: with what was typed here
        assert "a dit : gardez cette dotation" in app.clipboard
        await pilot.press("escape")                          # stay: the sentence is in the answer
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.current.qid == first_qid
        assert screen.editor.text == "Le directeur a dit : gardez cette dotation, c'est rare"
        disk.full = False
        await wait_until(pilot, lambda: not app.pending, timeout=15)
        await pilot.press("ctrl+s")
        await pilot.pause()
    answer = store.get_interview(CASE, screen.interview_id).answers[first_qid]
    assert answer.text == "Le directeur a dit : gardez cette dotation, c'est rare"
