"""`pi87-field projects add`: a case study or an interview series not in the campaign (issue 11
item 9)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.store import ProjectStore


@pytest.fixture
def run(data_dir):
    def _run(*args: str):
        return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)

    return _run


def test_new_case_study_is_listed_with_its_facts(run, data_dir):
    result = run("projects", "add", "--title", "Plateforme [b]emploi des Vosges", "--label", "Épinal · Plateforme",
                 "--carrier", "Maison de l'emploi d'Épinal", "--os", "1", "--amount", "21 914,89 €")
    assert result.exit_code == 0, result.output
    assert "ec-epinal-plateforme" in result.stdout and "Épinal · Plateforme" in result.stdout
    listed = {p["id"]: p for p in json.loads(run("projects", "--json").stdout)}
    assert len(listed) == 10
    project = listed["ec-epinal-plateforme"]
    assert project["kind"] == "case_study" and project["fse_amount"] == "21914.89"
    assert project["title"] == "Plateforme [b]emploi des Vosges"
    store = ProjectStore.open(data_dir, writer=False)
    assert store.get_project("ec-epinal-plateforme").fse_amount == Decimal("21914.89")
    assert store.get_project("ec-epinal-plateforme").guide_id == "etude-de-cas"


def test_projects_add_takes_data_dir_after_the_subcommand(data_dir, tmp_path):
    other = tmp_path / "other"
    result = CliRunner().invoke(main, ["projects", "add", "--title", "Série", "--data-dir", str(other)])
    assert result.exit_code == 0, result.output
    assert ProjectStore.open(other, writer=False).has_project("ec-serie")


def test_new_interview_series_and_refusals_are_one_line(run):
    assert run("projects", "add", "--kind", "interview_series", "--title", "Entretiens régionaux").exit_code == 0
    again = run("projects", "add", "--kind", "interview_series", "--title", "Entretiens régionaux")
    assert again.exit_code == 0 and "eq-entretiens-regionaux-2" in again.stdout   # never replaces one
    taken = run("projects", "add", "--title", "X", "--id", "ec08-insup")
    assert taken.exit_code == 1 and "existe déjà" in taken.stderr and "Traceback" not in taken.output
    bad = run("projects", "add", "--title", "X", "--amount", "douze")
    assert bad.exit_code == 1 and "Montant" in bad.stderr
    assert run("projects", "add", "--title", "  ").exit_code == 1
