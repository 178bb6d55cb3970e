"""Help: the keys of the screen underneath (taken from its bindings, declared once) and
how an interview goes."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

# One line per point: the dialog wraps them once, to its own width (hard line breaks inside a
# point made it wrap twice at 80 columns).
WORKFLOW = """\
[b]Déroulé d'un entretien[/b]
1. Accueil : tapez quelques lettres pour filtrer les projets (accents et majuscules ignorés), Entrée ouvre le projet.
2. Projet : Entrée sur un entretien prévu ouvre sa fiche ; ctrl+n en prépare un nouveau. La fiche (grille, enquêteur, interlocuteurs, date, mode) et le consentement sont enregistrés avant l'ouverture de la grille ; ctrl+t l'ouvre de nouveau à tout moment (reporter, annuler, supprimer, rouvrir).
3. Grille : écrivez la réponse ; elle est enregistrée automatiquement pendant la frappe (au plus une seconde de retard), en changeant de question, en quittant. ctrl+e (ou F2 à F5) fixe l'état de la réponse ; écrire dans une réponse « non abordé », « refus » ou « sans objet » en fait une réponse. ctrl+o ouvre les notes de l'entretien, ctrl+d y insère l'heure.
4. Fin : ctrl+l montre ce qui reste, par section ; t termine l'entretien, r rouvre un entretien terminé.
   Marques : ✓ répondu  – non abordé  ✗ refus de répondre  ∅ sans objet  · sans réponse.
5. ctrl+p ouvre la palette de commandes : ouvrir un projet, exporter, importer, rechercher, corbeille.
"""


def _key_name(key: str) -> str:
    return key.replace("escape", "Échap").replace("enter", "Entrée")


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, what they do) for the screen's bindings, then the app's."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    sources = [screen, screen.app]
    for source in sources:
        for binding in getattr(source, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            keys = ", ".join(_key_name(k.strip()) for k in binding.key.split(","))
            tip = f" — {binding.tooltip}" if binding.tooltip else ""
            rows.append((keys, f"{binding.description}{tip}"))
    if any(getattr(b, "id", "") == "interview.next" for b in getattr(screen, "BINDINGS", [])):
        rows.append(("ctrl+z, ctrl+y", "Annuler, rétablir — la dernière frappe dans la réponse ou les notes"))
        rows.append(("ctrl+home, ctrl+end", "Début, fin de la réponse (home, end : début, fin de ligne)"))
    rows.append(("ctrl+p", "Palette de commandes — projets, export, import, recherche, corbeille"))
    return rows


def bindings_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for keys, what in rows:
        table.add_row(keys, what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Fermer", id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows = binding_rows(under)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Aide — touches de cet écran", classes="dialog-title")
            yield Static(bindings_table(self.rows))
            # a screen may say how its own work goes (the synthesis screens: the lead's chapter 4)
            yield Static(getattr(self.under, "HELP_WORKFLOW", WORKFLOW))
            yield Label("[dim]Échap ou F1 pour fermer.[/dim]")

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()
