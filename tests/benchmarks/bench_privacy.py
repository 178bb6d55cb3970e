"""Pseudonymisation cost: the merge of 127 write-ups (JSON bundles, 3 interviews each, 800-character
answers) with `--pseudonymise`, against the same merge without it, measured in the same run; and
`pseudonymise_bundles` alone against reading the bundles.

    .venv/bin/python -m tests.benchmarks --only privacy
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import figure


def run(quick: bool = False) -> dict:
    from pi87_field.core.bundle import read_bundle_file
    from pi87_field.core.merge import merge_files
    from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
    from tests.benchmarks.bench_merge import generate

    count = 6 if quick else 127
    with tempfile.TemporaryDirectory(prefix="pi87-bench-privacy-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, count, "json")
        start = time.perf_counter()
        bundles = [read_bundle_file(p) for p in paths]
        read = time.perf_counter() - start
        chars = sum(len(a.text) for b in bundles for i in b.interviews for a in i.answers.values())
        start = time.perf_counter()
        _, report = pseudonymise_bundles(bundles, PseudonymRegister.in_memory())
        alone = time.perf_counter() - start
        timings = {}
        for label, flag in (("nominative", False), ("pseudonymised", True)):
            start = time.perf_counter()
            merge_files(paths, folder / f"{label}.docx", pseudonymise=flag)
            timings[label] = time.perf_counter() - start
    return {
        "params": {"bundles": count, "answer_characters": chars, "residual_words": len(report.items)},
        "figures": {
            "pseudonymise_bundles": figure(alone, "s", {"read_bundles": read},
                                           what=f"pseudonymise {count} bundles, one register"),
            "merge_pseudonymised": figure(timings["pseudonymised"], "s", {"merge_nominative": timings["nominative"]},
                                          what=f"merge --pseudonymise of {count} bundles"),
        },
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
