"""Sentiment on the TweetEval validation split: Mutuals vs VADER, macro-recall, accuracy, texts/s.

    .venv/bin/python benchmarks/sentiment.py [--data ../shared/data/tweeteval_sentiment]

One thread (BLAS pinned to 1), model load included in Mutuals' time. VADER uses its documented
thresholds (compound >= 0.05 positive, <= -0.05 negative).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import time
from pathlib import Path

LABELS = ("negative", "neutral", "positive")


def scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    recalls = []
    for label in LABELS:
        idx = [i for i, g in enumerate(gold) if g == label]
        recalls.append(sum(pred[i] == label for i in idx) / len(idx))
    return sum(recalls) / 3, sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def run_mutuals(texts: list[str], check_language: bool) -> tuple[list[str], float]:
    t0 = time.perf_counter()
    from mutuals.enrich.sentiment import analyze_sentiment

    out = analyze_sentiment(texts, check_language=check_language)
    # unsupported counts as neutral for the metric (the benchmark has only the three classes)
    return [s.label if s.label in LABELS else "neutral" for s in out], time.perf_counter() - t0


def run_vader(texts: list[str]) -> tuple[list[str], float] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    t0 = time.perf_counter()
    an = SentimentIntensityAnalyzer()
    pred = []
    for t in texts:
        c = an.polarity_scores(t)["compound"]
        pred.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
    return pred, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/tweeteval_sentiment"))
    args = ap.parse_args()
    texts = (args.data / "val_text.txt").read_text(encoding="utf-8").splitlines()
    gold = [LABELS[int(x)] for x in (args.data / "val_labels.txt").read_text().split()]
    rows = []
    for name, res in [
        ("Mutuals (language check on)", run_mutuals(texts, True)),
        ("Mutuals (model only)", run_mutuals(texts, False)),
        ("VADER 3.3.2", run_vader(texts)),
    ]:
        if res is None:
            rows.append((name, "not installed (pip install vaderSentiment)", "", ""))
            continue
        pred, secs = res
        mr, acc = scores(gold, pred)
        rows.append((name, f"{mr:.3f}", f"{acc:.3f}", f"{len(texts) / secs:,.0f}"))
    print(f"TweetEval sentiment validation, {len(texts)} texts, one thread")
    print(f"{'model':32} {'macro-recall':>13} {'accuracy':>9} {'texts/s':>9}")
    for r in rows:
        print(f"{r[0]:32} {r[1]:>13} {r[2]:>9} {r[3]:>9}")


if __name__ == "__main__":
    main()
