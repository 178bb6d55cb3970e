"""`import` names a conflict of facts with both values (issue 9, item 4): it used to be listed as
a synthesis conflict (no interview id) with only the field's name."""

from __future__ import annotations

from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.exchange.exporting import export_project
from pi87_field.core.store import ProjectStore

PID = "ec05-ml-lunevillois"


def test_import_shows_a_conflict_of_facts_with_both_values(data_dir, tmp_path):
    with ProjectStore.open(tmp_path / "b", durable=False) as other:
        project = other.get_project(PID)
        project.volet = "national"
        other.save_project(project)
        bundle = export_project(other, PID, tmp_path / "from-b", fmt="json")
    with ProjectStore.open(data_dir, durable=False) as mine:
        project = mine.get_project(PID)
        project.volet = "régional"
        mine.save_project(project)
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "import", str(bundle)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Fiches en conflit" in result.output and "Synthèse en conflit" not in result.output
    flat = " ".join(result.output.split())
    assert "volet : « régional » gardé, « national » (ec05-ml-lunevillois.json) conservé à côté" in flat
