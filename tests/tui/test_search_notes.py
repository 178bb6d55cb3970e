"""Search covers the interviews' notes (issue 20): "intérim" written only in the notes is found,
and opening the hit shows the notes."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from pi87_field.core.model import INTERVIEW_NOTES
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.search import SearchScreen
from tests.tui.tui_helpers import CASE, begin, wait_until


def test_store_search_finds_a_word_of_the_notes(store):
    interview = begin(store)
    store.life_cycle.save_notes(CASE, interview.id, "Rappeler l'agence d'Intérim de Lunéville")
    hits = store.search("interim")
    assert [(h.interview_id, h.question_id) for h in hits] == [(interview.id, INTERVIEW_NOTES)]
    assert "Intérim" in hits[0].excerpt[hits[0].match_start:hits[0].match_end]


async def test_a_hit_in_the_notes_opens_them(app):
    interview = begin(app.store)
    app.store.life_cycle.save_notes(CASE, interview.id, "Rappeler l'agence d'intérim")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.press(*"intérim")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await wait_until(pilot, lambda: search.hits)
        assert str(search.query_one(DataTable).get_row_at(0)[2]) == "Notes"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.slots)
        notes = app.screen.query_one("#notes-editor", TextArea)
        await wait_until(pilot, lambda: notes.has_focus)
        await pilot.press("escape")                       # Échap in the notes folds them away
        await wait_until(pilot, lambda: not notes.display or notes.has_class("-hidden"))
        assert isinstance(app.screen, InterviewScreen)
