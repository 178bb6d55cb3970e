"""The demo fieldwork: the PI 8.7 campaign with interviews already filled in, so that a newcomer
can try the team lead's synthesis screens at once (`pi87-field demo`).

The answers are reconstructed from the final report's own descriptions of the operations
(section 3: the Mission locale du Lunévillois, the Maison de l'emploi de l'Auxerrois, Pôle
emploi, INSUP, the ARML de Basse-Normandie; section 4.1 for the qualitative interviews). They
are a demonstration, not the evaluators' notes: every interview says so in its notes. The demo
always lives in its own data folder (see `locations.demo_dir`), never in the user's.

Two evaluators share the work (`EVALUATORS`): `fill_demo(store, evaluator=…)` fills only the
projects of one of them, which is how the lead's import of two evaluators' write-ups is shown.
"""

from __future__ import annotations

from datetime import date

from pi87_field.core.model import Interviewee, InterviewMode, InterviewStatus
from pi87_field.core.store import ProjectStore

DEMO_MARKER = "DEMO-pi87-field.txt"
DEMO_NOTE = ("Entretien de démonstration : réponses reconstituées à partir des descriptions du rapport final "
             "d'évaluation de la PI 8.7 (section 3), pas des notes d'un évaluateur.")
EVALUATORS = {"Camille Évaluatrice": ["ec05-ml-lunevillois", "ec02-mef-auxerrois", "entretiens-qualitatifs"],
              "Karim Évaluateur": ["ec08-insup", "ec01-pole-emploi-dg", "ec07-arml-basse-normandie"]}

