"""`pi87-field trash list|restore|empty`: the trash from the command line."""

from __future__ import annotations

from datetime import datetime, timezone

from click.testing import CliRunner

from pi87_field.cli import main
from pi87_field.core.store import ProjectStore

CASE = "ec08-insup"


def run(data_dir, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_trash_list_restore_empty(data_dir):
    with ProjectStore.open(data_dir, durable=False) as store:
        interview = store.list_interviews(CASE)[0]
        store.trash.put(CASE, interview.id, datetime(2019, 10, 14, 9, 0, tzinfo=timezone.utc))
    result = run(data_dir, "trash", "list")
    assert result.exit_code == 0 and interview.id in result.stdout and "1 entretien dans la corbeille" in result.stdout
    result = run(data_dir, "trash", "empty")
    assert result.exit_code != 0 and "--yes" in result.output
    result = run(data_dir, "trash", "restore", CASE, interview.id)
    assert result.exit_code == 0 and "Restauré" in result.stdout
    assert run(data_dir, "trash", "list").stdout.strip() == "La corbeille est vide."
    result = run(data_dir, "trash", "restore", CASE, interview.id)
    assert result.exit_code == 1 and "corbeille" in result.output
    with ProjectStore.open(data_dir, durable=False) as store:
        store.trash.put(CASE, interview.id, datetime(2019, 10, 14, 9, 0, tzinfo=timezone.utc))
    result = run(data_dir, "trash", "empty", "--yes")
    assert result.exit_code == 0 and "1 entretien supprimé définitivement" in result.stdout
    with ProjectStore.open(data_dir, durable=False) as store:
        assert store.trash.items() == [] and interview.id not in [i.id for i in store.list_interviews(CASE)]


def test_trash_empty_names_unique_answers_and_needs_an_explicit_option(data_dir):
    with ProjectStore.open(data_dir, durable=False) as store:
        interview = store.list_interviews(CASE)[0]
        store.save_answer_checked(CASE, interview.id, "structure.presentation", "Seule copie.", author="Camille")
        store.trash.put(CASE, interview.id, datetime(2019, 10, 14, 9, 0, tzinfo=timezone.utc))
    result = run(data_dir, "trash", "empty")
    assert result.exit_code == 1 and "nulle part ailleurs" in result.output
    result = run(data_dir, "trash", "empty", "--yes")
    assert result.exit_code == 1 and "rien n'a été supprimé" in result.output and "--including-unique-answers" in result.output
    with ProjectStore.open(data_dir, durable=False) as store:
        assert len(store.trash.items()) == 1
    result = run(data_dir, "trash", "empty", "--yes", "--including-unique-answers")
    assert result.exit_code == 0 and "1 entretien supprimé définitivement" in result.stdout
