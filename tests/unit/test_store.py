"""The store: atomic durable writes, one writer, damaged files named and kept, campaign seed."""

from __future__ import annotations

import copy
import errno
import json
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest

from pi87_field.core.campaign import QUALITATIVE_INTERVIEWS
from pi87_field.core.errors import DamagedFileError, StoreError, StoreLockedError
from pi87_field.core.model import Answer, AnswerState, Interview, new_interview_id
from pi87_field.core.money import format_amount
from pi87_field.core.store import ProjectStore, atomic, storage
from tests.support.hostile import HOSTILE_TEXTS
from tests.support.paths import FIXTURES, REPO
from tests.unit.campaign_copies import PID, QID, seeded_interview


def _first_interview(store: ProjectStore, pid: str = "ec01-pole-emploi-dg") -> Interview:
    return store.list_interviews(pid)[0]


def test_empty_store_starts_with_the_pi87_campaign(store):
    projects = {p.id: p for p in store.list_projects()}
    assert len(projects) == 9
    cases = [p for p in projects.values() if p.kind == "case_study"]
    assert len(cases) == 8
    assert [p.os for p in cases].count(2) == 2
    table = " ".join((FIXTURES / "annex_5_1_table.txt").read_text(encoding="utf-8").split())
    table = table.replace("Vitré- Porte", "Vitré-Porte")
    for p in cases:
        assert p.title in table, p.title
        assert p.carrier in table, p.carrier
        assert " ".join(p.characteristics.split()) in table, p.characteristics
        shown = format_amount(p.fse_amount).replace("\u00a0", " ")
        assert shown in table or shown.replace(" €", "€") in table, shown
    assert projects["ec07-arml-basse-normandie"].fse_amount == Decimal("21914.89")
    assert projects["ec08-insup"].fse_amount == Decimal("113516.76")
    assert projects["ec01-pole-emploi-dg"].fse_amount == Decimal("1500000")
    assert projects["ec02-mef-auxerrois"].fse_amount_note == "pour les 4 opérations"


def test_campaign_has_the_qualitative_interviews_of_section_1_4(store):
    interviews = store.list_interviews("entretiens-qualitatifs")
    assert [i.interviewees[0].organisation for i in interviews] == QUALITATIVE_INTERVIEWS  # report order
    orgs = sorted(i.interviewees[0].organisation for i in interviews)
    assert orgs.count("Pôle Emploi") == 2 and orgs.count("Alliances Ville Emploi") == 2
    assert len(orgs) == 9
    section = " ".join((FIXTURES / "section_1_4_interviews.txt").read_text(encoding="utf-8").split())
    for org in set(orgs):
        assert org in section or org.replace(" – service de Rhône-Alpes", "") in section, org
    assert all(i.status == "planned" and i.guide_id == "entretiens-qualitatifs" for i in interviews)


def test_save_answer_round_trip_with_hostile_text(store, data_dir):
    interview = _first_interview(store)
    for n, (name, text) in enumerate(HOSTILE_TEXTS.items()):
        qid = store.guide_for("etude-de-cas").question_ids[n]
        store.save_answer(interview.project_id, interview.id, qid, text, author="Anne")
    again = ProjectStore(data_dir, writer=False).get_interview(interview.project_id, interview.id)
    ids = store.guide_for("etude-de-cas").question_ids
    assert again.answers[ids[0]].text == "avant[31mrouge après"
    assert again.answers[ids[1]].text == HOSTILE_TEXTS["emoji"]
    assert again.answers[ids[2]].text == HOSTILE_TEXTS["rtl"]
    assert again.answers[ids[3]].text == "ligne 1\nligne 2\n\nparagraphe 2\nfin"
    assert again.answers[ids[4]].text == HOSTILE_TEXTS["long"]
    assert again.status == "in_progress"
    raw = store.interview_file(interview.project_id, interview.id).read_bytes()
    assert "👍🏽".encode() in raw and b"\\u" not in raw  # UTF-8 without escapes


def test_answer_state_and_revision_history(store):
    i = _first_interview(store)
    a1 = store.save_answer(i.project_id, i.id, "budget.cout", "500 000 €", author="Anne")
    a2 = store.save_answer(i.project_id, i.id, "budget.cout", "", state="declined", author="Bruno")
    assert a2.state == AnswerState.DECLINED and a1.rev in a2.ancestors
    assert store.get_interview(i.project_id, i.id).answers["budget.cout"].state == "declined"


