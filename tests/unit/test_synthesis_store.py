"""Synthesis objects in the store: pin / edit / stale cycle, and the same guarantees as answers."""

from __future__ import annotations

import json
import os
import stat

import pytest

from pi87_field.core.errors import DamagedFileError, StoreError
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import (
    EVIDENCE_CHANGED,
    EVIDENCE_OK,
    EVIDENCE_UNKNOWN,
    SUMMARY_OK,
    SUMMARY_REVIEW,
    Workspace,
)

LUNEVILLE = "ec05-ml-lunevillois"
ANSWER = ("Conçue en 2015 pour renforcer les liens de la mission locale avec le monde de l'entreprise, "
          "l'opération prospecte les TPE-PME et recueille des offres en alternance.")


@pytest.fixture
def ws(store):
    return Workspace(store)


def _first_interview(ws: Workspace, project_id: str = LUNEVILLE) -> str:
    return ws.interviews(project_id)[0].id


def _answer(ws: Workspace, qid: str, text: str, project_id: str = LUNEVILLE) -> str:
    iid = _first_interview(ws, project_id)
    ws.store.save_answer(project_id, iid, qid, text, author="Évaluatrice")
    ws.refresh()
    return iid


def test_pin_edit_stale_cycle(ws):
    iid = _answer(ws, "projet.description", ANSWER)
    ev = ws.synthesis.pin_evidence(LUNEVILLE, iid, "projet.description", "prospecte les TPE-PME",
                                   supports=["pertinence"], tags=["OS1 : pratiques de placement"], author="Cheffe")
    [view] = ws.evidence_for("pertinence")
    assert view.state == EVIDENCE_OK and view.evidence.id == ev.id and view.project_label == "Lunévillois · Atout Emploi"
    # the same passage pinned for another question: one evidence supporting both
    ws.synthesis.pin_evidence(LUNEVILLE, iid, "projet.description", "prospecte les TPE-PME",
                              supports=["innovation"], tags=["expérimentation"])
    assert len(ws.synthesis.evidence()) == 1
    assert ws.synthesis.get_evidence(ev.id).supports == ["pertinence", "innovation"]
    assert ws.synthesis.get_evidence(ev.id).tags == ["OS1 : pratiques de placement", "expérimentation"]
    # an edit that keeps the passage: still valid, the answer is known to have changed
    _answer(ws, "projet.description", ANSWER + " Job dating en 2018.")
    [view] = ws.evidence_for("pertinence")
    assert view.state == EVIDENCE_OK and view.answer_changed
    # an edit that removes the passage: "preuve modifiée", in the status too
    _answer(ws, "projet.description", "L'opération recueille des offres en alternance.")
    [view] = ws.evidence_for("pertinence")
    assert view.state == EVIDENCE_CHANGED
    status = {s.question.id: s for s in ws.status()}
    assert [s.state for s in status["pertinence"].stale] == [EVIDENCE_CHANGED]
    assert status["pertinence"].to_dict()["stale_items"][0]["text"] == "prospecte les TPE-PME"
    # unpinning from both questions removes it
    ws.synthesis.unpin(ev.id, "pertinence")
    ws.synthesis.unpin(ev.id, "innovation")
    assert ws.synthesis.evidence() == []


def test_pin_refuses_a_passage_not_in_the_answer(ws):
    iid = _answer(ws, "projet.description", ANSWER)
    with pytest.raises(StoreError, match="ne figure pas"):
        ws.synthesis.pin_evidence(LUNEVILLE, iid, "projet.description", "texte inventé", supports=["pertinence"])
    assert not ws.synthesis.path("evidence").exists()


def test_summary_goes_a_revoir_when_its_answer_changes(ws):
    _answer(ws, "resultats.principaux", "Plus de 200 offres en alternance recueillies.")
    s = ws.synthesis.save_summary(LUNEVILLE, "resultats.principaux", "Offres recueillies en nombre.",
                                  ["OS1 : offre aux employeurs"], author="Cheffe")
    assert ws.summary_state(s) == SUMMARY_OK
    _answer(ws, "resultats.principaux", "Plus de 250 offres en alternance recueillies.")
    assert ws.summary_state(ws.summary(LUNEVILLE, "resultats.principaux")) == SUMMARY_REVIEW
    stale = {st.question.id: [i.state for i in st.stale] for st in ws.status()}
    assert stale["efficacite"] == [SUMMARY_REVIEW]
    # rewriting the summary records the new revisions: up to date again
    s2 = ws.synthesis.save_summary(LUNEVILLE, "resultats.principaux", "Offres recueillies en nombre (250).",
                                   ["OS1 : offre aux employeurs"], author="Cheffe")
    assert ws.summary_state(s2) == SUMMARY_OK and s.rev in s2.ancestors
    # an empty summary clears the cell
    assert ws.synthesis.save_summary(LUNEVILLE, "resultats.principaux", "", []) is None
    assert ws.summary(LUNEVILLE, "resultats.principaux") is None


def test_judgement_rating_scale_and_ancestry(ws):
    j1 = ws.synthesis.save_judgement("pertinence", "+++", "Réels besoins.", author="Cheffe")
    assert ws.framework.rating_label(j1.rating) == "+++"
    j2 = ws.synthesis.save_judgement("pertinence", "++", "Réels besoins, OS 2 en retrait.", author="Cheffe")
    assert j1.rev in j2.ancestors
    with pytest.raises(StoreError, match="inconnu"):
        ws.synthesis.save_judgement("pertinence", "++++", "")
    assert ws.judgement("pertinence").rating == "++"
    assert ws.framework.rating_label(ws.judgement("coherence").rating) == "non évalué"


