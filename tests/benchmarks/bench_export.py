"""Benchmark: Word export of 127 projects × 3 interviews × the full case-study grid (~800
characters per answer), against a naive python-docx exporter on the same content, same run.

The naive exporter is what one writes first with python-docx: the default template, one
`add_paragraph(text, style="…")` per paragraph (the style looked up by name every time), one
`add_table(style="…")` per fact sheet, `Document.save(path)`. Ours builds the body as XML text
parsed once per document, starts from a small template, embeds the project twice (custom XML
part + custom properties) and writes atomically (durable=True, as in production).

Run:  python -m tests.benchmarks.bench_export [--projects 127] [--interviews 3] [--chars 800]
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
from tests.unit.test_merge_fixtures import full_case_bundle, guides


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


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(projects: int, interviews: int, chars: int) -> None:
    library = guides()
    bundles = [full_case_bundle(f"ec{n:03d}-bench", n, "Évaluatrice Bench", interviews=interviews,
                                answer_chars=chars, seed=7) for n in range(1, projects + 1)]
    answers = sum(len(i.answers) for b in bundles for i in b.interviews)
    print(f"{projects} projects × {interviews} interviews, {answers} answers of ~{chars} characters")
    results: dict[str, tuple[float, list[float], int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, export in (("naive python-docx", naive_export), ("pi87-field", write_project_docx)):
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
            results[name] = (total, times, size)
    print(f"{'exporter':<20}{'total s':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'MB out':>10}")
    for name, (total, times, size) in results.items():
        print(f"{name:<20}{total:>10.2f}{statistics.median(times) * 1000:>10.1f}"
              f"{pct(times, 0.95) * 1000:>10.1f}{max(times) * 1000:>10.1f}{size / 1e6:>10.1f}")
    naive, ours = results["naive python-docx"][0], results["pi87-field"][0]
    print(f"ratio pi87-field / naive = {ours / naive:.3f}  (target ≤ 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=127)
    parser.add_argument("--interviews", type=int, default=3)
    parser.add_argument("--chars", type=int, default=800)
    args = parser.parse_args()
    run(args.projects, args.interviews, args.chars)


if __name__ == "__main__":
    main()
