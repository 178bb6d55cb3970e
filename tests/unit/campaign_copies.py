"""Copies of the campaign's seeded interviews, as laptops of different evaluators make them.

Shared by the store, import, merge and Word-reading tests: one seeded case (ec01), one question,
and the helpers that start, fill and bundle an interview the way a colleague's laptop would.
"""

from __future__ import annotations

import json
from pathlib import Path

from pi87_field.core.bundle import FORMAT
from pi87_field.core.model import Answer, Interviewee, InterviewStatus
from pi87_field.core.serialize import interview_to_dict, project_to_dict

PID = "ec01-pole-emploi-dg"
QID = "structure.presentation"


def seeded_interview(store):
    return store.list_interviews(PID)[0]


def interview_with_people(store):
    interview = seeded_interview(store)
    interview.interviewer = "Anne"
    interview.interviewees = [Interviewee(name="Jean Dupont", role="Directeur", organisation="Pôle emploi",
                                          extra={"tel": "06 00 00 00 00"})]
    interview.status = InterviewStatus.IN_PROGRESS
    store.save_interview(interview)
    store.save_answer(PID, interview.id, QID, "Jean Dupont présente la structure.", author="Anne")
    return interview


def started_copy(store, interviewer: str, person: str, answer: str, consent_at: str):
    interview = seeded_interview(store)
    interview.interviewer = interviewer
    interview.interviewees = [Interviewee(name=person, organisation="Pôle emploi")]
    interview.status = InterviewStatus.IN_PROGRESS
    interview.extra["consent_recorded_at"] = consent_at
    interview.answers[QID] = Answer(text=answer, author=interviewer)
    return interview


def project_dict(project):
    return project_to_dict(project)


def interview_dict(interview):
    return {k: v for k, v in interview_to_dict(interview).items() if k != "project_id"}


def bundle_file(path: Path, store, interviews) -> Path:
    path.write_text(json.dumps({"format": FORMAT, "project": project_dict(store.get_project(PID)),
                                "interviews": [interview_dict(i) for i in interviews]}, ensure_ascii=False),
                    encoding="utf-8")
    return path
