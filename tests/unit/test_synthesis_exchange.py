"""pi87-field-synthesis/1: export, import idempotent, two leads' divergent edits kept, bad input refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pi87_field.core.errors import ImportFormatError
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.exchange.reconcile import Outcome
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import EVIDENCE_UNKNOWN, Workspace
from pi87_field.core.synthesis.exchange import FORMAT, export_synthesis, write_synthesis_file
from tests.support.trees import tree_snapshot

AUX = "ec02-mef-auxerrois"
TEXT = ("Les demandeurs d'emploi vont eux-mêmes recueillir les besoins des entreprises ; "
        "des formations post-Moissons les aident à capitaliser sur cette expérience.")


@pytest.fixture
def leads(tmp_path):
    """Two leads' data folders holding the same evaluator's answer."""
    stores = []
    for name in ("a", "b"):
        store = ProjectStore.open(tmp_path / name)
        ws = Workspace(store)
        iid = ws.interviews(AUX)[0].id
        store.save_answer(AUX, iid, "suites.specificites", TEXT, author="Évaluateur")
        ws.refresh()
        stores.append(ws)
    yield stores
    for ws in stores:
        ws.store.close()


def _outcomes(report) -> list[str]:
    return sorted(f"{c.outcome.value}:{c.question_id.split()[0]}" for f in report.files for c in f.changes)


def test_export_has_the_contract_shape(leads):
    a, _ = leads
    iid = a.interviews(AUX)[0].id
    a.synthesis.pin_evidence(AUX, iid, "suites.specificites", "recueillir les besoins des entreprises",
                             supports=["innovation"], tags=["expérimentation"], author="Cheffe A")
    a.synthesis.save_judgement("innovation", "+++", "Innovation incrémentale, territorialisée.", author="Cheffe A")
    a.synthesis.save_summary(AUX, "suites.specificites", "Prospection par les demandeurs eux-mêmes.", ["essaimage"],
                             author="Cheffe A")
    doc = export_synthesis(a)
    assert doc["format"] == FORMAT and doc["framework"] == {"id": "referentiel-pi87", "version": "1.0"}
    assert [j["question"] for j in doc["judgements"]] == ["pertinence", "efficacite", "efficience", "coherence",
                                                          "innovation"]
    inno = doc["judgements"][4]
    assert {k: inno[k] for k in ("rating", "explanation", "author")} == {
        "rating": "+++", "explanation": "Innovation incrémentale, territorialisée.", "author": "Cheffe A"}
    assert inno["updated_at"]
    [ev] = inno["evidence"]
    assert {k: ev[k] for k in ("project", "interview", "question", "quote", "tags")} == {
        "project": AUX, "interview": iid, "question": "suites.specificites",
        "quote": "recueillir les besoins des entreprises", "tags": ["expérimentation"]}
    assert ev["state"] == "à jour"
    assert doc["judgements"][0]["rating"] == "non évalué"
    [s] = doc["summaries"]
    assert {k: s[k] for k in ("project", "question", "text", "tags", "author")} == {
        "project": AUX, "question": "suites.specificites", "text": "Prospection par les demandeurs eux-mêmes.",
        "tags": ["essaimage"], "author": "Cheffe A"}
    assert s["state"] == "à jour" and s["updated_at"]


def test_import_is_idempotent_and_edits_win(leads, tmp_path):
    a, b = leads
    iid = a.interviews(AUX)[0].id
    a.synthesis.pin_evidence(AUX, iid, "suites.specificites", "formations post-Moissons", supports=["efficacite"])
    a.synthesis.save_judgement("efficacite", "++", "OS 1 satisfaisant.", author="Cheffe A")
    a.synthesis.save_summary(AUX, "suites.specificites", "Formations après la prospection.", author="Cheffe A")
    out_a = tmp_path / "a.json"
    write_synthesis_file(a, out_a)
    first = import_files(b.store, [out_a])
    assert not first.errors
    assert _outcomes(first) == ["added:jugement", "added:preuve", "added:synthèse"]
    snap = tree_snapshot(b.store.root / "synthesis")
    again = import_files(b.store, [out_a])
    assert {c.outcome for f in again.files for c in f.changes} == {Outcome.UNCHANGED}
    assert tree_snapshot(b.store.root / "synthesis") == snap
    b.refresh()
    assert b.judgement("efficacite").rating == "++"
    assert b.evidence_for("efficacite")[0].state == "à jour"
    # B edits what it received; A gets B's file back: an edit (B descends from A), not a conflict
    b.synthesis.save_judgement("efficacite", "++", "OS 1 satisfaisant, OS 2 en retrait.", author="Cheffe B")
    out_b = tmp_path / "b.json"
    write_synthesis_file(b, out_b)
    back = import_files(a.store, [out_b])
    assert "updated:jugement" in _outcomes(back)
    a.refresh()
    assert a.judgement("efficacite").explanation == "OS 1 satisfaisant, OS 2 en retrait."
    assert a.judgement("efficacite").concurrent == []
    # and A's older file sent to B again is older, ignored
    older = import_files(b.store, [out_a])
    assert "older:jugement" in _outcomes(older)
    assert b.judgement("efficacite").explanation == "OS 1 satisfaisant, OS 2 en retrait."


def test_divergent_edits_are_kept_as_a_conflict(leads, tmp_path):
    a, b = leads
    a.synthesis.save_judgement("coherence", "+", "Faible visibilité.", author="Cheffe A")
    a.synthesis.save_summary(AUX, "suites.specificites", "Version A.", author="Cheffe A")
    b.synthesis.save_judgement("coherence", "++", "Cohérente avec les opérateurs.", author="Cheffe B")
    b.synthesis.save_summary(AUX, "suites.specificites", "Version B.", author="Cheffe B")
    out_b = tmp_path / "b.json"
    write_synthesis_file(b, out_b)
    report = import_files(a.store, [out_b])
    assert sorted(_outcomes(report)) == ["conflict:jugement", "conflict:synthèse"]
    a.refresh()
    j = a.judgement("coherence")
    assert (j.rating, j.explanation) == ("+", "Faible visibilité.")            # local one shown
    assert [(v.values["rating"], v.values["explanation"], v.author) for v in j.concurrent] == [
        ("++", "Cohérente avec les opérateurs.", "Cheffe B")]                    # other one kept
    s = a.summary(AUX, "suites.specificites")
    assert s.text == "Version A." and s.concurrent[0].values["text"] == "Version B."
    assert a.question_status("coherence").conflicts == 1      # the judgement
    assert a.question_status("innovation").conflicts == 1     # the summary of a cell mapped to it
    # importing it again keeps one copy of the concurrent version
    import_files(a.store, [out_b])
    assert len(a.judgement("coherence").concurrent) == 1
    # exported, the conflict travels with the file
    doc = export_synthesis(a)
    assert doc["judgements"][3]["concurrent"][0]["values"]["rating"] == "++"


def test_unknown_answer_kept_and_flagged_unknown_keys_kept(leads, tmp_path):
    a, _ = leads
    doc = {"format": FORMAT, "exported_at": "2019-11-01T10:00:00+01:00", "outil": {"nom": "autre"},
           "framework": {"id": "referentiel-pi87", "version": "1.0"},
           "judgements": [{"question": "efficience", "rating": "++", "explanation": "Écarts entre territoires.",
                           "author": "Cheffe C", "updated_at": "2019-11-01T10:00:00+01:00", "note": "à relire",
                           "evidence": [{"project": "ec99-ailleurs", "interview": "11111111-1111-4111-8111-111111111111",
                                         "question": "budget.cout", "quote": "400 %", "tags": ["x"],
                                         "page": 12}]}],
           "summaries": []}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    report = import_files(a.store, [path])
    assert not report.errors
    a.refresh()
    [view] = a.evidence_for("efficience")
    assert view.state == EVIDENCE_UNKNOWN and view.evidence.extra == {"page": 12}
    assert [i.state for i in a.question_status("efficience").stale] == [EVIDENCE_UNKNOWN]
    out = export_synthesis(a)
    eff = out["judgements"][2]
    assert eff["note"] == "à relire" and eff["evidence"][0]["page"] == 12
    assert eff["evidence"][0]["state"] == EVIDENCE_UNKNOWN


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="pi87-field-synthesis/9"), "non pris en charge"),
    (lambda d: d.update(judgements={"a": 1}), "doit être une liste"),
    (lambda d: d["judgements"][0]["evidence"].append({"project": "x", "quote": ""}), "preuve 1 : « quote » vide"),
    (lambda d: d["judgements"][0].update(rating="++++"), "niveau d'atteinte"),
    (lambda d: d.update(framework={"id": "autre-referentiel"}), "référentiel"),
])
def test_bad_input_one_line_store_unchanged(leads, tmp_path, mutate, message):
    a, b = leads
    iid = a.interviews(AUX)[0].id
    a.synthesis.pin_evidence(AUX, iid, "suites.specificites", "formations post-Moissons", supports=["efficacite"])
    a.synthesis.save_judgement("efficacite", "++", "x")
    a.synthesis.save_summary(AUX, "suites.specificites", "résumé")
    doc = export_synthesis(a)
    mutate(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = tree_snapshot(b.store.root)
    report = import_files(b.store, [path])
    [failed] = report.errors
    assert message in failed.error and "\n" not in failed.error
    assert tree_snapshot(b.store.root) == before


def test_cli_status_export_import(tmp_path):
    run = [sys.executable, "-m", "pi87_field", "--data-dir"]
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    store = ProjectStore.open(tmp_path / "a")
    ws = Workspace(store)
    iid = ws.interviews(AUX)[0].id
    store.save_answer(AUX, iid, "suites.specificites", TEXT)
    ws.refresh()
    ws.synthesis.pin_evidence(AUX, iid, "suites.specificites", "post-Moissons", supports=["innovation"])
    ws.synthesis.save_judgement("innovation", "+++", "Oui.")
    store.save_answer(AUX, iid, "suites.specificites", "Réécrit sans le passage cité.")
    store.close()
    status = subprocess.run([*run, a, "synthesis", "status", "--json"], capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    rows = {r["id"]: r for r in json.loads(status.stdout)["questions"]}
    assert rows["innovation"]["rating"] == "+++" and rows["innovation"]["evidence_count"] == 1
    assert rows["innovation"]["registre"] == "Innovation"
    assert [i["state"] for i in rows["innovation"]["stale_items"]] == ["preuve modifiée"]
    text = subprocess.run([*run, a, "synthesis", "status"], capture_output=True, text=True)
    assert "preuve modifiée" in text.stdout and "+++" in text.stdout
    out = tmp_path / "synthese.json"
    exp = subprocess.run([*run, a, "synthesis", "export", str(out)], capture_output=True, text=True)
    assert exp.returncode == 0, exp.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == FORMAT
    imp = subprocess.run([*run, b, "import", str(out)], capture_output=True, text=True)
    assert imp.returncode == 0, imp.stderr
    assert "synthèse" in imp.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "pi87-field-synthesis/1", "framework": 3}', encoding="utf-8")
    bad = subprocess.run([*run, b, "import", str(broken)], capture_output=True, text=True)
    assert bad.returncode == 1 and "framework.id" in bad.stderr and "Traceback" not in bad.stderr


def test_parse_errors_are_import_format_errors():
    from pi87_field.core.synthesis.exchange import parse_synthesis

    with pytest.raises(ImportFormatError, match="objet JSON attendu"):
        parse_synthesis([1, 2])
