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
    return store.life_cycle.start(CASE, guide, sheet("Claire Martin"), consent=True, at=T0, interview_id=planned.id)


def export_json(store: ProjectStore, folder: Path) -> Path:
    return export_project(store, CASE, folder, fmt="json")


# -- the store refuses writes to a locked interview ---------------------------------------------

@pytest.mark.parametrize("lock", ["finished", "cancelled", "consent withdrawn"])
def test_the_store_refuses_an_answer_to_a_locked_interview(make_store, lock):
    store = make_store()
    interview = started(store)
    store.save_answer_checked(CASE, interview.id, Q, "Créée en 1990", author="Camille")
    if lock == "finished":
        store.life_cycle.finish(CASE, interview.id, T0 + timedelta(hours=1))
    elif lock == "cancelled":
        store.life_cycle.reopen(CASE, interview.id, T0)  # no-op while in progress
        store.life_cycle.cancel(CASE, interview.id, "Interlocutrice absente", T0)
    else:
        store.life_cycle.record_consent(CASE, interview.id, False, T0)
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
    store.life_cycle.finish(CASE, interview.id, T0)
    store.life_cycle.reopen(CASE, interview.id, T0 + timedelta(minutes=5))
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
        store.life_cycle.update_sheet(CASE, interview.id, sheet("A", mode=None))


# -- conflict kinds come from core --------------------------------------------------------------

def test_conflicts_are_sorted_by_kind_with_where_to_settle_them(laptops, tmp_path):
    a, b = laptops
    iid = started(a).id
    import_files(b, [export_json(a, tmp_path / "a0")])          # B knows A's interview
    for store, who, mode in ((a, "Camille", InterviewMode.PHONE), (b, "Dominique", InterviewMode.VIDEO)):
        store.save_answer_checked(CASE, iid, Q, f"Version de {who}", author=who)
        store.life_cycle.update_sheet(CASE, iid, sheet("Claire Martin", mode=mode))
    report = import_files(a, [export_json(b, tmp_path / "b1")])
    assert report.ok, report.errors
    groups = conflicts_by_kind(report.conflicts)
    assert set(groups) == {ConflictKind.ANSWER, ConflictKind.FACT}
    assert "fiche" in ConflictKind.FACT.settle and "question" in ConflictKind.ANSWER.settle
    assert all(c.fact == "mode" for c in groups[ConflictKind.FACT])


# -- authorship, settlements, sources ---------------------------------------------------------

def _conflict_between_laptops(a: ProjectStore, b: ProjectStore, tmp_path: Path) -> str:
    """Camille (laptop A) and Dominique (laptop B) each rewrite the same answer; A imports B's
    bundle: a conflict on A. Returns the interview id."""
    iid = started(a).id
    a.save_answer_checked(CASE, iid, Q, "Créée en 1990.", author="Camille")
    import_files(b, [export_json(a, tmp_path / "a0")])
    a.save_answer_checked(CASE, iid, Q, "Créée en 1990 à Lunéville.", author="Camille")
    b.save_answer_checked(CASE, iid, Q, "Créée en 1991.", author="Dominique")
    report = import_files(a, [export_json(b, tmp_path / "b1")])
    assert [c.question_id for c in report.conflicts] == [Q]
    return iid


