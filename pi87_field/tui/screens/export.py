"""Export from the TUI: one project or all, Word or JSON, pseudonymised or not, into the data
folder's exports location (remembered per data folder, never the folder the app was started
from). A write-up changed on disk since pi87-field wrote it (Word edits not yet imported) is
never replaced without asking."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioSet, Static

from pi87_field.core.errors import FieldError, os_reason
from pi87_field.core.exchange.exporting import export_project_result, export_target
from pi87_field.core.exchange.ledger import ExportLedger
from pi87_field.core.fr import plural
from pi87_field.core.summary import project_label
from pi87_field.locations import exports_dir, set_exports_dir
from pi87_field.tui.base import FieldApp
from pi87_field.tui.widgets.toggles import ReadableCheckbox, ReadableRadioButton


class ExportScreen(ModalScreen[list[Path] | None]):
    app = getters.app(FieldApp)

    BINDINGS = [
        Binding("ctrl+s", "export", "Exporter", id="export.run", priority=True),
        Binding("o", "overwrite", "Écraser", id="export.overwrite", show=False),
        Binding("p", "skip_changed", "Passer", id="export.skip", show=False),
        Binding("escape", "close", "Fermer", id="export.close"),
    ]

    scope = getters.query_one("#x-scope", RadioSet)
    kind = getters.query_one("#x-format", RadioSet)
    folder_input = getters.query_one("#x-folder", Input)
    status = getters.query_one("#x-status", Static)

    def __init__(self, project_id: str | None = None, fmt: str = "docx") -> None:
        super().__init__()
        self.project_id = project_id
        self.fmt = fmt
        self._changed: list[Path] = []
        self._plan: list[tuple[str, Path]] = []

    def compose(self) -> ComposeResult:
        store = self.app.store
        count = len(store.list_projects())
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Exporter des comptes rendus", classes="dialog-title")
            with RadioSet(id="x-scope", compact=True):
                if self.project_id:
                    try:
                        name = project_label(store.get_project(self.project_id))
                    except FieldError:
                        name = self.project_id
                    yield ReadableRadioButton(Text(f"Ce projet : {name}"), value=True, id="x-one")
                yield ReadableRadioButton(f"Tous les projets ({count})", value=not self.project_id, id="x-all")
            with RadioSet(id="x-format", compact=True):
                yield ReadableRadioButton("Word (.docx)", value=self.fmt == "docx", id="x-docx")
                yield ReadableRadioButton("JSON (paquet d'échange)", value=self.fmt == "json", id="x-json")
            with RadioSet(id="x-edition", compact=True):
                yield ReadableRadioButton("Édition de travail (tout, réimportable)", value=True, id="x-working")
                yield ReadableRadioButton("Édition client (Word : sans journal, notes ni copie)", id="x-client")
            yield ReadableCheckbox("Pseudonymiser (noms remplacés, pour diffusion)", id="x-pseudo", compact=True)
            yield Label("Dossier")
            yield Input(str(exports_dir(store.root)), id="x-folder", compact=True)
            yield ReadableCheckbox("Se souvenir de ce dossier", id="x-remember", compact=True)
            yield Static(Text("ctrl+s : exporter · Échap : fermer", style="dim"), id="x-status")

    def on_mount(self) -> None:
        self.scope.focus()

    @property
    def edition(self) -> str:
        pressed = self.query_one("#x-edition", RadioSet).pressed_button
        return "client" if pressed is not None and pressed.id == "x-client" else "travail"

    def _chosen(self) -> tuple[list[str], str, bool, Path]:
        store = self.app.store
        everything = not self.project_id or self.scope.pressed_button is None \
            or self.scope.pressed_button.id == "x-all"
        ids = [p.id for p in store.list_projects()] if everything else [self.project_id or ""]
        fmt = "json" if self.kind.pressed_button is not None and self.kind.pressed_button.id == "x-json" else "docx"
        pseudo = self.query_one("#x-pseudo", Checkbox).value
        return ids, fmt, pseudo, Path(self.folder_input.value.strip() or ".").expanduser()

    def action_export(self) -> None:
        ids, fmt, pseudo, folder = self._chosen()
        if folder.exists() and not folder.is_dir():
            self.status.update(Text(f"Ce n'est pas un dossier : {folder}", style="red"))
            return
        if self.edition == "client" and fmt != "docx":
            self.status.update(Text("L'édition client n'existe qu'en Word : choisissez Word (.docx).", style="red"))
            return
        self.app.flush_pending()
        ledger = ExportLedger(self.app.store.root)
        self._plan = [(pid, export_target(pid, folder, fmt, pseudonymise=pseudo, edition=self.edition))
                      for pid in ids]
        self._changed = [target for _pid, target in self._plan if ledger.changed(target)]
        if self._changed:
            names = ", ".join(t.name for t in self._changed[:3]) + (" …" if len(self._changed) > 3 else "")
            count = len(self._changed)
            self.status.update(Text.assemble(
                (f"⚠ {plural(count, 'fichier modifié', 'fichiers modifiés')} depuis "
                 "le dernier export de pi87-field", "bold red"), f" ({names}) : des modifications faites "
                "dans Word ne sont peut-être pas encore importées (ctrl+o).\n",
                ("o", "bold"), " écraser quand même · ", ("p", "bold"), " passer ces fichiers · ",
                ("Échap", "bold"), " annuler"))
            self.refresh_bindings()
            return
        self._run(self._plan, fmt, pseudo, folder)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("overwrite", "skip_changed"):
            return bool(self._changed) and not isinstance(self.focused, Input)
        return True

    def action_overwrite(self) -> None:
        ids, fmt, pseudo, folder = self._chosen()
        self._changed = []
        self._run(self._plan, fmt, pseudo, folder)

    def action_skip_changed(self) -> None:
        ids, fmt, pseudo, folder = self._chosen()
        plan = [(pid, t) for pid, t in self._plan if t not in self._changed]
        self._changed = []
        self._run(plan, fmt, pseudo, folder)

    @work(exclusive=True, group="export")
    async def _run(self, plan: list[tuple[str, Path]], fmt: str, pseudo: bool, folder: Path) -> None:
        self.refresh_bindings()
        if not plan:
            self.status.update(Text("Rien à exporter.", style="yellow"))
            return
        self.status.update(Text(f"Export de {plural(len(plan), 'projet')}…"))
        store = self.app.store
        residual: list[tuple[int, Path]] = []
        written, failed = await asyncio.to_thread(_export_all, store, [pid for pid, _t in plan], folder, fmt, pseudo,
                                                  residual, self.edition)
        if written:
            try:
                ExportLedger(store.root).record(written)
            except OSError:
                pass  # the files are written; only the overwrite check will ask next time
        if self.query_one("#x-remember", Checkbox).value:
            try:
                set_exports_dir(store.root, folder)
            except OSError as exc:
                self.notify(f"Dossier non mémorisé ({os_reason(exc)})", severity="warning")
        for message in failed:
            self.notify(message, title="Non exporté", severity="error", timeout=12)
        if written:
            count = len(written)
            self.notify(f"{plural(count, 'fichier')} dans {folder}", title="Exporté", timeout=8)
        if residual:
            # The residual-risk list stays beside the files (never inside them): say where, and how long.
            words = sum(n for n, _ in residual)
            where = residual[0][1] if len(residual) == 1 else folder
            self.notify(f"{plural(words, 'mot à majuscule laissé', 'mots à majuscule laissés')} : à vérifier "
                        f"avant l'envoi (liste : {where}, à ne pas transmettre).",
                        title="Pseudonymisation", severity="warning" if words else "information", timeout=20)
        if not failed:
            self.dismiss(written)
        else:
            self.status.update(Text(f"{plural(len(written), 'fichier exporté', 'fichiers exportés')}, "
                                    f"{len(failed)} en échec.", style="red"))

    def action_close(self) -> None:
        if self._changed:
            self._changed = []
            self.status.update(Text("Export annulé.", style="dim"))
            self.refresh_bindings()
            return
        self.dismiss(None)

    @on(Input.Submitted, "#x-folder")
    def _submitted(self) -> None:
        self.action_export()


def _export_all(store, ids: list[str], folder: Path, fmt: str, pseudo: bool,
                residual: list[tuple[int, Path]] | None = None,
                edition: str = "travail") -> tuple[list[Path], list[str]]:
    """Export each project; a pseudonymised one adds (words left to check, sidecar) to `residual`."""
    written: list[Path] = []
    failed: list[str] = []
    for pid in ids:
        try:
            result = export_project_result(store, pid, folder, fmt, pseudonymise=pseudo, edition=edition)
            written.append(result.path)
            if residual is not None and result.sidecar is not None and result.report is not None:
                residual.append((len(result.report.items), result.sidecar))
        except FieldError as exc:
            failed.append(str(exc))
        except ImportError:
            failed.append("L'export Word n'est pas disponible dans cette version : utilisez l'export JSON.")
        except OSError as exc:
            failed.append(f"Écriture impossible ({os_reason(exc)}) : {folder}")
    return written, failed
