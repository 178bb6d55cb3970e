"""Benchmark: merge of 127 write-ups (3 interviews each, the full case-study grid, ~800
characters per answer) into the consolidated volume. Target: under 20 s, memory peak reported.

Inputs are generated first (not timed): Word write-ups made by the real exporter
(`docx_export.write_project_docx`), or JSON bundles with `--format json`. Each measured run is
a fresh Python process, so that its peak resident memory (ru_maxrss) is its own:

- baseline  read and parse every input only (`importing.read_input`), nothing kept;
- merge     `merge.merge_files`: read, reconcile, build the volume, write it atomically.

A last merge run under tracemalloc reports the peak of Python allocations (its time is not
used: tracemalloc slows allocation-heavy code down).

Run:  python -m tests.benchmarks.bench_merge [--count 127] [--runs 3] [--format docx|json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def generate(folder: Path, count: int, fmt: str) -> list[Path]:
    from pi87_field.core.bundle import bundle_to_bytes
    from pi87_field.core.word.writeup import write_project_docx
    from tests.unit.test_merge_fixtures import full_case_bundle, guides

    library = guides()
    evaluators = ["Alice Martin", "Bruno Lefèvre", "Chloé Dubois", "David Nguyen", "Emma Rossi"]
    paths = []
    for n in range(1, count + 1):
        bundle = full_case_bundle(f"ec{n:03d}-bench", n, evaluators[n % len(evaluators)],
                                  interviews=3, answer_chars=800, seed=n)
        path = folder / f"ec{n:03d}.{fmt}"
        if fmt == "docx":
            write_project_docx(bundle, library, path)
        else:
            path.write_bytes(bundle_to_bytes(bundle))
        paths.append(path)
    return paths


def child(mode: str, folder: Path) -> dict:
    """One measured run, in its own process. Prints a JSON line."""
    import resource

    paths = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".json") and not p.name.startswith("volume"))
    out = folder / "volume.docx"
    result: dict = {"mode": mode, "inputs": len(paths)}
    if mode == "trace":
        import tracemalloc

        tracemalloc.start()
    t0 = time.perf_counter()
    if mode == "baseline":
        from pi87_field.core.exchange.importing import read_input

        answers = 0
        for path in paths:
            bundle, _ = read_input(path)
            answers += sum(len(i.answers) for i in bundle.interviews)
        result["answers"] = answers
    else:
        from pi87_field.core.merge import merge_files

        report = merge_files(paths, out, folder / "volume.json.out" if mode == "merge_json" else None)
        result["answers"] = report.counts.answers
        result["errors"] = report.counts.errors
        result["volume_bytes"] = out.stat().st_size
    result["seconds"] = time.perf_counter() - t0
    if mode == "trace":
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_mb"] = (maxrss / 2**20) if sys.platform == "darwin" else maxrss / 1024
    return result


def run_child(mode: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_merge", "--child", mode, str(folder)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=127)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=("docx", "json"), default="docx")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-merge-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = generate(folder, args.count, args.format)
        size = sum(p.stat().st_size for p in paths)
        print(f"inputs: {len(paths)} {args.format} write-ups x 3 interviews x 19 questions x ~800 chars "
              f"({size / 2**20:.1f} MB), generated in {time.perf_counter() - t0:.1f} s")
        results: dict[str, list[dict]] = {"baseline": [], "merge": []}
        for _ in range(args.runs):
            for mode in results:
                results[mode].append(run_child(mode, folder))
        trace = run_child("trace", folder)
    base = [r["seconds"] for r in results["baseline"]]
    merged = [r["seconds"] for r in results["merge"]]
    print(f"\n{'phase':<36}{'p50 s':>9}{'p95 s':>9}{'max RSS MB':>12}{'x baseline':>12}")
    for label, times, rows in (("baseline: read + parse inputs", base, results["baseline"]),
                               ("merge_files -> volume.docx", merged, results["merge"])):
        rss = max(r["maxrss_mb"] for r in rows)
        print(f"{label:<36}{pct(times, .5):>9.2f}{pct(times, .95):>9.2f}{rss:>12.0f}"
              f"{pct(times, .5) / pct(base, .5):>12.2f}")
    last = results["merge"][-1]
    print(f"\nanswers merged: {last['answers']}, input errors: {last['errors']}, "
          f"volume: {last['volume_bytes'] / 2**20:.1f} MB")
    print(f"tracemalloc peak during merge: {trace['traced_peak_mb']:.0f} MB (run time under tracing "
          f"{trace['seconds']:.1f} s, not used)")
    verdict = "OK" if pct(merged, .95) < 20 else "OVER TARGET"
    print(f"target: merge under 20 s -> p95 {pct(merged, .95):.2f} s: {verdict}")


if __name__ == "__main__":
    main()
