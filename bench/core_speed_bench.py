"""Speed of two analysis-core routines at scale, moved here from wall-clock assertions in the test
suite (they failed under load); prints JSON.

    python -m bench.core_speed_bench [--repeats 3]

- themes: `ThemeFinder` on 200,000 planted passages (256-d), seconds and traced peak memory
  as a share of the input matrix (the test suite keeps the memory bound on a smaller input).
- agreement: per-code agreement and the summary with 1,000 bootstrap resamples on 5,000 units
  by 20 codes, seconds.

Each figure is the median of the repeats, with every repeat listed.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import tracemalloc

import numpy as np


def themes_200k(seed: int = 0) -> dict:
    from inpractice.analysis.themes import ThemeFinder

    n, dim = 200_000, 256
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((30, dim)).astype(np.float32)
    topic = rng.integers(0, 30, n)
    X = centres[topic] + 2.0 * rng.standard_normal((n, dim), dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    texts = [f"Pupils use approach{t} with support{i % 13}." for i, t in enumerate(topic)]
    groups = [f"s{i // 7}" for i in range(n)]
    tracemalloc.start()
    started = time.perf_counter()
    finder = ThemeFinder(seed=0, n_themes=20, n_init=1, sample_size=20_000).fit(X, texts, groups)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 2),
        "peak_traced_to_input": round(peak / X.nbytes, 3),
        "themes": len(finder.themes_),
    }


def agreement_bootstrap(seed: int = 0) -> dict:
    from inpractice.analysis.agreement import per_code_agreement, summary

    rng = np.random.default_rng(seed)
    codes = [f"p{j}" for j in range(20)]
    units = [f"u{i}" for i in range(5000)]
    prevalence = rng.uniform(0.05, 0.5, len(codes))
    coder_a, coder_b = {}, {}
    for unit in units:
        a = {c for c, p in zip(codes, prevalence, strict=True) if rng.random() < p}
        # The second coder agrees on most codes and flips a few.
        b = {c for c in codes if (c in a) != (rng.random() < 0.1)}
        coder_a[unit], coder_b[unit] = a, b
    started = time.perf_counter()
    per_code_agreement(coder_a, coder_b, codes, ci=True, n_resamples=1000, seed=0)
    summary(coder_a, coder_b, codes, ci=True, n_resamples=1000, seed=0)
    return {"seconds": round(time.perf_counter() - started, 3), "units": 5000, "codes": 20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for name, routine in (
        ("themes_200k", themes_200k),
        ("agreement_bootstrap", agreement_bootstrap),
    ):
        runs = [routine() for _ in range(args.repeats)]
        results[name] = {
            "median_seconds": statistics.median(r["seconds"] for r in runs),
            "runs": runs,
        }
    print(json.dumps({"machine": platform.node(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