def test_keeping_a_version_keeps_its_author_and_records_the_settlement_beside_it(laptops, tmp_path):
    a, b = laptops
    iid = _conflict_between_laptops(a, b, tmp_path)
    answer = a.get_interview(CASE, iid).answers[Q]
    sources = {v.author: v.source for v in answer.concurrent}
    # sources say what each version was: never "root" nor "version précédente"
    assert sources in ({"Dominique": "saisie par Dominique, importée du paquet ec05-ml-lunevillois.json"},
                       {"Camille": "saisie dans l'application par Camille"})
    settled = a.resolve_conflict(CASE, iid, Q, "Créée en 1990 à Lunéville.", "answered", "Léa (cheffe de projet)",
                                 base_rev=answer.rev)
    assert settled.author == "Camille"                        # the author of the kept text
    assert settled.extra["settled"]["by"] == "Léa (cheffe de projet)"
    assert "Camille" in settled.extra["settled"]["kept"]
    assert "edited_in_word" not in settled.extra
    stored = a.get_interview(CASE, iid).answers[Q]
    assert stored.author == "Camille" and not stored.concurrent
    # an edit made while settling is the settler's
    other = a.resolve_conflict(CASE, iid, Q, "Créée en 1990, à Lunéville.", "answered", "Léa", base_rev=stored.rev)
    assert other.author == "Léa"
    # and a later typed edit no longer carries the settlement
    a.life_cycle.reopen(CASE, iid, T0)
    typed = a.save_answer_checked(CASE, iid, Q, "Créée en 1990, à Lunéville (54).", author="Camille").answer
    assert "settled" not in typed.extra


def test_a_settlement_travels_to_the_laptop_holding_the_same_conflict(laptops, tmp_path):
    a, b = laptops
    iid = _conflict_between_laptops(a, b, tmp_path)
    import_files(b, [export_json(a, tmp_path / "a-conflict")])     # B now holds the conflict too
    assert b.get_interview(CASE, iid).answers[Q].concurrent
    shown = a.get_interview(CASE, iid).answers[Q]
    a.resolve_conflict(CASE, iid, Q, shown.text, shown.state.value, "Léa", base_rev=shown.rev)
    report = import_files(b, [export_json(a, tmp_path / "a-settled")])
    assert not report.conflicts
    on_b = b.get_interview(CASE, iid).answers[Q]
    assert on_b.text == shown.text and on_b.concurrent == []       # settled away on B as on A
    # and B's older copy, imported back into A, does not reopen the conflict
    report = import_files(a, [export_json(b, tmp_path / "b-after")])
    assert not report.conflicts and not a.get_interview(CASE, iid).answers[Q].concurrent


def test_settling_away_the_other_version_travels_even_if_the_kept_one_is_the_other_laptops(laptops, tmp_path):
    a, b = laptops
    iid = _conflict_between_laptops(a, b, tmp_path)
    import_files(b, [export_json(a, tmp_path / "a-conflict")])
    shown = a.get_interview(CASE, iid).answers[Q]
    other = shown.concurrent[0]
    a.resolve_conflict(CASE, iid, Q, other.text, other.state.value, "Léa", base_rev=shown.rev)
    import_files(b, [export_json(a, tmp_path / "a-settled")])
    on_b = b.get_interview(CASE, iid).answers[Q]
    assert on_b.text == other.text and on_b.concurrent == []


def test_a_lead_s_settled_judgement_stays_settled_on_the_other_lead_s_laptop(tmp_path):
    """Lead A keeps A1 of a judgement and exports; lead B, who held B1 with A1 as a conflict,
    imports it: B now shows A1, no conflict left (it used to stay on B1 with A1 forever)."""
    from pi87_field.core.synthesis import Workspace
    from pi87_field.core.synthesis.exchange import write_synthesis_file

    a = Workspace(ProjectStore.open(tmp_path / "a", durable=False))
    b = Workspace(ProjectStore.open(tmp_path / "b", durable=False))
    try:
        a.synthesis.save_judgement("coherence", "+", "Faible visibilité.", author="Cheffe A")
        b.synthesis.save_judgement("coherence", "++", "Cohérente.", author="Cheffe B")
        a.synthesis.save_summary(CASE, Q, "Version A.", author="Cheffe A")
        b.synthesis.save_summary(CASE, Q, "Version B.", author="Cheffe B")
        write_synthesis_file(a, tmp_path / "a.json")
        write_synthesis_file(b, tmp_path / "b.json")
        import_files(a.store, [tmp_path / "b.json"])
        import_files(b.store, [tmp_path / "a.json"])
        b.refresh()
        assert b.judgement("coherence").concurrent            # B: B1 shown, A1 beside it
        a.refresh()
        a.synthesis.dismiss_concurrent("judgement", "coherence")   # A keeps A1
        a.synthesis.dismiss_concurrent("summary", f"{CASE}/{Q}")
        write_synthesis_file(a, tmp_path / "a-settled.json")
        report = import_files(b.store, [tmp_path / "a-settled.json"])
        assert not report.conflicts
        b.refresh()
        j = b.judgement("coherence")
        assert (j.rating, j.explanation, j.concurrent) == ("+", "Faible visibilité.", [])
        s = b.summary(CASE, Q)
        assert (s.text, s.concurrent) == ("Version A.", [])
    finally:
        a.store.close()
        b.store.close()


