"""An interview conducted with visits, and transcript files shaped like real tools' outputs.

The visits (minutes from 10:00, Paris): structure.presentation 0-5, budget.cout 5-12, a pause
12-13 (no question), role-fse.modernisation 13-20. The files in tests/fixtures/transcripts are
written from the formats' documentation (Teams: GUID cue ids and `<v Name>`; Zoom: numbered cues,
"Name: text"; Whisper: WebVTT with mm:ss times, SubRip, JSON segments) with the same four turns
at 00:00:04, 00:00:09, 00:05:10 and 00:13:05.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pi87_field.core.model import Interviewee, InterviewMode
from pi87_field.core.store import ProjectStore
from pi87_field.core.store.project_store import InterviewSheet
from tests.support.paths import FIXTURES

PARIS = timezone(timedelta(hours=2))
T0 = datetime(2019, 10, 14, 10, 0, tzinfo=PARIS)
CASE = "ec05-ml-lunevillois"
TRANSCRIPTS = FIXTURES / "transcripts"
VISITS = [("structure.presentation", 0, 5), ("budget.cout", 5, 12), ("role-fse.modernisation", 13, 20)]


def conducted(store: ProjectStore, visits=VISITS) -> str:
    """The campaign's first planned interview of CASE, conducted from T0 with `visits`: its id."""
    planned = store.list_interviews(CASE)[0]
    guide = store.guide_for(planned.guide_id)
    sheet = InterviewSheet("Camille", [Interviewee("Jean-Pierre Marchand", "Directeur", "Mission locale")],
                           date(2019, 10, 14), InterviewMode.VIDEO)
    interview = store.life_cycle.start(CASE, guide, sheet, consent=True, at=T0, interview_id=planned.id)
    store.life_cycle.open_sitting(CASE, interview.id, T0)
    store.life_cycle.close_sitting(CASE, interview.id, T0 + timedelta(minutes=25),
                        [(qid, T0 + timedelta(minutes=a), T0 + timedelta(minutes=b)) for qid, a, b in visits])
    return interview.id


def vtt(cues: list[tuple[float, float, str]], header: str = "WEBVTT") -> str:
    def ts(x: float) -> str:
        h, rest = divmod(x, 3600)
        return f"{int(h):02d}:{int(rest // 60):02d}:{rest % 60:06.3f}"
    return header + "\n\n" + "\n".join(f"{n}\n{ts(a)} --> {ts(b)}\n{text}\n" for n, (a, b, text) in enumerate(cues, 1))
