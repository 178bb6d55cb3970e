"""The home screen: damaged files named, the type-code filter, tables that shrink with the terminal."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from pi87_field.tui.app import make_app
from tests.tui.tui_helpers import begin, fixed_clock, messages, open_project, wait_until


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
        assert "2 fichiers endommagés" in str(home.query_one("#home-status", Static).render())
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


async def test_figures_follow_a_saved_answer_and_the_synthesis_reading_waits_for_them(store):
    """The home's figures come from the store's progress facts, kept up to date by every save;
    the interviews are read for the synthesis screens only once the figures are in."""
    project = next(p for p in store.list_projects() if p.guide_id == "etude-de-cas")
    interview = store.list_interviews(project.id)[0]
    app = make_app(store, interviewer="Camille", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await wait_until(pilot, lambda: home.progress)
        before = home.progress[project.id].answered
        await wait_until(pilot, lambda: app._workspace is not None)
        store.save_answer(project.id, interview.id, "structure.presentation", "Une ML rurale.", author="Camille")
        home.reload()
        await wait_until(pilot, lambda: home.progress[project.id].answered == before + 1)
