"""Steps shared by the Pilot tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.pilot import Pilot
from textual.widgets import Checkbox

from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.new_interview import NewInterviewScreen
from pi87_field.tui.screens.project import ProjectScreen

CASE = "ec08-insup"
PARIS = timezone(timedelta(hours=2))
FIXED_NOW = datetime(2019, 10, 14, 10, 5, 0, tzinfo=PARIS)


def fixed_clock() -> datetime:
    return FIXED_NOW


async def open_project(pilot: Pilot, filter_text: str) -> ProjectScreen:
    await pilot.pause()
    await pilot.press(*filter_text)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ProjectScreen), screen
    return screen


async def start_planned_interview(pilot: Pilot, name: str = "Claire Martin", role: str = "Directrice") -> InterviewScreen:
    """On a project screen whose first interview is planned: fill its form and open the grid."""
    await pilot.press("enter")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, NewInterviewScreen), form
    await pilot.press(*name, "tab", *role)
    form.query_one("#n-consent", Checkbox).focus()
    await pilot.press("space")
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen), screen
    return screen


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def wait_until(pilot: Pilot, predicate, timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds (workers finish in their own time)."""
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


async def run_from_palette(pilot: Pilot, query: str, *, expect: str) -> None:
    """Open the command palette, type `query` and wait until its highlighted command contains
    `expect`: the palette searches in the background, and Enter pressed before the search is done
    picks whatever came first."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await type_text(pilot, query)

    def highlighted_matches() -> bool:
        commands = pilot.app.screen.query_one(CommandList)
        index = commands.highlighted
        if index is None:
            return False
        prompt = commands.get_option_at_index(index).prompt
        return expect.casefold() in getattr(prompt, "plain", str(prompt)).casefold()

    await wait_until(pilot, highlighted_matches)


def steady_cursors(app) -> None:
    """Stop every cursor blinking on the current screen: a snapshot taken half a second later
    (a loaded machine) must not catch the Input's cursor in the other phase."""
    from textual.widgets import Input, TextArea

    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


def begin(store: ProjectStore, pid: str = CASE):
    """Start the first planned interview of a case directly in the store (consent given)."""
    interview = store.list_interviews(pid)[0]
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    return interview


def messages(app) -> list[str]:
    """Every notification shown so far, title and message."""
    return [f"{n.title} {n.message}" for n in app._notifications]


def rewrite_answer(store: ProjectStore, pid: str, iid: str, qid: str, text: str) -> None:
    """The evaluator comes back to a finished interview and rewrites an answer: reopened first,
    since the store refuses answers to a finished interview."""
    from datetime import UTC, datetime

    from pi87_field.core.model import InterviewStatus

    if store.get_interview(pid, iid).status is InterviewStatus.COMPLETE:
        store.reopen_interview(pid, iid, datetime.now(UTC))
    store.save_answer(pid, iid, qid, text)