# project id -> (interviewee's name, role, date, {grid question id: answer}); invented names, as the
# TUI's sheet asks: the name in the name field, the role in the role field
CASES: dict[str, tuple[str, str, date, dict[str, str]]] = {
    "ec05-ml-lunevillois": ("Claire Antoine", "Directrice", date(2019, 10, 14), {
        "structure.presentation":
            "Mission locale du Lunévillois, en Grand Est : accueil et accompagnement des jeunes vers l'emploi "
            "et la formation sur le territoire du Lunévillois.",
        "structure.mobilisation-fse":
            "Le FSE finance l'opération ATOUT EMPLOI depuis sa conception, édition après édition. En Lorraine, "
            "la PI 8.7 a été fortement mobilisée.",
        "projet.description":
            "Conçue en 2015 pour renforcer les liens de la mission locale avec le monde de l'entreprise, "
            "l'opération ATOUT EMPLOI a pour but de prospecter les entreprises locales (notamment les TPE-PME) "
            "et recueillir des offres d'emploi en alternance tout en proposant un service de conseil en "
            "recrutement aux entreprises.",
        "projet.publics-vises":
            "Les jeunes suivis par la Mission locale, qui doivent trouver des offres qui correspondent mieux à "
            "leurs besoins ; et les entreprises, mieux accompagnées dans leur rapprochement avec le public jeunes.",
        "projet.parcours":
            "Avant d'inscrire leur profil dans une CVthèque, nous réalisons des entretiens préalables avec les "
            "jeunes. Ils participent ensuite aux actions collectives : événements autour de l'alternance, "
            "job dating spécifiques.",
        "budget.cout": "328 318 € de FSE programmé pour les éditions 2015-2016-2017-2018.",
        "budget.connaissance-pi87":
            "Nous connaissions le FSE, pas vraiment la priorité 8.7 : nous ne voyions pas l'opération comme une "
            "contribution à la modernisation des institutions du marché du travail.",
        "realisations.etapes":
            "Prospection des entreprises locales et recueil des offres en alternance ; puis actions collectives "
            "organisées par la Mission locale et certains partenaires (agences d'intérim par exemple) : "
            "organisation d'événements autour de l'alternance, animation de job dating spécifiques.",
        "realisations.equipe":
            "Les conseillers de la mission locale, avec des partenaires du territoire, en particulier des agences "
            "de travail temporaire.",
        "resultats.principaux":
            "Des offres d'emploi en alternance recueillies auprès des TPE-PME, et un service de conseil en "
            "recrutement désormais proposé aux entreprises.",
        "effets.notables":
            "a. Sur les publics : des offres qui correspondent mieux à leurs besoins.\n"
            "b. Sur la structure : des liens renforcés avec le monde de l'entreprise et les agences d'intérim.\n"
            "c. Sur l'équipe : une meilleure connaissance des entreprises et des métiers par les conseillers.",
        "effets.differences":
            "Le conseil en recrutement aux entreprises sort de notre cœur de métier traditionnel.",
        "role-fse.modernisation":
            "Sans le FSE, nous n'aurions pas pu tester ce service aux entreprises ; il participe indirectement à "
            "la professionnalisation de l'équipe.",
        "suites.specificites":
            "Un zoom sur les agences de travail temporaire, partenaires des actions collectives.",
        "suites.poursuite": "Opération reconduite : éditions 2015, 2016, 2017 et 2018.",
    }),
    "ec02-mef-auxerrois": ("Bruno Besson", "Chargé de mission", date(2019, 10, 17), {
        "structure.presentation": "Maison de l'Emploi et de la Formation de l'Auxerrois.",
        "projet.description":
            "La Maison de l'emploi de Saverne (Alsace) avait conçu en 2009 une forme nouvelle de prospection des "
            "offres d'emploi, en impliquant directement les demandeurs d'emploi pour aller recueillir les besoins "
            "(souvent non exprimés) des entreprises : les « Moissons de l'emploi ». Le territoire de l'Auxerrois "
            "a souhaité les mettre en place en les adaptant à son contexte local et en les faisant évoluer au fil "
            "du temps.",
        "projet.publics-vises": "Des demandeurs d'emploi volontaires, et les entreprises du territoire.",
        "budget.cout": "101 881 € de FSE programmé pour les 4 opérations (éditions 2015, 2017, 2018 et 2019).",
        "realisations.etapes":
            "Le projet comprend la préparation amont, les relations aux entreprises, mais aussi des formations "
            "post-Moissons pour aider les demandeurs d'emploi à capitaliser sur cette expérience.",
        "resultats.principaux":
            "Des besoins d'entreprises recueillis, y compris dans des zones plus rurales du territoire.",
        "effets.notables":
            "a. Sur les publics : des actions de formation directement en lien avec la prospection entreprises, "
            "qui agissent plus globalement sur les compétences – notamment numériques – et sur la confiance en "
            "soi des demandeurs d'emploi volontaires.\nb. Sur la structure : de nouvelles relations aux "
            "entreprises.",
        "suites.specificites":
            "L'opération a notamment permis d'expérimenter le développement de l'action sur un territoire large, "
            "y compris en incluant des zones plus rurales.",
        "suites.poursuite":
            "Une action essaimée depuis Saverne ; nous nous interrogeons sur l'essaimage et sur ce qui reste "
            "nouveau d'une édition à l'autre.",
        "suites.transferabilite":
            "Transférable à d'autres territoires, à condition de l'adapter au contexte local comme nous l'avons "
            "fait.",
    }),
    "ec01-pole-emploi-dg": ("Chloé Carpentier", "Responsable de programme, direction du digital", date(2019, 10, 21), {
        "projet.description":
            "En 2015, Pôle Emploi souhaitait accélérer sa transformation digitale et offrir un plus grand nombre "
            "de services digitaux sur le Web, sur mobile et en agence. Le projet comprend plusieurs briques "
            "complémentaires les unes des autres.",
        "budget.cout": "1 500 000 € de FSE programmé.",
        "realisations.etapes":
            "La conception de trois « simulateurs d'entretien d'embauche » mis en ligne sur l'Emploi store ; la "
            "mise en place de 19 services digitaux, dont des serious games « Demain, je change de métier » et "
            "« Trouver une école en alternance », des services à destination des entreprises (aide à l'entretien "
            "de recrutement par exemple) et deux applications mobiles.",
        "resultats.principaux":
            "Des services digitaux accessibles aux demandeurs d'emploi les plus autonomes, qui peuvent effectuer "
            "une grande partie de leur parcours en ligne.",
        "effets.notables":
            "a. Sur les publics : davantage de services en ligne.\nb. Sur la structure : concentrer "
            "l'accompagnement des conseillers auprès des demandeurs d'emploi qui en ont le plus besoin.",
        "role-fse.modernisation":
            "Le projet stratégique 2015-2020 de Pôle Emploi identifie la révolution digitale comme nécessaire ; "
            "le FSE a soutenu le développement de ces e-services.",
        "suites.specificites": "Une offre de services digitale à destination des usagers et des salariés.",
    }),
    "ec08-insup": ("David Duval", "Responsable pédagogique", date(2019, 10, 24), {
        "structure.presentation":
            "L'INSUP a développé en 2011 l'outil TCC (Tutorats et Capitalisation des Compétences pour les Jeunes "
            "Aquitains), un extranet pédagogique destiné à repérer et capitaliser les compétences techniques et "
            "transversales des jeunes aquitains.",
        "structure.mobilisation-fse":
            "Nous avons hésité : financer la professionnalisation des conseillers par le FSE représente un risque "
            "au moment des contrôles CSF.",
        "projet.description":
            "Accompagner les Missions locales dans l'utilisation de l'outil TCC : une formation spécifique en "
            "présentiel et une assistance technique pour que les conseillers s'approprient l'outil dans le cadre "
            "de la Garantie jeunes et de l'IEJ.",
        "budget.cout": "38 784 € puis 74 733 € de FSE programmé sur les deux opérations.",
        "realisations.etapes":
            "Mise en ligne de 10 modules de formation relatifs à l'utilisation de la plateforme TCC et aux "
            "compétences transversales ; déploiement de trois formations en présentiel sur le territoire de l'ex "
            "Aquitaine (Gironde, Béarn et Pays basque) ; formation à distance (plateforme pédagogique avec "
            "tutoriels, autoformation).",
        "realisations.publics": "145 conseillers formés sur la première opération, 298 sur la seconde.",
        "effets.notables":
            "a. Sur les publics : ces actions doivent in fine permettre l'amélioration de la personnalisation de "
            "l'accompagnement des demandeurs d'emploi.\nc. Sur l'équipe : l'appropriation d'un outil numérique "
            "par les conseillers des missions locales.",
        "suites.poursuite": "Une seconde opération a poursuivi la démarche T.C.C pour les nouveaux dispositifs.",
    }),
    "ec07-arml-basse-normandie": ("Émilie Esnault", "Coordinatrice régionale", date(2019, 10, 28), {
        "projet.description":
            "Six actions de formation pour professionnaliser les conseillers sur leur intervention sur le champ "
            "du marché du travail et de la médiation entre les jeunes et les entreprises.",
        "budget.cout": "21 915 € de FSE programmé.",
        "realisations.publics": "147 conseillers formés.",
        "structure.mobilisation-fse":
            "D'autres actions de professionnalisation ont été engagées en dehors du FSE, plus faciles à "
            "financer.",
    }),
}

