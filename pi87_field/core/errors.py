"""Errors the faces (CLI, TUI) turn into one clear line for the user."""

from __future__ import annotations

import errno


class FieldError(Exception):
    """Base class: its message is a complete, user-facing sentence (French)."""


class GuideError(FieldError):
    """A guide file is malformed; the message names file and line."""


class StoreError(FieldError):
    """The store cannot do what was asked (bad id, unknown project...)."""


class DamagedFileError(StoreError):
    """A store file cannot be read. It is kept as it is, never overwritten."""

    def __init__(self, path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Fichier endommagé, conservé tel quel : {path} ({reason})")


class SheetError(StoreError):
    """The interview's sheet lacks something; `field` names it ("interviewees", "mode", "consent")."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message)


class InterviewGoneError(StoreError):
    """The interview's file is no longer in its project (moved to the trash, deleted)."""


class InterviewLockedError(StoreError):
    """The answers of this interview are locked (consent withdrawn, finished, cancelled)."""

    def __init__(self, lock) -> None:
        self.lock = lock
        super().__init__(f"Réponses verrouillées ({lock.label}) : {lock.remedy}. Rien n'a été modifié.")


class StoreLockedError(StoreError):
    """Another process holds the single-writer lock of the data directory."""


class ImportFormatError(FieldError):
    """An input file is not a pi87-field bundle or write-up, or is damaged."""


class FileWriteError(FieldError, OSError):
    """Writing a file failed (disk full, permission refused, a folder in the way...): the message
    is French and names the file the user asked for, never a temp file. Still an OSError (errno
    kept) for callers that tell a full disk apart."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


_OS_REASONS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EISDIR: "est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENAMETOOLONG: "nom trop long",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.EBUSY: "fichier occupé",
    errno.ETXTBSY: "fichier occupé",
    errno.EXDEV: "autre disque",
}


def os_reason(exc: OSError) -> str:
    """A short French reason for a failed file operation."""
    return _OS_REASONS.get(exc.errno or 0, "erreur du système de fichiers")
