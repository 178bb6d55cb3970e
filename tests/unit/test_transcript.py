"""Transcripts (DESIGN §8): files of Teams, Zoom and Whisper read at the door, cut by question
visits, attached once, shifted, and carried by the bundle; the hostile ones refused in one line."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from pi87_field.core.bundle import bundle_from_bytes, bundle_to_bytes
from pi87_field.core.errors import ImportFormatError, StoreError
from pi87_field.core.exchange.exporting import project_bundle
from pi87_field.core.transcript import (
    MAX_SEGMENTS,
    AttachOutcome,
    TranscriptExistsError,
    by_question,
    clock,
    parse_transcript,
    quote,
    read_transcript_file,
    transcript_of,
)
from tests.support.trees import tree_snapshot
from tests.support.transcripts import CASE, T0, TRANSCRIPTS, conducted, vtt

TEXTS = ["Bonjour, merci de nous recevoir pour cette étude de cas.",
         "Le budget total était de 328 318 €, dont la moitié en FSE."]


# -- the files tools write ---------------------------------------------------------------------

def test_teams_voices_ids_notes_styles_and_entities():
    parsed = read_transcript_file(TRANSCRIPTS / "teams.vtt")
    assert parsed.format == "vtt"
    first = parsed.segments[0]
    assert (first.start, first.end, first.speaker, first.text) == (4.12, 9.48, "Claire Fontaine", TEXTS[0])
    texts = [s.text for s in parsed.segments]
    # the GUID cue ids, the NOTE and STYLE blocks and the cue settings never reach the text
    assert not any("0b3c1f5e" in t or "NOTE" in t or "::cue" in t or "align:" in t for t in texts)
    assert "2004 & compte" in texts[1] and "<b>" not in texts[3] and "FSE" in texts[3]
    # overlapping cues (two people at once) are kept, in order of start
    assert [s.speaker for s in parsed.segments[:3]] == ["Claire Fontaine", "Jean-Pierre Marchand", "Claire Fontaine"]


def test_zoom_name_colon_text_becomes_the_speaker():
    parsed = read_transcript_file(TRANSCRIPTS / "zoom.vtt")
    assert [s.speaker for s in parsed.segments] == ["Claire Fontaine"] + ["Jean-Pierre Marchand"] * 3
    assert parsed.segments[0].text == TEXTS[0]
    # a colon inside the words stays in the words
    assert parsed.segments[3].text == "Sans le FSE, le projet n'aurait pas vu le jour : c'est net."


def test_a_colon_in_a_few_cues_is_not_a_speaker():
    parsed = parse_transcript(vtt([(0, 2, "Bonjour à tous"), (2, 4, "Remarque: rien"), (4, 6, "Merci"),
                                   (6, 8, "Au revoir")]).encode(), "x.vtt")
    assert {s.speaker for s in parsed.segments} == {""}
    assert parsed.segments[1].text == "Remarque: rien"


@pytest.mark.parametrize("name", ["whisper.vtt", "whisper.srt", "whisper.json"])
def test_whisper_outputs_give_the_same_segments(name):
    parsed = read_transcript_file(TRANSCRIPTS / name)
    assert [(s.start, s.end) for s in parsed.segments] == [(4.12, 9.48), (9.6, 15.2), (310.0, 322.5), (785.0, 794.0)]
    assert parsed.segments[0].text == TEXTS[0] and parsed.segments[2].text == TEXTS[1]
    assert parsed.format == {"vtt": "vtt", "srt": "srt", "json": "whisper"}[name.rsplit(".", 1)[1]]


def test_whisperx_speakers_are_kept():
    raw = json.dumps({"segments": [{"start": 1, "end": 2, "text": " Oui.", "speaker": "SPEAKER_00"}]}).encode()
    assert parse_transcript(raw, "w.json").segments[0].speaker == "SPEAKER_00"


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"), lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("cp1252"), lambda t: t.encode("utf-16"),
], ids=["utf8", "utf8-bom", "windows-1252", "utf16-bom"])
def test_encodings_as_files_come(encode):
    text = (TRANSCRIPTS / "whisper.srt").read_text(encoding="utf-8")
    parsed = parse_transcript(encode(text), "x.srt")
    assert parsed.segments[2].text == TEXTS[1]
    assert parsed.digest == read_transcript_file(TRANSCRIPTS / "whisper.srt").digest


# -- hostile files: one French line, nothing attached ------------------------------------------

@pytest.mark.parametrize("raw, words", [
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nbon\n\n00:00:99.000 --> 00:00:02.000\nmauvais\n", "1 réplique à l'horodatage illisible (par exemple « 00:00:99.000 --> 00:00:02.000 »)"),
    (b"WEBVTT\n\nhier --> demain\nmauvais\n", "horodatage illisible"),
    (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nla fin avant\n", "la fin précède le début"),
    (b"1\n00:00:01,000 --> 00:00:02,000\n", "fichier SubRip mal formé"),
    (json.dumps({"segments": [{"start": "a", "end": 2, "text": "x"}]}).encode(), "horodatage illisible"),
    (json.dumps({"segments": [{"start": 5, "end": 2, "text": "x"}]}).encode(), "la fin précède"),
    (json.dumps({"segments": [{"start": 1, "end": 90000, "text": "x"}]}).encode(), "24 h"),
    (b'{"segments": [{"start": NaN, "end": 2, "text": "x"}]}', "NaN"),
    (b'{"text": "pas de segments"}', "sans « segments »"),
    (b'{"segments": [', "JSON invalide"),
    (b"\x00\x01\x02PK\x03\x04 binaire", "encodage non reconnu"),
    ("Bonjour".encode("utf-16-le"), "encodage non reconnu"),
    (b"Simple texte sans horodatage", "format non reconnu"),
], ids=["bad-seconds", "not-a-time", "end-before-start", "empty-srt", "json-time", "json-order", "over-a-day",
        "nan", "no-segments", "truncated-json", "binary", "utf16-no-bom", "plain-text"])
def test_hostile_files_are_refused_in_one_french_line(raw, words):
    with pytest.raises(ImportFormatError) as caught:
        parse_transcript(raw, "hostile.vtt")
    message = str(caught.value)
    assert words in message and "\n" not in message and message.startswith("hostile.vtt : ")


def test_a_hundred_thousand_cues_are_refused_before_parsing():
    raw = vtt([(i * 0.5, i * 0.5 + 0.4, "mot") for i in range(100_000)]).encode()
    began = time.perf_counter()
    with pytest.raises(ImportFormatError, match="100\u00a0000 répliques : au plus 20\u00a0000"):
        parse_transcript(raw, "x.vtt")
    assert time.perf_counter() - began < 0.5


def test_a_huge_cue_text_is_refused():
    with pytest.raises(ImportFormatError, match="réplique n° 2 de plus de 10\u00a0000 caractères"):
        parse_transcript(vtt([(0, 1, "ok"), (1, 2, "bla " * 5000)]).encode(), "x.vtt")


def test_a_file_over_the_size_cap_is_refused_without_reading(tmp_path, monkeypatch):
    from pi87_field.core.transcript import reading

    monkeypatch.setattr(reading, "MAX_TRANSCRIPT_BYTES", 100)
    path = tmp_path / "gros.vtt"
    path.write_text(vtt([(i, i + 1, "une réplique") for i in range(20)]))
    with pytest.raises(ImportFormatError, match="trop volumineux"):
        read_transcript_file(path)


# -- cut by question visits --------------------------------------------------------------------

def test_segments_go_to_the_question_visited_at_their_midpoint(store):
    iid = conducted(store)
    interview, outcome = store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    assert outcome == AttachOutcome.ADDED
    transcript = transcript_of(store.get_interview(CASE, iid))
    assert transcript.started_at == "2019-10-14T10:00:00+02:00"      # the first sitting's start
    groups = by_question(transcript)
    assert [s.start for s in groups["structure.presentation"]] == [4.12, 9.6, 14.9]
    assert [s.start for s in groups["budget.cout"]] == [310.0, 323.0]
    assert [s.start for s in groups["role-fse.modernisation"]] == [785.0]
    assert None not in groups


def test_a_segment_in_no_visit_is_kept_hors_question(store):
    iid = conducted(store)
    raw = vtt([(60, 70, "pendant la présentation"), (12 * 60 + 10, 12 * 60 + 20, "pendant la pause"),
               (30 * 60, 30 * 60 + 5, "après la fin")]).encode()
    store.life_cycle.attach_transcript(CASE, iid, parse_transcript(raw, "x.vtt"))
    groups = by_question(transcript_of(store.get_interview(CASE, iid)))
    assert [s.text for s in groups[None]] == ["pendant la pause", "après la fin"]
    assert [s.text for s in groups["structure.presentation"]] == ["pendant la présentation"]


def test_started_at_places_the_recording_and_a_shift_cuts_again(store):
    iid = conducted(store)
    parsed = read_transcript_file(TRANSCRIPTS / "whisper.json")
    # said to start two minutes before the interview's clock: 00:05:10 falls in the presentation
    store.life_cycle.attach_transcript(CASE, iid, parsed, started_at=T0 - timedelta(minutes=2))
    assert by_question(transcript_of(store.get_interview(CASE, iid)))["structure.presentation"][-1].start == 310.0
    # "décaler de +120 s": back on the interview's clock, 00:05:10 is in budget.cout again
    store.life_cycle.shift_transcript(CASE, iid, 120)
    transcript = transcript_of(store.get_interview(CASE, iid))
    assert transcript.started_at == "2019-10-14T10:00:00+02:00"
    assert [s.question for s in transcript.segments] == [
        "structure.presentation", "structure.presentation", "budget.cout", "role-fse.modernisation"]


def test_the_same_transcript_again_changes_nothing_and_another_needs_confirmation(store):
    iid = conducted(store)
    store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "whisper.srt"))
    store.life_cycle.shift_transcript(CASE, iid, 3)
    before = tree_snapshot(store.root)
    # the same words, as SubRip or re-encoded: nothing written, the shift kept
    _, outcome = store.life_cycle.attach_transcript(CASE, iid, parse_transcript(
        (TRANSCRIPTS / "whisper.srt").read_text().encode("cp1252"), "autre-nom.srt"))
    assert outcome == AttachOutcome.UNCHANGED and tree_snapshot(store.root) == before
    with pytest.raises(TranscriptExistsError, match=r"déjà une transcription \(whisper.srt, 4 segments\)"):
        store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    assert tree_snapshot(store.root) == before
    _, outcome = store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"), replace=True)
    assert outcome == AttachOutcome.REPLACED
    assert transcript_of(store.get_interview(CASE, iid)).source == "teams.vtt"


def test_no_sitting_and_no_started_at_is_refused(store):
    from pi87_field.core.model import Interview, new_interview_id

    planned = store.save_interview(Interview(new_interview_id(), CASE, "etude-de-cas", "1"))
    with pytest.raises(StoreError, match="--started-at"):
        store.life_cycle.attach_transcript(CASE, planned.id, read_transcript_file(TRANSCRIPTS / "whisper.srt"))


def test_quote_and_clock():
    parsed = read_transcript_file(TRANSCRIPTS / "teams.vtt")
    assert clock(785) == "00:13:05" and clock(3 * 3600 + 61.9) == "03:01:01"
    assert quote(parsed.segments[-1:]) == \
        "«\u00a0Sans le FSE, le projet n'aurait pas vu le jour sous cette forme.\u00a0» [00:13:05]"
    assert quote(parsed.segments[3:5]).startswith("«\u00a0Le budget total était de 328 318 €, dont la moitié en "
                                                  "FSE. Le reste vient")


# -- it travels --------------------------------------------------------------------------------

def test_the_transcript_travels_in_the_bundle_and_imports_once(store, make_store, tmp_path):
    from pi87_field.core.exchange.importing import import_bundle

    iid = conducted(store)
    store.life_cycle.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    raw = bundle_to_bytes(project_bundle(store, CASE))
    shape = next(i for i in json.loads(raw)["interviews"] if i["id"] == iid)["transcript"]
    assert shape["source"] == "teams.vtt" and shape["started_at"] == "2019-10-14T10:00:00+02:00"
    assert shape["segments"][0] == {"start": 4.12, "end": 9.48, "speaker": "Claire Fontaine", "text": TEXTS[0],
                                    "question": "structure.presentation"}
    lead = make_store(tmp_path / "lead")
    import_bundle(lead, bundle_from_bytes(raw, "x.json"))
    after_first = tree_snapshot(lead.root / "projects")
    import_bundle(lead, bundle_from_bytes(raw, "x.json"))
    assert tree_snapshot(lead.root / "projects") == after_first
    assert transcript_of(lead.get_interview(CASE, iid)).segments == transcript_of(store.get_interview(CASE, iid)).segments


def test_a_bundle_with_an_absurd_transcript_is_refused(store):
    iid = conducted(store)
    data = json.loads(bundle_to_bytes(project_bundle(store, CASE)))
    interview = next(i for i in data["interviews"] if i["id"] == iid)
    interview["transcript"] = {"source": "x", "started_at": "", "segments": [
        {"start": 0, "end": 1, "text": "x", "speaker": "", "question": None}] * (MAX_SEGMENTS + 1)}
    with pytest.raises(ImportFormatError, match="20\u00a0001 segments : au plus 20\u00a0000"):
        bundle_from_bytes(json.dumps(data).encode(), "x.json")


def test_visits_written_after_the_import_cut_it_again_when_the_sitting_ends(store):
    from pi87_field.core.transcript import by_question

    iid = conducted(store, visits=[("structure.presentation", 0, 5)])
    store.attach_transcript(CASE, iid, read_transcript_file(TRANSCRIPTS / "teams.vtt"))
    assert by_question(transcript_of(store.get_interview(CASE, iid)))[None][0].start == 310.0
    # the interview went on (imported during a pause): the budget question's visit is written later
    store.open_sitting(CASE, iid, T0 + timedelta(minutes=30))
    store.close_sitting(CASE, iid, T0 + timedelta(minutes=31), [("budget.cout", T0 + timedelta(minutes=5),
                                                                T0 + timedelta(minutes=12))])
    groups = by_question(transcript_of(store.get_interview(CASE, iid)))
    assert [s.start for s in groups["budget.cout"]] == [310.0, 323.0]