def test_status_counts_cases_cited_and_mapped(ws):
    iid = _answer(ws, "suites.specificites", "Un caractère innovant : prospection par les jeunes eux-mêmes.")
    _answer(ws, "suites.poursuite", "Essaimage vers deux autres missions locales.", project_id="ec02-mef-auxerrois")
    ws.synthesis.pin_evidence(LUNEVILLE, iid, "suites.specificites", "caractère innovant", supports=["innovation"])
    innovation = ws.question_status("innovation")
    # cases = projects: the 8 case studies (answered or not yet visited) and the interview series,
    # every one following a guide that holds a grid question mapped to the question (issue 19)
    assert (innovation.evidence_count, innovation.cases_cited, innovation.cases_mapped) == (1, 1, 9)
    assert ws.question_status("efficience").cases_mapped == 9


def test_evidence_on_an_unknown_answer_is_flagged(ws):
    from pi87_field.core.synthesis.objects import Evidence

    objects = ws.synthesis.raw("evidence")
    ev = Evidence("ec99-inconnu", "00000000-0000-4000-8000-000000000000", "projet.description", "un passage",
                  supports=["efficacite"])
    objects[ev.id] = ev
    ws.synthesis.replace_all("evidence", objects)
    [view] = ws.evidence_for("efficacite")
    assert view.state == EVIDENCE_UNKNOWN and view.stale


def test_files_private_schema_and_backups(ws, data_dir):
    iid = _answer(ws, "projet.description", ANSWER)
    ws.synthesis.pin_evidence(LUNEVILLE, iid, "projet.description", "TPE-PME", supports=["pertinence"])
    ws.synthesis.save_judgement("pertinence", "+++", "Oui.")
    path = data_dir / "synthesis" / "evidence.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(data_dir / "synthesis").st_mode) == 0o700
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["_meta"]["1"]["schema"] == 1 and len(doc["evidence"]) == 1
    ws.synthesis.save_judgement("pertinence", "++", "Oui, mais.")
    assert list((data_dir / "backups" / "synthesis" / "judgements").glob("*.json"))
    # no temp file left behind
    assert not list((data_dir / "synthesis").glob(".*.tmp"))


def test_newer_schema_is_never_rewritten(ws, data_dir):
    ws.synthesis.save_judgement("pertinence", "+", "x")
    path = data_dir / "synthesis" / "judgements.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["_meta"]["1"]["schema"] = 99
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="plus récente"):
        ws.synthesis.save_judgement("pertinence", "++", "y")
    assert path.read_bytes() == before


def test_damaged_file_is_kept_and_named(ws, data_dir):
    ws.synthesis.save_judgement("pertinence", "+", "x")
    path = data_dir / "synthesis" / "judgements.json"
    path.write_text("{ broken", encoding="utf-8")
    with pytest.raises(DamagedFileError, match="judgements.json"):
        ws.judgement("pertinence")
    with pytest.raises(DamagedFileError):
        ws.synthesis.save_judgement("pertinence", "++", "y")
    assert path.read_text(encoding="utf-8") == "{ broken"


def test_single_writer(data_dir):
    writer = ProjectStore.open(data_dir)
    try:
        reader = ProjectStore.open(data_dir, writer=False)
        ws = Workspace(reader)
        with pytest.raises(StoreError, match="lecture seule"):
            ws.synthesis.save_judgement("pertinence", "+", "x")
        Workspace(writer).synthesis.save_judgement("pertinence", "+", "x")
        ws.refresh()
        assert ws.judgement("pertinence").rating == "+"   # the reader sees the writer's change
    finally:
        writer.close()


def test_codebook_seeded_with_the_report_vocabularies(ws):
    tags = {t.name: t for t in ws.synthesis.codebook()}
    for step in ("ingénierie", "expérimentation", "évaluation", "capitalisation", "essaimage"):
        assert step in tags
    assert sum(t.group == "Dimension numérique" for t in tags.values()) == 4
    assert sum(t.group == "Types d’opération (OS 1)" for t in tags.values()) == 9
    assert "Développement d’un outil" in tags["numérique : outil"].description
    ws.synthesis.save_tag("relation employeurs", "Lien direct avec les entreprises", author="Cheffe")
    assert "relation employeurs" in {t.name for t in ws.synthesis.codebook()}
    with pytest.raises(StoreError):
        ws.synthesis.save_tag("a, b")


def test_a_passage_pinned_outside_the_mapping_counts_among_the_cases_concerned(ws):
    """Defect it pinned: a passage cited from a grid question that the framework does not map to
    the evaluative question read "1 cas cité sur 0" in `synthesis status` and the volume."""
    eq = ws.framework.question("pertinence") if hasattr(ws.framework, "question") else \
        next(q for q in ws.framework.questions if q.id == "pertinence")
    outside = next(q.id for s in ws.store.guides.get("etude-de-cas").sections for q in s.questions
                   if q.id not in set(eq.mapped_ids))
    iid = _answer(ws, outside, ANSWER)
    ws.synthesis.pin_evidence(LUNEVILLE, iid, outside, "l'opération prospecte les TPE-PME",
                              supports=["pertinence"], author="Lead")
    ws.refresh()
    status = ws.question_status("pertinence")
    assert status.cases_cited == 1
    assert status.cases_mapped >= status.cases_cited
