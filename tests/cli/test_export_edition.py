"""`export --edition client|travail` (issue 20, DESIGN §4) and the French `--help`."""

from __future__ import annotations

import zipfile

CASE = "ec08-insup"


def test_export_client_edition_is_a_separate_word_file_without_embedded_copy(run, tmp_path, data_dir):
    result = run("export", CASE, "--edition", "client", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / f"{CASE}.client.docx"
    assert path.exists() and not (tmp_path / f"{CASE}.docx").exists()
    with zipfile.ZipFile(path) as archive:
        assert not any(n.startswith("customXml/") for n in archive.namelist())
    again = run("import", str(path))
    assert again.exit_code == 1 and "édition client" in again.output and "Traceback" not in again.output


def test_export_default_edition_is_the_working_one(run, tmp_path):
    result = run("export", CASE, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / f"{CASE}.docx") as archive:
        assert "customXml/item1.xml" in archive.namelist()


def test_client_edition_in_json_is_refused_in_one_line(run, tmp_path):
    result = run("export", CASE, "--edition", "client", "--format", "json", "--out", str(tmp_path / "out"))
    assert result.exit_code != 0 and "Word" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_help_is_french_down_to_the_version_option(run):
    result = run("--help")
    assert "Show the version" not in result.output and "Affiche la version et quitte." in result.output
    assert "--edition" in run("export", "--help").output
