"""Benchmark: the team lead's synthesis on a full store, each figure against a baseline measured
in the same run.

Store: 127 case studies × 3 interviews × the full case-study grid (19 questions, ~800
characters per answer: 7,239 answers), plus 200 cited passages, 5 judgements and 60 summaries.

1. `synthesis status` (a cold process: Python start, imports, store, every interview read) vs
   `pi87-field projects --json` on the same store (the same start, projects only). Target ≤ 1 s.
2. Opening the Synthèse screen (key → first frame showing the five rows), first time (the
   workspace reads every interview) and again (warm); and opening an evaluative question (key →
   first frame with its answers), vs opening a project from the home screen. Target ≤ 300 ms.
3. The matrix: key → next frame while moving the cell cursor (127 case columns), vs the same key
   on the home table. Target: one frame per key (the frame follows each key, < 16 ms).
4. Pinning a passage (durable write of the evidence file, 200 passages already cited) vs saving
   one answer (`ProjectStore.save_answer`, durable), p95. Target ≤ 10 ms.

Run:  python -m tests.benchmarks --only synthesis      (or this file directly)
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from textual import events

from pi87_field.core.model import InterviewStatus
from pi87_field.core.store import ProjectStore
from pi87_field.core.synthesis import Workspace
from pi87_field.tui.app import make_app
from pi87_field.tui.screens.evaluative_question import EvaluativeQuestionScreen
from pi87_field.tui.screens.home import HomeScreen
from pi87_field.tui.screens.matrix import MatrixScreen
from pi87_field.tui.screens.project import ProjectScreen
from pi87_field.tui.screens.synthesis import SynthesisScreen
from tests.benchmarks.common import figure, median, pct
from tests.support.merge_bundles import full_case_bundle

REPO = Path(__file__).resolve().parents[2]
EVALUATORS = ["Alice Martin", "Bruno Lefèvre", "Chloé Dubois", "David Nguyen", "Emma Rossi"]


def build_store(root: Path, count: int, interviews: int, chars: int, pins: int) -> None:
    with ProjectStore.open(root, seed=False, durable=False) as store:
        for n in range(1, count + 1):
            bundle = full_case_bundle(f"ec{n:03d}-bench", n, EVALUATORS[n % len(EVALUATORS)],
                                      interviews=interviews, answer_chars=chars, seed=n)
            store.save_project(bundle.project, touch=False)
            for interview in bundle.interviews:
                store.save_interview(interview, touch=False)
        ws = Workspace(store)
        rng = random.Random(87)
        questions = ws.framework.question_ids
        projects = ws.projects
        for k in range(pins):
            project = projects[k % len(projects)]
            interview = ws.interviews(project.id)[k % interviews]
            eq = ws.framework.question(questions[k % len(questions)])
            qid = eq.mapped_ids[k % len(eq.mapped_ids)]
            answer = interview.answers.get(qid)
            if answer is None or len(answer.text) < 60:
                continue
            start = rng.randrange(0, len(answer.text) - 50)
            ws.synthesis.pin_evidence(project.id, interview.id, qid, answer.text[start:start + 40],
                                      supports=[eq.id], tags=["expérimentation"], answer=answer)
        for qid, rating in zip(questions, ["+++", "++", "++", "+", "+++"], strict=True):
            ws.synthesis.save_judgement(qid, rating, "Explications " * 40)
        for k, project in enumerate(projects[:60]):
            ws.synthesis.save_summary(project.id, "effets.notables", f"Synthèse {k} " * 10, ["essaimage"])


def cli_seconds(root: Path, *args: str, runs: int) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pi87_field", "--data-dir", str(root), *args],
                              capture_output=True, text=True, env=env)
        out.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr)
    return out


async def screen_timings(root: Path, matrix_keys: int, repeats: int = 5) -> dict[str, list[float]]:
    """ms from a key to the first frame of the screen it opens; ms from a key to the next frame."""
    store = ProjectStore.open(root, seed=False)   # durable, as in real use
    app = make_app(store, interviewer="Bench")
    frames: list[tuple[float, object]] = []
    display = app._display

    def recording_display(screen, renderable):
        if renderable is not None:
            frames.append((time.perf_counter(), screen))
        return display(screen, renderable)

    app._display = recording_display
    out: dict[str, list[float]] = {k: [] for k in ("project_open", "synthesis_first", "synthesis_again",
                                                   "question_open", "matrix_key", "home_key",
                                                   "conclusions_open", "recommendations_open", "sources_open",
                                                   "editor_open")}

    async def key_to_screen(key: str, kind: type, ready) -> float:
        seen = len(frames)
        start = time.perf_counter()
        event = events.Key(key, None if len(key) > 1 else key)
        event.set_sender(app)
        app._driver.send_message(event)
        while True:
            for stamp, screen in frames[seen:]:
                if isinstance(screen, kind) and ready(screen):
                    return (stamp - start) * 1000
            seen = len(frames)
            if time.perf_counter() - start > 10:
                raise RuntimeError(f"{kind.__name__} not shown after the key {key!r}")
            await asyncio.sleep(0)

    async def key_to_frame(key: str) -> float:
        seen = len(frames)
        start = time.perf_counter()
        event = events.Key(key, None)
        event.set_sender(app)
        app._driver.send_message(event)
        while len(frames) == seen:
            if time.perf_counter() - start > 5:
                raise RuntimeError(f"no frame after the key {key!r}")
            await asyncio.sleep(0)
        return (frames[seen][0] - start) * 1000

    try:
        async with app.run_test(size=(80, 24)) as pilot:
            while not (isinstance(app.screen, HomeScreen) and app.screen.projects):
                await pilot.pause(0.01)
            await pilot.pause(0.5)
            home = app.screen
            home.query_one("#home-table").focus()
            for n in range(matrix_keys):   # down, up, down…: every key moves the cursor
                out["home_key"].append(await key_to_frame("up" if n % 2 else "down"))
                await asyncio.sleep(0.02)
            for _ in range(repeats):
                out["project_open"].append(await key_to_screen("enter", ProjectScreen, lambda s: s.project))
                await pilot.pause(0.1)
                await pilot.press("escape")
                await pilot.pause(0.1)
            out["synthesis_first"].append(await key_to_screen("ctrl+g", SynthesisScreen, lambda s: s.rows))
            await pilot.pause(0.1)
            for _ in range(repeats):
                await pilot.press("escape")
                await pilot.pause(0.1)
                out["synthesis_again"].append(await key_to_screen("ctrl+g", SynthesisScreen, lambda s: s.rows))
                await pilot.pause(0.1)
            for _ in range(repeats):
                out["question_open"].append(await key_to_screen("enter", EvaluativeQuestionScreen,
                                                                lambda s: bool(s.segments)))
                await pilot.pause(0.1)
                await pilot.press("escape")
                await pilot.pause(0.1)
            from pi87_field.tui.screens.chapter4 import (
                ConclusionsScreen,
                RecommendationsScreen,
                SourcesScreen,
                TextEditorScreen,
            )

            for key, kind, name in (("c", ConclusionsScreen, "conclusions_open"),
                                    ("o", RecommendationsScreen, "recommendations_open"),
                                    ("d", SourcesScreen, "sources_open")):
                for _ in range(repeats):
                    out[name].append(await key_to_screen(key, kind, lambda s: s.is_mounted))
                    await pilot.pause(0.1)
                    if name == "conclusions_open":   # the full-size editor over the conclusions
                        out["editor_open"].append(await key_to_screen("enter", TextEditorScreen,
                                                                      lambda s: s.is_mounted))
                        await pilot.pause(0.1)
                        await pilot.press("escape")
                        await pilot.pause(0.1)
                    await pilot.press("escape")
                    await pilot.pause(0.1)
            await pilot.press("m")
            while not isinstance(app.screen, MatrixScreen):
                await pilot.pause(0.01)
            await pilot.pause(0.3)
            for n in range(matrix_keys):
                out["matrix_key"].append(await key_to_frame(("right", "down", "left", "down")[n % 4]))
                await asyncio.sleep(0.02)
    finally:
        store.close()
    return out


def pin_timings(root: Path, pins: int) -> tuple[list[float], list[float]]:
    """ms per pin (durable) and per save_answer (durable), interleaved on the same store."""
    pin_ms: list[float] = []
    save_ms: list[float] = []
    with ProjectStore.open(root, seed=False) as store:
        ws = Workspace(store)
        projects = ws.projects
        rng = random.Random(7)
        for k in range(pins):
            project = projects[rng.randrange(len(projects))]
            interview = ws.interviews(project.id)[0]
            answer = interview.answers["suites.specificites"]
            start = rng.randrange(0, len(answer.text) - 40)
            t0 = time.perf_counter()
            ws.synthesis.pin_evidence(project.id, interview.id, "suites.specificites", answer.text[start:start + 30],
                                      supports=["innovation"], tags=["essaimage"], answer=answer)
            pin_ms.append((time.perf_counter() - t0) * 1000)
            if interview.status is InterviewStatus.COMPLETE:       # a finished interview refuses answers
                store.life_cycle.reopen(project.id, interview.id, datetime.now(UTC))
            t0 = time.perf_counter()
            store.save_answer(project.id, interview.id, "structure.effectifs", f"{k} salariés", author="Bench")
            save_ms.append((time.perf_counter() - t0) * 1000)
    return pin_ms, save_ms


def run(quick: bool = False) -> dict:
    count, interviews, chars, pins, keys, cli_runs, repeats = \
        (3, 1, 200, 6, 6, 1, 1) if quick else (127, 3, 800, 200, 60, 3, 5)
    with tempfile.TemporaryDirectory(prefix="pi87-bench-synthesis-") as tmp:
        root = Path(tmp) / "data"
        build_store(root, count, interviews, chars, pins)
        status_s = cli_seconds(root, "synthesis", "status", "--json", runs=cli_runs)
        projects_s = cli_seconds(root, "projects", "--json", runs=cli_runs)
        screens = asyncio.run(screen_timings(root, keys, repeats))
        pin_ms, save_ms = pin_timings(root, pins)
    project_open = median(screens["project_open"])
    home_key = pct(screens["home_key"], 0.95)
    figures = {
        "synthesis_status_s": figure(median(status_s), "s", {"projects_json": median(projects_s)},
                                     what="`pi87-field synthesis status --json`, cold process", target_s=1.0),
        "synthesis_screen_first_open_ms": figure(
            screens["synthesis_first"][0], "ms", {"project_screen_open": project_open},
            what="key → first frame of the Synthèse screen (workspace reads every interview)", target_ms=300),
        "synthesis_screen_open_ms": figure(
            median(screens["synthesis_again"]), "ms", {"project_screen_open": project_open},
            what="key → first frame of the Synthèse screen, again", target_ms=300),
        "evaluative_question_open_ms": figure(
            median(screens["question_open"]), "ms", {"project_screen_open": project_open},
            what="key → first frame of an evaluative question with every case's answer", target_ms=300),
        **{f"{name}_ms": figure(median(screens[name]), "ms", {"project_screen_open": project_open},
                                what=what, target_ms=300)
           for name, what in (("conclusions_open", "key → first frame of the conclusions screen (§ 4.1)"),
                              ("recommendations_open", "key → first frame of the préconisations screen (§ 4.2)"),
                              ("sources_open", "key → first frame of the documents screen"),
                              ("editor_open", "key → first frame of the full-size editor"))},
        "matrix_key_to_frame_p95_ms": figure(
            pct(screens["matrix_key"], 0.95), "ms", {"home_table_key_p95": home_key},
            what=f"key → next frame moving the matrix cursor ({count} case columns)", target_ms=16),
        "pin_p95_ms": figure(pct(pin_ms, 0.95), "ms", {"save_answer_p95": pct(save_ms, 0.95)},
                             what="pin a passage (durable write of the evidence file)", target_ms=10),
    }
    return {"params": {"projects": count, "interviews_per_project": interviews, "answer_chars": chars,
                       "pins": pins, "matrix_keys": keys, "cli_runs": cli_runs},
            "figures": figures}


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=1))
