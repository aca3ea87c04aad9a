"""Spike alerts: a count in the latest window well above the same count in the trailing windows.

Three signals: an account's inbound volume and negative share over the last 24 h against the 14 days
before, and a theme's distinct people over the last 7 days against the 4 weeks before. Small numbers
never fire (MIN_*): 3 complaints after a quiet week is not a spike. Alerts are stored once per signal,
subject and window end (the hour the check ran), with a sentence saying what rose and by how much.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, insert, select

from mutuals.storage import tables as t
from mutuals.storage.listening_tables import listening_alerts as al
from mutuals.storage.listening_tables import listening_theme_members as tm
from mutuals.storage.listening_tables import listening_themes as th

FACTOR = 2.0  # the current window must be at least this many times the baseline average
MIN_VOLUME = 10  # inbound texts in the window
MIN_NEGATIVE = 5  # negative texts in the window
SHARE_RISE = 0.2  # negative share must rise by at least 20 points
MIN_PEOPLE = 5  # distinct people in a theme's window


@dataclass(frozen=True)
class Spike:
    current: float
    baseline: float

    @property
    def ratio(self) -> float:
        return self.current / self.baseline if self.baseline else float("inf")


def count_spike(current: int, baseline: list[int], *, minimum: int, factor: float = FACTOR) -> Spike | None:
    """A spike when ``current`` reaches ``minimum`` and ``factor`` times the mean of ``baseline``.

    The mean is floored at 1 so that a first burst after silence still needs ``factor`` × 1 and
    ``minimum`` to fire.
    """
    if current < minimum or not baseline:
        return None
    mean = sum(baseline) / len(baseline)
    if current >= factor * max(mean, 1.0):
        return Spike(float(current), mean)
    return None


def share_spike(
    negative: int, total: int, base_negative: int, base_total: int, *, minimum: int = MIN_NEGATIVE
) -> Spike | None:
    """A spike when at least ``minimum`` texts are negative and the share rose by SHARE_RISE and FACTOR×."""
    if negative < minimum or total == 0 or base_total == 0:
        return None
    share, base = negative / total, base_negative / base_total
    if share - base >= SHARE_RISE and share >= FACTOR * base:
        return Spike(share, base)
    return None


def _windows(times: list[datetime], end: datetime, width: timedelta, n: int) -> tuple[int, list[int]]:
    counts = [0] * (n + 1)  # counts[0]: the current window; counts[k]: k windows back
    for when in times:
        k = int((end - when) / width)
        if 0 <= k <= n and when <= end:
            counts[k] += 1
    return counts[0], counts[1:]


def detect_alerts(conn: Connection, now: datetime | None = None) -> list[dict[str, Any]]:
    """Check every signal as of ``now`` (default: the current hour), store new alerts, return them."""
    end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    found = _account_alerts(conn, end) + _theme_alerts(conn, end)
    return store_alerts(conn, found)


def _account_alerts(conn: Connection, end: datetime) -> list[dict[str, Any]]:
    ix, acc = t.interactions, t.accounts
    day, days = timedelta(days=1), 14
    start = end - day * (days + 1)
    rows = conn.execute(
        select(ix.c.account_id, ix.c.occurred_at, ix.c.sentiment_label).where(
            ix.c.direction == "inbound", ix.c.occurred_at > start, ix.c.occurred_at <= end
        )
    ).all()
    handles = {int(r.id): r.handle for r in conn.execute(select(acc.c.id, acc.c.handle))}
    per_account: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        per_account[int(r.account_id)].append(r)
    out: list[dict[str, Any]] = []
    for account_id, items in sorted(per_account.items()):
        who = handles.get(account_id, f"account {account_id}")
        current, base = _windows([r.occurred_at for r in items], end, day, days)
        spike = count_spike(current, base, minimum=MIN_VOLUME)
        if spike:
            out.append(
                _alert(
                    "volume",
                    f"account:{account_id}",
                    end - day,
                    end,
                    spike,
                    current,
                    f"{who}: {current} inbound messages in the last 24 h, "
                    f"{spike.ratio:.1f}× the daily average of {spike.baseline:.1f} over the 14 days before",
                )
            )
        labelled = [r for r in items if r.sentiment_label in ("negative", "neutral", "positive")]
        neg_now, tot_now = _split_share(labelled, end - day, end)
        neg_base, tot_base = _split_share(labelled, start, end - day)
        share = share_spike(neg_now, tot_now, neg_base, tot_base)
        if share:
            out.append(
                _alert(
                    "negative_share",
                    f"account:{account_id}",
                    end - day,
                    end,
                    share,
                    neg_now,
                    f"{who}: {share.current:.0%} of the last 24 h's inbound messages are negative "
                    f"({neg_now} of {tot_now}), up from {share.baseline:.0%} over the 14 days before",
                )
            )
    return out


def _split_share(rows: list[Any], lo: datetime, hi: datetime) -> tuple[int, int]:
    inside = [r for r in rows if lo < r.occurred_at <= hi]
    return sum(1 for r in inside if r.sentiment_label == "negative"), len(inside)


def _theme_alerts(conn: Connection, end: datetime) -> list[dict[str, Any]]:
    ix, ids = t.interactions, t.identities
    week, weeks = timedelta(days=7), 4
    start = end - week * (weeks + 1)
    rows = conn.execute(
        select(tm.c.theme_id, ix.c.occurred_at, ix.c.identity_id, ids.c.person_id)
        .join(ix, ix.c.id == tm.c.interaction_id)
        .outerjoin(ids, ids.c.id == ix.c.identity_id)
        .where(ix.c.occurred_at > start, ix.c.occurred_at <= end, ix.c.identity_id.is_not(None))
    ).all()
    labels = {
        r.id: r.user_label or r.label for r in conn.execute(select(th.c.id, th.c.label, th.c.user_label))
    }
    people: dict[int, list[set[Any]]] = defaultdict(lambda: [set() for _ in range(weeks + 1)])
    for r in rows:
        k = int((end - r.occurred_at) / week)
        if 0 <= k <= weeks:
            people[int(r.theme_id)][k].add(r.person_id or f"i{r.identity_id}")
    out: list[dict[str, Any]] = []
    for theme_id, sets in sorted(people.items()):
        current, base = len(sets[0]), [len(s) for s in sets[1:]]
        spike = count_spike(current, base, minimum=MIN_PEOPLE)
        if spike:
            out.append(
                _alert(
                    "theme_people",
                    f"theme:{theme_id}",
                    end - week,
                    end,
                    spike,
                    current,
                    f'theme "{labels.get(theme_id, theme_id)}": {current} distinct people this week, '
                    f"up from {spike.baseline:.1f} a week on average over the 4 weeks before",
                )
            )
    return out


def _alert(
    kind: str, subject: str, lo: datetime, hi: datetime, spike: Spike, count: int, message: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "subject": subject,
        "window_start": lo,
        "window_end": hi,
        "current": spike.current,
        "baseline": spike.baseline,
        "current_count": count,
        "message": message,
    }


def store_alerts(conn: Connection, alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the alerts not stored yet (same kind, subject and window end); returns the new ones."""
    new = []
    now = datetime.now(UTC)
    for a in alerts:
        exists = conn.execute(
            select(al.c.id).where(
                and_(al.c.kind == a["kind"], al.c.subject == a["subject"], al.c.window_end == a["window_end"])
            )
        ).first()
        if exists is None:
            conn.execute(insert(al).values(created_at=now, **a))
            new.append(a)
    return new


def list_alerts(conn: Connection, since: datetime | None = None) -> list[dict[str, Any]]:
    """Stored alerts, newest first."""
    stmt = select(al).order_by(al.c.window_end.desc(), al.c.id.desc())
    if since is not None:
        stmt = stmt.where(al.c.window_end >= since)
    return [dict(r._mapping) for r in conn.execute(stmt)]
