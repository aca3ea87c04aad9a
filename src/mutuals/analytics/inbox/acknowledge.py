"""Acknowledge the responders: people who replied to or commented on our posts and got nothing back.

A reply or comment of theirs on one of our posts counts as acknowledged when the same account of ours
later wrote to them, or answered, liked or reposted that very message (any outbound interaction with
``in_reply_to`` / ``target_ref`` = its key, or with them dated at or after it), or a reply was recorded for
it in Mutuals. The queue lists each person once, oldest unacknowledged message first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select

from mutuals.storage import inbox_tables as it
from mutuals.storage import tables as t

RESPONSE_KINDS = ("reply", "comment", "quote")


def queue(conn: Connection, account: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    i = t.interactions.alias("i")
    o = t.interactions.alias("o")
    r = it.inbox_replies.c
    a, ic = t.accounts.c, t.identities.c
    answered_by_us = exists().where(
        o.c.account_id == i.c.account_id,
        o.c.direction == "outbound",
        or_(
            o.c.in_reply_to == i.c.key,
            o.c.target_ref == i.c.key,
            and_(o.c.identity_id == i.c.identity_id, o.c.occurred_at >= i.c.occurred_at),
        ),
    )
    recorded = exists().where(r.in_reply_to == i.c.key)
    pending = (
        select(
            i.c.account_id,
            i.c.identity_id,
            func.min(i.c.occurred_at).label("oldest"),
            func.max(i.c.occurred_at).label("newest"),
            func.count().label("messages"),
        )
        .where(
            i.c.direction == "inbound",
            i.c.kind.in_(RESPONSE_KINDS),
            i.c.identity_id.is_not(None),
            or_(i.c.post_id.is_not(None), i.c.post_ref.is_not(None)),
            ~answered_by_us,
            ~recorded,
        )
        .group_by(i.c.account_id, i.c.identity_id)
        .subquery("pending")
    )
    q = (
        select(
            a.handle,
            a.network,
            ic.id,
            ic.handle,
            ic.display_name,
            ic.person_id,
            pending.c.oldest,
            pending.c.newest,
            pending.c.messages,
        )
        .join(t.accounts, a.id == pending.c.account_id)
        .join(t.identities, ic.id == pending.c.identity_id)
        .order_by(pending.c.oldest, ic.id)
        .limit(limit)
    )
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    return [
        {
            "account": row[0],
            "network": row[1],
            "identity_id": row[2],
            "handle": row[3],
            "display_name": row[4],
            "person_id": row[5],
            "oldest_at": row[6].isoformat() if row[6] else None,
            "newest_at": row[7].isoformat() if row[7] else None,
            "messages": row[8],
        }
        for row in conn.execute(q)
    ]
