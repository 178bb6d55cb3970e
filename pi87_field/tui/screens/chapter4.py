"""Chapter 4 of the report, written in the tool: the full-size text editor (with the citation
picker), the conclusions (§4.1), the préconisations (§4.2), the sources (documents and
monitoring data), and settling two leads' versions of one of them.

Every text is written in `TextEditorScreen`, the whole terminal for the text: F3 inserts a
citation `[@key]` chosen in `CitationPicker` (the passages of the current evaluative question
first, then every passage, then the documents, then the conclusions) — a key is never typed.
Saving goes through `core.synthesis.SynthesisStore` (versioned, exchanged); these screens only
show and ask.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from pi87_field.core.errors import FieldError
from pi87_field.core.fr import fr_datetime, plural
from pi87_field.core.synthesis import Workspace, citations
from pi87_field.core.synthesis.objects import SOURCE_FIELDS, Finding, Version
from pi87_field.core.text import one_line
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.fitted_table import ColumnSpec, FittedTable, cell
from pi87_field.tui.widgets.toggles import ReadableCheckbox

SYNTHESIS_HELP = """\
[b]Écrire le chapitre 4 du rapport[/b]
1. Synthèse : Entrée ouvre une question évaluative ; c les conclusions (§ 4.1), o les préconisations (§ 4.2), d les documents et données cités, m la matrice.
2. Question évaluative : sélectionnez un passage d'une réponse, e l'épingle comme preuve (une clé lui est proposée, « lunevillois-2.1 ») ; F2 ouvre les explications en plein écran.
3. Dans un texte (explications, constats, préconisations), F3 insère une référence [@clé] choisie dans une liste : passages de la question, tous les passages, documents, conclusions. Dans le volume Word, chaque référence devient une note de bas de page.
4. v montre les versions d'une autre cheffe d'équipe : garder la mienne, prendre la sienne, ou fusionner.
"""


def clip(text: str, limit: int) -> str:
    """One line, at most `limit` characters, cut at a word."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0] + "…"


# -- the citation picker --------------------------------------------------------------------------

def citation_choices(ws: Workspace, question_id: str | None) -> list[tuple[str, str, str]]:
    """(group, key, label) in the picker's order: the passages of this evaluative question, then
    every other passage, then documents and data, then the conclusions' findings."""
    out: list[tuple[str, str, str]] = []
    evidence = ws.synthesis.evidence()
    seen: set[str] = set()
    if question_id:
        for view in ws.evidence_for(question_id):
            e = view.evidence
            out.append(("Passages de cette question", e.key, f"{view.project_label} — « {clip(e.quote, 70)} »"))
            seen.add(e.key)
    for e in sorted(evidence, key=lambda e: (ws.label(e.project_id), ws.question_position(e), e.created_at)):
        if e.key not in seen:
            out.append(("Tous les passages", e.key, f"{ws.label(e.project_id)} — « {clip(e.quote, 70)} »"))
    for src in ws.synthesis.sources():
        out.append(("Documents et données", src.key, clip(", ".join(x for x in (src.author, src.title, src.date) if x), 90)))
    for n, f in enumerate(ws.synthesis.conclusions().findings, start=1):
        out.append(("Conclusions (§ 4.1)", f.key, f"{n}. ({f.kind}) {clip(f.text, 80)}"))
    return out


