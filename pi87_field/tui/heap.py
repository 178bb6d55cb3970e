"""Keep the garbage collector's full passes off the keystrokes while an interview is open.

Measured (tests/benchmarks/bench_tui.py, issue 11 item 15): the rare long frames while typing were
CPython's generation-2 collections, 50–110 ms each, walking every object the app holds (Textual's
widgets, styles and caches, the answer's wrap offsets). Their cost grows with the answer, so a
100 KB answer had a key → frame p99 of 2–3.5x the empty answer's.

`gc.freeze()` (public API since Python 3.7) moves every object alive at that moment into a
permanent generation that collections skip; objects created afterwards are collected as usual.
An interview screen holds the heap frozen while it is open (typing is what must stay fluid) and
releases it when it closes: `gc.unfreeze()` hands the objects back to the collector, so screens and
answers left behind are still reclaimed. Holds nest (an interview opened over another one).
"""

from __future__ import annotations

import gc

_holders = 0


def hold() -> None:
    """Freeze what is alive now; the next full collection walks only what is created later."""
    global _holders
    _holders += 1
    gc.freeze()


def release() -> None:
    """Undo one `hold`; the last one hands every frozen object back to the collector."""
    global _holders
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0:
        gc.unfreeze()
