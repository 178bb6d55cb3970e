"""`pi87-field transcript import/shift/show` (DESIGN §4, §8): one French line and exit 1 on a bad
file, nothing written; the same file again changes nothing; another one needs --replace."""

from __future__ import annotations

import json

from pi87_field.core.store import ProjectStore
from tests.support.trees import tree_snapshot
from tests.support.transcripts import CASE, TRANSCRIPTS, conducted


def _conducted(data_dir) -> str:
    with ProjectStore.open(data_dir) as store:
        return conducted(store)


def test_import_show_and_the_same_file_again(run, data_dir):
    iid = _conducted(data_dir)
    result = run("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid)
    assert result.exit_code == 0, result.output
    assert "Transcription ajoutée (teams.vtt : 6 segments, 6 placés dans 3 questions, 0 hors question)" in result.output
    before = tree_snapshot(data_dir / "projects")
    again = run("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid[:8])
    assert again.exit_code == 0 and "rien n'a changé" in again.output
    assert tree_snapshot(data_dir / "projects") == before
    shown = run("transcript", "show", iid)
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    budget = next(n for n, line in enumerate(lines) if line.startswith("2.4. ") or "coût" in line.lower())
    assert lines[budget + 1].startswith("[00:05:10] Jean-Pierre Marchand\u00a0: Le budget total")
    data = json.loads(run("transcript", "show", iid, "--json").output)
    assert data["source"] == "teams.vtt" and data["segments"][3]["question"] == "budget.cout"


def test_another_version_needs_replace(run, data_dir):
    iid = _conducted(data_dir)
    run("transcript", "import", str(TRANSCRIPTS / "whisper.srt"), "--interview", iid)
    before = tree_snapshot(data_dir / "projects")
    refused = run("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid)
    assert refused.exit_code == 1 and "--replace" in refused.output
    assert tree_snapshot(data_dir / "projects") == before
    replaced = run("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid, "--replace")
    assert replaced.exit_code == 0 and "remplacée" in replaced.output


def test_started_at_and_shift(run, data_dir):
    iid = _conducted(data_dir)
    result = run("transcript", "import", str(TRANSCRIPTS / "whisper.json"), "--interview", iid,
                 "--started-at", "2019-10-14T09:58:00+02:00")
    assert result.exit_code == 0
    assert json.loads(run("transcript", "show", iid, "--json").output)["segments"][2]["question"] == \
        "structure.presentation"
    shifted = run("transcript", "shift", iid, "--by", "120")
    assert shifted.exit_code == 0 and "décalée de +120\u00a0s" in shifted.output
    data = json.loads(run("transcript", "show", iid, "--json").output)
    assert data["started_at"] == "2019-10-14T10:00:00+02:00" and data["segments"][2]["question"] == "budget.cout"
    back = run("transcript", "shift", iid, "--by", "-120")
    assert back.exit_code == 0 and "décalée de −120\u00a0s" in back.output


def test_bad_inputs_one_line_exit_1_nothing_written(run, data_dir, tmp_path):
    iid = _conducted(data_dir)
    before = tree_snapshot(data_dir / "projects")
    bad = tmp_path / "faux.vtt"
    bad.write_bytes(b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nla fin avant\n")
    cases = [
        ("transcript", "import", str(bad), "--interview", iid),
        ("transcript", "import", str(tmp_path / "absent.vtt"), "--interview", iid),
        ("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", "inconnu"),
        ("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid, "--started-at", "hier"),
        ("transcript", "show", iid),
        ("transcript", "shift", iid, "--by", "5"),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Erreur :") and "Traceback" not in result.output, lines
    assert tree_snapshot(data_dir / "projects") == before


def test_export_with_transcript_working_edition_only(run, data_dir, tmp_path):
    from docx import Document

    iid = _conducted(data_dir)
    run("transcript", "import", str(TRANSCRIPTS / "teams.vtt"), "--interview", iid)
    out = tmp_path / "exports"
    refused = run("export", CASE, "--out", str(out), "--edition", "client", "--with-transcript")
    assert refused.exit_code == 1 and "travail" in refused.output and not out.exists()
    done = run("export", CASE, "--out", str(out), "--with-transcript")
    assert done.exit_code == 0, done.output
    body = "\n".join(p.text for p in Document(str(out / f"{CASE}.docx")).paragraphs)
    assert "[00:13:05] Jean-Pierre Marchand\u00a0: Sans le FSE" in body
