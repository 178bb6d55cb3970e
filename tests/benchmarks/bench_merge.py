"""Benchmark: merge of 127 write-ups (3 interviews each, the full case-study grid, ~800
characters per answer) into the consolidated volume. Target: under 20 s, memory peak reported.

Inputs are generated first (not timed): Word write-ups made by the real exporter
(`word.writeup.write_project_docx`), or JSON bundles with `--format json`. Each measured run is
a fresh Python process, so that its peak resident memory (ru_maxrss) is its own:

- baseline  read and parse every input only (`importing.read_input`), nothing kept;
- merge     `merge.merge_files`: read, reconcile, build the volume, write it atomically.

A last run of each under tracemalloc reports the peak of Python allocations (its time is not
used: tracemalloc slows allocation-heavy code down).

Run:  python -m tests.benchmarks.bench_merge [--count 127] [--runs 3] [--format docx|json]
      python -m tests.benchmarks --only merge      (the JSON figures, see tests/benchmarks/__main__.py)
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

from tests.benchmarks.common import figure, pct

REPO = Path(__file__).resolve().parents[2]


def generate(folder: Path, count: int, fmt: str) -> list[Path]:
    from pi87_field.core.bundle import bundle_to_bytes
    from pi87_field.core.word.writeup import write_project_docx
    from tests.support.merge_bundles import full_case_bundle, guides

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
    if mode in ("trace", "trace_baseline"):
        import tracemalloc

        tracemalloc.start()
    t0 = time.perf_counter()
    if mode in ("baseline", "trace_baseline"):
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
    if mode in ("trace", "trace_baseline"):
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_mb"] = (maxrss / 2**20) if sys.platform == "darwin" else maxrss / 1024
    return result


def run_child(mode: str, folder: Path, *, in_process: bool = False) -> dict:
    """One measured run in a fresh process (or, for a quick smoke run, in this one)."""
    if in_process:
        return child(mode, folder)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_merge", "--child", mode, str(folder)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(count: int, runs: int, fmt: str = "docx", *, in_process: bool = False) -> dict:
    """Generate the inputs, then run the baseline and the merge `runs` times each, alternating,
    each in a fresh process (unless in_process); then one traced run of each."""
    with tempfile.TemporaryDirectory(prefix="bench-merge-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = generate(folder, count, fmt)
        generated = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in paths)
        results: dict[str, list[dict]] = {"baseline": [], "merge": []}
        for _ in range(runs):
            for mode in results:
                results[mode].append(run_child(mode, folder, in_process=in_process))
        trace = run_child("trace", folder, in_process=in_process)
        trace_baseline = run_child("trace_baseline", folder, in_process=in_process)
    return {"inputs": len(paths), "input_mb": size / 2**20, "generated_s": generated, "runs": results,
            "trace": trace, "trace_baseline": trace_baseline}


def run(quick: bool = False) -> dict:
    """The figures of `python -m tests.benchmarks`: merge of 127 write-ups into the volume,
    against reading and parsing the same inputs and nothing else."""
    count, runs = (3, 1) if quick else (127, 3)
    m = measure(count, runs, in_process=quick)
    base = [r["seconds"] for r in m["runs"]["baseline"]]
    merged = [r["seconds"] for r in m["runs"]["merge"]]
    last = m["runs"]["merge"][-1]
    return {"params": {"write_ups": count, "runs": runs, "input_mb": round(m["input_mb"], 2),
                       "answers": last["answers"], "input_errors": last["errors"],
                       "volume_mb": round(last["volume_bytes"] / 2**20, 2)},
            "figures": {
                "merge_p50": figure(pct(merged, 0.5), "s", {"read_and_parse_only": pct(base, 0.5)},
                                    what=f"merge_files of {count} write-ups into the volume (own process)",
                                    p95=round(pct(merged, 0.95), 3), target_s=20),
                "merge_peak_rss": figure(max(r["maxrss_mb"] for r in m["runs"]["merge"]), "MB",
                                         {"read_and_parse_only": max(r["maxrss_mb"] for r in m["runs"]["baseline"])},
                                         what="peak resident memory of the process"),
                "merge_traced_peak": figure(m["trace"]["traced_peak_mb"], "MB",
                                            {"read_and_parse_only": m["trace_baseline"]["traced_peak_mb"]},
                                            what="tracemalloc peak of Python allocations"),
            }}


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
    m = measure(args.count, args.runs, args.format)
    print(f"inputs: {m['inputs']} {args.format} write-ups x 3 interviews x 19 questions x ~800 chars "
          f"({m['input_mb']:.1f} MB), generated in {m['generated_s']:.1f} s")
    results, trace = m["runs"], m["trace"]
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
