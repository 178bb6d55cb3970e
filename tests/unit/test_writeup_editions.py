"""The write-up's two editions (issue 20, DESIGN §4): the working one keeps everything needed to
re-import it and the interview log in an annex; the client one carries nothing the commissioning
body should not receive. A planned interview with no answer never prints its grid as
"[sans réponse]"."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from docx import Document

from pi87_field.core.errors import FieldError, ImportFormatError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.model import Interviewee, InterviewMode
from pi87_field.core.store.project_store import InterviewSheet
from pi87_field.core.word.format import LOG_ANNEX_TITLE
from pi87_field.core.word.read import read_writeup

PARIS = timezone(timedelta(hours=2))
T0 = datetime(2019, 10, 14, 10, 0, tzinfo=PARIS)
CASE = "ec05-ml-lunevillois"
Q = "structure.presentation"


def held_interview(store):
    """The campaign's planned interview, held: a sitting, notes, a review note, an answer."""
    planned = store.list_interviews(CASE)[0]
    guide = store.guide_for(planned.guide_id)
    sheet = InterviewSheet("Camille", [Interviewee("Claire Martin", "Directrice", "Mission locale")],
                           date(2019, 10, 14), InterviewMode.ON_SITE)
    interview = store.life_cycle.start(CASE, guide, sheet, consent=True, at=T0, interview_id=planned.id)
    store.life_cycle.open_sitting(CASE, interview.id, T0)
    store.save_answer(CASE, interview.id, Q, "Créée en 1990, 40 salariés.")
    store.life_cycle.close_sitting(CASE, interview.id, T0 + timedelta(minutes=75),
                        [(Q, T0, T0 + timedelta(minutes=12))])
    store.life_cycle.save_notes(CASE, interview.id, "Penser à redemander le bilan (notes de l'enquêtrice)")
    return store.get_interview(CASE, interview.id)


def body_text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_working_edition_keeps_everything_and_the_log_in_an_annex(store, tmp_path):
    interview = held_interview(store)
    path = export_project(store, CASE, tmp_path)
    assert path.name == f"{CASE}.docx"
    text = body_text(path)
    assert LOG_ANNEX_TITLE in text and "Temps par question" in text and "Horaires" in text
    assert "réimporté" in text and "redemander le bilan" in text
    # the log sits in the annex, after the last interview, not in the interview's fact sheet
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[-1] == LOG_ANNEX_TITLE and headings[0].startswith("Entretien 1")
    assert read_writeup(path).bundle.interviews[0].answers[Q].text == interview.answers[Q].text


def test_client_edition_carries_nothing_for_the_team_only(store, tmp_path):
    held_interview(store)
    path = export_project(store, CASE, tmp_path, edition="client")
    assert path.name == f"{CASE}.client.docx"
    text = body_text(path)
    assert "Créée en 1990" in text                              # the answers are the document
    for hidden in ("Temps par question", "Horaires", "Durée", LOG_ANNEX_TITLE, "réimport", "pi87-field import",
                   "redemander le bilan", "Identifiant", "10:00"):
        assert hidden not in text, hidden
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not any(n.startswith("customXml/") for n in names)
        document = archive.read("word/document.xml").decode()
        assert "_pi87_" not in document.replace("_pi87p_", "")   # no answer slot
        assert "data.0000" not in archive.read("docProps/custom.xml").decode()
    with pytest.raises(ImportFormatError, match="édition client"):
        read_writeup(path)


def test_a_planned_interview_without_answers_is_not_a_grid_of_empty_answers(store, tmp_path):
    assert store.list_interviews(CASE)[0].status.value == "planned"
    working = body_text(export_project(store, CASE, tmp_path))
    assert "[sans réponse]" not in working and "aucune réponse n’est encore saisie" in working
    client = body_text(export_project(store, CASE, tmp_path, edition="client"))
    assert "Entretien 1" not in client and "[sans réponse]" not in client


def test_client_edition_is_word_only(store, tmp_path):
    with pytest.raises(FieldError, match="Word"):
        export_project(store, CASE, tmp_path / "out", "json", edition="client")
    with pytest.raises(FieldError, match="Édition inconnue"):
        export_project(store, CASE, tmp_path / "out", edition="publique")
    assert not (tmp_path / "out").exists()
