"""The transcript pane of the interview screen (DESIGN §8): toggled with F8 at 80x24 with the
answer still usable, the current question's passages with time and speaker, passages inserted
into the answer as « … » [hh:mm:ss], a shift that cuts again, an import from the palette with a
confirmation before replacing, and what's left listing answered-by-the-recording questions."""

from __future__ import annotations

from textual.widgets import OptionList

from pi87_field.core.transcript import read_transcript_file, transcript_of
from pi87_field.tui.screens.dialogs import AskDialog, ConfirmDialog
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.widgets.transcript_pane import TranscriptPane
from tests.support.transcripts import CASE, TRANSCRIPTS, conducted
from tests.tui.tui_helpers import type_text, wait_until


def _with_transcript(store, name: str = "teams.vtt") -> str:
    iid = conducted(store)
    store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / name))
    return iid


async def _open(app, pilot, iid: str, question: str = "structure.presentation") -> InterviewScreen:
    app.open_interview(CASE, iid, question)
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.editor is not None)
    return app.screen


async def test_pane_shows_the_question_s_passages_and_fits_80x24(app, store):
    iid = _with_transcript(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid)
        pane = screen.query_one(TranscriptPane)
        assert not pane.display
        await pilot.press("f8")
        await wait_until(pilot, lambda: pane.display and pane.region.height > 0)
        listing = pane.query_one(OptionList)
        assert listing.option_count == 3 and listing.has_focus
        assert "00:00:04" in str(listing.get_option_at_index(0).prompt)
        assert "Claire Fontaine" in str(listing.get_option_at_index(0).prompt)
        # the editor keeps room to type, the pane sits inside the screen
        assert screen.editor.region.height >= 5
        assert pane.region.bottom <= 23
        # next question: its own passages
        await pilot.press("escape")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: screen.current.qid == "budget.cout")
        assert [s.start for s in pane.segments] == [310.0, 323.0]
        assert listing.option_count == 2


async def test_passages_go_into_two_answers_with_their_time(app, store):
    iid = _with_transcript(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid, "budget.cout")
        await type_text(pilot, "Budget :")        # the editor turns " :" into a no-break space and ":"
        await pilot.press("f8")
        pane = screen.query_one(TranscriptPane)
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count == 2)
        await pilot.press("space", "space", "i")     # both passages (space ticks and moves on), one quotation
        await wait_until(pilot, lambda: "»" in screen.editor.text)
        assert screen.editor.has_focus
        assert screen.editor.text == ("Budget\u00a0:\n«\u00a0Le budget total était de 328 318 €, dont la moitié en FSE. "
                                      "Le reste vient du conseil départemental.\u00a0» [00:05:10]\n")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: screen.current.qid == "role-fse.modernisation")
        pane.focus_list()
        await pilot.press("i")                                # the highlighted one
        await wait_until(pilot, lambda: "[00:13:05]" in screen.editor.text)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store.get_interview(CASE, iid).answers.get("role-fse.modernisation")
                         is not None)
    answers = store.get_interview(CASE, iid).answers
    assert answers["budget.cout"].text.rstrip().endswith("[00:05:10]")
    assert answers["role-fse.modernisation"].text.rstrip() == \
        "«\u00a0Sans le FSE, le projet n'aurait pas vu le jour sous cette forme.\u00a0» [00:13:05]"


async def test_shift_cuts_again_and_the_pane_follows(app, store):
    iid = _with_transcript(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid, "budget.cout")
        await pilot.press("f8")
        pane = screen.query_one(TranscriptPane)
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count == 2)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await type_text(pilot, "-420")       # 7 minutes earlier: 00:05:10 falls before the first visit,
        await pilot.press("enter")           # 00:13:05 in the budget question
        await wait_until(pilot, lambda: [s.start for s in pane.segments] == [785.0])
        assert pane.query_one(OptionList).option_count == 1
        assert transcript_of(store.get_interview(CASE, iid)).started_at == "2019-10-14T09:53:00+02:00"
        await pilot.press("h")               # the passages now in no visit are shown
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count > 0)


async def test_import_from_the_palette_and_confirm_before_replacing(app, store):
    iid = conducted(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid)
        screen.import_transcript()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*str(TRANSCRIPTS / "whisper.srt"), "enter", "enter")
        pane = screen.query_one(TranscriptPane)
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count == 2)
        assert transcript_of(store.get_interview(CASE, iid)).source == "whisper.srt"
        screen.import_transcript()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*str(TRANSCRIPTS / "teams.vtt"), "enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert transcript_of(store.get_interview(CASE, iid)).source == "whisper.srt"
        screen.import_transcript()
        await wait_until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*str(TRANSCRIPTS / "teams.vtt"), "enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("o")
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count == 3)
        assert transcript_of(store.get_interview(CASE, iid)).source == "teams.vtt"


async def test_the_lead_pins_a_passage_of_the_transcript(app, store):
    from textual.widgets import Checkbox

    from pi87_field.tui.screens.evaluative_question import PinDialog

    iid = _with_transcript(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid, "role-fse.modernisation")
        await pilot.press("f8")
        pane = screen.query_one(TranscriptPane)
        await wait_until(pilot, lambda: pane.query_one(OptionList).option_count == 1)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, PinDialog))
        app.screen.query_one("#pin-q-pertinence", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        evidence = app.workspace.synthesis.evidence()
    assert len(evidence) == 1 and evidence[0].source_label == "transcription, 00:13:05"
    assert evidence[0].supports == ["pertinence"] and evidence[0].question_id == "role-fse.modernisation"


async def test_a_long_question_is_listed_a_page_at_a_time(app, store):
    from pi87_field.core.transcript import parse_transcript
    from tests.support.transcripts import vtt as make_vtt

    iid = conducted(store)
    cues = [(320 + n * 5, 320 + n * 5 + 4, f"réplique {n}") for n in range(70)]   # all in budget.cout
    store.attach_transcript(CASE, iid, parse_transcript(make_vtt(cues).encode(), "long.vtt"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid, "budget.cout")
        await pilot.press("f8")
        pane = screen.query_one(TranscriptPane)
        listing = pane.query_one(OptionList)
        await wait_until(pilot, lambda: listing.option_count == 31)        # 30 passages + "↓ 40 passages après"
        listing.highlighted = 30
        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.offset_in_list == 30)
        assert listing.get_option_at_index(0).id == "prev" and listing.get_option_at_index(1).id == "s30"
        await pilot.press("space", "space", "i")
        await wait_until(pilot, lambda: "réplique 30 réplique 31" in screen.editor.text)


async def test_whats_left_lists_a_question_the_recording_covers_but_the_answer_does_not(app, store):
    iid = _with_transcript(store)
    store.save_answer(CASE, iid, "budget.cout", "", state="not_asked", author="Camille")
    store.save_answer(CASE, iid, "structure.effectifs", "", state="not_asked", author="Camille")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, iid)
        missing = {s.qid for s in screen.missing_slots()}
    assert "budget.cout" in missing                 # "non abordé", yet 2 passages in the recording
    assert "structure.effectifs" not in missing     # "non abordé" and nothing in the recording
