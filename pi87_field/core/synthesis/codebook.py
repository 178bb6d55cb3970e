"""The codebook's seed: the report's own vocabularies (sections 2-3), as tags the lead starts with.

The innovation steps the report names (not the whole 7-step schema), the four components of the
digital dimension, and the OS 1 operation types of section 3.1. Names are short enough for a
tag column at 80 columns; the description keeps the report's full wording. The lead adds tags
(stored in the codebook file); a stored tag of the same name overrides its seed.
"""

from __future__ import annotations

from pi87_field.core.model import DIGITAL_COMPONENTS, INNOVATION_STEPS, OPERATION_TYPES
from pi87_field.core.synthesis.objects import Tag

GROUP_INNOVATION = "Étapes de l’innovation"
GROUP_DIGITAL = "Dimension numérique"
GROUP_OPERATIONS = "Types d’opération (OS 1)"
GROUP_LEAD = "Étiquettes de l’équipe"

_DIGITAL_NAMES = ["numérique : outil", "numérique : information-formation", "numérique : étude de besoin",
                  "numérique : organisation-coopération"]
_OPERATION_NAMES = ["OS1 : offre aux employeurs", "OS1 : pratiques de placement", "OS1 : démarches expérimentales",
                    "OS1 : méthodes d’accompagnement", "OS1 : outils à distance", "OS1 : diagnostic d’attractivité",
                    "OS1 : coopération SPE-employeurs", "OS1 : démarches territoriales",
                    "OS1 : coopération transnationale"]


def seed_tags() -> list[Tag]:
    tags = [Tag(step, f"Étape du processus d’innovation nommée par le rapport (§3.1) : {step}",
                GROUP_INNOVATION) for step in INNOVATION_STEPS]
    tags += [Tag(name, f"Composante de la dimension numérique (§3.1) : {text}", GROUP_DIGITAL)
             for name, text in zip(_DIGITAL_NAMES, DIGITAL_COMPONENTS, strict=True)]
    tags += [Tag(name, f"Type d’opération de l’OS 1 (§3.1) : {text}", GROUP_OPERATIONS)
             for name, text in zip(_OPERATION_NAMES, OPERATION_TYPES, strict=True)]
    return tags
