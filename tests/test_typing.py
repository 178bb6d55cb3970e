"""The core type-checks: `mypy pi87_field/core` (settings in pyproject.toml [tool.mypy]) is clean."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import REPO


def test_mypy_is_clean_on_the_core():
    done = subprocess.run([sys.executable, "-m", "mypy", "pi87_field/core"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout
