"""Language detection (py3langid, BSD-3-Clause, model bundled in the wheel) with a guard for short texts.

Short tweets fool every n-gram identifier ("lol same" comes out as Tagalog), so a text is only called
non-English when the identifier is confident and the text has enough letters; otherwise it is English,
the language the sentiment model was trained on. Texts that are mostly a non-Latin script are decided
from the script alone, without loading the identifier.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

SUPPORTED = frozenset({"en"})
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.9
UNKNOWN = "und"  # no letters at all (emoji, numbers, empty): nothing to decide


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def _letters(text: str) -> tuple[int, int]:
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if ord(ch) < 0x250 or "LATIN" in unicodedata.name(ch, ""):
                latin += 1
            else:
                other += 1
    return latin, other


def detect_language(text: str) -> str:
    """An ISO 639-1 code ('en', 'fr', ...), or 'und' for a text without letters."""
    latin, other = _letters(text[:2000])
    if latin + other == 0:
        return UNKNOWN
    if other > latin:
        lang, _ = _identifier().classify(text[:2000])
        return str(lang) if lang != "en" else "xx"
    if latin < MIN_LETTERS:
        return "en"
    lang, prob = _identifier().classify(text[:2000])
    return str(lang) if prob >= MIN_CONFIDENCE else "en"


def is_supported(language: str) -> bool:
    """Whether the sentiment and intent models can read this language ('und' is read as neutral text)."""
    return language in SUPPORTED or language == UNKNOWN
