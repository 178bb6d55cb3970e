"""Chapter 4 in the TUI: conclusions and préconisations written in the full-size editor, citations
inserted from the picker (never typed), sources, and settling two leads' versions — keyboard only."""

from __future__ import annotations

import json

import pytest
from textual.widgets import TextArea
from tests.tui.tui_helpers import fixed_clock, type_text, wait_until

from pi87_field.core.demo import fill_demo
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace
from pi87_field.core.synthesis.exchange import export_synthesis
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.chapter4 import (
    CitationPicker,
    ConclusionsScreen,
    RecommendationsScreen,
    SettleDialog,
    SourceDialog,
    SourcesScreen,
    TextEditorScreen,
)
from pi87_field.tui.screens.evaluative_question import EvaluativeQuestionScreen
from pi87_field.tui.screens.help import HelpScreen
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.synthesis import SynthesisScreen


def _pin_one(store) -> str:
    """A passage of an answer to a grid question mapped to efficacité, pinned: its key."""
    ws = Workspace(store)
    eq = ws.framework.question("efficacite")
    for project in ws.projects:
        for interview in ws.interviews(project.id):
            for qid in eq.mapped_ids:
                answer = interview.answers.get(qid)
                if answer is not None and answer.text.strip():
                    quote = answer.text.strip().split(".")[0]
                    return ws.synthesis.pin_evidence(project.id, interview.id, qid, quote,
                                                     supports=["efficacite"]).key
    raise AssertionError("the demo answers no grid question mapped to efficacité")


@pytest.fixture
def demo_app(store):
    fill_demo(store)
    store.pinned_key = _pin_one(store)
    return make_app(store, interviewer="Cheffe A", clock=fixed_clock)


