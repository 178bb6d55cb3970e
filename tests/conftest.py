"""Shared fixtures. Every test runs against a temporary data directory, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pi87_field.core.store import ProjectStore


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test may touch the real user data directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PI87_FIELD_DATA_DIR", str(home / "default-data"))
    monkeypatch.setenv("PI87_FIELD_USER", "Évaluatrice Test")
    yield


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_store(data_dir):
    """Open stores (the data_dir by default); each is closed when the test ends."""
    opened: list[ProjectStore] = []

    def make(root: Path | None = None, *, durable: bool = True) -> ProjectStore:
        store = ProjectStore.open(root if root is not None else data_dir, durable=durable)
        opened.append(store)
        return store

    yield make
    for store in reversed(opened):
        store.close()


@pytest.fixture
def store(request, make_store) -> ProjectStore:
    """The seeded store of the test's data_dir. Its parameter is the options of the store:
    durable (fsync every write) by default; a test or a folder says otherwise with the `store`
    marker, `@pytest.mark.store(durable=False)` (as tests/tui/conftest.py does for every TUI test),
    or with indirect parametrisation, `@pytest.mark.parametrize("store", [{"durable": False}],
    indirect=True)`."""
    options = getattr(request, "param", None)
    if options is None:
        marker = request.node.get_closest_marker("store")
        options = marker.kwargs if marker else {}
    return make_store(**options)

