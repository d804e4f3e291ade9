"""The personal data check on texts it must leave alone, and on the evasion corpus; prints JSON.

    python -m bench.personal_data_bench
    python -m bench.personal_data_bench --dfe ../shared/data/case_studies/dfe_remote_education

Counts every finding `inpractice.analysis.personal_data` makes on two sets of texts without real
personal data in them, each finding with its context so a person can judge it:

* the demo's texts: every string of three words or more in `inpractice/demo/data/*.yaml`;
* real prose: the DfE's published remote education case studies (Markdown), when `--dfe` points
  at them (they name public figures, e.g. the authors of well-known online lessons).

And the evasion corpus (`tests/analysis/personal_data_evasions.yaml`): evasions caught out of all,
clean sentences flagged out of all. Also the time per text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import yaml

from inpractice.analysis import personal_data as pd

ROOT = Path(__file__).resolve().parent.parent


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _findings(texts: list[str]) -> dict:
    counts: Counter[tuple[str, str]] = Counter()
    contexts: dict[tuple[str, str], str] = {}
    started = time.perf_counter()
    for text in texts:
        for f in pd.analyse_text(text):
            key = (f.entity_type, f.text)
            counts[key] += 1
            context = text[max(0, f.start - 40) : f.end + 40]
            contexts.setdefault(key, " ".join(context.split()))
    elapsed = time.perf_counter() - started
    return {
        "texts": len(texts),
        "characters": sum(len(t) for t in texts),
        "findings": sum(counts.values()),
        "ms_per_text": round(1000 * elapsed / max(1, len(texts)), 3),
        "each": [
            {"kind": kind, "text": text, "count": n, "context": contexts[(kind, text)]}
            for (kind, text), n in sorted(counts.items())
        ],
    }


def _corpus() -> dict:
    corpus = yaml.safe_load(
        (ROOT / "tests" / "analysis" / "personal_data_evasions.yaml").read_text("utf-8")
    )
    caught = 0
    missed = []
    for case in corpus["evasions"]:
        findings = pd.analyse_text(case["text"])
        ok = True
        for piece in case["catch"]:
            start = case["text"].index(piece)
            end = start + len(piece)
            ok &= any(f.start <= start and f.end >= end for f in findings)
        caught += ok
        if not ok:
            missed.append(case["text"])
    flagged = [text for text in corpus["clean"] if pd.analyse_text(text)]
    return {
        "evasions_caught": caught,
        "evasions": len(corpus["evasions"]),
        "missed": missed,
        "clean_flagged": len(flagged),
        "clean": len(corpus["clean"]),
        "flagged": flagged,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dfe", type=Path, help="folder of the DfE case studies (*.md)")
    args = parser.parse_args(argv)
    pd.analyse_text("warm up: Mrs Patel")
    demo = [
        s
        for path in sorted((ROOT / "inpractice" / "demo" / "data").glob("*.yaml"))
        for s in _strings(yaml.safe_load(path.read_text("utf-8")))
        if len(s.split()) >= 3
    ]
    result = {"corpus": _corpus(), "demo": _findings(demo)}
    if args.dfe:
        result["dfe"] = _findings([p.read_text("utf-8") for p in sorted(args.dfe.glob("*.md"))])
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
