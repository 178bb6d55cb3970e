"""Checkbox and radio button readable without colour: the mark itself says on or off.

Textual draws the same glyph for both states and tells them apart by colour only, which a
monochrome terminal, a screen reader or a copied screen loses ("X" checked or not?)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class ReadableCheckbox(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class ReadableRadioButton(RadioButton):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button
