"""The `pi87-field/1` JSON interchange bundle: one project with its interviews.

A bundle comes from elsewhere: it is checked at the door (`check_limits`, called by
`bundle_from_dict` for JSON files and for the copy embedded in a Word write-up) so that nothing
later — a save, a Word export, the TUI — has to cope with an absurd one. Documented caps
(README, "Limits"): file size `MAX_BUNDLE_BYTES` (64 MB); `MAX_INTERVIEWS` interviews per bundle;
`MAX_ANSWERS` answers (and as many question texts) per interview; `MAX_PEOPLE` interviewees per
interview; `MAX_TEXT_CHARS` characters per answer and `MAX_TOTAL_TEXT_CHARS` in all (a bundle
accepted at the door must also export to Word in seconds); `MAX_DEPTH` levels of nesting in unknown keys; a recording's transcript (DESIGN §8) within the caps
of a transcript file (`core.transcript`);
`MAX_OBJECTS` JSON objects per file (the parser stops as soon as there are more, so a file of a
million tiny answers costs a fraction of its full parse); NaN and Infinity are not JSON and are
refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pi87_field.core.errors import FieldError, ImportFormatError, os_reason
from pi87_field.core.model import Interview, Project, now_iso
from pi87_field.core.money import format_int
from pi87_field.core.transcript import TRANSCRIPT_KEY, check_transcript_limits
from pi87_field.core.serialize import (
    interview_from_dict,
    interview_to_dict,
    project_from_dict,
    project_to_dict,
)

FORMAT = "pi87-field/1"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_INTERVIEWS = 2_000
MAX_ANSWERS = 2_000
MAX_PEOPLE = 200
MAX_TEXT_CHARS = 1_000_000
MAX_TOTAL_TEXT_CHARS = 20_000_000   # all answers of a bundle: its Word export stays in seconds
MAX_DEPTH = 32
MAX_OBJECTS = 250_000     # JSON objects in one file: parsing stops there (time and memory bound)
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
    return (json.dumps(bundle_to_dict(bundle), ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value, without recursion (a deep value must not crash the check)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _check_depth(values: list[Any]) -> None:
    """Unknown keys are kept and written back (store, Word payload): an absurdly deep one used to
    make every later Word export fail with RecursionError."""
    for value in values:
        if value and _depth(value) > MAX_DEPTH:
            raise ImportFormatError(f"données inconnues imbriquées sur plus de {MAX_DEPTH} niveaux (refusé)")


def check_limits(data: dict[str, Any]) -> None:
    """Refuse, in one French sentence, a bundle beyond the documented caps (counts; the depth of
    unknown keys is checked on the objects, see `_check_depth`)."""
    interviews = data.get("interviews")
    if isinstance(interviews, list) and len(interviews) > MAX_INTERVIEWS:
        raise ImportFormatError(f"{format_int(len(interviews))} entretiens dans un seul projet : au plus "
                                f"{format_int(MAX_INTERVIEWS)}")
    total = 0
    for interview in interviews if isinstance(interviews, list) else []:
        if not isinstance(interview, dict):
            continue
        for key, cap, what in (("answers", MAX_ANSWERS, "réponses"), ("question_texts", MAX_ANSWERS, "questions"),
                               ("interviewees", MAX_PEOPLE, "personnes interrogées")):
            value = interview.get(key)
            if isinstance(value, (dict, list)) and len(value) > cap:
                raise ImportFormatError(f"{format_int(len(value))} {what} dans un entretien : au plus {format_int(cap)}")
        check_transcript_limits(interview.get(TRANSCRIPT_KEY))
        answers = interview.get("answers")
        for qid, answer in answers.items() if isinstance(answers, dict) else []:
            texts = [answer.get("text")] if isinstance(answer, dict) else []
            if isinstance(answer, dict) and isinstance(answer.get("concurrent"), list):
                texts += [v.get("text") for v in answer["concurrent"] if isinstance(v, dict)]
            total += sum(len(t) for t in texts if isinstance(t, str))
            if total > MAX_TOTAL_TEXT_CHARS:
                raise ImportFormatError(f"plus de {format_int(MAX_TOTAL_TEXT_CHARS)} caractères de réponses dans un "
                                        "même fichier : refusé")
            if any(isinstance(t, str) and len(t) > MAX_TEXT_CHARS for t in texts):
                raise ImportFormatError(f"réponse « {str(qid)[:80]} » de plus de {format_int(MAX_TEXT_CHARS)} "
                                        "caractères : refusée")
    ancestors_of = [a.get("ancestors") for i in interviews if isinstance(i, dict)
                    for a in (i.get("answers") or {}).values() if isinstance(a, dict)] \
        if isinstance(interviews, list) else []
    if any(isinstance(x, list) and len(x) > 1_000 for x in ancestors_of):
        raise ImportFormatError("historique d'une réponse démesuré (plus de 1 000 révisions) : refusé")


def bundle_from_dict(data: Any, source: str = "") -> Bundle:
    where = f"{source} : " if source else ""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ImportFormatError(
            f"{where}ce n'est pas un export pi87-field (format {FORMAT!r} attendu"
            f"{f', trouvé {found!r}' if found else ''})"
        )
    try:
        check_limits(data)
        _check_depth([data.get(k) for k in data if k not in _BUNDLE_KEYS])
        project = project_from_dict(data.get("project"))
        raw = data.get("interviews") or []
        if not isinstance(raw, list):
            raise ImportFormatError("« interviews » doit être une liste")
        interviews = [interview_from_dict(i, project.id) for i in raw]
        _check_depth([project.extra, *(i.extra for i in interviews),
                      *(p.extra for i in interviews for p in i.interviewees),
                      *(a.extra for i in interviews for a in i.answers.values()),
                      project.fact_conflicts, *(i.fact_conflicts for i in interviews)])
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


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON: they would come back out as such.
    raise ImportFormatError(f"JSON refusé : valeur « {name} » (ce n'est pas du JSON)")


def loads_untrusted(text: str, max_objects: int = MAX_OBJECTS) -> Any:
    """json.loads for files from elsewhere: a key given twice in one object, NaN and Infinity,
    and more than `max_objects` objects are refused."""
    count = 0

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal count
        count += 1
        if count > max_objects:
            raise ImportFormatError(f"JSON refusé : plus de {format_int(max_objects)} objets dans un même fichier")
        return _refuse_duplicate_keys(pairs)

    return json.loads(text, object_pairs_hook=hook, parse_constant=_refuse_constant)


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
        raise ImportFormatError(f"{path} : illisible ({os_reason(exc)})") from None
    return bundle_from_bytes(raw, str(path))
