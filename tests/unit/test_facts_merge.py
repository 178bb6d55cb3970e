"""Project and interview facts merge field by field with the answers' ancestry rule (issue 9,
item 4): two laptops, each with its own store, exchange JSON exports."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome
from pi87_field.core.store import ProjectStore

PID = "ec05-ml-lunevillois"


@pytest.fixture
def laptops(tmp_path):
    a = ProjectStore.open(tmp_path / "a", durable=False)
    b = ProjectStore.open(tmp_path / "b", durable=False)
    yield a, b
    a.close()
    b.close()


def _export(store: ProjectStore, folder: Path) -> Path:
    return export_project(store, PID, folder, fmt="json")


def _edit_project(store: ProjectStore, **facts) -> None:
    project = store.get_project(PID)
    for name, value in facts.items():
        setattr(project, name, value)
    store.save_project(project)


def test_laptop_a_keeps_its_amount_and_takes_b_s_region(laptops, tmp_path):
    """A corrects the ESF amount; B later changes only the region; A imports B's file: both
    changes are there, no conflict (A's correction used to be replaced by B's whole record)."""
    a, b = laptops
    _edit_project(a, fse_amount=Decimal("123456.78"))
    _edit_project(b, region="Grand Est (Meurthe-et-Moselle)")
    report = import_files(a, [_export(b, tmp_path / "from-b")])
    assert report.ok and not report.conflicts
    project = a.get_project(PID)
    assert project.fse_amount == Decimal("123456.78")
    assert project.region == "Grand Est (Meurthe-et-Moselle)"
    assert any(c.outcome == Outcome.UPDATED and "région" in c.detail for f in report.files for c in f.changes)
    # and the other way round: B gets A's amount and keeps its region
    import_files(b, [_export(a, tmp_path / "from-a")])
    assert b.get_project(PID).fse_amount == Decimal("123456.78")
    assert b.get_project(PID).region == "Grand Est (Meurthe-et-Moselle)"


def test_a_bundle_from_the_future_does_not_beat_a_later_local_correction(laptops, tmp_path):
    a, b = laptops
    path = _export(b, tmp_path / "from-b")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exported_at"] = data["project"]["updated_at"] = "2099-01-01T00:00:00+00:00"
    for interview in data["interviews"]:
        interview["updated_at"] = "2099-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _edit_project(a, fse_amount=Decimal("99.00"), carrier="Mission locale (nom corrigé)")
    interview = next(i for i in a.list_interviews(PID))
    interview.notes = "Rendez-vous déplacé."
    interview.date = date(2019, 11, 4)
    a.save_interview(interview)
    report = import_files(a, [path])
    assert report.ok and not report.conflicts
    project = a.get_project(PID)
    assert project.fse_amount == Decimal("99.00") and project.carrier == "Mission locale (nom corrigé)"
    again = a.get_interview(PID, interview.id)
    assert again.notes == "Rendez-vous déplacé." and again.date == date(2019, 11, 4)


def test_divergent_edits_of_one_fact_are_a_conflict_kept_both_ways_and_shown(laptops, tmp_path):
    a, b = laptops
    _edit_project(a, region="Lorraine")
    _edit_project(b, region="Meurthe-et-Moselle")
    path = _export(b, tmp_path / "from-b")
    report = import_files(a, [path])
    (conflict,) = report.conflicts
    assert conflict.fact == "region" and conflict.question_id == ""
    assert "« Lorraine » gardé" in conflict.detail and "« Meurthe-et-Moselle »" in conflict.detail
    project = a.get_project(PID)
    assert project.region == "Lorraine"
    assert [v["value"] for v in project.fact_conflicts["region"]] == ["Meurthe-et-Moselle"]
    assert project.fact_conflicts["region"][0]["source"] == path.name
    # importing the same file again changes nothing
    before = a.project_file(PID).read_bytes()
    again = import_files(a, [path])
    assert not again.conflicts and a.project_file(PID).read_bytes() == before
    # the user settles it by editing the field: the edit descends from both, B's file is older now
    _edit_project(a, region="Grand Est (Lorraine)")
    assert a.get_project(PID).fact_conflicts == {}
    third = import_files(a, [path])
    assert not third.conflicts and a.get_project(PID).region == "Grand Est (Lorraine)"
    # and B takes A's settled value as an edit of its own
    import_files(b, [_export(a, tmp_path / "from-a")])
    assert b.get_project(PID).region == "Grand Est (Lorraine)" and b.get_project(PID).fact_conflicts == {}


def test_interview_facts_merge_field_by_field(laptops, tmp_path):
    a, b = laptops
    iid = a.list_interviews(PID)[0].id
    mine = a.get_interview(PID, iid)
    mine.notes = "Notes d'Anne."
    a.save_interview(mine)
    theirs = b.get_interview(PID, iid)
    theirs.date = date(2019, 10, 21)
    b.save_interview(theirs)
    report = import_files(a, [_export(b, tmp_path / "from-b")])
    assert not report.conflicts
    merged = a.get_interview(PID, iid)
    assert merged.notes == "Notes d'Anne." and merged.date == date(2019, 10, 21)


def test_a_fact_changed_by_hand_in_a_bundle_descends_from_its_last_saved_value(laptops, tmp_path):
    """A bundle edited outside pi87-field (or by an older version) has a value that is not the head
    of its history: it is an edit of that head, not a conflict."""
    a, b = laptops
    path = _export(b, tmp_path / "from-b")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["project"]["volet"] = "national"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = import_files(a, [path])
    assert not report.conflicts and a.get_project(PID).volet == "national"


def test_a_conflict_held_by_another_copy_travels_with_it(laptops, tmp_path):
    """The lead imports A's file, which holds a conflict of facts A had: the lead keeps it too."""
    a, b = laptops
    _edit_project(a, region="Lorraine")
    _edit_project(b, region="Meurthe-et-Moselle")
    import_files(a, [_export(b, tmp_path / "from-b")])
    with ProjectStore.open(tmp_path / "lead", durable=False) as lead:
        _edit_project(lead, region="Lorraine")          # the lead had typed the same value as A
        report = import_files(lead, [_export(a, tmp_path / "from-a")])
        assert [c.fact for c in report.conflicts] == ["region"]
        assert [v["value"] for v in lead.get_project(PID).fact_conflicts["region"]] == ["Meurthe-et-Moselle"]
        again = import_files(lead, [_export(a, tmp_path / "from-a-2")])
        assert not again.conflicts
