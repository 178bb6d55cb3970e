"""The package type-checks: `mypy pi87_field` (settings in pyproject.toml [tool.mypy]) is clean,
the TUI included (issue 16: 26 errors in tui/ and 15 `type: ignore[attr-defined]` in the synthesis
screens, which reached into the app untyped; screens now see it through `tui.base.FieldApp`)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import REPO


def test_mypy_is_clean_on_the_whole_package():
    done = subprocess.run([sys.executable, "-m", "mypy", "pi87_field"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout
