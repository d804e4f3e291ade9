"""The five-principles labelled set: every passage two coders labelled, with adjudicated labels.

Four batches, each double-coded blind under docs/coding-guidelines.md (see eval/README.md for who
the coders were):

* ``d`` — the original development set (`passages.jsonl`; coders A and B);
* ``x`` — the 500 training-only passages (`extra_passages.jsonl`; coders C and D);
* ``m`` — every remaining passage of the Ofsted reports and DfE case studies
  (`more_passages.jsonl`; coders A2 and B2);
* ``s`` — submission-like passages written for this purpose (`submission_like.jsonl`, the only
  batch whose text is stored here; coders E and F).

A passage's label set is what both coders applied, plus each disputed code the adjudicator kept
(`adjudication.jsonl`). Duplicate texts (report boilerplate) are kept once.

The held-out part is chosen by **source document** (a report, a case study or one written
submission), by a hash of its id, so no document contributes passages to both sides; nothing is
tuned on it. A duplicated text seen in any held-out document is held out.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from eval.build_devset import DEVSET, SHARED, load_passages

CODES = ["p1", "p2", "p3", "p4", "p5"]
# One source document in five is held out.
HOLDOUT_EVERY = 5

BATCHES = (
    # (passage list, coder one, coder two)
    ("passages.jsonl", "coder_a.jsonl", "coder_b.jsonl"),
    ("extra_passages.jsonl", "coder_c_extra.jsonl", "coder_d_extra.jsonl"),
    ("more_passages.jsonl", "coder_a_more.jsonl", "coder_b_more.jsonl"),
    ("submission_like.jsonl", "coder_e_submission_like.jsonl", "coder_f_submission_like.jsonl"),
)


@dataclass
class Passage:
    id: str
    text: str
    group: str  # the source document
    origin: str  # ofsted, dfe or submission-like
    first: frozenset[str]
    second: frozenset[str]
    labels: frozenset[str]
    heldout: bool


def read_labels(path: Path) -> dict[str, frozenset[str]]:
    rows = map(json.loads, path.read_text().splitlines())
    return {row["id"]: frozenset(row["labels"]) for row in rows}


def is_heldout(group: str) -> bool:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % HOLDOUT_EVERY == 0


def _texts(name: str, shared: Path) -> list[dict]:
    if name == "submission_like.jsonl":
        rows = [json.loads(line) for line in (DEVSET / name).read_text().splitlines()]
        return [{**r, "source": f"submission/{r['submission']}"} for r in rows]
    return load_passages(shared, name=name)


def load(shared: Path = SHARED) -> list[Passage]:
    adjudicated = read_labels(DEVSET / "adjudication.jsonl")
    rows: list[Passage] = []
    for name, one, two in BATCHES:
        first, second = read_labels(DEVSET / one), read_labels(DEVSET / two)
        for row in _texts(name, shared):
            a, b = first[row["id"]], second[row["id"]]
            if a == b:
                labels = a
            elif row["id"] in adjudicated:
                labels = adjudicated[row["id"]]
            else:
                # A duplicate of an adjudicated text: its twin's decision stands (below).
                labels = a & b
            group = row["source"]
            rows.append(
                Passage(
                    id=row["id"],
                    text=row["text"],
                    group=group,
                    origin=group.split("/")[0].replace("submission", "submission-like"),
                    first=a,
                    second=b,
                    labels=labels,
                    heldout=is_heldout(group),
                )
            )
    # Keep each text once; hold it out if any copy is in a held-out document.
    by_text: dict[str, Passage] = {}
    heldout_texts = {p.text for p in rows if p.heldout}
    decided = {p.text: p.labels for p in rows if p.id in adjudicated}
    for p in rows:
        if p.text in by_text:
            continue
        p.heldout = p.text in heldout_texts
        p.labels = decided.get(p.text, p.labels)
        by_text[p.text] = p
    return list(by_text.values())


def summary(passages: list[Passage]) -> dict:
    def counts(rows):
        return {
            "passages": len(rows),
            "documents": len({p.group for p in rows}),
            "by_origin": dict(Counter(p.origin for p in rows)),
            "by_code": {c: sum(c in p.labels for p in rows) for c in CODES},
            "none": sum(not p.labels for p in rows),
        }

    return {
        "training": counts([p for p in passages if not p.heldout]),
        "heldout": counts([p for p in passages if p.heldout]),
    }


if __name__ == "__main__":
    print(json.dumps(summary(load()), indent=2))
