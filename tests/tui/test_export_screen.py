"""Export from the TUI (issue 11 item 13): the data folder's exports location, all projects,
pseudonymised, and never a silent overwrite of a write-up changed since pi87-field wrote it."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from pi87_field.tui.screens.export import ExportScreen
from pi87_field.tui.screens.project import ProjectScreen
from tests.tui.tui_helpers import open_project, wait_until, run_from_palette

CASE = "ec08-insup"


async def test_export_all_projects_to_the_exports_location_not_the_cwd(app, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "exporter tous", expect="un projet ou tous")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        assert dialog.query_one("#x-folder", Input).value == str(store.root / "exports")
        dialog.query_one("#x-all").value = True
        dialog.query_one("#x-json").value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), timeout=60)
    written = sorted(p.name for p in (store.root / "exports").glob("*.json"))
    assert len(written) == len(store.list_projects()) == 9
    assert not (tmp_path / "exports").exists()


async def test_a_write_up_edited_since_export_is_not_replaced_without_asking(app, store, tmp_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        first = app.export_project(CASE, "json")
        assert first is not None
        first.write_text(first.read_text(encoding="utf-8").replace("INSUP", "INSUP (modifié à la main)"),
                         encoding="utf-8")
        edited = first.read_bytes()
        assert app.export_project(CASE, "json") is None          # refused: the dialog asks
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "modifié" in str(dialog.query_one("#x-status").render())
        assert first.read_bytes() == edited
        await pilot.press("p")                                    # skip the changed file
        await wait_until(pilot, lambda: "Rien à exporter" in str(dialog.query_one("#x-status").render()))
        assert first.read_bytes() == edited
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog.set_focus(None)
        await pilot.press("o")                                    # overwrite, knowingly
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen), timeout=30)
        assert first.read_bytes() != edited
        assert app.export_project(CASE, "json") == first          # ours again: no question


async def test_pseudonymised_export_from_the_dialog(app, store, tmp_path):
    folder = tmp_path / "partage"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        dialog.query_one("#x-json").value = True
        dialog.query_one("#x-pseudo", Checkbox).value = True
        dialog.query_one("#x-folder", Input).value = str(folder)
        dialog.query_one("#x-remember", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen), timeout=30)
    files = list(folder.glob("*.json"))
    assert len(files) == 1 and '"pseudonymised"' in files[0].read_text(encoding="utf-8")
    from pi87_field.locations import exports_dir

    assert exports_dir(store.root) == folder.resolve()


async def test_a_pseudonymised_export_says_where_the_list_to_check_is(app, store, tmp_path):
    """Defect it pinned: the TUI wrote the residual-risk list beside a pseudonymised export
    without a word, so the evaluator never learnt there were names to check before sending."""
    interview = store.list_interviews(CASE)[0]
    store.save_answer(CASE, interview.id, "structure.presentation",
                      "Rencontre avec Temporis, agence de Lunéville.", author="Léa")
    messages: list[str] = []
    notify = app.notify

    def recording_notify(message, *args, **kwargs):
        messages.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording_notify
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await run_from_palette(pilot, "exporter tous", expect="un projet ou tous")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        dialog.query_one("#x-one").value = True
        dialog.query_one("#x-json").value = True
        dialog.query_one("#x-pseudo", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen), timeout=60)
    sidecar = store.root / "exports" / f"{CASE}.pseudonymise.json.a-verifier.txt"
    assert sidecar.is_file()
    assert any("à vérifier" in m and str(sidecar) in m for m in messages), messages


def test_every_toggle_of_the_tui_is_readable_in_plain_text():
    """Checkboxes and radio buttons show their mark only when on (issue 11 item 10): a bare
    Textual Checkbox draws the same "X" on and off, told apart by colour alone."""
    import re
    from pathlib import Path

    screens = Path(__file__).resolve().parents[2] / "pi87_field" / "tui"
    bare = [f"{p.name}:{n}" for p in screens.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
            if re.search(r"(?<![A-Za-z])(Checkbox|RadioButton)\(", line)]
    assert bare == []


async def test_client_edition_chosen_in_the_dialog(app, store, tmp_path):
    folder = tmp_path / "client"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_project(pilot, "insup")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        dialog.query_one("#x-json").value = True
        dialog.query_one("#x-client").value = True
        dialog.query_one("#x-folder", Input).value = str(folder)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "qu'en Word" in str(dialog.query_one("#x-status").render()))
        assert not folder.exists()
        dialog.query_one("#x-docx").value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen), timeout=30)
    assert [p.name for p in folder.iterdir()] == [f"{CASE}.client.docx"]
