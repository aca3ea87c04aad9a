"""Themes on BANKING77: Mutuals vs BERTopic on the same texts and the same embeddings. NMI, ARI, time.

    .venv/bin/python benchmarks/themes.py [--seed 1] [--count 3000]

train.csv is sorted by concern, so the texts are a seeded random sample (seed 0 was used to choose the
thresholds in enrich/themes.py; report another seed).

Labels are only used to score. Unassigned lines (and BERTopic outliers) count as one more theme.
Mutuals' time covers loading the embedding model, embedding and clustering. BERTopic (optional, not a
dependency: `pip install --no-deps bertopic` plus umap-learn, hdbscan, pandas, plotly) is given the
precomputed embeddings, so its time is clustering only.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def flat(themes: list[list[int]], n: int) -> list[int]:
    labels = [-1] * n
    for k, members in enumerate(themes):
        for m in members:
            labels[m] = k
    return labels


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/banking77/train.csv"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000)
    args = ap.parse_args()
    with args.data.open(newline="", encoding="utf-8") as f:
        every = list(csv.DictReader(f))
    rows = [every[i] for i in random.Random(args.seed).sample(range(len(every)), args.count)]
    texts, gold = [r["text"] for r in rows], [r["category"] for r in rows]
    out = []
    t0 = time.perf_counter()
    from mutuals.enrich.embeddings import embed
    from mutuals.enrich.themes import find_themes

    vectors = embed(texts)
    t_embed = time.perf_counter() - t0
    result = find_themes(texts, vectors)
    secs = time.perf_counter() - t0
    pred = flat([t.members for t in result.themes], len(texts))
    out.append(
        (
            "Mutuals (MiniLM + Ward)",
            len(result.themes),
            len(result.unassigned),
            normalized_mutual_info_score(gold, pred),
            adjusted_rand_score(gold, pred),
            f"{secs:.1f} s (embedding {t_embed:.1f} s)",
        )
    )
    try:
        from bertopic import BERTopic
    except Exception as exc:  # not installed, or its imports need torch
        out.append(("BERTopic", "-", "-", None, None, f"not available: {type(exc).__name__}: {exc}"[:120]))
    else:
        for name, reduce in (("BERTopic (HDBSCAN)", False), ("BERTopic + outliers reassigned", True)):
            t1 = time.perf_counter()
            model = BERTopic(embedding_model=None, calculate_probabilities=False, verbose=False)
            topics, _ = model.fit_transform(texts, embeddings=vectors)
            if reduce:
                topics = model.reduce_outliers(texts, topics, strategy="embeddings", embeddings=vectors)
            b = time.perf_counter() - t1
            k = len(set(topics) - {-1})
            out.append(
                (
                    name,
                    k,
                    sum(1 for x in topics if x == -1),
                    normalized_mutual_info_score(gold, topics),
                    adjusted_rand_score(gold, topics),
                    f"{b:.1f} s + the same embeddings",
                )
            )
    print(f"BANKING77: {len(texts)} lines sampled with seed {args.seed} ({len(set(gold))} true concerns)")
    print(f"{'method':36} {'themes':>6} {'unassigned':>10} {'NMI':>6} {'ARI':>6}  time")
    for name, k, un, nmi, ari, t in out:
        nmi_s = "-" if nmi is None else f"{nmi:.3f}"
        ari_s = "-" if ari is None else f"{ari:.3f}"
        print(f"{name:36} {k!s:>6} {un!s:>10} {nmi_s:>6} {ari_s:>6}  {t}")


if __name__ == "__main__":
    main()
