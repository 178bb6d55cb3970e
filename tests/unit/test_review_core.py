"""Review of the core's "never lose an answer" promise: each test names the defect it pins."""

from __future__ import annotations

import copy
import errno
import json
from pathlib import Path

import pytest

from pi87_field.core.bundle import FORMAT, bundle_from_dict
from pi87_field.core.errors import StoreError
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.exchange.importing import import_bundle, import_files
from pi87_field.core.exchange.reconcile import Outcome, reconcile_answer
from pi87_field.core.model import Answer, Interviewee, InterviewStatus, new_interview_id
from pi87_field.core.store import storage
from tests.conftest import tree_snapshot

PID = "ec01-pole-emploi-dg"
QID = "structure.presentation"


def _seeded(store):
    return store.list_interviews(PID)[0]


# -- save_answer after an answer with a timestamp without offset ---------------------------------

def test_save_answer_after_an_imported_answer_without_utc_offset(store):
    """A bundle may carry '2019-10-14T10:05:00' (no offset): the next keystroke save must not crash
    (naive minus aware datetime raised TypeError, which the TUI does not catch)."""
    interview = _seeded(store)
    interview.answers[QID] = Answer(text="importé", updated_at="2019-10-14T10:05:00", author="Anne",
                                    ancestors=["0123456789abcdef"])
    store.save_interview(interview)
    saved = store.save_answer(PID, interview.id, QID, "importé, puis complété", author="Anne")
    assert store.get_interview(PID, interview.id).answers[QID].text == "importé, puis complété"
    assert Answer(text="importé").rev in saved.ancestors


# -- hostile JSON bundles ------------------------------------------------------------------------

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


# -- reconcile: reverts and resolved conflicts are edits, not "older versions" -------------------

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
    interview = _seeded(store)
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


# -- pseudonymised write-ups must not replace real names ------------------------------------------

def _interview_with_people(store):
    interview = _seeded(store)
    interview.interviewer = "Anne"
    interview.interviewees = [Interviewee(name="Jean Dupont", role="Directeur", organisation="Pôle emploi",
                                          extra={"tel": "06 00 00 00 00"})]
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.save_answer(PID, interview.id, QID, "Jean Dupont présente la structure.", author="Anne")
    return interview


@pytest.mark.parametrize("fmt", ["json", "docx"])
def test_pseudonymised_export_cannot_be_imported_back_over_real_names(store, data_dir, tmp_path, fmt):
    interview = _interview_with_people(store)
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


# -- the campaign's seeded interviews carry the same id on every laptop ---------------------------

def _started_copy(store, interviewer: str, person: str, answer: str, consent_at: str):
    interview = _seeded(store)
    interview.interviewer = interviewer
    interview.interviewees = [Interviewee(name=person, organisation="Pôle emploi")]
    interview.status = InterviewStatus.IN_PROGRESS
    interview.extra["consent_recorded_at"] = consent_at
    interview.answers[QID] = Answer(text=answer, author=interviewer)
    return interview


def test_two_laptops_starting_the_same_planned_interview_give_two_interviews(store, tmp_path):
    """Anne (here) and Bruno (elsewhere) each started the seeded ec01 interview: same uuid5 id, but
    two different meetings. Bruno's import must neither replace Anne's interviewees nor mix answers."""
    mine = _started_copy(store, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00")
    store.save_interview(mine)
    theirs = _started_copy(store, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00")
    theirs.updated_at = "2030-01-01T00:00:00+00:00"
    project = store.get_project(PID)
    data = {"format": FORMAT, "project": json.loads(json.dumps(_project_dict(project))),
            "interviews": [_interview_dict(theirs)]}
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
    mine = _started_copy(store, "Anne", "Jean Dupont", "v1", "2019-10-14T09:00:00+02:00")
    store.save_interview(mine)
    theirs = copy.deepcopy(store.get_interview(PID, mine.id))
    theirs.answers[QID] = Answer(text="v2", author="Bruno", ancestors=[Answer(text="v1").rev])
    theirs.interviewees[0].role = "Directeur"
    theirs.updated_at = "2030-01-01T00:00:00+00:00"
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": FORMAT, "project": _project_dict(store.get_project(PID)),
                                "interviews": [_interview_dict(theirs)]}, ensure_ascii=False), encoding="utf-8")
    import_files(store, [path])
    (only,) = store.list_interviews(PID)
    assert only.answers[QID].text == "v2" and only.interviewees[0].role == "Directeur"


def _project_dict(project):
    from pi87_field.core.serialize import project_to_dict

    return project_to_dict(project)


def _interview_dict(interview):
    from pi87_field.core.serialize import interview_to_dict

    return {k: v for k, v in interview_to_dict(interview).items() if k != "project_id"}


# -- a file written by a newer version is not rewritten by this one -------------------------------

