"""Benchmark: Word export of 127 projects × 3 interviews × the full case-study grid (~800
characters per answer), against a naive python-docx exporter on the same content, same run.

The naive exporter is what one writes first with python-docx: the default template, one
`add_paragraph(text, style="…")` per paragraph (the style looked up by name every time), one
`add_table(style="…")` per fact sheet, `Document.save(path)`. Ours builds the body as XML text
parsed once per document, starts from a small template, embeds the project twice (custom XML
part + custom properties) and writes atomically (durable=True, as in production).

Run:  python -m tests.benchmarks.bench_export [--projects 127] [--interviews 3] [--chars 800]
      python -m tests.benchmarks --only export     (the JSON figures, see tests/benchmarks/__main__.py)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import docx

from pi87_field.core.bundle import Bundle
from pi87_field.core.guides import GuideLibrary
from pi87_field.core.model import OS_LABELS
from pi87_field.core.money import format_amount
from pi87_field.core.summary import interview_title
from pi87_field.core.word.writeup import write_project_docx
from tests.benchmarks.common import figure, median, pct, traced_peak_mb
from tests.support.merge_bundles import full_case_bundle, guides


def naive_export(bundle: Bundle, library: GuideLibrary, path: Path) -> None:
    document = docx.Document()
    project = bundle.project
    document.add_paragraph(project.carrier, style="Title")
    document.add_paragraph(project.title, style="Subtitle")
    facts = [("Type", project.kind.label), ("Objectif spécifique", OS_LABELS.get(project.os, "")),
             ("Porteur de projet", project.carrier), ("Intitulé de l’opération", project.title),
             ("Montant FSE programmé", format_amount(project.fse_amount)),
             ("Caractéristiques retenues", project.characteristics)]
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for n, interview in enumerate(bundle.interviews, start=1):
        guide = library.get(interview.guide_id)
        document.add_paragraph(f"Entretien {n} — {interview_title(project, interview)}", style="Heading 1")
        table = document.add_table(rows=0, cols=2, style="Table Grid")
        for label, value in (("Enquêteur", interview.interviewer), ("Date", str(interview.date)),
                             ("Personnes interrogées", ", ".join(p.name for p in interview.interviewees))):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        number = 0
        for section in guide.sections:
            document.add_paragraph(section.title, style="Heading 2")
            for question in section.questions:
                number += 1
                document.add_paragraph(f"{number}. {question.text}", style="Heading 3")
                answer = interview.answers.get(question.id)
                for part in (answer.text if answer else "").split("\n\n"):
                    document.add_paragraph(part, style="Normal")
    document.save(str(path))


EXPORTERS = (("naive python-docx", naive_export), ("pi87-field", write_project_docx))


def compare(projects: int, interviews: int, chars: int) -> dict[str, dict]:
    """Both exporters on the same bundles: total seconds, seconds per write-up, bytes written,
    and the tracemalloc peak of exporting the first project (in a pass of its own)."""
    library = guides()
    bundles = [full_case_bundle(f"ec{n:03d}-bench", n, "Évaluatrice Bench", interviews=interviews,
                                answer_chars=chars, seed=7) for n in range(1, projects + 1)]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, export in EXPORTERS:
            out = Path(tmp) / name.replace(" ", "-")
            out.mkdir()
            export(bundles[0], library, out / "warmup.docx")        # imports, caches
            times = []
            started = time.perf_counter()
            for bundle in bundles:
                t0 = time.perf_counter()
                export(bundle, library, out / f"{bundle.project.id}.docx")
                times.append(time.perf_counter() - t0)
            total = time.perf_counter() - started
            size = sum(p.stat().st_size for p in out.glob("ec*.docx"))
            peak = traced_peak_mb(lambda: export(bundles[0], library, out / "traced.docx"))  # noqa: B023
            results[name] = {"total": total, "times": times, "bytes": size, "peak_mb": peak}
    results["answers"] = {"count": sum(len(i.answers) for b in bundles for i in b.interviews)}
    return results


def run(quick: bool = False) -> dict:
    """The figures of `python -m tests.benchmarks`: 127 write-ups against naive python-docx."""
    projects, interviews, chars = (3, 1, 200) if quick else (127, 3, 800)
    r = compare(projects, interviews, chars)
    ours, naive = r["pi87-field"], r["naive python-docx"]
    return {"params": {"projects": projects, "interviews": interviews, "chars": chars,
                       "answers": r["answers"]["count"]},
            "figures": {
                "export_total": figure(ours["total"], "s", {"naive_python_docx": naive["total"]},
                                       what=f"export of {projects} write-ups, one after the other"),
                "export_p95_per_writeup": figure(pct(ours["times"], 0.95) * 1000, "ms",
                                                 {"naive_python_docx": pct(naive["times"], 0.95) * 1000},
                                                 p50=round(median(ours["times"]) * 1000, 3)),
                "export_bytes": figure(ours["bytes"] / 2**20, "MB", {"naive_python_docx": naive["bytes"] / 2**20}),
                "export_peak_memory": figure(ours["peak_mb"], "MB", {"naive_python_docx": naive["peak_mb"]},
                                             what="tracemalloc peak while exporting one write-up"),
            }}


def print_table(projects: int, interviews: int, chars: int) -> None:
    results = compare(projects, interviews, chars)
    print(f"{projects} projects × {interviews} interviews, {results['answers']['count']} answers of ~{chars} characters")
    print(f"{'exporter':<20}{'total s':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'MB out':>10}{'peak MB':>10}")
    for name, _ in EXPORTERS:
        r = results[name]
        times = r["times"]
        print(f"{name:<20}{r['total']:>10.2f}{statistics.median(times) * 1000:>10.1f}"
              f"{pct(times, 0.95) * 1000:>10.1f}{max(times) * 1000:>10.1f}{r['bytes'] / 1e6:>10.1f}{r['peak_mb']:>10.1f}")
    naive, ours = results["naive python-docx"]["total"], results["pi87-field"]["total"]
    print(f"ratio pi87-field / naive = {ours / naive:.3f}  (target ≤ 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=127)
    parser.add_argument("--interviews", type=int, default=3)
    parser.add_argument("--chars", type=int, default=800)
    args = parser.parse_args()
    print_table(args.projects, args.interviews, args.chars)


if __name__ == "__main__":
    main()
