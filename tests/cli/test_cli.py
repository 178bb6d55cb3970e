"""The CLI contract of DESIGN.md section 4, driven with click's CliRunner and a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.store import ProjectStore
from tests.support.paths import REPO
from tests.support.trees import tree_snapshot


def test_projects_json_is_a_list_of_project_objects(run):
    result = run("projects", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 9
    for key in ("id", "kind", "title", "carrier", "os", "fse_amount", "characteristics"):
        assert key in data[0]
    amounts = {p["id"]: p["fse_amount"] for p in data}
    assert amounts["ec07-arml-basse-normandie"] == "21914.89"


def test_projects_table_for_people(run):
    result = run("projects")
    assert result.exit_code == 0
    assert "21\u00a0914,89\u00a0€" in result.stdout and "1\u00a0500\u00a0000\u00a0€" in result.stdout
    assert "ec08-insup" in result.stdout


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PI87_FIELD_DATA_DIR", str(tmp_path / "env-data"))
    result = CliRunner().invoke(main, ["projects", "--json"])
    assert result.exit_code == 0
    assert (tmp_path / "env-data" / "projects" / "ec01-pole-emploi-dg" / "project.json").is_file()


def test_guides_list_and_show_json(run):
    listed = json.loads(run("guides", "list", "--json").stdout)
    assert {g["id"] for g in listed} == {"etude-de-cas", "entretiens-qualitatifs"}
    shown = json.loads(run("guides", "show", "entretiens-qualitatifs", "--json").stdout)
    assert set(shown) >= {"id", "version", "title", "sections"}
    q1 = shown["sections"][0]["questions"][0]
    assert q1["id"] == "q1.modernisation" and [s["id"] for s in q1["subpoints"]] == ["a", "b", "c"]
    assert "text" in q1
    bad = run("guides", "show", "nope")
    assert bad.exit_code == 1 and "Guide inconnu" in bad.stderr


def test_guides_validate_reports_file_and_line(run, tmp_path):
    good = REPO / "interview_guides" / "etude-de-cas.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: t\nsections:\n  - id: s\n    questions: 3\n", encoding="utf-8")
    result = run("guides", "validate", str(good), str(bad))
    assert result.exit_code == 1
    assert "etude-de-cas.yaml: OK" in result.stdout
    assert f"{bad}:6: section s : « questions » doit être une liste" in result.stderr
    assert "Traceback" not in result.output


def test_export_json_import_round_trip(run, tmp_path, data_dir):
    out = tmp_path / "exports"
    result = run("export", "ec01-pole-emploi-dg", "entretiens-qualitatifs", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["ec01-pole-emploi-dg.json", "entretiens-qualitatifs.json"]
    bundle = json.loads((out / "entretiens-qualitatifs.json").read_text(encoding="utf-8"))
    assert bundle["format"] == "pi87-field/1" and len(bundle["interviews"]) == 9
    before = tree_snapshot(data_dir / "projects")
    result = run("import", str(out / "entretiens-qualitatifs.json"))
    assert result.exit_code == 0, result.output
    assert "Résumé de l'import" in result.stdout
    assert tree_snapshot(data_dir / "projects") == before  # same data: nothing changes


def test_export_all_json(run, tmp_path):
    result = run("export", "--all", "--format", "json", "--out", str(tmp_path / "all"))
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "all").glob("*.json"))) == 9


@pytest.mark.parametrize("bad_id", ["../../x", "inconnu"])
def test_export_bad_project_id_one_line_nothing_written(run, tmp_path, bad_id):
    out = tmp_path / "out"
    result = run("export", bad_id, "--format", "json", "--out", str(out))
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and "Erreur" in result.stderr
    assert not out.exists() and not (tmp_path.parent / "x.json").exists()


def test_export_without_ids(run):
    result = run("export")
    assert result.exit_code == 1 and "--all" in result.stderr


def test_import_garbage_exits_non_zero_and_store_untouched(run, tmp_path, data_dir):
    run("projects")
    before = tree_snapshot(data_dir)
    bad = tmp_path / "trunc.json"
    bad.write_text('{"format": "pi87-field/1", "proj', encoding="utf-8")
    missing = tmp_path / "absent.json"
    odd = tmp_path / "notes.txt"
    odd.write_text("hello", encoding="utf-8")
    result = run("import", str(bad), str(missing), str(odd))
    assert result.exit_code == 1
    assert "JSON invalide ou tronqué" in result.stderr
    assert "fichier introuvable" in result.stderr
    assert "format non pris en charge" in result.stderr
    assert tree_snapshot(data_dir) == before


def test_import_while_another_writer_holds_the_store(run, data_dir, tmp_path):
    holder = ProjectStore.open(data_dir)
    try:
        path = tmp_path / "x.json"
        path.write_text("{}", encoding="utf-8")
        result = run("import", str(path))
        assert result.exit_code == 1 and "déjà ouvertes" in result.stderr
        assert run("projects", "--json").exit_code == 0  # read-only commands still work
    finally:
        holder.close()


def test_installed_entry_point_runs_without_traceback(tmp_path):
    env = {**os.environ, "PI87_FIELD_DATA_DIR": str(tmp_path / "d"), "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "pi87_field", "export", "../../evil", "--format", "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Erreur :") and "Traceback" not in proc.stderr
    assert not (tmp_path / "exports").exists()


def test_core_never_imports_textual():
    code = (
        "import sys, pkgutil, importlib, pi87_field.core as c\n"
        "names = [m.name for m in pkgutil.walk_packages(c.__path__, 'pi87_field.core.')]\n"
        "assert any('.store.' in n for n in names) and any('.word.' in n for n in names), names\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "import pi87_field.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in (REPO / "pi87_field" / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path


def test_projects_names_damaged_files_and_lists_the_rest(run, data_dir):
    run("projects")
    project_file = data_dir / "projects" / "ec03-meef-vitre" / "project.json"
    project_file.write_text("{broken", encoding="utf-8")
    interview_file = next((data_dir / "projects" / "ec05-ml-lunevillois" / "interviews").glob("*.json"))
    interview_file.write_bytes(b"")
    result = run("projects")
    assert result.exit_code == 0
    assert "ec03-meef-vitre" not in result.stdout and "ec05-ml-lunevillois" in result.stdout
    assert str(project_file) in result.stderr.replace("\n", "")
    assert str(interview_file) in result.stderr.replace("\n", "")
    listed = json.loads(run("projects", "--json").stdout)
    assert len(listed) == 8
    assert project_file.read_text(encoding="utf-8") == "{broken"  # kept as it is


def test_export_names_what_it_could_not_read_and_fails(run, data_dir, tmp_path):
    run("projects")
    interview_file = next((data_dir / "projects" / "ec05-ml-lunevillois" / "interviews").glob("*.json"))
    interview_file.write_bytes(b"{trunc")
    (data_dir / "projects" / "ec03-meef-vitre" / "project.json").write_bytes(b"")
    out = tmp_path / "out"
    result = run("export", "--all", "--format", "json", "--out", str(out))
    assert result.exit_code == 1
    flat = result.stderr.replace("\n", "")
    assert str(interview_file) in flat and "ec03-meef-vitre" in flat
    assert "export incomplet : 2 fichiers endommagés" in flat
    assert len(list(out.glob("*.json"))) == 8  # everything readable was still exported
    assert interview_file.read_bytes() == b"{trunc"


def test_merge_command_builds_the_volume_and_reports(run, tmp_path):
    out = tmp_path / "j"
    assert run("export", "ec01-pole-emploi-dg", "ec08-insup", "--format", "json", "--out", str(out)).exit_code == 0
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    volume = tmp_path / "volume.docx"
    merged = tmp_path / "merged.json"
    result = run("merge", str(out / "ec01-pole-emploi-dg.json"), str(out / "ec08-insup.json"),
                 str(out / "ec08-insup.json"), str(bad), "--out", str(volume), "--json", str(merged))
    assert result.exit_code == 1, result.output          # an input failed: a script must see it
    assert "Fichiers fusionnés" in result.stdout and "2 projets" in result.stdout
    assert "1 doublon, 1 erreur" in result.stdout
    assert "bad.docx" in result.stderr and result.stderr.count("Erreur") == 1
    assert volume.is_file() and json.loads(merged.read_text(encoding="utf-8"))["format"] == "pi87-field-merge/1"
    nothing = run("merge", str(bad), "--out", str(tmp_path / "none.docx"))
    assert nothing.exit_code == 1 and not (tmp_path / "none.docx").exists()


def test_help_and_usage_errors_speak_french(run):
    shown = run("export", "--help")
    assert shown.exit_code == 0
    assert "Utilisation :" in shown.stdout and "Affiche cette aide et quitte." in shown.stdout
    assert "Show this message" not in shown.stdout and "Tous les projets du magasin." in shown.stdout
    missing = run("import")
    assert missing.exit_code == 2 and "Erreur : Argument manquant" in missing.stderr
    wrong = run("export", "--format", "pdf", "x")
    assert "Valeur invalide pour '--format'" in wrong.stderr


def test_importing_the_cli_leaves_click_alone_and_running_it_speaks_french():
    """Click's French table is installed when the command runs, not when pi87_field is imported."""
    script = textwrap.dedent("""
        import click.core, click.exceptions
        english = click.core._
        import pi87_field.cli
        from pi87_field import cli_fr
        assert click.core._ is english and click.exceptions._ is not cli_fr.gettext_fr
        assert not cli_fr.installed()
        from click.testing import CliRunner
        result = CliRunner().invoke(pi87_field.cli.main, ["--nope"])
        assert result.exit_code == 2 and "Option inconnue" in result.output, result.output
        assert cli_fr.installed()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
