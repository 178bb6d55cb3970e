"""Tags typed as a comma-separated list, completed from the codebook (→ accepts the suggestion)."""

from __future__ import annotations

from textual.suggester import Suggester
from textual.widgets import Input

from pi87_field.core.text import fold


class TagSuggester(Suggester):
    """Suggests the codebook tag that starts with the last item typed (accents and case ignored)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        key = fold(typed)
        for name in self.names:
            if fold(name).startswith(key) and name != typed:
                prefix = f"{head}," if head else ""
                spacing = last[: len(last) - len(typed)]
                return f"{prefix}{spacing}{name}"
        return None


def split_tags(value: str) -> list[str]:
    out: list[str] = []
    for item in value.split(","):
        item = " ".join(item.split())
        if item and item not in out:
            out.append(item)
    return out


class TagInput(Input):
    """An Input for tags: "expérimentation, numérique : outil"."""

    def __init__(self, names: list[str], value: str = "", **kwargs) -> None:
        super().__init__(value=value, suggester=TagSuggester(names),
                         placeholder="Étiquettes, séparées par des virgules (→ complète)", **kwargs)

    @property
    def tags(self) -> list[str]:
        return split_tags(self.value)
