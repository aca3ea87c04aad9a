"""Line-by-line analysis of a text file for ``mutuals analyze``: robust to whatever a file holds.

Every input line gets exactly one output object, in order: empty lines, emoji-only lines, 10 kB lines and
lines with invalid UTF-8 (decoded with U+FFFD replacement, flagged with ``"invalid_utf8": true``) all
get a sentiment; an unexpected failure on one line becomes ``{"error": ...}`` for that line only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from mutuals.enrich.sentiment import analyze_sentiment
from mutuals.enrich.text import decode_line

CHUNK = 1000


def read_lines(stream: IO[bytes]) -> Iterator[bytes]:
    for raw in stream:
        yield raw.rstrip(b"\n").rstrip(b"\r")


def sentiment_lines(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    chunk: list[bytes] = []
    for raw in lines:
        chunk.append(raw)
        if len(chunk) >= CHUNK:
            yield from _chunk(chunk)
            chunk = []
    if chunk:
        yield from _chunk(chunk)


def _chunk(raws: list[bytes]) -> list[dict[str, Any]]:
    decoded = [decode_line(r) for r in raws]
    try:
        results = analyze_sentiment([text for text, _ in decoded])
        out = [r.as_dict() for r in results]
    except Exception:  # one bad line must not sink the batch: retry line by line
        out = []
        for text, _ in decoded:
            try:
                out.append(analyze_sentiment([text])[0].as_dict())
            except Exception as exc:
                out.append({"error": f"this line could not be analysed ({type(exc).__name__})"})
    for obj, (text, bad) in zip(out, decoded, strict=True):
        if bad:
            obj["invalid_utf8"] = True
        if not text.strip() and "error" not in obj:
            obj.update(label="neutral", score=0.0, language="und")
    return out


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)
