"""The incremental wrap gives exactly Textual's offsets, edit after edit."""

from __future__ import annotations

import random

import pytest
from textual._wrap import compute_wrap_offsets as textual_wrap
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from pi87_field.tui.widgets import incremental_wrap
from pi87_field.tui.widgets.incremental_wrap import common_prefix_length, compute_wrap_offsets

WORDS = ["FSE", "l’expérimentation", "a", "été", "essaimée", "🙂", "עברית", "dans", "trois", "agences",
         "x" * 70, "conseillers", "employeurs", "—", "", "  "]


def test_common_prefix_length():
    assert common_prefix_length("abcdef", "abcxyz") == 3
    assert common_prefix_length("abc", "abc") == 3
    assert common_prefix_length("abc", "abcd") == 3
    assert common_prefix_length("", "a") == 0
    assert common_prefix_length("zbc", "abc") == 0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("width", [9, 37, 54])
def test_random_edits_wrap_like_textual(seed, width):
    rng = random.Random(seed)
    incremental_wrap._last.clear()
    text = " ".join(rng.choice(WORDS) for _ in range(1500))
    assert len(text) > incremental_wrap.LONG_LINE
    for _ in range(40):
        kind = rng.random()
        at = rng.randrange(len(text)) if rng.random() < 0.5 else len(text) - rng.randrange(20)
        if kind < 0.5:
            text = text[:at] + rng.choice(["a", " ", "mot ", "🙂", "x" * 80, "é"]) + text[at:]
        elif kind < 0.8:
            text = text[:at] + text[at + rng.randrange(1, 5):]
        else:
            text = text[:at] + text[at + rng.randrange(100, 400):] + " fin"
        assert compute_wrap_offsets(text, width, 4) == textual_wrap(text, width, 4)


@pytest.mark.parametrize("seed", range(3))
def test_sections_are_textual_sections(seed):
    rng = random.Random(seed)
    words = WORDS + ["\x07", "a\rb", "\x0c"] if seed == 2 else WORDS
    lines = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 900))) for _ in range(5)]
    wrapped = WrappedDocument(Document("\n".join(lines)), width=41)
    for index in range(len(lines)):
        assert incremental_wrap.get_sections(wrapped, index) == incremental_wrap.textual_get_sections(wrapped, index)