# Qualitative interviews (annex 5.2), by the organisation interviewed (section 1.4).
QUALITATIVE: dict[str, tuple[date, dict[str, str]]] = {
    "DGEFP – Volet central": (date(2019, 9, 30), {
        "q1.modernisation":
            "a. L'accompagnement des demandeurs d'emploi, et notamment des plus vulnérables, requiert des "
            "approches nouvelles et souvent combinées ; la relation aux entreprises a évolué ; la place du "
            "numérique n'a fait que s'accroître.\nb. Des projets expérimentaux et la diffusion de nouvelles "
            "méthodes et de nouveaux outils sur les territoires.",
        "q2.mobilisation-fse":
            "La PI 8.7 est restée peu visible, tant au niveau national que local ; les réseaux ont été peu les "
            "relais de cette priorité.",
        "q3.resultats-effets":
            "L'OS 1 a bien répondu ; l'OS 2 peine : 822 conseillers formés contre 10 500 attendus.",
        "q5.axes-amelioration":
            "Mieux affirmer les objectifs recherchés et les décliner par type de territoires.",
    }),
    "DIRECCTE Ile-de-France": (date(2019, 10, 2), {
        "q2.mobilisation-fse":
            "Nous avons souhaité faire de cette priorité l'occasion de financer des projets différents : nous "
            "avons mis en place des appels à projets.",
        "q4.perspectives":
            "b. Des opportunités de financement pourraient être mieux mobilisées si la priorité était mieux "
            "connue des opérateurs.",
    }),
    "Union nationale des missions locales": (date(2019, 10, 8), {
        "q1.modernisation":
            "b. Les missions locales poursuivent la professionnalisation des conseillers, en mobilisant "
            "notamment le numérique.",
        "q4.perspectives":
            "c. L'EDEC signé entre l'Etat et la branche des missions locales a freiné la mobilisation de la PI "
            "8.7 : nous l'avons préféré pour la convergence des offres et la facilité de mobilisation des fonds.",
        "q5.axes-amelioration":
            "Alléger les exigences de justification des dépenses, qui font reculer les opérateurs.",
    }),
}


def fill_demo(store: ProjectStore, evaluator: str | None = None) -> int:
    """Fill the seeded campaign's interviews with the demo answers (those of one evaluator, or all).
    Returns the number of answers written. Idempotent: answers already there are left alone."""
    written = 0
    for name, project_ids in EVALUATORS.items():
        if evaluator is not None and name != evaluator:
            continue
        for project_id in project_ids:
            if not store.has_project(project_id):
                continue
            if project_id in CASES:
                person, role, when, answers = CASES[project_id]
                interview = store.list_interviews(project_id)[0]
                written += _fill(store, interview, name, [(person, role, "")], when, answers)
            else:
                for interview in store.list_interviews(project_id):
                    organisation = interview.interviewees[0].organisation if interview.interviewees else ""
                    if organisation in QUALITATIVE:
                        when, answers = QUALITATIVE[organisation]
                        written += _fill(store, interview, name, [("", "", organisation)], when, answers)
    return written


def _fill(store: ProjectStore, interview, evaluator: str, people: list[tuple[str, str, str]], when: date,
          answers: dict[str, str]) -> int:
    if any(not a.is_empty for a in interview.answers.values()):
        return 0
    organisation = interview.interviewees[0].organisation if interview.interviewees else ""
    interview.interviewer = evaluator
    interview.interviewees = [Interviewee(name=n, role=r, organisation=o or organisation) for n, r, o in people]
    interview.date = when
    interview.mode = InterviewMode.ON_SITE
    interview.consent = True
    interview.status = InterviewStatus.COMPLETE
    interview.notes = DEMO_NOTE
    stamp = f"{when.isoformat()}T10:00:00+02:00"
    interview.updated_at = stamp
    from pi87_field.core.model import Answer

    for qid, text in answers.items():
        interview.answers[qid] = Answer(text=text, updated_at=stamp, author=evaluator)
    store.save_interview(interview, touch=False)
    return len(answers)
