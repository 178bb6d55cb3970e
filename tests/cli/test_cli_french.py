"""French everywhere in the CLI: click's suggestions and usage errors, the YAML parser's
messages, plurals, and one percent format."""

from __future__ import annotations

from pi87_field.core import fr
from pi87_field.core.merge import volume
from pi87_field.core.summary import ProjectProgress

ENGLISH = ("Did you mean", "No such", "Usage:", "Error:", "requires an argument", "mapping values",
           "could not find", "expected", "found character", "while parsing")


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_click_suggestions_and_usage_errors_are_french(run):
    command = run("projet")
    assert command.exit_code == 2 and "Vouliez-vous dire 'projects' ?" in command.stderr
    option = run("export", "--formt", "json", "x")
    assert option.exit_code == 2 and "Vouliez-vous dire" in option.stderr and "'--format'" in option.stderr
    value = run("export", "--out")
    assert value.exit_code == 2 and "attend une valeur" in value.stderr
    for result in (command, option, value):
        assert not english_in(result.output), result.output


def test_yaml_parser_messages_are_french(run, tmp_path):
    cases = {"deux-points.yaml": "id: g\ntitle: a: b\n", "tab.yaml": "id: g\nsections:\n\t- x\n",
             "crochet.yaml": "id: [g\n", "guillemet.yaml": 'id: "g\n'}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run("guides", "validate", str(path))
        assert result.exit_code == 1 and f"{name}:" in result.stderr and "YAML illisible" in result.stderr
        assert not english_in(result.stderr), result.stderr


def test_counts_agree_with_their_nouns(run, tmp_path):
    out = tmp_path / "j"
    assert run("export", "ec01-pole-emploi-dg", "ec08-insup", "--format", "json", "--out", str(out)).exit_code == 0
    again = run("import", str(out))
    assert "1 doublon ignoré" in again.stdout and "Total : 2 doublons ignorés (2 fichiers lus)" in again.stdout
    assert fr.plural(0, "ajouté") == "0 ajouté" and fr.plural(15, "ajouté") == "15 ajoutés"
    assert fr.plural(1500, "réponse") == "1\u00a0500 réponses"


def test_one_percent_format_everywhere():
    assert fr.format_percent(0.55) == "55\u00a0%" and fr.format_percent(0.125) == "13\u00a0%"
    assert fr.format_percent(None) == "—"
    assert not hasattr(volume, "percent")            # the volume says it the same way: fr.format_percent
    progress = ProjectProgress(done=1, total=2, answered=11, questions=20)
    assert progress.percent_label == "55\u00a0%" and progress.percent == 55


def test_a_damaged_store_file_is_described_in_french(run, data_dir):
    run("projects")
    damaged = next((data_dir / "projects" / "ec05-ml-lunevillois" / "interviews").glob("*.json"))
    damaged.write_bytes(damaged.read_bytes()[:30])
    result = run("projects", "--json")
    assert "JSON invalide ou tronqué (ligne 1" in result.stderr
    assert not english_in(result.stderr) and "Unterminated" not in result.stderr and "Expecting" not in result.stderr


def test_projects_are_told_apart_by_their_label_at_80_columns(run):
    table = run("projects").stdout
    for label in ("Auxerrois", "Lunévillois", "Pays de Vitré", "INSUP"):
        assert label in table, table