# -- the life cycle carries ancestry ---------------------------------------------------------------

def test_an_older_write_up_never_re_finishes_a_reopened_interview(make_store, tmp_path):
    """Finish, export the write-up, reopen, import that write-up: still "en cours", grid open,
    and the summary says nothing changed (it said "1 mis à jour" and locked the grid again)."""
    store = make_store()
    iid = started(store).id
    store.save_answer_checked(CASE, iid, Q, "Créée en 1990.", author="Camille")
    store.life_cycle.finish(CASE, iid, T0 + timedelta(hours=1))
    docx = export_project(store, CASE, tmp_path / "before", fmt="docx")
    bundle = export_json(store, tmp_path / "before-json")
    store.life_cycle.reopen(CASE, iid, T0 + timedelta(hours=2))
    for path in (docx, bundle):
        report = import_files(store, [path])
        assert report.ok, report.errors
        assert [c for f in report.files for c in f.changes if c.interview_id == iid] == [
            c for f in report.files for c in f.changes if c.interview_id == iid and c.outcome.value in ("older",)]
        interview = store.get_interview(CASE, iid)
        assert interview.status.value == "in_progress" and interview.answer_lock is None
    store.save_answer_checked(CASE, iid, Q, "Créée en 1990, complété.", author="Camille")


def test_re_importing_one_s_own_unchanged_export_changes_nothing(make_store, tmp_path):
    store = make_store()
    iid = started(store).id
    store.life_cycle.finish(CASE, iid, T0 + timedelta(hours=1))
    store.life_cycle.reopen(CASE, iid, T0 + timedelta(hours=2))
    report = import_files(store, [export_json(store, tmp_path / "own")])
    assert report.ok and not [c for f in report.files for c in f.changes if c.outcome.value != "unchanged"]


def test_a_reopening_travels_and_an_older_finish_does_not_undo_it(laptops, tmp_path):
    a, b = laptops
    iid = started(a).id
    a.life_cycle.finish(CASE, iid, T0 + timedelta(hours=1))
    import_files(b, [export_json(a, tmp_path / "a-finished")])
    b.life_cycle.reopen(CASE, iid, T0 + timedelta(hours=2))          # B reopens to complete it
    import_files(a, [export_json(b, tmp_path / "b-reopened")])
    assert a.get_interview(CASE, iid).status.value == "in_progress"   # the reopening travelled
    import_files(b, [export_json(a, tmp_path / "a-now")])
    assert b.get_interview(CASE, iid).status.value == "in_progress"
    # both change it apart: a life-cycle conflict, ours kept, settled from the life cycle
    a.life_cycle.finish(CASE, iid, T0 + timedelta(hours=3))
    b.life_cycle.cancel(CASE, iid, "Doublon", T0 + timedelta(hours=3))
    report = import_files(a, [export_json(b, tmp_path / "b-cancelled")])
    assert [c.kind for c in report.conflicts] == [ConflictKind.LIFE_CYCLE]
    assert a.get_interview(CASE, iid).status.value == "complete"


