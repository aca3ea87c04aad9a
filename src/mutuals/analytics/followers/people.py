"""Who a follower is and their history with us, for a batch of people at once (set-based, chunked)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.exc import SQLAlchemyError

from mutuals.analytics.followers.common import iso
from mutuals.errors import MutualsError
from mutuals.storage import tables as t

ID = t.identities.c
X = t.interactions.c
P = t.persons.c
CHUNK = 500  # ids per IN (...)
LAST_N = 3  # last interactions shown per person


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for k in range(0, len(items), CHUNK):
        yield items[k : k + CHUNK]


def people_context(conn: Connection, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """For each person: name, identities, interaction counts, last interactions, sentiment, whether we
    ever wrote to them (any outbound interaction with any of their identities), and their stage."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(person_ids):
        for r in conn.execute(select(P.id, P.display_name).where(P.id.in_(chunk))):
            out[int(r.id)] = {
                "id": int(r.id),
                "display_name": r.display_name,
                "identities": [],
                "history": {
                    "interactions": 0,
                    "inbound": 0,
                    "outbound": 0,
                    "last_interaction_at": None,
                    "last_interactions": [],
                    "sentiment": None,
                    "we_replied": False,
                },
                "stage": None,
            }
        _identities(conn, chunk, out)
        _counts(conn, chunk, out)
        _sentiment(conn, chunk, out)
        _last(conn, chunk, out)
        _stages(conn, chunk, out)
    return out


def _identities(conn: Connection, chunk: list[int], out: dict[int, dict[str, Any]]) -> None:
    q = select(ID.person_id, ID.network, ID.platform_id, ID.handle).where(ID.person_id.in_(chunk))
    for r in conn.execute(q.order_by(ID.person_id, ID.network, ID.platform_id)):
        out[int(r.person_id)]["identities"].append(
            {"network": r.network, "platform_id": r.platform_id, "handle": r.handle}
        )


def _counts(conn: Connection, chunk: list[int], out: dict[int, dict[str, Any]]) -> None:
    q = (
        select(
            ID.person_id,
            func.count(X.id).label("n"),
            func.sum(case((X.direction == "inbound", 1), else_=0)).label("inbound"),
            func.sum(case((X.direction == "outbound", 1), else_=0)).label("outbound"),
            func.max(X.occurred_at).label("last_at"),
        )
        .select_from(t.interactions.join(t.identities, ID.id == X.identity_id))
        .where(ID.person_id.in_(chunk))
        .group_by(ID.person_id)
    )
    for r in conn.execute(q):
        h = out[int(r.person_id)]["history"]
        h.update(
            interactions=int(r.n),
            inbound=int(r.inbound or 0),
            outbound=int(r.outbound or 0),
            we_replied=bool(r.outbound),
            last_interaction_at=iso(_aware(r.last_at)),
        )


def _aware(value: Any) -> datetime | None:
    # Aggregates bypass the column type: SQLite hands back text, PostgreSQL a naive datetime.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _sentiment(conn: Connection, chunk: list[int], out: dict[int, dict[str, Any]]) -> None:
    q = (
        select(ID.person_id, X.sentiment_label, func.count())
        .select_from(t.interactions.join(t.identities, ID.id == X.identity_id))
        .where(ID.person_id.in_(chunk), X.direction == "inbound", X.sentiment_label.is_not(None))
        .group_by(ID.person_id, X.sentiment_label)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for pid, label, n in conn.execute(q):
        found[int(pid)][str(label)] = int(n)
    for pid, counts in found.items():
        out[pid]["history"]["sentiment"] = counts


def _last(conn: Connection, chunk: list[int], out: dict[int, dict[str, Any]]) -> None:
    rank = (
        func.row_number()
        .over(partition_by=ID.person_id, order_by=(X.occurred_at.desc().nulls_last(), X.id.desc()))
        .label("rank")
    )
    inner = (
        select(ID.person_id, X.kind, X.direction, X.occurred_at, X.text, X.sentiment_label, rank)
        .select_from(t.interactions.join(t.identities, ID.id == X.identity_id))
        .where(ID.person_id.in_(chunk))
        .subquery()
    )
    q = select(inner).where(inner.c.rank <= LAST_N).order_by(inner.c.person_id, inner.c.rank)
    for r in conn.execute(q):
        out[int(r.person_id)]["history"]["last_interactions"].append(
            {
                "kind": r.kind,
                "direction": r.direction,
                "occurred_at": iso(_aware(r.occurred_at)),
                "text": (r.text or "")[:140] or None,
                "sentiment": r.sentiment_label,
            }
        )


def _stages(conn: Connection, chunk: list[int], out: dict[int, dict[str, Any]]) -> None:
    """The people module's funnel stage where it is installed; else a simple stage from what we see."""
    rows: list[Any] = []
    try:
        from mutuals.analytics.people.stages import stages_query
    except ImportError:  # the people module is optional here
        pass
    else:
        try:
            with conn.begin_nested():
                sq = stages_query(datetime.now(UTC)).subquery()
                rows = list(conn.execute(select(sq.c.person_id, sq.c.stage).where(sq.c.person_id.in_(chunk))))
        except (SQLAlchemyError, MutualsError):  # a broken rules file must not break the follower list
            rows = []
    for pid, stage in rows:
        out[int(pid)]["stage"] = str(stage)
        out[int(pid)]["stage_source"] = "people"
    for person in out.values():
        if person["stage"] is None:
            person["stage"] = simple_stage(person["history"])
            person["stage_source"] = "simple"


def simple_stage(history: dict[str, Any]) -> str:
    """``conversation`` (they wrote and we answered), ``engaged`` (they interacted), else ``follower``."""
    if history["inbound"] and history["outbound"]:
        return "conversation"
    if history["inbound"]:
        return "engaged"
    return "follower"
