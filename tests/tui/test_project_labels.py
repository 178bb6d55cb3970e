"""Item 1 of issue 11: every project told apart at 80 columns by its short label, used in the
home table, screen titles, palette and search, and editable in the facts form.

Defect it pins: at 80x24 the home table showed "Maison de l'Em…" three times and "Mission
locale…": Auxerrois could not be told from Vitré, and Lunévillois could not be found."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from pi87_field.core.campaign import CASE_STUDY_LABELS
from pi87_field.core.model import InterviewStatus
from pi87_field.tui.screens.facts import FactsScreen
from pi87_field.tui.screens.home import ProjectTable
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.search import SearchScreen
from tests.tui.tui_helpers import open_project, wait_until


def shown_text(cell) -> str:
    return getattr(cell, "plain", cell)


async def test_all_case_studies_are_told_apart_at_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await wait_until(pilot, lambda: home.progress)
        table = home.query_one(ProjectTable)
        labels = [shown_text(table.get_row(pid)[1]) for pid in CASE_STUDY_LABELS]
        assert labels == list(CASE_STUDY_LABELS.values())  # whole, not clipped
        assert len(set(labels)) == 8
        # Each row is on screen: 9 projects, a header row, in a 24-line terminal.
        assert table.region.height >= 10


async def test_labels_are_in_the_reports_words():
    words = {"ec02-mef-auxerrois": "Auxerrois", "ec03-meef-vitre": "Vitré",
             "ec05-ml-lunevillois": "Lunévillois", "ec08-insup": "INSUP"}
    for pid, word in words.items():
        assert word in CASE_STUDY_LABELS[pid]


async def test_project_screen_title_is_the_label_not_the_id(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_project(pilot, "lunev")
        assert screen.sub_title == "Lunévillois · Atout Emploi"
        assert "ec05" not in screen.sub_title


async def test_palette_matches_without_accents_or_case(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"ouvrir lunev")
        palette = app.screen

        def first_hit() -> str:
            option_list = palette.query_one("CommandList")
            return str(option_list.get_option_at_index(0).prompt) if option_list.option_count else ""

        await wait_until(pilot, lambda: "Lunévillois" in first_hit())
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert app.screen.project_id == "ec05-ml-lunevillois"


async def test_label_is_editable_in_the_facts_form(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_project(pilot, "insup")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FactsScreen)
        field = app.screen.query_one("#f-label", Input)
        assert field.value == "INSUP · TCC Garantie Jeunes"
        field.value = "INSUP · outil TCC"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        assert store.get_project("ec08-insup").label == "INSUP · outil TCC"
        assert screen.sub_title == "INSUP · outil TCC"


async def test_search_results_show_label_and_question_number(app, store):
    interview = store.list_interviews("ec05-ml-lunevillois")[0]
    interview.consent, interview.status = True, InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.save_answer("ec05-ml-lunevillois", interview.id, "budget.cout", "Cofinancement intérim", author="A")
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"interim")
        await wait_until(pilot, lambda: search.hits)
        row = search.query_one("#search-table").get_row("0")
        assert shown_text(row[0]).startswith("Lunévillois")
        assert shown_text(row[2]) == store.guide_for(interview.guide_id).number("budget.cout")
        assert shown_text(row[2])[0].isdigit() and "." in shown_text(row[2])
