"""The lead's synthesis screens (Synthèse, one evaluative question, the matrix), keyboard only."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select, TextArea
from tests.tui.tui_helpers import fixed_clock, type_text, wait_until, run_from_palette, rewrite_answer

from pi87_field.core.demo import fill_demo
from pi87_field.core.synthesis import EVIDENCE_CHANGED
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.evaluative_question import EvaluativeQuestionScreen, PinDialog
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.matrix import CellScreen, MatrixScreen
from pi87_field.tui.screens.synthesis import SynthesisScreen
from pi87_field.tui.widgets.tag_input import TagInput

LUNEVILLE = "ec05-ml-lunevillois"


@pytest.fixture
def demo_app(store):
    fill_demo(store)
    return make_app(store, interviewer="Cheffe d'équipe", clock=fixed_clock)


def _table_text(table: DataTable) -> str:
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(r)) for r in range(table.row_count))


async def _open_synthesis(pilot) -> SynthesisScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("ctrl+g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SynthesisScreen))
    return pilot.app.screen


async def test_synthesis_screen_lists_the_five_questions(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await _open_synthesis(pilot)
        text = _table_text(screen.query_one(DataTable))
        for registre in ("Pertinence", "Efficacité / impact", "Efficience (et mise en œuvre)",
                         "Cohérence interne et externe", "Innovation"):
            assert registre in text
        assert "non évalué" in text and "0/9" in text     # every project of the campaign is concerned
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        assert pilot.app.screen.question_id == "efficacite"


async def test_reachable_from_the_palette(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
        await run_from_palette(pilot, "matrice questions", expect="matrice")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen))


async def _line_of(reader: TextArea, needle: str) -> int:
    return next(n for n in range(reader.document.line_count) if needle in reader.document.get_line(n))


async def test_pin_a_passage_rate_and_explain_then_see_it_go_stale(demo_app, store):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _open_synthesis(pilot)
        await pilot.press("enter")   # Pertinence
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        screen = pilot.app.screen
        reader = screen.query_one("#eq-reader", TextArea)
        assert reader.has_focus
        # every case's answer to the first mapped grid question, qualitative ones under their own
        assert "Lunévillois · Atout Emploi" in reader.text and "prospecter les entreprises locales" in reader.text
        row = await _line_of(reader, "l'opération ATOUT EMPLOI a pour but")
        for _ in range(6):   # `n`: from answer to answer, down to the Lunévillois one
            if reader.cursor_location[0] >= row:
                break
            await pilot.press("n")
        assert reader.cursor_location == (row, 0)
        start = reader.document.get_line(row).index("prospecter")
        reader.move_cursor((row, start))
        await pilot.press(*["shift+right"] * len("prospecter les entreprises locales"))
        assert reader.selected_text == "prospecter les entreprises locales"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PinDialog))
        await type_text(pilot, "OS1 : prat")
        await pilot.press("right")     # accepts the codebook's suggestion
        await pilot.pause()
        assert pilot.app.screen.query_one(TagInput).value == "OS1 : pratiques de placement"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        ws = demo_app.workspace
        [view] = ws.evidence_for("pertinence")
        assert view.evidence.quote == "prospecter les entreprises locales"
        assert view.evidence.tags == ["OS1 : pratiques de placement"] and view.evidence.author == "Cheffe d'équipe"
        assert "prospecter les entrepr" in _table_text(screen.query_one("#eq-evidence", DataTable))
        # the rating and the explanation, beside the evidence
        screen.query_one("#eq-rating", Select).focus()
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Besoins réels.")
        await pilot.press("escape")     # back: saves what was typed
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SynthesisScreen))
        judgement = ws.judgement("pertinence")
        assert (judgement.rating, judgement.explanation) == ("+++", "Besoins réels.")
        assert "+++" in _table_text(pilot.app.screen.query_one(DataTable))
        # the evaluator's answer changes after the passage was cited: "preuve modifiée" on screen
        iid = ws.interviews(LUNEVILLE)[0].id
        rewrite_answer(store, LUNEVILLE, iid, "projet.description", "L'opération recueille des offres en alternance.")
        pilot.app.screen.reload()
        await pilot.pause()
        synthesis_text = _table_text(pilot.app.screen.query_one(DataTable))
        assert synthesis_text.splitlines()[0].endswith("1")      # one item to review
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        evidence = _table_text(pilot.app.screen.query_one("#eq-evidence", DataTable))
        assert EVIDENCE_CHANGED in evidence and "⚠" in evidence


async def test_letters_type_in_the_explanation(demo_app):
    """`e`, `s`, `p`, `m` are commands in the reader, plain letters in the explanation."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _open_synthesis(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        screen = pilot.app.screen
        screen.query_one("#eq-explanation", TextArea).focus()
        await type_text(pilot, "mesps")
        assert screen.query_one("#eq-explanation", TextArea).text == "mesps"
        assert isinstance(pilot.app.screen, EvaluativeQuestionScreen)


