"""Themes over stored interactions: cluster the negative and complaint texts, keep user edits.

A theme keeps its id (and the user's name for it) across re-clustering: each new cluster takes over the
existing theme whose centre is most similar (at least MATCH_SIMILARITY), following ``merged_into`` for
themes the user merged. Members the user placed by a split (source 'user') are never moved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from mutuals.enrich.embeddings import embed
from mutuals.enrich.themes import assign_to_centroids, find_themes, key_phrases
from mutuals.errors import InvalidInputError, NotFoundError
from mutuals.storage import tables as t
from mutuals.storage.listening_tables import listening_theme_members as tm
from mutuals.storage.listening_tables import listening_themes as th

MATCH_SIMILARITY = 0.8
ix = t.interactions


def _concern_filter() -> Any:
    return and_(
        ix.c.direction == "inbound",
        ix.c.text.is_not(None),
        or_(ix.c.sentiment_label == "negative", ix.c.intents.like("%complaint%")),
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _active_centroids(conn: Connection) -> tuple[list[int], np.ndarray[Any, Any]]:
    rows = conn.execute(select(th.c.id, th.c.centroid).where(th.c.status == "active").order_by(th.c.id)).all()
    rows = [r for r in rows if r.centroid]
    if not rows:
        return [], np.zeros((0, 384), dtype=np.float32)
    return [r.id for r in rows], np.array([r.centroid for r in rows], dtype=np.float32)


def _survivor(conn: Connection, theme_id: int) -> int:
    seen = set()
    while theme_id not in seen:
        seen.add(theme_id)
        nxt = conn.execute(select(th.c.merged_into).where(th.c.id == theme_id)).scalar_one_or_none()
        if nxt is None:
            return theme_id
        theme_id = int(nxt)
    return theme_id


def recluster(conn: Connection) -> dict[str, int]:
    """Re-cluster every concern text not placed by the user; returns counts of themes kept/new/members."""
    pinned = select(tm.c.interaction_id).where(tm.c.source == "user")
    rows = conn.execute(
        select(ix.c.id, ix.c.text).where(_concern_filter(), ix.c.id.not_in(pinned)).order_by(ix.c.id)
    ).all()
    texts = [str(r.text) for r in rows]
    vectors = embed(texts)
    result = find_themes(texts, vectors)
    all_rows = conn.execute(
        select(th.c.id, th.c.centroid, th.c.status).where(th.c.centroid.is_not(None))
    ).all()
    ids = [r.id for r in all_rows]
    cents = np.array([r.centroid for r in all_rows] or np.zeros((0, 384)), dtype=np.float32)
    conn.execute(delete(tm).where(tm.c.source == "auto"))
    now = _now()
    kept = new = members = 0
    taken: set[int] = set()
    for theme in result.themes:
        target = None
        if len(ids):
            sims = cents @ theme.centroid
            for j in np.argsort(-sims):
                if sims[j] < MATCH_SIMILARITY:
                    break
                cand = _survivor(conn, ids[int(j)])
                if cand not in taken or cand != ids[int(j)]:  # a merged theme's survivor takes several
                    target = cand
                    break
        values = {
            "label": theme.label,
            "key_phrases": theme.key_phrases,
            "representative_id": rows[theme.representative].id,
            "centroid": [round(float(x), 5) for x in theme.centroid],
            "updated_at": now,
        }
        if target is None:
            target = int(
                conn.execute(
                    insert(th).values(status="active", created_at=now, **values).returning(th.c.id)
                ).scalar_one()
            )
            new += 1
        else:
            conn.execute(update(th).where(th.c.id == target).values(**values))
            kept += 1
        taken.add(target)
        sims_m = vectors[theme.members] @ theme.centroid
        conn.execute(
            insert(tm),
            [
                {
                    "interaction_id": rows[m].id,
                    "theme_id": target,
                    "similarity": float(s),
                    "source": "auto",
                    "assigned_at": now,
                }
                for m, s in zip(theme.members, sims_m, strict=True)
            ],
        )
        members += theme.size
    return {"themes_kept": kept, "themes_new": new, "members": members, "texts": len(texts)}


def assign_new(conn: Connection) -> int:
    """Put concern texts that are in no theme yet into the nearest existing theme, if close enough."""
    ids, cents = _active_centroids(conn)
    if not ids:
        return 0
    placed = select(tm.c.interaction_id)
    rows = conn.execute(
        select(ix.c.id, ix.c.text).where(_concern_filter(), ix.c.id.not_in(placed)).order_by(ix.c.id)
    ).all()
    if not rows:
        return 0
    vectors = embed([str(r.text) for r in rows])
    best = assign_to_centroids(vectors, cents)
    now = _now()
    params = [
        {
            "interaction_id": r.id,
            "theme_id": ids[int(b)],
            "similarity": float(vectors[i] @ cents[int(b)]),
            "source": "auto",
            "assigned_at": now,
        }
        for i, (r, b) in enumerate(zip(rows, best, strict=True))
        if b >= 0
    ]
    if params:
        conn.execute(insert(tm), params)
    return len(params)


def update_themes(conn: Connection, *, rebuild: bool = False) -> dict[str, int]:
    """Cluster from scratch when there are no themes (or ``rebuild``), else assign new texts only."""
    has_themes = conn.execute(select(func.count()).select_from(th)).scalar_one() > 0
    if rebuild or not has_themes:
        return recluster(conn)
    return {"assigned": assign_new(conn)}


def _theme(conn: Connection, theme_id: int) -> Any:
    row = conn.execute(select(th).where(th.c.id == theme_id)).first()
    if row is None:
        raise NotFoundError(f"there is no theme {theme_id} (see mutuals listen themes)")
    return row


def rename_theme(conn: Connection, theme_id: int, label: str) -> None:
    _theme(conn, theme_id)
    if not label.strip():
        raise InvalidInputError("a theme's new name cannot be empty")
    conn.execute(update(th).where(th.c.id == theme_id).values(user_label=label.strip(), updated_at=_now()))


def merge_themes(conn: Connection, keep: int, absorb: int) -> None:
    """Move every member of ``absorb`` into ``keep``; clusters that later match ``absorb`` go to ``keep``."""
    if keep == absorb:
        raise InvalidInputError("a theme cannot be merged into itself")
    _theme(conn, keep)
    _theme(conn, absorb)
    conn.execute(update(tm).where(tm.c.theme_id == absorb).values(theme_id=keep, source="user"))
    conn.execute(
        update(th).where(th.c.id == absorb).values(status="merged", merged_into=keep, updated_at=_now())
    )


def split_theme(conn: Connection, theme_id: int, interaction_ids: list[int], label: str | None = None) -> int:
    """Move the given members of a theme into a new theme of their own; returns the new theme's id."""
    _theme(conn, theme_id)
    found = {
        int(r.interaction_id)
        for r in conn.execute(
            select(tm.c.interaction_id).where(
                tm.c.theme_id == theme_id, tm.c.interaction_id.in_(interaction_ids)
            )
        )
    }
    missing = sorted(set(interaction_ids) - found)
    if missing or not interaction_ids:
        raise InvalidInputError(f"messages {missing or interaction_ids} are not in theme {theme_id}")
    texts = [
        str(r.text)
        for r in conn.execute(select(ix.c.text).where(ix.c.id.in_(interaction_ids)).order_by(ix.c.id))
    ]
    vectors = embed(texts)
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    phrases = key_phrases([texts])[0]
    now = _now()
    new_id = int(
        conn.execute(
            insert(th)
            .values(
                label=" / ".join(phrases[:3]) or texts[0][:60],
                user_label=label,
                key_phrases=phrases,
                representative_id=min(interaction_ids),
                centroid=[round(float(x), 5) for x in centroid],
                status="active",
                created_at=now,
                updated_at=now,
            )
            .returning(th.c.id)
        ).scalar_one()
    )
    conn.execute(
        update(tm).where(tm.c.interaction_id.in_(interaction_ids)).values(theme_id=new_id, source="user")
    )
    return new_id