class CitationPicker(ModalScreen[str | None]):
    """Choose what to cite; type to filter. Returns the key, or None."""

    DEFAULT_CSS = """
    CitationPicker > Vertical { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    CitationPicker OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler", id="cite.cancel")]

    def __init__(self, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Citer — choisissez un passage, un document ou une conclusion", style="bold"))
            yield Input(placeholder="Filtrer (cas, mots du passage, titre…)", id="cite-filter")
            yield OptionList(id="cite-list")
            yield Static(Text("Entrée : insérer · ↑↓ : choisir · Échap : annuler", style="dim"))

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, words: str) -> None:
        from pi87_field.core.text import fold

        wanted = fold(words).split()
        options: list[Option | None] = []
        group = ""
        for g, key, label in self.choices:
            hay = fold(f"{key} {label}")
            if wanted and not all(w in hay for w in wanted):
                continue
            if g != group:
                options.append(Option(Text(g, style="bold"), disabled=True))
                group = g
            options.append(Option(Text.assemble((f"[{key}] ", "cyan"), label), id=key))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options([o for o in options if o is not None])
        if not options:
            option_list.add_option(Option(Text("Rien à citer : épinglez un passage ou ajoutez un document.",
                                               style="dim"), disabled=True))
        for n, o in enumerate(options):
            if o is not None and not o.disabled:
                option_list.highlighted = n
                break

    @on(Input.Changed, "#cite-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#cite-filter")
    def _submit_filter(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            option = option_list.get_option_at_index(option_list.highlighted)
            if option.id:
                self.dismiss(option.id)

    def key_down(self) -> None:  # pragma: no cover - routed by bindings below
        pass

    def on_key(self, event: Any) -> None:
        if event.key in ("down", "up") and isinstance(self.focused, Input):
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the full-size editor -------------------------------------------------------------------------

class TextEditorScreen(ModalScreen[str | None]):
    """One text, the whole terminal for it. Échap or ctrl+s: keep the text and close (None is
    returned only when nothing changed)."""

    DEFAULT_CSS = """
    TextEditorScreen > Vertical { width: 100%; height: 100%; background: $surface; }
    TextEditorScreen #editor-title { height: auto; padding: 0 1; background: $boost; }
    TextEditorScreen TextArea { height: 1fr; border: round $accent; }
    """
    BINDINGS = [
        Binding("escape", "close", "Fermer", id="editor.close", tooltip="Garder le texte et fermer."),
        Binding("ctrl+s", "close", "Enregistrer", id="editor.save", priority=True, show=False),
        Binding("f3", "cite", "Citer", id="editor.cite",
                tooltip="Insérer une référence [@clé] : passage, document ou conclusion, choisi dans une liste."),
        Binding("ctrl+home,f4", "go('start')", "Début", id="editor.start", show=False,
                tooltip="Aller au début du texte."),
        Binding("ctrl+end,f5", "go('end')", "Fin du texte", id="editor.end",
                tooltip="Aller à la fin du texte."),
    ]

    def __init__(self, title: str, text: str, ws: Workspace, question_id: str | None = None,
                 hint: str = "") -> None:
        super().__init__()
        self.heading = title
        self.original = text
        self.ws = ws
        self.question_id = question_id
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            line = Text(self.heading, style="bold")
            if self.hint:
                line.append(f"\n{self.hint}", style="dim")
            yield Static(line, id="editor-title")
            yield TextArea(self.original, id="editor-text", soft_wrap=True, show_line_numbers=False)
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_go(self, where: str) -> None:
        area = self.query_one(TextArea)
        area.move_cursor((0, 0) if where == "start" else area.document.end)

    def action_cite(self) -> None:
        def done(key: str | None) -> None:
            area = self.query_one(TextArea)
            if key:
                before = area.document.get_text_range((0, 0), area.cursor_location)
                space = "" if not before or before[-1].isspace() else " "
                area.insert(space + citations.cite(key))
            area.focus()

        self.app.push_screen(CitationPicker(citation_choices(self.ws, self.question_id)), done)

    def action_close(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(None if text == self.original.strip() else text)


# -- settling two leads' versions --------------------------------------------------------------------

def diff_text(mine: str, other: str) -> Text:
    """`mine` with the words `other` does not have highlighted."""
    a, b = re.findall(r"\S+|\s+", mine), re.findall(r"\S+|\s+", other)
    keep = [False] * len(a)
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            keep[k] = True
    out = Text()
    for word, same in zip(a, keep):
        out.append(word, style="" if same or word.isspace() else "bold black on yellow")
    return out


def merged_draft(mine: str, theirs: str) -> str:
    """A starting point for a merge: mine, then the paragraphs of theirs mine does not hold."""
    mine_blocks = [b.strip() for b in mine.split("\n\n") if b.strip()]
    extra = [b.strip() for b in theirs.split("\n\n") if b.strip() and b.strip() not in mine_blocks]
    return "\n\n".join([*mine_blocks, *extra])


class SettleDialog(ModalScreen[tuple[str, str] | None]):
    """Two versions side by side, the differing words highlighted; m: keep mine, t: take theirs,
    f: edit a merge of both. Returns ("mine" | "theirs" | "merge", merged text)."""

    DEFAULT_CSS = """
    SettleDialog > Vertical { width: 100%; height: 100%; background: $surface; }
    SettleDialog #settle-head { height: auto; padding: 0 1; background: $boost; }
    SettleDialog #settle-sides { height: 1fr; }
    SettleDialog VerticalScroll { width: 1fr; border: round $primary-darken-2; padding: 0 1; }
    SettleDialog VerticalScroll:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("escape", "close", "Fermer", id="settle.close"),
        Binding("m", "choose('mine')", "Garder la mienne", id="settle.mine"),
        Binding("t", "choose('theirs')", "Prendre la leur", id="settle.theirs"),
        Binding("f", "merge", "Fusionner", id="settle.merge",
                tooltip="Écrire une version à partir des deux (la mienne, puis ce que l'autre ajoute)."),
        Binding("tab", "app.focus_next", "Autre colonne", id="settle.switch", show=False),
    ]

    def __init__(self, title: str, mine: str, theirs: str, who: str, ws: Workspace,
                 question_id: str | None = None, can_merge: bool = True) -> None:
        super().__init__()
        self.heading, self.mine, self.theirs, self.who = title, mine, theirs, who
        self.ws, self.question_id, self.can_merge = ws, question_id, can_merge

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text.assemble((self.heading, "bold"), "\n",
                                       ("Surligné : ce que l'autre version n'a pas. ↑↓ ou PgPréc/PgSuiv défilent, "
                                        "Tab change de colonne.", "dim")), id="settle-head")
            with Horizontal(id="settle-sides"):
                with VerticalScroll(id="settle-mine") as left:
                    left.border_title = "Ma version"
                    yield Static(diff_text(self.mine, self.theirs))
                with VerticalScroll(id="settle-theirs") as right:
                    right.border_title = clip(f"Version de {self.who}", 40)
                    yield Static(diff_text(self.theirs, self.mine))
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#settle-mine").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge" and not self.can_merge:
            return None
        return True

    def action_choose(self, which: str) -> None:
        self.dismiss((which, self.mine if which == "mine" else self.theirs))

    def action_merge(self) -> None:
        def done(text: str | None) -> None:
            if text is not None:
                self.dismiss(("merge", text))

        draft = merged_draft(self.mine, self.theirs)
        self.app.push_screen(TextEditorScreen(f"{self.heading} — version fusionnée", draft, self.ws,
                                              self.question_id,
                                              hint="Échap : garder cette version fusionnée et régler le conflit"),
                             lambda text: done(text if text is not None else draft))

    def action_close(self) -> None:
        self.dismiss(None)


