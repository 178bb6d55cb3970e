"""Import write-ups (.docx) or bundles (.json) from the home screen: type a path (a file or a
folder) or pick one in the tree below."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.markup import escape
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, Static

from pi87_field.core.exchange.importing import ImportReport, import_files
from pi87_field.core.exchange.reconcile import ConflictKind, Outcome, conflict_place, conflicts_by_kind
from pi87_field.core.fr import plural
from pi87_field.tui.base import FieldApp

SUFFIXES = (".docx", ".json")


class ImportTree(DirectoryTree):
    """Folders, and the files import can read."""

    def filter_paths(self, paths):
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SUFFIXES)]


def expand_paths(raw: str) -> list[Path]:
    """One path, or several separated by ';'. A folder means its .docx and .json files."""
    out: list[Path] = []
    for part in raw.split(";"):
        part = part.strip().strip('"').strip("'")
        if not part:
            continue
        path = Path(part).expanduser()
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            out.append(path)
    return out


def summary(report: ImportReport) -> str:
    totals = report.totals()
    parts = []
    for outcome in Outcome:
        if totals.get(outcome):
            parts.append(outcome.count_label(totals[outcome]))
    ok = sum(1 for f in report.files if not f.error)
    text = plural(ok, "fichier importé", "fichiers importés") + (f" — {', '.join(parts)}" if parts else "")
    notices = [f"• {f.path.name} : {n}" for f in report.files for n in f.notices]
    return "\n".join([text, *notices])


def conflict_lines(store, report: ImportReport, limit: int = 5) -> str:
    """One line per conflict, where a person finds it (project label, interview, "6.1")."""
    groups = conflicts_by_kind(report.conflicts)
    if not groups:
        return ""
    lines: list[str] = []
    shown = 0
    for kind, conflicts in groups.items():
        lines.append(f"{kind.heading} : {plural(len(conflicts), 'conflit', 'conflits')}, "
                     f"{kind.kept} ({_SETTLE_KEYS[kind]})")
        for c in conflicts:
            if shown < limit:
                lines.append(f"• {conflict_place(store, c)}")
            shown += 1
    if shown > limit:
        lines.append(f"… et {plural(shown - limit, 'autre', 'autres')}")
    return "\n".join(lines)


# Where each kind of conflict is settled in the TUI (core.exchange.reconcile.ConflictKind).
_SETTLE_KEYS = {
    ConflictKind.ANSWER: "ctrl+r sur la question pour choisir",
    ConflictKind.FACT: "ctrl+t dans l'entretien, ou la fiche du projet, pour corriger",
    ConflictKind.LIFE_CYCLE: "ctrl+l dans l'entretien : terminer, rouvrir ou reporter",
    ConflictKind.SYNTHESIS: "v dans la synthèse : sur la question évaluative, les conclusions (c), les "
                            "préconisations (o), les documents (d) ; la cellule dans la matrice",
}


class ImportScreen(ModalScreen[ImportReport | None]):
    app = getters.app(FieldApp)

    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer", id="import.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Label("Importer des comptes rendus (.docx) ou des paquets (.json)", classes="dialog-title")
            yield Input(placeholder="Chemin d'un fichier ou d'un dossier (plusieurs : séparés par ;)",
                        id="import-path")
            yield ImportTree(Path.cwd(), id="import-tree")
            yield Static("[dim]Entrée dans le champ : importer · un fichier choisi dans l'arbre remplit le champ[/dim]",
                         id="import-status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        field = self.query_one(Input)
        field.value = str(event.path)
        field.focus()

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        paths = expand_paths(event.value)
        if not paths:
            self.query_one("#import-status", Static).update("Indiquez un fichier .docx ou .json, ou un dossier.")
            return
        self.run_import(paths)

    @work(exclusive=True, group="import")
    async def run_import(self, paths: list[Path]) -> None:
        status = self.query_one("#import-status", Static)
        status.update(f"Import de {plural(len(paths), 'fichier')}…")
        self.app.flush_pending()
        report = await asyncio.to_thread(import_files, self.app.store, paths)
        self.app.store_changed()
        for failed in report.errors:
            self.notify(failed.error, title="Fichier ignoré", severity="error", timeout=12)
        text = summary(report)
        conflicts = conflict_lines(self.app.store, report)
        if conflicts:
            text += "\n" + conflicts
        status.update(escape(text))
        if report.ok:
            self.notify(text, title="Import terminé", timeout=10)
            if self.is_active:
                self.dismiss(report)
