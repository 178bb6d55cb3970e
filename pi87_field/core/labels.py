"""Words and scales every face shows, defined once and imported (never retyped).

- the states of a cited passage and of a cell summary (the synthesis, §6 of the design):
  `EVIDENCE_OK`, `EVIDENCE_CHANGED` ("preuve modifiée"), `EVIDENCE_UNKNOWN` ("réponse
  introuvable"), `SUMMARY_OK`, `SUMMARY_REVIEW` ("à revoir");
- the report's rating scale (§4.1: "+", "++", "+++") and the word for no rating (`NOT_RATED`);
- the answer states' labels live with the states themselves (`model.ANSWER_STATE_LABELS`,
  `AnswerState.label`), the interview statuses' with theirs (`InterviewStatus.label`).
"""

from __future__ import annotations

# A cited passage
EVIDENCE_OK = "à jour"
EVIDENCE_CHANGED = "preuve modifiée"          # the passage is no longer in the answer
EVIDENCE_UNKNOWN = "réponse introuvable"      # project, interview or answer unknown here
# A cell summary
SUMMARY_OK = "à jour"
SUMMARY_REVIEW = "à revoir"                   # an answer it was written from has changed
# The report's scale of achievement (Niveau d'atteinte), and no rating
RATING_SCALE = ("+", "++", "+++")
NOT_RATED = "non évalué"
