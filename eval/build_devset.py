"""Build the labelled development set's passage list from the public data in ../shared/data.

The repository keeps only references (source file, code-point offsets, a hash of the text) and the
coders' labels, never the prose itself; `load_passages()` reads the text back from the shared data
and checks each hash, so the set is reproducible and the licensed text stays where it is.

    python -m eval.build_devset            # writes eval/devset/passages.jsonl (seeded, stable)
    python -m eval.build_devset --texts /tmp/devset_texts.jsonl   # the texts, for coders
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

from inpractice.analysis.segmentation import canonical, segment

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEVSET = Path(__file__).resolve().parent / "devset"
OFSTED = "ofsted/ofsted_area_send_reports.jsonl"
CASE_STUDIES = "case_studies/dfe_remote_education"

# Running heads, page furniture and metadata lines carry no practice to code.
BOILERPLATE = re.compile(
    r"^(Area SEND inspection report|Local area partnership report|Inspection dates"
    r"|Dates of previous"
    r"|---|title:|lead_paragraph:|date:|related_content|explore_the_topic|\s*- name:|\s*link:)",
    re.IGNORECASE,
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def documents(shared: Path = SHARED) -> dict[str, str]:
    """Canonical text of every source document, keyed by a stable source id."""
    docs: dict[str, str] = {}
    for line in (shared / OFSTED).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[f"ofsted/{row['file']}"] = canonical(row["text"])
    for path in sorted((shared / CASE_STUDIES).glob("*.md")):
        docs[f"dfe/{path.name}"] = canonical(path.read_text(encoding="utf-8"))
    return docs


def candidate_passages(docs: dict[str, str]) -> list[dict]:
    found = []
    for source, text in docs.items():
        for p in segment(text, max_words=70, min_words=10):
            words = len(p.text.split())
            if words < 20 or BOILERPLATE.match(p.text) or p.text.count("|") > 3:
                continue
            found.append({"source": source, "start": p.start, "end": p.end, "sha": sha(p.text)})
    return found


def build(
    n_ofsted: int = 240, n_dfe: int = 120, test_share: float = 0.4, seed: int = 2025
) -> list[dict]:
    rng = random.Random(seed)
    passages = candidate_passages(documents())
    ofsted = [p for p in passages if p["source"].startswith("ofsted/")]
    dfe = [p for p in passages if p["source"].startswith("dfe/")]
    chosen = rng.sample(ofsted, min(n_ofsted, len(ofsted))) + rng.sample(dfe, min(n_dfe, len(dfe)))
    rng.shuffle(chosen)
    n_test = round(len(chosen) * test_share)
    for i, p in enumerate(chosen):
        p["id"] = f"d{i:04d}"
        # The held-out part is never used for tuning; see eval/README.md.
        p["split"] = "test" if i < n_test else "dev"
    return [{k: p[k] for k in ("id", "split", "source", "start", "end", "sha")} for p in chosen]


def build_extra(n: int = 500, seed: int = 7) -> list[dict]:
    """More passages for training only: none shares its text with the dev set (either split)."""
    taken = {
        json.loads(line)["sha"] for line in (DEVSET / "passages.jsonl").read_text().splitlines()
    }
    rng = random.Random(seed)
    pool, seen = [], set(taken)
    for p in candidate_passages(documents()):
        if p["sha"] not in seen:
            seen.add(p["sha"])
            pool.append(p)
    chosen = rng.sample(pool, min(n, len(pool)))
    return [
        {
            "id": f"x{i:04d}",
            "split": "train",
            **{k: p[k] for k in ("source", "start", "end", "sha")},
        }
        for i, p in enumerate(chosen)
    ]


REFERENCE = ("source", "start", "end", "sha")


def build_more(seed: int = 11) -> list[dict]:
    """Every remaining unique passage, for training: none shares its text with an earlier set."""
    taken = set()
    for name in ("passages.jsonl", "extra_passages.jsonl"):
        taken |= {json.loads(line)["sha"] for line in (DEVSET / name).read_text().splitlines()}
    pool, seen = [], set(taken)
    for p in candidate_passages(documents()):
        if p["sha"] not in seen:
            seen.add(p["sha"])
            pool.append(p)
    random.Random(seed).shuffle(pool)
    return [
        {"id": f"m{i:04d}", "split": "train", **{k: p[k] for k in REFERENCE}}
        for i, p in enumerate(pool)
    ]


def load_passages(shared: Path = SHARED, name: str = "passages.jsonl") -> list[dict]:
    """The dev set with its texts, checked against the stored hashes."""
    docs = documents(shared)
    rows = [json.loads(line) for line in (DEVSET / name).read_text().splitlines()]
    for row in rows:
        row["text"] = docs[row["source"]][row["start"] : row["end"]]
        if sha(row["text"]) != row["sha"]:
            raise ValueError(f"{row['id']}: the text in {row['source']} has changed")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, help="also write id/text lines here (not committed)")
    parser.add_argument("--extra", type=int, help="write N training-only passages instead")
    parser.add_argument("--more", action="store_true", help="write every remaining passage instead")
    args = parser.parse_args()
    if args.more:
        rows = build_more()
        with (DEVSET / "more_passages.jsonl").open("w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        if args.texts:
            with args.texts.open("w") as f:
                for row in load_passages(name="more_passages.jsonl"):
                    f.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
        print(f"{len(rows)} more passages")
        return
    if args.extra:
        rows = build_extra(args.extra)
        with (DEVSET / "extra_passages.jsonl").open("w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        if args.texts:
            with args.texts.open("w") as f:
                for row in load_passages(name="extra_passages.jsonl"):
                    f.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
        print(f"{len(rows)} training-only passages")
        return
    rows = build()
    DEVSET.mkdir(parents=True, exist_ok=True)
    with (DEVSET / "passages.jsonl").open("w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"{len(rows)} passages ({sum(r['split'] == 'test' for r in rows)} held out)")
    if args.texts:
        with args.texts.open("w") as f:
            for row in load_passages():
                f.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")


if __name__ == "__main__":
    main()
