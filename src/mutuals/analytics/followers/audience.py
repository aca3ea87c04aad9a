"""Who the audience is: follow-back, mutuals, the non-reciprocal lists both ways, inactive followers, and
likely spam / bot accounts.

Reciprocity is per account and per identity: a current follower edge and a current following edge of the
same account to the same identity make a mutual. Friends (Facebook, LinkedIn) are symmetric by nature and
are counted, not compared.

Likely bots (``bot_reasons``; an account is *likely* a bot with the ``declared bot`` reason or any two):
- ``declared bot``: the profile says so (Mastodon / ActivityPub ``bot: true`` or actor type ``Service``);
- ``digits``: the handle ends in six or more digits (``user84736251``: a generated name);
- ``no name``: no display name, and no profile at all;
- ``follow ratio``: the profile gives counts, and it follows 1,000+ accounts and 20 times more than
  follow it;
- ``flip-flop``: it followed and left our account two or more times (three or more runs of presence).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select
from sqlalchemy.orm import aliased

from mutuals.analytics.followers.common import E, account_ids, accounts_by_id, check_direction
from mutuals.storage import tables as t

ID = t.identities.c
X = t.interactions.c
_DIGITS = re.compile(r"\d{6,}$")
FLIP_FLOP_RUNS = 3
SCAN_BATCH = 10_000


def _open(direction: str) -> Any:
    return and_(E.direction == direction, E.valid_to.is_(None))


def _member(identity: Any) -> dict[str, Any]:
    return {
        "network": identity.network,
        "platform_id": identity.platform_id,
        "handle": identity.handle,
        "display_name": identity.display_name,
        "person_id": identity.person_id,
    }


def reciprocity(conn: Connection, ids: list[int], limit: int) -> dict[str, Any]:
    other = aliased(t.follow_edges)
    o = other.c
    back = exists().where(o.account_id == E.account_id, o.identity_id == E.identity_id, o.valid_to.is_(None))
    fol = _open("follower")
    ing = _open("following")

    def count(where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(t.follow_edges).where(where)).scalar_one())

    def listing(where: Any) -> list[dict[str, Any]]:
        q = (
            select(ID.network, ID.platform_id, ID.handle, ID.display_name, ID.person_id)
            .select_from(t.follow_edges.join(t.identities, ID.id == E.identity_id))
            .where(where)
            .order_by(ID.handle, ID.platform_id)
            .limit(limit)
        )
        return [_member(r) for r in conn.execute(q)]

    acc = E.account_id.in_(ids)
    followers = count(and_(acc, fol))
    following = count(and_(acc, ing))
    mutual_cond = and_(acc, fol, back.where(o.direction == "following"))
    mutuals = count(mutual_cond)
    not_back = and_(acc, fol, ~back.where(o.direction == "following"))
    not_following_us = and_(acc, ing, ~back.where(o.direction == "follower"))
    return {
        "followers": followers,
        "following": following,
        "friends": count(and_(acc, _open("friend"))),
        "mutuals": mutuals,
        "follow_back_ratio": mutuals / followers if followers else None,
        "followed_back_by_ratio": mutuals / following if following else None,
        "mutual_list": listing(mutual_cond),
        "followers_we_do_not_follow": {"count": followers - mutuals, "sample": listing(not_back)},
        "following_who_do_not_follow_us": {"count": following - mutuals, "sample": listing(not_following_us)},
    }


def inactive(
    conn: Connection, ids: list[int], direction: str, days: int, limit: int, now: datetime | None = None
) -> dict[str, Any]:
    """Current members with no interaction from them (any identity of the same person) in ``days``."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    other = aliased(t.identities)
    active = exists().where(
        X.identity_id == other.c.id,
        other.c.person_id == ID.person_id,
        X.direction == "inbound",
        X.occurred_at >= cutoff,
    )
    where = and_(E.account_id.in_(ids), _open(direction), ~active)
    base = t.follow_edges.join(t.identities, ID.id == E.identity_id)
    n = int(conn.execute(select(func.count()).select_from(base).where(where)).scalar_one())
    q = (
        select(ID.network, ID.platform_id, ID.handle, ID.display_name, ID.person_id)
        .select_from(base)
        .where(where)
        .order_by(ID.handle, ID.platform_id)
        .limit(limit)
    )
    return {
        "days": days,
        "since": cutoff.isoformat(),
        "count": n,
        "sample": [_member(r) for r in conn.execute(q)],
    }


def bot_reasons(handle: str | None, display_name: str | None, profile: Any, runs: int) -> list[str]:
    reasons = []
    prof = profile if isinstance(profile, dict) else {}
    if prof.get("bot") is True or str(prof.get("type", "")).lower() == "service":
        reasons.append("declared bot")
    if handle and _DIGITS.search(handle.split("@")[0]):
        reasons.append("digits")
    if not display_name and not prof:
        reasons.append("no name")
    following = _num(prof, "following_count", "followingCount", "following")
    followers = _num(prof, "followers_count", "followersCount", "followers")
    if following is not None and followers is not None and following >= 1000 and following > 20 * followers:
        reasons.append("follow ratio")
    if runs >= FLIP_FLOP_RUNS:
        reasons.append("flip-flop")
    return reasons


def _num(prof: dict[str, Any], *keys: str) -> int | None:
    for k in keys:
        v = prof.get(k)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, str) and v.isdigit():
            return int(v)
    return None


def is_likely_bot(reasons: list[str]) -> bool:
    return "declared bot" in reasons or len(reasons) >= 2


def likely_bots(conn: Connection, ids: list[int], direction: str, limit: int) -> dict[str, Any]:
    """Scans the current members in batches (memory stays flat) and keeps the first ``limit`` listed."""
    other = aliased(t.follow_edges)
    o = other.c
    runs = (
        select(func.count())
        .where(o.account_id == E.account_id, o.direction == E.direction, o.identity_id == E.identity_id)
        .scalar_subquery()
    )
    q = (
        select(
            ID.network,
            ID.platform_id,
            ID.handle,
            ID.display_name,
            ID.person_id,
            ID.profile,
            runs.label("runs"),
        )
        .select_from(t.follow_edges.join(t.identities, ID.id == E.identity_id))
        .where(E.account_id.in_(ids), _open(direction))
    )
    n = 0
    sample: list[dict[str, Any]] = []
    for r in conn.execution_options(yield_per=SCAN_BATCH).execute(q):
        reasons = bot_reasons(r.handle, r.display_name, r.profile, int(r.runs))
        if is_likely_bot(reasons):
            n += 1
            if len(sample) < limit:
                sample.append({**_member(r), "reasons": reasons})
    return {"count": n, "sample": sample}


def audience(
    conn: Connection,
    *,
    account: str | None = None,
    direction: str = "follower",
    inactive_days: int = 180,
    limit: int = 50,
    now: datetime | None = None,
) -> dict[str, Any]:
    check_direction(direction)
    ids = account_ids(conn, account)
    accounts = accounts_by_id(conn)
    return {
        "accounts": [f"{accounts[i]['network']}:{accounts[i]['handle']}" for i in ids],
        "direction": direction,
        "reciprocity": reciprocity(conn, ids, limit),
        "inactive": inactive(conn, ids, direction, inactive_days, limit, now),
        "likely_bots": likely_bots(conn, ids, direction, limit),
    }
