"""Snapshots of the three synthesis screens at 80x24 (demo data, one cited passage gone stale).

Update after an intended change: pytest tests/tui/test_synthesis_snapshots.py --snapshot-update"""

from __future__ import annotations

from tests.tui.tui_helpers import fixed_clock, steady_cursors, wait_until, rewrite_answer

from pi87_field.core.demo import fill_demo
from pi87_field.core.synthesis import Workspace
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.evaluative_question import EvaluativeQuestionScreen
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.matrix import MatrixScreen
from pi87_field.tui.screens.synthesis import SynthesisScreen

LUNEVILLE = "ec05-ml-lunevillois"
AUXERRE = "ec02-mef-auxerrois"


def prepare(store) -> None:
    fill_demo(store)
    ws = Workspace(store)
    lun = ws.interviews(LUNEVILLE)[0].id
    aux = ws.interviews(AUXERRE)[0].id
    ws.synthesis.pin_evidence(LUNEVILLE, lun, "projet.description", "prospecter les entreprises locales",
                              supports=["pertinence"], tags=["OS1 : pratiques de placement"])
    ws.synthesis.pin_evidence(AUXERRE, aux, "projet.description", "recueillir les besoins (souvent non exprimés)",
                              supports=["pertinence", "innovation"], tags=["expérimentation"])
    ws.synthesis.pin_evidence(LUNEVILLE, lun, "projet.publics-vises", "mieux accompagnées",
                              supports=["pertinence"])
    ws.synthesis.save_judgement("pertinence", "+++", "Des besoins réels : relation aux entreprises, publics "
                                "vulnérables, numérique.")
    ws.synthesis.save_summary(AUXERRE, "projet.description", "Prospection par les demandeurs eux-mêmes.",
                              ["essaimage"])
    # the evaluator rewrites an answer after a passage was cited from it
    rewrite_answer(store, LUNEVILLE, lun, "projet.publics-vises", "Les jeunes suivis par la Mission locale.")


async def _still(pilot) -> None:
    steady_cursors(pilot.app)
    await pilot.pause()


def test_synthesis_screen(snap_compare, store):
    prepare(store)
    app = make_app(store, interviewer="Cheffe", clock=fixed_clock)

    async def ready(pilot):
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SynthesisScreen))
        await _still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_evaluative_question_screen(snap_compare, store):
    prepare(store)
    app = make_app(store, interviewer="Cheffe", clock=fixed_clock)

    async def ready(pilot):
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SynthesisScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EvaluativeQuestionScreen))
        await _still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_matrix_screen(snap_compare, store):
    prepare(store)
    app = make_app(store, interviewer="Cheffe", clock=fixed_clock)

    async def ready(pilot):
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SynthesisScreen))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MatrixScreen))
        await pilot.press("down", "down", "down", "down", "right", "right")
        await _still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
