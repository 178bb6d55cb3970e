"""Benchmark: `pi87-field volume --out --xlsx` on 127 projects × 3 interviews × the full
case-study grid (~800 characters per answer) with a synthesis citing 200 passages, beside
today's `merge` of the same content (127 Word write-ups) in the same run.

Targets (issue 13): the volume and the workbook in ≤ 10 s and ≤ 300 MB peak. Issue 19: the
volume with the report's chapter 4 written in the tool (conclusions, préconisations, sources, and
200 citations `[@key]` in the explanations, each a Word footnote) within 1.2 × the same volume
without it, measured in the same run (`chapter4` against `volume`).

Inputs are made first (not timed): the store (projects and interviews saved through
`ProjectStore`), the 127 write-ups (the real exporter) for the merge, the synthesis. Each
measured run is a fresh Python process, so that its peak resident memory is its own:

- merge    `merge.merge_files` of the 127 write-ups (today's path, the baseline);
- volume   `pipeline.volume_from_store(..., xlsx)`: read the store, build the volume and the
           workbook, write both atomically;
- chapter4 the same on a copy of the store holding chapter 4 with `CITATIONS` citations.

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
CITATIONS = 200


def add_chapter_four(data: Path, citations: int = CITATIONS) -> int:
    """Chapter 4 in the store at `data`: sources, conclusions, préconisations, and `citations`
    citations spread over the five explanations (each citing passages of its own question and a
    document with a locator). Returns the number of citations written."""
    from pi87_field.core.store import ProjectStore
    from pi87_field.core.synthesis import Workspace
    from pi87_field.core.synthesis.objects import Finding

    store = ProjectStore.open(data, seed=False)
    written = 0
    try:
        ws = Workspace(store)
        for n in range(1, 4):
            ws.synthesis.save_source(f"mdfse-{n}", {"title": f"Extraction Ma Démarche FSE n° {n}", "author": "DGEFP",
                                                    "date": "2019-06-30", "kind": "données"})
        questions = ws.framework.questions
        per_question = citations // len(questions)
        for eq in questions:
            keys = [v.evidence.key for v in ws.evidence_for(eq.id)] or ["mdfse-1"]
            sentences = []
            for k in range(per_question):
                if k % 5 == 4:
                    sentences.append(f"Selon les données de suivi [@mdfse-{k % 3 + 1}, p. {k}].")
                else:
                    sentences.append(f"Un constat étayé par le terrain [@{keys[k % len(keys)]}].")
                written += 1
            body = " ".join(sentences[:per_question // 2]) + "\n\n- " + "\n- ".join(sentences[per_question // 2:])
            ws.synthesis.save_judgement(eq.id, "++", body, author="Lead")
        ws.synthesis.save_conclusions(
            intro="L’évaluation de la priorité d’investissement 8.7 montre :",
            findings=[Finding(f"c{n}", "atout" if n < 4 else "limite", f"Constat {n} [@mdfse-1].",
                              [questions[n % len(questions)].id]) for n in range(1, 7)],
            overall="Nous pouvons donc dire que …", recommendations_intro="Il nous semblerait utile de :", author="Lead")
        for n in range(1, 5):
            ws.synthesis.save_recommendation(f"p{n}", f"Préconisation {n} [@c{n}].", ["Premier point.", "Second point."],
                                             [f"c{n}", questions[n].id], author="Lead")
    finally:
        store.close()
    return written


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
    import shutil

    shutil.copytree(folder / "data", folder / "data4")
    add_chapter_four(folder / "data4", min(CITATIONS, 5 * passages))


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

        data = folder / ("data4" if mode == "chapter4" else "data")
        store = ProjectStore.open(data, writer=False)
        try:
            content = volume_from_store(store, folder / f"{mode}.docx", folder / f"{mode}.xlsx")
        finally:
            store.close()
        result["answers"] = sum(1 for c in content.cases for i in c.interviews for a in i.answers.values()
                                if not a.is_empty)
        result["passages"] = sum(len(j.evidence) for j in content.synthesis.judgements) if content.synthesis else 0
        result["docx_bytes"] = (folder / f"{mode}.docx").stat().st_size
        result["xlsx_bytes"] = (folder / f"{mode}.xlsx").stat().st_size
        import zipfile

        notes = zipfile.ZipFile(folder / f"{mode}.docx").read("word/footnotes.xml")
        result["footnotes"] = notes.count(b"<w:footnote ") - 2
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
        results: dict[str, list[dict]] = {"merge": [], "volume": [], "chapter4": []}
        for _ in range(runs):
            for mode in results:
                results[mode].append(run_child(mode, folder, in_process=quick))
    merge = [r["seconds"] for r in results["merge"]]
    volume = [r["seconds"] for r in results["volume"]]
    chapter4 = [r["seconds"] for r in results["chapter4"]]
    last = results["volume"][-1]
    return {
        "params": {"projects": count, "interviews": 3 * count, "runs": runs, "passages": last["passages"],
                   "answers": last["answers"], "generated_s": round(generated, 1),
                   "volume_mb": round(last["docx_bytes"] / 2**20, 2), "workbook_mb": round(last["xlsx_bytes"] / 2**20, 2),
                   "merged_mb": round(results["merge"][-1]["docx_bytes"] / 2**20, 2),
                   "chapter4_footnotes": results["chapter4"][-1]["footnotes"]},
        "figures": {
            "volume_xlsx_p50": figure(pct(volume, 0.5), "s", {"merge_same_content": pct(merge, 0.5)},
                                      what="volume --out --xlsx from the store (own process)",
                                      p95=round(pct(volume, 0.95), 3), target_s=10),
            "volume_xlsx_cpu_p50": figure(pct([r["cpu_seconds"] for r in results["volume"]], 0.5), "s",
                                          {"merge_same_content": pct([r["cpu_seconds"] for r in results["merge"]], 0.5)},
                                          what="CPU time of the same runs (user + system, whole process)"),
            "volume_chapter4_p50": figure(pct(chapter4, 0.5), "s", {"volume_without_chapter4": pct(volume, 0.5)},
                                          what="the same volume with chapter 4 and its citations as footnotes",
                                          p95=round(pct(chapter4, 0.95), 3), target_ratio=1.2),
            "volume_chapter4_cpu_p50": figure(pct([r["cpu_seconds"] for r in results["chapter4"]], 0.5), "s",
                                              {"volume_without_chapter4": pct([r["cpu_seconds"]
                                                                               for r in results["volume"]], 0.5)},
                                              what="CPU time of the same runs (less sensitive to a busy machine)",
                                              target_ratio=1.2),
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
