"""Benchmark: import of 127 JSON bundles (3 interviews each, the full case-study grid, ~800
characters per answer) into a fresh store, against reading and parsing the same files and
nothing else (the part of an import no store can avoid), same run.

- first import: every interview is new and written durably (fsync of file and folder);
- re-import of the same files: every answer is already there, nothing is written;
- memory: the tracemalloc peak of a first import into another fresh store, against the peak of
  parsing the same files (each in a pass of its own: tracing slows allocation down).

Run:  python -m tests.benchmarks --only import
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pi87_field.core.bundle import bundle_to_bytes
from pi87_field.core.exchange.importing import import_files, read_input
from pi87_field.core.store import ProjectStore
from tests.benchmarks.common import figure, traced_peak_mb
from tests.support.merge_bundles import full_case_bundle

EVALUATORS = ["Alice Martin", "Bruno Lefèvre", "Chloé Dubois", "David Nguyen", "Emma Rossi"]


def generate(folder: Path, count: int, interviews: int, chars: int) -> list[Path]:
    paths = []
    for n in range(1, count + 1):
        bundle = full_case_bundle(f"ec{n:03d}-bench", n, EVALUATORS[n % len(EVALUATORS)],
                                  interviews=interviews, answer_chars=chars, seed=n)
        path = folder / f"ec{n:03d}.json"
        path.write_bytes(bundle_to_bytes(bundle))
        paths.append(path)
    return paths


def parse_only(paths: list[Path]) -> int:
    answers = 0
    for path in paths:
        bundle, _ = read_input(path)
        answers += sum(len(i.answers) for i in bundle.interviews)
    return answers


def timed(action) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = action()
    return time.perf_counter() - t0, value


def import_into(root: Path, paths: list[Path]):
    with ProjectStore.open(root, seed=False) as store:
        return import_files(store, paths)


def run(quick: bool = False) -> dict:
    """The figures of `python -m tests.benchmarks`."""
    count, interviews, chars = (3, 1, 200) if quick else (127, 3, 800)
    with tempfile.TemporaryDirectory(prefix="bench-import-", dir=Path.cwd()) as tmp:
        folder = Path(tmp)
        inputs = folder / "inputs"
        inputs.mkdir()
        paths = generate(inputs, count, interviews, chars)
        parse_only(paths[:1])                                    # imports, caches
        parse_s, answers = timed(lambda: parse_only(paths))
        first_s, report = timed(lambda: import_into(folder / "store", paths))
        again_s, again = timed(lambda: import_into(folder / "store", paths))
        errors = len(report.errors) + len(again.errors)
        import_peak = traced_peak_mb(lambda: import_into(folder / "traced-store", paths))
        parse_peak = traced_peak_mb(lambda: parse_only(paths))
        input_mb = sum(p.stat().st_size for p in paths) / 2**20
    return {"params": {"bundles": count, "interviews": interviews, "chars": chars, "answers": answers,
                       "input_mb": round(input_mb, 2), "errors": errors},
            "figures": {
                "import_first": figure(first_s, "s", {"read_and_parse_only": parse_s},
                                       what=f"import of {count} bundles into a fresh durable store"),
                "import_again": figure(again_s, "s", {"read_and_parse_only": parse_s},
                                       what="the same files again: nothing new, nothing written"),
                "import_traced_peak": figure(import_peak, "MB", {"read_and_parse_only": parse_peak},
                                             what="tracemalloc peak of Python allocations"),
            }}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
