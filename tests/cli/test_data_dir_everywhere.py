"""`--data-dir` is accepted after every subcommand, from one place (`FrenchGroup.add_command`):
`volume` and `trash` used to answer "Option inconnue"."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pi87_field.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*path, name))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, (*path, name))
    return out


COMMANDS = _commands(main)


def test_every_command_is_listed():
    assert {("volume",), ("trash", "list"), ("trash", "empty"), ("synthesis", "status")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_data_dir_after_the_subcommand(path, tmp_path):
    result = CliRunner().invoke(main, [*path, "--data-dir", str(tmp_path / "data"), "--help"])
    assert result.exit_code == 0, result.output
    assert "--data-dir" in result.output


@pytest.mark.parametrize("args", [["trash", "list"], ["volume", "--out"]])
def test_data_dir_after_the_subcommand_is_the_one_used(args, tmp_path):
    root = tmp_path / "ici"
    if args[-1] == "--out":
        args = [*args, str(tmp_path / "v.docx")]
    result = CliRunner().invoke(main, [*args, "--data-dir", str(root)])
    assert "Option inconnue" not in result.output
    assert (root / "pi87-field.json").is_file()
