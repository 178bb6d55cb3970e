"""The interview's sheet: the facts recorded before the grid opens (interviewer, people met,
date, mode), and the store's checks of it (the screens show the store's words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pi87_field.core.errors import SheetError
from pi87_field.core.model import Interview, Interviewee, InterviewMode


@dataclass
class InterviewSheet:
    """The facts recorded before the grid opens and editable at any time after."""

    interviewer: str
    interviewees: list[Interviewee]
    date: date | None
    mode: InterviewMode | None


def check_sheet(sheet: InterviewSheet, *, consent: bool | None = None) -> None:
    """Refuse a sheet the grid cannot open on (`consent`: when starting the interview; None when
    editing the sheet afterwards). Raises `SheetError` naming the field, in the order of the form."""
    if not any(p.name or p.organisation for p in sheet.interviewees):
        raise SheetError("Indiquez au moins un interlocuteur (nom ou organisation).", "interviewees")
    if sheet.mode is None:
        raise SheetError("Choisissez le mode : sur place, téléphone ou visio.", "mode")
    if consent is False:
        raise SheetError("Recueillez le consentement de chaque interlocuteur avant d'ouvrir la grille.",
                         "consent")


def apply_sheet(interview: Interview, sheet: InterviewSheet) -> None:
    interview.interviewer = sheet.interviewer
    interview.interviewees = [p for p in sheet.interviewees if p.name or p.organisation]
    interview.date = sheet.date
    interview.mode = sheet.mode
