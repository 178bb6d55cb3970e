"""The command palette's own commands (ctrl+p): open a project, new interview, export,
search, import, help, quit — in French, built from the store's current projects."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.align import Align
from rich.markup import escape
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets.option_list import Option

from pi87_field.core.summary import project_label
from pi87_field.core.text import fold, fold_with_positions
from pi87_field.tui.base import FieldApp
from pi87_field.tui.progress import clip


def folded_match(matcher: Matcher, name: str) -> tuple[float, list[int]]:
    """Score and matched offsets (in `name`) of the query, accents and case ignored: "lunev"
    finds "Lunévillois". The matcher is built on the folded query."""
    folded, positions = fold_with_positions(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, folded)
    return score, sorted({positions[o] for o in offsets if o < len(positions)})


def _highlight(matcher: Matcher, name: str, offsets: list[int]) -> Content:
    """Matched letters stylised, the name read as plain text (project titles may hold "[")."""
    content = Content(name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


NO_MATCHES = "Aucune commande ne correspond"


class FrenchCommandPalette(CommandPalette):
    """Textual's palette, saying "no match" in French (its text is fixed inside
    `_start_no_matches_countdown`: this is that method, with the French line; Textual is pinned)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


def screen_key_commands(app: FieldApp) -> list[tuple[str, Callable[[], object], str]]:
    """Every key of the screen under the palette, as a command ("Touche ctrl+j : Prochaine
    vide"): the footer shows what fits at 80 columns, the palette and f1 have them all."""
    under = next((s for s in reversed(app.screen_stack) if not isinstance(s, CommandPalette)), None)
    if under is None:
        return []
    out: list[tuple[str, Callable[[], object], str]] = []
    seen: set[str] = set()
    for binding in getattr(under, "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        if under.check_action(binding.action.split("(")[0], ()) is False:
            continue
        key = binding.key_display or binding.key.split(",")[0]
        out.append((f"Touche {key} : {binding.description}", partial(under.run_action, binding.action),
                    binding.tooltip or binding.description))
    return out


class Pi87Commands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        assert isinstance(app, FieldApp), "the palette's commands are those of pi87-field's app"
        out: list[tuple[str, Callable[[], object], str]] = []
        current = getattr(app.screen, "project_id", None)
        if current is None:
            # The palette is a screen of its own: look at what is under it.
            for screen in reversed(app.screen_stack):
                current = getattr(screen, "project_id", None)
                if current:
                    break
        if current:
            out.append(("Nouvel entretien (projet ouvert)", partial(app.new_interview, current),
                        "Préparer et commencer un entretien pour ce projet"))
            out.append(("Exporter le projet ouvert en Word", partial(app.export_project, current, "docx"),
                        "Dans le dossier des exports des données"))
            out.append(("Exporter le projet ouvert en JSON", partial(app.export_project, current, "json"),
                        "Dans le dossier des exports des données"))
        # An interview screen under the palette: its transcript (the pane's import, DESIGN §8).
        interview_screen = next((s for s in reversed(app.screen_stack) if hasattr(s, "import_transcript")), None)
        if interview_screen is not None:
            out.append(("Importer une transcription", interview_screen.import_transcript,
                        "WebVTT (Teams, Zoom, Whisper), SubRip ou JSON de Whisper, découpé par question"))
        out.append(("Rechercher dans les réponses", app.action_search, "Un mot dans tous les entretiens"))
        out.append(("Exporter… (un projet ou tous, Word ou JSON, pseudonymisé)", partial(app.open_export, current),
                    "Choisir quoi exporter et où"))
        out.append(("Nouveau projet (étude de cas ou série d'entretiens)", app.new_project,
                    "Un projet hors campagne, avec son nom court"))
        out.append(("Synthèse : questions évaluatives", app.open_synthesis,
                    "Niveau d'atteinte, preuves citées et éléments à revoir, par question évaluative"))
        out.append(("Synthèse : matrice questions × cas", app.open_matrix,
                    "Réponses et synthèses de cellule, question de la grille par cas"))
        workspace = app._workspace
        for eq in (workspace.framework.questions if workspace is not None else []):
            out.append((f"Question évaluative : {eq.number}. {eq.registre}",
                        partial(app.open_evaluative_question, eq.id), "Réponses associées, passages cités, jugement"))
        out.append(("Importer des fichiers (.docx, .json)", app.open_import,
                    "Comptes rendus Word ou paquets JSON d'autres enquêteurs"))
        for project in app.store.list_projects():
            title = clip(f"{project_label(project)} — {project.title}", 60)
            about = project.carrier or project.title
            out.append((f"Ouvrir : {title}", partial(app.open_project, project.id), about))
            out.append((f"Nouvel entretien : {title}", partial(app.new_interview, project.id), about))
            out.append((f"Exporter en Word : {title}", partial(app.export_project, project.id, "docx"), about))
            out.append((f"Exporter en JSON : {title}", partial(app.export_project, project.id, "json"), about))
        out.append((f"Mon nom d'enquêteur·rice : {clip(app.interviewer, 40) or 'à renseigner'}",
                    app.set_interviewer, "Auteur·rice de ce que vous saisissez, enquêteur·rice des nouveaux entretiens"))
        out.append(("Corbeille (entretiens supprimés)", app.open_trash,
                    "Restaurer un entretien supprimé, ou vider la corbeille"))
        out += screen_key_commands(app)
        out.append(("Aide", app.action_help, "Les touches et le déroulé d'un entretien"))
        out.append(("Quitter", app.action_quit, "Enregistre et quitte"))
        return out

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            if name.startswith(("Exporter en", "Nouvel entretien :", "Touche ")):
                continue  # listed once searched for, to keep the first list short
            # Titles come from the store: plain Text, never read as markup.
            yield DiscoveryHit(Text(name), command, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for name, command, help_text in self._commands():
            score, offsets = folded_match(matcher, name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name, offsets), command, text=name, help=escape(help_text))
