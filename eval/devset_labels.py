"""The labelled development set: unique passages, the two coders' labels and their consensus.

Duplicate passages (report boilerplate repeated across documents) are kept once, and a passage in
the development split is never repeated in the held-out split, so nothing leaks from tuning into
the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eval.build_devset import DEVSET, load_passages

CODES = ["p1", "p2", "p3", "p4", "p5"]


@dataclass
class DevSet:
    ids: list[str]
    texts: list[str]
    splits: list[str]
    coder_a: dict[str, set[str]]
    coder_b: dict[str, set[str]]

    def consensus(self) -> dict[str, set[str]]:
        """A code is in the consensus when both coders applied it (see eval/README.md)."""
        return {i: self.coder_a[i] & self.coder_b[i] for i in self.ids}

    def indices(self, split: str) -> list[int]:
        return [n for n, s in enumerate(self.splits) if s == split]


def read_labels(path: Path) -> dict[str, set[str]]:
    return {row["id"]: set(row["labels"]) for row in map(json.loads, path.read_text().splitlines())}


def load() -> DevSet:
    rows = sorted(load_passages(), key=lambda r: r["split"] == "test")
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["sha"] not in seen:
            seen.add(row["sha"])
            unique.append(row)
    return DevSet(
        ids=[r["id"] for r in unique],
        texts=[r["text"] for r in unique],
        splits=[r["split"] for r in unique],
        coder_a=read_labels(DEVSET / "coder_a.jsonl"),
        coder_b=read_labels(DEVSET / "coder_b.jsonl"),
    )
