"""Where pi87-field keeps its data. The one module that decides it (tests point it elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from pi87_field import APP_NAME
from pi87_field.core.guides import builtin_guides_dir

__all__ = ["ENV_DATA_DIR", "builtin_guides_dir", "data_dir", "default_exports_dir", "demo_dir"]

ENV_DATA_DIR = "PI87_FIELD_DATA_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $PI87_FIELD_DATA_DIR, else the platform's user data directory."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)




def demo_dir(override: str | os.PathLike | None = None) -> Path:
    """The demo's own data folder (`pi87-field demo`): never the user's data folder, whatever
    --data-dir or $PI87_FIELD_DATA_DIR say."""
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(f"{APP_NAME}-demo", appauthor=False)


def default_exports_dir() -> Path:
    return Path.cwd() / "exports"
