"""The one place where domain objects meet their stored / exchanged form (plain JSON dicts).

The same dict shapes are used in the store files and in the `pi87-field/1` bundle. Keys this
version does not know are kept in `extra` and written back unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pi87_field.core.errors import ImportFormatError
from pi87_field.core.model import (
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    Interviewee,
    InterviewMode,
    InterviewStatus,
    Project,
    ReviewNote,
    ProjectKind,
    check_interview_id,
    check_project_id,
    now_iso,
)
from pi87_field.core.money import amount_to_json, parse_amount
from pi87_field.core.text import clean_text, one_line

_PROJECT_KEYS = {
    "id", "kind", "title", "carrier", "label", "os", "fse_amount", "fse_amount_note", "characteristics",
    "guide_id", "volet", "territorial_level", "region", "operation_type", "digital",
    "innovation_steps", "created_at", "updated_at", "fact_history", "fact_conflicts",
}
_INTERVIEW_KEYS = {
    "id", "project_id", "guide_id", "guide_version", "interviewer", "interviewees", "date",
    "mode", "consent", "consent_recorded_at", "status", "life_cycle", "answers", "question_texts", "notes", "created_at", "updated_at",
    "fact_history", "fact_conflicts", "review_notes",
}
_ANSWER_KEYS = {"text", "state", "updated_at", "author", "ancestors", "burst", "concurrent"}
_PERSON_KEYS = {"name", "role", "organisation"}
_NOTE_KEYS = {"author", "date", "text"}


def _expect(data: Any, kind: type, what: str) -> Any:
    if not isinstance(data, kind):
        raise ImportFormatError(f"{what} : {kind.__name__} attendu, trouvé {type(data).__name__}")
    return data


def _str(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, (str, int, float)):
        raise ImportFormatError(f"champ « {key} » : texte attendu")
    return clean_text(str(value))


def _extra(data: dict, known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


# -- history of facts (see facts.py) ------------------------------------------------------------

def _facts_history_to_dict(out: dict[str, Any], ancestors: dict[str, list[str]],
                           conflicts: dict[str, list[dict[str, Any]]]) -> None:
    if ancestors:
        out["fact_history"] = {k: list(v) for k, v in ancestors.items() if v}
    if conflicts:
        out["fact_conflicts"] = {k: [dict(x) for x in v] for k, v in conflicts.items() if v}


def _facts_history_from_dict(data: dict) -> dict[str, Any]:
    ancestors = _expect(data.get("fact_history") or {}, dict, "fact_history")
    conflicts = _expect(data.get("fact_conflicts") or {}, dict, "fact_conflicts")
    return {
        "fact_history": {clean_text(str(k)): [str(r) for r in _expect(v, list, "fact_history")][:50]
                           for k, v in ancestors.items()},
        "fact_conflicts": {clean_text(str(k)): [dict(_expect(x, dict, "fact_conflicts")) for x in
                                                _expect(v, list, "fact_conflicts")]
                           for k, v in conflicts.items()},
    }


# -- project -----------------------------------------------------------------------------------

def project_to_dict(p: Project) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id, "kind": p.kind.value, "title": p.title, "carrier": p.carrier, "os": p.os,
        "fse_amount": amount_to_json(p.fse_amount), "characteristics": p.characteristics,
    }
    if p.label:
        out["label"] = p.label
    if p.fse_amount_note:
        out["fse_amount_note"] = p.fse_amount_note
    out["guide_id"] = p.guide_id
    for key in ("volet", "territorial_level", "region", "operation_type"):
        if getattr(p, key):
            out[key] = getattr(p, key)
    if p.digital:
        out["digital"] = list(p.digital)
    if p.innovation_steps:
        out["innovation_steps"] = list(p.innovation_steps)
    out["created_at"] = p.created_at
    out["updated_at"] = p.updated_at
    _facts_history_to_dict(out, p.fact_history, p.fact_conflicts)
    out.update(p.extra)
    return out


def project_from_dict(data: Any) -> Project:
    data = _expect(data, dict, "projet")
    try:
        kind = ProjectKind(data.get("kind", ""))
    except ValueError:
        raise ImportFormatError(f"type de projet inconnu : « {data.get('kind')} »") from None
    os_value = data.get("os")
    if os_value is not None:
        if str(os_value) not in ("1", "2"):
            raise ImportFormatError(f"OS inconnu : « {os_value} » (1 ou 2)")
        os_value = int(os_value)
    amount = data.get("fse_amount")
    lists = {}
    for key in ("digital", "innovation_steps"):
        value = data.get(key) or []
        lists[key] = [one_line(str(v)) for v in _expect(value, list, key)]
    return Project(
        id=check_project_id(data.get("id", "")),
        kind=kind,
        title=one_line(_str(data, "title")),
        carrier=one_line(_str(data, "carrier")),
        label=one_line(_str(data, "label")),
        os=os_value,
        fse_amount=parse_amount(amount if not isinstance(amount, float) else repr(amount)),
        fse_amount_note=one_line(_str(data, "fse_amount_note")),
        characteristics=_str(data, "characteristics"),
        guide_id=_str(data, "guide_id"),
        volet=_str(data, "volet") or None,
        territorial_level=_str(data, "territorial_level") or None,
        region=_str(data, "region") or None,
        operation_type=_str(data, "operation_type") or None,
        digital=lists["digital"],
        innovation_steps=lists["innovation_steps"],
        created_at=_str(data, "created_at") or now_iso(),
        updated_at=_str(data, "updated_at") or now_iso(),
        **_facts_history_from_dict(data),
        extra=_extra(data, _PROJECT_KEYS),
    )


# -- answers -----------------------------------------------------------------------------------

def _state(value: Any) -> AnswerState:
    try:
        return AnswerState(value or "answered")
    except ValueError:
        raise ImportFormatError(f"état de réponse inconnu : « {value} »") from None


def answer_to_dict(a: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": a.text, "state": a.state.value, "updated_at": a.updated_at, "author": a.author,
    }
    if a.ancestors:
        out["ancestors"] = list(a.ancestors)
    if a.burst:
        out["burst"] = a.burst
    if a.concurrent:
        out["concurrent"] = [
            {"text": v.text, "state": v.state.value, "updated_at": v.updated_at,
             "author": v.author, "source": v.source}
            for v in a.concurrent
        ]
    out.update(a.extra)
    return out


def answer_from_dict(data: Any) -> Answer:
    data = _expect(data, dict, "réponse")
    concurrent = [
        AnswerVersion(
            text=_str(v, "text"), state=_state(v.get("state")), updated_at=_str(v, "updated_at"),
            author=one_line(_str(v, "author")), source=one_line(_str(v, "source")),
        )
        for v in (_expect(x, dict, "version concurrente") for x in data.get("concurrent") or [])
    ]
    ancestors = [str(x) for x in _expect(data.get("ancestors") or [], list, "ancestors")]
    return Answer(
        text=_str(data, "text"),
        state=_state(data.get("state")),
        updated_at=_str(data, "updated_at") or now_iso(),
        author=one_line(_str(data, "author")),
        ancestors=ancestors,
        burst=one_line(_str(data, "burst"))[:40],
        concurrent=concurrent,
        extra=_extra(data, _ANSWER_KEYS),
    )


# -- review notes ------------------------------------------------------------------------------

def review_note_to_dict(n: ReviewNote) -> dict[str, Any]:
    return {"author": n.author, "date": n.date, "text": n.text, **n.extra}


def review_note_from_dict(data: Any) -> ReviewNote:
    data = _expect(data, dict, "note de relecture")
    return ReviewNote(author=one_line(_str(data, "author")), date=one_line(_str(data, "date")),
                      text=_str(data, "text"), extra=_extra(data, _NOTE_KEYS))


def _review_notes_from(data: Any) -> dict[str, list[ReviewNote]]:
    notes = _expect(data or {}, dict, "review_notes")
    out: dict[str, list[ReviewNote]] = {}
    for qid, items in notes.items():
        parsed = [review_note_from_dict(x) for x in _expect(items or [], list, "notes de relecture")]
        if parsed:
            out[clean_text(str(qid))] = parsed
    return out


# -- interviews --------------------------------------------------------------------------------

def interviewee_to_dict(p: Interviewee) -> dict[str, Any]:
    return {"name": p.name, "role": p.role, "organisation": p.organisation, **p.extra}


def interviewee_from_dict(data: Any) -> Interviewee:
    data = _expect(data, dict, "personne interrogée")
    return Interviewee(
        name=one_line(_str(data, "name")), role=one_line(_str(data, "role")),
        organisation=one_line(_str(data, "organisation")), extra=_extra(data, _PERSON_KEYS),
    )


def interview_to_dict(i: Interview, *, with_answers: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i.id, "project_id": i.project_id, "guide_id": i.guide_id,
        "guide_version": i.guide_version, "interviewer": i.interviewer,
        "date": i.date.isoformat() if i.date else None,
        "mode": i.mode.value if i.mode else None,
        "interviewees": [interviewee_to_dict(p) for p in i.interviewees],
        "consent": i.consent, "status": i.status.value,
    }
    if i.consent_recorded_at:
        out["consent_recorded_at"] = i.consent_recorded_at
    if i.life_cycle:
        out["life_cycle"] = dict(i.life_cycle)
    if i.notes:
        out["notes"] = i.notes
    out["created_at"] = i.created_at
    out["updated_at"] = i.updated_at
    out["question_texts"] = dict(i.question_texts)
    _facts_history_to_dict(out, i.fact_history, i.fact_conflicts)
    if with_answers:
        out["answers"] = {qid: answer_to_dict(a) for qid, a in i.answers.items()}
    if any(i.review_notes.values()):
        out["review_notes"] = {qid: [review_note_to_dict(n) for n in notes]
                               for qid, notes in i.review_notes.items() if notes}
    out.update(i.extra)
    return out


def _life_cycle_from(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    value = _expect(value, dict, "life_cycle")
    if not all(isinstance(value.get(k), str) for k in ("event", "at", "id")):
        raise ImportFormatError("champ « life_cycle » : event, at et id attendus")
    return {k: one_line(value[k]) for k in ("event", "at", "id")}


def interview_from_dict(data: Any, project_id: str | None = None) -> Interview:
    data = _expect(data, dict, "entretien")
    raw_date = data.get("date")
    try:
        when = date.fromisoformat(raw_date) if raw_date else None
    except (TypeError, ValueError):
        raise ImportFormatError(f"date d'entretien illisible : « {raw_date} »") from None
    try:
        mode = InterviewMode(data["mode"]) if data.get("mode") else None
        status = InterviewStatus(data.get("status") or "planned")
    except ValueError as exc:
        raise ImportFormatError(f"valeur inconnue dans l'entretien : {exc}") from None
    consent = data.get("consent")
    if consent is not None and not isinstance(consent, bool):
        raise ImportFormatError("champ « consent » : vrai/faux attendu")
    answers = _expect(data.get("answers") or {}, dict, "answers")
    texts = _expect(data.get("question_texts") or {}, dict, "question_texts")
    return Interview(
        id=check_interview_id(str(data.get("id", ""))),
        project_id=check_project_id(project_id or data.get("project_id", "")),
        guide_id=_str(data, "guide_id"),
        guide_version=_str(data, "guide_version"),
        interviewer=one_line(_str(data, "interviewer")),
        interviewees=[interviewee_from_dict(p) for p in _expect(data.get("interviewees") or [], list, "interviewees")],
        date=when,
        mode=mode,
        consent=consent,
        consent_recorded_at=one_line(_str(data, "consent_recorded_at")),
        status=status,
        life_cycle=_life_cycle_from(data.get("life_cycle")),
        answers={clean_text(str(q)): answer_from_dict(a) for q, a in answers.items()},
        question_texts={clean_text(str(q)): clean_text(str(t)) for q, t in texts.items()},
        notes=_str(data, "notes"),
        created_at=_str(data, "created_at") or now_iso(),
        updated_at=_str(data, "updated_at") or now_iso(),
        **_facts_history_from_dict(data),
        extra=_extra(data, _INTERVIEW_KEYS),
        review_notes=_review_notes_from(data.get("review_notes")),
    )

