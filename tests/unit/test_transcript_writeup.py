"""A transcript in the write-up (DESIGN §8): carried by the embedded copy (re-import idempotent),
shown in the body only in the working edition's annex when asked, never in the client edition,
pseudonymised with the register (speakers too)."""

from __future__ import annotations

import json

import pytest
from docx import Document

from pi87_field.core.bundle import bundle_to_dict
from pi87_field.core.errors import FieldError
from pi87_field.core.exchange.exporting import export_project, project_bundle
from pi87_field.core.exchange.importing import import_files
from pi87_field.core.transcript import read_transcript_file, transcript_of
from tests.support.transcripts import CASE, TRANSCRIPTS, conducted
from tests.support.trees import tree_snapshot

SAID = "Sans le FSE, le projet n'aurait pas vu le jour sous cette forme."


def _body(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.fixture
def transcribed(store):
    iid = conducted(store)
    store.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    store.save_answer(CASE, iid, "budget.cout", "Budget de 328 318 €.", author="Camille")
    return iid


def test_the_body_shows_it_only_in_the_working_annex_when_asked(store, transcribed, tmp_path):
    plain = export_project(store, CASE, tmp_path / "plain")
    assert SAID not in _body(plain)
    annexed = export_project(store, CASE, tmp_path / "annex", with_transcript=True)
    body = _body(annexed)
    assert "Annexe — Transcriptions des enregistrements" in body
    assert f"[00:13:05] Jean-Pierre Marchand\u00a0: {SAID}" in body
    annex = body[body.rindex("Annexe — Transcriptions"):]   # after the table of contents
    assert annex.index("3.1. Coût total") < annex.index("[00:05:10]") < annex.index("7.1. Rôle du FSE")
    client = export_project(store, CASE, tmp_path / "client", edition="client")
    assert SAID not in _body(client)
    with pytest.raises(FieldError, match="édition de travail|compte rendu Word de travail"):
        export_project(store, CASE, tmp_path / "x", edition="client", with_transcript=True)


def test_the_embedded_copy_carries_it_and_import_is_idempotent(store, transcribed, make_store, tmp_path):
    path = export_project(store, CASE, tmp_path, with_transcript=True)
    lead = make_store(tmp_path / "lead")
    first = import_files(lead, [path])
    assert not first.errors
    assert transcript_of(lead.get_interview(CASE, transcribed)).segments == \
        transcript_of(store.get_interview(CASE, transcribed)).segments
    before = tree_snapshot(lead.root / "projects")
    import_files(lead, [path])
    assert tree_snapshot(lead.root / "projects") == before


def test_pseudonymised_with_the_register_speakers_included(store, transcribed, tmp_path):
    bundle = project_bundle(store, CASE, pseudonymise=True)
    data = json.dumps(bundle_to_dict(bundle), ensure_ascii=False)
    assert "Jean-Pierre Marchand" not in data and "Claire Fontaine" not in data and "Marchand" not in data
    interview = next(i for i in bundle.interviews if i.id == transcribed)
    held = transcript_of(interview)
    speakers = {s.speaker for s in held.segments}
    assert len(speakers) == 2 and all(s.startswith(("Personne", "Enquêteur")) for s in speakers)
    # the same person has the same label in the sheet and in the transcript
    assert interview.interviewees[0].name in speakers
    assert held.segments[-1].text == SAID and held.segments[-1].question == "role-fse.modernisation"
    path = export_project(store, CASE, tmp_path, pseudonymise=True, with_transcript=True)
    body = _body(path)
    assert SAID in body and "Marchand" not in body
