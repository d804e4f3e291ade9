"""Raw transformer encoder throughput on a GPU at fixed sequence lengths, and on real passages.

    python -m bench.gpu_encoder --model PATH_OR_NAME [--passages 200000]

Prints JSON: forward-only passages/s at 64/128/256 tokens (fp16, the model alone), and
sentence-transformers `encode` on synthetic submissions' passages (tokenising included), which
is what the pipeline pays.
"""

from __future__ import annotations

import argparse
import json
import time


def forward_only(
    model_dir: str, lengths=(64, 128, 256), batch: int = 1024, seconds: float = 5.0
) -> dict:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_dir, torch_dtype=torch.float16).cuda().eval()
    out = {}
    for length in lengths:
        ids = torch.randint(1000, 30000, (batch, length), device="cuda")
        mask = torch.ones_like(ids)
        with torch.inference_mode():
            for _ in range(3):
                model(input_ids=ids, attention_mask=mask)
            torch.cuda.synchronize()
            n, started = 0, time.perf_counter()
            while time.perf_counter() - started < seconds:
                hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
                pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
                torch.nn.functional.normalize(pooled, dim=1)
                n += batch
            torch.cuda.synchronize()
            out[str(length)] = round(n / (time.perf_counter() - started))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--passages", type=int, default=200_000)
    args = parser.parse_args()
    import torch

    from bench.corpus import submissions
    from inpractice.analysis.embeddings import TransformerEmbedder
    from inpractice.analysis.segmentation import segment

    result = {
        "gpu": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "forward_only_passages_per_second": forward_only(args.model),
    }
    texts: list[str] = []
    for document in submissions(args.passages // 10):
        for text in document.fields.values():
            texts.extend(p.text for p in segment(text))
    texts = texts[: args.passages]
    embedder = TransformerEmbedder(args.model)
    embedder.encode(texts[:5000])  # warm up
    # sentence-transformers' own encode (the baseline our batched path replaces) on a slice
    started = time.perf_counter()
    embedder.model.encode(texts[:50_000], batch_size=1024, show_progress_bar=False)
    seconds = time.perf_counter() - started
    result["sentence_transformers_encode"] = {
        "passages": 50_000,
        "passages_per_second": round(50_000 / seconds),
    }
    for batch in (512, 1024, 2048):
        embedder.batch_size = batch
        started = time.perf_counter()
        embedder.encode(texts)
        seconds = time.perf_counter() - started
        result[f"inpractice_encode_batch_{batch}"] = {
            "passages": len(texts),
            "seconds": round(seconds, 2),
            "passages_per_second": round(len(texts) / seconds),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
