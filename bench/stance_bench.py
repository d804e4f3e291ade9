"""What the stance step costs in the analysis pipeline: passages a second and share of the run.

    .venv/bin/python -m bench.stance_bench [--submissions 2000] [--out bench/results/stance.json]

Analyses synthetic submissions (bench/corpus.py) in one process with the shipped coder and the
shipped stance model, and prints JSON: the stance step's seconds, how many passages it classified
(only those with an applied code), passages a second, its share of the analysis, and what that
rate means for a 100,000-submission call (1,147,924 passages in bench/results/
job_analysis_postgres.json) at the same coded share.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from bench.corpus import submissions
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.pipeline import analyse
from inpractice.analysis.stance import shipped_stance_classifier

PASSAGES_AT_100K = 1_147_924


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    classifier = shipped_stance_classifier()
    if classifier is None:
        raise SystemExit("no stance model is shipped: python -m eval.train_stance first")
    documents = submissions(args.submissions)
    started = time.perf_counter()
    result = analyse(documents, load_codebook("default"), stance=classifier, workers=1)
    total = time.perf_counter() - started
    coded = int((result.stances >= 0).sum())
    seconds = result.timings["stance"]
    rate = coded / seconds if seconds else float("inf")
    coded_share = coded / len(result.passages)
    figures = {
        "benchmark": "stance step of the analysis pipeline (one process)",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "submissions": args.submissions,
        "passages": len(result.passages),
        "coded_passages": coded,
        "coded_share": round(coded_share, 3),
        "stance_seconds": round(seconds, 2),
        "stance_passages_per_second": round(rate, 1),
        "code_seconds": result.timings.get("code"),
        "analysis_seconds": round(total, 2),
        "stance_share_of_analysis": round(seconds / total, 3),
        "estimated_stance_seconds_at_100k_one_process": round(
            PASSAGES_AT_100K * coded_share / rate, 1
        ),
        "features": result.parameters["stance"]["features"],
    }
    text = json.dumps(figures, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
