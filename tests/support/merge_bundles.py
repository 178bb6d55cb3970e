"""Fixture generator for merge tests and the merge benchmark: evaluators' bundles with
recognisable answers (every answer text carries a unique tag, so a test can count it).
The generator itself is tested in tests/unit/test_merge.py."""

from __future__ import annotations

import random
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from pi87_field.core.bundle import Bundle, bundle_to_bytes
from pi87_field.core.guides import GuideLibrary
from pi87_field.core.model import (
    Answer,
    AnswerState,
    Interview,
    Interviewee,
    InterviewMode,
    InterviewStatus,
    Project,
    ProjectKind,
)
from pi87_field.locations import builtin_guides_dir

_NS = uuid.UUID("0d6c3f52-7d1a-4c61-93a3-3b1f3b7d2a11")
WORDS = ("accompagnement conseillers employeurs parcours numérique territoire financement "
         "partenariat expérimentation recrutement formation insertion diagnostic essaimage "
         "mobilisation pilotage indicateurs jeunes demandeurs structure équipe résultats").split()


def guides() -> GuideLibrary:
    return GuideLibrary([builtin_guides_dir()])


def interview_id(project_id: str, n: int) -> str:
    return str(uuid.uuid5(_NS, f"{project_id}/{n}"))


def tag(evaluator: str, project_id: str, n: int, qid: str) -> str:
    """The unique marker every generated answer starts with."""
    return f"[{evaluator}|{project_id}|E{n}|{qid}]"


