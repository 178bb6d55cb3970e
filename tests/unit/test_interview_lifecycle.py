"""The interview's life cycle as ProjectStore operations (issue 8 item 3, issue 11 items 2, 3, 5):
start, sheet edits, consent given and withdrawn, postpone, cancel, finish, reopen, notes, time
spent, and the trash (recoverable, out of exports, emptied only on request)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from pi87_field.core import timing
from pi87_field.core.errors import StoreError
from pi87_field.core.exchange.exporting import export_project, project_bundle
from pi87_field.core.model import Interviewee, InterviewMode, InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.project_store import InterviewSheet

PARIS = timezone(timedelta(hours=2))
T0 = datetime(2019, 10, 14, 10, 0, tzinfo=PARIS)
CASE = "ec05-ml-lunevillois"


def sheet(*names: str, mode=InterviewMode.ON_SITE, when=date(2019, 10, 14)) -> InterviewSheet:
    return InterviewSheet("Camille", [Interviewee(n, "Directrice", "Mission locale") for n in names], when, mode)


def started(store: ProjectStore):
    planned = store.list_interviews(CASE)[0]
    guide = store.guide_for(planned.guide_id)
    return store.life_cycle.start(CASE, guide, sheet("Claire Martn"), consent=True, at=T0, interview_id=planned.id)


def test_start_needs_consent_and_a_person(store):
    planned = store.list_interviews(CASE)[0]
    guide = store.guide_for(planned.guide_id)
    with pytest.raises(StoreError, match="consentement"):
        store.life_cycle.start(CASE, guide, sheet("A"), consent=False, at=T0, interview_id=planned.id)
    with pytest.raises(StoreError, match="interlocuteur"):
        store.life_cycle.start(CASE, guide, sheet(), consent=True, at=T0, interview_id=planned.id)
    assert store.get_interview(CASE, planned.id).status == InterviewStatus.PLANNED
    interview = started(store)
    assert interview.status == InterviewStatus.IN_PROGRESS and interview.consent is True
    again = store.get_interview(CASE, interview.id)
    assert again.consent_recorded_at == "2019-10-14T10:00:00+02:00"


def test_sheet_edits_keep_the_answers(store):
    interview = started(store)
    store.save_answer(CASE, interview.id, "structure.presentation", "Créée en 1990")
    store.life_cycle.update_sheet(CASE, interview.id, sheet("Claire Martin", "Paul Durand", mode=InterviewMode.PHONE,
                                                 when=date(2019, 10, 15)))
    again = store.get_interview(CASE, interview.id)
    assert [p.name for p in again.interviewees] == ["Claire Martin", "Paul Durand"]
    assert again.mode == InterviewMode.PHONE and again.date == date(2019, 10, 15)
    assert again.answers["structure.presentation"].text == "Créée en 1990"


def test_withdrawn_consent_keeps_answers_here_but_out_of_exports(store, tmp_path):
    interview = started(store)
    store.save_answer(CASE, interview.id, "structure.presentation", "Créée en 1990")
    store.life_cycle.record_consent(CASE, interview.id, False, T0 + timedelta(minutes=30))
    kept = store.get_interview(CASE, interview.id)
    assert kept.consent is False and kept.answers["structure.presentation"].text == "Créée en 1990"
    assert kept.extra["consent_withdrawn_at"].startswith("2019-10-14T10:30")
    assert interview.id not in [i.id for i in project_bundle(store, CASE).interviews]
    path = export_project(store, CASE, tmp_path, "json")
    assert "Créée en 1990" not in path.read_text(encoding="utf-8")
    store.life_cycle.record_consent(CASE, interview.id, True, T0 + timedelta(minutes=40))
    assert interview.id in [i.id for i in project_bundle(store, CASE).interviews]


def test_postpone_cancel_finish_reopen(store):
    interview = started(store)
    store.life_cycle.postpone(CASE, interview.id, date(2019, 11, 4), "interlocutrice malade", T0)
    moved = store.get_interview(CASE, interview.id)
    assert moved.date == date(2019, 11, 4)
    assert moved.extra["postponed"][0] == {"from": "2019-10-14", "to": "2019-11-04",
                                           "reason": "interlocutrice malade", "at": "2019-10-14T10:00:00+02:00"}
    with pytest.raises(StoreError, match="motif"):
        store.life_cycle.cancel(CASE, interview.id, "  ", T0)
    store.life_cycle.cancel(CASE, interview.id, "structure fermée", T0)
    assert store.get_interview(CASE, interview.id).status == InterviewStatus.CANCELLED
    store.life_cycle.reopen(CASE, interview.id, T0)
    assert store.get_interview(CASE, interview.id).status == InterviewStatus.IN_PROGRESS
    store.life_cycle.finish(CASE, interview.id, T0 + timedelta(hours=1))
    assert store.get_interview(CASE, interview.id).status == InterviewStatus.COMPLETE
    with pytest.raises(StoreError, match="rouvrez"):
        store.life_cycle.postpone(CASE, interview.id, date(2019, 12, 1), "", T0)
    store.life_cycle.reopen(CASE, interview.id, T0 + timedelta(hours=2))
    again = store.get_interview(CASE, interview.id)
    assert again.status == InterviewStatus.IN_PROGRESS and again.extra["reopened"]


def test_sittings_and_question_times_are_saved_and_exported(store):
    interview = started(store)
    store.life_cycle.open_sitting(CASE, interview.id, T0)
    store.life_cycle.record_visits(CASE, interview.id, [("structure.presentation", T0, T0 + timedelta(minutes=4))])
    store.life_cycle.close_sitting(CASE, interview.id, T0 + timedelta(minutes=50),
                        [("structure.effectifs", T0 + timedelta(minutes=4), T0 + timedelta(minutes=50))])
    store.life_cycle.open_sitting(CASE, interview.id, T0 + timedelta(days=1))
    store.life_cycle.finish(CASE, interview.id, T0 + timedelta(days=1, minutes=10))
    again = store.get_interview(CASE, interview.id)
    assert timing.duration_seconds(again) == 60 * 60
    assert timing.started_at(again) == T0
    assert timing.ended_at(again) == T0 + timedelta(days=1, minutes=10)
    assert timing.question_seconds(again) == {"structure.presentation": 240, "structure.effectifs": 46 * 60}
    bundle = json.loads(json.dumps(project_bundle(store, CASE).interviews[0].extra))
    assert bundle["timing"]["questions"]["structure.presentation"][0]["left"] == "2019-10-14T10:04:00+02:00"


def test_crash_without_close_counts_up_to_the_last_question_left(store):
    interview = started(store)
    store.life_cycle.open_sitting(CASE, interview.id, T0)
    store.life_cycle.record_visits(CASE, interview.id, [("structure.presentation", T0, T0 + timedelta(minutes=7))])
    assert timing.duration_seconds(store.get_interview(CASE, interview.id)) == 7 * 60


def test_foreign_timing_entries_are_skipped_not_fatal(store):
    interview = started(store)
    interview.extra["timing"] = {"sessions": [{"start": "hier"}, 3, {"start": "2019-10-14T10:00:00+02:00",
                                                                    "end": "2019-10-14T10:30:00+02:00"}],
                                 "questions": {"x": "?", "y": [{"entered": None}]}}
    assert timing.duration_seconds(interview) == 1800
    assert timing.question_seconds(interview) == {}


def test_notes_are_saved_alone(store):
    interview = started(store)
    store.save_answer(CASE, interview.id, "structure.presentation", "Créée en 1990")
    store.life_cycle.save_notes(CASE, interview.id, "[14:32] Demander le bilan 2018\n")
    again = store.get_interview(CASE, interview.id)
    assert again.notes.startswith("[14:32] Demander le bilan 2018")
    assert again.answers["structure.presentation"].text == "Créée en 1990"


def test_trash_is_recoverable_out_of_exports_and_emptied_only_on_request(store, data_dir, tmp_path):
    interview = started(store)
    store.save_answer(CASE, interview.id, "structure.presentation", "Réponse à garder")
    store.trash.put(CASE, interview.id, T0)
    assert interview.id not in [i.id for i in store.list_interviews(CASE)]
    assert "Réponse à garder" not in export_project(store, CASE, tmp_path, "json").read_text(encoding="utf-8")
    assert not store.search("garder")
    trashed = store.trash.items()
    assert [(t.project_id, t.interview.id) for t in trashed] == [(CASE, interview.id)]
    restored = store.trash.restore(CASE, interview.id)
    assert restored.answers["structure.presentation"].text == "Réponse à garder"
    assert "trashed_at" not in restored.extra
    assert store.trash.items() == []
    store.trash.put(CASE, interview.id, T0)
    store.close()
    store = ProjectStore.open(data_dir, durable=False)  # a new session empties nothing on its own
    assert len(store.trash.items()) == 1
    with pytest.raises(StoreError, match="nulle part ailleurs"):   # its answer exists only there
        store.trash.empty()
    assert store.trash.empty(destroy_unique=True) == 1
    assert store.trash.items() == []
    with pytest.raises(StoreError, match="corbeille"):
        store.trash.restore(CASE, interview.id)
    store.close()


def test_write_up_shows_hours_duration_and_time_per_question(store, tmp_path):
    from docx import Document

    from pi87_field.core.summary import interview_fact_rows

    interview = started(store)
    store.life_cycle.open_sitting(CASE, interview.id, T0)
    store.life_cycle.close_sitting(CASE, interview.id, T0 + timedelta(minutes=75),
                        [("structure.presentation", T0, T0 + timedelta(minutes=12)),
                         ("budget.cout", T0 + timedelta(minutes=12), T0 + timedelta(minutes=75))])
    again = store.get_interview(CASE, interview.id)
    guide = store.guide_for(again.guide_id)
    rows = dict(interview_fact_rows(again, guide))
    assert rows["Horaires"] == "14/10/2019 de 10:00 à 11:15"
    assert rows["Durée"] == "1\u00a0h\u00a015\u00a0min"
    number = guide.number("budget.cout")
    assert rows["Temps par question"].splitlines() == [
        f"{guide.number('structure.presentation')} : 12\u00a0min", f"{number} : 1\u00a0h\u00a003\u00a0min"]
    path = export_project(store, CASE, tmp_path, "docx")
    cells = [c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells]
    assert "1\u00a0h\u00a015\u00a0min" in cells and "Temps par question" in cells
    # Never opened in the TUI: no invented times.
    other = store.list_interviews("ec08-insup")[0]
    assert "Durée" not in dict(interview_fact_rows(other, store.guide_for(other.guide_id)))


def test_a_pending_sitting_becomes_one_only_when_edited():
    """DESIGN §9: reading adds no sitting and no time per question; the first edit makes the
    opening a sitting, with the visits held back since it opened."""
    from datetime import datetime, timedelta, timezone

    from pi87_field.core.timing import PendingSitting

    t0 = datetime(2019, 10, 14, 10, 0, tzinfo=timezone.utc)
    read_only = PendingSitting(None)                     # a finished interview, read
    assert read_only.visit("q1", t0, t0 + timedelta(minutes=5)) == []
    reading = PendingSitting(t0)
    assert reading.visit("q1", t0, t0 + timedelta(minutes=2)) == []
    begun = reading.edited(t0 + timedelta(minutes=3))
    assert begun == (t0, [("q1", t0, t0 + timedelta(minutes=2))])
    assert reading.edited(t0 + timedelta(minutes=4)) is None          # once
    assert reading.visit("q2", t0 + timedelta(minutes=2), t0 + timedelta(minutes=6)) == [
        ("q2", t0 + timedelta(minutes=2), t0 + timedelta(minutes=6))]
    read_only.editable_from(t0 + timedelta(minutes=10))               # reopened
    assert read_only.edited(t0 + timedelta(minutes=11)) == (t0 + timedelta(minutes=10), [])
