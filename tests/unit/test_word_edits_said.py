"""Word edits are read back, or refused aloud (issue 18): the interview's "Notes" cell is read
back like an answer; a deleted question heading never pours its answer into the previous one;
text typed after "[sans réponse]" is the answer; an answer emptied in Word becomes "à compléter"
and is reported. Each through python-docx edits then `import`, and once through LibreOffice."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome
from pi87_field.core.model import AnswerState
from tests.unit.test_docx_edits import needs_soffice, soffice_resave

PID = "ec08-insup"
NOTES = "Demander le bilan 2018\nRappeler mardi"


def exported(store, tmp_path: Path) -> tuple[str, Path]:
    interview = store.list_interviews(PID)[0]
    store.save_answer(PID, interview.id, "structure.presentation", "Créée en 1990", author="Anne")
    store.save_answer(PID, interview.id, "structure.effectifs", "Cinq salariés\n\ndont deux à mi-temps",
                      author="Anne")
    store.life_cycle.save_notes(PID, interview.id, NOTES)
    return interview.id, export_project(store, PID, tmp_path / "out", "docx")


def heading(document, prefix: str):
    return next(p for p in document.paragraphs if p.style.name == "Heading 3" and p.text.startswith(prefix))


def answer_paragraphs(document, prefix: str) -> list:
    paragraphs = document.paragraphs
    start = paragraphs.index(next(p for p in paragraphs if p._p is heading(document, prefix)._p))
    out = []
    for p in paragraphs[start + 1:]:
        if p.style.name.startswith("Heading"):
            break
        out.append(p)
    return out


def notes_cell(document):
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text.strip() == "Notes":
                return row.cells[1]
    raise AssertionError("no Notes row")


def set_text(paragraph, text: str) -> None:
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def delete(paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def imported(store, path: Path):
    report = import_files(store, [path])
    assert not report.errors, report.errors[0].error
    return report.files[0]


def test_an_edit_of_the_notes_cell_is_read_back(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    cell = notes_cell(document)
    set_text(cell.paragraphs[0], "Demander le bilan 2019")
    document.save(str(path))
    result = imported(store, path)
    assert store.get_interview(PID, iid).notes == "Demander le bilan 2019\nRappeler mardi"
    assert result.counts.get(Outcome.UNCHANGED, 0) == 0
    assert result.counts.get(Outcome.UPDATED, 0) >= 1
    assert any("Notes" in w or "notes" in w for w in result.notices), result.notices


def test_a_deleted_question_heading_keeps_both_answers_and_says_so(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    delete(heading(document, "1.2."))
    document.save(str(path))
    result = imported(store, path)
    answers = store.get_interview(PID, iid).answers
    assert answers["structure.presentation"].text == "Créée en 1990"       # nothing appended
    assert answers["structure.effectifs"].text == "Cinq salariés\n\ndont deux à mi-temps"
    assert any("1.2" in w and "titre" in w for w in result.notices), result.notices


def test_a_deleted_heading_with_edits_on_both_sides_reads_both_answers(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    set_text(answer_paragraphs(document, "1.1.")[0], "Créée en 1991")
    set_text(answer_paragraphs(document, "1.2.")[1], "dont trois à mi-temps")
    delete(heading(document, "1.2."))
    document.save(str(path))
    result = imported(store, path)
    answers = store.get_interview(PID, iid).answers
    assert answers["structure.presentation"].text == "Créée en 1991"
    assert answers["structure.effectifs"].text == "Cinq salariés\n\ndont trois à mi-temps"
    assert any("1.2" in w for w in result.notices), result.notices


def test_a_deleted_heading_whose_answer_cannot_be_told_apart_is_refused_aloud(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    set_text(answer_paragraphs(document, "1.2.")[0], "Six salariés")       # its first line changed too
    delete(heading(document, "1.2."))
    document.save(str(path))
    result = imported(store, path)
    answers = store.get_interview(PID, iid).answers
    assert answers["structure.presentation"].text == "Créée en 1990"
    assert answers["structure.effectifs"].text == "Cinq salariés\n\ndont deux à mi-temps"
    assert any("1.1" in w and "1.2" in w and "pas été relues" in w for w in result.notices), result.notices


def test_text_typed_after_the_placeholder_is_the_answer(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    [placeholder] = answer_paragraphs(document, "1.3.")
    assert placeholder.text == "[sans réponse]"
    placeholder.add_run(" 300 jeunes par an")
    [declined] = answer_paragraphs(document, "1.4.")
    set_text(declined, "[refus de répondre] chiffre confidentiel")
    document.save(str(path))
    imported(store, path)
    answers = store.get_interview(PID, iid).answers
    assert answers["structure.publics"].text == "300 jeunes par an"
    assert answers["structure.publics"].state == AnswerState.ANSWERED
    assert answers["structure.mobilisation-fse"].text == "chiffre confidentiel"
    assert answers["structure.mobilisation-fse"].state == AnswerState.DECLINED


def test_an_answer_emptied_in_word_is_to_complete_and_reported(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    for p in answer_paragraphs(document, "1.1."):
        set_text(p, "")
    document.save(str(path))
    result = imported(store, path)
    answer = store.get_interview(PID, iid).answers["structure.presentation"]
    assert answer.state == AnswerState.TO_COMPLETE and answer.text == ""
    assert any("1.1" in w and "vidée" in w for w in result.notices), result.notices
    assert "Créée en 1990" in [e.text for e in store.history.earlier_texts(PID, iid, "structure.presentation")]


@pytest.mark.slow
@needs_soffice
def test_word_edits_read_back_after_a_libreoffice_round_trip(store, tmp_path):
    iid, path = exported(store, tmp_path)
    document = docx.Document(str(path))
    set_text(notes_cell(document).paragraphs[0], "Demander le bilan 2019")
    answer_paragraphs(document, "1.3.")[0].add_run(" 300 jeunes par an")
    for p in answer_paragraphs(document, "1.1."):
        set_text(p, "")
    delete(heading(document, "1.2."))
    edited = tmp_path / "edited" / path.name
    edited.parent.mkdir()
    document.save(str(edited))
    resaved = soffice_resave(edited, tmp_path / "lo")
    result = imported(store, resaved)
    interview = store.get_interview(PID, iid)
    assert interview.notes == "Demander le bilan 2019\nRappeler mardi"
    assert interview.answers["structure.publics"].text == "300 jeunes par an"
    assert interview.answers["structure.presentation"].state == AnswerState.TO_COMPLETE
    assert interview.answers["structure.effectifs"].text == "Cinq salariés\n\ndont deux à mi-temps"
    assert len(result.notices) >= 3, result.notices
