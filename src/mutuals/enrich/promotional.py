"""Is a post promotional? A small, documented keyword heuristic (a pure function over the text).

A post counts as promotional when its text matches any of ``PATTERNS``: calls to buy or order, prices and
discounts, codes, sales and giveaways, "link in bio", sponsorship tags. It is deliberately simple, so that
"the posts before the drop were promotional" can always be traced to the words that made them so
(``promotional_reasons``).
"""

from __future__ import annotations

import re

PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(rx, re.IGNORECASE)
    for name, rx in {
        "call to buy": r"\b(buy|order|shop|book|subscribe|pre-?order|get yours)\s+(now|today|here)\b",
        "shop": r"\b(shop|store)\s+(now|online|the)\b|\bin our (shop|store)\b",
        "discount": r"\b\d{1,3}\s?% off\b|\bdiscount(s|ed)?\b|\bsave \d|\bhalf price\b",
        "price": r"[$€£]\s?\d+(?:[.,]\d\d)?\b|\b\d+(?:[.,]\d\d)?\s?(usd|eur|gbp)\b",
        "code": r"\b(promo|discount|coupon)\s*code\b|\buse code\b",
        "sale": r"\b(flash |big |summer |winter )?sale\b|\bdeal of the\b|\blimited (time|offer|edition)\b",
        "free shipping": r"\bfree (shipping|delivery)\b",
        "giveaway": r"\bgiveaway\b|\bwin (a|an|one)\b|\bcontest\b",
        "link in bio": r"\blink in (my |our )?bio\b",
        "sponsored": r"(^|\s)#(ad|sponsored|promo|partner)\b|\bsponsored\b|\bpaid partnership\b",
    }.items()
}


def promotional_reasons(text: str | None) -> list[str]:
    """The names of the patterns ``text`` matches (empty: not promotional)."""
    if not text:
        return []
    return [name for name, rx in PATTERNS.items() if rx.search(text)]


def is_promotional(text: str | None) -> bool:
    return bool(promotional_reasons(text))


_HASHTAG = re.compile(r"(?<![\w#])#(\w{2,50})", re.UNICODE)


def hashtags(text: str | None) -> list[str]:
    """The post's topics as the platforms mark them: lower-cased hashtags, each once, in order."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for m in _HASHTAG.finditer(text):
        seen.setdefault(m.group(1).lower(), None)
    return list(seen)
