"""The transcript pane of the interview screen (DESIGN §8): the current question's passages of the
recording's transcript, with their time and speaker; pick one or several and insert them into
the answer as « … » [00:13:05].

Kept in its own module so that the interview screen only places it, tells it the question shown
and handles its two messages: `InsertPassage` (text for the answer) and `ShiftAsked`. The dialogs
(import with a confirmation before replacing, "décaler de ±N s") are in
`tui/screens/transcript_dialogs.py`: widgets never import screens.

Speed: the transcript is grouped by question once when loaded (`by_question`); showing a question
rebuilds only that question's options, and nothing at all while the pane is closed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pi87_field.core.fr import plural
from pi87_field.core.model import Interview
from pi87_field.core.transcript import (
    OUTSIDE_LABEL,
    Segment,
    Transcript,
    by_question,
    clock,
    quote,
    transcript_of,
)

PANE_TITLE = "Transcription"
PAGE = 30       # passages listed at once (see `_fill`)
HINT = "i : insérer · e : épingler · d : décaler · h : hors question"


def segment_prompt(segment: Segment, ticked: bool = False) -> Text:
    """One passage, wrapped by the list: a box (ticked: part of the passage to insert), its time,
    its speaker, its words (plain text, never markup)."""
    line = Text("☑ " if ticked else "☐ ", style="bold" if ticked else "dim")
    line.append(f"{clock(segment.start)} ", style="bold")
    if segment.speaker:
        line.append(f"{segment.speaker}\u00a0: ", style="italic")
    line.append(segment.text)
    return line


class TranscriptPane(Vertical):
    """Hidden until toggled (F8); `show_question(qid)` is cheap when hidden."""

    BINDINGS = [
        Binding("space", "tick", "Choisir", id="transcript.tick",
                tooltip="Cocher ou décocher le passage : les passages cochés sont insérés ensemble."),
        Binding("i", "insert", "Insérer", id="transcript.insert",     # Entrée too (the list's selection)
                tooltip="Insérer les passages choisis (ou celui en surbrillance) dans la réponse, « … » [hh:mm:ss]."),
        Binding("d", "shift", "Décaler", id="transcript.shift",
                tooltip="Décaler la transcription de ±N secondes : le découpage par question est refait."),
        Binding("e", "pin", "Épingler", id="transcript.pin",
                tooltip="Épingler le passage comme preuve pour des questions évaluatives (synthèse)."),
        Binding("h", "toggle_outside", "Hors question", id="transcript.outside",
                tooltip="Afficher les passages hors question (pendant aucune question) ou ceux de la question."),
        Binding("escape", "leave", "Réponse", id="transcript.leave", tooltip="Revenir à la réponse."),
    ]

    class InsertPassage(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class PinAsked(Message):
        """Pin the passage as evidence (the screen opens the synthesis' pin dialog)."""

        def __init__(self, question_id: str, segments: list[Segment]) -> None:
            super().__init__()
            self.question_id = question_id
            self.segments = segments

    class ShiftAsked(Message):
        """"Décaler de ±N s": the screen asks how much (dialogs live with the screens)."""

    def __init__(self, project_id: str, interview_id: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.project_id = project_id
        self.interview_id = interview_id
        self.transcript: Transcript | None = None
        self.groups: dict[str | None, list[Segment]] = {}
        self.question: str | None = None
        self.outside = False          # showing the "hors question" passages instead of the question's
        self._shown: tuple[str | None, bool, int] | None = None
        self.ticked: set[int] = set()      # indexes in `segments` of the passages ticked
        self.offset_in_list = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="transcript-head", markup=False)
        yield OptionList(id="transcript-list")

    def on_mount(self) -> None:
        self.border_title = PANE_TITLE
        self.border_subtitle = HINT

    # -- what is shown --------------------------------------------------------------------------

    def load(self, interview: Interview) -> None:
        """(Re)read the interview's transcript and group it by question."""
        self.transcript = transcript_of(interview)
        self.groups = by_question(self.transcript) if self.transcript else {}
        self._shown = None
        if self.display:
            self._refresh()

    def show_question(self, question_id: str | None) -> None:
        """The question shown changed: its passages are listed once the question itself is drawn
        (the switch's frame never waits for a few hundred wrapped passages)."""
        self.question = question_id
        self.outside = False
        if self.display:
            self.call_after_refresh(self._refresh)

    def count(self, question_id: str | None) -> int:
        return len(self.groups.get(question_id, ()))

    @property
    def segments(self) -> list[Segment]:
        return self.groups.get(None if self.outside else self.question, [])

    def _refresh(self) -> None:
        key = (None if self.outside else self.question, self.outside, id(self.transcript))
        if key == self._shown:
            return
        self._shown = key
        self.offset_in_list = 0
        self.ticked.clear()
        head = self.query_one("#transcript-head", Static)
        if self.transcript is None:
            head.update("Aucune transcription : ctrl+p « Importer une transcription » (WebVTT, SubRip, "
                        "JSON de Whisper).")
            self.query_one("#transcript-list", OptionList).clear_options()
            return
        outside = self.count(None)
        segments = self.segments
        if self.outside:
            head.update(f"{OUTSIDE_LABEL.capitalize()} : {plural(len(segments), 'passage')} · h : la question")
        else:
            more = f" · {outside} hors question (h)" if outside else ""
            head.update(f"{plural(len(segments), 'passage')} sur cette question{more}" if segments
                        else f"Aucun passage sur cette question{more}")
        self._fill(0)

    def _fill(self, offset: int, highlight: int | None = None) -> None:
        """One page of passages (wrapping a few hundred costs more than a frame): PAGE from
        `offset`, with an entry to the previous or next page at either end."""
        listing = self.query_one("#transcript-list", OptionList)
        segments = self.segments
        self.offset_in_list = offset = max(0, min(offset, max(0, len(segments) - 1)))
        end = min(len(segments), offset + PAGE)
        options: list[Option] = []
        if offset:
            options.append(Option(Text(f"↑ {plural(offset, 'passage')} avant (Entrée)", style="dim"), id="prev"))
        options += [Option(segment_prompt(segments[i], i in self.ticked), id=f"s{i}") for i in range(offset, end)]
        if end < len(segments):
            options.append(Option(Text(f"↓ {plural(len(segments) - end, 'passage')} après (Entrée)", style="dim"),
                                  id="next"))
        listing.clear_options()
        listing.add_options(options)
        if options:
            first = 1 if offset else 0
            listing.highlighted = highlight if highlight is not None else min(first, len(options) - 1)

    def on_show(self) -> None:
        self._refresh()

    # -- actions --------------------------------------------------------------------------------

    def focus_list(self) -> None:
        self.query_one("#transcript-list", OptionList).focus()

    def _highlighted(self) -> str | None:
        listing = self.query_one("#transcript-list", OptionList)
        if listing.highlighted is None or listing.option_count == 0:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def action_tick(self) -> None:
        listing = self.query_one("#transcript-list", OptionList)
        option_id = self._highlighted()
        if not option_id or not option_id.startswith("s"):
            return
        index = int(option_id[1:])
        self.ticked ^= {index}
        assert listing.highlighted is not None
        position = listing.highlighted
        listing.replace_option_prompt_at_index(position, segment_prompt(self.segments[index], index in self.ticked))
        if position + 1 < listing.option_count:
            listing.highlighted = position + 1

    def chosen(self) -> list[Segment]:
        """The passages ticked, in time order; none ticked: the highlighted one."""
        segments = self.segments
        picked = sorted(i for i in self.ticked if 0 <= i < len(segments))
        option_id = self._highlighted()
        if not picked and option_id and option_id.startswith("s"):
            picked = [int(option_id[1:])]
        return [segments[i] for i in picked]

    def action_insert(self) -> None:
        passage = self.chosen()
        if not passage:
            self.notify("Aucun passage à insérer sur cette question.", title=PANE_TITLE)
            return
        if self.ticked:
            self.ticked.clear()
            listing = self.query_one("#transcript-list", OptionList)
            self._fill(self.offset_in_list, listing.highlighted)
        self.post_message(self.InsertPassage(quote(passage)))

    @on(OptionList.OptionSelected, "#transcript-list")
    def _entered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "next":
            self._fill(self.offset_in_list + PAGE)
        elif event.option.id == "prev":
            self._fill(self.offset_in_list - PAGE)
        else:
            self.action_insert()     # Entrée on a passage: like i

    def action_pin(self) -> None:
        passage = self.chosen()
        if not passage:
            self.notify("Aucun passage à épingler sur cette question.", title=PANE_TITLE)
            return
        if self.outside or self.question is None:
            self.notify("Un passage hors question ne s'épingle pas : décalez la transcription (d) pour le "
                        "placer sur sa question.", title=PANE_TITLE, severity="warning")
            return
        self.post_message(self.PinAsked(self.question, passage))

    def action_toggle_outside(self) -> None:
        self.outside = not self.outside
        self._refresh()

    def action_leave(self) -> None:
        self.post_message(self.InsertPassage(""))   # empty: only go back to the answer

    def action_shift(self) -> None:
        if self.transcript is None:
            self.notify("Aucune transcription à décaler.", title=PANE_TITLE)
            return
        self.post_message(self.ShiftAsked())
