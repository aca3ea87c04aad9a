"""Sentiment of short social texts: negative / neutral / positive with a polarity score.

The model (models/sentiment.npz, card in models/README.md) is a logistic regression over hashed TF-IDF
word and character n-grams (enrich/features.py), trained on TweetEval sentiment by
training/train_sentiment.py. It needs numpy only and loads in well under a second.
``score`` is P(positive) - P(negative), in [-1, 1]; the label is the most probable class. Texts in a
language the model was not trained on get the label "unsupported" and a score of 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mutuals.enrich.features import hashed_features
from mutuals.enrich.language import detect_language, is_supported

MODEL_PATH = Path(__file__).resolve().parent / "models" / "sentiment.npz"
LABELS = ("negative", "neutral", "positive")
UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float
    language: str

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "score": self.score, "language": self.language}


class SentimentModel:
    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path)
        self.weights = data["weights"].astype(np.float32)
        self.bias = data["bias"].astype(np.float32)
        self.idf = data["idf"].astype(np.float32)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for row, text in enumerate(texts):
            idx, val = hashed_features(text, self.idf)
            logits = val @ self.weights[idx] + self.bias
            e = np.exp(logits - logits.max())
            out[row] = e / e.sum()
        return out

    def predict(self, texts: Sequence[str], *, check_language: bool = True) -> list[Sentiment]:
        langs = [detect_language(t) if check_language else "en" for t in texts]
        readable = [i for i, lang in enumerate(langs) if is_supported(lang)]
        probs = self.probabilities([texts[i] for i in readable])
        result = [Sentiment(UNSUPPORTED, 0.0, lang) for lang in langs]
        for row, i in enumerate(readable):
            p = probs[row]
            result[i] = Sentiment(LABELS[int(p.argmax())], round(float(p[2] - p[0]), 4), langs[i])
        return result


@lru_cache(maxsize=1)
def get_model() -> SentimentModel:
    return SentimentModel()


def analyze_sentiment(texts: Sequence[str], *, check_language: bool = True) -> list[Sentiment]:
    """One :class:`Sentiment` per text, in order. Empty and emoji-only texts are read like any other."""
    return get_model().predict(texts, check_language=check_language)
