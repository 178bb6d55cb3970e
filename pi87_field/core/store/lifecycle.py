"""An interview's life cycle in the store: started, sheet edited, consent, postponed, cancelled,
finished, reopened; its notes, sittings and transcript. Each rule here, once (the screens and the
CLI call these through `ProjectStore.life_cycle`); each change is one read and one atomic write of
the interview's file, and every change of state records a unique `life_cycle` event, so that an
older copy never undoes a newer change (DESIGN §9).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pi87_field.core import timing, transcript
from pi87_field.core.errors import StoreError
from pi87_field.core.guides import Guide
from pi87_field.core.model import Interview, InterviewStatus, life_cycle_event
from pi87_field.core.store.sheet import InterviewSheet, apply_sheet, check_sheet
from pi87_field.core.text import clean_text

if TYPE_CHECKING:
    from pi87_field.core.store.project_store import ProjectStore


class InterviewLifeCycle:
    """The life-cycle operations of one store (`ProjectStore.life_cycle`)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store


    def _change(self, project_id: str, interview_id: str, change) -> Interview:
        """Read one interview, apply `change`, write it back (one atomic write)."""
        interview = self.store.get_interview(project_id, interview_id)
        change(interview)
        return self.store.save_interview(interview)


    def start(self, project_id: str, guide: Guide, sheet: InterviewSheet, *, consent: bool,
                        at: datetime, interview_id: str | None = None) -> Interview:
        """Record the sheet and the consent, then open the grid: a planned interview of the
        campaign (`interview_id`) or a new one. Refused without consent."""
        from pi87_field.core.model import new_interview_id

        check_sheet(sheet, consent=consent)
        if interview_id:
            interview = self.store.get_interview(project_id, interview_id)
        else:
            interview = Interview(id=new_interview_id(), project_id=project_id, guide_id=guide.id,
                                  guide_version=guide.version)
        if not interview.answers or interview.guide_id != guide.id:
            interview.question_texts = guide.question_texts()
        interview.guide_id, interview.guide_version = guide.id, guide.version
        apply_sheet(interview, sheet)
        interview.consent = True
        if not interview.consent_recorded_at:
            interview.consent_recorded_at = at.isoformat(timespec="seconds")
        if interview.status in (InterviewStatus.PLANNED, InterviewStatus.CANCELLED):
            interview.status = InterviewStatus.IN_PROGRESS
            interview.life_cycle = life_cycle_event("started", at.isoformat(timespec="seconds"))
        return self.store.save_interview(interview)

    def update_sheet(self, project_id: str, interview_id: str, sheet: InterviewSheet) -> Interview:
        """Fix a name, add a person who joined midway, change the date or the mode."""
        check_sheet(sheet)
        return self._change(project_id, interview_id, lambda i: apply_sheet(i, sheet))

    def record_consent(self, project_id: str, interview_id: str, given: bool, at: datetime) -> Interview:
        """Consent given, or withdrawn. A withdrawn consent keeps the answers on this computer
        only: the grid is locked and the interview is left out of every export (Word, JSON,
        volume) until consent is recorded again; to erase it, delete it and empty the trash."""
        stamp = at.isoformat(timespec="seconds")

        def change(interview: Interview) -> None:
            if interview.consent is not given:
                interview.life_cycle = life_cycle_event("consent_given" if given else "consent_withdrawn", stamp)
            interview.consent = given
            if given:
                interview.consent_recorded_at = stamp
                interview.extra.pop("consent_withdrawn_at", None)
            else:
                interview.extra["consent_withdrawn_at"] = stamp
        return self._change(project_id, interview_id, change)

    def postpone(self, project_id: str, interview_id: str, new_date: date, reason: str,
                           at: datetime) -> Interview:
        def change(interview: Interview) -> None:
            if interview.status == InterviewStatus.COMPLETE:
                raise StoreError("Un entretien terminé ne se reporte pas : rouvrez-le d'abord.")
            interview.extra.setdefault("postponed", []).append({
                "from": interview.date.isoformat() if interview.date else None,
                "to": new_date.isoformat(), "reason": reason, "at": at.isoformat(timespec="seconds")})
            interview.date = new_date
            interview.life_cycle = life_cycle_event("postponed", at.isoformat(timespec="seconds"))
            if interview.status == InterviewStatus.CANCELLED:
                interview.status = InterviewStatus.PLANNED
                interview.extra.pop("cancelled", None)
        return self._change(project_id, interview_id, change)

    def cancel(self, project_id: str, interview_id: str, reason: str, at: datetime) -> Interview:
        if not reason.strip():
            raise StoreError("Indiquez le motif de l'annulation.")

        def change(interview: Interview) -> None:
            if interview.status == InterviewStatus.COMPLETE:
                raise StoreError("Un entretien terminé ne s'annule pas : rouvrez-le d'abord.")
            interview.extra["cancelled"] = {"reason": reason.strip(), "at": at.isoformat(timespec="seconds"),
                                            "previous_status": interview.status.value}
            interview.status = InterviewStatus.CANCELLED
            interview.life_cycle = life_cycle_event("cancelled", at.isoformat(timespec="seconds"))
        return self._change(project_id, interview_id, change)

    def finish(self, project_id: str, interview_id: str, at: datetime) -> Interview:
        def change(interview: Interview) -> None:
            if interview.status != InterviewStatus.COMPLETE:
                interview.life_cycle = life_cycle_event("finished", at.isoformat(timespec="seconds"))
            interview.status = InterviewStatus.COMPLETE
            timing.close_sitting(interview, at)
            interview.extra["finished_at"] = at.isoformat(timespec="seconds")
        return self._change(project_id, interview_id, change)

    def reopen(self, project_id: str, interview_id: str, at: datetime) -> Interview:
        """A finished or cancelled interview goes back to "en cours" (answers untouched)."""
        def change(interview: Interview) -> None:
            if interview.status not in (InterviewStatus.COMPLETE, InterviewStatus.CANCELLED):
                return
            cancelled = interview.extra.pop("cancelled", None)
            previous = cancelled.get("previous_status") if isinstance(cancelled, dict) else None
            interview.status = (InterviewStatus(previous) if previous in ("planned", "in_progress")
                                else InterviewStatus.IN_PROGRESS)
            interview.extra.setdefault("reopened", []).append(at.isoformat(timespec="seconds"))
            interview.life_cycle = life_cycle_event("reopened", at.isoformat(timespec="seconds"))
        return self._change(project_id, interview_id, change)

    def save_notes(self, project_id: str, interview_id: str, text: str) -> Interview:
        """The interview-level notes (context, documents to collect, follow-ups)."""
        cleaned = clean_text(text)

        def change(interview: Interview) -> None:
            interview.notes = cleaned
        return self._change(project_id, interview_id, change)

    def open_sitting(self, project_id: str, interview_id: str, at: datetime) -> Interview:
        return self._change(project_id, interview_id, lambda i: timing.open_sitting(i, at))

    def close_sitting(self, project_id: str, interview_id: str, at: datetime,
                      visits: list[tuple[str, datetime, datetime]] = ()) -> Interview:  # type: ignore[assignment]
        """End the current sitting, with the question visits not yet written; a transcript
        attached before these visits were written is cut again (once per sitting, not per visit:
        switching questions stays one small write)."""
        def change(interview: Interview) -> None:
            for qid, entered, left in visits:
                timing.record_visit(interview, qid, entered, left)
            timing.close_sitting(interview, at)
            transcript.recut(interview)
        return self._change(project_id, interview_id, change)

    def record_visits(self, project_id: str, interview_id: str,
                      visits: list[tuple[str, datetime, datetime]]) -> Interview:
        def change(interview: Interview) -> None:
            for qid, entered, left in visits:
                timing.record_visit(interview, qid, entered, left)
        return self._change(project_id, interview_id, change)

    # -- transcript of the recording (core/transcript: the rules; here, one atomic write)

    def attach_transcript(self, project_id: str, interview_id: str, parsed: transcript.ParsedTranscript, *,
                          started_at: datetime | None = None, replace: bool = False
                          ) -> tuple[Interview, transcript.AttachOutcome]:
        """Attach a transcript read at the door; the same one again writes nothing, another one
        needs `replace` (else `TranscriptExistsError`)."""
        interview = self.store.get_interview(project_id, interview_id)
        outcome = transcript.attach(interview, parsed, started_at=started_at, replace=replace)
        if outcome == transcript.AttachOutcome.UNCHANGED:
            return interview, outcome
        return self.store.save_interview(interview), outcome

    def shift_transcript(self, project_id: str, interview_id: str, seconds: float) -> Interview:
        """"Décaler de ±N s": the transcript moves on the interview's clock and is cut again."""
        return self._change(project_id, interview_id, lambda i: transcript.shift(i, seconds))
