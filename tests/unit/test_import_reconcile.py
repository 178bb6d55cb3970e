"""JSON bundles and reconciliation: idempotent, nothing dropped, conflicts kept."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pi87_field.core.bundle import FORMAT, bundle_from_dict, bundle_to_dict, read_bundle_file
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_bundle, import_files
from pi87_field.core.exchange.reconcile import Outcome, reconcile_answer
from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.store import ProjectStore
from tests.support.trees import tree_snapshot
from tests.unit.campaign_copies import (
    PID,
    QID,
    interview_dict,
    interview_with_people,
    project_dict,
    seeded_interview,
    started_copy,
)

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


def test_bundle_with_a_huge_integer_is_one_error_line_and_other_files_still_import(store, tmp_path):
    huge = tmp_path / "huge.json"
    huge.write_text(f'{{"format": "{FORMAT}", "project": {{"id": "zz", "kind": "case_study", "title": "t", '
                    f'"x": {"9" * 5000}}}, "interviews": []}}', encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": FORMAT, "project": {"id": "yy", "kind": "case_study", "title": "t"},
                                "interviews": []}), encoding="utf-8")
    report = import_files(store, [huge, good])
    assert [bool(f.error) for f in report.files] == [True, False]
    assert "\n" not in report.files[0].error and "huge.json" in report.files[0].error
    assert store.has_project("yy") and not store.has_project("zz")


def _chain(*texts: str, author: str = "A") -> list[Answer]:
    """Successive versions of one answer, each descending from the previous (as save_answer does)."""
    out: list[Answer] = []
    for n, text in enumerate(texts):
        previous = out[-1] if out else None
        ancestors = [previous.rev, *[r for r in previous.ancestors]] if previous else []
        answer = Answer(text=text, updated_at=f"2019-10-14T1{n}:00:00+02:00", author=author)
        answer.ancestors = [r for r in dict.fromkeys(ancestors) if r != answer.rev]
        out.append(answer)
    return out


def test_a_revert_to_an_earlier_text_is_an_update_not_an_older_version():
    a, b, a_again = _chain("A", "B", "A")
    merged, outcome = reconcile_answer(copy.deepcopy(b), copy.deepcopy(a_again))
    assert outcome == Outcome.UPDATED and merged.text == "A"
    # the original A is still an older version of B
    merged, outcome = reconcile_answer(copy.deepcopy(b), copy.deepcopy(a))
    assert outcome == Outcome.OLDER and merged.text == "B"


def test_a_revert_concurrent_with_a_new_edit_is_a_conflict_both_kept():
    a, b, c = _chain("A", "B", "C")
    _, _, a_again = _chain("A", "B", "A", author="Z")
    merged, outcome = reconcile_answer(copy.deepcopy(c), copy.deepcopy(a_again), source="z.json")
    assert outcome == Outcome.CONFLICT
    assert {merged.text, *[v.text for v in merged.concurrent]} == {"A", "C"}
    # an old copy of the history is still recognised as older
    merged, outcome = reconcile_answer(copy.deepcopy(c), copy.deepcopy(b))
    assert outcome == Outcome.OLDER and merged.text == "C"


def test_resolving_a_conflict_in_favour_of_the_kept_version_is_an_update():
    base = Answer(text="base", updated_at="2019-10-14T10:00:00+00:00", author="A")
    mine = Answer(text="mine", updated_at="2019-10-15T10:00:00+00:00", author="A", ancestors=[base.rev])
    theirs = Answer(text="theirs", updated_at="2019-10-16T10:00:00+00:00", author="B", ancestors=[base.rev])
    shown, outcome = reconcile_answer(copy.deepcopy(mine), copy.deepcopy(theirs), source="b.json")
    assert outcome == Outcome.CONFLICT and shown.text == "theirs" and shown.concurrent[0].text == "mine"
    # Later, someone reading both picks "mine" again (an edit of the shown "theirs").
    resolved = Answer(text="mine", updated_at="2019-10-17T10:00:00+00:00", author="B",
                      ancestors=[theirs.rev, base.rev])
    merged, outcome = reconcile_answer(copy.deepcopy(shown), resolved, source="b2.json")
    assert outcome == Outcome.UPDATED and merged.text == "mine" and merged.updated_at.startswith("2019-10-17")


def test_revert_imported_into_a_store_is_not_dropped(store, tmp_path):
    """Laptop 1 has B (grown from A). Laptop 2 had B too and went back to A: A must arrive."""
    interview = seeded_interview(store)
    a, b, a_again = _chain("A", "B", "A")
    interview.answers[QID] = b
    store.save_interview(interview)
    bundle = bundle_from_dict({"format": FORMAT, "project": {"id": PID, "kind": "case_study", "title": "t",
                                                             "updated_at": "2019-07-10T00:00:00+02:00"},
                               "interviews": []})
    incoming = copy.deepcopy(store.get_interview(PID, interview.id))
    incoming.answers[QID] = a_again
    bundle.interviews = [incoming]
    result = import_bundle(store, bundle, source="laptop2.json")
    assert store.get_interview(PID, interview.id).answers[QID].text == "A"
    assert [c.outcome for c in result.changes if c.question_id == QID] == [Outcome.UPDATED]


@pytest.mark.parametrize("fmt", ["json", "docx"])
def test_pseudonymised_export_cannot_be_imported_back_over_real_names(store, data_dir, tmp_path, fmt):
    interview = interview_with_people(store)
    path = export_project(store, PID, tmp_path / "out", fmt=fmt, pseudonymise=True)
    if fmt == "json":  # as after an edit: the copy is newer than the store's
        data = json.loads(path.read_text(encoding="utf-8"))
        data["interviews"][0]["updated_at"] = "2030-01-01T00:00:00+00:00"
        data["interviews"][0]["answers"][QID]["updated_at"] = "2030-01-01T00:00:00+00:00"
        data["interviews"][0]["answers"][QID]["text"] += " Édité."
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = tree_snapshot(data_dir / "projects")
    report = import_files(store, [path])
    assert tree_snapshot(data_dir / "projects") == before
    assert len(report.errors) == 1 and "pseudonymis" in report.errors[0].error
    assert "\n" not in report.errors[0].error
    again = store.get_interview(PID, interview.id)
    assert again.interviewees[0].name == "Jean Dupont"
    assert again.answers[QID].text == "Jean Dupont présente la structure."


def test_two_laptops_starting_the_same_planned_interview_give_two_interviews(store, tmp_path):
    """Anne (here) and Bruno (elsewhere) each started the seeded ec01 interview: same uuid5 id, but
    two different meetings. Bruno's import must neither replace Anne's interviewees nor mix answers."""
    mine = started_copy(store, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00")
    store.save_interview(mine)
    theirs = started_copy(store, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00")
    theirs.updated_at = "2030-01-01T00:00:00+00:00"
    project = store.get_project(PID)
    data = {"format": FORMAT, "project": json.loads(json.dumps(project_dict(project))),
            "interviews": [interview_dict(theirs)]}
    path = tmp_path / "bruno.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_files(store, [path])
    interviews = store.list_interviews(PID)
    assert len(interviews) == 2
    by_interviewer = {i.interviewer: i for i in interviews}
    assert by_interviewer["Anne"].id == mine.id
    assert by_interviewer["Anne"].interviewees[0].name == "Jean Dupont"
    assert by_interviewer["Anne"].answers[QID].text == "Réponse d'Anne"
    assert not by_interviewer["Anne"].answers[QID].concurrent
    assert by_interviewer["Bruno"].interviewees[0].name == "Marie Curie"
    assert by_interviewer["Bruno"].answers[QID].text == "Réponse de Bruno"
    # idempotent: the same file again changes nothing; Bruno's later edit lands in his interview
    before = tree_snapshot(store.projects_dir)
    import_files(store, [path])
    assert tree_snapshot(store.projects_dir) == before
    data["interviews"][0]["answers"][QID] = {
        "text": "Réponse de Bruno, complétée", "state": "answered", "author": "Bruno",
        "updated_at": "2030-01-02T00:00:00+00:00", "ancestors": [Answer(text="Réponse de Bruno").rev]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_files(store, [path])
    interviews = {i.interviewer: i for i in store.list_interviews(PID)}
    assert len(interviews) == 2
    assert interviews["Bruno"].answers[QID].text == "Réponse de Bruno, complétée"
    assert interviews["Anne"].answers[QID].text == "Réponse d'Anne"


def test_a_colleague_continuing_an_imported_interview_is_still_the_same_interview(store, tmp_path):
    mine = started_copy(store, "Anne", "Jean Dupont", "v1", "2019-10-14T09:00:00+02:00")
    store.save_interview(mine)
    theirs = copy.deepcopy(store.get_interview(PID, mine.id))
    theirs.answers[QID] = Answer(text="v2", author="Bruno", ancestors=[Answer(text="v1").rev])
    theirs.interviewees[0].role = "Directeur"
    theirs.updated_at = "2030-01-01T00:00:00+00:00"
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": FORMAT, "project": project_dict(store.get_project(PID)),
                                "interviews": [interview_dict(theirs)]}, ensure_ascii=False), encoding="utf-8")
    import_files(store, [path])
    (only,) = store.list_interviews(PID)
    assert only.answers[QID].text == "v2" and only.interviewees[0].role == "Directeur"


def test_seeded_interview_round_trip_between_two_laptops_gives_no_duplicate(tmp_path):
    with ProjectStore.open(tmp_path / "anne") as anne, ProjectStore.open(tmp_path / "bruno") as bruno:
        anne.save_interview(started_copy(anne, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00"))
        bruno.save_interview(started_copy(bruno, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00"))
        import_files(anne, [export_project(bruno, PID, tmp_path / "from-bruno", fmt="json")])
        assert len(anne.list_interviews(PID)) == 2
        # Anne's store (her copy under the campaign id, Bruno's under its own id) goes back to Bruno
        import_files(bruno, [export_project(anne, PID, tmp_path / "from-anne", fmt="json")])
        people = sorted(i.interviewees[0].name for i in bruno.list_interviews(PID))
        assert people == ["Jean Dupont", "Marie Curie"]
        for interview in bruno.list_interviews(PID):
            assert not interview.answers[QID].concurrent


def test_bundle_giving_one_answer_twice_is_refused_not_half_read(store, tmp_path):
    bundle = json.dumps({"format": FORMAT, "project": {"id": "dup", "kind": "case_study", "title": "t"},
                         "interviews": [{"id": "0b5c6a38-7a3e-4f56-9a1b-2f3c4d5e6f70",
                                         "answers": {QID: {"text": "première"}}}]}, ensure_ascii=False)
    twice = bundle.replace(f'"{QID}": {{"text": "première"}}',
                           f'"{QID}": {{"text": "première"}}, "{QID}": {{"text": "seconde"}}')
    path = tmp_path / "twice.json"
    path.write_text(twice, encoding="utf-8")
    report = import_files(store, [path])
    assert len(report.errors) == 1 and "en double" in report.errors[0].error
    assert QID in report.errors[0].error and not store.has_project("dup")


# -- an export taken in the middle of a burst of autosaves ------------------------------------------

def test_importing_your_own_export_taken_mid_burst_is_older(store, tmp_path, monkeypatch):
    """Export while typing, keep typing, import the export: it used to be "2 en conflit" with the
    older text added as a version (the burst's passing saves were not ancestors)."""
    from pi87_field.core.exchange.exporting import export_project
    from pi87_field.core.store import project_store

    interview = store.list_interviews(PID)[0]
    for text in ("Une", "Une mission", "Une mission locale"):
        store.save_answer(PID, interview.id, QID, text, author="Anne")
        store.save_answer(PID, interview.id, "structure.effectifs", text + " : 12", author="Anne")
    exported = export_project(store, PID, tmp_path / "out", fmt="json")
    for text in ("Une mission locale du", "Une mission locale du Lunévillois"):
        store.save_answer(PID, interview.id, QID, text, author="Anne")
        store.save_answer(PID, interview.id, "structure.effectifs", text + " : 12", author="Anne")
    report = import_files(store, [exported])
    assert report.ok and not report.conflicts, report
    outcomes = {c.question_id: c.outcome for f in report.files for c in f.changes if c.question_id}
    assert outcomes == {QID: Outcome.OLDER, "structure.effectifs": Outcome.OLDER}
    answer = store.get_interview(PID, interview.id).answers[QID]
    assert answer.text == "Une mission locale du Lunévillois" and answer.concurrent == []
    # still older once the burst has ended and a later one began
    monkeypatch.setattr(project_store, "EDIT_BURST_SECONDS", 0)
    store.save_answer(PID, interview.id, QID, "Une mission locale du Lunévillois, créée en 1990.", author="Anne")
    again = import_files(store, [exported])
    assert not again.conflicts
    assert store.get_interview(PID, interview.id).answers[QID].concurrent == []


def test_a_later_export_of_the_same_burst_updates_a_copy_of_an_earlier_one(store, tmp_path):
    """The lead imported a mid-burst export; the evaluator's later export of the same burst is
    an edit of it, not a conflict."""
    from pi87_field.core.exchange.exporting import export_project

    interview = store.list_interviews(PID)[0]
    for text in ("Une", "Une mission", "Une mission locale"):
        store.save_answer(PID, interview.id, QID, text, author="Anne")
    first = export_project(store, PID, tmp_path / "first", fmt="json")
    store.save_answer(PID, interview.id, QID, "Une mission locale du Lunévillois", author="Anne")
    second = export_project(store, PID, tmp_path / "second", fmt="json")
    with ProjectStore.open(tmp_path / "lead", durable=False) as lead:
        import_files(lead, [first])
        report = import_files(lead, [second])
        assert not report.conflicts
        assert lead.get_interview(PID, interview.id).answers[QID].text == "Une mission locale du Lunévillois"
