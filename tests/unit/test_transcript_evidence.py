"""A passage of a transcript pinned as evidence (issue 21 item 5): its source says
"transcription, 00:13:05", it goes stale when the cut moves it, and the exchange carries it as an
optional key (a file without it stays valid)."""

from __future__ import annotations

import pytest

from pi87_field.core.errors import StoreError
from pi87_field.core.labels import EVIDENCE_CHANGED, EVIDENCE_OK
from pi87_field.core.synthesis import Workspace
from pi87_field.core.synthesis.exchange import export_synthesis
from pi87_field.core.synthesis.objects import evidence_from_dict, evidence_to_dict
from pi87_field.core.transcript import read_transcript_file
from tests.support.transcripts import CASE, TRANSCRIPTS, conducted

SAID = "Sans le FSE, le projet n'aurait pas vu le jour"


@pytest.fixture
def pinned(store):
    iid = conducted(store)
    store.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    ws = Workspace(store)
    ev = ws.synthesis.pin_evidence(CASE, iid, "role-fse.modernisation", SAID, supports=["pertinence"],
                                   author="Cheffe", transcript_at=785.0)
    return ws, iid, ev


def test_source_state_and_exchange(pinned):
    ws, iid, ev = pinned
    assert ev.source_label == "transcription, 00:13:05"
    assert ws.evidence_view(ev).state == EVIDENCE_OK
    back = evidence_from_dict(evidence_to_dict(ev))
    assert back.transcript_at == 785.0 and back.id == ev.id
    exported = export_synthesis(ws)
    cited = next(j for j in exported["judgements"] if j["question"] == "pertinence")["evidence"]
    assert cited[0]["transcript_at"] == 785.0 and cited[0]["quote"] == SAID
    # an evidence of an answer has no such key: older files and answers' passages are unchanged
    assert "transcript_at" not in evidence_to_dict(evidence_from_dict(
        {"project": CASE, "interview": iid, "question": "budget.cout", "quote": "x"}))


def test_a_shift_that_moves_the_passage_makes_it_stale(pinned):
    ws, iid, ev = pinned
    ws.store.shift_transcript(CASE, iid, -600)      # 00:13:05 now falls in budget.cout
    ws.refresh()
    assert ws.evidence_view(ev).state == EVIDENCE_CHANGED


def test_a_passage_not_in_the_question_s_transcript_is_refused(pinned):
    ws, iid, _ = pinned
    with pytest.raises(StoreError, match="ne figure pas dans la transcription"):
        ws.synthesis.pin_evidence(CASE, iid, "budget.cout", SAID, supports=["pertinence"], transcript_at=785.0)