async def _synthesis(pilot) -> SynthesisScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("ctrl+g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SynthesisScreen))
    return pilot.app.screen


async def _write(pilot, text: str, cite: str | None = None) -> None:
    """In the open editor: type, optionally cite (filter the picker, Entrée), then Échap."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextEditorScreen))
    await type_text(pilot, text)
    if cite is not None:
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CitationPicker))
        await type_text(pilot, cite)
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextEditorScreen))
    await pilot.press("escape")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_write_conclusions_and_preconisations_with_citations(demo_app, store, size):
    key = store.pinned_key
    async with demo_app.run_test(size=size) as pilot:
        await _synthesis(pilot)
        # a document first
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SourcesScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SourceDialog))
        await type_text(pilot, "mdfse-2019")
        await pilot.press("enter")
        await type_text(pilot, "Extraction Ma Demarche FSE")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SourcesScreen))
        await pilot.press("escape")
        # §4.1: one atout citing a passage, one limite
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SynthesisScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConclusionsScreen))
        await pilot.press("a")
        await _write(pilot, "Un positionnement pertinent", cite=key)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConclusionsScreen))
        await pilot.press("l")
        await _write(pilot, "Une faible visibilite", cite="mdfse")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConclusionsScreen))
        await pilot.press("escape")
        # §4.2: one préconisation with two sub-points, resting on the limite
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SynthesisScreen))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecommendationsScreen))
        await pilot.press("n")
        await _write(pilot, "Mieux affirmer les objectifs")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecommendationsScreen))
        for sub in ("Identifier les themes", "Travailler en amont"):
            await pilot.press("a")
            await _write(pilot, sub)
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecommendationsScreen))
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        assert "chapitre 4" in str(pilot.app.screen.query_one("#help-dialog").children[2].render())
        await pilot.press("escape")
    ws = Workspace(store)
    c = ws.synthesis.conclusions()
    assert [(f.kind, f.text) for f in c.findings][-2:] == [
        ("atout", f"Un positionnement pertinent [@{key}]"), ("limite", "Une faible visibilite [@mdfse-2019]")]
    [r] = ws.synthesis.recommendations()
    assert r.text == "Mieux affirmer les objectifs" and r.subpoints == ["Identifier les themes", "Travailler en amont"]
    assert ws.synthesis.unknown_keys() == []


async def test_the_explanation_opens_full_size_and_cites(demo_app, store):
    key = store.pinned_key
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _synthesis(pilot)
        await pilot.press("down", "enter")      # efficacité
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextEditorScreen))
        area = pilot.app.screen.query_one(TextArea)
        assert area.size.width >= 76 and area.size.height >= 18     # not 26×5 any more
        # the picker lists this question's passages first
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CitationPicker))
        first = pilot.app.screen.choices[0]
        assert first[0] == "Passages de cette question"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextEditorScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
    explanation = Workspace(store).judgement("efficacite").explanation
    assert explanation.endswith(f"[@{first[1]}]") and key


async def test_settle_two_leads_preconisations_by_merging(demo_app, store, tmp_path):
    ws = Workspace(store)
    ws.synthesis.save_recommendation("p1", "Version de départ.", [], [])
    other = ProjectStore.open(tmp_path / "autre")
    (tmp_path / "a.json").write_text(json.dumps(export_synthesis(ws), ensure_ascii=False), encoding="utf-8")
    assert import_files(other, [tmp_path / "a.json"]).ok
    other_ws = Workspace(other)
    other_ws.synthesis.save_recommendation("p1", "Version de la cheffe B, plus longue. " * 40, ["b1"], [],
                                           author="Cheffe B")
    (tmp_path / "b.json").write_text(json.dumps(export_synthesis(other_ws), ensure_ascii=False), encoding="utf-8")
    other.close()
    ws.synthesis.save_recommendation("p1", "Version de la cheffe A.", ["a1"], [], author="Cheffe A")
    report = import_files(store, [tmp_path / "b.json"])
    assert any(c.outcome.value == "conflict" and "préconisation p1" in c.question_id for c in report.conflicts)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _synthesis(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecommendationsScreen))
        assert pilot.app.screen.check_action("versions", ()) is True      # "v Versions" in the footer
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettleDialog))
        dialog = pilot.app.screen
        theirs = dialog.query_one("#settle-theirs")
        assert theirs.max_scroll_y > 0            # a long version scrolls at 80×24
        await pilot.press("tab", "pagedown")
        await wait_until(pilot, lambda: theirs.scroll_y > 0)
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextEditorScreen))
        await pilot.press("escape")            # keep the drafted merge
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecommendationsScreen))
    [r] = Workspace(store).synthesis.recommendations()
    assert not r.concurrent and r.text.startswith("Version de la cheffe A.") and "cheffe B" in r.text
    assert r.subpoints == ["a1", "b1"] and r.extra["settled_by"] == "Cheffe A"


async def test_an_answer_with_two_versions_is_flagged_where_it_can_be_pinned(demo_app, store):
    from pi87_field.core.model import AnswerVersion
    from pi87_field.tui.screens.evaluative_question import PinDialog

    ws = Workspace(store)
    # the first case's answer to efficacité's first mapped grid question gets a concurrent version
    eq = ws.framework.question("efficacite")
    target = None
    for project in ws.projects_for_guide(eq.mapping[0].guide_id):
        for interview in ws.interviews(project.id):
            answer = interview.answers.get(eq.mapping[0].question_id)
            if answer is not None and answer.text.strip():
                target = (project.id, interview, answer)
                break
        if target:
            break
    assert target is not None
    pid, interview, answer = target
    answer.concurrent.append(AnswerVersion(text="Une autre version du même passage.", state=answer.state,
                                           updated_at="2019-10-20T10:00:00+02:00", author="Bruno Lefèvre"))
    store.save_interview(interview, touch=False)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _synthesis(pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        reader = pilot.app.screen.query_one("#eq-reader", TextArea)
        assert "⚠ conflit : 2 versions de cette réponse" in reader.text and "Bruno Lefèvre" in reader.text
        row = next(s.start for s in pilot.app.screen.segments if s.interview_id == interview.id)
        reader.move_cursor((row, 0))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PinDialog))
        assert "⚠ conflit" in str(pilot.app.screen.query_one("#pin-warning").render())
        await pilot.press("escape")
