"""Errors the faces (CLI, TUI) turn into one clear line for the user."""

from __future__ import annotations


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


class StoreLockedError(StoreError):
    """Another process holds the single-writer lock of the data directory."""


class ImportFormatError(FieldError):
    """An input file is not a pi87-field bundle or write-up, or is damaged."""
