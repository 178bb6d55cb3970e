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
        await pilot.press("c")                               # copy to the clipboard
        assert "Texte important" in app.clipboard
        assert "INSUP" in app.clipboard                      # says where it belongs
        await pilot.press("escape")                          # stay on the question
        await pilot.pause()
        assert app.screen is screen and screen.current.qid == first_qid
        assert screen.editor.text == "Texte important"
        # Move on anyway: the text stays pending, and comes back with the question.
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("g")
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
        await pilot.press("d")
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
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is dialog                          # the disk is still full
        disk.full = False
        await pilot.press("r")
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
        await pilot.press("g")                               # first g: are you sure?
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")                          # no: back to the interview
        await pilot.pause()
        assert app.screen is screen and screen.editor.text == "Dernier mot"
        disk.full = False
        await pilot.press("ctrl+q")                          # room again: saved, then quits
        await pilot.pause()
    assert store.get_interview(CASE, screen.interview_id).answers[screen.current.qid].text == "Dernier mot"
