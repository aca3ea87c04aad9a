"""Hashed TF-IDF features (word 1-2 grams with negation marks, character 2-5 grams), numpy only.

The same code builds the training matrix (training/train_sentiment.py) and featurises at run time, so
the shipped model is only a weight matrix and an IDF vector: no vocabulary, no pickle, no scikit-learn.
CRC32 is used because Python's own ``hash`` of a str changes from one process to the next.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter

import numpy as np
import numpy.typing as npt

from mutuals.enrich.text import normalize

N_BITS = 20
N_FEATURES = 1 << N_BITS
_MASK = N_FEATURES - 1
_TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]")
_NEGATORS = frozenset({"not", "no", "never", "nobody", "nothing", "cannot", "without", "nor"})
_CLAUSE_END = frozenset({".", ",", "!", "?", ";", ":"})


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8", "surrogatepass")) & _MASK


def _words(tokens: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    negated = False
    for i, tok in enumerate(tokens):
        counts["w:" + tok] += 1
        if negated:
            counts["n:" + tok] += 1
        if i:
            counts["b:" + tokens[i - 1] + " " + tok] += 1
        if tok in _NEGATORS or tok.endswith("n't"):
            negated = True
        elif tok in _CLAUSE_END:
            negated = False
    return counts


def _chars(text: str) -> Counter[str]:
    padded = f" {text} "
    counts: Counter[str] = Counter()
    for n in (2, 3, 4, 5):
        for i in range(len(padded) - n + 1):
            counts[padded[i : i + n]] += 1
    return counts


def _block(counts: Counter[str], prefix: str, idf: npt.NDArray[np.float32] | None) -> dict[int, float]:
    acc: dict[int, float] = {}
    for feat, c in counts.items():
        b = _bucket(prefix + feat)
        acc[b] = acc.get(b, 0.0) + 1.0 + math.log(c)  # sublinear term frequency
    if idf is not None:
        for b in acc:
            acc[b] *= float(idf[b])
    norm = math.sqrt(sum(v * v for v in acc.values())) or 1.0
    return {b: v / norm for b, v in acc.items()}


def hashed_features(
    text: str, idf: npt.NDArray[np.float32] | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Bucket indices and L2-normalised TF-IDF values of one text (word and char blocks normalised apart)."""
    norm = normalize(text)
    words = _block(_words(_TOKEN.findall(norm)), "", idf)
    chars = _block(_chars(norm), "c:", idf)
    merged = dict(words)
    for b, v in chars.items():
        merged[b] = merged.get(b, 0.0) + v
    idx = np.fromiter(merged.keys(), dtype=np.int64, count=len(merged))
    val = np.fromiter(merged.values(), dtype=np.float32, count=len(merged))
    return idx, val
