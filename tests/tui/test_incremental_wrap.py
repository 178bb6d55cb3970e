"""The incremental wrap gives exactly Textual's offsets, edit after edit."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import pytest
import textual
from textual._wrap import compute_wrap_offsets as textual_wrap
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from pi87_field.tui.app import make_app
from pi87_field.tui.widgets import incremental_wrap
from pi87_field.tui.widgets.incremental_wrap import common_prefix_length, compute_wrap_offsets
from tests.support.paths import REPO

WORDS = ["FSE", "l’expérimentation", "a", "été", "essaimée", "🙂", "עברית", "dans", "trois", "agences",
         "x" * 70, "conseillers", "employeurs", "—", "", "  "]


def test_common_prefix_length():
    assert common_prefix_length("abcdef", "abcxyz") == 3
    assert common_prefix_length("abc", "abc") == 3
    assert common_prefix_length("abc", "abcd") == 3
    assert common_prefix_length("", "a") == 0
    assert common_prefix_length("zbc", "abc") == 0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("width", [9, 37, 54])
def test_random_edits_wrap_like_textual(seed, width):
    rng = random.Random(seed)
    incremental_wrap._last.clear()
    text = " ".join(rng.choice(WORDS) for _ in range(1500))
    assert len(text) > incremental_wrap.LONG_LINE
    for _ in range(40):
        kind = rng.random()
        at = rng.randrange(len(text)) if rng.random() < 0.5 else len(text) - rng.randrange(20)
        if kind < 0.5:
            text = text[:at] + rng.choice(["a", " ", "mot ", "🙂", "x" * 80, "é"]) + text[at:]
        elif kind < 0.8:
            text = text[:at] + text[at + rng.randrange(1, 5):]
        else:
            text = text[:at] + text[at + rng.randrange(100, 400):] + " fin"
        assert compute_wrap_offsets(text, width, 4) == textual_wrap(text, width, 4)


@pytest.mark.parametrize("seed", range(3))
def test_sections_are_textual_sections(seed):
    rng = random.Random(seed)
    words = WORDS + ["\x07", "a\rb", "\x0c"] if seed == 2 else WORDS
    lines = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 900))) for _ in range(5)]
    wrapped = WrappedDocument(Document("\n".join(lines)), width=41)
    for index in range(len(lines)):
        assert incremental_wrap.get_sections(wrapped, index) == incremental_wrap.textual_get_sections(wrapped, index)


def test_importing_the_app_leaves_textual_alone_and_make_app_installs_the_patch(tmp_path):
    """The patch of Textual is installed by the app factory, not as a side effect of an import."""
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from textual.document._wrapped_document import WrappedDocument
        import textual.document._wrapped_document as wd
        from textual._wrap import compute_wrap_offsets as stock_offsets
        stock_sections = WrappedDocument.get_sections
        import pi87_field.cli, pi87_field.tui.app, pi87_field.tui.widgets.answer_editor
        from pi87_field.tui.widgets import incremental_wrap
        assert WrappedDocument.get_sections is stock_sections and wd.compute_wrap_offsets is stock_offsets
        assert not incremental_wrap.installed()
        from pi87_field.core.store import ProjectStore
        store = ProjectStore.open(Path(sys.argv[1]), durable=False)
        pi87_field.tui.app.make_app(store)
        assert incremental_wrap.installed() and WrappedDocument.get_sections is incremental_wrap.get_sections
        store.close()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.fixture
def wrap_state():
    """The patch is process-wide: put it back as it was after the test."""
    was = incremental_wrap.installed()
    yield
    if was:
        incremental_wrap.install()
    else:
        incremental_wrap.uninstall()


def test_another_textual_version_keeps_textual_stock_behaviour(store, monkeypatch, wrap_state):
    incremental_wrap.uninstall()
    monkeypatch.setattr(textual, "__version__", "8.3.0")
    assert incremental_wrap.install() is False
    make_app(store)
    assert not incremental_wrap.installed()
    assert WrappedDocument.get_sections is incremental_wrap.textual_get_sections
    monkeypatch.setattr(textual, "__version__", incremental_wrap.TESTED_TEXTUAL)
    make_app(store)
    assert incremental_wrap.installed()
    assert incremental_wrap.TESTED_TEXTUAL in (REPO / "pyproject.toml").read_text(encoding="utf-8")
