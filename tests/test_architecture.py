"""The architecture contracts of pyproject.toml ([tool.importlinter]) hold.

Defect it pins: a cycle between the merge and the volume modules, and the Word reader importing
the Word writer, both of which hid the layering of the core (issue 8); screens importing the app
that imports them back, which made the TUI one import circle of 13 files (issue 16).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is part of the test extra"
    proc = subprocess.run([exe, "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc.stdout


def test_import_linter_contracts_are_kept():
    assert "0 broken" in lint_imports()


def test_the_tui_contracts_are_among_those_checked():
    """The screens-never-import-the-app rule is a contract that lint-imports runs (not a comment),
    and the TUI's own layers are checked too."""
    report = " ".join(lint_imports().split())  # contract names are wrapped at 80 columns
    assert "Screens, widgets and the palette never import the app" in report
    assert "The TUI goes one way" in report
    assert report.count(" KEPT") >= 7
