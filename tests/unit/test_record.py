"""The record tells the truth (DESIGN §9, issue 18 and issue 16 item 3): the store itself refuses
what the screens used to refuse, and says what a conflict is and where to settle it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pi87_field.core.errors import InterviewLockedError, SheetError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import ConflictKind, conflicts_by_kind
from pi87_field.core.model import Interviewee, InterviewMode
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.project_store import InterviewSheet, check_sheet

PARIS = timezone(timedelta(hours=2))
T0 = datetime(2019, 10, 14, 10, 0, tzinfo=PARIS)
CASE = "ec05-ml-lunevillois"
Q = "structure.presentation"


@pytest.fixture
def laptops(tmp_path):
    a = ProjectStore.open(tmp_path / "a", durable=False)
    b = ProjectStore.open(tmp_path / "b", durable=False)
    yield a, b
    a.close()
    b.close()


def sheet(*names: str, mode=InterviewMode.ON_SITE, interviewer="Camille") -> InterviewSheet:
    return InterviewSheet(interviewer, [Interviewee(n, "Directrice", "Mission locale") for n in names],
                          date(2019, 10, 14), mode)


def started(store: ProjectStore):
    planned = store.list_interviews(CASE)[0]
    guide = store.guide_for(planned.guide_id)
    return store.start_interview(CASE, guide, sheet("Claire Martin"), consent=True, at=T0, interview_id=planned.id)


def export_json(store: ProjectStore, folder: Path) -> Path:
    return export_project(store, CASE, folder, fmt="json")


# -- the store refuses writes to a locked interview ---------------------------------------------

@pytest.mark.parametrize("lock", ["finished", "cancelled", "consent withdrawn"])
def test_the_store_refuses_an_answer_to_a_locked_interview(make_store, lock):
    store = make_store()
    interview = started(store)
    store.save_answer_checked(CASE, interview.id, Q, "Créée en 1990", author="Camille")
    if lock == "finished":
        store.finish_interview(CASE, interview.id, T0 + timedelta(hours=1))
    elif lock == "cancelled":
        store.reopen_interview(CASE, interview.id, T0)  # no-op while in progress
        store.cancel_interview(CASE, interview.id, "Interlocutrice absente", T0)
    else:
        store.record_consent(CASE, interview.id, False, T0)
    with pytest.raises(InterviewLockedError, match="Réponses verrouillées") as refused:
        store.save_answer_checked(CASE, interview.id, Q, "Texte tapé après coup", author="Camille")
    assert "Rien n'a été modifié" in str(refused.value)
    with pytest.raises(InterviewLockedError):
        store.restore_answer(CASE, interview.id, Q, "", "answered", "Camille",
                             base_rev=store.get_interview(CASE, interview.id).answers[Q].rev)
    assert store.get_interview(CASE, interview.id).answers[Q].text == "Créée en 1990"


def test_reopening_unlocks_the_answers(make_store):
    store = make_store()
    interview = started(store)
    store.finish_interview(CASE, interview.id, T0)
    store.reopen_interview(CASE, interview.id, T0 + timedelta(minutes=5))
    saved = store.save_answer_checked(CASE, interview.id, Q, "Complété après relecture", author="Camille")
    assert saved.answer.text == "Complété après relecture"


# -- the sheet's checks are the store's ---------------------------------------------------------

def test_sheet_checks_name_the_field_in_french(make_store):
    store = make_store()
    with pytest.raises(SheetError, match="au moins un interlocuteur") as e:
        check_sheet(sheet())
    assert e.value.field == "interviewees"
    with pytest.raises(SheetError, match="Choisissez le mode") as e:
        check_sheet(sheet("A", mode=None))
    assert e.value.field == "mode"
    with pytest.raises(SheetError, match="consentement") as e:
        check_sheet(sheet("A"), consent=False)
    assert e.value.field == "consent"
    check_sheet(sheet("A"), consent=True)
    interview = started(store)
    with pytest.raises(SheetError, match="Choisissez le mode"):
        store.update_sheet(CASE, interview.id, sheet("A", mode=None))


# -- conflict kinds come from core --------------------------------------------------------------

def test_conflicts_are_sorted_by_kind_with_where_to_settle_them(laptops, tmp_path):
    a, b = laptops
    iid = started(a).id
    import_files(b, [export_json(a, tmp_path / "a0")])          # B knows A's interview
    for store, who, mode in ((a, "Camille", InterviewMode.PHONE), (b, "Dominique", InterviewMode.VIDEO)):
        store.save_answer_checked(CASE, iid, Q, f"Version de {who}", author=who)
        store.update_sheet(CASE, iid, sheet("Claire Martin", mode=mode))
    report = import_files(a, [export_json(b, tmp_path / "b1")])
    assert report.ok, report.errors
    groups = conflicts_by_kind(report.conflicts)
    assert set(groups) == {ConflictKind.ANSWER, ConflictKind.FACT}
    assert "fiche" in ConflictKind.FACT.settle and "question" in ConflictKind.ANSWER.settle
    assert all(c.fact == "mode" for c in groups[ConflictKind.FACT])
