"""Small text heuristics of the inbox: tone and intent fall-backs, sign-offs, graphemes, normalising.

The keyword heuristics are a documented fall-back only, used while ``interactions.sentiment_label`` and
``interactions.intents`` (filled by the listening module) are empty; see docs/inbox.md.
"""

from __future__ import annotations

import html
import re
import unicodedata


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


NEGATIVE_WORDS = _vocabulary(
    "worst terrible awful horrible hate angry furious useless ridiculous disappointed disappointing "
    "unacceptable broken scam rude never worse disgusting pathetic"
)
COMPLAINT_WORDS = _vocabulary(
    "refund broken delay delayed late missing cancel cancelled charged overcharged wrong damaged "
    "complaint outage down stuck lost"
)
POSITIVE_WORDS = _vocabulary(
    "thanks thank love loved great awesome amazing perfect brilliant fantastic excellent wonderful "
    "helpful appreciate appreciated"
)
CLOSING_WORDS = _vocabulary("thanks thank ok okay great perfect cheers resolved solved sorted works")
QUESTION_STARTS = _vocabulary(
    "how why what when where who which can could is are do does did will would should"
)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_URL = re.compile(r"https?://\S+")
_HANDLE = re.compile(r"@[\w.\-]+")
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[\w.\-]+)+")
_GREETING_NAME = re.compile(
    r"\b((?i:hi|hey|hello|dear|thanks|thank you|sorry|morning|evening))[ ,]+([A-Z][\w'\-]*)"
)
# A sign-off at the very end: "^JK", "-Becky", "– Priya", "*TS", "~Mo".
_SIGN_OFF = re.compile(r"(?:^|\s)([\^\-–—~*]\s?[A-Za-z][A-Za-z.]{0,20})\s*$")


def known_sentiment(label: str | None) -> str | None:
    """The listening module's label, or ``None`` where it is unknown (not yet run, or "unsupported":
    a language its model does not read); the keyword fall-backs apply then."""
    return None if label in (None, "", "unsupported") else label


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def sounds_negative(text: str) -> str | None:
    """The first negative keyword in ``text``, if any."""
    return next((w for w in words(text) if w in NEGATIVE_WORDS), None)


def sounds_positive(text: str) -> bool:
    ws = words(text)
    return any(w in POSITIVE_WORDS for w in ws) and not any(w in NEGATIVE_WORDS for w in ws)


def looks_like_complaint(text: str) -> bool:
    return any(w in COMPLAINT_WORDS or w in NEGATIVE_WORDS for w in words(text))


def looks_like_question(text: str) -> bool:
    body = strip_leading_mentions(text)
    ws = words(body)
    return "?" in body or bool(ws and ws[0] in QUESTION_STARTS)


def looks_like_closing(text: str) -> bool:
    """A short message that winds a thread down ("thanks!", "ok got it", "perfect 👍")."""
    ws = words(strip_leading_mentions(text))
    return 0 < len(ws) <= 8 and any(w in CLOSING_WORDS for w in ws) and "?" not in text


def strip_leading_mentions(text: str) -> str:
    """The text without the run of @-handles a reply starts with (X adds those by itself)."""
    return _LEADING_MENTIONS.sub("", text, count=1).strip()


def sign_off(text: str) -> str | None:
    """The sign-off a reply ends with (``^JK``, ``-Becky``), as written."""
    m = _SIGN_OFF.search(text.strip())
    return m.group(1).replace(" ", "") if m else None


def same_sign_off(a: str, b: str) -> bool:
    """``^JK`` and ``- jk`` are the same sign-off: compare without the marker and case."""

    def bare(s: str) -> str:
        return re.sub(r"[\s\^\-–—~*]", "", s).lower()

    return bool(bare(a)) and bare(a) == bare(b)


def graphemes(text: str) -> int:
    """User-perceived characters, the unit of Bluesky's limit: combining marks, variation selectors,
    skin-tone modifiers, zero-width-joined emoji and flag pairs count once."""
    count = 0
    join_next = False
    regional = 0
    for ch in text:
        cp = ord(ch)
        if join_next or unicodedata.combining(ch) or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF:
            join_next = False
            continue
        if cp == 0x200D:  # zero-width joiner: glue the next character to this one
            join_next = True
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:  # regional indicators pair up into one flag
            regional += 1
            if regional % 2 == 0:
                continue
        else:
            regional = 0
        count += 1
    return count


def normalise(text: str, names: tuple[str, ...] = ()) -> str:
    """The text with what makes a reply personal taken out, for the stock-response detector: handles,
    links, names (``names`` given and any capitalised word after a greeting), sign-off, numbers,
    punctuation and case. Two replies that differ only in those normalise to the same string."""
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    so = sign_off(text)
    if so:
        text = text[: text.rstrip().rfind(so)]
    text = _GREETING_NAME.sub(lambda m: m.group(1), text)
    ws = words(text)
    drop = {w.lower() for n in names for w in _WORD.findall(n)}
    return " ".join(w for w in ws if w not in drop)
