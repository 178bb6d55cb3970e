"""What the CLI takes in and what it says back about it: the data folder given after the
subcommand, folders of inputs, exit status when an input failed, damaged files named once,
one export file per project."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.store import ProjectStore


def test_data_dir_after_the_subcommand(tmp_path):
    """`pi87-field projects --data-dir X` used to be refused ("No such option")."""
    data = tmp_path / "ailleurs"
    with ProjectStore.open(data) as store:
        project = store.get_project("ec08-insup")
        project.title = "Seulement dans ce dossier"
        store.save_project(project)
    runner = CliRunner()
    listed = runner.invoke(main, ["projects", "--json", "--data-dir", str(data)])
    assert listed.exit_code == 0, listed.output
    assert "Seulement dans ce dossier" in {p["title"] for p in json.loads(listed.stdout)}
    guides = runner.invoke(main, ["guides", "list", "--json", "--data-dir", str(data)])
    assert guides.exit_code == 0, guides.output


def test_import_and_merge_take_a_folder(run, tmp_path):
    folder = tmp_path / "recus"
    assert run("export", "ec01-pole-emploi-dg", "ec08-insup", "--format", "json", "--out", str(folder)).exit_code == 0
    (folder / "notes.txt").write_text("pas un paquet", encoding="utf-8")
    (folder / "~$brouillon.docx").write_bytes(b"verrou de Word")
    other = tmp_path / "autre"
    result = CliRunner().invoke(main, ["--data-dir", str(other), "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "ec01-pole-emploi-dg.json" in result.stdout and "ec08-insup.json" in result.stdout
    assert "notes.txt" not in result.output and "brouillon" not in result.output
    merged = run("merge", str(folder), "--out", str(tmp_path / "volume.docx"))
    assert merged.exit_code == 0, merged.output
    assert "2 projets" in merged.stdout
    empty = tmp_path / "vide"
    empty.mkdir()
    nothing = run("import", str(empty))
    assert nothing.exit_code == 1 and "aucun fichier" in nothing.stderr


def test_import_and_merge_exit_1_when_an_input_failed_and_still_say_what_went_in(run, tmp_path):
    out = tmp_path / "j"
    assert run("export", "ec08-insup", "--format", "json", "--out", str(out)).exit_code == 0
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"pas un zip")
    imported = run("import", str(out / "ec08-insup.json"), str(bad))
    assert imported.exit_code == 1
    assert "ec08-insup.json" in imported.stdout and "Total" in imported.stdout and "1 fichier lu" in imported.stdout
    assert "bad.docx" in imported.stderr
    volume = tmp_path / "volume.docx"
    merged = run("merge", str(out / "ec08-insup.json"), str(bad), "--out", str(volume))
    assert merged.exit_code == 1 and volume.is_file()
    assert "Fichiers fusionnés" in merged.stdout and "bad.docx" in merged.stderr
    assert run("import", str(out / "ec08-insup.json")).exit_code == 0


def test_damaged_files_are_named_once_on_stderr_in_every_output_mode(run, data_dir):
    run("projects")
    project_file = data_dir / "projects" / "ec03-meef-vitre" / "project.json"
    project_file.write_text("{broken", encoding="utf-8")
    interview_file = next((data_dir / "projects" / "ec05-ml-lunevillois" / "interviews").glob("*.json"))
    interview_file.write_bytes(b"")
    for args in (("projects",), ("projects", "--json")):
        result = run(*args)
        assert result.exit_code == 0
        said = result.stderr.replace("\n", "")
        assert said.count(str(project_file)) == 1, (args, result.stderr)
        assert said.count(str(interview_file)) == 1, (args, result.stderr)
    assert json.loads(run("projects", "--json").stdout)       # stdout stays pure JSON


def test_two_project_ids_with_the_same_slug_export_to_two_files(run, data_dir, tmp_path):
    """`ec08_insup` and `ec08-insup` both went to ec08-insup.json: one replaced the other."""
    with ProjectStore.open(data_dir) as store:
        twin = store.get_project("ec08-insup")
        twin.id, twin.title = "ec08_insup", "Le jumeau"
        store.save_project(twin)
    out = tmp_path / "out"
    result = run("export", "ec08-insup", "ec08_insup", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.json"))
    assert len(files) == 2
    ids = {json.loads(f.read_text(encoding="utf-8"))["project"]["id"] for f in files}
    assert ids == {"ec08-insup", "ec08_insup"}
