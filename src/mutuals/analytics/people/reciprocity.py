"""The reciprocity ledger: what people gave our accounts and what we gave back, and who we owe.

Weighted points: a like is 1, a repost / quote 3, a reply / comment / mention 2 (the same weights both
ways). ``owed`` = what they gave − what we gave back, never below 0.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, case, cast, func, select
from sqlalchemy.sql import ColumnElement, Subquery

from mutuals.analytics.people.common import person_interactions
from mutuals.analytics.people.score import scores_query
from mutuals.storage import tables as t

WEIGHTS = {"like": 1, "repost": 3, "quote": 3, "reply": 2, "comment": 2, "mention": 2}
GIVE_KINDS = tuple(WEIGHTS)


def ledger_subquery(person_id: int | None = None) -> Subquery:
    """Per person (or only ``person_id``): counts given / given back by kind, weighted totals, ``owed``."""
    i, ic = t.interactions.c, t.identities.c
    weight = case(*[(i.kind == k, w) for k, w in WEIGHTS.items()], else_=0)
    inbound, outbound = i.direction == "inbound", i.direction == "outbound"
    cols: list[Any] = [ic.person_id.label("person_id")]
    for k in GIVE_KINDS:
        cols.append(func.sum(case((inbound & (i.kind == k), 1), else_=0)).label(f"in_{k}"))
        cols.append(func.sum(case((outbound & (i.kind == k), 1), else_=0)).label(f"out_{k}"))
    given = func.sum(case((inbound, weight), else_=0))
    back = func.sum(case((outbound, weight), else_=0))
    cols += [
        given.label("given"),
        back.label("given_back"),
        case((given > back, given - back), else_=0).label("owed"),
        func.max(case((inbound, i.occurred_at), else_=None)).label("last_given_at"),
    ]
    where: list[ColumnElement[bool]] = [i.kind.in_(GIVE_KINDS)]
    if person_id is not None:
        where.append(ic.person_id == person_id)
    return (
        select(*cols)
        .select_from(person_interactions())
        .where(*where)
        .group_by(ic.person_id)
        .subquery("ledger")
    )


def person_ledger(conn: Connection, person_id: int) -> dict[str, Any]:
    led = ledger_subquery(person_id)
    row = conn.execute(select(led).where(led.c.person_id == person_id)).mappings().first()
    if row is None:
        return {"they_gave": {}, "we_gave": {}, "given": 0, "given_back": 0, "owed": 0}
    return {
        "they_gave": {k: int(row[f"in_{k}"]) for k in GIVE_KINDS if row[f"in_{k}"]},
        "we_gave": {k: int(row[f"out_{k}"]) for k in GIVE_KINDS if row[f"out_{k}"]},
        "given": int(row["given"]),
        "given_back": int(row["given_back"]),
        "owed": int(row["owed"]),
    }


def engage_back(conn: Connection, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
    """People we owe, ranked by owed x (1 + score / 100): the most owed first, closer people first."""
    led = ledger_subquery()
    sq, _ = scores_query(now)
    s = sq.subquery("scores")
    score = func.coalesce(s.c.score, 0.0)
    rank = cast(led.c.owed, Float) * (1.0 + score / 100.0)
    pc = t.persons.c
    rows = conn.execute(
        select(
            led.c.person_id,
            pc.display_name,
            led.c.owed,
            led.c.given,
            led.c.given_back,
            score.label("score"),
            rank.label("rank"),
            led.c.last_given_at,
        )
        .select_from(
            led.join(t.persons, pc.id == led.c.person_id).outerjoin(s, s.c.person_id == led.c.person_id)
        )
        .where(led.c.owed > 0)
        .order_by(rank.desc(), led.c.person_id)
        .limit(limit)
    ).mappings()
    return [
        {
            "person": r["person_id"],
            "name": r["display_name"],
            "owed": int(r["owed"]),
            "given": int(r["given"]),
            "given_back": int(r["given_back"]),
            "score": round(float(r["score"]), 1),
            "rank": round(float(r["rank"]), 2),
            "last_given_at": r["last_given_at"].isoformat() if r["last_given_at"] else None,
        }
        for r in rows
    ]
