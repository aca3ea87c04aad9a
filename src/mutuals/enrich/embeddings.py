"""Sentence embeddings with all-MiniLM-L6-v2, run in plain numpy (no torch, no onnxruntime).

The weights ship in models/minilm/ (int8 per-row quantised; see training/convert_minilm.py and the model
card). Texts are sorted by length and batched so that padding stays small; output rows are mean-pooled
and L2-normalised, as sentence-transformers does for this model.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"
MAX_TOKENS = 128
N_LAYERS = 6
N_HEADS = 12
HIDDEN = 384
EPS = 1e-12

Array = npt.NDArray[np.float32]


class MiniLM:
    def __init__(self, folder: Path = MODEL_DIR) -> None:
        raw = np.load(folder / "weights.npz")
        self.w: dict[str, Array] = {}
        for name in raw.files:
            if name.endswith(".scale"):
                continue
            if name.endswith(".q"):
                base = name[:-2]
                self.w[base] = raw[name].astype(np.float32) * raw[base + ".scale"]
            else:
                self.w[name] = raw[name].astype(np.float32)
        for name in list(self.w):  # pre-transpose the dense layers: x @ W.T becomes x @ Wt
            if name.endswith("dense.weight") or name.endswith(("query.weight", "key.weight", "value.weight")):
                self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, texts: list[str], batch_size: int = 64) -> Array:
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch([t or " " for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(ids[i]) for i in chunk)
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[chunk] = self._forward(batch, mask)
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: Array) -> Array:
        w = self.w
        n, width = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        head = HIDDEN // N_HEADS
        for i in range(N_LAYERS):
            p = f"encoder.layer.{i}."

            def dense(h: Array, name: str, p: str = p) -> Array:
                # 2-D matmul: numpy runs a 3-D one as many small products, ~15x slower here
                flat = h.reshape(-1, h.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
                return flat.reshape(n, width, -1)

            def heads(h: Array) -> Array:
                return h.reshape(n, width, N_HEADS, head).transpose(0, 2, 1, 3)

            q = heads(dense(x, "attention.self.query"))
            k = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, width, HIDDEN)
            x = _layer_norm(
                x + dense(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                x + dense(hidden, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-9), dtype=np.float32)


def _layer_norm(x: Array, gamma: Array, beta: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + EPS) * gamma + beta, dtype=np.float32)


def _gelu(x: Array) -> Array:
    # tanh approximation of GELU; differs from the erf form by < 1e-3, far below int8 weight noise
    return np.asarray(
        0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * (x * x * x)))), dtype=np.float32
    )


@lru_cache(maxsize=1)
def get_encoder() -> MiniLM:
    return MiniLM()


def embed(texts: list[str]) -> Array:
    """Unit-length 384-d embeddings of ``texts`` (one row each, in order)."""
    return get_encoder().encode(texts)
