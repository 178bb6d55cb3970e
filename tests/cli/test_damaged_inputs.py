"""Damaged or hostile inputs, each through the commands that meet them (issue 18): a truncated
store file is named on stderr with a non-zero exit by volume, merge and synthesis (as export
does), and importing that interview's copy names it; a bad guide file is skipped with a warning
everywhere; a damaged store metadata file is named, set aside, and the data still opens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pi87_field.core.store import ProjectStore

CASE = "ec05-ml-lunevillois"


def damage(data_dir: Path) -> tuple[Path, Path, str]:
    """Truncate one project file and one interview file; return them and the interview's id."""
    project_file = data_dir / "projects" / "ec03-meef-vitre" / "project.json"
    project_file.write_bytes(project_file.read_bytes()[:50])
    interview_file = sorted((data_dir / "projects" / CASE / "interviews").glob("*.json"))[0]
    interview_file.write_bytes(interview_file.read_bytes()[:100])
    return project_file, interview_file, interview_file.stem


def said(result) -> str:
    return result.stderr.replace("\n", "")


def test_volume_names_damaged_store_files_and_fails(run, data_dir, tmp_path):
    run("projects")
    project_file, interview_file, _ = damage(data_dir)
    volume = tmp_path / "volume.docx"
    result = run("volume", "--out", str(volume), "--xlsx", str(tmp_path / "v.xlsx"))
    assert result.exit_code == 1, result.output
    assert str(project_file) in said(result) and str(interview_file) in said(result)
    assert "volume incomplet" in result.stderr and "Traceback" not in result.output
    assert volume.is_file()                             # made with the rest, and it says so


@pytest.mark.parametrize("args", [("synthesis", "status"), ("synthesis", "status", "--json"),
                                  ("synthesis", "export", "SYNTH")])
def test_synthesis_names_damaged_store_files_and_fails(run, data_dir, tmp_path, args):
    run("projects")
    project_file, interview_file, _ = damage(data_dir)
    args = tuple(str(tmp_path / "s.json") if a == "SYNTH" else a for a in args)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert str(project_file) in said(result) and str(interview_file) in said(result)
    if "--json" in args:
        json.loads(result.stdout)                       # stdout stays pure JSON


def test_merge_names_a_truncated_bundle_and_fails(run, data_dir, tmp_path):
    out = tmp_path / "out"
    assert run("export", "--all", "--format", "json", "--out", str(out)).exit_code == 0
    truncated = tmp_path / "tronque.json"
    truncated.write_bytes((out / f"{CASE}.json").read_bytes()[:300])
    result = run("merge", str(out / "ec08-insup.json"), str(truncated), "--out", str(tmp_path / "m.docx"))
    assert result.exit_code == 1 and "tronque.json" in said(result)


def test_importing_a_copy_of_a_damaged_interview_names_the_damaged_file(run, data_dir, tmp_path):
    out = tmp_path / "out"
    assert run("export", CASE, "--format", "json", "--out", str(out)).exit_code == 0
    _, interview_file, iid = damage(data_dir)
    result = run("import", str(out / f"{CASE}.json"))
    assert result.exit_code == 1, result.output
    assert str(interview_file) in said(result)
    assert interview_file.read_bytes()[:100] == interview_file.read_bytes()   # kept as it is


@pytest.mark.parametrize("content", ["id: [cassé\n  x: :", "a: " + "x" * 3_000_000, b"\xff\xfe\x00 pas de l'UTF-8"],
                         ids=["unreadable", "oversized", "not-utf8"])
def test_a_bad_guide_file_is_skipped_with_a_warning_everywhere(run, data_dir, tmp_path, content):
    run("projects")
    bad = data_dir / "guides" / "abime.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    for args in (("guides", "list"), ("volume", "--out", str(tmp_path / "v.docx")),
                 ("synthesis", "status"), ("synthesis", "status", "--json"),
                 ("synthesis", "export", str(tmp_path / "s.json")),
                 ("export", CASE, "--out", str(tmp_path / "ex"))):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Guide ignoré" in result.stderr and str(bad) in said(result), (args, result.stderr)


def test_a_damaged_store_metadata_file_is_named_set_aside_and_the_data_opens(run, data_dir, tmp_path):
    run("projects")
    meta = data_dir / "pi87-field.json"
    meta.write_text('{"meta": {"1": {"sch', encoding="utf-8")
    listed = run("projects", "--json")
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) >= 9
    assert str(meta) in said(listed)
    assert run("volume", "--out", str(tmp_path / "v.docx")).exit_code == 0
    imported = run("import", str(tmp_path / "nothing-here.json"))           # a writer opens it
    assert "pi87-field.json" in imported.stderr
    aside = list(data_dir.glob("pi87-field.json.endommage-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == '{"meta": {"1": {"sch'
    assert json.loads(meta.read_text(encoding="utf-8"))["meta"]["1"]["schema"] >= 1
    with ProjectStore.open(data_dir) as store:
        assert store.notices == []                     # set aside once, then quiet


def _synthesis(judgements=None, summaries=None) -> dict:
    return {"format": "pi87-field-synthesis/1", "exported_at": "2019-11-01T10:00:00+00:00",
            "framework": {"id": "referentiel-pi87", "version": "1"},
            "judgements": judgements or [], "summaries": summaries or []}


def _evidence(n: int) -> dict:
    return {"project": CASE, "interview": f"i{n}", "question": "suites.specificites",
            "quote": f"passage {n}", "tags": []}


@pytest.mark.parametrize("make, words", [
    (lambda: '{"format": "pi87-field-synthesis/1", "framework": {"id": "referentiel-pi87"}, '
             '"judgements": [{"question": "efficacite", "rating": "++", "explanation": NaN}]}', "NaN"),
    (lambda: json.dumps(_synthesis([{"question": "efficacite", "rating": "++", "explanation": "x",
                                     "evidence": [_evidence(n) for n in range(200_000)]}])), "trop volumineux"),
    (lambda: json.dumps(_synthesis([{"question": "efficacite", "rating": "++", "explanation": "x",
                                     "evidence": [{"q": n} for n in range(150_000)]}])), "objets"),
    (lambda: json.dumps(_synthesis([{"question": "efficacite", "rating": "++", "explanation": "x",
                                     "evidence": [_evidence(n) for n in range(20_000)]}])), "preuves"),
    (lambda: json.dumps(_synthesis([{"question": "efficacite", "rating": "++",
                                     "explanation": "long " * 100_000}])), "caractères"),
    (lambda: json.dumps(_synthesis(summaries=[{"project": CASE, "question": f"q{n}", "text": "t"}
                                              for n in range(20_000)])), "synthèses de cellule"),
], ids=["nan", "200000-evidence", "150000-objects", "too-many-evidence", "huge-string", "too-many-summaries"])
def test_a_hostile_synthesis_file_is_refused_in_one_line_within_seconds(run, data_dir, tmp_path, make, words):
    import time

    run("projects")
    path = tmp_path / "synthese.json"
    path.write_text(make(), encoding="utf-8")
    started = time.monotonic()
    result = run("import", str(path))
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Erreur")]
    assert len(errors) == 1 and words in errors[0] and "synthese.json" in errors[0], result.stderr
    assert "Traceback" not in result.output and "inattendue" not in result.output
    assert elapsed < 10, elapsed
    assert run("synthesis", "status").exit_code == 0
    assert not (data_dir / "synthesis").exists() or "passage 1" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (data_dir / "synthesis").rglob("*.json"))
