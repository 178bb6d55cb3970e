"""Fixture generator for merge tests and the merge benchmark: evaluators' bundles with
recognisable answers (every answer text carries a unique tag, so a test can count it).

Also tests the generator itself (bundles are valid `pi87-field/1`)."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal
from pathlib import Path

from pi87_field.core.bundle import Bundle, bundle_from_bytes, bundle_to_bytes
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
    from datetime import date

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


def test_generated_bundle_round_trips(tmp_path):
    bundle = full_case_bundle("ec01-test", 1, "Alice", interviews=2, answer_chars=300)
    path = write_bundle(bundle, tmp_path / "b.json")
    back = bundle_from_bytes(path.read_bytes())
    assert len(back.interviews) == 2
    answers = back.interviews[0].answers
    assert len(answers) == 19
    assert all(len(a.text) == 300 for a in answers.values())
    assert answers["structure.presentation"].text.startswith(tag("Alice", "ec01-test", 1, "structure.presentation"))
    assert all(a.state == AnswerState.ANSWERED for a in answers.values())
