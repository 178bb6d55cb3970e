"""User text is never Rich markup: brackets in the filter, in search and in titles stay plain text."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from pi87_field.tui.screens.search import SearchScreen
from tests.tui.tui_helpers import CASE, begin, wait_until, run_from_palette


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
        assert "1 réponse ou note contient" in str(search.query_one("#search-status", Static).render())
        await run_from_palette(pilot, "rouge", expect="rouge")   # palette search over the titles
        assert app.is_running
