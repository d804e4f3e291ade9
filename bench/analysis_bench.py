"""Benchmark the analysis pipeline; prints JSON.

    python -m bench.analysis_bench --sizes 1000 10000 100000      # CPU scaling table
    python -m bench.analysis_bench --sizes 100000 --embedder transformer   # GPU machine

Each size runs in its own process so its peak memory (max RSS) is its own. For each size the
raw encoder is also timed alone on the same passages, giving the pipeline-to-encoder ratio.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time


def run_one(n: int, embedder_spec: str, seed: int) -> dict:
    from bench.corpus import submissions
    from inpractice.analysis.codebook import load_codebook
    from inpractice.analysis.embeddings import load_embedder
    from inpractice.analysis.pipeline import analyse

    started = time.perf_counter()
    documents = submissions(n, seed=seed)
    build_seconds = time.perf_counter() - started
    words = sum(len(v.split()) for d in documents for v in d.fields.values())
    embedder = load_embedder(embedder_spec)
    started = time.perf_counter()
    result = analyse(documents, load_codebook("default"), embedder=embedder, seed=seed)
    pipeline_seconds = time.perf_counter() - started
    passages = len(result.passages)
    stages = dict(result.timings)
    coder = result.parameters["coder"]
    coder_used = {
        "kind": coder["kind"],
        "sources": coder.get("sources"),
        "features": coder.get("features"),
        "code_stage_passages_per_second": round(passages / max(stages.get("code", 0), 1e-9)),
    }
    # The raw encoder alone on the very same passage texts (already sliced, so only encoding).
    texts = result.passages.texts(range(passages))
    del result
    started = time.perf_counter()
    embedder.encode(texts)
    encoder_seconds = time.perf_counter() - started
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return {
        "submissions": n,
        "words": words,
        "passages": passages,
        "embedder": embedder.name,
        "coder": coder_used,
        "corpus_build_seconds": round(build_seconds, 2),
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_passages_per_second": round(passages / pipeline_seconds),
        "encoder_seconds": round(encoder_seconds, 2),
        "encoder_passages_per_second": round(passages / encoder_seconds),
        "pipeline_to_encoder_throughput": round(
            (passages / pipeline_seconds) / (passages / encoder_seconds), 3
        ),
        "peak_rss_gib": round(peak_gib, 2),
        "stage_seconds": stages,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.sizes[0], args.embedder, args.seed)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.analysis_bench",
                "--one",
                "--sizes",
                str(n),
                "--embedder",
                args.embedder,
                "--seed",
                str(args.seed),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    base = rows[0]
    for row in rows:
        # Near-linear growth means seconds per passage stays flat as the call grows.
        row["seconds_per_1k_passages"] = round(1000 * row["pipeline_seconds"] / row["passages"], 3)
        row["growth_vs_smallest"] = round(
            (row["pipeline_seconds"] / base["pipeline_seconds"])
            / (row["passages"] / base["passages"]),
            2,
        )
    print(
        json.dumps(
            {"machine": platform.node(), "cpus": __import__("os").cpu_count(), "runs": rows},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
