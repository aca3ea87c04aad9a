from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mutuals.enrich.sentiment import LABELS, analyze_sentiment

# Macro-averaged recall measured on the TweetEval validation split when the shipped model was trained
# (see src/mutuals/enrich/models/README.md), minus a small margin for float16 rounding.
VAL_MACRO_RECALL_FLOOR = 0.67


@pytest.mark.realdata
def test_validation_macro_recall_is_at_least_the_measured_floor(shared_data: Path) -> None:
    folder = shared_data / "tweeteval_sentiment"
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    gold = [LABELS[int(x)] for x in (folder / "val_labels.txt").read_text().split()]
    assert len(texts) == len(gold)
    predicted = [s.label for s in analyze_sentiment(texts, check_language=False)]
    recalls = []
    for label in LABELS:
        idx = [i for i, g in enumerate(gold) if g == label]
        recalls.append(sum(predicted[i] == label for i in idx) / len(idx))
    assert sum(recalls) / 3 >= VAL_MACRO_RECALL_FLOOR


def test_plainly_negative_and_positive_texts_get_those_labels() -> None:
    neg, pos = analyze_sentiment(
        ["This is the worst service ever, I hate it", "I love it, thank you so much!"]
    )
    assert neg.label == "negative" and neg.score < 0
    assert pos.label == "positive" and pos.score > 0
    assert -1.0 <= neg.score <= 1.0 and -1.0 <= pos.score <= 1.0


def test_a_text_in_a_language_the_model_does_not_read_is_unsupported() -> None:
    (fr,) = analyze_sentiment(["Je suis très déçu par ce service, la livraison est encore en retard."])
    assert fr.label == "unsupported"
    assert fr.language == "fr"


def test_every_line_of_a_messy_file_gets_one_answer_in_order(cli: Any, tmp_path: Path) -> None:
    lines = [
        b"I love this!",
        b"",
        "😀😀😀".encode(),
        b"terrible " * 1200,  # about 10 kB
        b"broken \xff\xfe bytes, awful",
        b"   ",
        b"ok then",
    ]
    path = tmp_path / "in.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    res = cli("analyze", "sentiment", "--input", str(path))
    assert res.code == 0, res.err
    out = [json.loads(line) for line in res.out.splitlines()]
    assert len(out) == len(lines)
    for obj in out:
        assert obj["label"] in {*LABELS, "unsupported"}
        assert isinstance(obj["score"], float)
    assert out[0]["label"] == "positive"
    assert out[1] == {"label": "neutral", "score": 0.0, "language": "und"}
    assert out[3]["label"] == "negative"
    assert out[4].get("invalid_utf8") is True
    assert "invalid_utf8" not in out[0]


def test_a_missing_input_file_is_a_one_line_error(cli: Any, tmp_path: Path) -> None:
    res = cli("analyze", "sentiment", "--input", str(tmp_path / "nope.txt"))
    assert res.code == 1
    assert "nope.txt" in res.err and "Traceback" not in res.err
