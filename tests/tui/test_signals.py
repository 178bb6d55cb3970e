"""The app runs in a real terminal (a pty); SIGTERM or SIGHUP arrives mid-sentence: the last
answer is on disk and the process exits cleanly, lock released."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore

ROOT = Path(__file__).resolve().parents[2]
CASE = "ec08-insup"
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")

# Autosave is pushed far away so that only the signal handler can have written the text.
CHILD = """
import sys
from pathlib import Path
import pi87_field.tui.editor_state as editor_state
editor_state.AUTOSAVE_DELAY_SECONDS = editor_state.MAX_UNSAVED_SECONDS = 60
from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import run
raise SystemExit(run(ProjectStore.open(Path(sys.argv[1]))))
"""


class Terminal:
    """A child process on a pty of 80x24, its output collected in the background."""

    def __init__(self, data_dir: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", PYTHONPATH=str(ROOT), PI87_FIELD_USER="Léa")
        env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir)], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.output = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def screen_text(self) -> str:
        """What was drawn so far, without the terminal's control sequences."""
        return ANSI.sub("", bytes(self.output).decode("utf-8", "replace"))

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        # Generous: on a loaded machine a frame can take seconds; the loop returns as soon as it is drawn.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen_text():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not seen on screen; exit={self.proc.poll()}; "
                             f"tail={bytes(self.output[-2000:])!r}")

    def type(self, text: str, pause: float = 0.02) -> None:
        for ch in text:
            os.write(self.master, ch.encode())
            time.sleep(pause)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass


@pytest.fixture
def started(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "data"
    store = ProjectStore.open(data, durable=False)
    interview = store.list_interviews(CASE)[0]
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.close()
    return data, interview.id


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_mid_sentence_keeps_the_last_answer(started, signum):
    data, iid = started
    term = Terminal(data)
    try:
        term.wait_for("Avanc")              # the project table's last header
        term.type("insup")
        term.wait_for("1 projet sur")       # the filter has run: Enter opens INSUP, not the first row
        term.type("\r")
        term.wait_for("Réponses")
        term.type("\r")
        term.wait_for("Durée")
        term.type("Premier point.")
        term.wait_for("Premier point.")
        term.type("\x0e")                                    # ctrl+n: saved on leaving the question
        term.wait_for("Effectifs de la structure")            # the next question is shown
        term.type("Il disait que le FSE a permis d'essaimer")  # mid-sentence...
        # The keys have reached the editor (drawn on screen) before the laptop shuts down: what the
        # test pins is that what the user sees typed is on disk, not keys still in the pty buffer.
        term.wait_for("permis d'essaimer")
        os.kill(term.proc.pid, signum)                       # ...the laptop is shutting down
        code = term.proc.wait(timeout=15)
    finally:
        term.close()
    assert code == 0
    store = ProjectStore.open(data, durable=False)          # the lock was released
    try:
        answers = store.get_interview(CASE, iid).answers
    finally:
        store.close()
    assert answers["structure.presentation"].text == "Premier point."
    assert answers["structure.effectifs"].text == "Il disait que le FSE a permis d'essaimer"
    assert answers["structure.effectifs"].author == "Léa"
