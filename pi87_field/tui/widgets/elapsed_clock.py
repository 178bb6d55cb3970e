"""An elapsed-time clock ("Durée 00:12:03") driven by the app's clock: the time already spent
in the interview's earlier sittings (`set_offset`) plus this one, once it is a sitting (the
interview was edited: core/timing.py). Until then it shows the time already recorded, still."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Static


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class ElapsedClock(Static):
    DEFAULT_CSS = """
    ElapsedClock { width: auto; padding: 0 1; }
    """

    def __init__(self, now: Callable[[], datetime], **kwargs) -> None:
        super().__init__("", **kwargs)
        self._now = now
        self.started = now()
        self.before = 0.0
        self.running = False

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def set_offset(self, seconds: float, since: datetime | None = None, *, running: bool = True) -> None:
        """Seconds already spent in earlier sittings; this sitting counts from `since` (now by
        default) when `running`."""
        self.before = max(0.0, seconds)
        self.started = since if since is not None else self._now()
        self.running = running
        if self.is_mounted:
            self.tick()

    @property
    def elapsed(self) -> float:
        if not self.running:
            return self.before
        return self.before + (self._now() - self.started).total_seconds()

    def tick(self) -> None:
        self.update(f"Durée {format_elapsed(self.elapsed)}")