def test_files_are_private(store, data_dir):
    i = _first_interview(store)
    store.save_answer(i.project_id, i.id, "budget.cout", "x")
    for path in data_dir.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, path
        else:
            assert mode == 0o600, path


def test_second_writer_is_refused_but_readers_work(store, data_dir):
    with pytest.raises(StoreLockedError, match="déjà ouvertes par un autre pi87-field"):
        ProjectStore.open(data_dir)
    reader = ProjectStore.open(data_dir, writer=False)
    assert len(reader.list_projects()) == 9
    with pytest.raises(StoreError, match="lecture seule"):
        reader.save_project(reader.list_projects()[0])


def test_lock_of_a_killed_process_never_blocks(data_dir):
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from pi87_field.core.store import ProjectStore
        s = ProjectStore.open(Path({str(data_dir)!r}))
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(StoreLockedError):
        ProjectStore.open(data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    s = ProjectStore.open(data_dir)  # the OS released the lock with the process
    assert len(s.list_projects()) == 9
    s.close()


def test_damaged_project_file_is_named_kept_and_others_list(store, data_dir):
    path = store.project_file("ec03-meef-vitre")
    path.write_bytes(b'{"project": {"1": {"id": "ec03-meef-vit')  # truncated
    before = path.read_bytes()
    scan = store.scan()
    assert len(scan.projects) == 8
    assert [Path(d.path) for d in scan.damaged] == [path]
    assert "ec03-meef-vitre" in str(scan.damaged[0]) and "conservé tel quel" in str(scan.damaged[0])
    # Nothing overwrites it: not a re-seed, not a new writer, not a save elsewhere
    store.close()
    s2 = ProjectStore.open(data_dir)
    i = _first_interview(s2)
    s2.save_answer(i.project_id, i.id, "budget.cout", "ok")
    assert path.read_bytes() == before
    with pytest.raises(DamagedFileError):
        s2.get_project("ec03-meef-vitre")
    s2.close()


def test_damaged_interview_file_is_refused_not_overwritten(store):
    i = _first_interview(store)
    path = store.interview_file(i.project_id, i.id)
    path.write_bytes(b"\x00\x00garbage")
    damaged: list = []
    assert store.list_interviews(i.project_id, damaged=damaged) == []
    assert len(damaged) == 1 and str(path) in str(damaged[0])
    with pytest.raises(DamagedFileError):
        store.save_answer(i.project_id, i.id, "budget.cout", "x")
    assert path.read_bytes() == b"\x00\x00garbage"


def test_rolling_backups_keep_previous_versions(store, data_dir, monkeypatch):
    monkeypatch.setattr(storage, "BACKUP_EVERY_SECONDS", 0)
    i = _first_interview(store)
    for n in range(8):
        store.save_answer(i.project_id, i.id, "budget.cout", f"version {n}")
    backups = sorted((data_dir / "backups" / i.project_id / "interviews" / i.id).glob("*.json"))
    assert len(backups) == storage.BACKUPS_KEPT
    last = json.loads(backups[-1].read_text(encoding="utf-8"))
    texts = [a["text"] for a in last["answers"].values()]
    assert texts == ["version 6"]


def test_bad_ids_never_reach_the_file_system(store, data_dir):
    for bad in ["../../x", "a/b", "", "X" * 200, "Majuscule"]:
        with pytest.raises(StoreError):
            store.project_file(bad)
    with pytest.raises(StoreError):
        store.interview_file("ec01-pole-emploi-dg", "../../../etc/passwd")


def test_new_interview_and_search(store):
    guide = store.guide_for("etude-de-cas")
    interview = Interview(id=new_interview_id(), project_id="ec05-ml-lunevillois", guide_id=guide.id,
                          guide_version=guide.version, question_texts=guide.question_texts())
    store.save_interview(interview)
    store.save_answer("ec05-ml-lunevillois", interview.id, "resultats.principaux",
                      "Les agences d'intérim ont recruté 12 jeunes.")
    hits = store.search("INTERIM")
    assert len(hits) == 1 and hits[0].question_id == "resultats.principaux"
    assert "intérim" in hits[0].excerpt


KILL_WORKER = textwrap.dedent("""
    import sys, json, uuid, random
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from pi87_field.core.store import ProjectStore
    from pi87_field.core.bundle import bundle_from_dict
    from pi87_field.core.exchange.importing import import_bundle
    store = ProjectStore.open(Path(sys.argv[2]))
    n = 0
    while True:
        n += 1
        pid = f"kill-{n % 7}"
        data = {"format": "pi87-field/1", "exported_at": "2019-10-15T09:00:00+00:00",
                "project": {"id": pid, "kind": "case_study", "title": f"Projet {n}", "os": 1,
                            "fse_amount": "1000.00", "updated_at": f"2019-10-{n % 28 + 1:02d}T00:00:00+00:00"},
                "interviews": [{"id": str(uuid.uuid4()), "guide_id": "etude-de-cas", "guide_version": "1.0",
                                "status": "complete",
                                "answers": {f"q{k}": {"text": "é" * 4000 + str(n), "state": "answered",
                                                      "updated_at": "2019-10-14T10:05:00+00:00"}
                                            for k in range(40)}}]}
        import_bundle(store, bundle_from_dict(data))
        print(n, flush=True)
""")


@pytest.mark.slow
def test_sigkill_during_import_never_leaves_the_store_unreadable(data_dir):
    ProjectStore.open(data_dir).close()
    rng = random.Random(87)
    total_imports = 0
    for _round in range(12):
        proc = subprocess.Popen([sys.executable, "-c", KILL_WORKER, str(REPO), str(data_dir)],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # wait until it imports for real
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        total_imports += len(rest.split())
        # Every file of the store parses; a damaged file is impossible by construction.
        for path in data_dir.rglob("*.json"):
            if path.name.startswith("."):
                continue
            json.loads(path.read_text(encoding="utf-8"))
        store = ProjectStore.open(data_dir)  # the lock is free again; temp files are swept
        scan = store.scan()
        assert scan.damaged == []
        for p in scan.projects:
            damaged: list = []
            store.list_interviews(p.id, damaged=damaged)
            assert damaged == []
        assert not list(data_dir.rglob(".*.tmp"))
        store.close()
    assert total_imports > 0


def test_search_excerpt_is_where_the_match_is_even_when_folding_changes_length(store):
    i = _first_interview(store)
    text = "ß" * 300 + " la straße mène à l'INTÉRIM " + "x" * 300
    store.save_answer(i.project_id, i.id, "budget.cout", text)
    hit = store.search("interim")[0]
    assert "INTÉRIM" in hit.excerpt


def test_a_damaged_interview_is_named_once_however_often_it_is_listed(store):
    i = _first_interview(store)
    store.interview_file(i.project_id, i.id).write_bytes(b"{")
    for _ in range(3):
        store.list_interviews(i.project_id)
    assert len(store.damaged) == 1


def test_full_disk_is_one_french_line_and_the_old_answer_stays(store, monkeypatch):
    i = _first_interview(store)
    store.save_answer(i.project_id, i.id, "budget.cout", "avant")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(StoreError, match="disque plein") as err:
        store.save_answer(i.project_id, i.id, "budget.cout", "après")
    assert "\n" not in str(err.value) and "intacte" in str(err.value)
    monkeypatch.undo()
    assert store.get_interview(i.project_id, i.id).answers["budget.cout"].text == "avant"


def test_a_save_over_a_newer_stored_answer_keeps_both_texts(store):
    """Defect it pins (issue 9 item 1): an editor that loaded an answer, while another screen or
    an import wrote a newer one, overwrote that newer answer on its next keystroke."""
    from pi87_field.core.store import EMPTY_REV

    iid = _first_interview(store).id
    first = store.save_answer_checked("ec01-pole-emploi-dg", iid, "structure.presentation", "Version A",
                                      author="Camille", base_rev=EMPTY_REV)
    assert first.conflict is None
    base = first.answer.rev
    # Meanwhile another screen (or an import) stores a newer text.
    store.save_answer("ec01-pole-emploi-dg", iid, "structure.presentation", "Version B (importée)", author="Jean")
    # The stale editor saves over the revision it started from.
    saved = store.save_answer_checked("ec01-pole-emploi-dg", iid, "structure.presentation",
                                      "Version A complétée", author="Camille", base_rev=base)
    assert saved.conflict is not None and saved.conflict.text == "Version B (importée)"
    stored = store.get_interview("ec01-pole-emploi-dg", iid).answers["structure.presentation"]
    assert stored.text == "Version A complétée"
    assert [v.text for v in stored.concurrent] == ["Version B (importée)"]
    assert base in stored.ancestors
    # The editor now starts from what it saved: the next save is a plain edit, no new conflict.
    again = store.save_answer_checked("ec01-pole-emploi-dg", iid, "structure.presentation",
                                      "Version A complétée encore", author="Camille", base_rev=stored.rev)
    assert again.conflict is None
    assert [v.text for v in again.answer.concurrent] == ["Version B (importée)"]


def test_a_checked_save_of_a_never_answered_question_sees_an_answer_written_since(store):
    from pi87_field.core.store import EMPTY_REV

    iid = _first_interview(store).id
    store.save_answer("ec01-pole-emploi-dg", iid, "structure.effectifs", "12 conseillers", author="Jean")
    saved = store.save_answer_checked("ec01-pole-emploi-dg", iid, "structure.effectifs", "Douze",
                                      author="Camille", base_rev=EMPTY_REV)
    assert saved.conflict is not None and saved.conflict.text == "12 conseillers"
    # Same text as stored: nothing to keep twice.
    same = store.save_answer_checked("ec01-pole-emploi-dg", iid, "structure.effectifs", "Douze",
                                     author="Camille", base_rev=EMPTY_REV)
    assert same.conflict is None
def test_save_answer_after_an_imported_answer_without_utc_offset(store):
    """A bundle may carry '2019-10-14T10:05:00' (no offset): the next keystroke save must not crash
    (naive minus aware datetime raised TypeError, which the TUI does not catch)."""
    interview = seeded_interview(store)
    interview.answers[QID] = Answer(text="importé", updated_at="2019-10-14T10:05:00", author="Anne",
                                    ancestors=["0123456789abcdef"])
    store.save_interview(interview)
    saved = store.save_answer(PID, interview.id, QID, "importé, puis complété", author="Anne")
    assert store.get_interview(PID, interview.id).answers[QID].text == "importé, puis complété"
    assert Answer(text="importé").rev in saved.ancestors


def _bump_schema(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    data["_meta"]["1"]["schema"] = storage.SCHEMA_VERSION + 1
    data["attachments"] = {"1": {"name": "photo.jpg"}}   # a table this version does not know
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def test_save_answer_refuses_an_interview_file_of_a_newer_schema(store):
    interview = seeded_interview(store)
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


def test_answer_is_saved_when_the_backup_folder_cannot_be_created(store, monkeypatch):
    interview = seeded_interview(store)
    store.save_answer(PID, interview.id, QID, "premier jet")
    storage.AtomicJSONStorage._last_backup.clear()

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage, "ensure_dir", full)
    store.save_answer(PID, interview.id, QID, "second jet, à garder")
    assert store.get_interview(PID, interview.id).answers[QID].text == "second jet, à garder"


def test_full_disk_during_save_answer_keeps_the_previous_answer(store, monkeypatch):
    interview = seeded_interview(store)
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


def test_store_file_with_a_huge_integer_is_damaged_not_a_crash(store):
    interview = seeded_interview(store)
    path = store.interview_file(PID, interview.id)
    path.write_text(f'{{"interview": {{"1": {{"id": "{interview.id}", "n": {"7" * 5000}}}}}}}')
    damaged: list = []
    assert store.list_interviews(PID, damaged=damaged) == []
    assert len(damaged) == 1 and damaged[0].path == path
    with pytest.raises(StoreError):
        store.save_answer(PID, interview.id, QID, "texte")


def test_deleting_the_same_interview_twice_in_one_second_keeps_both_copies(store):
    interview = seeded_interview(store)
    store.save_answer(PID, interview.id, QID, "première version")
    store.delete_interview(PID, interview.id)
    again = copy.deepcopy(interview)
    again.answers = {QID: Answer(text="recréée par un import")}
    store.save_interview(again)
    store.delete_interview(PID, interview.id)
    kept = sorted((store.backups_dir / "deleted" / PID).glob(f"{interview.id}.*.json"))
    texts = sorted(json.loads(p.read_bytes())["answers"]["1"]["text"] for p in kept)
    assert texts == ["première version", "recréée par un import"]


def test_save_interview_never_writes_over_a_damaged_file(store):
    interview = seeded_interview(store)
    path = store.interview_file(PID, interview.id)
    path.write_bytes(b'{"interview": {"1": {"id": "tronqu')
    with pytest.raises(DamagedFileError):
        store.save_interview(interview)
    assert path.read_bytes() == b'{"interview": {"1": {"id": "tronqu'


def test_resolving_a_conflict_clears_it_and_keeps_both_texts_in_the_history(store):
    """Issue 11 item 7: a resolved conflict leaves the answer (screen and write-up); a later import
    of the set-aside version counts as older; nothing is lost (history)."""
    from pi87_field.core.exchange.reconcile import Outcome, reconcile_answer
    from pi87_field.core.model import AnswerVersion

    pid, iid = "ec01-pole-emploi-dg", _first_interview(store).id
    store.save_answer(pid, iid, "structure.presentation", "Ma version", author="Camille")
    interview = store.get_interview(pid, iid)
    answer = interview.answers["structure.presentation"]
    answer.concurrent = [AnswerVersion("Version de Jean", AnswerState.ANSWERED, "2026-11-27T04:48:57+00:00", "Jean", "jean.docx")]
    store.save_interview(interview)
    resolved = store.resolve_conflict(pid, iid, "structure.presentation", "Ma version et celle de Jean",
                                      "answered", "Camille", base_rev=answer.rev)
    stored = store.get_interview(pid, iid).answers["structure.presentation"]
    assert stored.text == "Ma version et celle de Jean" and stored.concurrent == []
    texts = [e.text for e in store.history.earlier_texts(pid, iid, "structure.presentation")]
    assert "Ma version" in texts and "Version de Jean" in texts
    jean = Answer(text="Version de Jean", author="Jean", updated_at="2026-11-27T04:48:57+00:00")
    assert reconcile_answer(stored, jean)[1] == Outcome.OLDER
    with pytest.raises(StoreError):          # the answer changed since: refused, nothing written
        store.resolve_conflict(pid, iid, "structure.presentation", "x", "answered", "C", base_rev=answer.rev)
    assert resolved.rev == stored.rev


def test_restore_is_a_new_revision_and_the_replaced_text_stays_in_history(store, monkeypatch):
    pid, iid = "ec01-pole-emploi-dg", _first_interview(store).id
    store.save_answer(pid, iid, "structure.effectifs", "Premier texte", author="A")
    monkeypatch.setattr(
        "pi87_field.core.store.project_store._same_burst", lambda *args: False)  # a later edit
    store.save_answer(pid, iid, "structure.effectifs", "Second texte", author="A")
    history = store.history.earlier_texts(pid, iid, "structure.effectifs")
    assert [e.text for e in history] == ["Premier texte"]
    current = store.get_interview(pid, iid).answers["structure.effectifs"]
    restored = store.restore_answer(pid, iid, "structure.effectifs", history[0].text, history[0].state,
                                    "A", base_rev=current.rev)
    assert restored.text == "Premier texte"
    assert current.rev in restored.ancestors               # an edit over "Second texte", not older
    assert [e.text for e in store.history.earlier_texts(pid, iid, "structure.effectifs")] == ["Second texte"]


def test_history_reads_the_rolling_backups_too(store, monkeypatch):
    pid, iid = "ec01-pole-emploi-dg", _first_interview(store).id
    monkeypatch.setattr(storage, "BACKUP_EVERY_SECONDS", 0)
    storage.AtomicJSONStorage._last_backup.clear()
    store.save_answer(pid, iid, "structure.publics", "Avant la panne", author="A")
    store.save_answer(pid, iid, "structure.publics", "Avant la panne, suite", author="A")   # same burst
    store.save_answer(pid, iid, "structure.publics", "Maintenant", author="A")
    entries = store.history.earlier_texts(pid, iid, "structure.publics")
    assert any(e.origin == "sauvegarde automatique" and e.text == "Avant la panne, suite" for e in entries)
    assert all(e.text != "Maintenant" for e in entries)


def test_an_import_that_replaces_an_answer_keeps_the_old_text_in_history(store):
    pid, iid = "ec01-pole-emploi-dg", _first_interview(store).id
    store.save_answer(pid, iid, "structure.presentation", "Texte local", author="A")
    interview = store.get_interview(pid, iid)
    interview.answers["structure.presentation"] = Answer(text="Texte importé", author="B")
    store.save_interview(interview)
    assert [e.text for e in store.history.earlier_texts(pid, iid, "structure.presentation")] == ["Texte local"]


def test_search_excerpt_is_centred_on_the_match_and_says_where_it_is(store):
    """Issue 11 item 12: the excerpt is centred on the match (not cut 60 characters before it)
    and carries the match's offsets, so that a screen can highlight it."""
    pid, iid = "ec01-pole-emploi-dg", _first_interview(store).id
    text = "Début. " + "avant " * 40 + "le Réseau Qualité des partenaires" + " après" * 40
    store.save_answer(pid, iid, "structure.presentation", text, author="A")
    hit = next(h for h in store.search("reseau qualite") if h.question_id == "structure.presentation")
    assert hit.excerpt[hit.match_start:hit.match_end] == "Réseau Qualité"
    before, after = hit.match_start, len(hit.excerpt) - hit.match_end
    assert abs(before - after) <= 2 and before > 40
    assert hit.excerpt.startswith("…") and hit.excerpt.endswith("…")
