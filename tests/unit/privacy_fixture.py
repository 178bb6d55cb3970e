"""A store with every case of issue 10, for the privacy tests.

Five projects (five chapters of a volume). People: two in one interview (Jean Dupont and
Nathalie Petit — "Petit" is also an ordinary word, used as one in "un petit nombre"), first
names used alone ("Karim insiste", "Nathalie a dit"), civility forms ("Mme N. Petit",
"M. DUPONT"), initials ("J. Dupont"), elision ("d’Amélie"), a hyphenated first name with a
particle surname (Marie-Claire de la Tour), e-mail and phone numbers, a person of one project
named in another (Sophie Marchetti), a concurrent version from "CR Jean Dupont.json" by another
evaluator, a review note in an answer's extra fields, interview notes, and a unique role in a
small organisation ("Directeur", "Agence d'intérim « Temporis » Lunéville").
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pi87_field.core.model import (
    Answer,
    AnswerState,
    AnswerVersion,
    Interview,
    Interviewee,
    InterviewStatus,
    Project,
    ProjectKind,
)
from pi87_field.core.store import ProjectStore

PEOPLE = ["Jean Dupont", "Nathalie Petit", "Karim Benali", "Amélie Lefèvre", "Marie-Claire de la Tour",
          "Sophie Marchetti"]
EVALUATORS = ["Hélène Rousseau", "Thibault Garnier", "Anne Rivet"]     # Anne Rivet: a reviewer's note
ORGANISATION_WORDS = ["Temporis"]          # at the strict level, the small agency's own name
ORDINARY_PHRASE = "Un petit nombre de structures"
QUOTE = "Karim insiste sur l'accompagnement renforcé."


def _iid(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"privacy-fixture-{n}"))


def _answer(text: str, author: str = "Hélène Rousseau", **extra: str) -> Answer:
    return Answer(text=text, state=AnswerState.ANSWERED, updated_at="2019-10-14T10:05:00+02:00",
                  author=author, extra=dict(extra))


def _project(n: int, title: str, carrier: str) -> Project:
    return Project(id=f"ec0{n}-privacy", kind=ProjectKind.CASE_STUDY, title=title, carrier=carrier, os=1,
                   fse_amount=Decimal("100000.00"), characteristics="Aide au recrutement", guide_id="etude-de-cas")


def build_store(root) -> ProjectStore:
    store = ProjectStore.open(root, seed=False, durable=False)
    projects = [
        _project(1, "Atout Emploi", "Mission locale du Lunévillois"),
        _project(2, "Plateforme RH", "Maison de l'emploi de Nancy"),
        _project(3, "Coopération transfrontalière", "Pôle emploi Grand Est"),
        _project(4, "Parcours numériques", "Cap emploi Meuse"),
        _project(5, "Diagnostic territorial", "PLIE du Val de Lorraine"),
    ]
    for project in projects:
        store.save_project(project, touch=False)

    def interview(n: int, pid: str, people: list[tuple[str, str, str]], answers: dict[str, Answer],
                  notes: str = "", interviewer: str = "Hélène Rousseau", extra: dict | None = None) -> None:
        store.save_interview(Interview(
            id=_iid(n), project_id=pid, guide_id="etude-de-cas", guide_version="1.0", interviewer=interviewer,
            date=date(2019, 10, n), status=InterviewStatus.COMPLETE, consent=True, notes=notes,
            interviewees=[Interviewee(name=a, role=b, organisation=c,
                                      extra={"email": f"{a.split()[0].lower()}@example.org"}) for a, b, c in people],
            answers=answers, created_at="2019-10-01T09:00:00+02:00", updated_at="2019-10-14T10:05:00+02:00",
            extra=dict(extra or {}),
        ), touch=False)

    concurrent = _answer("Nathalie a dit que Mme N. Petit suivait 40 dossiers ; écrire à jean.dupont@insup.fr.")
    concurrent.concurrent.append(AnswerVersion(
        "Selon Jean Dupont, 38 dossiers (à vérifier avec J. Dupont au 06 12 34 56 78).", AnswerState.ANSWERED,
        "2019-10-15T09:00:00+02:00", "Thibault Garnier", source="CR Jean Dupont.json"))
    interview(1, "ec01-privacy", [("Jean Dupont", "Directeur", "Agence d'intérim « Temporis » Lunéville"),
                                   ("Nathalie Petit", "Conseillère emploi", "Mission locale du Lunévillois")], {
        "structure.presentation": _answer(
            f"{ORDINARY_PHRASE} participent. Jean Dupont présente Temporis ; M. DUPONT précise que "
            "Nathalie Petit coordonne. Petit à petit, l'équipe a grandi. DUPONT Jean signe.",
            review_note="Relecture : confirmer le chiffre avec Nathalie Petit (nathalie.petit@ml-lunevillois.fr)."),
        "structure.effectifs": concurrent,
        "structure.publics": _answer("Un petit groupe de jeunes ; selon Petit, le public a changé. "
                                     "Le Directeur, Agence d'intérim « Temporis » Lunéville, confirme."),
    }, notes="Rappeler M. Dupont au +33 6 12 34 56 78 ; Mme Petit absente le lundi.")
    interview(2, "ec02-privacy", [("Karim Benali", "Chargé de mission", "Maison de l'emploi de Nancy")], {
        "structure.presentation": _answer(f"{QUOTE} Il cite Sophie, qui anime l'atelier, et Karim-le-jeune."),
        "structure.effectifs": _answer("M. Benali : « Benali, c'est moi qui ai monté le projet. »"),
    }, extra={"review_notes": {"structure.effectifs": [    # a Word comment brought back by import
        {"author": "Anne Rivet", "date": "2019-10-20T10:00:00+02:00",
         "text": "Anne : à confirmer avec M. Benali (karim.benali@mde-nancy.fr)."}]}})
    interview(3, "ec03-privacy", [("Amélie Lefèvre", "Responsable RH", "Pôle emploi Grand Est")], {
        "structure.presentation": _answer("Le rôle d’Amélie est central ; LEFÈVRE Amélie et A. Lefevre "
                                          "signent. Les échanges avec Jean Dupont continuent."),
    }, interviewer="Thibault Garnier")
    interview(4, "ec04-privacy", [("Marie-Claire de la Tour", "Référente numérique", "Cap emploi Meuse")], {
        "structure.presentation": _answer("Marie-Claire explique ; Mme de la Tour (marie-claire.delatour@cap.fr, "
                                          "03.83.12.34.56) détaille. Marie Claire de la Tour conclut."),
    })
    interview(5, "ec05-privacy", [("Sophie Marchetti", "Animatrice", "PLIE du Val de Lorraine")], {
        "structure.presentation": _answer("Sophie Marchetti anime ; Sophie a travaillé avec Karim Benali."),
    })
    interview(6, "ec05-privacy", [("Nathalie Petit", "Conseillère emploi", "Mission locale du Lunévillois")], {
        "structure.presentation": _answer("Nathalie a dit oui. Un petit nombre de cas reste ouvert."),
    })
    return store
