"""Who stays: churn per week and month, and cohort retention of new followers.

Churn: a loss is counted in the period of the snapshot that first shows it (``valid_to``); the rate is the
losses of the period over the members of the last snapshot before the period's first one. Periods before
an account's second snapshot have no rate.

Cohorts: a follower's follow time is the export's own ``followed_at`` where it gives one, else the first
snapshot that showed the gain (``valid_from``; baseline members without ``followed_at`` are in no cohort).
Of a cohort (ISO week of the follow time), a member is *retained* at horizon h when a snapshot at or after
follow + h still showed them, *lost* when one at or before follow + h no longer did, and *uncertain*
otherwise. A horizon is reported only where it is observable for the whole cohort (the account's newest
snapshot is at least h after the cohort's last follow time); the share is retained / size.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, and_, case, cast, func, or_, select

from mutuals.analytics.followers.common import SN, E, account_ids, check_direction, julian_day
from mutuals.storage import tables as t

HORIZONS = (7, 30, 90)
JD_MONDAY = 2440591.5  # 1970-01-05, a Monday, as a Julian day
EPOCH_MONDAY = datetime(1970, 1, 5, tzinfo=UTC)


def _period(when: datetime, period: str) -> str:
    if period == "week":
        monday = (when - timedelta(days=when.weekday())).date()
        return monday.isoformat()
    return f"{when.year:04d}-{when.month:02d}"


def churn(
    conn: Connection, *, account: str | None = None, direction: str = "follower", period: str = "week"
) -> list[dict[str, Any]]:
    check_direction(direction)
    ids = account_ids(conn, account)
    lost = (
        select(E.account_id, E.valid_to.label("at"), func.count().label("n"))
        .where(E.account_id.in_(ids), E.direction == direction, E.valid_to.is_not(None))
        .group_by(E.account_id, E.valid_to)
        .subquery()
    )
    gained = (
        select(E.account_id, E.valid_from.label("at"), func.count().label("n"))
        .where(E.account_id.in_(ids), E.direction == direction, E.valid_from_after.is_not(None))
        .group_by(E.account_id, E.valid_from)
        .subquery()
    )
    q = (
        select(
            SN.account_id,
            SN.taken_at,
            SN.members,
            func.coalesce(lost.c.n, 0).label("lost"),
            func.coalesce(gained.c.n, 0).label("gained"),
        )
        .select_from(
            t.follow_snapshots.outerjoin(
                lost, and_(lost.c.account_id == SN.account_id, lost.c.at == SN.taken_at)
            ).outerjoin(gained, and_(gained.c.account_id == SN.account_id, gained.c.at == SN.taken_at))
        )
        .where(SN.account_id.in_(ids), SN.direction == direction)
        .order_by(SN.account_id, SN.taken_at)
    )
    buckets: dict[str, dict[str, Any]] = {}
    prev_members: dict[int, int] = {}
    for r in conn.execute(q):
        key = _period(r.taken_at, period)
        b = buckets.setdefault(
            key, {"period": key, "snapshots": 0, "lost": 0, "gained": 0, "base": 0, "_based": set()}
        )
        b["snapshots"] += 1
        if r.account_id in prev_members:
            b["lost"] += int(r.lost)
            b["gained"] += int(r.gained)
            if r.account_id not in b["_based"]:
                b["base"] += prev_members[r.account_id]
                b["_based"].add(r.account_id)
        prev_members[r.account_id] = int(r.members)
    out = []
    for key in sorted(buckets):
        b = buckets[key]
        b.pop("_based")
        b["churn_rate"] = (b["lost"] / b["base"]) if b["base"] else None
        out.append(b)
    return out


def cohorts(
    conn: Connection,
    *,
    account: str | None = None,
    direction: str = "follower",
    horizons: tuple[int, ...] = HORIZONS,
) -> dict[str, Any]:
    check_direction(direction)
    ids = account_ids(conn, account)
    newest = (
        select(func.max(SN.taken_at))
        .where(SN.account_id == E.account_id, SN.direction == E.direction)
        .scalar_subquery()
    )
    follow = func.coalesce(E.followed_at, E.valid_from)
    jd = julian_day(follow)
    week = cast(func.floor((jd - JD_MONDAY) / 7), Integer).label("week")
    last_seen = func.coalesce(E.valid_to_after, newest)
    cols: list[Any] = [
        week,
        func.count().label("size"),
        func.max(jd).label("last_jd"),
        func.max(julian_day(newest)).label("newest_jd"),
    ]
    for h in horizons:
        cols.append(func.sum(case((julian_day(last_seen) >= jd + h, 1), else_=0)).label(f"r{h}"))
        cols.append(
            func.sum(
                case((and_(E.valid_to.is_not(None), julian_day(E.valid_to) <= jd + h), 1), else_=0)
            ).label(f"l{h}")
        )
    q = (
        select(*cols)
        .where(
            E.account_id.in_(ids),
            E.direction == direction,
            or_(E.valid_from_after.is_not(None), E.followed_at.is_not(None)),
        )
        .group_by(week)
        .order_by(week)
    )
    table = []
    for r in conn.execute(q):
        start = EPOCH_MONDAY + timedelta(days=7 * int(r.week))
        row: dict[str, Any] = {"cohort_week": start.date().isoformat(), "size": int(r.size)}
        for h in horizons:
            if float(r.newest_jd) >= float(r.last_jd) + h:
                kept, gone = int(getattr(r, f"r{h}")), int(getattr(r, f"l{h}"))
                row[f"d{h}"] = {
                    "retained": kept,
                    "lost": gone,
                    "uncertain": int(r.size) - kept - gone,
                    "share": kept / int(r.size),
                }
            else:
                row[f"d{h}"] = None
        table.append(row)
    series = {
        "x": [row["cohort_week"] for row in table],
        "series": [
            {
                "name": f"still following after {h} days",
                "horizon_days": h,
                "values": [row[f"d{h}"]["share"] if row[f"d{h}"] else None for row in table],
            }
            for h in horizons
        ],
    }
    return {"direction": direction, "horizons": list(horizons), "table": table, "chart": series}


def retention(conn: Connection, *, account: str | None = None, direction: str = "follower") -> dict[str, Any]:
    return {
        "direction": direction,
        "churn": {
            "week": churn(conn, account=account, direction=direction, period="week"),
            "month": churn(conn, account=account, direction=direction, period="month"),
        },
        "cohorts": cohorts(conn, account=account, direction=direction),
    }
