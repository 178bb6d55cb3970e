"""`core.grid`: one read model of an interview against its guide, iterated by every face.

The orphan answer (its question left the guide) is in the write-up, the volume AND the workbook,
each reading it through `Grid` (the workbook used to drop it)."""

from __future__ import annotations

from datetime import date

import docx
import openpyxl
import pytest

from pi87_field.core.bundle import Bundle
from pi87_field.core.grid import ORPHAN_SECTION, Grid, ProgressFacts, ordered_interviews
from pi87_field.core.guides import GuideLibrary, builtin_guides_dir
from pi87_field.core.merge.content import from_store, guide_order
from pi87_field.core.merge.volume import build_volume
from pi87_field.core.merge.workbook import build_workbook
from pi87_field.core.model import Answer, AnswerLock, AnswerState, Interview, InterviewStatus
from pi87_field.core.summary import interview_progress, project_progress
from pi87_field.core.word.writeup import ORPHANS_TITLE, write_project_docx

ORPHAN = "zz.ancienne-question"
ORPHAN_TEXT = "Une question de l'ancienne grille, retirée depuis"
ORPHAN_ANSWER = "Réponse gardée bien que sa question ait quitté la grille."


def _guides() -> GuideLibrary:
    return GuideLibrary([builtin_guides_dir()])


def _interview(**answers: Answer) -> Interview:
    guide = _guides().get("etude-de-cas")
    assert guide is not None
    return Interview(id="3f0c6a8e-1d2b-4c5d-9e8f-0a1b2c3d4e5f", project_id="ec01", guide_id=guide.id,
                     guide_version=guide.version, question_texts={**guide.question_texts(), ORPHAN: ORPHAN_TEXT},
                     answers=dict(answers))


def test_guide_order_numbers_orphans_last_and_missing():
    guide = _guides().get("etude-de-cas")
    interview = _interview(**{"effets.notables": Answer("Des effets."),
                              "structure.effectifs": Answer("", state=AnswerState.DECLINED),
                              "structure.publics": Answer("   "),
                              ORPHAN: Answer(ORPHAN_ANSWER)})
    grid = Grid.of(interview, guide)
    assert [q.qid for q in grid.in_guide] == guide.question_ids
    assert grid.number("effets.notables") == "6.1" == guide.number("effets.notables")
    last = grid.sections[-1]
    assert last.orphan and last.title == ORPHAN_SECTION
    assert [(q.qid, q.number, q.text) for q in last.questions] == [(ORPHAN, "H1", ORPHAN_TEXT)]
    assert grid.find(ORPHAN).label == f"{ORPHAN_TEXT} [{ORPHAN}]"
    # "unanswered", one way: no answer, or an empty one without a state
    missing = {q.qid for q in grid.missing}
    assert "structure.publics" in missing and "structure.presentation" in missing
    assert "structure.effectifs" not in missing and "effets.notables" not in missing and ORPHAN not in missing
    assert grid.progress == (2, len(guide.question_ids))
    assert grid.progress == interview_progress(interview, guide) == ProgressFacts.of(interview).against(guide)


def test_without_its_guide_every_kept_question_is_shown():
    interview = _interview(**{"structure.presentation": Answer("Une ML rurale."), ORPHAN: Answer(ORPHAN_ANSWER)})
    grid = Grid.of(interview, None)
    assert [s.title for s in grid.sections] == [ORPHAN_SECTION]
    assert len(grid.orphans) == len(interview.question_texts)
    assert grid.progress == (2, len(interview.question_texts)) == ProgressFacts.of(interview).against(None)


def test_live_answers_replace_the_stored_ones():
    interview = _interview()
    grid = Grid.of(interview, _guides().get("etude-de-cas"), answers={"structure.presentation": Answer("Tapé.")})
    assert grid.find("structure.presentation").answered and not interview.answers


@pytest.mark.parametrize(("consent", "status", "reason"), [
    (True, InterviewStatus.IN_PROGRESS, None),
    (False, InterviewStatus.IN_PROGRESS, AnswerLock.CONSENT_WITHDRAWN),
    (True, InterviewStatus.COMPLETE, AnswerLock.COMPLETE),
    (True, InterviewStatus.CANCELLED, AnswerLock.CANCELLED),
])
def test_the_lock_and_its_reason(consent, status, reason):
    interview = _interview()
    interview.consent, interview.status = consent, status
    assert Grid.of(interview, None).lock == reason


def test_progress_facts_survive_their_stored_form_and_sum_like_interviews():
    guides = _guides()
    done = _interview(**{"structure.presentation": Answer("x")})
    done.status = InterviewStatus.COMPLETE
    planned = _interview()
    facts = [ProgressFacts.from_dict(ProgressFacts.of(i).to_dict()) for i in (done, planned)]
    assert project_progress(facts, guides) == project_progress([done, planned], guides)


def test_one_interview_order_and_one_guide_order():
    a, b = _interview(), _interview()
    b.id, b.date, a.date = "4f0c6a8e-1d2b-4c5d-9e8f-0a1b2c3d4e5f", date(2019, 10, 1), None
    assert ordered_interviews([a, b]) == [b, a]
    assert guide_order(["entretiens-qualitatifs", "zz", "etude-de-cas"]) == ["etude-de-cas", "entretiens-qualitatifs", "zz"]


# -- the orphan answer in every output ---------------------------------------------------------------

@pytest.fixture
def orphan_store(make_store):
    """The campaign, one case-study interview answered, one of its answers saved under a question
    id that is not (or no longer) in the guide."""
    store = make_store()
    project = next(p for p in store.list_projects() if p.guide_id == "etude-de-cas")
    interview = store.list_interviews(project.id)[0]
    interview.question_texts[ORPHAN] = ORPHAN_TEXT
    interview.consent, interview.status = True, InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.save_answer(project.id, interview.id, "structure.presentation", "Une mission locale rurale.", author="A")
    store.save_answer(project.id, interview.id, ORPHAN, ORPHAN_ANSWER, author="A")
    return store, project


def test_the_orphan_answer_is_in_the_write_up(orphan_store, tmp_path):
    store, project = orphan_store
    bundle = Bundle(project=project, interviews=store.list_interviews(project.id),
                    exported_at="2019-10-15T09:00:00+02:00")
    texts = [p.text for p in docx.Document(str(write_project_docx(bundle, store.guides, tmp_path / "w.docx"))).paragraphs]
    assert ORPHANS_TITLE in texts
    assert ORPHAN_TEXT in texts and ORPHAN_ANSWER in texts


def test_the_orphan_answer_is_in_the_volume_matrix_and_chapter(orphan_store, tmp_path):
    store, _ = orphan_store
    content = from_store(store)
    path = tmp_path / "v.docx"
    path.write_bytes(build_volume(content))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    for table in docx.Document(str(path)).tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert f"{ORPHAN_TEXT} [{ORPHAN}]" in texts                   # the matrix's heading and the chapter's
    assert any(t.startswith("Questions hors grille") for t in texts)
    assert texts.count(ORPHAN_ANSWER) >= 2                       # in the matrix and in the case's chapter


def test_the_orphan_answer_is_in_the_workbook(orphan_store):
    store, project = orphan_store
    content = from_store(store)
    from io import BytesIO

    sheet = openpyxl.load_workbook(BytesIO(build_workbook(content)))["Matrice"]
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    found = [r for r in rows if r[1] == f"{ORPHAN_TEXT} [{ORPHAN}]"]
    assert len(found) == 1
    assert any(ORPHAN_ANSWER in str(cell) for cell in found[0][5:])
    assert found[0][3].startswith("Questions hors grille")
