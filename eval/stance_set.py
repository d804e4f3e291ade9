"""The stance labelled set: 900 coded passages, each given one stance by two blind coders.

Passages come from the five-principles labelled set (`eval/labelled_set.py`), drawn only from
those carrying at least one principle (a stance is only ever given to a coded passage). Two
coders labelled every one independently under docs/stance-guidelines.md (practice, enabler,
barrier or impact); an adjudicator settled each disagreement. Files, one JSON line per passage
(`{"id": .., "stance": ..}`), in eval/devset/:

* ``stance_coder_a.jsonl`` and ``stance_coder_b.jsonl`` — the two coders;
* ``stance_adjudication.jsonl`` — the adjudicator's decision (on the disagreements at least).

A passage's stance is what both coders gave, else the adjudicator's. Texts, source documents and
the held-out split come from `labelled_set.load()`: the held-out part is the same held-out
*source documents* as the coder's, so nothing is tuned on them here either.

    python -m eval.stance_set      # sizes and coder agreement

`STANCE_LABELS` (an environment variable naming one JSONL file of `{"id", "stance"}`) replaces
all three files with a single provisional set, for development before the coders finish; every
figure then says it is provisional.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from eval.build_devset import DEVSET
from eval.labelled_set import load as load_passages
from inpractice.analysis.agreement import bootstrap_ci, cohens_kappa, percent_agreement
from inpractice.analysis.stance import STANCES

CODER_A = "stance_coder_a.jsonl"
CODER_B = "stance_coder_b.jsonl"
ADJUDICATION = "stance_adjudication.jsonl"


@dataclass
class StancePassage:
    id: str
    text: str
    group: str  # the source document
    origin: str  # ofsted, dfe or submission-like
    principles: frozenset[str]
    first: str | None  # coder A's stance (None: provisional set, one labeller)
    second: str | None
    stance: str
    heldout: bool


def read_stances(path: Path) -> dict[str, str]:
    """{id: stance} from a JSONL file; an unknown stance or bad line names the file and line."""
    out: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            passage, stance = str(row["id"]), str(row["stance"]).strip().lower()
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}, line {number}: expected {{'id', 'stance'}}: {exc}") from exc
        if stance not in STANCES:
            raise ValueError(
                f"{path}, line {number}: stance {stance!r} is not one of {', '.join(STANCES)}"
            )
        out[passage] = stance
    return out


def provisional_path() -> Path | None:
    value = os.environ.get("STANCE_LABELS")
    return Path(value) if value else None


def available(devset: Path = DEVSET) -> bool:
    """Whether the coders' and adjudicator's files (or a provisional set) are there."""
    if provisional_path() is not None:
        return provisional_path().exists()
    return all((devset / name).exists() for name in (CODER_A, CODER_B, ADJUDICATION))


def load(devset: Path = DEVSET) -> list[StancePassage]:
    """Every labelled passage with its text, document, split and final stance."""
    texts = {p.id: p for p in load_passages()}
    provisional = provisional_path()
    if provisional is not None:
        first = second = None
        final = read_stances(provisional)
    else:
        first = read_stances(devset / CODER_A)
        second = read_stances(devset / CODER_B)
        adjudicated = read_stances(devset / ADJUDICATION)
        final = {}
        for pid in sorted(set(first) | set(second)):
            a, b = first.get(pid), second.get(pid)
            if a is not None and a == b:
                final[pid] = a
            elif pid in adjudicated:
                final[pid] = adjudicated[pid]
        # An adjudicated passage one coder skipped still has a decided stance.
        for pid, stance in adjudicated.items():
            final.setdefault(pid, stance)
    unknown = sorted(set(final) - set(texts))
    if unknown:
        raise ValueError(
            f"{len(unknown)} labelled ids are not in the five-principles labelled set "
            f"(eval/labelled_set.py), e.g. {', '.join(unknown[:3])}"
        )
    rows = []
    for pid, stance in sorted(final.items()):
        p = texts[pid]
        rows.append(
            StancePassage(
                id=pid,
                text=p.text,
                group=p.group,
                origin=p.origin,
                principles=p.labels,
                first=first.get(pid) if first is not None else None,
                second=second.get(pid) if second is not None else None,
                stance=stance,
                heldout=p.heldout,
            )
        )
    return rows


def agreement(passages: list[StancePassage], seed: int = 0) -> dict:
    """Coder A against coder B on the passages both labelled: percent agreement and Cohen's
    kappa with 95% bootstrap intervals (passages resampled), overall and on the held-out part.
    This is the ceiling a classifier is read against."""

    def figures(rows: list[StancePassage]) -> dict:
        pairs = [(p.first, p.second) for p in rows if p.first and p.second]
        if not pairs:
            return {"passages": 0}
        a, b = [x for x, _ in pairs], [y for _, y in pairs]
        units = list(range(len(pairs)))

        def stat(fn):
            return lambda sample: fn([a[i] for i in sample], [b[i] for i in sample])

        pa = bootstrap_ci(stat(percent_agreement), units, seed=seed)
        kappa = bootstrap_ci(stat(cohens_kappa), units, seed=seed)
        return {
            "passages": len(pairs),
            "percent_agreement": round(pa.estimate, 4),
            "percent_agreement_ci": [round(pa.low, 4), round(pa.high, 4)],
            "kappa": round(kappa.estimate, 4),
            "kappa_ci": [round(kappa.low, 4), round(kappa.high, 4)],
            "disagreements": sum(x != y for x, y in pairs),
        }

    return {
        "all": figures(passages),
        "heldout": figures([p for p in passages if p.heldout]),
    }


def summary(passages: list[StancePassage]) -> dict:
    def counts(rows: list[StancePassage]) -> dict:
        return {
            "passages": len(rows),
            "documents": len({p.group for p in rows}),
            "by_origin": dict(Counter(p.origin for p in rows)),
            "by_stance": {s: sum(p.stance == s for p in rows) for s in STANCES},
        }

    return {
        "provisional": provisional_path() is not None,
        "training": counts([p for p in passages if not p.heldout]),
        "heldout": counts([p for p in passages if p.heldout]),
    }


if __name__ == "__main__":
    rows = load()
    print(json.dumps({**summary(rows), "agreement": agreement(rows)}, indent=2))
