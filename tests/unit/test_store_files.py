"""Store files are TinyDB databases (tables and queries) over the atomic storage (issue 8, item 4).

`tests/fixtures/store-v1/` was written by pi87-field before the store used TinyDB tables
(main at 147485d, by `make_fixture.py` in that folder): it must open, read the same, and
round-trip unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tinydb import Query

from pi87_field.core.errors import DamagedFileError
from pi87_field.core.serialize import interview_to_dict, project_to_dict
from pi87_field.core.store import ProjectStore
from pi87_field.core.store import storage as storage_module
from pi87_field.core.store.storage import ANSWERS, INTERVIEW, edit_file, open_file

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "store-v1"
PID = "ec01-fixture"
IID = "3f0c6a8e-1d2b-4c5d-9e8f-0a1b2c3d4e5f"
PLANNED = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"


@pytest.fixture
def old_store(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.py"))
    return root


def _interview_path(root: Path, iid: str = IID) -> Path:
    return root / "projects" / PID / "interviews" / f"{iid}.json"


def test_a_store_written_by_the_previous_version_opens(old_store):
    with ProjectStore.open(old_store, seed=False) as store:
        project = store.get_project(PID)
        assert project.carrier == "Mission locale de Test" and str(project.fse_amount) == "21914.89"
        assert project.extra == {"future_key": {"nested": [1, 2, 3]}}
        interviews = {i.id: i for i in store.list_interviews(PID)}
        assert set(interviews) == {IID, PLANNED}
        interview = interviews[IID]
        assert interview.consent_recorded_at == "2019-10-14T09:01:00+02:00"     # was an extra key
        assert interview.extra == {"unknown_interview_key": "kept"}
        answers = interview.answers
        assert answers["structure.presentation"].text == "La structure accompagne 1 200 jeunes par an."
        assert answers["structure.presentation"].ancestors            # it grew from "Première version."
        assert answers["structure.effectifs"].state == "declined"
        assert answers["effets.notables"].text.endswith("« guillemets » 🎉")
        assert answers["budget.cout"].concurrent[0].source == "anne.json"
        assert answers["budget.cout"].extra == {"answer_future": True}
        assert "ancienne.question" in answers
        assert store.damaged == []


def test_an_old_file_round_trips_through_the_store(old_store):
    """Read then write back whole: the same documents (the typed consent time keeps its key)."""
    before = json.loads(_interview_path(old_store).read_text(encoding="utf-8"))
    with ProjectStore.open(old_store, seed=False) as store:
        store.save_interview(store.get_interview(PID, IID), touch=False)
        store.save_project(store.get_project(PID), touch=False)
    after = json.loads(_interview_path(old_store).read_text(encoding="utf-8"))
    assert after["_meta"] == before["_meta"]
    assert after["answers"] == before["answers"]
    # Saving now records each fact's history (facts.py); everything else is as it was.
    assert after["interview"]["1"].pop("fact_history")
    assert after["interview"]["1"] == before["interview"]["1"]
    project = json.loads((old_store / "projects" / PID / "project.json").read_text(encoding="utf-8"))
    assert project["project"]["1"].pop("fact_history")
    assert project == json.loads((FIXTURE / "projects" / PID / "project.json").read_text(encoding="utf-8"))


def test_saving_one_answer_in_an_old_file_changes_that_document_only(old_store):
    before = json.loads(_interview_path(old_store).read_text(encoding="utf-8"))
    with ProjectStore.open(old_store, seed=False) as store:
        store.save_answer(PID, IID, "effets.notables", "Réécrit.", author="Camille")
        store.save_answer(PID, IID, "suites.poursuite", "Nouvelle réponse.", author="Camille")
    after = json.loads(_interview_path(old_store).read_text(encoding="utf-8"))
    changed = {k for k in after["answers"] if after["answers"][k] != before["answers"].get(k)}
    assert {after["answers"][k]["qid"] for k in changed} == {"effets.notables", "suites.poursuite"}
    new_key = next(k for k in changed if after["answers"][k]["qid"] == "suites.poursuite")
    assert int(new_key) == max(int(k) for k in before["answers"]) + 1
    assert after["interview"]["1"]["updated_at"] != before["interview"]["1"]["updated_at"]


def test_answers_are_tinydb_documents_found_by_query(old_store):
    db = open_file(_interview_path(old_store))
    doc = db.table(ANSWERS).get(Query().qid == "structure.effectifs")
    assert doc["state"] == "declined"
    assert db.table(INTERVIEW).get(doc_id=1)["id"] == IID


def test_a_save_is_one_read_and_one_atomic_write(old_store, monkeypatch):
    writes: list[Path] = []
    real = storage_module.atomic_write_bytes
    monkeypatch.setattr(storage_module, "atomic_write_bytes",
                        lambda path, data, **kw: (writes.append(Path(path)), real(path, data, **kw))[1])
    with ProjectStore.open(old_store, seed=False) as store:
        writes.clear()
        store.save_answer(PID, PLANNED, "structure.presentation", "Première réponse.", author="Camille")
        assert writes == [_interview_path(old_store, PLANNED)]
        again = store.get_interview(PID, PLANNED)
        assert again.status == "in_progress"          # the facts changed in the same write
        writes.clear()
        store.save_answer(PID, PLANNED, "structure.presentation", "Première réponse.", author="Camille")
        assert writes == []                           # nothing changed, nothing written


def test_edit_file_writes_nothing_when_the_block_fails(old_store):
    path = _interview_path(old_store)
    before = path.read_bytes()
    with pytest.raises(RuntimeError), edit_file(path) as db:
        db.table(ANSWERS).truncate()
        raise RuntimeError("stop")
    assert path.read_bytes() == before


def test_edit_file_refuses_a_damaged_file_before_the_block(old_store):
    path = _interview_path(old_store)
    path.write_text('{"answers": {"1": ', encoding="utf-8")
    with pytest.raises(DamagedFileError), edit_file(path):
        pytest.fail("the block must not run on a damaged file")
    assert path.read_text(encoding="utf-8") == '{"answers": {"1": '


def test_the_fixture_matches_what_the_serializer_writes(old_store):
    """Guard on the fixture itself: it is in the current stored form (no converter hidden)."""
    with ProjectStore.open(old_store, seed=False) as store:
        interview = store.get_interview(PID, IID)
        project = store.get_project(PID)
    stored = json.loads(_interview_path(old_store).read_text(encoding="utf-8"))["interview"]["1"]
    assert interview_to_dict(interview, with_answers=False) == stored
    assert project_to_dict(project)["id"] == PID