async def test_matrix_keeps_the_question_column_and_names_questions_not_ids(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _open_synthesis(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen))
        matrix = pilot.app.screen
        table = matrix.query_one(DataTable)
        row = [q for _g, q, _t in matrix.rows].index("resultats.principaux")
        table.cursor_coordinate = (row, len(matrix.projects) - 1)
        await pilot.press("right")                                      # the last case, far right
        await wait_until(pilot, lambda: table.scroll_x > 0)
        first_label = str(table.get_cell_at((0, 0)))
        shown = "\n".join(str(line.text) for line in (table.render_line(y) for y in range(table.size.height)))
        assert first_label[:8] in shown                                  # the question column is still there
        pilot.app.push_screen(CellScreen(LUNEVILLE, "etude-de-cas", "resultats.principaux"))
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CellScreen) and pilot.app.screen.title)
        title = pilot.app.screen.title
        assert "resultats.principaux" not in title and "Principaux résultats du projet" in title


async def test_matrix_cell_summary_and_review(demo_app, store):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _open_synthesis(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen))
        matrix = pilot.app.screen
        table = matrix.query_one(DataTable)
        ws = demo_app.workspace
        column = 1 + [p.id for p in matrix.projects].index(LUNEVILLE)
        row = [q for _g, q, _t in matrix.rows].index("resultats.principaux")
        table.cursor_coordinate = (row, column)
        await pilot.pause()
        assert "Des offres d'emploi" in str(table.get_cell_at((row, column)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CellScreen))
        cell = pilot.app.screen
        assert "répondu" in str(cell.query_one("#cell-answers").render())
        await type_text(pilot, "Offres en alternance recueillies.")
        await pilot.press("tab")
        await type_text(pilot, "essai")
        await pilot.press("right")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MatrixScreen))
        summary = ws.summary(LUNEVILLE, "resultats.principaux")
        assert summary.text == "Offres en alternance recueillies." and summary.tags == ["essaimage"]
        assert str(table.get_cell_at((row, column))).startswith("✎ Offres")
        assert table.cursor_coordinate == (row, column)
        iid = ws.interviews(LUNEVILLE)[0].id
        rewrite_answer(store, LUNEVILLE, iid, "resultats.principaux", "Chiffres revus.")
        matrix.on_screen_resume()
        await pilot.pause()
        assert str(table.get_cell_at((row, column))).startswith("⚠✎")


async def test_reader_pages_through_many_cases(demo_app, monkeypatch):
    """A page of the reader holds PAGE_SIZE interviews; `n` past the last answer opens the next
    page, `N` before the first goes back; a cited passage opens on its own page."""
    import pi87_field.tui.screens.evaluative_question as eq_module

    monkeypatch.setattr(eq_module, "PAGE_SIZE", 2)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await _open_synthesis(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvaluativeQuestionScreen))
        screen = pilot.app.screen
        reader = screen.query_one("#eq-reader", TextArea)
        assert screen.pages > 1 and screen.page == 0
        assert "Lunévillois" not in reader.text              # on a later page
        for _ in range(8):
            if "Lunévillois" in reader.text:
                break
            await pilot.press("n")
        assert screen.page > 0 and "Lunévillois" in reader.text
        page = screen.page
        for _ in range(4):
            await pilot.press("N")
        assert screen.page < page
