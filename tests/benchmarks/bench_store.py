"""Benchmark: time to save one answer as the store grows (10, 100, 1,000 interviews).

Each interview has 40 answers of ~800 characters. Compared, in the same run and on the same
disk, with plain TinyDB on one file (its default JSONStorage) and SQLite in WAL mode
(synchronous=FULL, one row per answer, one transaction per save).

Run:  python -m tests.benchmarks.bench_store [--sizes 10,100,1000] [--saves 200]
      python -m tests.benchmarks --only store      (the JSON figures, see tests/benchmarks/__main__.py)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tinydb import Query, TinyDB

from pi87_field.core.model import Answer, Interview, Project, ProjectKind, new_interview_id
from pi87_field.core.store import ProjectStore
from tests.benchmarks.common import figure, median, pct

ANSWERS = 40
CHARS = 800
rng = random.Random(87)
WORDS = "le projet a permis de renforcer les liens avec les entreprises du territoire et les jeunes".split()


def text(n: int = CHARS) -> str:
    out = []
    while sum(len(w) + 1 for w in out) < n:
        out.append(rng.choice(WORDS))
    return " ".join(out)[:n]


def bench_ours(root: Path, interviews: int, saves: int) -> list[float]:
    store = ProjectStore.open(root, seed=False)
    store.save_project(Project(id="bench", kind=ProjectKind.CASE_STUDY, title="Bench"))
    ids = []
    for _ in range(interviews):
        i = Interview(id=new_interview_id(), project_id="bench", guide_id="etude-de-cas", guide_version="1.0",
                      answers={f"q{k:02d}": Answer(text=text(), author="bench") for k in range(ANSWERS)})
        store.save_interview(i)
        ids.append(i.id)
    times = []
    for n in range(saves):
        iid = rng.choice(ids)
        t0 = time.perf_counter()
        store.save_answer("bench", iid, f"q{n % ANSWERS:02d}", text() + str(n), author="bench")
        times.append(time.perf_counter() - t0)
    store.close()
    return times


def bench_tinydb_one_file(root: Path, interviews: int, saves: int) -> list[float]:
    db = TinyDB(root / "all.json")
    docs = [{"iid": str(n), "answers": {f"q{k:02d}": {"text": text(), "state": "answered"} for k in range(ANSWERS)}}
            for n in range(interviews)]
    db.insert_multiple(docs)
    table, q = db.table("_default"), Query()
    times = []
    for n in range(saves):
        iid = str(rng.randrange(interviews))
        t0 = time.perf_counter()
        doc = table.get(q.iid == iid)
        doc["answers"][f"q{n % ANSWERS:02d}"] = {"text": text() + str(n), "state": "answered"}
        table.update({"answers": doc["answers"]}, q.iid == iid)
        times.append(time.perf_counter() - t0)
    db.close()
    return times


def bench_sqlite_wal(root: Path, interviews: int, saves: int) -> list[float]:
    con = sqlite3.connect(root / "all.sqlite", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE answers (iid TEXT, qid TEXT, text TEXT, state TEXT, PRIMARY KEY (iid, qid))")
    con.execute("BEGIN")
    con.executemany("INSERT INTO answers VALUES (?, ?, ?, 'answered')",
                    ((str(n), f"q{k:02d}", text()) for n in range(interviews) for k in range(ANSWERS)))
    con.execute("COMMIT")
    times = []
    for n in range(saves):
        iid = str(rng.randrange(interviews))
        t0 = time.perf_counter()
        con.execute("BEGIN")
        con.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, 'answered')", (iid, f"q{n % ANSWERS:02d}", text()))
        con.execute("COMMIT")
        times.append(time.perf_counter() - t0)
    con.close()
    return times


COMPARED = (("pi87-field store", bench_ours), ("TinyDB, one file", bench_tinydb_one_file),
            ("SQLite WAL", bench_sqlite_wal))


def measure(size: int, saves: int, tinydb_saves: int) -> dict[str, list[float]]:
    """Seconds per save for each store compared, at one size, each in a fresh folder."""
    out = {}
    for name, func in COMPARED:
        with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
            out[name] = func(Path(tmp), size, tinydb_saves if func is bench_tinydb_one_file else saves)
    return out


def run(quick: bool = False) -> dict:
    """The figures of `python -m tests.benchmarks`: p95 of one save at each size, against plain
    TinyDB on one file and SQLite WAL at the same size; and the growth from smallest to largest."""
    sizes = (10,) if quick else (10, 100, 1000)
    saves, tinydb_saves = (5, 3) if quick else (200, 10)
    figures: dict[str, dict] = {}
    ours_p95: dict[int, float] = {}
    for size in sizes:
        times = measure(size, saves, tinydb_saves)
        ms = {name: [t * 1000 for t in values] for name, values in times.items()}
        ours_p95[size] = pct(ms["pi87-field store"], 0.95)
        figures[f"save_answer_p95_{size}_interviews"] = figure(
            ours_p95[size], "ms", {"sqlite_wal": pct(ms["SQLite WAL"], 0.95),
                                   "tinydb_one_file": pct(ms["TinyDB, one file"], 0.95)},
            what=f"p95 of save_answer with {size} interviews of {ANSWERS} answers (durable)",
            p50=round(median(ms["pi87-field store"]), 3), saves=len(ms["pi87-field store"]))
    largest, smallest = max(sizes), min(sizes)
    figures["save_answer_p95_growth"] = figure(
        ours_p95[largest], "ms", {f"ours_at_{smallest}_interviews": ours_p95[smallest]},
        what=f"p95 of save_answer at {largest} interviews against {smallest} (1.0 = flat)")
    return {"params": {"sizes": list(sizes), "saves": saves, "tinydb_saves": tinydb_saves,
                       "answers_per_interview": ANSWERS, "chars": CHARS},
            "figures": figures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--tinydb-saves", type=int, default=10, help="plain TinyDB is slow at 1,000")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for name, func, saves in (("pi87-field store", bench_ours, args.saves),
                                  ("TinyDB, one file", bench_tinydb_one_file, args.tinydb_saves),
                                  ("SQLite WAL", bench_sqlite_wal, args.saves)):
            with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
                times = func(Path(tmp), size, saves)
            rows.append((size, name, len(times), statistics.median(times) * 1000, pct(times, 0.95) * 1000))
            print(f"{size:>5} interviews  {name:<18} n={len(times):<4} p50={rows[-1][3]:8.2f} ms  p95={rows[-1][4]:8.2f} ms", flush=True)
    print("\nRatios (p95 against SQLite WAL at the same size, same run):")
    by = {(r[0], r[1]): r for r in rows}
    for size in sorted({r[0] for r in rows}):
        base = by[(size, "SQLite WAL")][4]
        print(f"{size:>5} interviews  ours/SQLite={by[(size, 'pi87-field store')][4] / base:5.2f}  "
              f"TinyDB-one-file/SQLite={by[(size, 'TinyDB, one file')][4] / base:7.1f}")
    ours = [by[(s, "pi87-field store")][4] for s in sorted({r[0] for r in rows})]
    print(f"\nFlatness: p95 at largest / p95 at smallest = {ours[-1] / ours[0]:.2f}")


if __name__ == "__main__":
    main()
