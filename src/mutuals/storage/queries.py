"""Read queries over the whole workspace, each a few set-based statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from mutuals.domain import FollowDirection
from mutuals.storage import tables as t


def _count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def workspace_status(conn: Connection) -> dict[str, Any]:
    """What ``mutuals status`` shows: how much of everything the workspace holds."""
    i = t.interactions.c
    by_kind = {
        kind: int(n)
        for kind, n in conn.execute(select(i.kind, func.count()).group_by(i.kind).order_by(i.kind))
    }
    e = t.follow_edges.c
    open_by_dir: dict[str, int] = {
        str(d): int(n)
        for d, n in conn.execute(
            select(e.direction, func.count()).where(e.valid_to.is_(None)).group_by(e.direction)
        )
    }
    ended = int(
        conn.execute(
            select(func.count()).select_from(t.follow_edges).where(e.valid_to.is_not(None))
        ).scalar_one()
    )
    return {
        "accounts": _count(conn, t.accounts),
        # A person emptied by a merge keeps its row (for undo) but is nobody any more.
        "people": int(conn.execute(select(func.count(func.distinct(t.identities.c.person_id)))).scalar_one()),
        "identities": _count(conn, t.identities),
        "posts": _count(conn, t.posts),
        "interactions": {"total": sum(by_kind.values()), "by_kind": by_kind},
        "follow_edges": {
            "followers": int(open_by_dir.get(FollowDirection.FOLLOWER.value, 0)),
            "following": int(open_by_dir.get(FollowDirection.FOLLOWING.value, 0)),
            "friends": int(open_by_dir.get(FollowDirection.FRIEND.value, 0)),
            "ended": ended,
        },
        "imports": int(
            conn.execute(
                select(func.count()).select_from(t.import_runs).where(t.import_runs.c.status != "running")
            ).scalar_one()
        ),
    }


def list_imports(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    r = t.import_runs.c
    rows = conn.execute(
        select(r.id, r.source, r.path, r.started_at, r.finished_at, r.status, r.counts, r.problems)
        .where(r.status != "running")
        .order_by(r.id.desc())
        .limit(limit)
    ).mappings()
    return [
        {
            "id": row["id"],
            "source": row["source"],
            "path": row["path"],
            "started_at": row["started_at"].isoformat(),
            "finished_at": row["finished_at"].isoformat() if row["finished_at"] else None,
            "status": row["status"],
            "counts": row["counts"] or {},
            "problems": len(row["problems"] or []),
        }
        for row in rows
    ]
