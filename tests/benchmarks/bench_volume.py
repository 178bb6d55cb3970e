"""Benchmark: `pi87-field volume --out --xlsx` on 127 projects × 3 interviews × the full
case-study grid (~800 characters per answer) with a synthesis citing 200 passages, beside
today's `merge` of the same content (127 Word write-ups) in the same run.

Targets (issue 13): the volume and the workbook in ≤ 10 s and ≤ 300 MB peak.

Inputs are made first (not timed): the store (projects and interviews saved through
`ProjectStore`), the 127 write-ups (the real exporter) for the merge, the synthesis. Each
measured run is a fresh Python process, so that its peak resident memory is its own:

- merge    `merge.merge_files` of the 127 write-ups (today's path, the baseline);
- volume   `pipeline.volume_from_store(..., xlsx)`: read the store, build the volume and the
           workbook, write both atomically.

Run:  python -m tests.benchmarks.bench_volume [--count 127] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pi87_field.core.model import InterviewStatus
from tests.benchmarks.common import figure, pct

REPO = Path(__file__).resolve().parents[2]
PASSAGES = 200


def generate(folder: Path, count: int, passages: int = PASSAGES) -> None:
    from pi87_field.core.store import ProjectStore
    from pi87_field.core.word.writeup import write_project_docx
    from tests.support.merge_bundles import full_case_bundle, guides

    library = guides()
    evaluators = ["Alice Martin", "Bruno Lefèvre", "Chloé Dubois", "David Nguyen", "Emma Rossi"]
    (folder / "writeups").mkdir()
    store = ProjectStore.open(folder / "data", seed=False)
    try:
        for n in range(1, count + 1):
            bundle = full_case_bundle(f"ec{n:03d}-bench", n, evaluators[n % len(evaluators)],
                                      interviews=3, answer_chars=800, seed=n)
            write_project_docx(bundle, library, folder / "writeups" / f"ec{n:03d}.docx")
            store.save_project(bundle.project, touch=False)
            for interview in bundle.interviews:
                store.save_interview(interview, touch=False)
        _pin_synthesis(store, passages)
    finally:
        store.close()


def _pin_synthesis(store, passages: int) -> None:
    """The lead's synthesis in the store: five judgements, `passages` passages pinned over the
    cases and their mapped grid questions, one answer in nine rewritten afterwards (stale)."""
    from pi87_field.core.synthesis import Workspace

    ws = Workspace(store)
    questions = ws.framework.questions
    projects = ws.projects
    stale = []
    for k in range(passages):
        eq = questions[k % len(questions)]
        project = projects[k % len(projects)]
        interviews = ws.interviews(project.id)
        interview = interviews[k % len(interviews)]
        mapped = [q for q in eq.mapped_ids if q in interview.answers]
        qid = mapped[k % len(mapped)]
        answer = interview.answers[qid]
        ws.synthesis.pin_evidence(project.id, interview.id, qid, answer.text[20:320], supports=[eq.id],
                                  tags=["numérique", "partenariat"], author="Lead", answer=answer)
        if k % 9 == 0:
            stale.append((project.id, interview.id, qid))
    for eq in questions:
        ws.synthesis.save_judgement(eq.id, "++", "Explication. " * 40, author="Lead")
    for pid, iid, qid in stale:
        if store.get_interview(pid, iid).status is InterviewStatus.COMPLETE:   # a finished interview refuses answers
            store.life_cycle.reopen(pid, iid, datetime.now(UTC))
        store.save_answer(pid, iid, qid, "Réponse réécrite après coup.", author="Alice")


def child(mode: str, folder: Path) -> dict:
    """One measured run, in its own process."""
    import resource

    result: dict = {"mode": mode}
    t0 = time.perf_counter()
    if mode == "merge":
        from pi87_field.core.merge import merge_files

        paths = sorted((folder / "writeups").iterdir())
        report = merge_files(paths, folder / "merged.docx")
        result["answers"] = report.counts.answers
        result["docx_bytes"] = (folder / "merged.docx").stat().st_size
    else:
        from pi87_field.core.merge.pipeline import volume_from_store
        from pi87_field.core.store import ProjectStore

        store = ProjectStore.open(folder / "data", writer=False)
        try:
            content = volume_from_store(store, folder / "volume.docx", folder / "volume.xlsx")
        finally:
            store.close()
        result["answers"] = sum(1 for c in content.cases for i in c.interviews for a in i.answers.values()
                                if not a.is_empty)
        result["passages"] = sum(len(j.evidence) for j in content.synthesis.judgements) if content.synthesis else 0
        result["docx_bytes"] = (folder / "volume.docx").stat().st_size
        result["xlsx_bytes"] = (folder / "volume.xlsx").stat().st_size
    result["seconds"] = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime      # less sensitive to a busy machine
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_mb"] = (maxrss / 2**20) if sys.platform == "darwin" else maxrss / 1024
    return result


def run_child(mode: str, folder: Path, *, in_process: bool = False) -> dict:
    """One measured run in a fresh process (or, for a quick smoke run, in this one)."""
    if in_process:
        return child(mode, folder)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_volume", "--child", mode, str(folder)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool = False, count: int | None = None, runs: int | None = None) -> dict:
    """The figures: volume + workbook from the store, against today's merge of the same content."""
    count = count or (3 if quick else 127)
    runs = runs or (1 if quick else 3)
    with tempfile.TemporaryDirectory(prefix="bench-volume-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, count, 20 if quick else PASSAGES)
        generated = time.perf_counter() - t0
        results: dict[str, list[dict]] = {"merge": [], "volume": []}
        for _ in range(runs):
            for mode in results:
                results[mode].append(run_child(mode, folder, in_process=quick))
    merge = [r["seconds"] for r in results["merge"]]
    volume = [r["seconds"] for r in results["volume"]]
    last = results["volume"][-1]
    return {
        "params": {"projects": count, "interviews": 3 * count, "runs": runs, "passages": last["passages"],
                   "answers": last["answers"], "generated_s": round(generated, 1),
                   "volume_mb": round(last["docx_bytes"] / 2**20, 2), "workbook_mb": round(last["xlsx_bytes"] / 2**20, 2),
                   "merged_mb": round(results["merge"][-1]["docx_bytes"] / 2**20, 2)},
        "figures": {
            "volume_xlsx_p50": figure(pct(volume, 0.5), "s", {"merge_same_content": pct(merge, 0.5)},
                                      what="volume --out --xlsx from the store (own process)",
                                      p95=round(pct(volume, 0.95), 3), target_s=10),
            "volume_xlsx_cpu_p50": figure(pct([r["cpu_seconds"] for r in results["volume"]], 0.5), "s",
                                          {"merge_same_content": pct([r["cpu_seconds"] for r in results["merge"]], 0.5)},
                                          what="CPU time of the same runs (user + system, whole process)"),
            "volume_peak_rss": figure(max(r["maxrss_mb"] for r in results["volume"]), "MB",
                                      {"merge_same_content": max(r["maxrss_mb"] for r in results["merge"])},
                                      what="peak resident memory of the process", target_mb=300),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=127)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    print(json.dumps(run(args.quick, None if args.quick else args.count, None if args.quick else args.runs),
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
