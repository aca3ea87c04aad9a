"""Who came and who left: the differences between successive snapshots, with who each person is.

A gain is an edge whose run began after a snapshot that did not show it (``valid_from_after`` set: the
first snapshot of an account is its baseline, not a gain); a loss is an edge whose run ended. Each comes
with the interval in which it happened, ``between: [last snapshot without / with it, first one after]``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql import ColumnElement

from mutuals.analytics.followers.common import E, account_ids, accounts_by_id, check_direction, iso
from mutuals.analytics.followers.people import people_context
from mutuals.storage import tables as t

ID = t.identities.c


def follower_changes(
    conn: Connection,
    *,
    account: str | None = None,
    since: datetime | None = None,
    direction: str = "follower",
    limit: int | None = None,
    context: bool = True,
) -> dict[str, list[dict[str, Any]]]:
    """``{"gained": [...], "lost": [...]}``, oldest change first. ``since`` keeps the changes whose
    interval ends at or after it; ``limit`` caps each list (newest kept)."""
    check_direction(direction)
    ids = account_ids(conn, account)
    accounts = accounts_by_id(conn)
    gained = _edges(
        conn,
        ids,
        direction,
        E.valid_from_after.is_not(None),
        E.valid_from_after,
        E.valid_from,
        since,
        limit,
        accounts,
    )
    lost = _edges(
        conn, ids, direction, E.valid_to.is_not(None), E.valid_to_after, E.valid_to, since, limit, accounts
    )
    if context:
        people = people_context(conn, [r["person_id"] for r in gained + lost if r["person_id"] is not None])
        for row in gained + lost:
            pid = row["person_id"]
            person = people.get(pid) if pid is not None else None
            row["person"] = _person(person, row) if person else None
            row["history"] = person["history"] if person else None
            row["stage"] = person["stage"] if person else None
    return {"gained": gained, "lost": lost}


def _person(person: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    others = [
        i
        for i in person["identities"]
        if (i["network"], i["platform_id"]) != (row["network"], row["platform_id"])
    ]
    return {"id": person["id"], "display_name": person["display_name"], "other_identities": others}


def _edges(
    conn: Connection,
    ids: list[int],
    direction: str,
    cond: ColumnElement[bool],
    start: Any,
    end: Any,
    since: datetime | None,
    limit: int | None,
    accounts: dict[int, dict[str, str]],
) -> list[dict[str, Any]]:
    q = (
        select(
            E.account_id,
            E.followed_at,
            start.label("t0"),
            end.label("t1"),
            ID.network,
            ID.platform_id,
            ID.handle,
            ID.display_name,
            ID.person_id,
        )
        .select_from(t.follow_edges.join(t.identities, ID.id == E.identity_id))
        .where(E.account_id.in_(ids), E.direction == direction, cond)
    )
    if since is not None:
        q = q.where(end >= since)
    if limit is not None:
        q = q.order_by(end.desc(), ID.platform_id).limit(limit)
    rows = [
        {
            "network": r.network,
            "platform_id": r.platform_id,
            "handle": r.handle,
            "display_name": r.display_name,
            "between": [iso(r.t0), iso(r.t1)],
            "account": f"{accounts[r.account_id]['network']}:{accounts[r.account_id]['handle']}",
            "direction": direction,
            "followed_at": iso(r.followed_at),
            "person_id": None if r.person_id is None else int(r.person_id),
        }
        for r in conn.execute(q)
    ]
    rows.sort(key=lambda r: (r["between"][1] or "", r["account"], r["platform_id"]))
    return rows
