"""Fit the zero-shot coder's calibration curve and threshold on the development split only.

    python -m eval.calibrate_zero_shot

Prints the constants to copy into inpractice/analysis/coder.py. The held-out split is not read.
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression

from eval.devset_labels import CODES, load
from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.coder import Coder


def main() -> None:
    devset = load()
    dev = devset.indices("dev")
    texts = [devset.texts[i] for i in dev]
    consensus = devset.consensus()
    y = np.array([[c in consensus[devset.ids[i]] for c in CODES] for i in dev], dtype=int)
    coder = Coder(load_codebook("default"))
    z = coder.similarities(coder.embed(texts))
    curve = LogisticRegression(C=1e4, max_iter=1000).fit(z.reshape(-1, 1), y.reshape(-1))
    slope, offset = float(curve.coef_[0, 0]), float(curve.intercept_[0])
    probs = 1 / (1 + np.exp(-(slope * z + offset)))
    best = max(
        (2 * ((probs >= t) & (y == 1)).sum() / ((probs >= t).sum() + y.sum()), float(t))
        for t in np.arange(0.05, 0.8, 0.01)
    )
    print(
        json.dumps(
            {
                "ZERO_SHOT_SLOPE": round(slope, 3),
                "ZERO_SHOT_OFFSET": round(offset, 3),
                "ZERO_SHOT_THRESHOLD": round(best[1], 2),
                "dev_micro_f1": round(float(best[0]), 3),
                "dev_passages": len(dev),
            }
        )
    )


if __name__ == "__main__":
    main()
