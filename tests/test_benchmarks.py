"""The benchmark entry point still runs: `python -m tests.benchmarks --quick` gives one JSON
object with every registered benchmark, each figure with a baseline of the same run and a ratio."""

from __future__ import annotations

import json
import numbers
import os
import subprocess
import sys

import pytest

from tests.benchmarks.__main__ import BENCHMARKS, FORMAT
from tests.support.paths import REPO


@pytest.mark.slow
def test_quick_run_of_every_benchmark_prints_one_json_object_of_figures_with_baselines(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks", "--quick", "--output", str(out)],
                          cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)                       # the whole stdout is one JSON object
    assert json.loads(out.read_text(encoding="utf-8")) == report
    assert report["format"] == FORMAT and report["quick"] is True and report["failed"] == {}
    assert list(report["benchmarks"]) == list(BENCHMARKS)
    for name, bench in report["benchmarks"].items():
        assert bench["module"] == BENCHMARKS[name]
        assert bench["peak_rss_mb"] > 0 and bench["seconds"] > 0 and isinstance(bench["params"], dict)
        assert bench["figures"], name
        for figure_name, figure in bench["figures"].items():
            where = f"{name}.{figure_name}"
            assert isinstance(figure["value"], numbers.Real) and figure["unit"], where
            assert figure["baselines"], where
            for baseline in figure["baselines"].values():
                assert isinstance(baseline["value"], numbers.Real), where
                if baseline["value"]:
                    assert abs(baseline["ratio"] - figure["value"] / baseline["value"]) <= 0.01 * abs(baseline["ratio"]) + 1e-3, where


def test_list_names_the_registry_and_an_unknown_only_is_refused():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    listed = subprocess.run([sys.executable, "-m", "tests.benchmarks", "--list"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()] == list(BENCHMARKS)
    bad = subprocess.run([sys.executable, "-m", "tests.benchmarks", "--only", "nope"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "nope" in bad.stderr and not bad.stdout