def _bump_schema(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    data["_meta"]["1"]["schema"] = storage.SCHEMA_VERSION + 1
    data["attachments"] = {"1": {"name": "photo.jpg"}}   # a table this version does not know
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def test_save_answer_refuses_an_interview_file_of_a_newer_schema(store):
    interview = _seeded(store)
    path = store.interview_file(PID, interview.id)
    raw = _bump_schema(path)
    with pytest.raises(StoreError, match="plus récente"):
        store.save_answer(PID, interview.id, QID, "texte")
    with pytest.raises(StoreError, match="plus récente"):
        store.save_interview(store.get_interview(PID, interview.id))
    assert path.read_bytes() == raw


def test_save_project_refuses_a_project_file_of_a_newer_schema(store):
    path = store.project_file(PID)
    raw = _bump_schema(path)
    with pytest.raises(StoreError, match="plus récente"):
        store.save_project(store.get_project(PID))
    assert path.read_bytes() == raw


# -- a failing backup never blocks the save of an answer ------------------------------------------

def test_answer_is_saved_when_the_backup_folder_cannot_be_created(store, monkeypatch):
    interview = _seeded(store)
    store.save_answer(PID, interview.id, QID, "premier jet")
    storage.AtomicJSONStorage._last_backup.clear()

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage, "ensure_dir", full)
    store.save_answer(PID, interview.id, QID, "second jet, à garder")
    assert store.get_interview(PID, interview.id).answers[QID].text == "second jet, à garder"


# -- a full disk during a save: the old file stays, one clear error --------------------------------

def test_full_disk_during_save_answer_keeps_the_previous_answer(store, monkeypatch):
    import os

    interview = _seeded(store)
    store.save_answer(PID, interview.id, QID, "avant")
    path = store.interview_file(PID, interview.id)
    before = path.read_bytes()
    real_replace = os.replace

    def no_space(src, dst, *a, **kw):
        if str(dst) == str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(StoreError, match="disque plein"):  # one French line, not an OSError
        store.save_answer(PID, interview.id, QID, "après")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert store.get_interview(PID, interview.id).answers[QID].text == "avant"


def test_new_interview_id_is_random_not_campaign():
    import uuid

    assert uuid.UUID(new_interview_id()).version == 4


def test_store_file_with_a_huge_integer_is_damaged_not_a_crash(store):
    interview = _seeded(store)
    path = store.interview_file(PID, interview.id)
    path.write_text(f'{{"interview": {{"1": {{"id": "{interview.id}", "n": {"7" * 5000}}}}}}}')
    damaged: list = []
    assert store.list_interviews(PID, damaged=damaged) == []
    assert len(damaged) == 1 and damaged[0].path == path
    with pytest.raises(StoreError):
        store.save_answer(PID, interview.id, QID, "texte")


def test_merged_json_with_a_huge_integer_is_one_error(tmp_path):
    from pi87_field.core.errors import ImportFormatError
    from pi87_field.core.merge import MERGE_FORMAT, read_merged_bundles

    raw = f'{{"format": "{MERGE_FORMAT}", "bundles": [], "x": {"1" * 5000}}}'.encode()
    with pytest.raises(ImportFormatError):
        read_merged_bundles(raw, "m.json")


def test_word_edit_going_back_to_an_earlier_text_is_imported(store, tmp_path):
    """The store's answer went A -> B; a reader of the write-up puts A back in Word."""
    import zipfile

    from lxml import etree

    from pi87_field.core.word.read import read_writeup
    from tests.unit.test_docx_read import answer_paragraphs, core_edited_by, rewrite, set_text_as_word_does

    interview = _seeded(store)
    store.save_answer(PID, interview.id, QID, "Texte A", author="Anne")
    store.save_answer(PID, interview.id, QID, "Texte B", author="Anne")
    path = export_project(store, PID, tmp_path / "out")
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    (paragraph,) = answer_paragraphs(root, interview.id, QID)
    set_text_as_word_does(paragraph, "Texte A")
    edited = rewrite(path, tmp_path / "edited.docx", {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "docProps/core.xml": core_edited_by(path, "Relecteur", "2030-01-01T08:00:00Z"),
    })
    read_back = next(i for i in read_writeup(edited).bundle.interviews if i.id == interview.id).answers[QID]
    assert read_back.text == "Texte A" and read_back.rev not in read_back.ancestors
    report = import_files(store, [edited])
    assert not report.errors
    assert store.get_interview(PID, interview.id).answers[QID].text == "Texte A"


