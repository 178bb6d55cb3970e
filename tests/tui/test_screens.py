"""Pilot tests of each screen's behaviour: filters, facts, consent, autosave, hostile text,
orphan answers, concurrent versions, search, palette, help, import, export."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

from textual.widgets import Checkbox, DataTable, Input

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.model import Answer, AnswerState, AnswerVersion, InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.facts import FactsScreen
from pi87_field.tui.screens.help import HelpScreen
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.interview import InterviewScreen
from pi87_field.tui.screens.new_interview import NewInterviewScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.search import SearchScreen
from pi87_field.tui.screens.versions import VersionsScreen
from pi87_field.tui.widgets.answer_editor import AnswerEditor
from pi87_field.tui.widgets.navigator import QuestionNavigator
from tests.tui.tui_helpers import fixed_clock, open_project, start_planned_interview, wait_until, run_from_palette

CASE = "ec08-insup"


def first_interview(store: ProjectStore, pid: str = CASE):
    return store.list_interviews(pid)[0]


def begin(store: ProjectStore, pid: str = CASE):
    """Start the planned interview of a case directly in the store (consent given)."""
    interview = first_interview(store, pid)
    interview.consent = True
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    return interview


async def test_home_lists_campaign_and_filters_as_you_type(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one(DataTable)
        assert table.row_count == 9
        await wait_until(pilot, lambda: home.progress)
        # Cells by column key: at 80 columns the title column gives way to the label (issue 11.1).
        assert "21\u00a0914,89\u00a0€" in table.get_cell("ec07-arml-basse-normandie", "amount")  # exact cents
        assert table.get_cell("ec07-arml-basse-normandie", "interviews") == "0/1"
        await pilot.press(*"insup")
        assert table.row_count == 1
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"os 2")
        assert table.row_count == 2                       # the two OS 2 case studies
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.project_id == "ec07-arml-basse-normandie"


async def test_facts_bad_amount_refused_good_amount_stored_exactly(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+t")
        await pilot.pause()
        facts = app.screen
        assert isinstance(facts, FactsScreen)
        amount = facts.query_one("#f-amount", Input)
        assert amount.value == "113\u00a0516,76\u00a0€"
        amount.value = "12 abc €"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is facts                       # refused, still editing
        assert amount.has_class("-invalid")
        assert any("Montant illisible" in n.message for n in app._notifications)
        assert store.get_project(CASE).fse_amount == Decimal("113516.76")
        amount.value = "21 914,89 €"
        facts.query_one("#f-region", Input).value = "Île-de-France"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
    project = store.get_project(CASE)
    assert project.fse_amount == Decimal("21914.89")
    assert project.region == "Île-de-France"


async def test_grid_does_not_open_without_consent(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        await pilot.press(*"Paul")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert app.focused is form.query_one("#n-consent", Checkbox)
        assert any("consentement" in n.message for n in app._notifications)
    assert first_interview(store).status == InterviewStatus.PLANNED


async def test_new_interview_form_several_interviewees_and_mode(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("n")      # the project has a planned interview: a second one on purpose
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        await pilot.press(*"Ana", "tab", *"Cheffe", "tab", *"INSUP")
        await pilot.press("ctrl+n")  # not ctrl+a: screen's prefix and line start (issue 11.10)
        await pilot.pause()
        await pilot.press(*"Bob", "tab", "tab", *"DIRECCTE")
        form.query_one("#n-date", Input).value = "15/10/2019"
        form.query_one("#n-mode").query("RadioButton")[2].value = True   # visio
        form.query_one("#n-consent", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    interviews = store.list_interviews(CASE)
    assert len(interviews) == 2
    new = next(i for i in interviews if i.interviewees and i.interviewees[0].name == "Ana")
    assert [(p.name, p.role, p.organisation) for p in new.interviewees] == [
        ("Ana", "Cheffe", "INSUP"), ("Bob", "", "DIRECCTE")]
    assert new.mode.value == "visio" and new.date.isoformat() == "2019-10-15"
    assert new.consent is True and new.guide_id == "etude-de-cas"
    assert new.question_texts["structure.presentation"] == "Présentation de la structure"


async def test_autosave_is_debounced_then_written_without_leaving(app, store):
    interview = begin(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"abc")
        # Right after typing nothing is written yet: the worker is still sleeping.
        assert "structure.presentation" not in store.get_interview(CASE, interview.id).answers
        assert "saisie" in str(screen.query_one("#save-status").render())
        await wait_until(pilot, lambda: "structure.presentation" in store.get_interview(CASE, interview.id).answers)
        assert store.get_interview(CASE, interview.id).answers["structure.presentation"].text == "abc"
        assert "enregistré à 10:05:00" in str(screen.query_one("#save-status").render())


async def test_continuous_typing_is_saved_at_least_every_second(app, store):
    interview = begin(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        saved = []
        for n in range(16):  # ~1.6 s of typing without a pause of 0.6 s
            await pilot.press("x")
            await asyncio.sleep(0.1)
            answer = store.get_interview(CASE, interview.id).answers.get("structure.presentation")
            saved.append(len(answer.text) if answer else 0)
        assert max(saved) >= 8, saved


async def test_hostile_text_is_stored_safely(app, store):
    interview = begin(store)
    hostile = "Ligne 1\r\nLigne 2\rfin\x00\x07\x1b[31m 😀👩🏽‍💻 עברית العربية\u202e\ufeff e\u0301"
    big = ("é" * 99 + "\n") * 1000
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        editor = app.screen.query_one(AnswerEditor)
        editor.insert(hostile)                           # as a paste would
        await pilot.press("ctrl+n")
        editor.insert(big)
        await pilot.press("ctrl+s")
        await pilot.pause()
    answers = store.get_interview(CASE, interview.id).answers
    text = answers["structure.presentation"].text
    assert "\r" not in text and "\x00" not in text and "\x07" not in text and "\x1b" not in text
    assert text.startswith("Ligne 1\nLigne 2\nfin")
    assert "😀👩🏽‍💻 עברית العربية" in text and text.endswith("\u00e9")   # NFC
    assert answers["structure.effectifs"].text == big  # 199 KB of accents, intact


async def test_answers_of_questions_not_in_guide_are_listed(app, store):
    interview = begin(store)
    interview.answers["ancienne.question"] = Answer(text="Réponse à une question retirée", author="X")
    interview.question_texts["ancienne.question"] = "Une question de l'ancienne grille"
    store.save_interview(interview)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        screen = app.screen
        nav = screen.query_one(QuestionNavigator)
        assert "Hors grille" in str(nav.root.children[-1].label)
        assert screen.slots[-1].qid == "ancienne.question"
        screen.show_question(len(screen.slots) - 1)
        await pilot.pause()
        assert screen.query_one(AnswerEditor).text == "Réponse à une question retirée"
        assert "Une question de l'ancienne grille" in str(screen.query_one("#question-text").render())


async def test_concurrent_versions_are_visible(app, store):
    interview = begin(store)
    interview.answers["structure.presentation"] = Answer(
        text="Version de Marie", author="Marie",
        concurrent=[AnswerVersion(text="Version de Jean, différente", state=AnswerState.ANSWERED,
                                  updated_at="2019-10-14T10:00:00+02:00", author="Jean", source="jean.docx")])
    store.save_interview(interview)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id, "structure.presentation")
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one("#concurrent-versions")
        assert panel.display
        assert "Jean" in str(panel.render()) and "1 version" in str(panel.render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+n")
        assert not panel.display
        assert screen.check_action("show_versions", ()) is False


async def test_prev_disabled_on_first_question_and_section_jump(app, store):
    interview = begin(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        screen = app.screen
        assert screen.index == 0
        assert screen.check_action("prev_question", ()) is None       # greyed out in the footer
        await pilot.press("ctrl+b")
        assert screen.index == 0
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert screen.current.qid == "effets.notables"
        assert "sur l’équipe qui a conduit ce projet" in str(screen.query_one("#question-text").render())


async def test_search_finds_answers_and_opens_them(app, store):
    interview = begin(store)
    store.save_answer(CASE, interview.id, "budget.cout", "Cofinancement par Pôle Emploi", author="A")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"pole emploi")
        await wait_until(pilot, lambda: search.hits)
        assert len(search.hits) == 1
        assert search.hits[0].question_id == "budget.cout"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.current.qid == "budget.cout"


async def test_palette_opens_a_project(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "ouvrir insup", expect="insup")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.project_id == CASE


async def test_help_lists_the_screen_keys(app, store):
    interview = begin(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id)
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert rows["f3"].startswith("Non abordé") and rows["ctrl+n, alt+down"].startswith("Suivante")
        assert "ctrl+q" in rows and "f1" in rows
        await pilot.press("escape")
        assert isinstance(app.screen, InterviewScreen)


async def test_import_from_home_with_a_path(app, store, tmp_path):
    # Another evaluator's bundle: same campaign, one answer typed on their laptop.
    other = ProjectStore.open(tmp_path / "other", durable=False)
    theirs = first_interview(other)
    other.save_answer(CASE, theirs.id, "structure.effectifs", "12 formateurs", author="Jean")
    bundle = export_project(other, CASE, tmp_path / "out", "json")
    other.close()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(bundle)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert isinstance(app.screen, HomeScreen)
    assert first_interview(store).answers["structure.effectifs"].text == "12 formateurs"


async def test_import_refuses_a_foreign_file_with_a_message(app, store, tmp_path):
    junk = tmp_path / "notes.json"
    junk.write_text(json.dumps({"hello": 1}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one(Input).value = str(junk)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app._notifications)
        assert app.screen is dialog                      # nothing imported: the dialog stays
        assert any(n.severity == "error" for n in app._notifications)


async def test_export_json_from_project_screen(app, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        path = app.export_project(CASE, "json")
        # Issue 11 item 13: into the data folder's exports location, not the working folder.
        assert path == store.root / "exports" / "ec08-insup.json"
        assert json.loads(path.read_text())["project"]["id"] == CASE


async def test_answers_survive_a_new_app_after_escape(store, data_dir):
    app = make_app(store, interviewer="A", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await start_planned_interview(pilot)
        await pilot.press(*"oui")
        await pilot.press("escape")                      # leaving the screen saves
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
    assert first_interview(store).answers["structure.presentation"].text == "oui"


async def test_search_excerpt_is_centred_and_the_match_highlighted(app, store):
    """Issue 11 item 12: the match in the middle of the excerpt, highlighted; text with "[b]"
    stays text."""
    from pi87_field.tui.screens.search import MATCH_STYLE

    interview = begin(store)
    text = "[b]Début " + "mot " * 60 + "Cofinancement Pôle Emploi" + " suite" * 60
    store.save_answer(CASE, interview.id, "budget.cout", text, author="A")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        await pilot.press(*"pole emploi")
        await wait_until(pilot, lambda: search.hits)
        table = search.query_one(DataTable)
        cell = table.get_row_at(0)[-1]
        plain = cell.plain
        assert "Pôle Emploi" in plain and plain.startswith("…") and plain.endswith("…")
        spans = [plain[s.start:s.end] for s in cell.spans if s.style == MATCH_STYLE]
        assert spans == ["Pôle Emploi"]


async def test_review_notes_are_shown_under_the_answer(app, store):
    """Word comments brought back by an import show under their answer, as text (no markup)."""
    from pi87_field.core.model import INTERVIEW_NOTES, ReviewNote

    interview = begin(store)
    interview.answers["structure.presentation"] = Answer(text="Une ML rurale", author="Marie")
    interview.review_notes = {
        "structure.presentation": [ReviewNote("Relectrice [b]Anne", "2019-10-20T08:00:00+00:00",
                                              "Vérifier [/b] le chiffre avec la DIRECCTE.")],
        INTERVIEW_NOTES: [ReviewNote("Paul", "", "Date à confirmer.")],
    }
    store.save_interview(interview)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(CASE, interview.id, "structure.presentation")
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one("#review-notes")
        assert panel.display
        shown = str(panel.render())
        assert "1 note de relecture" in shown
        assert "Relectrice [b]Anne, 20/10/2019 à 08:00 : Vérifier [/b] le chiffre" in shown
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not panel.display
