"""One interview, one screen; saves checked against the revision the editor started from; an
import refreshes what is open (issue 9 item 1: the same interview open twice lost answers)."""

from __future__ import annotations

from textual.widgets import Input

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.store import ProjectStore
from pi87_field.tui.screens.import_files import ImportScreen
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.search import SearchScreen
from tests.tui.tui_helpers import open_project, start_planned_interview, type_text, wait_until, run_from_palette

CASE = "ec08-insup"
QID = "structure.presentation"


def stored(store: ProjectStore, iid: str, qid: str = QID):
    return store.get_interview(CASE, iid).answers[qid]


def interview_screens(app) -> list[InterviewScreen]:
    return [s for s in app.screen_stack if isinstance(s, InterviewScreen)]


async def test_search_enter_on_the_open_interview_brings_its_screen_back(app, store):
    """Defect it pins: ctrl+f then Enter on an answer of the open interview pushed a second
    screen on it; typing there, Escape, typing on the first screen overwrote the newer text."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        first = await start_planned_interview(pilot)
        iid = first.interview_id
        await type_text(pilot, "Version un")
        await wait_until(pilot, lambda: first.editing.dirty_since is None)
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, "version")
        await wait_until(pilot, lambda: search.hits)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is first                        # the same screen, not a second one
        assert interview_screens(app) == [first]
        await type_text(pilot, " plus")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert stored(store, iid).text == "Version un plus"
        await pilot.press("enter")                        # open it again from the project
        await pilot.pause()
        again = app.screen
        assert isinstance(again, InterviewScreen)
        await pilot.press("alt+up")                      # it resumes on the next unanswered one
        await pilot.pause()
        assert again.current.qid == QID
        assert again.editor.text == "Version un plus"
        await type_text(pilot, " fin")
        await pilot.press("escape")
        await pilot.pause()
    assert stored(store, iid).text == "Version un plus fin"
    assert stored(store, iid).concurrent == []


async def test_palette_open_of_the_same_project_then_interview_comes_back_to_it(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        first = await start_planned_interview(pilot)
        await type_text(pilot, "Premier")
        await run_from_palette(pilot, "ouvrir insup", expect="insup")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen is not first)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is first
        assert interview_screens(app) == [first]
        await type_text(pilot, " mot")
        await pilot.press("escape")
        await pilot.pause()
    assert stored(store, first.interview_id).text == "Premier mot"


async def test_a_save_over_an_answer_changed_under_the_editor_keeps_both(app, store):
    """Defect it pins: a stale editor's next keystroke overwrote the newer stored answer."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        iid = screen.interview_id
        await type_text(pilot, "abc")
        await wait_until(pilot, lambda: screen.editing.dirty_since is None)
        store.save_answer(CASE, iid, QID, "Texte écrit ailleurs", author="Jean")
        await type_text(pilot, "d")
        await wait_until(pilot, lambda: screen.editing.dirty_since is None)
        answer = stored(store, iid)
        assert answer.text == "abcd"
        assert [v.text for v in answer.concurrent] == ["Texte écrit ailleurs"]
        assert screen.query_one("#concurrent-versions").display
        assert any(n.title == "Conflit" for n in app._notifications)


async def test_an_import_while_the_interview_is_open_refreshes_the_editor(app, store, tmp_path):
    """Defect it pins: the open editor kept the old text after an import from the palette, and
    the next keystroke overwrote the imported answer."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        screen = await start_planned_interview(pilot)
        iid = screen.interview_id
        await type_text(pilot, "Texte local")
        await wait_until(pilot, lambda: screen.editing.dirty_since is None)
        # A colleague imports our bundle, continues the answer, and sends it back.
        mine = export_project(store, CASE, tmp_path / "mine", "json")
        other = ProjectStore.open(tmp_path / "other", durable=False)
        import_files(other, [mine])
        other.save_answer(CASE, iid, QID, "Texte local, complété par Jean", author="Jean")
        theirs = export_project(other, CASE, tmp_path / "theirs", "json")
        other.close()
        await run_from_palette(pilot, "importer des fichiers", expect="Importer des fichiers")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.screen.query_one(Input).value = str(theirs)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.editor.text == "Texte local, complété par Jean"
        await type_text(pilot, " et moi")
        await pilot.press("escape")
        await pilot.pause()
    answer = stored(store, iid)
    assert answer.text == "Texte local, complété par Jean et moi"
    assert answer.concurrent == []