def filler(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    size = 0
    while size <= chars:
        w = rng.choice(WORDS)
        words.append(w)
        size += len(w) + 1
    return " ".join(words)[:chars]


def case_project(pid: str, n: int = 1) -> Project:
    return Project(
        id=pid, kind=ProjectKind.CASE_STUDY, title=f"Opération expérimentale n° {n} « {pid} »",
        carrier=f"Porteur {n} – Mission locale", os=1 + n % 2,
        fse_amount=Decimal("21914.89") + Decimal(n * 1000), characteristics="Volet régional / innovation",
        guide_id="etude-de-cas", created_at="2019-07-10T00:00:00+02:00", updated_at="2019-07-10T00:00:00+02:00",
    )


def series_project() -> Project:
    return Project(
        id="entretiens-qualitatifs", kind=ProjectKind.INTERVIEW_SERIES,
        title="Entretiens qualitatifs avec les gestionnaires et opérateurs de la PI 8.7",
        carrier="Gestionnaires et opérateurs", guide_id="entretiens-qualitatifs",
        created_at="2019-07-10T00:00:00+02:00", updated_at="2019-07-10T00:00:00+02:00",
    )


def make_interview(project: Project, n: int, evaluator: str, qids: list[str], *, answer_chars: int = 0,
                   rng: random.Random | None = None, when: str = "2019-10-14T10:05:00+02:00",
                   organisation: str = "") -> Interview:
    rng = rng or random.Random(n)
    guide = guides().get(project.guide_id)
    answers = {}
    for qid in qids:
        text = tag(evaluator, project.id, n, qid)
        if answer_chars:
            text += " " + filler(rng, max(0, answer_chars - len(text) - 1))
        answers[qid] = Answer(text=text, updated_at=when, author=evaluator)
    return Interview(
        id=interview_id(project.id, n), project_id=project.id, guide_id=project.guide_id,
        guide_version=guide.version if guide else "", interviewer=evaluator,
        interviewees=[Interviewee(name=f"Personne {n}", role="Directrice", organisation=organisation or f"Structure {n}")],
        date=date(2019, 10, min(28, n)), mode=InterviewMode.ON_SITE, consent=True,
        status=InterviewStatus.COMPLETE, answers=answers,
        question_texts=guide.question_texts() if guide else {},
        created_at="2019-10-01T09:00:00+02:00", updated_at=when,
    )


def full_case_bundle(pid: str, n: int, evaluator: str, *, interviews: int = 3, answer_chars: int = 800,
                     seed: int = 0) -> Bundle:
    """A case study with `interviews` interviews answering the whole case-study grid."""
    project = case_project(pid, n)
    qids = guides().get("etude-de-cas").question_ids
    rng = random.Random(seed * 1000 + n)
    return Bundle(project=project, interviews=[
        make_interview(project, k, evaluator, qids, answer_chars=answer_chars, rng=rng) for k in range(1, interviews + 1)
    ], exported_at="2019-10-15T09:00:00+02:00")


def write_bundle(bundle: Bundle, path: Path) -> Path:
    path.write_bytes(bundle_to_bytes(bundle))
    return path


# -- the three-evaluator scenario ------------------------------------------------------------------

CONFLICT_QID = "structure.presentation"
SHARED_PROJECT = "ec02-partage"


def _short_interview(project: Project, n: int, evaluator: str, qids: list[str], *, when: str,
                     author: str | None = None, organisation: str = "") -> Interview:
    interview = make_interview(project, n, evaluator, qids, when=when, organisation=organisation)
    for qid, answer in interview.answers.items():
        answer.text += f" Réponse courte de {author or evaluator}."
        answer.author = author or evaluator
    return interview


def three_evaluators(folder: Path) -> dict:
    """Alice, Bruno and Chloé send write-ups with overlapping projects, one conflicting answer
    and one duplicated file. Returns the input paths and what the volume must contain."""
    cs = guides().get("etude-de-cas")
    qs = guides().get("entretiens-qualitatifs")
    all_cs = cs.question_ids
    ec01 = case_project("ec01-commun", 1)
    ec02 = case_project(SHARED_PROJECT, 2)
    series = series_project()

    # Alice: ec01, interview 1 full, interview 2 partial with explicit states.
    a1 = _short_interview(ec01, 1, "Alice", all_cs, when="2019-10-14T10:05:00+02:00")
    a2 = _short_interview(ec01, 2, "Alice", all_cs[:5], when="2019-10-15T10:05:00+02:00")
    a2.answers["budget.cout"] = Answer(text="", state=AnswerState.NOT_ASKED, updated_at="2019-10-15T10:06:00+02:00",
                                       author="Alice")
    a2.answers["budget.connaissance-pi87"] = Answer(text="", state=AnswerState.DECLINED,
                                                    updated_at="2019-10-15T10:07:00+02:00", author="Alice")
    alice = write_bundle(Bundle(ec01, [a1, a2], exported_at="2019-10-16T09:00:00+02:00"), folder / "alice-ec01.json")
    # Bruno: interview 3 of ec01, and the shared interview of ec02.
    b3 = _short_interview(ec01, 3, "Bruno", all_cs, when="2019-10-17T10:05:00+02:00")
    bruno1 = write_bundle(Bundle(ec01, [b3], exported_at="2019-10-18T09:00:00+02:00"), folder / "bruno-ec01.json")
    shared_b = _short_interview(ec02, 1, "Bruno", all_cs, when="2019-10-18T10:00:00+02:00")
    bruno2 = write_bundle(Bundle(ec02, [shared_b], exported_at="2019-10-18T12:00:00+02:00"), folder / "bruno-ec02.json")
    # Chloé received Bruno's ec02 and rewrote one answer on her own: a conflict (hers is newer).
    shared_c = _short_interview(ec02, 1, "Bruno", all_cs, when="2019-10-18T10:00:00+02:00")
    chloe_text = f"{tag('Chloé', SHARED_PROJECT, 1, CONFLICT_QID)} Version réécrite par Chloé, différente."
    shared_c.answers[CONFLICT_QID] = Answer(text=chloe_text, updated_at="2019-10-19T11:00:00+02:00", author="Chloé")
    chloe1 = write_bundle(Bundle(ec02, [shared_c], exported_at="2019-10-19T12:00:00+02:00"), folder / "chloe-ec02.json")
    # Chloé: two qualitative interviews.
    s1 = _short_interview(series, 1, "Chloé", qs.question_ids, when="2019-10-20T10:00:00+02:00", organisation="DGEFP")
    s2 = _short_interview(series, 2, "Chloé", qs.question_ids[:3], when="2019-10-21T10:00:00+02:00",
                          organisation="Pôle Emploi")
    chloe2 = write_bundle(Bundle(series, [s1, s2], exported_at="2019-10-22T09:00:00+02:00"), folder / "chloe-series.json")
    duplicate = folder / "alice-ec01 (copie).json"
    duplicate.write_bytes(alice.read_bytes())

    # Every answer text that must be shown: (project id, text).
    expected: list[tuple[str, str]] = []
    for project, interviews in ((ec01, [a1, a2, b3]), (ec02, [shared_b]), (series, [s1, s2])):
        for interview in interviews:
            for answer in interview.answers.values():
                if answer.text:
                    expected.append((project.id, answer.text))
    expected.append((ec02.id, chloe_text))
    return {
        "paths": [alice, bruno1, bruno2, chloe1, duplicate, chloe2],
        "duplicate": duplicate,
        "expected": expected,
        "conflict": {"shown": chloe_text, "other": shared_b.answers[CONFLICT_QID].text},
        "interviews": 6,
        "amount_total": ec01.fse_amount + ec02.fse_amount,
    }
