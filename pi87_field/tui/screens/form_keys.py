"""Tab and shift+tab in a form, as priority bindings: focus moves the moment the key arrives.

Without them, keys arriving in one burst (a text expander typing "Chargée⇥MEF", a fast typist)
were all forwarded to the focused field before that field handled the tab: Fonction read
"ChargéeMEF". A priority binding is run by the app as the key arrives, so the keys after it go
to the next field."""

from __future__ import annotations

from textual.binding import Binding

FOCUS_BINDINGS = [
    Binding("tab", "app.focus_next", "Champ suivant", show=False, priority=True, id="form.next"),
    Binding("shift+tab", "app.focus_previous", "Champ précédent", show=False, priority=True, id="form.previous"),
]
