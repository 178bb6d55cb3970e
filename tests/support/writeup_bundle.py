"""A write-up's bundle for Word tests: a case study with three interviews, the full grid answered,
hostile texts, every state, an orphan answer, a concurrent version."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pi87_field.core.bundle import Bundle
from pi87_field.core.guides import GuideLibrary
from pi87_field.core.model import (
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    Interviewee,
    InterviewMode,
    InterviewStatus,
    Project,
    ProjectKind,
)
from pi87_field.locations import builtin_guides_dir
from tests.support.hostile import HOSTILE_TEXTS

EXPORTED_AT = "2019-10-15T09:00:00+02:00"
HOSTILE_QIDS = ["projet.description", "projet.publics-vises", "projet.parcours", "budget.connaissance-pi87",
                "realisations.etapes"]
# whitespace a careless writer or LibreOffice could lose; read back exactly (interview 2)
EDGE_TEXTS = {
    "effets.notables": "  deux espaces devant", "effets.differences": "fin avec espaces   ",
    "suites.specificites": "a\n\n\n\nb (paragraphe vide entre)", "suites.poursuite": "\nligne vide avant",
    "suites.transferabilite": "\t tab devant, [sans réponse] au milieu, espaces\u00a0:\u202finsécables",
}
_NS = uuid.UUID("5b0c9a52-2f7e-4d7e-8f0a-6a3b9d1c2e44")


def guides() -> GuideLibrary:
    return GuideLibrary([builtin_guides_dir()])


def make_bundle(*, hostile: bool = True) -> Bundle:
    """A case study with three interviews: the full grid answered, hostile texts, every state,
    an answer to a question that left the guide, a concurrent version."""
    lib = guides()
    guide = lib.get("etude-de-cas")
    project = Project(
        id="ec05-ml-lunevillois", kind=ProjectKind.CASE_STUDY, title="Atout Emploi – Editions 2015-2016-2017-2018",
        carrier="Mission locale du Lunévillois", os=1, fse_amount=Decimal("328318.00"),
        characteristics="Aide au recrutement + zoom sur les agences de travail temporaire\nRégion Lorraine",
        guide_id="etude-de-cas", region="Grand Est", innovation_steps=["essaimage"],
        created_at="2019-07-10T00:00:00+02:00", updated_at="2019-07-10T00:00:00+02:00",
    )
    hostile_texts = list(HOSTILE_TEXTS.values()) if hostile else []
    interviews = []
    people = [("Jean Dupont", "Directeur"), ("Amélie Lefèvre", "Chargée de projet"), ("Karim Benali", "Conseiller")]
    for n in range(1, 4):
        answers = {}
        for k, q in enumerate(guide.questions):
            text = f"Entretien {n}, {q.id} : réponse détaillée.\nDeuxième ligne.\n\nDeuxième paragraphe\tavec tabulation."
            if n == 1 and q.id in HOSTILE_QIDS[:len(hostile_texts)]:
                text = hostile_texts[HOSTILE_QIDS.index(q.id)]
            if hostile and n == 2 and q.id in EDGE_TEXTS:
                text = EDGE_TEXTS[q.id]
            answers[q.id] = Answer(text=text, updated_at="2019-10-14T10:05:00+02:00", author="Claire Martin")
        answers["budget.cout"] = Answer(text="", state=AnswerState.DECLINED, author="Claire Martin")
        answers["realisations.equipe"] = Answer(text="", state=AnswerState.NOT_ASKED)
        answers["structure.mobilisation-fse"] = Answer(text="Sans objet : pas de FSE.", state=AnswerState.NOT_APPLICABLE)
        answers["ancienne.question"] = Answer(text=f"Réponse hors grille {n}.\n\nSuite.")
        answers["structure.effectifs"].concurrent.append(AnswerVersion(
            text=f"Version de Paul {n} : 12 salariés.", state=AnswerState.ANSWERED,
            updated_at="2019-10-15T10:00:00+02:00", author="Paul Bernard", source="paul.docx"))
        name, role = people[n - 1]
        interviews.append(Interview(
            id=str(uuid.uuid5(_NS, f"i{n}")), project_id=project.id, guide_id="etude-de-cas",
            guide_version=guide.version, interviewer="Claire Martin" if n < 3 else "Paul Bernard",
            interviewees=[Interviewee(name, role, "Mission locale du Lunévillois")],
            date=date(2019, 10, 10 + n), mode=InterviewMode.ON_SITE, consent=True,
            status=InterviewStatus.COMPLETE, answers=answers,
            question_texts={**guide.question_texts(), "ancienne.question": "Question retirée de la grille ?"},
            created_at="2019-10-01T09:00:00+02:00", updated_at="2019-10-14T10:05:00+02:00",
        ))
    return Bundle(project=project, interviews=interviews, exported_at=EXPORTED_AT)
