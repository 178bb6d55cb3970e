"""Fixtures of the CLI tests: `run(*args)` invokes `pi87-field --data-dir <data_dir> *args`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pi87_field.cli import main


@pytest.fixture
def run(data_dir):
    def _run(*args: str, **kw):
        return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False, **kw)

    return _run
