"""The interview screen: keys that arrive while screens change, leaving, finishing, narrow terminals."""

from __future__ import annotations

from textual import events

from pi87_field.core.model import InterviewStatus
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.section_picker import SectionPicker
from pi87_field.tui.screens.whats_left import WhatsLeftScreen
from pi87_field.tui.widgets.navigator import QuestionNavigator
from tests.tui.tui_helpers import CASE, begin, open_project, start_planned_interview, wait_until


async def test_keys_queued_behind_a_closing_section_picker_do_not_pop_the_grid(app):
    # A pasted "\x07…1…1" (ctrl+g then digits) used to dismiss the picker twice: the second
    # dismiss popped the interview, then the project... and crashed on an empty stack.
    interview = begin(app.store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SectionPicker)
        for _ in range(3):
            picker.post_message(events.Key("1", "1"))
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await pilot.pause()                                   # the two other keys are handled (or dropped)
        assert isinstance(app.screen, InterviewScreen)
        assert [type(s) for s in app.screen_stack][-2:] == [HomeScreen, InterviewScreen]


async def test_leaving_twice_pops_one_screen(app):
    interview = begin(app.store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        screen = app.screen
        screen.action_back()
        screen.action_back()  # a second Escape that reached the screen while it was leaving
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_finish_is_in_the_footer_on_every_question_and_asks_first(app):
    """Issue 11.3 changes what this pinned: ctrl+t no longer finishes (it opens the sheet, as
    it opens the facts on the project screen); "Reste/Terminer" (ctrl+l) is in the footer on
    every question, shows what is left, and finishes only on `t`."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        keys = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert "whats_left" in keys and "next_question" in keys and "edit_sheet" in keys
        screen.show_question(2)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, WhatsLeftScreen)
        await pilot.press("escape")                     # not finished: back to the grid
        await pilot.pause()
        assert app.screen is screen
        assert app.store.list_interviews(CASE)[0].status != InterviewStatus.COMPLETE
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("t", "t")                     # questions left: the second t confirms
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.store.list_interviews(CASE)[0].status == InterviewStatus.COMPLETE


async def test_narrow_terminal_gives_the_answer_the_width(app):
    interview = begin(app.store)
    async with app.run_test(size=(60, 20)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one(QuestionNavigator).display
        assert screen.editor.size.width > 50
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert screen.query_one(QuestionNavigator).display


async def test_an_open_interview_keeps_full_gc_passes_off_the_keystrokes_and_gives_them_back(app):
    """Issue 11 item 15: the long frames while typing were generation-2 collections walking the
    whole app (50–110 ms, more with a long answer). An open interview freezes what is alive
    (tui/heap.py); leaving it hands everything back to the collector, so nothing leaks."""
    import gc

    from tests.tui.tui_helpers import wait_until

    interview = begin(app.store)
    assert gc.get_freeze_count() == 0
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        app.screen.action_back()
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: gc.get_freeze_count() == 0)
