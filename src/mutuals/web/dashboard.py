"""What the dashboard shows: the workspace's numbers, the team's goals against the actual values, and
weekly trends. Library functions over a Connection (the page and /api/dashboard both call them).

Only metrics that can really be computed appear. Each is a :class:`Metric` in ``METRICS``; a capability
that can compute more (response times, retention, sentiment) adds its own with :func:`register_metric`.
Windows end at the newest date in the data, not today: an export downloaded last month is still useful.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select

from mutuals.domain import Direction, FollowDirection
from mutuals.errors import InvalidInputError
from mutuals.storage import tables as t
from mutuals.storage import web_tables as w
from mutuals.storage.queries import workspace_status

WINDOW_DAYS = 30
TREND_WEEKS = 26
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "" for counts, "%" for rates, "min" for durations
    higher_is_better: bool
    compute: Callable[[Connection, datetime], float | None]
    """The value for the WINDOW_DAYS ending at the given time; None when the data does not say."""
    help: str


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


def _followers_now(conn: Connection, _end: datetime) -> float | None:
    e = t.follow_edges.c
    q = select(func.count()).where(e.direction == FollowDirection.FOLLOWER.value, e.valid_to.is_(None))
    return float(conn.execute(q).scalar_one())


def _net_followers(conn: Connection, end: datetime) -> float | None:
    e = t.follow_edges.c
    start = end - timedelta(days=WINDOW_DAYS)
    follower = e.direction == FollowDirection.FOLLOWER.value
    # Edges seen since the first snapshot (valid_from_after IS NULL) are the baseline, not gains.
    gained = conn.execute(
        select(func.count()).where(
            follower, e.valid_from_after.is_not(None), e.valid_from > start, e.valid_from <= end
        )
    ).scalar_one()
    lost = conn.execute(
        select(func.count()).where(follower, e.valid_to > start, e.valid_to <= end)
    ).scalar_one()
    return float(gained - lost)


def _people_who_wrote(conn: Connection, end: datetime) -> float | None:
    i = t.interactions.c
    start = end - timedelta(days=WINDOW_DAYS)
    q = select(func.count(func.distinct(t.identities.c.person_id))).select_from(
        t.interactions.join(t.identities, i.identity_id == t.identities.c.id)
    )
    q = q.where(
        i.direction == Direction.INBOUND.value,
        i.text.is_not(None),
        i.occurred_at > start,
        i.occurred_at <= end,
    )
    return float(conn.execute(q).scalar_one())


for _m in (
    Metric("followers", "Followers", "", True, _followers_now, "Current followers of all our accounts."),
    Metric(
        "net_followers_30d",
        "Net new followers (30 days)",
        "",
        True,
        _net_followers,
        "Followers gained minus followers lost in the 30 days up to the newest data.",
    ),
    Metric(
        "people_writing_30d",
        "People who wrote to us (30 days)",
        "",
        True,
        _people_who_wrote,
        "Distinct people with a reply, mention, comment or message to us in the 30 days "
        "up to the newest data.",
    ),
):
    register_metric(_m)


# -- goals ------------------------------------------------------------------------------------------


def goals(conn: Connection) -> dict[str, float]:
    return {
        r.metric: float(r.target) for r in conn.execute(select(w.team_goals.c.metric, w.team_goals.c.target))
    }


def set_goal(conn: Connection, metric: str, target: float | None, by: str | None = None) -> None:
    """Set (or, with ``None``, clear) the team's goal for one metric."""
    if metric not in METRICS:
        raise InvalidInputError(f"there is no metric {metric!r}; known: {', '.join(METRICS)}")
    if target is not None and not (-1e12 < target < 1e12):
        raise InvalidInputError(f"the goal for {METRICS[metric].label} must be a number")
    conn.execute(delete(w.team_goals).where(w.team_goals.c.metric == metric))
    if target is not None:
        conn.execute(
            insert(w.team_goals).values(
                metric=metric, target=target, updated_at=datetime.now(UTC), updated_by=by
            )
        )


# -- the dashboard ----------------------------------------------------------------------------------


def newest_time(conn: Connection) -> datetime | None:
    i, e = t.interactions.c, t.follow_edges.c
    candidates = [
        conn.execute(select(func.max(i.occurred_at))).scalar_one(),
        conn.execute(select(func.max(t.follow_snapshots.c.taken_at))).scalar_one(),
        conn.execute(select(func.max(e.valid_from))).scalar_one(),
    ]
    found = [c for c in candidates if c is not None]
    return max(found) if found else None


def _day(conn: Connection, column: Any) -> Any:
    # Stored as naive UTC: SQLite keeps ISO text, so its first 10 characters are the day.
    if conn.dialect.name == "sqlite":
        return func.substr(column, 1, 10)
    return func.to_char(column, "YYYY-MM-DD")


def _per_day(conn: Connection, column: Any, start: datetime, end: datetime, *where: Any) -> dict[str, int]:
    day = _day(conn, column)
    q = select(day, func.count()).where(column > start, column <= end, *where).group_by(day)
    return {str(d): int(n) for d, n in conn.execute(q)}


