"""Hostile texts every output must carry through unharmed: control characters, emoji, right-to-left,
CR/LF mixes, a 100 KB answer."""

from __future__ import annotations

HOSTILE_TEXTS = {
    "control": "avant\x00\x01\x07\x1b[31mrouge\x7f\x85 après\ud800",
    "emoji": "Très bien 👍🏽 — l’équipe 👩‍👩‍👧 a « adoré » 🎉",
    "rtl": "مرحبا بالعالم — שלום עולם ‏(RTL)‏ mixed",
    "crlf": "ligne 1\r\nligne 2\r\n\r\nparagraphe 2\rfin",
    "long": ("Un très long entretien, répété. " * 3300)[:100_000],
}
