"""Why people leave: the posts we published in each unfollow interval, and which kinds of post are followed
by more unfollows than usual.

Method (documented in docs/cli/followers.md): every interval between two successive snapshots of an
account is one unit, with its unfollows ``U`` and its exposure ``members of the earlier snapshot × days``.
For a feature (a post kind, a media type, "promotional", a hashtag topic), the intervals in which we
published at least one such post are compared with the others: the rate ratio is
``(U_with / exposure_with) / (U_without / exposure_without)``, with a 95 % confidence interval from the
usual log-normal approximation for Poisson counts, ``exp(ln RR ± 1.96 √(1/U_with + 1/U_without))``.
Below ``MIN_CASES`` unfollows on either side, or ``MIN_INTERVALS`` intervals on either side, the answer is
"not enough data". Unfollows are known only to lie inside an interval, so this is association, not cause.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, and_, func, select

from mutuals.analytics.followers.common import SN, E, account_ids, accounts_by_id, check_direction, iso
from mutuals.enrich.promotional import hashtags, promotional_reasons
from mutuals.storage import tables as t

PO = t.posts.c
MIN_CASES = 5
MIN_INTERVALS = 2
POSTS_SHOWN = 20  # posts listed per interval
Z95 = 1.959964


def _intervals(conn: Connection, ids: list[int], direction: str) -> list[dict[str, Any]]:
    prev = func.lag(SN.taken_at).over(partition_by=SN.account_id, order_by=SN.taken_at).label("prev")
    prev_members = func.lag(SN.members).over(partition_by=SN.account_id, order_by=SN.taken_at).label("pm")
    snaps = (
        select(SN.account_id, SN.taken_at, SN.members, prev, prev_members)
        .where(SN.account_id.in_(ids), SN.direction == direction)
        .subquery()
    )
    lost = (
        select(E.account_id, E.valid_to, func.count().label("lost"))
        .where(E.account_id.in_(ids), E.direction == direction, E.valid_to.is_not(None))
        .group_by(E.account_id, E.valid_to)
        .subquery()
    )
    q = (
        select(snaps, func.coalesce(lost.c.lost, 0).label("lost"))
        .select_from(
            snaps.outerjoin(
                lost, and_(lost.c.account_id == snaps.c.account_id, lost.c.valid_to == snaps.c.taken_at)
            )
        )
        .where(snaps.c.prev.is_not(None))
        .order_by(snaps.c.account_id, snaps.c.taken_at)
    )
    out = []
    for r in conn.execute(q):
        t0, t1 = SN.taken_at.type.process_result_value(r.prev, None), r.taken_at  # type: ignore[attr-defined]
        days = max((t1 - t0).total_seconds() / 86400, 1e-9)
        out.append(
            {
                "account_id": r.account_id,
                "t0": t0,
                "t1": t1,
                "members_before": int(r.pm or 0),
                "lost": int(r.lost),
                "exposure": int(r.pm or 0) * days,
                "posts": [],
            }
        )
    return out


def _posts(conn: Connection, intervals: list[dict[str, Any]]) -> None:
    by_account: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for iv in intervals:
        by_account[iv["account_id"]].append(iv)
    for acc, ivs in by_account.items():
        lo, hi = min(iv["t0"] for iv in ivs), max(iv["t1"] for iv in ivs)
        q = (
            select(PO.platform_id, PO.kind, PO.media_types, PO.text, PO.published_at, PO.url)
            .where(PO.account_id == acc, PO.published_at > lo, PO.published_at <= hi)
            .order_by(PO.published_at)
        )
        for r in conn.execute(q):
            for iv in ivs:
                if iv["t0"] < r.published_at <= iv["t1"]:
                    reasons = promotional_reasons(r.text)
                    iv["posts"].append(
                        {
                            "platform_id": r.platform_id,
                            "kind": r.kind,
                            "media_types": [m for m in (r.media_types or "").split(",") if m],
                            "published_at": iso(r.published_at),
                            "url": r.url,
                            "text": (r.text or "")[:200],
                            "promotional": bool(reasons),
                            "promotional_reasons": reasons,
                            "topics": hashtags(r.text),
                        }
                    )
                    break


def _features(post: dict[str, Any]) -> set[str]:
    out = {f"kind:{post['kind']}"} | {f"media:{m}" for m in post["media_types"]}
    if post["promotional"]:
        out.add("promotional")
    out |= {f"topic:#{h}" for h in post["topics"]}
    return out


def rate_ratio(lost_with: int, exp_with: float, lost_without: int, exp_without: float) -> dict[str, Any]:
    """Rate ratio with its 95 % interval, or ``None`` values where a side has no unfollows or exposure."""
    if min(lost_with, lost_without) <= 0 or min(exp_with, exp_without) <= 0:
        return {"rate_ratio": None, "ci95": None}
    rr = (lost_with / exp_with) / (lost_without / exp_without)
    half = Z95 * math.sqrt(1 / lost_with + 1 / lost_without)
    return {"rate_ratio": rr, "ci95": [rr * math.exp(-half), rr * math.exp(half)]}


def why_left(conn: Connection, *, account: str | None = None, direction: str = "follower") -> dict[str, Any]:
    check_direction(direction)
    ids = account_ids(conn, account)
    accounts = accounts_by_id(conn)
    intervals = _intervals(conn, ids, direction)
    _posts(conn, intervals)
    feats = [set().union(*(_features(p) for p in iv["posts"])) if iv["posts"] else set() for iv in intervals]
    factors = []
    for f in sorted(set().union(*feats) if feats else set()):
        w = [iv for iv, fs in zip(intervals, feats, strict=True) if f in fs]
        wo = [iv for iv, fs in zip(intervals, feats, strict=True) if f not in fs]
        u1, u0 = sum(iv["lost"] for iv in w), sum(iv["lost"] for iv in wo)
        e1, e0 = sum(iv["exposure"] for iv in w), sum(iv["exposure"] for iv in wo)
        enough = min(u1, u0) >= MIN_CASES and min(len(w), len(wo)) >= MIN_INTERVALS
        row: dict[str, Any] = {
            "feature": f,
            "intervals_with": len(w),
            "intervals_without": len(wo),
            "cases": u1,
            "lost_with": u1,
            "lost_without": u0,
            "follower_days_with": round(e1, 1),
            "follower_days_without": round(e0, 1),
            "status": "ok" if enough else "not enough data",
        }
        row.update(rate_ratio(u1, e1, u0, e0) if enough else {"rate_ratio": None, "ci95": None})
        factors.append(row)
    factors.sort(key=lambda r: (r["status"] != "ok", -(r["rate_ratio"] or 0), r["feature"]))
    return {
        "direction": direction,
        "min_cases": MIN_CASES,
        "min_intervals": MIN_INTERVALS,
        "unfollows": sum(iv["lost"] for iv in intervals),
        "intervals": [
            {
                "account": f"{accounts[iv['account_id']]['network']}:{accounts[iv['account_id']]['handle']}",
                "between": [iso(iv["t0"]), iso(iv["t1"])],
                "lost": iv["lost"],
                "members_before": iv["members_before"],
                "posts_published": len(iv["posts"]),
                "posts": iv["posts"][:POSTS_SHOWN],
            }
            for iv in intervals
            if iv["lost"]
        ],
        "factors": factors,
    }
