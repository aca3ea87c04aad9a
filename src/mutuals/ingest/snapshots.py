"""Applying a follower / following snapshot to the temporal follow_edges table, set-based.

A snapshot S at time t lies between its neighbours P (the latest earlier snapshot) and N (the earliest
later one), either of which may be missing. Each edge is an uninterrupted run of presence across the
snapshots; inserting S only ever touches edges that are present at P or at N, so snapshots can arrive in any
order and the result is the same as if they had come sorted. See docs/model.md for the cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)

from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

E = t.follow_edges.c
S = t.follow_staging.c
SN = t.follow_snapshots.c


@dataclass(frozen=True)
class SnapshotResult:
    account_id: int
    direction: str
    taken_at: datetime
    members: int
    gained: int
    lost: int
    already_known: bool = False


def _ts(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UTCDateTime())


def staged_count(conn: Connection, run_id: int, account_id: int, direction: str) -> int:
    return int(
        conn.execute(
            select(func.count()).where(
                S.import_run_id == run_id, S.account_id == account_id, S.direction == direction
            )
        ).scalar_one()
    )


def previous_size(conn: Connection, account_id: int, direction: str, before: datetime) -> int | None:
    row = conn.execute(
        select(SN.members)
        .where(SN.account_id == account_id, SN.direction == direction, SN.taken_at < _ts(before))
        .order_by(SN.taken_at.desc())
        .limit(1)
    ).first()
    return None if row is None else int(row[0])


def apply_snapshot(
    conn: Connection, run_id: int, account_id: int, direction: str, taken_at: datetime
) -> SnapshotResult:
    """Fold the staged members of (run, account, direction) into follow_edges as of ``taken_at``."""
    members = staged_count(conn, run_id, account_id, direction)
    base = and_(E.account_id == account_id, E.direction == direction)
    known = conn.execute(
        select(SN.id).where(
            SN.account_id == account_id, SN.direction == direction, SN.taken_at == _ts(taken_at)
        )
    ).first()
    if known is not None:
        _clear(conn, run_id, account_id, direction)
        return SnapshotResult(account_id, direction, taken_at, members, 0, 0, already_known=True)

    prev_t = conn.execute(
        select(func.max(SN.taken_at)).where(
            SN.account_id == account_id, SN.direction == direction, SN.taken_at < _ts(taken_at)
        )
    ).scalar_one()
    next_t = conn.execute(
        select(func.min(SN.taken_at)).where(
            SN.account_id == account_id, SN.direction == direction, SN.taken_at > _ts(taken_at)
        )
    ).scalar_one()
    t_now = _ts(taken_at)
    in_s = exists().where(
        S.import_run_id == run_id,
        S.account_id == account_id,
        S.direction == direction,
        S.identity_id == E.identity_id,
    )

    if next_t is not None:
        n = _ts(next_t)
        # Members whose edge ended at N: they were still there at t.
        conn.execute(update(t.follow_edges).where(base, E.valid_to == n, in_s).values(valid_to_after=t_now))
        # Members whose edge began at N: it began at t (or before).
        conn.execute(update(t.follow_edges).where(base, E.valid_from == n, in_s).values(valid_from=t_now))
        # Non-members whose edge ended at N: they were already gone at t.
        conn.execute(update(t.follow_edges).where(base, E.valid_to == n, ~in_s).values(valid_to=t_now))
        # Non-members whose edge began at N: they came after t.
        conn.execute(
            update(t.follow_edges).where(base, E.valid_from == n, ~in_s).values(valid_from_after=t_now)
        )
        if prev_t is not None:
            p = _ts(prev_t)
            spans = and_(base, E.valid_from <= p, or_(E.valid_to.is_(None), E.valid_to > n), ~in_s)
            # Present at P and N but not at t: split the run into two.
            conn.execute(
                insert(t.follow_edges).from_select(
                    [
                        "account_id",
                        "identity_id",
                        "direction",
                        "valid_from",
                        "valid_from_after",
                        "valid_to",
                        "valid_to_after",
                        "followed_at",
                    ],
                    select(
                        E.account_id,
                        E.identity_id,
                        E.direction,
                        n,
                        t_now,
                        E.valid_to,
                        E.valid_to_after,
                        E.followed_at,
                    ).where(spans),
                )
            )
            conn.execute(
                update(t.follow_edges)
                .where(base, E.valid_from <= p, or_(E.valid_to.is_(None), E.valid_to > n), ~in_s)
                .values(valid_to=t_now, valid_to_after=p)
            )
    elif prev_t is not None:
        # The usual case, a newer snapshot: close the runs of everyone who is gone.
        conn.execute(
            update(t.follow_edges)
            .where(base, E.valid_to.is_(None), ~in_s)
            .values(valid_to=t_now, valid_to_after=_ts(prev_t))
        )

    # Members with no run covering t get a new one.
    covering = exists().where(
        base,
        E.identity_id == S.identity_id,
        E.valid_from <= t_now,
        or_(E.valid_to.is_(None), E.valid_to > t_now),
    )
    conn.execute(
        insert(t.follow_edges).from_select(
            [
                "account_id",
                "identity_id",
                "direction",
                "valid_from",
                "valid_from_after",
                "valid_to",
                "valid_to_after",
                "followed_at",
            ],
            select(
                S.account_id,
                S.identity_id,
                S.direction,
                t_now,
                _ts(prev_t) if prev_t is not None else null(),
                _ts(next_t) if next_t is not None else null(),
                t_now if next_t is not None else null(),
                S.followed_at,
            ).where(
                S.import_run_id == run_id, S.account_id == account_id, S.direction == direction, ~covering
            ),
        )
    )
    conn.execute(
        insert(t.follow_snapshots).values(
            account_id=account_id,
            direction=direction,
            taken_at=taken_at,
            members=members,
            import_run_id=run_id,
        )
    )
    gained = _count(conn, and_(base, E.valid_from == t_now, E.valid_from_after.is_not(None)))
    lost = _count(conn, and_(base, E.valid_to == t_now))
    _clear(conn, run_id, account_id, direction)
    return SnapshotResult(account_id, direction, taken_at, members, gained, lost)


def _count(conn: Connection, where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(t.follow_edges).where(where)).scalar_one())


def _clear(conn: Connection, run_id: int, account_id: int, direction: str) -> None:
    conn.execute(
        delete(t.follow_staging).where(
            S.import_run_id == run_id, S.account_id == account_id, S.direction == direction
        )
    )
