"""The layout of the "Customer Support on Twitter" (TWCS) CSV, and how to read its quirky fields."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
REQUIRED = frozenset(COLUMNS) - {"response_tweet_id"}

#: Twitter API v1 time, e.g. ``Tue Oct 31 22:10:47 +0000 2017``.
TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"

_MENTION = re.compile(r"@(\w{1,50})")


@dataclass(frozen=True, slots=True)
class Tweet:
    tweet_id: str
    author_id: str
    inbound: bool
    created_at: datetime
    text: str
    in_response_to: str | None


def parse_id(value: str) -> str | None:
    """An id as the dataset writes it: ``"3"``, the float string ``"3.0"``, or empty."""
    value = value.strip()
    if not value:
        return None
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isdigit():
        raise ValueError(f"{value!r} is not a tweet id")
    return str(int(value))


def parse_bool(value: str) -> bool:
    low = value.strip().lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise ValueError(f"{value!r} is not True or False")


def parse_time(value: str) -> datetime:
    try:
        return datetime.strptime(value.strip(), TIME_FORMAT)
    except ValueError:
        raise ValueError(f"{value!r} is not a time like 'Tue Oct 31 22:10:47 +0000 2017'") from None


def parse_text(value: str) -> str:
    # The Twitter API escaped &, < and > as HTML entities; the dataset kept them.
    return html.unescape(value)


def mentions(text: str) -> list[str]:
    """The @-handles a text mentions, in order."""
    return _MENTION.findall(text)
