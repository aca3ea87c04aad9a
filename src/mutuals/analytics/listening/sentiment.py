"""Sentiment of inbound texts over time, per day or ISO week (bucketed in Python: same on every database)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from mutuals.errors import InvalidInputError
from mutuals.storage import tables as t

LABELS = ("negative", "neutral", "positive", "unsupported")


def period_key(when: datetime, period: str) -> str:
    if period == "day":
        return when.date().isoformat()
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    raise InvalidInputError(f"period must be day or week, not {period!r}")


def sentiment_over_time(
    conn: Connection, since: datetime | None = None, period: str = "week", account_id: int | None = None
) -> list[dict[str, Any]]:
    """Counts of each sentiment label per period, oldest first, with the negative share of readable texts."""
    ix = t.interactions
    stmt = select(ix.c.occurred_at, ix.c.sentiment_label).where(
        ix.c.direction == "inbound", ix.c.sentiment_label.is_not(None), ix.c.occurred_at.is_not(None)
    )
    if since is not None:
        stmt = stmt.where(ix.c.occurred_at >= since)
    if account_id is not None:
        stmt = stmt.where(ix.c.account_id == account_id)
    buckets: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LABELS, 0))
    for when, label in conn.execute(stmt):
        buckets[period_key(when, period)][label if label in LABELS else "unsupported"] += 1
    out = []
    for key in sorted(buckets):
        c = buckets[key]
        readable = c["negative"] + c["neutral"] + c["positive"]
        out.append(
            {
                "period": key,
                **c,
                "total": readable + c["unsupported"],
                "negative_share": round(c["negative"] / readable, 4) if readable else None,
            }
        )
    return out
