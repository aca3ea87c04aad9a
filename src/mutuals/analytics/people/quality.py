"""Quality over quantity: per account and period, how many relationships are two-way and deepening,
shown next to the follower count."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select
from sqlalchemy.sql import Subquery

from mutuals.analytics.people.common import (
    MESSAGE_KINDS,
    OFFLINE_KINDS,
    is_contact,
    person_interactions,
)
from mutuals.errors import NotFoundError
from mutuals.storage import tables as t


def find_account(conn: Connection, ref: str) -> int:
    ac = t.accounts.c
    net, sep, handle = ref.partition(":")
    if not sep:
        net, handle = "", ref
    q = select(ac.id).where(func.lower(ac.handle) == handle.lstrip("@").lower())
    if net:
        q = q.where(ac.network == net.lower())
    found = [int(r[0]) for r in conn.execute(q)]
    if len(found) != 1:
        known = ", ".join(f"{n}:{h}" for n, h in conn.execute(select(ac.network, ac.handle).order_by(ac.id)))
        what = "no account" if not found else "several accounts"
        raise NotFoundError(f"{what} {ref!r} (accounts: {known or 'none yet'}; use network:handle)")
    return found[0]


def _followers(conn: Connection, account_id: int, at: datetime) -> int:
    e = t.follow_edges.c
    return int(
        conn.execute(
            select(func.count())
            .select_from(t.follow_edges)
            .where(
                e.account_id == account_id,
                e.direction.in_(("follower", "friend")),
                e.valid_from <= at,
                or_(e.valid_to.is_(None), e.valid_to > at),
            )
        ).scalar_one()
    )


def _per_person(account_id: int, start: datetime, end: datetime) -> Subquery:
    i, ic = t.interactions.c, t.identities.c
    inside = and_(i.occurred_at >= start, i.occurred_at < end)
    inbound, outbound = i.direction == "inbound", i.direction == "outbound"

    def n(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    def first(cond: Any) -> Any:
        return func.min(case((cond, i.occurred_at), else_=None))

    return (
        select(
            ic.person_id.label("person_id"),
            n(inside & inbound).label("in_n"),
            n(inside & outbound).label("out_n"),
            n(inside & inbound & i.kind.in_(MESSAGE_KINDS)).label("msg_in"),
            n(inside & outbound & i.kind.in_(MESSAGE_KINDS)).label("msg_out"),
            func.count(func.distinct(case((inside & inbound, func.date(i.occurred_at)), else_=None))).label(
                "in_days"
            ),
            func.min(i.occurred_at).label("first_at"),
            n(inside).label("active"),
            first(i.is_public.is_(True) & i.kind.not_in(OFFLINE_KINDS)).label("first_public"),
            first(i.kind == "dm").label("first_dm"),
            first(i.kind == "email").label("first_email"),
            first(i.kind.in_(OFFLINE_KINDS)).label("first_offline"),
        )
        .select_from(person_interactions())
        .where(i.account_id == account_id, is_contact(), i.occurred_at < end)
        .group_by(ic.person_id)
        .subquery("per_person")
    )


def account_quality(conn: Connection, account_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    p = _per_person(account_id, start, end)

    def count(*cond: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(p).where(*cond)).scalar_one())

    def moved(col: Any) -> int:
        return count(col >= start, col < end, p.c.first_public < col)

    engagers = count(p.c.in_n > 0)
    reciprocated = count(p.c.in_n > 0, p.c.out_n > 0)
    active = count(p.c.active > 0)
    median_days: float | None = None
    if active:
        firsts = (
            select(p.c.first_at)
            .where(p.c.active > 0)
            .order_by(p.c.first_at, p.c.person_id)
            .offset((active - 1) // 2)
        )
        vals = [r[0] for r in conn.execute(firsts.limit(2 if active % 2 == 0 else 1))]
        ages = [(end - v).total_seconds() / 86400 for v in vals]
        median_days = round(sum(ages) / len(ages), 1)
    acc = conn.execute(
        select(t.accounts.c.network, t.accounts.c.handle).where(t.accounts.c.id == account_id)
    ).one()
    return {
        "account": f"{acc.network}:{acc.handle}",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "followers_at_start": _followers(conn, account_id, start),
        "followers_at_end": _followers(conn, account_id, end),
        "active_people": active,
        "two_way_conversations": count(p.c.msg_in > 0, p.c.msg_out > 0),
        "engagers": engagers,
        "repeat_engagers": count(p.c.in_days >= 2),
        "reciprocation_rate": round(reciprocated / engagers, 4) if engagers else None,
        "moved_to_dm": moved(p.c.first_dm),
        "moved_to_email": moved(p.c.first_email),
        "moved_offline": moved(p.c.first_offline),
        "median_relationship_age_days": median_days,
    }


def quality(
    conn: Connection, end: datetime, *, days: int = 30, account: str | None = None
) -> list[dict[str, Any]]:
    start = end - timedelta(days=days)
    ac = t.accounts.c
    ids = (
        [find_account(conn, account)]
        if account
        else [int(r[0]) for r in conn.execute(select(ac.id).order_by(ac.network, ac.handle))]
    )
    return [account_quality(conn, a, start, end) for a in ids]