def version_label(v: Version) -> str:
    return ", ".join(x for x in (v.author or "?", v.source or "import", fr_datetime(v.updated_at)) if x)


# -- the screens ---------------------------------------------------------------------------------------

class _Chapter4Screen(Screen):
    """Shared plumbing: the workspace, who writes, one French line on a store error."""

    app = getters.app(FieldApp)
    HELP_WORKFLOW = SYNTHESIS_HELP

    @property
    def ws(self) -> Workspace:
        workspace = self.app.workspace
        assert workspace is not None, "the synthesis screens open once the workspace is read"
        return workspace

    def attempt(self, what: Callable[[], object], title: str) -> bool:
        try:
            what()
        except FieldError as exc:
            self.app.notify(str(exc), title=title, severity="error", timeout=10)
            return False
        return True

    def edit(self, title: str, text: str, done: Callable[[str], None], question_id: str | None = None) -> None:
        def closed(result: str | None) -> None:
            if result is not None:
                done(result)

        self.app.push_screen(TextEditorScreen(title, text, self.ws, question_id), closed)

    def action_back(self) -> None:
        self.app.leave_screen(self)


class RowTable(FittedTable):
    """Rows of a chapter 4 screen (cursor on rows)."""


class QuestionsDialog(ModalScreen[list[str] | None]):
    """Pick items (evaluative questions, findings) from a list: Espace checks, Entrée saves."""

    DEFAULT_CSS = """
    QuestionsDialog > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
                                 border: thick $accent; background: $surface; padding: 0 1; overflow-y: auto; }
    QuestionsDialog Checkbox { height: 1; border: none; padding: 0; }
    QuestionsDialog Checkbox:focus { border: none; background: $accent 40%; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler", id="pick.cancel"),
                Binding("ctrl+s,enter", "save", "Enregistrer", id="pick.save", priority=True),
                Binding("down", "app.focus_next", "Suivant", id="pick.next", show=False),
                Binding("up", "app.focus_previous", "Précédent", id="pick.previous", show=False)]

    def __init__(self, title: str, items: list[tuple[str, str]], chosen: list[str]) -> None:
        super().__init__()
        self.heading, self.items, self.chosen = title, items, chosen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading, style="bold"))
            for n, (value, label) in enumerate(self.items):
                yield ReadableCheckbox(label, value in self.chosen, id=f"pick-{n}")
            yield Static(Text("Espace : cocher · Entrée ou ctrl+s : enregistrer · Échap : annuler", style="dim"))

    def on_mount(self) -> None:
        if self.items:
            self.query_one("#pick-0", Checkbox).focus()

    def action_save(self) -> None:
        self.dismiss([v for n, (v, _) in enumerate(self.items) if self.query_one(f"#pick-{n}", Checkbox).value])

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeyDialog(ModalScreen[str | None]):
    """Rename a key (citations follow)."""

    DEFAULT_CSS = """
    KeyDialog > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler", id="key.cancel")]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Renommer la clé « {self.key} »", style="bold"))
            yield Input(self.key, id="key-input")
            yield Static(Text("Les références [@clé] suivent partout. Entrée : renommer · Échap : annuler",
                              style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


CONCLUSION_COLUMNS = [ColumnSpec("what", "", width=16), ColumnSpec("text", "Texte")]


class ConclusionsScreen(_Chapter4Screen):
    """§4.1: introduction, findings (atouts, then "Mais aussi :" the limites), final paragraph,
    and the sentence that opens §4.2."""

    DEFAULT_CSS = """
    ConclusionsScreen #c4-table { height: 1fr; }
    ConclusionsScreen #c4-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary-darken-2; }
    """
    BINDINGS = [
        Binding("escape", "back", "Synthèse", id="c4.back"),
        Binding("enter", "edit", "Écrire", id="c4.edit", priority=True,
                tooltip="Écrire le texte de la ligne en plein écran (F3 y insère une référence)."),
        Binding("a", "add('atout')", "Atout", id="c4.add_atout", tooltip="Ajouter un constat « atout »."),
        Binding("l", "add('limite')", "Limite", id="c4.add_limite",
                tooltip="Ajouter un constat « limite » (après « Mais aussi : »)."),
        Binding("q", "questions", "Questions", id="c4.questions",
                tooltip="Les questions évaluatives que le constat concerne."),
        Binding("k", "toggle_kind", "Atout/limite", id="c4.kind", show=False,
                tooltip="Faire d'un atout une limite, ou l'inverse."),
        Binding("r", "rename", "Clé", id="c4.rename", show=False, tooltip="Renommer la clé du constat."),
        Binding("delete", "delete", "Supprimer", id="c4.delete", show=False, tooltip="Supprimer le constat."),
        Binding("v", "versions", "Versions", id="c4.versions",
                tooltip="Les versions d'une autre cheffe d'équipe : garder, prendre ou fusionner."),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(CONCLUSION_COLUMNS, id="c4-table")
        yield Static("", id="c4-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "4.1 Nos conclusions"
        self.reload()
        self.query_one(RowTable).focus()

    def reload(self, select: str | None = None) -> None:
        c = self.ws.synthesis.conclusions()
        rows: list[tuple[str, list]] = [("intro", [cell("Introduction"), cell(clip(c.intro, 200) or "…")])]
        atouts = [f for f in c.findings if f.kind != "limite"]
        limites = [f for f in c.findings if f.kind == "limite"]
        rows += [(f"f:{f.key}", [cell(f"• atout {f.key}"), cell(clip(f.text, 200))]) for f in atouts]
        rows += [(f"f:{f.key}", [cell(f"• limite {f.key}"), cell(clip(f.text, 200))]) for f in limites]
        rows.append(("overall", [cell("Paragraphe final"), cell(clip(c.overall, 200) or "…")]))
        rows.append(("recintro", [cell("Intro. § 4.2"), cell(clip(c.recommendations_intro, 200) or "…")]))
        table = self.query_one(RowTable)
        table.set_rows(rows)
        if select:
            table.select_key(select)
        self._detail()
        self.sub_title = ("⚠ versions concurrentes : v pour choisir" if c.concurrent else
                          plural(len(c.findings), "constat"))
        self.refresh_bindings()

    @on(RowTable.RowHighlighted)
    def _detail(self, _event: object = None) -> None:
        key = self.query_one(RowTable).selected_key or ""
        c = self.ws.synthesis.conclusions()
        text = Text()
        if key.startswith("f:"):
            f = c.finding(key[2:])
            if f is not None:
                found = [self.ws.framework.question(q) for q in f.questions]
                names = [q.registre for q in found if q is not None]
                text.append(f"Constat {f.key} ({f.kind})", style="bold")
                text.append(" — questions évaluatives : " + (", ".join(names) or "aucune"), style="dim")
                text.append("\n" + f.text)
        else:
            value = {"intro": c.intro, "overall": c.overall, "recintro": c.recommendations_intro}.get(key, "")
            text.append(value or "Entrée pour écrire ce texte.", style="" if value else "dim")
        self.query_one("#c4-detail", Static).update(text)

    def _save(self, **changes: Any) -> None:
        c = self.ws.synthesis.conclusions()
        values = {"intro": c.intro, "findings": list(c.findings), "overall": c.overall,
                  "recommendations_intro": c.recommendations_intro, **changes}
        self.attempt(lambda: self.ws.synthesis.save_conclusions(author=self.app.interviewer, **values),
                     "Conclusions non enregistrées")

    def action_edit(self) -> None:
        key = self.query_one(RowTable).selected_key or ""
        c = self.ws.synthesis.conclusions()
        if key.startswith("f:"):
            f = c.finding(key[2:])
            if f is None:
                return

            def done_f(text: str) -> None:
                self._save(findings=[Finding(x.key, x.kind, text, x.questions, x.extra) if x.key == f.key else x
                                     for x in c.findings])
                self.reload(key)

            self.edit(f"Constat {f.key} ({f.kind})", f.text, done_f)
            return
        field_name, title = {"intro": ("intro", "Introduction des conclusions"),
                             "overall": ("overall", "Paragraphe final des conclusions"),
                             "recintro": ("recommendations_intro", "Introduction des préconisations (§ 4.2)")}[key]

        def done(text: str) -> None:
            self._save(**{field_name: text})
            self.reload(key)

        self.edit(title, getattr(c, field_name), done)

    def action_add(self, kind: str) -> None:
        c = self.ws.synthesis.conclusions()
        key = citations.unique_key(f"c{len(c.findings) + 1}", self.ws.synthesis.keys_taken())

        def done(text: str) -> None:
            self._save(findings=[*c.findings, Finding(key, kind, text, [])])
            self.reload(f"f:{key}")

        self.edit(f"Nouveau constat ({kind})", "", done)

    def _finding(self) -> Finding | None:
        key = self.query_one(RowTable).selected_key or ""
        return self.ws.synthesis.conclusions().finding(key[2:]) if key.startswith("f:") else None

    def action_questions(self) -> None:
        f = self._finding()
        if f is None:
            return
        c = self.ws.synthesis.conclusions()

        def done(chosen: list[str] | None) -> None:
            if chosen is not None:
                self._save(findings=[Finding(x.key, x.kind, x.text, chosen, x.extra) if x.key == f.key else x
                                     for x in c.findings])
                self.reload(f"f:{f.key}")

        items = [(q.id, f"{q.number}. {q.registre}") for q in self.ws.framework.questions]
        self.app.push_screen(QuestionsDialog(f"Constat {f.key} : questions évaluatives concernées", items,
                                             f.questions), done)

    def action_toggle_kind(self) -> None:
        f = self._finding()
        if f is not None:
            c = self.ws.synthesis.conclusions()
            kind = "limite" if f.kind == "atout" else "atout"
            self._save(findings=[Finding(x.key, kind, x.text, x.questions, x.extra) if x.key == f.key else x
                                 for x in c.findings])
            self.reload(f"f:{f.key}")

    def action_rename(self) -> None:
        f = self._finding()
        if f is None:
            return

        def done(new: str | None) -> None:
            if new and new != f.key and self.attempt(lambda: self.ws.synthesis.rename_key(f.key, new),
                                                     "Clé non renommée"):
                self.reload(f"f:{new}")

        self.app.push_screen(KeyDialog(f.key), done)

    def action_delete(self) -> None:
        f = self._finding()
        if f is not None:
            c = self.ws.synthesis.conclusions()
            self._save(findings=[x for x in c.findings if x.key != f.key])
            self.reload()
            self.app.notify(f"« {clip(f.text, 60)} »", title=f"Constat {f.key} supprimé")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("questions", "toggle_kind", "rename", "delete"):
            return self._finding() is not None if self.is_mounted else True
        if action == "versions":
            return bool(self.ws.synthesis.conclusions().concurrent)
        return True

    def action_versions(self) -> None:
        c = self.ws.synthesis.conclusions()
        if not c.concurrent:
            return
        v = c.concurrent[0]
        from pi87_field.core.merge.content import _conclusions_text

        mine = _conclusions_text(c.values(), str)
        theirs = _conclusions_text(v.values, str)

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            which, _text = result
            values = None if which == "mine" else v.values
            self.attempt(lambda: self.ws.synthesis.settle("conclusions", "conclusions", values,
                                                          author=self.app.interviewer), "Conflit non réglé")
            self.reload()
            self.app.notify("Conflit réglé : l'autre version passe à l'historique.", title="Conclusions")

        self.app.push_screen(SettleDialog(f"Conclusions — version de {version_label(v)}", mine, theirs,
                                          version_label(v), self.ws, can_merge=False), done)


RECOMMENDATION_COLUMNS = [ColumnSpec("n", "N°", width=4), ColumnSpec("text", "Préconisation")]


class RecommendationsScreen(_Chapter4Screen):
    """§4.2: préconisations numbered 1, 2…, sub-points a, b…, each resting on findings or
    evaluative questions."""

    DEFAULT_CSS = """
    RecommendationsScreen #p4-table { height: 1fr; }
    RecommendationsScreen #p4-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary-darken-2; }
    """
    BINDINGS = [
        Binding("escape", "back", "Synthèse", id="p4.back"),
        Binding("enter", "edit", "Écrire", id="p4.edit", priority=True,
                tooltip="Écrire la préconisation (ou le sous-point) en plein écran."),
        Binding("n", "new", "Nouvelle", id="p4.new", tooltip="Ajouter une préconisation à la fin."),
        Binding("a", "add_subpoint", "Sous-point", id="p4.subpoint", tooltip="Ajouter un sous-point (a, b…)."),
        Binding("o", "rests_on", "Repose sur", id="p4.rests_on",
                tooltip="Les conclusions ou questions évaluatives sur lesquelles la préconisation repose."),
        Binding("plus,equals_sign", "move(-1)", "Monter", id="p4.up", show=False),
        Binding("minus", "move(1)", "Descendre", id="p4.down", show=False),
        Binding("r", "rename", "Clé", id="p4.rename", show=False),
        Binding("delete", "delete", "Supprimer", id="p4.delete", show=False,
                tooltip="Supprimer la préconisation ou le sous-point."),
        Binding("v", "versions", "Versions", id="p4.versions",
                tooltip="Les versions d'une autre cheffe d'équipe : garder, prendre ou fusionner."),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(RECOMMENDATION_COLUMNS, id="p4-table")
        yield Static("", id="p4-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "4.2 Nos préconisations"
        self.reload()
        self.query_one(RowTable).focus()

    def reload(self, select: str | None = None) -> None:
        recs = self.ws.synthesis.recommendations()
        rows: list[tuple[str, list]] = []
        for n, r in enumerate(recs, start=1):
            mark = " ⚠" if r.concurrent else ""
            rows.append((f"r:{r.key}", [cell(f"{n}.{mark}"), cell(clip(r.text, 200))]))
            for m, sp in enumerate(r.subpoints):
                rows.append((f"s:{r.key}:{m}", [cell(""), cell(f"{chr(ord('a') + m)}. {clip(sp, 196)}")]))
        if not rows:
            rows.append(("empty", [cell(""), cell("Aucune préconisation : n pour en écrire une.")]))
        table = self.query_one(RowTable)
        table.set_rows(rows)
        if select:
            table.select_key(select)
        self._detail()
        conflicts = sum(1 for r in recs if r.concurrent)
        self.sub_title = (f"⚠ {plural(conflicts, 'préconisation')} en conflit : v pour choisir" if conflicts
                          else plural(len(recs), "préconisation"))
        self.refresh_bindings()

    def _current(self) -> tuple[Any, int | None]:
        key = self.query_one(RowTable).selected_key or ""
        parts = key.split(":")
        recs = {r.key: r for r in self.ws.synthesis.recommendations()}
        if parts[0] == "r" and parts[1] in recs:
            return recs[parts[1]], None
        if parts[0] == "s" and parts[1] in recs:
            return recs[parts[1]], int(parts[2])
        return None, None

    def rests_on_label(self, keys: list[str]) -> str:
        c = self.ws.synthesis.conclusions()
        out = []
        for k in keys:
            f = c.finding(k)
            q = self.ws.framework.question(k)
            out.append(f"constat {k} « {clip(f.text, 50)} »" if f else (f"{q.number}. {q.registre}" if q else
                                                                      f"[référence introuvable : {k}]"))
        return " ; ".join(out) or "rien"

    @on(RowTable.RowHighlighted)
    def _detail(self, _event: object = None) -> None:
        r, m = self._current()
        text = Text()
        if r is not None:
            text.append(f"Préconisation {r.key}", style="bold")
            text.append(f" — repose sur : {self.rests_on_label(r.rests_on)}\n", style="dim")
            text.append(r.text if m is None else r.subpoints[m])
        self.query_one("#p4-detail", Static).update(text)

    def _save(self, r: Any, **changes: Any) -> str:
        values = {"text": r.text, "subpoints": list(r.subpoints), "rests_on": list(r.rests_on), **changes}
        self.attempt(lambda: self.ws.synthesis.save_recommendation(r.key, author=self.app.interviewer, **values),
                     "Préconisation non enregistrée")
        return r.key

    def action_edit(self) -> None:
        r, m = self._current()
        if r is None:
            self.action_new()
            return
        if m is None:
            def done_text(text: str) -> None:
                self._save(r, text=text)
                self.reload(f"r:{r.key}")

            self.edit(f"Préconisation {r.key}", r.text, done_text)
            return

        def done(text: str) -> None:
            subs = list(r.subpoints)
            subs[m] = text
            self._save(r, subpoints=subs)
            self.reload(f"s:{r.key}:{m}")

        self.edit(f"Préconisation {r.key}, sous-point {chr(ord('a') + m)}", r.subpoints[m], done)

    def action_new(self) -> None:
        def done(text: str) -> None:
            box: list[Any] = []
            if self.attempt(lambda: box.append(self.ws.synthesis.save_recommendation(
                    "", text, [], [], author=self.app.interviewer)), "Préconisation non enregistrée"):
                self.reload(f"r:{box[0].key}")

        self.edit("Nouvelle préconisation", "", done)

    def action_add_subpoint(self) -> None:
        r, _ = self._current()
        if r is None:
            return

        def done(text: str) -> None:
            self._save(r, subpoints=[*r.subpoints, text])
            self.reload(f"s:{r.key}:{len(r.subpoints)}")

        self.edit(f"Préconisation {r.key}, sous-point {chr(ord('a') + len(r.subpoints))}", "", done)

    def action_rests_on(self) -> None:
        r, _ = self._current()
        if r is None:
            return
        items = [(f.key, f"Constat {f.key} ({f.kind}) : {clip(f.text, 70)}")
                 for f in self.ws.synthesis.conclusions().findings]
        items += [(q.id, f"Question évaluative {q.number}. {q.registre}") for q in self.ws.framework.questions]

        def done(chosen: list[str] | None) -> None:
            if chosen is not None:
                self._save(r, rests_on=chosen)
                self.reload(f"r:{r.key}")

        self.app.push_screen(QuestionsDialog(f"Préconisation {r.key} : repose sur", items, r.rests_on), done)

    def action_move(self, delta: int) -> None:
        r, _ = self._current()
        if r is not None:
            self.attempt(lambda: self.ws.synthesis.move_recommendation(r.key, delta), "Préconisation non déplacée")
            self.reload(f"r:{r.key}")

    def action_rename(self) -> None:
        r, _ = self._current()
        if r is None:
            return

        def done(new: str | None) -> None:
            if new and new != r.key and self.attempt(lambda: self.ws.synthesis.rename_key(r.key, new),
                                                     "Clé non renommée"):
                self.reload(f"r:{new}")

        self.app.push_screen(KeyDialog(r.key), done)

    def action_delete(self) -> None:
        r, m = self._current()
        if r is None:
            return
        if m is None:
            self.attempt(lambda: self.ws.synthesis.delete_recommendation(r.key), "Préconisation non supprimée")
        else:
            self._save(r, subpoints=[s for k, s in enumerate(r.subpoints) if k != m])
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_subpoint", "rests_on", "move", "rename", "delete") and self.is_mounted:
            return self._current()[0] is not None
        if action == "versions":
            return any(r.concurrent for r in self.ws.synthesis.recommendations())
        return True

    def action_versions(self) -> None:
        r, _ = self._current()
        recs = self.ws.synthesis.recommendations()
        if r is None or not r.concurrent:
            r = next((x for x in recs if x.concurrent), None)
        if r is None:
            return
        v = r.concurrent[0]
        from pi87_field.core.merge.content import _recommendation_text

        mine, theirs = _recommendation_text(r.values(), str), _recommendation_text(v.values, str)

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            which, text = result
            values: dict[str, Any] | None
            if which == "mine":
                values = None
            elif which == "theirs":
                values = dict(v.values)
            else:
                values = parse_recommendation_text(text, r.rests_on)
            self.attempt(lambda: self.ws.synthesis.settle("recommendation", r.key, values,
                                                          author=self.app.interviewer), "Conflit non réglé")
            self.reload(f"r:{r.key}")
            self.app.notify(f"Préconisation {r.key} : conflit réglé.", title="Préconisations")

        self.app.push_screen(SettleDialog(f"Préconisation {r.key} — version de {version_label(v)}", mine, theirs,
                                          version_label(v), self.ws), done)


def parse_recommendation_text(text: str, rests_on: list[str]) -> dict[str, Any]:
    """A merged préconisation written as text: first paragraph the préconisation, "a. …" the
    sub-points, "Repose sur : k1, k2" what it rests on."""
    body: list[str] = []
    subs: list[str] = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        m = re.match(r"^([a-z])\.\s+(.*)$", block, re.S)
        if block.startswith("Repose sur :"):
            rests_on = [x.strip() for x in block.split(":", 1)[1].split(",") if x.strip()]
        elif m and body:
            subs.append(m[2].strip())
        else:
            body.append(block)
    return {"text": "\n\n".join(body), "subpoints": subs, "rests_on": rests_on}


SOURCE_COLUMNS = [ColumnSpec("key", "Clé", width=16), ColumnSpec("title", "Titre"),
                  ColumnSpec("author", "Auteur", width=12), ColumnSpec("date", "Date", width=10)]
SOURCE_LABELS = {"title": "Titre", "author": "Auteur", "date": "Date", "kind": "Nature (données, rapport…)",
                 "locator": "Emplacement (page, onglet)", "url": "Adresse", "note": "Note"}


class SourceDialog(ModalScreen[dict[str, str] | None]):
    """A document or monitoring data: key and reference."""

    DEFAULT_CSS = """
    SourceDialog > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: thick $accent;
                                    background: $surface; padding: 0 1; }
    SourceDialog Input { margin-bottom: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler", id="source.cancel"),
                Binding("ctrl+s", "save", "Enregistrer", id="source.save", priority=True)]

    def __init__(self, key: str, values: dict[str, str]) -> None:
        super().__init__()
        self.key, self.values = key, values

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Document ou données cités", style="bold"))
            yield Static("Clé (pour [@clé])")
            yield Input(self.key, id="source-key", placeholder="mdfse-2019")
            for f in SOURCE_FIELDS:
                yield Static(SOURCE_LABELS[f])
                yield Input(self.values.get(f, ""), id=f"source-{f}")
            yield Static(Text("ctrl+s : enregistrer · Échap : annuler · Tab : champ suivant", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#source-title" if self.key else "#source-key", Input).focus()

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        out = {f: self.query_one(f"#source-{f}", Input).value for f in SOURCE_FIELDS}
        out["key"] = self.query_one("#source-key", Input).value.strip()
        self.dismiss(out)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SourcesScreen(_Chapter4Screen):
    """Documents and monitoring data cited in the chapter (`[@key, p. 12]`)."""

    DEFAULT_CSS = """
    SourcesScreen #src-table { height: 1fr; }
    SourcesScreen #src-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary-darken-2; }
    """
    BINDINGS = [
        Binding("escape", "back", "Synthèse", id="src.back"),
        Binding("enter", "edit", "Modifier", id="src.edit", priority=True),
        Binding("n", "new", "Nouveau", id="src.new", tooltip="Ajouter un document ou des données."),
        Binding("delete", "delete", "Supprimer", id="src.delete", show=False),
        Binding("v", "versions", "Versions", id="src.versions",
                tooltip="Les versions d'une autre cheffe d'équipe : garder ou prendre."),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(SOURCE_COLUMNS, id="src-table")
        yield Static("", id="src-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Documents et données cités"
        self.reload()
        self.query_one(RowTable).focus()

    def reload(self, select: str | None = None) -> None:
        sources = self.ws.synthesis.sources()
        rows = [(s.key, [cell(s.key + (" ⚠" if s.concurrent else "")), cell(s.title), cell(s.author), cell(s.date)])
                for s in sources]
        if not rows:
            rows = [("", [cell(""), cell("Aucun document : n pour en ajouter un."), cell(""), cell("")])]
        table = self.query_one(RowTable)
        table.set_rows(rows)
        if select:
            table.select_key(select)
        self._detail()
        self.sub_title = plural(len(sources), "document")
        self.refresh_bindings()

    @on(RowTable.RowHighlighted)
    def _detail(self, _event: object = None) -> None:
        src = self.ws.synthesis.source(self.query_one(RowTable).selected_key or "")
        text = Text()
        if src is not None:
            for f in SOURCE_FIELDS:
                if getattr(src, f):
                    text.append(f"{SOURCE_LABELS[f]} : ", style="bold")
                    text.append(getattr(src, f) + "\n")
        self.query_one("#src-detail", Static).update(text)

    def _open(self, key: str, values: dict[str, str]) -> None:
        def done(result: dict[str, str] | None) -> None:
            if result is None:
                return
            new_key = result.pop("key")
            if self.attempt(lambda: self.ws.synthesis.save_source(new_key, result, author=self.app.interviewer,
                                                                  old_key=key), "Document non enregistré"):
                self.reload(new_key)

        self.app.push_screen(SourceDialog(key, values), done)

    def action_new(self) -> None:
        self._open("", {"kind": "document"})

    def action_edit(self) -> None:
        src = self.ws.synthesis.source(self.query_one(RowTable).selected_key or "")
        if src is None:
            self.action_new()
        else:
            self._open(src.key, src.values())

    def action_delete(self) -> None:
        src = self.ws.synthesis.source(self.query_one(RowTable).selected_key or "")
        if src is not None:
            self.attempt(lambda: self.ws.synthesis.delete_source(src.key), "Document non supprimé")
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "versions":
            return any(s.concurrent for s in self.ws.synthesis.sources())
        return True

    def action_versions(self) -> None:
        src = self.ws.synthesis.source(self.query_one(RowTable).selected_key or "")
        if src is None or not src.concurrent:
            src = next((s for s in self.ws.synthesis.sources() if s.concurrent), None)
        if src is None:
            return
        v = src.concurrent[0]

        def lines(values: dict[str, Any]) -> str:
            return "\n".join(f"{SOURCE_LABELS[f]} : {values.get(f, '')}" for f in SOURCE_FIELDS)

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            values = None if result[0] == "mine" else dict(v.values)
            self.attempt(lambda: self.ws.synthesis.settle("source", src.key, values, author=self.app.interviewer),
                         "Conflit non réglé")
            self.reload(src.key)

        self.app.push_screen(SettleDialog(f"Document {src.key} — version de {version_label(v)}",
                                          lines(src.values()), lines(v.values), version_label(v), self.ws,
                                          can_merge=False), done)
