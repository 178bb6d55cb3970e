"""Fixtures of the TUI tests: the seeded store (without fsync, for speed) and an app on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pi87_field.core.store import ProjectStore
from pi87_field.tui.app import Pi87FieldApp, make_app
from tests.tui.tui_helpers import fixed_clock

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The TUI tests exercise screens, not durability (tests/unit/test_store.py does): their
    store does not fsync."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.store(durable=False))


@pytest.fixture
def app(store: ProjectStore) -> Pi87FieldApp:
    return make_app(store, interviewer="Camille Enquêtrice", clock=fixed_clock)