def list_themes(conn: Connection, since: datetime | None = None) -> list[dict[str, Any]]:
    """Active themes with messages, distinct people, networks, weekly trend and message ids, largest first."""
    stmt = (
        select(
            tm.c.theme_id,
            ix.c.id,
            ix.c.network,
            ix.c.occurred_at,
            ix.c.thread_ref,
            ix.c.identity_id,
            t.identities.c.person_id,
        )
        .join(ix, ix.c.id == tm.c.interaction_id)
        .outerjoin(t.identities, t.identities.c.id == ix.c.identity_id)
    )
    if since is not None:
        stmt = stmt.where(ix.c.occurred_at >= since)
    by_theme: dict[int, list[Any]] = defaultdict(list)
    for r in conn.execute(stmt):
        by_theme[int(r.theme_id)].append(r)
    themes = conn.execute(select(th).where(th.c.status == "active")).all()
    rep_ids = [r.representative_id for r in themes if r.representative_id]
    reps = {r.id: r.text for r in conn.execute(select(ix.c.id, ix.c.text).where(ix.c.id.in_(rep_ids)))}
    out = []
    for theme in themes:
        members = by_theme.get(theme.id, [])
        if not members:
            continue
        people = {
            ("p", m.person_id) if m.person_id else ("i", m.identity_id) for m in members if m.identity_id
        }
        weeks: dict[str, int] = defaultdict(int)
        for m in members:
            if m.occurred_at is not None:
                year, week, _ = m.occurred_at.isocalendar()
                weeks[f"{year}-W{week:02d}"] += 1
        out.append(
            {
                "id": theme.id,
                "label": theme.user_label or theme.label,
                "key_phrases": theme.key_phrases or [],
                "representative": reps.get(theme.representative_id),
                "messages": len(members),
                "people": len(people),
                "networks": sorted({m.network for m in members}),
                "trend": dict(sorted(weeks.items())),
                "interaction_ids": sorted(m.id for m in members),
                "conversations": sorted({m.thread_ref for m in members if m.thread_ref}),
            }
        )
    out.sort(key=lambda d: (-d["people"], -d["messages"], d["id"]))
    return out
