"""Where pi87-field keeps its data. The one module that decides it (tests point it elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from pi87_field import APP_NAME

ENV_DATA_DIR = "PI87_FIELD_DATA_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $PI87_FIELD_DATA_DIR, else the platform's user data directory."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def builtin_guides_dir() -> Path:
    """Guides shipped with the program: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "interview_guides"
    if packaged.is_dir():
        return packaged
    return here.parent / "interview_guides"


def default_exports_dir() -> Path:
    return Path.cwd() / "exports"
