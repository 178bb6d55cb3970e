"""What broke when the app was driven by hand in tmux: fast keys popping too many screens,
user text read as markup, damaged files never named, filters and widths, French wording."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input, Static
from tui_helpers import fixed_clock, open_project, start_planned_interview, wait_until

from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.search import SearchScreen
from pi87_field.tui.screens.section_picker import SectionPicker
from pi87_field.tui.widgets.navigator import QuestionNavigator

CASE = "ec08-insup"


def begin(store: ProjectStore, pid: str = CASE):
    interview = store.list_interviews(pid)[0]
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    return interview


def messages(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


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
        await pilot.pause(0.3)
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


async def test_brackets_in_filter_search_and_titles_are_plain_text(app):
    interview = begin(app.store)
    app.store.save_answer(CASE, interview.id, interview.question_texts and next(iter(interview.question_texts)),
                          "Voir [annexe 2] et [/b] fin", author="x")
    project = app.store.get_project("ec07-arml-basse-normandie")
    project.title = "Titre [rouge] avec [/i] crochets"
    project.label = "Nom [rouge] avec [/i] crochets"  # at 80 columns the label stands for the title
    app.store.save_project(project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"[/b")                       # used to raise MarkupError
        await pilot.pause()
        assert "[/b" in str(app.screen.query_one("#home-status", Static).render())
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"arml")
        table = app.screen.query_one(DataTable)
        assert "[rouge]" in str(table.get_cell("ec07-arml-basse-normandie", "label"))  # not eaten as a style
        await pilot.press("ctrl+f")
        await pilot.press(*"annexe")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await wait_until(pilot, lambda: search.hits)
        assert "[annexe 2]" in str(search.query_one(DataTable).get_row_at(0)[3])
        assert "1 réponse contient" in str(search.query_one("#search-status", Static).render())
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"rouge")
        await pilot.pause(0.5)                           # palette search over the titles
        assert app.is_running


def damage(path, keep: int = 40) -> bytes:
    data = path.read_bytes()[:keep]
    path.write_bytes(data)
    return data


async def test_damaged_interview_and_project_files_are_named_and_kept(store, data_dir):
    interview = store.list_interviews("ec01-pole-emploi-dg")[0]
    bad_interview = store.interview_file("ec01-pole-emploi-dg", interview.id)
    bad_project = store.project_file("ec02-mef-auxerrois")
    kept_interview, kept_project = damage(bad_interview), damage(bad_project)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await wait_until(pilot, lambda: home.progress)
        await pilot.pause()
        said = " ".join(messages(app))
        assert bad_interview.name in said and "project.json" in said
        assert "2 fichier(s) endommagé(s)" in str(home.query_one("#home-status", Static).render())
        await open_project(pilot, "pole emploi")
        status = str(app.screen.query_one("#project-status", Static).render())
        assert bad_interview.name in status
        await pilot.press("ctrl+n")                     # a new interview next to the damaged one
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert bad_interview.read_bytes() == kept_interview
    assert bad_project.read_bytes() == kept_project


async def test_filter_by_the_codes_of_the_type_column(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        await pilot.press("E", "Q")
        assert table.row_count == 1
        await pilot.press("backspace", "backspace", *"ec2")
        assert table.row_count == 2


def table_width(table: DataTable) -> int:
    return sum(c.get_render_width(table) for c in table.columns.values())


async def test_tables_shrink_with_the_terminal(app):
    begin(app.store)
    async with app.run_test(size=(120, 30)) as pilot:
        home = app.screen
        await wait_until(pilot, lambda: home.progress)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert table_width(home.query_one(DataTable)) <= 60
        await open_project(pilot, "qualit")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert table_width(app.screen.query_one(DataTable)) <= 80


async def test_ctrl_c_outside_a_text_field_answers_in_french(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("ctrl+q" in m and "appuyez" in m for m in messages(app))
        assert not any("Press" in m for m in messages(app))


async def test_finish_is_in_the_footer_on_the_last_question_and_works_anywhere(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        keys = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert "finish" not in keys and "next_question" in keys
        screen.show_question(len(screen.slots) - 1)
        await pilot.pause()
        keys = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert "finish" in keys and "next_question" not in keys
        screen.show_question(2)
        await pilot.press("ctrl+t")                     # not the last question: still finishes
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.store.list_interviews(CASE)[0].status == InterviewStatus.COMPLETE


async def test_refusal_toast_does_not_stay_over_the_grid(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")                     # no consent yet: refused
        await pilot.pause()
        assert any("consentement" in m for m in messages(app))
        await pilot.press("escape")
        await pilot.pause()
        await start_planned_interview(pilot)
        assert not any("Fiche incomplète" in m for m in messages(app))


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


async def test_bad_date_says_invalid(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await pilot.pause()
        date = app.screen.query_one("#n-date", Input)
        date.value = "31/02/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Date invalide" in m for m in messages(app))
