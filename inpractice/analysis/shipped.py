"""Coders that ship trained: a packaged model for a codebook, loaded wherever that codebook codes.

The five-principles codebook comes with a coder trained on every passage the project's coders
labelled (`python -m eval.train_default` writes it to `models/five-principles-coder/`; the
manifest records the training set's size and hash and its cross-validated and held-out figures).
`default_coder` gives a call's codebook that model when its codebook is the one the model was
trained for and has every code the model knows; otherwise, and at sub-code level, it gives the
zero-shot coder, and `Coder.describe()` says which one coded.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from .codebook import Codebook
from .coder import Coder
from .embeddings import Embedder

SHIPPED = {"five-principles": "five-principles-coder"}
# Above this many passages (about 4,500 submissions) a call is coded by the fast variant (words
# and embeddings, no character n-grams). Character n-grams are by far the slowest features —
# about 1,700–2,500 passages a second on one core, 68 s of a 10,000-submission analysis — and buy
# +0.007 micro-F1 on held-out documents, inside the confidence interval (eval/README.md). The
# run records which variant coded; bench/analysis_bench.py measures both.
FAST_PATH_PASSAGES = 50_000
VARIANTS = ("full", "fast")


def shipped_model_dir(codebook_id: str, variant: str = "full") -> Path | None:
    name = SHIPPED.get(codebook_id)
    if name is None:
        return None
    folder = Path(str(resources.files("inpractice.analysis").joinpath("models", name, variant)))
    return folder if (folder / "manifest.json").exists() else None


@cache
def shipped_manifest(codebook_id: str, variant: str = "full") -> dict | None:
    folder = shipped_model_dir(codebook_id, variant)
    return json.loads((folder / "manifest.json").read_text()) if folder else None


def variant_for(passages: int | None) -> str:
    return "fast" if passages is not None and passages > FAST_PATH_PASSAGES else "full"


def default_coder(
    codebook: Codebook,
    embedder: Embedder | None = None,
    level: str = "top",
    seed: int = 0,
    passages: int | None = None,
    variant: str | None = None,
) -> Coder:
    """The coder a call gets before anyone trains one: shipped-trained where a model exists.

    `passages` (how many will be coded) picks the fast variant for very large calls; `variant`
    names one outright (to code more submissions exactly as a run did).
    """
    coder = Coder(codebook, embedder=embedder, level=level, seed=seed)
    variant = variant or variant_for(passages)
    manifest = shipped_manifest(codebook.id, variant)
    if manifest is None or level != "top" or not set(manifest["codes"]) <= set(coder.code_ids):
        return coder
    if manifest["embedder"] != coder.feature_embedder.name:
        # Trained on other embeddings (e.g. a transformer configured instead of the static
        # default): its weights would read the wrong features, so code zero-shot and say so.
        return coder
    return coder.load(shipped_model_dir(codebook.id, variant), source=f"shipped:{variant}")


def model_name(about: dict) -> str:
    """A short name for the model behind a code (`Coder.describe()`), e.g. for each coded line."""
    if about.get("kind") != "trained":
        return f"zero-shot:{about.get('embedder', '')}"
    return f"{'+'.join(about['sources'])}@{about['training']['sha256'][:12]}"


def model_in_words(about: dict | None) -> str:
    """What coded the passages, for people: CLI output, the run pages and the report's method."""
    if not about:
        return "not recorded (the run predates model records)"
    if about.get("kind") != "trained":
        return (
            "zero-shot: nobody has labelled passages for this codebook, so codes are read from "
            "the code descriptions alone (expect far lower agreement with analysts)"
        )
    training = about["training"]
    shipped = any(s.startswith("shipped") for s in about["sources"])
    origin = "the model shipped with the codebook" if shipped else "a model trained for this call"
    if shipped and "fit" in about["sources"]:
        origin = (
            "the shipped model, with codes retrained on analysts' labels where that scored better"
        )
    sentence = (
        f"{origin} ({', '.join(about['features'])}), trained on "
        f"{training['passages']:,} labelled passages (training set {training['sha256'][:12]}), "
        f"cross-validated micro-F1 {training['cv']['micro_f1']:.2f}"
    )
    if about.get("untrained_codes"):
        sentence += f"; not applied for lack of examples: {', '.join(about['untrained_codes'])}"
    return sentence
