"""The transcript's dialogs, opened from the interview screen (its pane asks, the palette asks):
import a file (with a confirmation before replacing another transcript) and "décaler de ±N s".
The store does the work (`attach_transcript`, `shift_transcript`); `on_changed` gets the
interview as saved (the screen reloads its pane)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from pi87_field.core.errors import FieldError, os_reason
from pi87_field.core.model import Interview
from pi87_field.core.transcript import TranscriptExistsError, parse_started_at, read_transcript_file
from pi87_field.tui.base import FieldApp
from pi87_field.tui.screens.dialogs import AskDialog, ConfirmDialog

TITLE = "Transcription"


def _error(exc: Exception) -> str:
    return str(exc) if isinstance(exc, FieldError) else os_reason(exc) if isinstance(exc, OSError) else str(exc)


def ask_shift(screen: Screen, app: FieldApp, project_id: str, interview_id: str,
              on_changed: Callable[[Interview], None]) -> None:
    def answered(values: dict[str, str] | None) -> None:
        raw = (values or {}).get("seconds", "").strip().replace(",", ".").replace("−", "-")
        if not raw:
            return
        try:
            seconds = float(raw.removesuffix("s").strip())
        except ValueError:
            screen.notify(f"« {raw} » n'est pas un nombre de secondes (par exemple -12 ou +5).",
                          title=TITLE, severity="error")
            return
        try:
            interview = app.store.life_cycle.shift_transcript(project_id, interview_id, seconds)
        except (FieldError, OSError) as exc:
            screen.notify(_error(exc), title=TITLE, severity="error")
            return
        screen.notify(f"Transcription décalée de {seconds:+g}\u00a0s : découpage refait.", title=TITLE)
        on_changed(interview)

    app.push_screen(AskDialog("Décaler la transcription", [
        ("seconds", "Secondes (négatif : plus tôt), par exemple -12 ou +5", "")],
        note="Chaque réplique est de nouveau placée sur la question affichée à ce moment-là."), answered)


def ask_import(screen: Screen, app: FieldApp, project_id: str, interview_id: str,
               on_changed: Callable[[Interview], None]) -> None:
    """Palette "Importer une transcription": a file, an optional start time."""
    def answered(values: dict[str, str] | None) -> None:
        if not values or not values.get("path", "").strip():
            return
        path = Path(values["path"].strip().strip("'\"")).expanduser()
        import_file(screen, app, project_id, interview_id, on_changed, path, values.get("start", ""))

    app.push_screen(AskDialog("Importer une transcription", [
        ("path", "Fichier (.vtt, .srt ou .json de Whisper)", ""),
        ("start", "Début de l'enregistrement (vide : début de la première séance)", "")],
        note="Chaque réplique va à la question affichée à ce moment-là de l'entretien."), answered)


def import_file(screen: Screen, app: FieldApp, project_id: str, interview_id: str,
                on_changed: Callable[[Interview], None], path: Path, start: str = "", *,
                replace: bool = False) -> None:
    try:
        started_at = parse_started_at(start) if start.strip() else None
        parsed = read_transcript_file(path)
        interview, outcome = app.store.life_cycle.attach_transcript(project_id, interview_id, parsed, started_at=started_at,
                                                         replace=replace)
    except TranscriptExistsError as exc:
        def confirmed(yes: bool | None) -> None:
            if yes:
                import_file(screen, app, project_id, interview_id, on_changed, path, start, replace=True)

        held = str(exc).split(" : confirmez")[0]
        app.push_screen(ConfirmDialog("Remplacer la transcription ?",
                                      f"{held}. La nouvelle version ({path.name}) la remplace."), confirmed)
        return
    except (FieldError, OSError) as exc:
        screen.notify(_error(exc), title="Transcription non importée", severity="error", timeout=10)
        return
    screen.notify(f"{outcome.label.capitalize()}.", title=TITLE)
    on_changed(interview)
