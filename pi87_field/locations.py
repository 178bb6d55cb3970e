"""Where pi87-field keeps its data. The one module that decides it (tests point it elsewhere)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from pi87_field import APP_NAME
from pi87_field.core.guides import builtin_guides_dir

__all__ = ["ENV_DATA_DIR", "builtin_guides_dir", "data_dir", "default_exports_dir", "demo_dir", "exports_dir",
           "interviewer_setting", "set_exports_dir", "set_interviewer_setting"]

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
    """The CLI's default output folder (DESIGN.md: ./exports/)."""
    return Path.cwd() / "exports"


SETTINGS_FILE = "settings.json"


def exports_dir(data_root: Path) -> Path:
    """Where the TUI exports: the folder chosen and remembered for this data folder, else
    <data dir>/exports (never the folder the app happened to be started from)."""
    try:
        settings = json.loads((Path(data_root) / SETTINGS_FILE).read_text(encoding="utf-8"))
        chosen = settings.get("exports_dir") if isinstance(settings, dict) else None
    except (OSError, ValueError):
        chosen = None
    return Path(chosen).expanduser() if isinstance(chosen, str) and chosen else Path(data_root) / "exports"


def _settings(data_root: Path) -> dict:
    try:
        settings = json.loads((Path(data_root) / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def interviewer_setting(data_root: Path) -> str:
    """The interviewer's name chosen for this data folder ("" if none): the author of the
    answers typed here and the interviewer of new interviews. Never the login name ("root" on
    a write-up's cover says nothing)."""
    name = _settings(data_root).get("interviewer")
    return " ".join(name.split())[:200] if isinstance(name, str) else ""


def set_interviewer_setting(data_root: Path, name: str) -> None:
    from pi87_field.core.store.atomic import atomic_write_bytes

    settings = _settings(data_root)
    settings["interviewer"] = " ".join(name.split())[:200]
    atomic_write_bytes(Path(data_root) / SETTINGS_FILE,
                       json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"))


def set_exports_dir(data_root: Path, folder: Path) -> None:
    """Remember `folder` as this data folder's exports location."""
    from pi87_field.core.store.atomic import atomic_write_bytes

    path = Path(data_root) / SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if not isinstance(settings, dict):
        settings = {}
    settings["exports_dir"] = str(Path(folder).expanduser().resolve())
    atomic_write_bytes(path, json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"))
