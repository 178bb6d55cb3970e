"""Pseudonymisation: what it finds, what it spares, what it costs.

- recall on the labelled corpus (tests/fixtures/privacy_corpus/corpus.txt: person mentions in
  answers, notes, reviewers' notes, file names and facts; phones and e-mails): mentions replaced
  / all mentions (goal ≥ 99 %), the mentions missed and the ordinary words of the corpus changed;
- precision on ordinary text: the final report's full text (../shared/seed/…), pseudonymised with
  an empty register: the words changed that are not a person's name (goal 0, each one listed);
- cost: the merge of 127 write-ups (JSON bundles, 3 interviews each, 800-character answers) with
  `--pseudonymise`, against the same merge without it, in the same run (goal: within 20×); and
  `pseudonymise_bundles` alone against reading the bundles. The French model's load (once per
  process) is inside the pseudonymised merge's time.

    .venv/bin/python -m tests.benchmarks --only privacy
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import figure


def run(quick: bool = False) -> dict:
    from pi87_field.core.bundle import read_bundle_file
    from pi87_field.core.merge import merge_files
    from pi87_field.core.privacy import PseudonymRegister, pseudonymise_bundles
    from tests.benchmarks.bench_merge import generate

    count = 6 if quick else 127
    with tempfile.TemporaryDirectory(prefix="pi87-bench-privacy-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, count, "json")
        timings = {}
        # the pseudonymised merge first: it pays the French model's load, as a user's run does
        for label, flag in (("pseudonymised", True), ("nominative", False)):
            start = time.perf_counter()
            merge_files(paths, folder / f"{label}.docx", pseudonymise=flag)
            timings[label] = time.perf_counter() - start
        start = time.perf_counter()
        bundles = [read_bundle_file(p) for p in paths]
        read = time.perf_counter() - start
        chars = sum(len(a.text) for b in bundles for i in b.interviews for a in i.answers.values())
        start = time.perf_counter()
        _, report = pseudonymise_bundles(bundles, PseudonymRegister.in_memory())
        alone = time.perf_counter() - start
    quality = _quality()
    return {
        "params": {"bundles": count, "answer_characters": chars, "residual_words": len(report.items),
                   **quality.pop("params")},
        "figures": {
            **quality,
            "pseudonymise_bundles": figure(alone, "s", {"read_bundles": read},
                                           what=f"pseudonymise {count} bundles, one register"),
            "merge_pseudonymised": figure(timings["pseudonymised"], "s", {"merge_nominative": timings["nominative"]},
                                          what=f"merge --pseudonymise of {count} bundles"),
        },
    }


def _quality() -> dict:
    import sys

    from tests.fixtures.privacy_corpus.score import corpus_score, report_score

    score = corpus_score()
    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_b814e8720ab1cfd5.txt"
    out: dict = {"params": {"corpus_mentions": score.mentions, "corpus_contacts": score.contacts}}
    out["corpus_recall"] = figure(
        score.replaced, "mentions", {"corpus_mentions": score.mentions},
        what="person mentions of the labelled corpus replaced (ratio = recall, goal ≥ 0.99)",
        contacts_replaced=f"{score.contacts_replaced}/{score.contacts}",
        missed=[f"{p} · {w} · {c}" for p, w, c in score.missed],
        ordinary_words_changed=[f"{w} « {c} »" for w, c in score.changed])
    print(f"privacy: recall {score.replaced}/{score.mentions} = {score.recall:.1%}, contacts "
          f"{score.contacts_replaced}/{score.contacts}, corpus words changed {len(score.changed)}", file=sys.stderr)
    if seed.exists():
        words = len(seed.read_text(encoding="utf-8").split())
        changed, people = report_score(seed)
        out["report_words_changed"] = figure(
            len(changed), "words", {"report_words": words},
            what="words of the final report changed that are not a person's name (goal 0), empty register",
            changed=[f"{w} « {c} »" for w, c in changed], names_replaced=[w for w, _c in people])
        print(f"privacy: report words changed {len(changed)} {[w for w, _c in changed]}", file=sys.stderr)
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
