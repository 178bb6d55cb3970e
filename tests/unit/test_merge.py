"""merge: consolidation of several evaluators' inputs, report, JSON output, failure handling."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import pi87_field.core.merge.volume as volume
from pi87_field.core.bundle import bundle_from_bytes, bundle_from_dict
from pi87_field.core.model import AnswerState
from pi87_field.core.errors import FieldError, ImportFormatError
from pi87_field.core.merge import (
    MERGE_FORMAT,
    InputStatus,
    consolidate,
    merge_files,
    read_merged_bundles,
)
from tests.support.merge_bundles import (
    tag,
    CONFLICT_QID,
    SHARED_PROJECT,
    full_case_bundle,
    guides,
    three_evaluators,
    write_bundle,
)
from tests.unit.campaign_copies import PID, QID, bundle_file, started_copy


@pytest.fixture
def scenario(tmp_path):
    inputs = tmp_path / "recus"
    inputs.mkdir()
    return three_evaluators(inputs)


def test_report_rows_counts_and_conflict(scenario, tmp_path):
    seen = []
    report = merge_files(scenario["paths"], tmp_path / "volume.docx", progress=seen.append, guides=guides())
    assert seen == scenario["paths"]
    statuses = {r.file: r.status for r in report.rows}
    assert statuses == {
        "alice-ec01.json": InputStatus.OK, "bruno-ec01.json": InputStatus.OK,
        "bruno-ec02.json": InputStatus.OK, "chloe-ec02.json": InputStatus.OK,
        "alice-ec01 (copie).json": InputStatus.DUPLICATE, "chloe-series.json": InputStatus.OK,
    }
    dup = next(r for r in report.rows if r.status == InputStatus.DUPLICATE)
    assert dup.reason == "identique à alice-ec01.json, compté une fois"
    assert dup.sha256 == report.rows[0].sha256 and len(dup.sha256_short) == 12
    assert report.rows[0].evaluator == "Alice"
    assert report.rows[0].project_id == "ec01-commun"
    assert report.rows[0].exported_at == "2019-10-16T09:00:00+02:00"
    counts = report.counts
    assert (counts.inputs, counts.projects, counts.interviews) == (6, 3, scenario["interviews"])
    assert (counts.duplicates, counts.errors, counts.conflicts) == (1, 0, 1)
    # 19 + (5 + 2 states) + 19 (ec01) + 19 (ec02) + 5 + 3 (series): the duplicate adds nothing.
    assert counts.answers == 19 + 7 + 19 + 19 + 5 + 3
    [conflict] = report.conflicts
    assert (conflict.project_id, conflict.question_id) == (SHARED_PROJECT, CONFLICT_QID)
    shown, other = conflict.versions
    assert shown.shown and shown.text == scenario["conflict"]["shown"] and shown.author == "Chloé"
    assert shown.source == "chloe-ec02.json"
    assert not other.shown and other.text == scenario["conflict"]["other"] and other.author == "Bruno"
    # The losing version came from Bruno's file: the merge names it and says what it was
    # (not "version précédente").
    assert other.source == "saisie par Bruno, importée du paquet bruno-ec02.json"
    assert report.ok and report.out_docx.is_file()


def test_conflict_is_symmetric_in_input_order(scenario, tmp_path):
    """Whichever file comes first, the newest version is shown and the other kept."""
    paths = list(reversed(scenario["paths"]))
    report = merge_files(paths, tmp_path / "v.docx", guides=guides())
    [conflict] = report.conflicts
    assert conflict.versions[0].text == scenario["conflict"]["shown"]
    assert conflict.versions[0].source == "chloe-ec02.json"
    assert conflict.versions[1].text == scenario["conflict"]["other"]
    assert conflict.versions[1].source == "saisie par Bruno, importée du paquet bruno-ec02.json"
    dup = [r for r in report.rows if r.status == InputStatus.DUPLICATE]
    assert [r.file for r in dup] == ["alice-ec01.json"]      # the first one seen is the original


def test_merged_json_round_trips(scenario, tmp_path):
    out = tmp_path / "fusion.json"
    merge_files(scenario["paths"], tmp_path / "volume.docx", out, guides=guides())
    raw = out.read_bytes()
    data = json.loads(raw)
    assert data["format"] == MERGE_FORMAT
    assert data["counts"]["duplicates"] == 1 and data["counts"]["conflicts"] == 1
    assert [p["status"] for p in data["provenance"]] == ["ok", "ok", "ok", "ok", "duplicate", "ok"]
    assert all(len(p["sha256"]) == 64 for p in data["provenance"])
    assert len(data["conflicts"]) == 1 and len(data["conflicts"][0]["versions"]) == 2
    bundles = read_merged_bundles(raw)
    assert [b.project.id for b in bundles] == ["ec01-commun", SHARED_PROJECT, "entretiens-qualitatifs"]
    ec02 = bundles[1].interviews[0].answers[CONFLICT_QID]
    assert ec02.text == scenario["conflict"]["shown"]
    assert [v.text for v in ec02.concurrent] == [scenario["conflict"]["other"]]
    # Each bundle is an ordinary pi87-field/1 bundle.
    assert bundle_from_dict(data["bundles"][0]).project.id == "ec01-commun"
    texts = {a.text for b in bundles for i in b.interviews for a in i.answers.values()}
    texts |= {v.text for b in bundles for i in b.interviews for a in i.answers.values() for v in a.concurrent}
    assert {t for _, t in scenario["expected"]} <= texts


def test_bad_inputs_are_one_line_each_and_skipped(scenario, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    truncated = bad / "tronque.json"
    truncated.write_bytes(scenario["paths"][0].read_bytes()[:500])
    foreign = bad / "autre.json"
    foreign.write_text('{"format": "autre-outil/3", "x": 1}', encoding="utf-8")
    binary = bad / "binaire.json"
    binary.write_bytes(os.urandom(2048))
    missing = bad / "absent.json"
    wrong_kind = bad / "notes.txt"
    wrong_kind.write_text("bonjour", encoding="utf-8")
    deep = bad / "profond.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    paths = [truncated, scenario["paths"][0], foreign, binary, missing, wrong_kind, deep]
    report = merge_files(paths, tmp_path / "v.docx", guides=guides())
    rows = {r.file: r for r in report.rows}
    assert rows["alice-ec01.json"].status == InputStatus.OK
    errors = [r for r in report.rows if r.status == InputStatus.ERROR]
    assert len(errors) == 6 and report.counts.errors == 6
    for row in errors:
        assert row.reason and "\n" not in row.reason and "Traceback" not in row.reason
        assert str(row.path) not in row.reason          # the file is its own column
    assert "tronqué" in rows["tronque.json"].reason
    assert "autre-outil/3" in rows["autre.json"].reason
    assert rows["absent.json"].reason == "fichier introuvable"
    assert ".json ou .docx" in rows["notes.txt"].reason
    assert report.counts.projects == 1


def test_nothing_mergeable_raises_and_writes_nothing(tmp_path):
    junk = tmp_path / "x.json"
    junk.write_text("pas du json", encoding="utf-8")
    out = tmp_path / "volume.docx"
    with pytest.raises(FieldError, match="Rien à fusionner.*x.json"):
        merge_files([junk], out, tmp_path / "f.json", guides=guides())
    assert not out.exists() and not (tmp_path / "f.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]      # no temp file left either
    with pytest.raises(FieldError, match="aucun fichier"):
        merge_files([], out, guides=guides())


def test_failure_while_building_leaves_old_volume_untouched(scenario, tmp_path, monkeypatch):
    out = tmp_path / "volume.docx"
    out.write_bytes(b"ancien volume")
    def boom(*args, **kwargs):
        raise RuntimeError("panne au milieu")

    monkeypatch.setattr(volume, "build_volume", boom)
    with pytest.raises(RuntimeError):
        merge_files(scenario["paths"], out, tmp_path / "f.json", guides=guides())
    assert out.read_bytes() == b"ancien volume"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recus", "volume.docx"]


def test_output_may_not_overwrite_an_input(scenario, tmp_path):
    with pytest.raises(FieldError, match="aussi un fichier à fusionner"):
        merge_files(scenario["paths"], scenario["paths"][0], guides=guides())
    with pytest.raises(FieldError, match="deux fichiers différents"):
        merge_files(scenario["paths"], tmp_path / "a.docx", tmp_path / "a.docx", guides=guides())


def test_same_content_in_two_different_files_changes_nothing(tmp_path):
    bundle = full_case_bundle("ec05-test", 5, "Alice", interviews=1, answer_chars=200)
    first = write_bundle(bundle, tmp_path / "a.json")
    bundle.exported_at = "2019-12-01T00:00:00+01:00"        # a re-export: other bytes, same answers
    second = write_bundle(bundle, tmp_path / "b.json")
    state = consolidate([first, second])
    assert [r.status for r in state.inputs] == [InputStatus.OK, InputStatus.OK]
    counts = state.counts()
    assert (counts.projects, counts.interviews, counts.answers, counts.conflicts) == (1, 1, 19, 0)


def test_same_name_project_from_many_files_keeps_every_interview(tmp_path):
    paths = []
    for n, who in enumerate(["Alice", "Bruno", "Chloé"], start=1):
        bundle = full_case_bundle("ec03-commun", 3, who, interviews=1, answer_chars=100, seed=n)
        bundle.interviews[0].id = f"00000000-0000-4000-8000-00000000000{n}"
        paths.append(write_bundle(bundle, tmp_path / f"{who}.json"))
    state = consolidate(paths)
    [merged] = state.projects.values()
    assert len(merged.interviews) == 3
    assert merged.sources == ["Alice.json", "Bruno.json", "Chloé.json"]
    assert sorted(r.evaluator for r in state.inputs) == ["Alice", "Bruno", "Chloé"]


def test_interview_copy_with_foreign_author_lists_both_evaluators(scenario):
    state = consolidate(scenario["paths"])
    chloe = next(r for r in state.inputs if r.file == "chloe-ec02.json")
    assert chloe.evaluators == ["Bruno", "Chloé"]


def test_read_merged_bundles_refuses_other_files():

    with pytest.raises(ImportFormatError):
        read_merged_bundles(b'{"format": "pi87-field/1"}', "x.json")
    with pytest.raises(ImportFormatError):
        read_merged_bundles(b"\xff\xfe", "x.json")


def test_default_guides_are_the_builtin_ones(scenario, tmp_path):
    report = merge_files(scenario["paths"][:1], tmp_path / "v.docx")
    assert report.counts.projects == 1 and (tmp_path / "v.docx").stat().st_size > 10_000


def test_path_strings_are_accepted(scenario, tmp_path):
    report = merge_files([str(p) for p in scenario["paths"][:2]], str(tmp_path / "v.docx"))  # type: ignore[list-item]
    assert report.out_docx == Path(tmp_path / "v.docx")


def test_merged_json_with_a_huge_integer_is_one_error(tmp_path):
    raw = f'{{"format": "{MERGE_FORMAT}", "bundles": [], "x": {"1" * 5000}}}'.encode()
    with pytest.raises(ImportFormatError):
        read_merged_bundles(raw, "m.json")


def test_merge_keeps_two_laptops_copies_of_a_seeded_interview_apart(store, tmp_path):
    a = bundle_file(tmp_path / "anne.json", store,
                     [started_copy(store, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00")])
    b = bundle_file(tmp_path / "bruno.json", store,
                     [started_copy(store, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00")])
    state = consolidate([a, b])
    interviews = list(state.projects[PID].interviews.values())
    assert sorted(i.answers[QID].text for i in interviews) == ["Réponse d'Anne", "Réponse de Bruno"]
    assert state.counts().conflicts == 0
    assert {state.answer_sources[(PID, i.id, QID)] for i in interviews} == {"anne.json", "bruno.json"}


def test_generated_bundle_round_trips(tmp_path):
    bundle = full_case_bundle("ec01-test", 1, "Alice", interviews=2, answer_chars=300)
    path = write_bundle(bundle, tmp_path / "b.json")
    back = bundle_from_bytes(path.read_bytes())
    assert len(back.interviews) == 2
    answers = back.interviews[0].answers
    assert len(answers) == 19
    assert all(len(a.text) == 300 for a in answers.values())
    assert answers["structure.presentation"].text.startswith(tag("Alice", "ec01-test", 1, "structure.presentation"))
    assert all(a.state == AnswerState.ANSWERED for a in answers.values())