def _bundle_file(path: Path, store, interviews) -> Path:
    path.write_text(json.dumps({"format": FORMAT, "project": _project_dict(store.get_project(PID)),
                                "interviews": [_interview_dict(i) for i in interviews]}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_seeded_interview_round_trip_between_two_laptops_gives_no_duplicate(tmp_path):
    from pi87_field.core.store import ProjectStore

    with ProjectStore.open(tmp_path / "anne") as anne, ProjectStore.open(tmp_path / "bruno") as bruno:
        anne.save_interview(_started_copy(anne, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00"))
        bruno.save_interview(_started_copy(bruno, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00"))
        import_files(anne, [export_project(bruno, PID, tmp_path / "from-bruno", fmt="json")])
        assert len(anne.list_interviews(PID)) == 2
        # Anne's store (her copy under the campaign id, Bruno's under its own id) goes back to Bruno
        import_files(bruno, [export_project(anne, PID, tmp_path / "from-anne", fmt="json")])
        people = sorted(i.interviewees[0].name for i in bruno.list_interviews(PID))
        assert people == ["Jean Dupont", "Marie Curie"]
        for interview in bruno.list_interviews(PID):
            assert not interview.answers[QID].concurrent


def test_merge_keeps_two_laptops_copies_of_a_seeded_interview_apart(store, tmp_path):
    from pi87_field.core.merge import consolidate

    a = _bundle_file(tmp_path / "anne.json", store,
                     [_started_copy(store, "Anne", "Jean Dupont", "Réponse d'Anne", "2019-10-14T09:00:00+02:00")])
    b = _bundle_file(tmp_path / "bruno.json", store,
                     [_started_copy(store, "Bruno", "Marie Curie", "Réponse de Bruno", "2019-10-20T09:00:00+02:00")])
    state = consolidate([a, b])
    interviews = list(state.projects[PID].interviews.values())
    assert sorted(i.answers[QID].text for i in interviews) == ["Réponse d'Anne", "Réponse de Bruno"]
    assert state.counts().conflicts == 0
    assert {state.answer_sources[(PID, i.id, QID)] for i in interviews} == {"anne.json", "bruno.json"}


def test_word_edit_of_an_answer_does_not_bring_back_the_exported_interview_facts(store, tmp_path):
    """The facts embedded in a write-up are those of export time; a Word edit of an answer is not
    an edit of the facts, so facts corrected locally since the export must stay."""
    import zipfile

    from lxml import etree

    from tests.unit.test_docx_read import answer_paragraphs, core_edited_by, rewrite, set_text_as_word_does

    interview = _interview_with_people(store)
    path = export_project(store, PID, tmp_path / "out")
    local = store.get_interview(PID, interview.id)
    local.interviewees[0].name = "Jean Dupond"          # spelling fixed after the export
    store.save_interview(local)
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    (paragraph,) = answer_paragraphs(root, interview.id, QID)
    set_text_as_word_does(paragraph, "Relu dans Word.")
    edited = rewrite(path, tmp_path / "edited.docx", {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "docProps/core.xml": core_edited_by(path, "Relecteur", "2030-01-01T08:00:00Z"),
    })
    assert not import_files(store, [edited]).errors
    again = store.get_interview(PID, interview.id)
    assert again.answers[QID].text == "Relu dans Word."
    assert again.interviewees[0].name == "Jean Dupond"


def test_deleting_the_same_interview_twice_in_one_second_keeps_both_copies(store):
    interview = _seeded(store)
    store.save_answer(PID, interview.id, QID, "première version")
    store.delete_interview(PID, interview.id)
    again = copy.deepcopy(interview)
    again.answers = {QID: Answer(text="recréée par un import")}
    store.save_interview(again)
    store.delete_interview(PID, interview.id)
    kept = sorted((store.backups_dir / "deleted" / PID).glob(f"{interview.id}.*.json"))
    texts = sorted(json.loads(p.read_bytes())["answers"]["1"]["text"] for p in kept)
    assert texts == ["première version", "recréée par un import"]


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


def test_write_up_whose_embedded_data_gives_one_answer_twice_is_refused(store, tmp_path):
    import zipfile

    from tests.unit.test_docx_read import rewrite

    interview = _seeded(store)
    store.save_answer(PID, interview.id, QID, "unique")
    path = export_project(store, PID, tmp_path / "out")
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.startswith("customXml/item") and b"writeup" in z.read(n))
        xml = z.read(name).decode()
    marker = f'"{QID}":{{"text":"unique"'
    assert marker in xml
    tampered = rewrite(path, tmp_path / "tampered.docx",
                       {name: xml.replace(marker, f'"{QID}":{{"text":"autre"}},{marker}').encode()})
    report = import_files(store, [tampered])
    assert len(report.errors) == 1 and "en double" in report.errors[0].error
    assert store.get_interview(PID, interview.id).answers[QID].text == "unique"


def test_save_interview_never_writes_over_a_damaged_file(store):
    from pi87_field.core.errors import DamagedFileError

    interview = _seeded(store)
    path = store.interview_file(PID, interview.id)
    path.write_bytes(b'{"interview": {"1": {"id": "tronqu')
    with pytest.raises(DamagedFileError):
        store.save_interview(interview)
    assert path.read_bytes() == b'{"interview": {"1": {"id": "tronqu'
