"""`export --pseudonymise [--strict]` and `merge --pseudonymise`: own file names, the residual-risk
list on the terminal and beside the file, the store's register, refusals in one line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.privacy.register import REGISTER_FILE
from tests.unit.privacy_fixture import build_store


@pytest.fixture
def store_dir(tmp_path):
    build_store(tmp_path / "data").close()
    return tmp_path / "data"


def _run(data_dir, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_export_pseudonymise_writes_its_own_file_and_lists_what_to_check(store_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(store_dir, "export", "ec01-privacy", "--out", str(out)).exit_code == 0
    nominative = (out / "ec01-privacy.docx").read_bytes()
    result = _run(store_dir, "export", "ec01-privacy", "--pseudonymise", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "ec01-privacy.docx").read_bytes() == nominative        # never replaced
    assert (out / "ec01-privacy.pseudonymise.docx").is_file()
    sidecar = out / "ec01-privacy.pseudonymise.docx.a-verifier.txt"
    assert "Petit" in result.stdout and "Temporis" in result.stdout and str(sidecar.name) in result.stdout.replace("\n", "")
    assert "Temporis" in sidecar.read_text(encoding="utf-8")
    assert (store_dir / REGISTER_FILE).stat().st_mode & 0o777 == 0o600


def test_export_strict_generalises_roles_and_organisations(store_dir, tmp_path):
    out = tmp_path / "out"
    result = _run(store_dir, "export", "ec01-privacy", "--strict", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    bundle = json.loads((out / "ec01-privacy.pseudonymise.json").read_text(encoding="utf-8"))
    people = bundle["interviews"][0]["interviewees"]
    assert [(p["role"], p["organisation"]) for p in people] == [
        ("direction", "agence d'intérim"), ("conseiller·ère", "mission locale")]
    assert bundle["pseudonymisation"] == "strict"
    assert "Temporis" not in json.dumps(bundle, ensure_ascii=False)


def test_merge_pseudonymise_with_the_store_register_gives_the_exports_labels(store_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(store_dir, "export", "--all", "--out", str(out)).exit_code == 0
    assert _run(store_dir, "export", "ec02-privacy", "--pseudonymise", "--format", "json", "--out", str(out)).exit_code == 0
    karim = json.loads((out / "ec02-privacy.pseudonymise.json").read_text(encoding="utf-8"))["interviews"][0]["interviewees"][0]["name"]
    files = [str(p) for p in sorted(out.glob("ec0?-privacy.docx"))]
    result = _run(store_dir, "merge", *files, "--out", str(tmp_path / "vol.docx"), "--json", str(tmp_path / "vol.json"),
                  "--pseudonymise", "--store-register")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "vol.docx").exists() and (tmp_path / "vol.pseudonymise.docx").is_file()
    merged = json.loads((tmp_path / "vol.pseudonymise.json").read_text(encoding="utf-8"))
    assert merged["pseudonymised"] is True
    ec02 = next(b for b in merged["bundles"] if b["project"]["id"] == "ec02-privacy")
    assert ec02["interviews"][0]["interviewees"][0]["name"] == karim
    assert (tmp_path / "vol.pseudonymise.docx.a-verifier.txt").is_file()
    assert "vol.pseudonymise.docx.a-verifier.txt" in result.stdout.replace("\n", "")


def test_merge_mixing_nominative_and_pseudonymised_is_refused_in_one_line(store_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(store_dir, "export", "ec02-privacy", "--out", str(out)).exit_code == 0
    assert _run(store_dir, "export", "ec02-privacy", "--pseudonymise", "--out", str(out)).exit_code == 0
    result = _run(store_dir, "merge", str(out / "ec02-privacy.docx"), str(out / "ec02-privacy.pseudonymise.docx"),
                  "--out", str(tmp_path / "v.docx"))
    assert result.exit_code == 1
    line = result.stderr.strip().replace("\n", " ")
    assert "Fusion refusée" in line and "ec02-privacy.docx" in line and "ec02-privacy.pseudonymise.docx" in line
    assert "Traceback" not in result.output and not list(tmp_path.glob("v*.docx"))