def test_a_postponement_keeps_the_former_date_in_the_record_and_the_write_up(make_store, tmp_path):
    from pi87_field.core.summary import interview_fact_rows

    store = make_store()
    planned = store.list_interviews(CASE)[0]
    store.life_cycle.update_sheet(CASE, planned.id, sheet("Claire Martin"))        # planned on 14/10/2019
    store.life_cycle.postpone(CASE, planned.id, date(2019, 10, 21), "Interlocutrice malade", T0)
    interview = store.get_interview(CASE, planned.id)
    assert interview.date == date(2019, 10, 21)
    assert interview.extra["postponed"][-1]["from"] == "2019-10-14"
    rows = dict(interview_fact_rows(interview, store.guide_for(interview.guide_id)))
    assert rows["Date"] == "21/10/2019 (reporté ; prévu d'abord le 14/10/2019)"
    docx = export_project(store, CASE, tmp_path / "w", fmt="docx")
    import docx as python_docx
    text = "\n".join(c.text for t in python_docx.Document(str(docx)).tables for r in t.rows for c in r.cells)
    assert "prévu d'abord le 14/10/2019" in text


# -- the trash holds the newest copy ----------------------------------------------------------------

def test_an_older_copy_arriving_for_a_trashed_interview_is_a_conflict_kept_in_the_trash(laptops, tmp_path):
    """A saves an answer and trashes the interview; B's older bundle arrives: reported as a
    conflict (it said "1 ajouté"), the interview stays in the trash with A's answer, and
    `restore` works after (it said "existe déjà")."""
    a, b = laptops
    iid = started(a).id
    import_files(b, [export_json(a, tmp_path / "a0")])
    b.save_answer_checked(CASE, iid, "budget.cout", "12 000 €", author="Dominique")
    a.save_answer_checked(CASE, iid, Q, "Seule copie : réponse de Camille.", author="Camille")
    a.trash.put(CASE, iid, T0 + timedelta(hours=1))
    report = import_files(a, [export_json(b, tmp_path / "b-older")])
    assert report.ok
    assert iid not in [i.id for i in a.list_interviews(CASE)]           # not "1 ajouté"
    [conflict] = [c for c in report.conflicts if c.interview_id == iid]
    assert conflict.kind is ConflictKind.LIFE_CYCLE and "corbeille" in conflict.detail
    [item] = a.trash.items()
    assert item.interview.answers[Q].text == "Seule copie : réponse de Camille."
    assert item.interview.answers["budget.cout"].text == "12 000 €"     # what B brought is not lost
    restored = a.trash.restore(CASE, iid)
    assert restored.answers[Q].text == "Seule copie : réponse de Camille."


def test_emptying_the_trash_names_answers_that_exist_nowhere_else_and_refuses(make_store):
    from pi87_field.core.errors import StoreError

    store = make_store()
    iid = started(store).id
    store.save_answer_checked(CASE, iid, Q, "Seule copie.", author="Camille")
    store.trash.put(CASE, iid, T0)
    with pytest.raises(StoreError, match="1 réponse qui n’existe nulle part ailleurs") as refused:
        store.trash.empty()
    assert "Mission locale — 14/10/2019 : 1" in str(refused.value)
    assert len(store.trash.items()) == 1
    assert store.trash.empty(destroy_unique=True) == 1


def test_the_store_s_collaborators_and_its_former_names(make_store):
    """ProjectStore keeps persistence; its life cycle, trash, history and search are collaborators.
    Code written against the former names still works through the thin facade."""
    store = make_store()
    iid = started(store).id
    store.finish_interview(CASE, iid, T0)                      # former name
    assert store.get_interview(CASE, iid).status.value == "complete"
    store.life_cycle.reopen(CASE, iid, T0)
    store.save_answer_checked(CASE, iid, Q, "Créée en 1990.", author="Camille")
    store.save_answer_checked(CASE, iid, Q, "Créée en 1991.", author="Dominique")
    assert [e.text for e in store.history.earlier_texts(CASE, iid, Q)] == ["Créée en 1990."]
    assert [e.text for e in store.answer_history(CASE, iid, Q)] == ["Créée en 1990."]
    assert [h.interview_id for h in store.search("1991")] == [iid]
    store.trash.put(CASE, iid, T0)
    assert [t.interview.id for t in store.list_trash()] == [iid]
    with pytest.raises(AttributeError):
        store.no_such_method  # noqa: B018
