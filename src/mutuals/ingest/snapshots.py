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
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    true,
    update,
)

from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

E = t.follow_edges.c
S = t.follow_staging.c
SN = t.follow_snapshots.c
_ANALYZE_FROM = 10_000  # staged members from which PostgreSQL's statistics are refreshed first


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
    conn: Connection,
    run_id: int,
    account_id: int,
    direction: str,
    taken_at: datetime,
    *,
    members_table: Table | None = None,
) -> SnapshotResult:
    """Fold the staged members of (run, account, direction) into follow_edges as of ``taken_at``.

    ``members_table``: instead of follow_staging, a (temporary) table whose rows, ``identity_id`` (unique)
    and ``followed_at``, are all the members (the bulk path)."""
    staging = t.follow_staging if members_table is None else members_table
    M = staging.c
    mine = (
        and_(M.import_run_id == run_id, M.account_id == account_id, M.direction == direction)
        if members_table is None
        else true()
    )
    members = int(conn.execute(select(func.count()).select_from(staging).where(mine)).scalar_one())
    if conn.dialect.name == "postgresql" and members >= _ANALYZE_FROM:
        # Fresh statistics, or the planner takes the just-filled tables for empty and picks nested loops
        # that scan every edge of the account per member (quadratic).
        conn.execute(text(f"ANALYZE {staging.name}"))
        conn.execute(text("ANALYZE follow_edges"))
    base = and_(E.account_id == account_id, E.direction == direction)
    known = conn.execute(
        select(SN.id).where(
            SN.account_id == account_id, SN.direction == direction, SN.taken_at == _ts(taken_at)
        )
    ).first()
    if known is not None:
        if members_table is None:
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
    closed = 0
    in_s = exists().where(mine, M.identity_id == E.identity_id)

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
        closed = conn.execute(
            update(t.follow_edges)
            .where(base, E.valid_to.is_(None), ~in_s)
            .values(valid_to=t_now, valid_to_after=_ts(prev_t))
        ).rowcount

    # Members with no run covering t get a new one.
    covering = exists().where(
        base,
        E.identity_id == M.identity_id,
        E.valid_from <= t_now,
        or_(E.valid_to.is_(None), E.valid_to > t_now),
    )
    opened = conn.execute(
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
                literal(account_id),
                M.identity_id,
                literal(direction),
                t_now,
                _ts(prev_t) if prev_t is not None else null(),
                _ts(next_t) if next_t is not None else null(),
                t_now if next_t is not None else null(),
                M.followed_at,
            ).where(
                mine,
                # The first list of an account has no edges to look at; skipping the check also keeps
                # PostgreSQL from probing the rows this very statement inserts.
                ~covering if _has_edges(conn, base) else true(),
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
    if next_t is None and opened.rowcount >= 0 and closed >= 0:
        # The newest snapshot: the statements' own row counts are the changes (no scan of the edges).
        gained = opened.rowcount if prev_t is not None else 0
    else:
        gained = _count(conn, and_(base, E.valid_from == t_now, E.valid_from_after.is_not(None)))
        closed = _count(conn, and_(base, E.valid_to == t_now))
    if members_table is None:
        _clear(conn, run_id, account_id, direction)
    return SnapshotResult(account_id, direction, taken_at, members, gained, closed)


def _has_edges(conn: Connection, where: ColumnElement[bool]) -> bool:
    return conn.execute(select(E.id).where(where).limit(1)).first() is not None


def _count(conn: Connection, where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(t.follow_edges).where(where)).scalar_one())


def _clear(conn: Connection, run_id: int, account_id: int, direction: str) -> None:
    conn.execute(
        delete(t.follow_staging).where(
            S.import_run_id == run_id, S.account_id == account_id, S.direction == direction
        )
    )


def differs_from_recorded(
    conn: Connection, run_id: int, account_id: int, direction: str, taken_at: datetime
) -> bool:
    """Whether a snapshot already recorded at exactly ``taken_at`` holds other members than the staged
    one (two different lists with one date, e.g. two same-day exports dated by their day): applying it
    would silently keep the first, so the caller refuses it instead."""
    recorded = conn.execute(
        select(SN.id).where(
            SN.account_id == account_id, SN.direction == direction, SN.taken_at == _ts(taken_at)
        )
    ).first()
    if recorded is None:
        return False
    t_now = _ts(taken_at)
    staged = and_(S.import_run_id == run_id, S.account_id == account_id, S.direction == direction)
    present = and_(
        E.account_id == account_id,
        E.direction == direction,
        E.valid_from <= t_now,
        or_(E.valid_to.is_(None), E.valid_to > t_now),
    )
    new_member = select(S.identity_id).where(staged, ~exists().where(present, E.identity_id == S.identity_id))
    gone_member = select(E.identity_id).where(
        present, ~exists().where(staged, S.identity_id == E.identity_id)
    )
    return (
        conn.execute(new_member.limit(1)).first() is not None
        or conn.execute(gone_member.limit(1)).first() is not None
    )
