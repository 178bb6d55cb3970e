"""The `pi87-field/1` JSON interchange bundle: one project with its interviews."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pi87_field.core.errors import FieldError, ImportFormatError
from pi87_field.core.model import Interview, Project, now_iso
from pi87_field.core.serialize import (
    interview_from_dict,
    interview_to_dict,
    project_from_dict,
    project_to_dict,
)

FORMAT = "pi87-field/1"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
_BUNDLE_KEYS = {"format", "exported_at", "project", "interviews"}


@dataclass
class Bundle:
    project: Project
    interviews: list[Interview]
    exported_at: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)


def bundle_to_dict(bundle: Bundle) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "exported_at": bundle.exported_at,
        "project": project_to_dict(bundle.project),
        "interviews": [
            {k: v for k, v in interview_to_dict(i).items() if k != "project_id"} for i in bundle.interviews
        ],
        **bundle.extra,
    }


def bundle_to_bytes(bundle: Bundle) -> bytes:
    return (json.dumps(bundle_to_dict(bundle), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def bundle_from_dict(data: Any, source: str = "") -> Bundle:
    where = f"{source} : " if source else ""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ImportFormatError(
            f"{where}ce n'est pas un export pi87-field (format {FORMAT!r} attendu"
            f"{f', trouvé {found!r}' if found else ''})"
        )
    try:
        project = project_from_dict(data.get("project"))
        raw = data.get("interviews") or []
        if not isinstance(raw, list):
            raise ImportFormatError("« interviews » doit être une liste")
        interviews = [interview_from_dict(i, project.id) for i in raw]
    except FieldError as exc:
        raise ImportFormatError(f"{where}{exc}") from None
    return Bundle(
        project=project,
        interviews=interviews,
        exported_at=str(data.get("exported_at") or ""),
        extra={k: v for k, v in data.items() if k not in _BUNDLE_KEYS},
    )


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                break
            seen.add(key)
        # json.loads would silently keep the last one: an answer given twice would lose one
        raise ImportFormatError(f"JSON refusé : clé « {key[:80]} » en double dans un même objet")
    return out


def loads_untrusted(text: str) -> Any:
    """json.loads for files from elsewhere: a key given twice in one object is refused."""
    return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)


def bundle_from_bytes(raw: bytes, source: str = "") -> Bundle:
    where = f"{source} : " if source else ""
    try:
        data = loads_untrusted(raw.decode("utf-8-sig"))
    except ImportFormatError as exc:
        raise ImportFormatError(f"{where}{exc}") from None
    except UnicodeDecodeError:
        raise ImportFormatError(f"{where}fichier illisible (pas de l'UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{where}JSON invalide ou tronqué (ligne {exc.lineno}, colonne {exc.colno})") from None
    except RecursionError:
        raise ImportFormatError(f"{where}JSON trop profondément imbriqué") from None
    except ValueError:  # e.g. an integer of more than 4,300 digits
        raise ImportFormatError(f"{where}JSON refusé (nombre démesuré)") from None
    return bundle_from_dict(data, source)


def read_bundle_file(path: Path) -> Bundle:
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise ImportFormatError(f"{path} : fichier trop volumineux ({size // 1_000_000} Mo)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"{path} : illisible ({exc.strerror})") from None
    return bundle_from_bytes(raw, str(path))
