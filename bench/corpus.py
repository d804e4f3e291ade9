"""Synthetic submissions of about 500 words for benchmarks, built from the demo's text library.

Deterministic for a given seed; no Django and no files outside the repository, so the same corpus
can be built on the GPU machine.
"""

from __future__ import annotations

import random

from inpractice.analysis.pipeline import Document
from inpractice.demo.texts import ADVICE, ENABLERS, EXTRAS, IMPACT, PRACTICES, VIGNETTES


def _pick(rng: random.Random, pool, k: int) -> str:
    return " ".join(
        f.text if hasattr(f, "text") else f for f in rng.sample(pool, min(k, len(pool)))
    )


def submissions(n: int, seed: int = 0, words: int = 500) -> list[Document]:
    rng = random.Random(seed)
    documents = []
    for i in range(n):
        practice = rng.choice(PRACTICES)
        body = practice.text + "\n\n" + _pick(rng, EXTRAS, 2) + "\n\n" + _pick(rng, VIGNETTES, 1)
        impact = _pick(rng, IMPACT, 3)
        enablers = _pick(rng, ENABLERS, 2)
        advice = _pick(rng, ADVICE, 2)
        fields = {
            "need_description": rng.choice(practice.need_descriptions),
            "practice": body,
            "impact": impact,
            "enablers": enablers,
            "advice": advice,
        }
        # Trim or pad the practice so submissions average about `words` words, as the brief's
        # 100,000-submission case assumes.
        total = sum(len(v.split()) for v in fields.values())
        while total < words * 0.95:
            extra = _pick(rng, EXTRAS, 1)
            fields["practice"] += "\n\n" + extra
            total += len(extra.split())
        documents.append(Document(f"B{i:06d}", fields))
    return documents
