"""The write-up's format contract, shared by the writer (`writeup`) and the reader (`read`).

Where the embedded bundle lives (custom XML part and custom properties), how an answer slot is
marked (a hidden bookmark per interview x question) and how an answer is shown in the body.
Changing anything here changes what older write-ups are read as: keep it stable.
"""

from __future__ import annotations

import hashlib

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from pi87_field.core.model import ANSWER_STATE_LABELS, Answer, AnswerState

PAYLOAD_NS = "urn:pi87-field:writeup"
PAYLOAD_VERSION = "1"
ITEM_PART = "/customXml/item1.xml"
ITEM_PROPS_PART = "/customXml/itemProps1.xml"
# python-docx's own names for the relationship and content types of the parts we add
RT_CUSTOM_XML = RT.CUSTOM_XML
RT_CUSTOM_XML_PROPS = RT.CUSTOM_XML_PROPS
RT_CUSTOM_PROPS = RT.CUSTOM_PROPERTIES
CT_CUSTOM_XML_PROPS = CT.OFC_CUSTOM_XML_PROPERTIES
CT_CUSTOM_PROPS = CT.OFC_CUSTOM_PROPERTIES
CUSTOM_PROPS_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROP_PREFIX = "pi87-field."
PROP_CHUNK = 250              # Word's user interface keeps text properties up to 255 characters
BOOKMARK_PREFIX = "_pi87_"    # "_" = hidden bookmark in Word; names must stay <= 40 characters
# An empty bookmark at each chapter and section heading: the answer before it ends there.
BOUNDARY_PREFIX = "_pi87p_"
# A bookmark around the interview's "Notes" cell: an edit of it is read back like an answer's.
NOTES_PREFIX = "_pi87n_"
# Characters nobody sees, that Word and LibreOffice add or drop on their own (LibreOffice 7.4
# turns a soft hyphen into <w:softHyphen/>): a text that differs only by them is not an edit.
INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
REVIEW_NOTE_LABEL = "Note de relecture"
# The write-up's two editions (`export --edition`): the working one (default) carries everything
# needed to re-import it (embedded copy, answer bookmarks) and the interview log in an annex; the
# client one is for the commissioning body: no log, no notes, no embedded copy, not re-importable.
EDITION_WORKING = "travail"
EDITION_CLIENT = "client"
EDITIONS = (EDITION_WORKING, EDITION_CLIENT)
EDITION_PROPERTY = "edition"      # a custom property a client edition carries alone (import names it)
LOG_ANNEX_TITLE = "Annexe — Journal des entretiens"
TRANSCRIPT_ANNEX_TITLE = "Annexe — Transcriptions des enregistrements"
ORPHANS_TITLE = "Réponses hors grille"
PSEUDONYMISED_NOTICE = (
    "Document pseudonymisé : les personnes sont désignées par des pseudonymes stables "
    "(« Personne 01 », « Enquêteur·rice 01 »…), les mêmes dans tous les documents de l’évaluation ; "
    "adresses électroniques et numéros de téléphone sont masqués."
)
PSEUDONYMISED_NO_IMPORT = (
    "Ce document ne peut pas être réimporté dans pi87-field : ses noms sont remplacés par des "
    "pseudonymes et ses textes modifiés en conséquence ; réimporté, il remplacerait les vraies données "
    "des entretiens. Il se consolide avec d’autres comptes rendus pseudonymisés (pi87-field merge "
    "--pseudonymise)."
)
PSEUDONYMISED_MARK = "pseudonymisé"
EMPTY_LABEL = ANSWER_STATE_LABELS["empty"]


def boundary_bookmark(number: int) -> str:
    return f"{BOUNDARY_PREFIX}{number:05d}"


# -- answer slots ---------------------------------------------------------------------------------

def answer_bookmark(interview_id: str, question_id: str) -> str:
    digest = hashlib.sha256(f"{interview_id}\x00{question_id}".encode()).hexdigest()[:20]
    return BOOKMARK_PREFIX + digest


def notes_bookmark(interview_id: str) -> str:
    return NOTES_PREFIX + hashlib.sha256(f"{interview_id}\x00notes".encode()).hexdigest()[:20]


def state_label_text(mark: str) -> str:
    return f"[{ANSWER_STATE_LABELS[mark]}]"


def slot_paragraphs(answer: Answer | None) -> list[tuple[str, bool]]:
    """The paragraphs an answer is shown as: (text, is_state_label)."""
    if answer is None or answer.is_empty:
        return [(state_label_text("empty"), True)]
    out: list[tuple[str, bool]] = []
    if answer.state != AnswerState.ANSWERED:
        out.append((state_label_text(answer.state.value), True))
    if answer.text:
        out.extend((part, False) for part in answer.text.split("\n\n"))
    return out


def slot_text(answer: Answer | None) -> str:
    """What the body shows for an answer, paragraphs joined by a blank line (as read back)."""
    return "\n\n".join(text for text, _ in slot_paragraphs(answer))
