"""Incremental soft wrapping of very long lines for the answer editor.

On every keystroke Textual 8.2 re-wraps the whole edited line (`compute_wrap_offsets`), which
costs ~50 ms for a 100 KB paragraph. Greedy wrapping restarts cleanly at a line break, so
when the text only changed after some point, every break before that point still holds and
only the rest needs computing. The result is the same list of offsets (tests compare them
on random edits); lines with tabs or shorter than LONG_LINE take Textual's path.
`get_sections` (used on every cursor move) is likewise answered with plain string slices.

This patches Textual's private `textual.document._wrapped_document` for every TextArea of the
process, so it is fenced: nothing happens on import; `make_app` calls `install()`, which
patches only when the running Textual is the version the patch was tested against
(TESTED_TEXTUAL, the exact pin of pyproject.toml). Any other version keeps Textual's stock
behaviour (correct, only slower on very long lines).
"""

from __future__ import annotations

import re
from bisect import bisect_right

import textual
import textual.document._wrapped_document as _wrapped_document
from textual._wrap import compute_wrap_offsets as textual_compute_wrap_offsets
from textual.document._wrapped_document import WrappedDocument

TESTED_TEXTUAL = "8.2.8"

textual_get_sections = WrappedDocument.get_sections
# Characters rich.Text drops (rich.control.strip_control_codes): with them, slices would differ.
_STRIPPED_BY_RICH = re.compile("[\x07\x08\x0b\x0c\x0d]")

LONG_LINE = 4000

# The last long line wrapped, per (width, tab size, fold): its text and offsets.
_last: dict[tuple[int, int, bool], tuple[str, list[int]]] = {}


def common_prefix_length(a: str, b: str) -> int:
    """Length of the common prefix (binary search over C-speed slice comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def compute_wrap_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                         precomputed_tab_sections: list[tuple[str, int]] | None = None) -> list[int]:
    if len(text) < LONG_LINE or width < 8 or "\t" in text:
        return textual_compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    key = (width, tab_size, fold)
    previous = _last.get(key)
    offsets: list[int]
    if previous is None:
        offsets = textual_compute_wrap_offsets(text, width, tab_size, fold)
    else:
        old_text, old_offsets = previous
        same = common_prefix_length(old_text, text)
        # Breaks at or before `same` are known; the last of them may depend on the changed
        # word, so drop it and restart at the one before.
        keep = max(0, bisect_right(old_offsets, same) - 1)
        kept = old_offsets[:keep]
        restart = kept[-1] if kept else 0
        tail = textual_compute_wrap_offsets(text[restart:], width, tab_size, fold)
        offsets = kept + [restart + offset for offset in tail]
    _last.clear()
    _last[key] = (text, offsets)
    return offsets


def get_sections(self: WrappedDocument, line_index: int) -> list[str]:
    """The wrapped sections of a line as plain slices (Textual builds a rich Text and divides
    it at every offset; on a 100 KB line that is ~2,000 objects per cursor move)."""
    line = self.document[line_index]
    if _STRIPPED_BY_RICH.search(line):
        return textual_get_sections(self, line_index)
    offsets = self._wrap_offsets[line_index]
    starts = [0, *offsets]
    ends = [*offsets, len(line)]
    return [line[a:b] for a, b in zip(starts, ends)]


def install() -> bool:
    """Route the wrapped documents of every TextArea through the faster paths, if the running
    Textual is the tested one (otherwise leave Textual as it is). True when installed."""
    if textual.__version__ != TESTED_TEXTUAL:
        return False
    _wrapped_document.compute_wrap_offsets = compute_wrap_offsets
    WrappedDocument.get_sections = get_sections  # type: ignore[method-assign]
    return True


def installed() -> bool:
    return (_wrapped_document.compute_wrap_offsets is compute_wrap_offsets
            and WrappedDocument.get_sections is get_sections)


def uninstall() -> None:
    """Give Textual its own functions back."""
    _wrapped_document.compute_wrap_offsets = textual_compute_wrap_offsets
    WrappedDocument.get_sections = textual_get_sections  # type: ignore[method-assign]
