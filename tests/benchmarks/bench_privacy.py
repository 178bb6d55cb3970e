"""Pseudonymisation cost: merge of 127 write-ups (JSON bundles of 3 interviews, 800-character
answers) with and without `--pseudonymise`, measured in the same run.

    .venv/bin/python -m tests.benchmarks.bench_privacy [--count 127]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=127)
    args = parser.parse_args(argv)
    from pi87_field.core.bundle import read_bundle_file
    from pi87_field.core.merge import merge_files
    from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
    from tests.benchmarks.bench_merge import generate

    with tempfile.TemporaryDirectory(prefix="pi87-bench-privacy-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, args.count, "json")
        bundles = [read_bundle_file(p) for p in paths]
        texts = sum(len(a.text) for b in bundles for i in b.interviews for a in i.answers.values())
        start = time.perf_counter()
        _, report = pseudonymise_bundles(bundles, PseudonymRegister.in_memory())
        alone = time.perf_counter() - start
        timings = {}
        for label, flag in (("nominative", False), ("pseudonymised", True)):
            start = time.perf_counter()
            merge_files(paths, folder / f"{label}.docx", pseudonymise=flag)
            timings[label] = time.perf_counter() - start
        print(f"{args.count} bundles, {texts / 1e6:.1f} M characters of answers")
        print(f"pseudonymise_bundles alone: {alone:.2f} s ({texts / alone / 1e6:.1f} M characters/s), "
              f"{len(report.items)} residual words")
        print(f"merge: nominative {timings['nominative']:.2f} s, pseudonymised {timings['pseudonymised']:.2f} s")


if __name__ == "__main__":
    main()
