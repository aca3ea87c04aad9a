"""The reply coach: checks a draft before it goes out (pure functions; the data comes from replies.py).

Stock-response detector: both texts are normalised (text.normalise: names, handles, links, numbers,
sign-off, punctuation and case removed), then compared by the Jaccard similarity of their sets of
character 3-grams. At or above :data:`STOCK_THRESHOLD` the draft is a near-duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mutuals.analytics.inbox import text as tx
from mutuals.errors import InvalidInputError

STOCK_THRESHOLD = 0.8
"""Similarity at or above which a draft is flagged as a stock response."""
SHOW_THRESHOLD = 0.5
"""Previous replies at least this similar are shown next to the draft."""
SHOW_CLOSEST = 3
MASS_DM_PEOPLE = 3
"""A DM whose text already went to this many other people (in MASS_DM_DAYS) is a mass message."""
MASS_DM_DAYS = 7

#: Longest reply per network: (limit, unit). Bluesky counts graphemes; the others code points (X's own
#: weighting of URLs and CJK is not modelled). Mastodon's 500 is the default of most servers.
LIMITS: dict[str, tuple[int, str]] = {
    "bluesky": (300, "graphemes"),
    "mastodon": (500, "characters"),
    "x": (280, "characters"),
    "instagram": (2200, "characters"),
    "linkedin": (1250, "characters"),
    "facebook": (8000, "characters"),
}


def trigrams(normalised: str) -> frozenset[str]:
    s = f"  {normalised} "
    return frozenset(s[i : i + 3] for i in range(len(s) - 2))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character 3-grams of two *normalised* texts (0 when either is empty)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class PreviousReply:
    text: str
    at: datetime | None
    to: str | None  # handle or name of whom it answered
    names: tuple[str, ...] = ()  # the addressee's names, taken out when normalising
    private: bool = False
    identity_id: int | None = None


@dataclass(frozen=True)
class Context:
    """What the coach knows about the conversation a draft answers."""

    network: str
    private: bool
    person_names: tuple[str, ...]  # handle, display name
    last_inbound: str | None
    last_inbound_sentiment: str | None
    exchanges: int  # our messages already in the thread
    identity_id: int | None = None


@dataclass
class Coaching:
    length: int
    limit: int | None
    unit: str
    addresses_person: bool
    signed_off: bool | None
    stock_response: bool
    closest: list[dict[str, Any]] = field(default_factory=list)
    mass_message: int = 0
    warnings: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "limit": self.limit,
            "unit": self.unit,
            "addresses_person": self.addresses_person,
            "signed_off": self.signed_off,
            "stock_response": self.stock_response,
            "closest": self.closest,
            "mass_message_people": self.mass_message,
            "warnings": self.warnings,
            "suggestions": self.suggestions,
        }


def measure(text: str, network: str) -> tuple[int, int | None, str]:
    limit, unit = LIMITS.get(network, (None, "characters"))
    return (tx.graphemes(text) if unit == "graphemes" else len(text)), limit, unit


def check_length(text: str, network: str) -> None:
    """Refuse an empty or over-long reply with one sentence."""
    if not text.strip():
        raise InvalidInputError("the reply text is empty: give it with --text")
    length, limit, unit = measure(text, network)
    if limit is not None and length > limit:
        raise InvalidInputError(f"the reply is {length} {unit} long; {network} allows at most {limit} {unit}")


def addresses(text: str, names: tuple[str, ...]) -> bool:
    """Whether the reply names the person: their handle or a word of their name, outside the run of
    @-handles a reply starts with (the network adds those by itself)."""
    body = tx.strip_leading_mentions(text).lower()
    body_words = set(tx.words(body))
    for name in names:
        low = name.lower().lstrip("@")
        if not low:
            continue
        if low in body and (not low.isdigit() or f"@{low}" in body):
            return True
        if any(len(w) >= 2 and w in body_words for w in tx.words(low)):
            return True
    return False


def signed(text: str, sign_off: str | None, name: str | None) -> bool:
    found = tx.sign_off(text)
    if found and sign_off and tx.same_sign_off(found, sign_off):
        return True
    tail = text.strip()[-40:].lower()
    first = (name or "").split()[0].lower() if name else ""
    return bool(first) and first in tx.words(tail)


def coach(
    draft: str,
    ctx: Context,
    previous: list[PreviousReply],
    *,
    member_sign_off: str | None,
    member_name: str | None,
    now: datetime,
) -> Coaching:
    length, limit, unit = measure(draft, ctx.network)
    result = Coaching(
        length=length,
        limit=limit,
        unit=unit,
        addresses_person=addresses(draft, ctx.person_names),
        signed_off=None if member_name is None else signed(draft, member_sign_off, member_name),
        stock_response=False,
    )
    mine = tx.normalise(draft, ctx.person_names)
    scored = []
    mass: set[int | str] = set()
    for prev in previous:
        sim = similarity(mine, tx.normalise(prev.text, prev.names))
        if sim >= SHOW_THRESHOLD:
            scored.append((sim, prev))
        recent = prev.at is not None and (now - prev.at).days < MASS_DM_DAYS
        if ctx.private and prev.private and recent and sim >= STOCK_THRESHOLD:
            who = prev.identity_id if prev.identity_id is not None else prev.to or ""
            if who != ctx.identity_id:
                mass.add(who)
    scored.sort(key=lambda sp: (-sp[0], -(sp[1].at.timestamp() if sp[1].at else 0)))
    result.closest = [
        {
            "similarity": round(sim, 3),
            "text": prev.text,
            "to": prev.to,
            "at": prev.at.isoformat() if prev.at else None,
        }
        for sim, prev in scored[:SHOW_CLOSEST]
    ]
    result.stock_response = bool(scored) and scored[0][0] >= STOCK_THRESHOLD
    result.mass_message = len(mass)
    _advise(result, draft, ctx)
    return result


def _advise(result: Coaching, draft: str, ctx: Context) -> None:
    if not result.addresses_person:
        result.warnings.append("it does not address the person by name or handle")
    if result.signed_off is False:
        result.warnings.append("it does not carry your sign-off")
    elif result.signed_off is None:
        result.warnings.append("no agent named (--as): the sign-off was not checked")
    if result.stock_response:
        top = result.closest[0]["similarity"]
        result.warnings.append(f"it reads like a stock response ({top:.0%} like an earlier reply)")
    if result.mass_message >= MASS_DM_PEOPLE:
        result.warnings.append(
            f"the same DM went to {result.mass_message} other people in the last {MASS_DM_DAYS} days"
        )
    last = ctx.last_inbound or ""
    positive = ctx.last_inbound_sentiment == "positive" or (
        ctx.last_inbound_sentiment is None and tx.sounds_positive(last)
    )
    if not ctx.private and ctx.exchanges >= 1 and positive:
        result.suggestions.append(
            "take it one-on-one: this public exchange went well; continue by DM or email"
        )
    if "?" not in draft and tx.looks_like_closing(last):
        result.suggestions.append("ask a follow-up question: the thread is ending")
