"""The relationship score: one SQL aggregate per person, and the contribution of each part.

score = recency (0-30) + frequency (0-25) + reciprocity (0-20) + depth (0-15) + sentiment (-10..+10),
clamped to 0-100. See docs/people.md for the formula and a worked example.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Float, Select, and_, case, cast, func, literal, select
from sqlalchemy.sql import Subquery

from mutuals.analytics.people.common import (
    MESSAGE_KINDS,
    OFFLINE_KINDS,
    PRIVATE_KINDS,
    is_contact,
    person_interactions,
)
from mutuals.storage import tables as t

# Recency: points by the age of the newest contact.
RECENCY_STEPS = ((7, 30.0), (30, 24.0), (90, 15.0), (180, 8.0), (365, 3.0))
FREQUENCY_MAX, FREQUENCY_CAP = 25.0, 20  # full points at 20 contacts in the last 365 days
RECIPROCITY_MAX = 20.0
DEPTH_POINTS = {0: 0.0, 1: 5.0, 2: 10.0, 3: 15.0}  # none / public / private / offline
SENTIMENT_MAX = 10.0
PARTS = ("recency", "frequency", "reciprocity", "depth", "sentiment")


def activity(
    now: datetime, *, until: datetime | None = None, person_id: int | None = None, person_ids: Any = None
) -> Subquery:
    """Per person: contact counts, newest / oldest contact, depth, sentiment, message and kind counts,
    and the reciprocity ledger's weighted ``given`` / ``given_back``.

    ``until`` limits it to interactions before that time (for stages as they were); ``person_id`` to one
    person's rows (an indexed lookup instead of a pass over every interaction), ``person_ids`` (a SELECT
    of person ids) to those people's."""
    from mutuals.analytics.people.reciprocity import WEIGHTS

    i, ic = t.interactions.c, t.identities.c
    inbound = i.direction == "inbound"
    outbound = i.direction == "outbound"

    def n(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    depth = case(
        (i.kind.in_(OFFLINE_KINDS), 3),
        (i.kind.in_(PRIVATE_KINDS) | (i.is_public.is_(False)), 2),
        else_=1,
    )
    sentiment = case(
        (i.sentiment_label == "positive", 1.0),
        (i.sentiment_label == "negative", -1.0),
        (i.sentiment_label == "neutral", 0.0),
        else_=None,
    )
    where = [is_contact()]
    if until is not None:
        where.append(i.occurred_at < until)
    if person_id is not None:
        where.append(ic.person_id == person_id)
    if person_ids is not None:
        where.append(ic.person_id.in_(person_ids))
    weight = case(*[(i.kind == k, w) for k, w in WEIGHTS.items()], else_=0)
    return (
        select(
            ic.person_id.label("person_id"),
            func.max(i.occurred_at).label("last_at"),
            func.min(i.occurred_at).label("first_at"),
            n(i.occurred_at >= now - timedelta(days=365)).label("n_year"),
            n(inbound).label("n_in"),
            n(outbound).label("n_out"),
            func.max(depth).label("depth"),
            func.avg(case((inbound, sentiment), else_=None)).label("sentiment"),
            n(inbound & i.kind.in_(("like",))).label("likes"),
            n(inbound & i.kind.in_(("repost", "quote", "mention"))).label("shares"),
            n(inbound & i.kind.in_(("reply", "comment"))).label("comments"),
            n(inbound & (i.kind != "connection") & (i.kind != "invitation")).label("engagements"),
            n(inbound & i.kind.in_(MESSAGE_KINDS)).label("messages_in"),
            n(outbound & i.kind.in_(MESSAGE_KINDS)).label("messages_out"),
            n(i.kind.in_(PRIVATE_KINDS) | (i.is_public.is_(False) & i.kind.not_in(OFFLINE_KINDS))).label(
                "private"
            ),
            n(i.kind.in_(OFFLINE_KINDS)).label("offline"),
            func.coalesce(func.sum(case((inbound, weight), else_=0)), 0).label("given"),
            func.coalesce(func.sum(case((outbound, weight), else_=0)), 0).label("given_back"),
        )
        .select_from(person_interactions())
        .where(*where)
        .group_by(ic.person_id)
        .subquery("activity")
    )


def parts(a: Subquery, now: datetime) -> dict[str, Any]:
    """SQL expressions of each score part over an :func:`activity` subquery (NULL rows score 0)."""
    recency = case(
        *[(a.c.last_at >= now - timedelta(days=d), literal(p)) for d, p in RECENCY_STEPS],
        else_=literal(0.0),
    )
    n_year = func.coalesce(a.c.n_year, 0)
    frequency = cast(case((n_year >= FREQUENCY_CAP, FREQUENCY_CAP), else_=n_year), Float) * (
        FREQUENCY_MAX / FREQUENCY_CAP
    )
    n_in, n_out = func.coalesce(a.c.n_in, 0), func.coalesce(a.c.n_out, 0)
    smaller = cast(case((n_in < n_out, n_in), else_=n_out), Float)
    larger = cast(case((n_in > n_out, n_in), else_=n_out), Float)
    reciprocity = case(
        (and_(n_in > 0, n_out > 0), RECIPROCITY_MAX * smaller / larger),
        else_=literal(0.0),
    )
    depth = case(*[(a.c.depth == k, literal(v)) for k, v in DEPTH_POINTS.items() if k], else_=literal(0.0))
    sentiment = func.coalesce(a.c.sentiment, 0.0) * SENTIMENT_MAX
    return {
        "recency": recency,
        "frequency": frequency,
        "reciprocity": reciprocity,
        "depth": depth,
        "sentiment": sentiment,
    }


def total(p: dict[str, Any]) -> Any:
    raw = p["recency"] + p["frequency"] + p["reciprocity"] + p["depth"] + p["sentiment"]
    return case((raw < 0, 0.0), (raw > 100, 100.0), else_=raw)


def scores_query(now: datetime, *, person_id: int | None = None) -> tuple[Select[Any], Subquery]:
    """``person_id, score, <each part>, last_at, first_at`` for every person with contact (or one)."""
    a = activity(now, person_id=person_id)
    p = parts(a, now)
    q = select(
        a.c.person_id,
        total(p).label("score"),
        *[p[k].label(k) for k in PARTS],
        a.c.last_at,
        a.c.first_at,
    )
    return q, a


def person_score(conn: Connection, person_id: int, now: datetime) -> dict[str, Any]:
    """The score of one person, with each part, the inputs, and how each part was worked out."""
    a = activity(now, person_id=person_id)
    p = parts(a, now)
    row = (
        conn.execute(
            select(a, total(p).label("score"), *[p[k].label(f"part_{k}") for k in PARTS]).where(
                a.c.person_id == person_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return {"score": 0.0, "parts": dict.fromkeys(PARTS, 0.0), "inputs": {}, "explained": {}}
    last = row["last_at"]
    days = (now - last).days if last is not None else None
    depth_name = {0: "none", 1: "public", 2: "private", 3: "offline"}[int(row["depth"] or 0)]
    explained = {
        "recency": "no dated contact"
        if days is None
        else f"newest contact {days} day{'' if days == 1 else 's'} ago",
        "frequency": f"{row['n_year']} contacts in the last 365 days (full at {FREQUENCY_CAP})",
        "reciprocity": f"{row['n_in']} from them, {row['n_out']} from us: min/max x {RECIPROCITY_MAX:g}",
        "depth": f"deepest contact: {depth_name}",
        "sentiment": "no sentiment labels yet"
        if row["sentiment"] is None
        else f"mean sentiment of their messages {float(row['sentiment']):+.2f} x {SENTIMENT_MAX:g}",
    }
    return {
        "score": round(float(row["score"]), 1),
        "parts": {k: round(float(row[f"part_{k}"]), 1) for k in PARTS},
        "inputs": {
            "last_contact": last.isoformat() if last else None,
            "contacts_last_365_days": int(row["n_year"]),
            "from_them": int(row["n_in"]),
            "from_us": int(row["n_out"]),
            "depth": depth_name,
            "sentiment_mean": None if row["sentiment"] is None else round(float(row["sentiment"]), 3),
        },
        "explained": explained,
    }
