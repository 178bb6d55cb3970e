"""Conflicts settled in the TUI (issue 11 item 7) and an answer's history restored (item 8)."""

from __future__ import annotations

import time

from textual.widgets import OptionList, Static

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.model import Answer, AnswerState, AnswerVersion, InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.core.word.read import read_writeup
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.versions import VersionsScreen
from tests.tui.tui_helpers import fixed_clock, type_text, wait_until

CASE = "ec08-insup"
QID = "structure.presentation"


def conflicted(store: ProjectStore) -> str:
    interview = store.list_interviews(CASE)[0]
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    interview.answers[QID] = Answer(
        text="Version de Marie", author="Marie", updated_at="2026-11-27T04:40:00+00:00",
        concurrent=[AnswerVersion(text="Version de Jean, différente", state=AnswerState.ANSWERED,
                                  updated_at="2026-11-27T04:48:57+00:00", author="Jean", source="jean.docx")])
    store.save_interview(interview)
    return interview.id


async def open_versions(pilot, app, iid: str) -> VersionsScreen:
    await pilot.pause()
    app.open_interview(CASE, iid, QID)
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
    return app.screen


async def test_choosing_a_version_settles_the_conflict_everywhere(app, store, tmp_path):
    iid = conflicted(store)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_versions(pilot, app, iid)
        title = str(dialog.query_one("#versions-title").render())
        assert "INSUP" in title and "1.1" in title and iid not in title and CASE not in title
        listing = " ".join(str(dialog.query_one(OptionList).get_option_at_index(i).prompt)
                           for i in range(dialog.query_one(OptionList).option_count))
        assert "27/11/2026 à" in listing and "2026-11-27" not in listing and "+00:00" not in listing
        assert dialog.query_one(OptionList).highlighted == 1      # the concurrent version
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        screen = app.screen
        assert screen.editor.text == "Version de Jean, différente"
        assert not screen.query_one("#concurrent-versions", Static).display
        await type_text(pilot, " !")                            # typing after it is a plain edit
        await pilot.press("escape")
        await pilot.pause()
    answer = store.get_interview(CASE, iid).answers[QID]
    assert answer.text == "Version de Jean, différente !" and answer.concurrent == []
    assert "Version de Marie" in [e.text for e in store.history.earlier_texts(CASE, iid, QID)]
    writeup = export_project(store, CASE, tmp_path, "docx")
    read = read_writeup(writeup)
    assert read.bundle.interviews[0].answers[QID].concurrent == []


async def test_edit_then_mark_the_conflict_resolved(app, store):
    iid = conflicted(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_versions(pilot, app, iid)
        await pilot.press("e")
        await pilot.pause()
        await type_text(pilot, " et celle de Marie")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.editor.text == "Version de Jean, différente et celle de Marie"
    answer = store.get_interview(CASE, iid).answers[QID]
    assert answer.text == "Version de Jean, différente et celle de Marie" and answer.concurrent == []


async def test_history_restores_an_earlier_text_as_a_new_revision(app, store):
    interview = store.list_interviews(CASE)[0]
    store.save_answer(CASE, interview.id, QID, "Premier texte", author="Camille")
    store.save_answer(CASE, interview.id, QID, "Texte remplacé par erreur", author="Jean")
    replaced = store.get_interview(CASE, interview.id).answers[QID]
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_versions(pilot, app, interview.id)
        options = dialog.query_one(OptionList)
        assert options.option_count == 2 and options.highlighted == 0
        await pilot.press("down")
        assert "Premier texte" in str(dialog.query_one("#versions-preview").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.editor.text == "Premier texte"
    answer = store.get_interview(CASE, interview.id).answers[QID]
    assert answer.text == "Premier texte"
    assert replaced.rev in answer.ancestors                   # a new revision over the replaced one
    assert "Texte remplacé par erreur" in [e.text for e in store.history.earlier_texts(CASE, interview.id, QID)]


def test_conflict_resolution_snapshot(snap_compare, store, monkeypatch):
    # Local French time, whatever the machine's zone (POSIX rule: no tz database needed).
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    iid = conflicted(store)
    app = make_app(store, interviewer="Camille", clock=fixed_clock)

    async def ready(pilot):
        await open_versions(pilot, app, iid)
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
    finally:
        monkeypatch.undo()
        time.tzset()
