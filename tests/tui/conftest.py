"""Fixtures of the TUI tests: a fresh seeded store in a temporary folder and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import fixed_clock

from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import Pi87FieldApp, make_app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):
    s = ProjectStore.open(data_dir, durable=False)
    yield s
    s.close()


@pytest.fixture
def app(store: ProjectStore) -> Pi87FieldApp:
    return make_app(store, interviewer="Camille Enquêtrice", clock=fixed_clock)
