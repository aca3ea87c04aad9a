"""Grouping texts into themes by meaning, without being told how many themes there are.

Texts are embedded (enrich/embeddings.py) and clustered by Ward agglomerative clustering of the
unit-length vectors, cut at DISTANCE_THRESHOLD (Ward's merge cost, which grows with both the distance
between two groups and their sizes), so the number of themes follows from the data. Groups smaller than
MIN_SIZE are dissolved; their texts join the nearest theme when similar enough to its centre
(ASSIGN_SIMILARITY), and stay unassigned otherwise. The same rule assigns new texts to existing themes
incrementally (assign_to_centroids). Labels are the theme's most distinctive words (class-based TF-IDF, as
BERTopic does) plus its most central message.
Thresholds were chosen on a random 3,000 BANKING77 lines (seed 0); benchmarks/themes.py reports
another sample. Average linkage on cosine distance scored lower there (0.78 NMI at 0.5; 0.80 only with
~200 themes for 77 concerns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mutuals.enrich.embeddings import embed

DISTANCE_THRESHOLD = 2.0
MIN_SIZE = 3
ASSIGN_SIMILARITY = 0.5
_HANDLES_AND_LINKS = re.compile(r"[@#]\w+|https?://\S+")  # "@brand" is in every message: not a key phrase
MAX_CLUSTERED = 20_000  # agglomerative clustering is O(n^2) in memory: larger inputs are sampled

Array = npt.NDArray[np.float32]


@dataclass
class Theme:
    label: str
    key_phrases: list[str]
    representative: int  # index of the most central member
    members: list[int] = field(default_factory=list)
    centroid: Array = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class ThemeResult:
    themes: list[Theme]
    unassigned: list[int]

    def as_dict(self) -> dict[str, object]:
        return {
            "themes": [{"label": t.label, "size": t.size, "members": t.members} for t in self.themes],
            "unassigned": self.unassigned,
        }


def find_themes(texts: Sequence[str], vectors: Array | None = None) -> ThemeResult:
    """Cluster ``texts`` (indices in the result are positions in ``texts``); empty texts stay unassigned."""
    from sklearn.cluster import AgglomerativeClustering  # lazy: sklearn costs ~1 s to import

    keep = [i for i, t in enumerate(texts) if t.strip()]
    if len(keep) < MIN_SIZE:
        return ThemeResult([], list(range(len(texts))))
    if len(keep) > MAX_CLUSTERED:
        raise ValueError(f"find_themes clusters at most {MAX_CLUSTERED} texts at once, got {len(keep)}")
    vecs = vectors[keep] if vectors is not None else embed([texts[i] for i in keep])
    labels = (
        AgglomerativeClustering(
            n_clusters=None, distance_threshold=DISTANCE_THRESHOLD, metric="euclidean", linkage="ward"
        )
        .fit(vecs)
        .labels_
    )
    sizes = np.bincount(labels)
    big = [c for c in range(len(sizes)) if sizes[c] >= MIN_SIZE]
    if not big:
        return ThemeResult([], list(range(len(texts))))
    centroids = _normalise(np.stack([vecs[labels == c].mean(axis=0) for c in big]))
    slot = {c: j for j, c in enumerate(big)}
    assigned = np.array([slot.get(int(c), -1) for c in labels])
    loose = np.where(assigned == -1)[0]
    if len(loose):
        assigned[loose] = assign_to_centroids(vecs[loose], centroids)
    groups: list[list[int]] = [[] for _ in big]
    for pos, j in enumerate(assigned):
        if j >= 0:
            groups[int(j)].append(pos)
    phrases = key_phrases([[texts[keep[p]] for p in g] for g in groups])
    themes = []
    for j, g in enumerate(groups):
        if not g:
            continue
        centroid = _normalise(vecs[g].mean(axis=0, keepdims=True))[0]
        central = g[int(np.argmax(vecs[g] @ centroid))]
        label = " / ".join(phrases[j][:3]) or texts[keep[central]][:60]
        themes.append(Theme(label, phrases[j], keep[central], [keep[p] for p in g], centroid))
    themes.sort(key=lambda t: (-t.size, t.members[0]))
    unassigned = sorted(set(range(len(texts))) - {m for t in themes for m in t.members})
    return ThemeResult(themes, unassigned)


def assign_to_centroids(
    vectors: Array, centroids: Array, threshold: float = ASSIGN_SIMILARITY
) -> npt.NDArray[np.int64]:
    """Index of the nearest centroid for each vector, or -1 where none is similar enough."""
    if len(centroids) == 0 or len(vectors) == 0:
        return np.full(len(vectors), -1, dtype=np.int64)
    sims = vectors @ centroids.T
    best = sims.argmax(axis=1)
    return np.where(sims.max(axis=1) >= threshold, best, -1).astype(np.int64)


def key_phrases(groups: Sequence[Sequence[str]], top: int = 5) -> list[list[str]]:
    """The most distinctive words and word pairs of each group against the others (class-based TF-IDF)."""
    from sklearn.feature_extraction.text import CountVectorizer

    docs = [" ".join(_HANDLES_AND_LINKS.sub(" ", t) for t in g) for g in groups]
    if not any(d.strip() for d in docs):
        return [[] for _ in groups]
    vec = CountVectorizer(
        stop_words="english", ngram_range=(1, 2), min_df=1, token_pattern=r"(?u)\b[a-zA-Z]{3,}\b"
    )
    try:
        counts = vec.fit_transform(docs).astype(np.float64).toarray()
    except ValueError:  # nothing left after stop words
        return [[] for _ in groups]
    terms = vec.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg = counts.sum() / max(len(groups), 1)
    idf = np.log(1.0 + avg / np.maximum(counts.sum(axis=0), 1.0))
    scores = tf * idf
    out = []
    for row in scores:
        order = [int(i) for i in np.argsort(-row)[: top * 3] if row[i] > 0]
        chosen: list[str] = []
        for i in order:
            term = str(terms[i])
            if any(term in c or c in term for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top:
                break
        out.append(chosen)
    return out


def _normalise(m: Array) -> Array:
    return np.asarray(m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9), dtype=np.float32)
