"""What every benchmark module shares: percentiles, the shape of a figure, a memory peak.

A figure is one measured value with at least one baseline measured in the same run, on the
same machine, and the ratio value / baseline (below 1: faster or smaller than the baseline):

    {"value": 3.2, "unit": "ms", "what": "p95 of save_answer",
     "baselines": {"sqlite_wal": {"value": 2.1, "ratio": 1.52}}}
"""

from __future__ import annotations

import statistics
import tracemalloc
from collections.abc import Callable
from typing import Any


def pct(values: list[float], q: float) -> float:
    """The q-quantile of values (nearest rank; q=0.5 is the median, 0.95 the p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def _round(value: float) -> float:
    """Four significant digits: more than any benchmark here can tell apart."""
    return float(f"{value:.4g}")


def figure(value: float, unit: str, baselines: dict[str, float], what: str = "", **details: Any) -> dict:
    """One figure with its baselines and ratios (see the module docstring)."""
    if not baselines:
        raise ValueError("a figure needs a baseline measured in the same run")
    out: dict[str, Any] = {"value": _round(value), "unit": unit}
    if what:
        out["what"] = what
    out["baselines"] = {name: {"value": _round(base), "ratio": _round(value / base) if base else None}
                        for name, base in baselines.items()}
    out.update(details)
    return out


def traced_peak_mb(action: Callable[[], object]) -> float:
    """Peak of Python allocations (MB) while `action` runs, measured by tracemalloc.

    Run it in a pass of its own: tracing slows allocation-heavy code, so its time is not used."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
