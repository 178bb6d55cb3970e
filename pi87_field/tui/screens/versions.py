"""The versions of one answer: the one shown, the concurrent ones an import or a stale save kept
(a conflict), and its history (earlier revisions and what the rolling backups hold).

Enter keeps the highlighted version: with a conflict, it settles it (the other versions leave
the answer, the screen and the write-up, and stay in the history); without, it restores that
text as a new revision. `e` edits the highlighted text first, ctrl+s then keeps the edit.
Nothing is ever deleted: what is replaced goes to the history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_local_datetime
from pi87_field.core.model import Answer, AnswerState
from pi87_field.core.store import HistoryEntry
from pi87_field.core.text import excerpt, one_line
from pi87_field.tui.base import FieldApp


@dataclass(frozen=True)
class Shown:
    """One line of the list: a version of the answer."""

    kind: str            # "current", "concurrent", "history"
    title: str
    text: str
    state: AnswerState


def _meta(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
CHANGED = "bold black on yellow"
REMOVED_MARK = "‸"


def diff_text(text: str, other: str) -> Text:
    """`text` whole, with what differs from `other` highlighted word by word (a place where
    `other` has words that `text` lacks gets a red ‸): two versions that differ in their last
    sentence do not look the same."""
    theirs, ours = _TOKENS.findall(other), _TOKENS.findall(text)
    out = Text()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes():
        chunk = "".join(ours[j1:j2])
        if tag == "equal":
            out.append(chunk)
            continue
        if chunk.strip():
            out.append(chunk, style=CHANGED)
        else:
            out.append(chunk)
            if "".join(theirs[i1:i2]).strip():
                out.append(REMOVED_MARK, style="bold red")
    return out


def difference_excerpt(text: str, other: str, limit: int = 140) -> str:
    """One line of `text` starting a little before its first difference from `other`."""
    flat, flat_other = one_line(text), one_line(other)
    same = 0
    for a, b in zip(flat, flat_other):
        if a != b:
            break
        same += 1
    if same < limit // 2 or flat == flat_other:
        return excerpt(flat, limit)
    start = flat.rfind(" ", 0, max(0, same - 30)) + 1
    return "…" + excerpt(flat[start:], limit - 1)


class VersionsScreen(ModalScreen[Answer | None]):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("escape", "close", "Fermer", id="versions.close"),
        Binding("e", "edit", "Modifier", id="versions.edit"),
        Binding("ctrl+s", "keep_edit", "Marquer réglé", id="versions.keep_edit"),
    ]

    options = getters.query_one("#versions-list", OptionList)
    preview = getters.query_one("#versions-preview", Static)
    edit_area = getters.query_one("#versions-edit", TextArea)

    def __init__(self, where: str, project_id: str, interview_id: str, question_id: str,
                 answer: Answer | None, history: list[HistoryEntry]) -> None:
        super().__init__()
        self.where = where
        self.project_id = project_id
        self.interview_id = interview_id
        self.question_id = question_id
        self.answer = answer
        self.conflict = bool(answer and answer.concurrent)
        self.shown: list[Shown] = []
        if answer is not None:
            self.shown.append(Shown("current", _meta("Version affichée", answer.author,
                                                     fr_local_datetime(answer.updated_at)),
                                    answer.text, answer.state))
            for n, version in enumerate(answer.concurrent, start=1):
                self.shown.append(Shown("concurrent", _meta(
                    f"Version concurrente {n}", version.author, fr_local_datetime(version.updated_at),
                    version.source and f"source : {version.source}"), version.text, version.state))
        for entry in history:
            origin = entry.origin.capitalize()
            if entry.backup_at:
                origin = f"Sauvegarde du {fr_local_datetime(entry.backup_at)}"
            self.shown.append(Shown("history", _meta(origin, entry.author, fr_local_datetime(entry.updated_at)),
                                    entry.text, entry.state))

    def compose(self) -> ComposeResult:
        with Vertical(id="versions-dialog", classes="dialog"):
            # a Static wraps: the title is never cut, however long the place
            yield Static(Text(("Conflit — " if self.conflict else "Versions — ") + self.where),
                         classes="dialog-title", id="versions-title")
            yield Static(self._help(), id="versions-help")
            yield OptionList(*self._options(), id="versions-list")
            yield Static("", id="versions-preview-head")
            with VerticalScroll(id="versions-preview-scroll"):
                yield Static("", id="versions-preview")
            yield TextArea("", id="versions-edit", soft_wrap=True, tab_behavior="focus")

    def _help(self) -> Text:
        keep = "garder cette version (conflit réglé)" if self.conflict else "restaurer cette version"
        # one line at 80 columns: the list and the full text below get the rows
        keep = "garder (réglé)" if self.conflict else "restaurer"
        return Text.assemble(("↑↓", "bold"), " choisir · ", ("Entrée", "bold"), f" {keep} · ",
                             ("e", "bold"), " modifier puis ", ("ctrl+s", "bold"), " · rien n'est supprimé")

    def _reference(self, item: Shown) -> Shown | None:
        """What a version is compared with: the displayed one; the displayed one itself with the
        first concurrent version (or the newest earlier one)."""
        if not self.shown:
            return None
        if item is not self.shown[0]:
            return self.shown[0]
        return self.shown[1] if len(self.shown) > 1 else None

    def _options(self) -> list[Option]:
        options: list[Option] = []
        for n, item in enumerate(self.shown):
            mark = {"current": "● ", "concurrent": "⚠ ", "history": "  "}[item.kind]
            reference = self._reference(item)
            if item.state != AnswerState.ANSWERED and not item.text.strip():
                body = f"({item.state.label})"
            elif reference is not None:
                body = difference_excerpt(item.text, reference.text) or "(vide)"
            else:
                body = excerpt(item.text, 140) or "(vide)"
            prompt = Text.assemble((mark + item.title, "bold"), "\n", (body, "dim"))
            options.append(Option(prompt, id=str(n)))
        return options

    def on_mount(self) -> None:
        self.edit_area.display = False
        if not self.shown:
            self.preview.update(Text("Aucune version antérieure de cette réponse.", style="dim"))
            return
        # With a conflict, start on the first concurrent version: that is what there is to read.
        self.options.highlighted = 1 if self.conflict and len(self.shown) > 1 else 0
        self.options.focus()
        self._preview()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._preview()

    def _selected_item(self) -> Shown | None:
        index = self.options.highlighted
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    def _preview(self) -> None:
        """The highlighted version in full (it scrolls), its differences highlighted."""
        item = self._selected_item()
        if item is None:
            return
        reference = self._reference(item)
        head = self.query_one("#versions-preview-head", Static)
        if reference is not None and reference.text != item.text:
            other = "la version affichée" if reference is self.shown[0] else "la première version concurrente" \
                if reference.kind == "concurrent" else "la version précédente"
            head.update(Text.assemble(("En entier", "bold"), " · ", ("surligné", CHANGED),
                                      f" : ce qui diffère de {other}"))
        else:
            head.update(Text("En entier", style="bold"))
        state = Text("" if item.state == AnswerState.ANSWERED else f"[{item.state.label}] ")
        body = diff_text(item.text, reference.text) if reference is not None and item.text \
            else Text(item.text or "(vide)")
        self.preview.update(state + body)
        self.query_one("#versions-preview-scroll").scroll_home(animate=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if not self.is_active:
            return
        item = self.shown[int(event.option.id or 0)]
        if item.kind == "current" and not self.conflict:
            self.notify("C'est déjà la version affichée.", timeout=4)
            return
        self._keep(item.text, item.state)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # asked by the footer at any time, also while the dialog is being taken down (no children)
        areas = self.query("#versions-edit")
        editing = bool(areas) and areas.first().display
        if action == "edit":
            return (not editing and bool(self.shown)) or None
        if action == "keep_edit":
            return editing or None
        return True

    def action_edit(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        self.edit_area.load_text(item.text)
        self.edit_area.display = True
        self.query_one("#versions-preview-scroll").display = False
        self.query_one("#versions-preview-head").display = False
        self.edit_area.focus()
        self.edit_area.move_cursor(self.edit_area.document.end)
        self.refresh_bindings()

    def action_keep_edit(self) -> None:
        if self.edit_area.display:
            self._keep(self.edit_area.text, AnswerState.ANSWERED)

    def action_close(self) -> None:
        if self.edit_area.display:  # leave the edit, not the screen
            self.edit_area.display = False
            self.query_one("#versions-preview-scroll").display = True
            self.query_one("#versions-preview-head").display = True
            self.options.focus()
            self.refresh_bindings()
            return
        self.dismiss(None)

    def _keep(self, text: str, state: AnswerState) -> None:
        store = self.app.store
        base = self.answer.rev if self.answer is not None else ""
        author = self.app.interviewer
        try:
            if self.conflict:
                answer = store.resolve_conflict(self.project_id, self.interview_id, self.question_id,
                                                text, state.value, author, base_rev=base)
                self.notify("Conflit réglé : les autres versions restent dans l'historique (ctrl+r).",
                            title="Conflit réglé", timeout=6)
            else:
                from pi87_field.core.store import EMPTY_REV

                answer = store.restore_answer(self.project_id, self.interview_id, self.question_id,
                                              text, state.value, author, base_rev=base or EMPTY_REV)
                self.notify("Version restaurée ; la précédente reste dans l'historique.",
                            title="Restauré", timeout=6)
        except (FieldError, OSError) as exc:
            self.notify(str(exc), title="Rien n'a été modifié", severity="error", timeout=10)
            return
        self.dismiss(answer)
