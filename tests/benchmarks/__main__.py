"""One entry point for every benchmark: `python -m tests.benchmarks` prints ONE JSON object.

    .venv/bin/python -m tests.benchmarks                 # everything, full sizes (minutes)
    .venv/bin/python -m tests.benchmarks --quick         # small sizes: checks that all still run
    .venv/bin/python -m tests.benchmarks --only merge --only export --output bench.json
    .venv/bin/python -m tests.benchmarks --list

Every figure comes with a baseline measured in the same run, on the same machine, and the ratio
value / baseline (tests/benchmarks/common.py `figure`), so that runs on different machines or on
a busy machine can still be compared. Each benchmark runs in a process of its own (no warm cache
or heap shared between them); its peak resident memory is reported as `peak_rss_mb`. Progress
goes to stderr, the JSON to stdout; the exit status is 1 if a benchmark failed (its error is in
`failed`, the others still run).

Adding a benchmark (the synthesis screens, the volume...): write `tests/benchmarks/bench_<name>.py`
with a function

    def run(quick: bool = False) -> dict:
        return {"params": {...sizes used...},
                "figures": {"what_is_measured": figure(value, "ms", {"baseline_name": base})}}

(`quick` = sizes small enough for the smoke test, tests/test_benchmarks.py), and add one line to
BENCHMARKS below. The smoke test runs every registered benchmark with --quick and checks the shape.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORMAT = "pi87-field-benchmarks/1"

# name -> module exposing run(quick: bool) -> {"params": dict, "figures": {name: figure}}
BENCHMARKS: dict[str, str] = {
    "store": "tests.benchmarks.bench_store",      # save one answer at 10/100/1,000 interviews
    "tui": "tests.benchmarks.bench_tui",          # key → frame at 0/20/100 KB, start → first screen
    "import": "tests.benchmarks.bench_import",    # import of 127 bundles
    "export": "tests.benchmarks.bench_export",    # 127 write-ups vs naive python-docx
    "merge": "tests.benchmarks.bench_merge",      # merge of 127 write-ups into the volume
    "synthesis": "tests.benchmarks.bench_synthesis",  # status, screens, matrix keys, pin (127 × 3 × full grid)
    "volume": "tests.benchmarks.bench_volume",    # volume --out --xlsx from the store vs merge of the same
    "privacy": "tests.benchmarks.bench_privacy",  # merge --pseudonymise vs merge, 127 bundles
    "transcript": "tests.benchmarks.bench_transcript",  # 4,000-cue import + cut; question switch, pane open vs closed
}


def run_child(name: str, quick: bool) -> dict:
    """Run one benchmark in its own process; add its wall time and peak resident memory."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "tests.benchmarks", "--child", name] + (["--quick"] if quick else [])
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(lines[-1] if lines else f"exit status {proc.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["seconds"] = round(seconds, 3)
    return result


def child(name: str, quick: bool) -> None:
    """In the child process: run the benchmark, print its result and our own peak memory."""
    import resource

    module = importlib.import_module(BENCHMARKS[name])
    result = module.run(quick=quick)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 2**20 if sys.platform == "darwin" else 1024
    ordered = {"module": BENCHMARKS[name], "peak_rss_mb": round(max(own, children) / scale, 1), **result}
    print(json.dumps(ordered, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks",
                                     description="Run the benchmarks; print one JSON object.")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, not a measurement)")
    parser.add_argument("--only", action="append", metavar="NAME", choices=sorted(BENCHMARKS),
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--output", type=Path, help="also write the JSON to this file")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--child", metavar="NAME", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.list:
        for name, module in BENCHMARKS.items():
            print(f"{name:<10} {module}")
        return 0
    if args.child:
        child(args.child, args.quick)
        return 0
    import textual

    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    report: dict = {
        "format": FORMAT, "started_at": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
        "python": platform.python_version(), "textual": textual.__version__, "platform": platform.platform(),
        "cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "benchmarks": {}, "failed": {},
    }
    started = time.perf_counter()
    for name in names:
        print(f"benchmark {name}...", file=sys.stderr, flush=True)
        try:
            report["benchmarks"][name] = run_child(name, args.quick)
        except (RuntimeError, ValueError) as exc:
            report["failed"][name] = str(exc)
            print(f"benchmark {name} failed: {exc}", file=sys.stderr, flush=True)
    report["seconds"] = round(time.perf_counter() - started, 3)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
