"""The built-in PI 8.7 fieldwork: the 8 case studies of annex 5.1 and the qualitative
interviews of section 1.4 of the final report, transcribed as they stand there."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pi87_field.core.guides import Guide, GuideLibrary
from pi87_field.core.model import (
    Interview,
    Interviewee,
    InterviewStatus,
    Project,
    ProjectKind,
)

CASE_STUDY_GUIDE = "etude-de-cas"
INTERVIEW_GUIDE = "entretiens-qualitatifs"
SERIES_ID = "entretiens-qualitatifs"
CAMPAIGN_TIMESTAMP = "2019-07-10T00:00:00+02:00"
# Stable ids for the seeded interviews: the same campaign seeded on two laptops merges cleanly.
_NS = uuid.UUID("6f1c1d7e-8c43-4f1e-9a57-87a1f1e1d0a7")

# (id, OS, carrier, operation title, programmed ESF amount, amount note, characteristics, facts)
CASE_STUDIES: list[tuple[str, int, str, str, str, str, str, dict]] = [
    ("ec01-pole-emploi-dg", 1, "Pôle Emploi – DG",
     "Développement de l’offre de service digitale à destination des usagers et des salariés de Pôle emploi",
     "1500000", "",
     "Volet national / Montant important de subvention FSE / E-service",
     {"volet": "national", "territorial_level": "national",
      "digital": ["Développement d’un outil"]}),
    ("ec02-mef-auxerrois", 1, "Maison de l'Emploi et de la Formation de l'Auxerrois",
     "Opération « Les moissons de l'Emploi » - Editions 2015 – 2017 - 2018 – 2019",
     "101881", "pour les 4 opérations",
     "Catégorie porteur : maison de l'emploi / Nouvelles méthodes d'accompagnement - "
     "questionnement sur essaimage/nouveautés",
     {"innovation_steps": ["essaimage"]}),
    ("ec03-meef-vitre", 1,
     "Maison de l'Emploi, de l'Entreprise et de la Formation du Pays de Vitré-Porte de Bretagne",
     "AGILITE– opération reconduite sur plusieurs années + Opération « Bouger pour changer »",
     "183874", "",
     "Porteur avec le plus grand nombre de dossiers au sein de la PI 8.7 / Dimension "
     "infra-départementale / Volet numérique + innovation",
     {"territorial_level": "local"}),
    ("ec04-cpme-aura", 1, "CPME Auvergne-Rhône-Alpes",
     "Action Handicap – opération reconduite sur plusieurs années",
     "354282", "",
     "Volet entreprise (TPE visées) / Innovation / pratique recrutement\nThématique précise : handicap",
     {"region": "Auvergne-Rhône-Alpes"}),
    ("ec05-ml-lunevillois", 1, "Mission locale du Lunévillois",
     "Atout Emploi – Editions 2015-2016-2017-2018",
     "328318", "",
     "Aide au recrutement + zoom sur les agences de travail temporaire\n"
     "Région Lorraine : mobilisation importante de la PI 8.7",
     {"region": "Grand Est",
      "operation_type": "Relation aux employeurs et appui au recrutement : nouvelles pratiques de placement"}),
    ("ec06-constructys-idf", 1, "Constructys - APR ILE-DE-FRANCE",
     "Fédérer les acteurs et moderniser les services pour réussir le recrutement et la formation "
     "des demandeurs d'emploi",
     "117334", "",
     "Filière BTP / ingénierie d'étude et de diagnostic des besoins des entreprises",
     {"region": "Île-de-France", "innovation_steps": ["ingénierie"]}),
    ("ec07-arml-basse-normandie", 2, "Association régionale des Missions Locales de Basse-Normandie",
     "Professionnalisation des conseillers dans l'accompagnement des jeunes sur le marché du travail",
     "21914.89", "",
     "professionnalisation des conseillers",
     {"region": "Normandie"}),
    ("ec08-insup", 2, "INSUP",
     "Démarche pédagogique T.C.C pour un accompagnement spécifique et personnalisé des cohortes "
     "Garantie Jeunes / IEJ / Nouveaux dispositifs",
     "113516.76", "",
     "professionnalisation des conseillers / lien avec l'EDEC ML - articulation avec les autres "
     "cofinancements possibles/ identifier les leviers de mobilisations de cet OS",
     {}),
]

# Short labels, in the report's own words, told apart at 80 columns (editable by the user).
CASE_STUDY_LABELS: dict[str, str] = {
    # §3 "Exemple d'une des actions portées par Pôle Emploi": its offre de service digitale.
    'ec01-pole-emploi-dg': 'Pôle Emploi · offre de service digitale',
    # §3 "la Maison de l'emploi de l'Auxerrois", "Les « Moissons de l'emploi »".
    'ec02-mef-auxerrois': "Auxerrois · Moissons de l'emploi",
    # §1.4 "Maison de l'emploi ... du Pays de Vitré"; annex 5.1 "AGILITE".
    'ec03-meef-vitre': 'Pays de Vitré · AGILITE',
    # Annex 5.1: "CPME Auvergne-Rhône-Alpes", "Action Handicap".
    'ec04-cpme-aura': 'CPME Auvergne-Rhône-Alpes · handicap',
    # §3 "la Mission locale du Lunévillois", "l'opération ATOUT EMPLOI".
    'ec05-ml-lunevillois': 'Lunévillois · Atout Emploi',
    # Annex 5.1: "Constructys - APR ILE-DE-FRANCE", "Filière BTP".
    'ec06-constructys-idf': 'Constructys Île-de-France · BTP',
    # Annex 5.1: "Missions Locales de Basse-Normandie", "Professionnalisation des conseillers".
    'ec07-arml-basse-normandie': 'Basse-Normandie · professionnalisation',
    # §3 "l'outil TCC" of l'INSUP; annex 5.1 "cohortes Garantie Jeunes".
    'ec08-insup': 'INSUP · TCC Garantie Jeunes',
}
SERIES_LABEL = "Entretiens qualitatifs"

# Section 1.4: the organisations met in qualitative interviews (Pôle Emploi and AVE twice).
QUALITATIVE_INTERVIEWS: list[str] = [
    "DGEFP – Volet central",
    "Pôle Emploi",
    "Pôle Emploi",
    "Alliances Ville Emploi",
    "Alliances Ville Emploi",
    "Union nationale des missions locales",
    "DIRECCTE Grand Est",
    "DIRECCTE Auvergne-Rhône-Alpes – service de Rhône-Alpes",
    "DIRECCTE Ile-de-France",
]


def _planned(project_id: str, guide: Guide | None, guide_id: str, organisation: str, n: int) -> Interview:
    return Interview(
        id=str(uuid.uuid5(_NS, f"{project_id}/{n}")),
        project_id=project_id,
        guide_id=guide_id,
        guide_version=guide.version if guide else "",
        interviewees=[Interviewee(organisation=organisation)],
        status=InterviewStatus.PLANNED,
        question_texts=guide.question_texts() if guide else {},
        # n seconds apart, so the planned interviews list in the report's order
        created_at=CAMPAIGN_TIMESTAMP.replace("T00:00:00", f"T00:00:{n:02d}"),
        updated_at=CAMPAIGN_TIMESTAMP,
    )


def build_campaign(guides: GuideLibrary) -> list[tuple[Project, list[Interview]]]:
    out: list[tuple[Project, list[Interview]]] = []
    cs_guide = guides.get(CASE_STUDY_GUIDE)
    for pid, os_, carrier, title, amount, note, chars, facts in CASE_STUDIES:
        project = Project(
            id=pid, kind=ProjectKind.CASE_STUDY, title=title, carrier=carrier, label=CASE_STUDY_LABELS[pid], os=os_,
            fse_amount=Decimal(amount).quantize(Decimal("0.01")), fse_amount_note=note,
            characteristics=chars, guide_id=CASE_STUDY_GUIDE,
            volet=facts.get("volet"), territorial_level=facts.get("territorial_level"),
            region=facts.get("region"), operation_type=facts.get("operation_type"),
            digital=list(facts.get("digital", [])), innovation_steps=list(facts.get("innovation_steps", [])),
            created_at=CAMPAIGN_TIMESTAMP, updated_at=CAMPAIGN_TIMESTAMP,
        )
        out.append((project, [_planned(pid, cs_guide, CASE_STUDY_GUIDE, carrier, 1)]))
    qi_guide = guides.get(INTERVIEW_GUIDE)
    series = Project(
        id=SERIES_ID, kind=ProjectKind.INTERVIEW_SERIES, label=SERIES_LABEL,
        title="Entretiens qualitatifs avec les gestionnaires et opérateurs de la PI 8.7",
        carrier="Gestionnaires (DGEFP, DIRECCTE) et opérateurs (dont Pôle Emploi)",
        guide_id=INTERVIEW_GUIDE,
        characteristics="Entretiens qualitatifs menés selon la grille de l’annexe 5.2 (section 1.4 du rapport)",
        volet="national",
        created_at=CAMPAIGN_TIMESTAMP, updated_at=CAMPAIGN_TIMESTAMP,
    )
    out.append((series, [_planned(SERIES_ID, qi_guide, INTERVIEW_GUIDE, org, n)
                         for n, org in enumerate(QUALITATIVE_INTERVIEWS, start=1)]))
    return out
