"""JSON bundles and reconciliation: idempotent, nothing dropped, conflicts kept."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pi87_field.core.bundle import FORMAT, bundle_from_dict, bundle_to_dict, read_bundle_file
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome, reconcile_answer
from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.store import ProjectStore
from tests.conftest import tree_snapshot

IID = "0b5c6a38-7a3e-4f56-9a1b-2f3c4d5e6f70"


def design_bundle(**answers) -> dict:
    """The bundle of DESIGN.md section 4, with extra unknown keys everywhere."""
    return {
        "format": FORMAT, "exported_at": "2019-10-15T09:00:00+00:00", "x-tool": {"keep": "me"},
        "project": {"id": "ec05-ml-lunevillois", "kind": "case_study", "title": "Atout Emploi",
                    "carrier": "Mission locale du Lunévillois", "os": 1, "fse_amount": "328318.00",
                    "characteristics": "Aide au recrutement", "x-colour": "blue",
                    "updated_at": "2019-07-10T00:00:00+02:00"},
        "interviews": [{
            "id": IID, "guide_id": "etude-de-cas", "guide_version": "1.0", "interviewer": "Anne",
            "date": "2019-10-14", "consent": True, "status": "complete", "x-room": "B12",
            "interviewees": [{"name": "M. Dupont", "role": "Directeur", "organisation": "ML", "x-tel": "0"}],
            "answers": {qid: {"text": text, "state": "answered", "updated_at": "2019-10-14T10:05:00+00:00",
                              "author": "Anne", "x-flag": 1} for qid, text in answers.items()},
        }],
    }


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_bundle_round_trip_keeps_unknown_keys():
    data = design_bundle(**{"structure.presentation": "Une ML rurale", "ancienne.question": "gardée"})
    again = bundle_to_dict(bundle_from_dict(data))
    assert again["x-tool"] == {"keep": "me"}
    assert again["project"]["x-colour"] == "blue"
    interview = again["interviews"][0]
    assert interview["x-room"] == "B12" and interview["interviewees"][0]["x-tel"] == "0"
    assert interview["answers"]["ancienne.question"]["x-flag"] == 1
    assert again["project"]["fse_amount"] == "328318.00"


def test_import_is_idempotent_and_keeps_unknown_questions(store, data_dir, tmp_path):
    path = write(tmp_path, "b.json", design_bundle(**{"structure.presentation": "Une ML", "zz.retiree": "kept"}))
    first = import_files(store, [path])
    assert first.ok and first.totals()[Outcome.ADDED] == 1
    before = tree_snapshot(data_dir / "projects")
    second = import_files(store, [path])
    assert tree_snapshot(data_dir / "projects") == before
    assert set(second.totals()) == {Outcome.UNCHANGED}
    interview = store.get_interview("ec05-ml-lunevillois", IID)
    assert interview.answers["zz.retiree"].text == "kept"  # question unknown to the guide: kept
    assert interview.extra["x-room"] == "B12"


def test_edit_is_an_update_older_is_ignored_divergent_is_a_conflict():
    base = Answer(text="v1", updated_at="2019-10-14T10:00:00+00:00", author="A")
    edit = Answer(text="v2", updated_at="2019-10-15T10:00:00+00:00", author="B", ancestors=[base.rev])
    merged, outcome = reconcile_answer(copy.deepcopy(base), copy.deepcopy(edit))
    assert outcome == Outcome.UPDATED and merged.text == "v2"
    merged, outcome = reconcile_answer(copy.deepcopy(edit), copy.deepcopy(base))
    assert outcome == Outcome.OLDER and merged.text == "v2"
    other = Answer(text="v2-bis", updated_at="2019-10-16T10:00:00+00:00", author="C", ancestors=[base.rev])
    merged, outcome = reconcile_answer(copy.deepcopy(edit), copy.deepcopy(other), source="c.docx")
    assert outcome == Outcome.CONFLICT and merged.text == "v2-bis"
    assert [v.text for v in merged.concurrent] == ["v2"]
    # the same conflicting version again changes nothing
    merged2, outcome2 = reconcile_answer(merged, copy.deepcopy(edit))
    assert outcome2 == Outcome.OLDER and len(merged2.concurrent) == 1
    same, outcome = reconcile_answer(copy.deepcopy(base), copy.deepcopy(base))
    assert outcome == Outcome.UNCHANGED


def test_conflicting_imports_keep_both_versions(store, tmp_path):
    a = design_bundle(**{"budget.cout": "Coût : 400 000 €"})
    b = copy.deepcopy(a)
    b["interviews"][0]["answers"]["budget.cout"].update(
        text="Coût : 450 000 €", updated_at="2019-10-20T10:00:00+00:00", author="Bruno")
    report = import_files(store, [write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)])
    assert len(report.conflicts) == 1
    answer = store.get_interview("ec05-ml-lunevillois", IID).answers["budget.cout"]
    assert answer.text == "Coût : 450 000 €"
    assert [v.text for v in answer.concurrent] == ["Coût : 400 000 €"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"format": "pi87-field/1", "project": {"id": "ec01', "JSON invalide ou tronqué"),
        (b'{"hello": "world"}', "ce n'est pas un export pi87-field"),
        (b'[1, 2, 3]', "ce n'est pas un export pi87-field"),
        (b"\xff\xfe\x00garbage", "pas de l'UTF-8"),
        (json.dumps(design_bundle() | {"project": {"id": "../../x", "kind": "case_study"}}).encode(),
         "Identifiant de projet invalide"),
        (json.dumps(design_bundle() | {"interviews": [{"id": "../../etc"}]}).encode(),
         "Identifiant d'entretien invalide"),
        (b"[" * 100000, "JSON"),
    ],
)
def test_bad_bundles_one_line_store_untouched(store, data_dir, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = tree_snapshot(data_dir)
    report = import_files(store, [path])
    assert not report.ok
    assert message in report.files[0].error and "\n" not in report.files[0].error
    assert tree_snapshot(data_dir) == before
    assert not (tmp_path.parent / "x").exists()


def test_export_json_then_import_elsewhere(store, tmp_path):
    interview = store.list_interviews("ec08-insup")[0]
    store.save_answer("ec08-insup", interview.id, "suites.poursuite", "Essaimage prévu 🚀", author="Anne")
    path = export_project(store, "ec08-insup", tmp_path / "out", "json")
    assert path == tmp_path / "out" / "ec08-insup.json"
    bundle = read_bundle_file(path)
    assert bundle.interviews[0].answers["suites.poursuite"].text == "Essaimage prévu 🚀"
    other = ProjectStore.open(tmp_path / "other")
    report = import_files(other, [path])
    assert report.ok
    got = other.get_interview("ec08-insup", interview.id).answers["suites.poursuite"]
    assert got.text == "Essaimage prévu 🚀" and got.state == AnswerState.ANSWERED
    other.close()
