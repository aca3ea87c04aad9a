"""What the follower analytics share: naming an account, a direction, and times in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from mutuals.domain import FollowDirection, Network
from mutuals.errors import AmbiguousError, InvalidInputError, NotFoundError
from mutuals.storage import tables as t

A = t.accounts.c
E = t.follow_edges.c
SN = t.follow_snapshots.c
DIRECTIONS = tuple(d.value for d in FollowDirection)


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise InvalidInputError(f"--direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    return direction


def account_ids(conn: Connection, account: str | None) -> list[int]:
    """The ids of the accounts ``account`` names (``handle`` or ``network:handle``); all when ``None``."""
    if account is None:
        return [int(r[0]) for r in conn.execute(select(A.id).order_by(A.id))]
    ref = account.strip()
    network, handle = None, ref
    head, sep, tail = ref.partition(":")
    if sep and head.lower() in {n.value for n in Network}:
        network, handle = head.lower(), tail
    handle = handle.strip().lstrip("@").lower()
    q = select(A.id, A.network, A.handle).where(func.lower(A.handle) == handle)
    if network is not None:
        q = q.where(A.network == network)
    rows = conn.execute(q.order_by(A.id)).all()
    if not rows:
        known = ", ".join(f"{r.network}:{r.handle}" for r in conn.execute(select(A.network, A.handle)))
        raise NotFoundError(f"--account {account!r} is none of our accounts (known: {known or 'none'})")
    if len(rows) > 1:
        listed = ", ".join(f"{r.network}:{r.handle}" for r in rows)
        raise AmbiguousError(f"--account {account!r} matches {listed}: write it as network:handle")
    return [int(rows[0].id)]


def accounts_by_id(conn: Connection) -> dict[int, dict[str, str]]:
    return {
        int(r.id): {"network": r.network, "handle": r.handle}
        for r in conn.execute(select(A.id, A.network, A.handle))
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class julian_day(FunctionElement[float]):
    """Days since the Julian epoch as a float, for a naive-UTC datetime column, on either database."""

    type = Float()
    inherit_cache = True


@compiles(julian_day, "sqlite")
def _jd_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(julian_day, "postgresql")
def _jd_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 86400.0 + 2440587.5)"


def days_between(later: Any, earlier: Any) -> ColumnElement[float]:
    return cast(julian_day(later) - julian_day(earlier), Float)
