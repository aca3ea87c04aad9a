"""Text clean-up shared by the sentiment, intent and theme models (training uses the same code)."""

from __future__ import annotations

import html
import re

MAX_CHARS = 2000  # longer texts are cut: a 10 kB paste is classified on its first 2,000 characters

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")


def decode_line(raw: bytes) -> tuple[str, bool]:
    """Decode one input line; returns the text and whether it held invalid UTF-8 (replaced by U+FFFD)."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


def normalize(text: str) -> str:
    """Lower-case, unescape HTML, mentions to @user, links to 'http', 'sooooo' to 'soo', one space."""
    text = html.unescape(text[:MAX_CHARS])
    text = _URL.sub(" http ", text)
    text = _MENTION.sub("@user", text)
    text = _REPEAT.sub(r"\1\1", text.lower())
    return _SPACE.sub(" ", text).strip()