def trends(conn: Connection, end: datetime) -> dict[str, Any]:
    """Weekly series for the TREND_WEEKS up to ``end``: messages in, followers gained and lost."""
    start = end - timedelta(weeks=TREND_WEEKS)
    i, e = t.interactions.c, t.follow_edges.c
    follower = e.direction == FollowDirection.FOLLOWER.value
    series = {
        "messages_in": _per_day(
            conn, i.occurred_at, start, end, i.direction == Direction.INBOUND.value, i.text.is_not(None)
        ),
        "followers_gained": _per_day(
            conn, e.valid_from, start, end, follower, e.valid_from_after.is_not(None)
        ),
        "followers_lost": _per_day(conn, e.valid_to, start, end, follower),
    }
    weeks = [(start + timedelta(weeks=k)).date() for k in range(TREND_WEEKS)]
    out: dict[str, Any] = {"weeks": [d.isoformat() for d in weeks]}
    for name, per_day in series.items():
        counts = [0] * TREND_WEEKS
        for day, n in per_day.items():
            k = (date.fromisoformat(day) - start.date()).days // 7
            counts[min(max(k, 0), TREND_WEEKS - 1)] += n
        out[name] = counts
    return out


def _fingerprint(conn: Connection) -> tuple[Any, ...]:
    r = t.import_runs.c
    runs = conn.execute(select(func.count(), func.max(r.id), func.max(r.finished_at))).one()
    return (str(conn.engine.url), *runs, tuple(sorted(goals(conn).items())), tuple(METRICS))


@dataclass
class _Entry:
    key: tuple[Any, ...]
    at: float
    data: dict[str, Any]
    refreshing: bool = False


_cache: dict[str, _Entry] = {}
_cache_lock = threading.Lock()
_compute_lock = threading.Lock()


def dashboard(conn: Connection) -> dict[str, Any]:
    """Everything on the dashboard, cached per database.

    Workspace data changes mostly through imports: after an import (or a goal change) the numbers are
    computed again before they are shown. Otherwise they are served from the cache, and refreshed in the
    background when older than CACHE_SECONDS (merging people or answering in the inbox changes some
    metrics without an import), so no visitor waits for a recomputation the import did not cause."""
    url = str(conn.engine.url)
    key = _fingerprint(conn)
    with _cache_lock:
        hit = _cache.get(url)
        stale = hit is not None and hit.key == key and time.monotonic() - hit.at > CACHE_SECONDS
        if stale and hit is not None and not hit.refreshing:
            hit.refreshing = True
            threading.Thread(target=_refresh, args=(conn.engine, url, key), daemon=True).start()
    if hit is not None and hit.key == key:
        return hit.data
    with _compute_lock:  # one computation at a time: concurrent first visitors wait for the same one
        with _cache_lock:
            hit = _cache.get(url)
        if hit is not None and hit.key == key:
            return hit.data
        data = _compute(conn)
        with _cache_lock:
            _cache[url] = _Entry(key, time.monotonic(), data)
    return data


def _refresh(engine: Engine, url: str, key: tuple[Any, ...]) -> None:
    try:
        with _compute_lock, engine.connect() as conn:
            data = _compute(conn)
        with _cache_lock:
            _cache[url] = _Entry(key, time.monotonic(), data)
    finally:
        with _cache_lock:
            entry = _cache.get(url)
            if entry is not None:
                entry.refreshing = False


def list_accounts(conn: Connection) -> list[dict[str, Any]]:
    """Our accounts with their current follower counts."""
    a, e = t.accounts.c, t.follow_edges.c
    followers = (
        select(e.account_id, func.count().label("n"))
        .where(e.direction == FollowDirection.FOLLOWER.value, e.valid_to.is_(None))
        .group_by(e.account_id)
        .subquery()
    )
    q = (
        select(a.id, a.network, a.handle, a.display_name, func.coalesce(followers.c.n, 0).label("followers"))
        .select_from(t.accounts.outerjoin(followers, followers.c.account_id == a.id))
        .order_by(a.network, a.handle)
    )
    return [dict(r) for r in conn.execute(q).mappings()]


_accounts: dict[str, tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}


def accounts(conn: Connection) -> list[dict[str, Any]]:
    """:func:`list_accounts`, cached per database until the next import."""
    url, key = str(conn.engine.url), _fingerprint(conn)
    hit = _accounts.get(url)
    if hit is not None and hit[0] == key:
        return hit[1]
    rows = list_accounts(conn)
    _accounts[url] = (key, rows)
    return rows


def _compute(conn: Connection) -> dict[str, Any]:
    status = workspace_status(conn)
    end = newest_time(conn)
    targets = goals(conn)
    metrics = []
    for m in METRICS.values():
        value = m.compute(conn, end) if end is not None else None
        target = targets.get(m.key)
        met = None
        if value is not None and target is not None:
            met = value >= target if m.higher_is_better else value <= target
        metrics.append(
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit,
                "help": m.help,
                "higher_is_better": m.higher_is_better,
                "value": value,
                "goal": target,
                "met": met,
            }
        )
    return {
        "status": status,
        "as_of": end.isoformat() if end else None,
        "window_days": WINDOW_DAYS,
        "metrics": metrics,
        "trends": trends(conn, end) if end is not None else None,
    }
