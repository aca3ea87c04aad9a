"""The stored people list: score, stage, owed and newest contact of every person in ``person_summary``.

Computing those for everybody is one aggregate pass over all interactions — seconds at a million — so
``people list`` reads them from ``person_summary`` (an indexed ``ORDER BY ... LIMIT``) and :func:`ensure`
keeps the table current before each read, cheaply:

- interactions newer than ``interactions_max`` and people newer than ``persons_max``: only the people
  they belong to are recomputed (set-based, an indexed lookup per person);
- merges, splits, undo, tags, stage overrides: the functions doing them recompute their people
  (:func:`refresh_people`);
- the follow edges or the stage rules changed (``fingerprint``), the scores were computed for another
  time than ``now`` (older than ``MAX_AGE`` or in its future), or interactions were deleted: everybody
  is recomputed.

Scores are those "as of" ``computed_for`` (at most ``MAX_AGE`` old); sentiment labels added to old
interactions show up at the next full recomputation.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select, update

from mutuals.analytics.people import score, stages
from mutuals.analytics.people.common import has_identities, utcnow
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t

MAX_AGE = timedelta(hours=1)
_STATE_ID = 1


def _summary_select(now: datetime, person_ids: Any = None) -> Any:
    """``person_id, score, stage, owed, last_at`` of every person with identities (or of ``person_ids``)."""
    a = score.activity(now, person_ids=person_ids)
    sc = func.coalesce(score.total(score.parts(a, now)), 0.0)
    _, st = stages.stage_exprs(a)
    given, back = func.coalesce(a.c.given, 0), func.coalesce(a.c.given_back, 0)
    pc = t.persons.c
    q = (
        select(
            pc.id,
            sc,
            st,
            case((given > back, given - back), else_=0),
            a.c.last_at,
        )
        .select_from(t.persons.outerjoin(a, a.c.person_id == pc.id))
        .where(has_identities(pc.id))
    )
    return q.where(pc.id.in_(person_ids)) if person_ids is not None else q


_COLS = ["person_id", "score", "stage", "owed", "last_at"]


def _fingerprint(conn: Connection) -> str:
    e = t.follow_edges.c
    edges = conn.execute(select(func.max(e.id), func.count()).select_from(t.follow_edges)).one()
    closed = conn.execute(select(func.count()).where(e.valid_to.is_not(None))).scalar_one()
    rules = stages.rules_path().read_bytes()
    return f"edges:{edges[0]}:{edges[1]}:{closed};rules:{hashlib.sha256(rules).hexdigest()[:16]}"


def _maxes(conn: Connection) -> tuple[int, int]:
    imax = conn.execute(select(func.max(t.interactions.c.id))).scalar_one()
    pmax = conn.execute(select(func.max(t.persons.c.id))).scalar_one()
    return int(imax or 0), int(pmax or 0)


def _replace(conn: Connection, now: datetime, person_ids: Any) -> None:
    sc = pt.person_summary.c
    conn.execute(delete(pt.person_summary).where(sc.person_id.in_(person_ids)))
    conn.execute(insert(pt.person_summary).from_select(_COLS, _summary_select(now, person_ids)))


def refresh_all(conn: Connection, now: datetime | None = None) -> datetime:
    """Recompute everybody (set-based: one aggregate pass); returns the time the scores are for."""
    now = now or utcnow()
    fp = _fingerprint(conn)
    imax, pmax = _maxes(conn)
    conn.execute(delete(pt.person_summary))
    conn.execute(insert(pt.person_summary).from_select(_COLS, _summary_select(now)))
    conn.execute(delete(pt.person_summary_state))
    conn.execute(
        insert(pt.person_summary_state).values(
            id=_STATE_ID,
            computed_for=now,
            interactions_max=imax,
            persons_max=pmax,
            fingerprint=fp,
            refreshed_at=utcnow(),
        )
    )
    return now


def ensure(conn: Connection, now: datetime | None = None) -> datetime:
    """Bring ``person_summary`` up to date for ``now`` (see the module); returns the time it is for.
    Writes only when something changed."""
    now = now or utcnow()
    s = pt.person_summary_state.c
    state = conn.execute(select(pt.person_summary_state).where(s.id == _STATE_ID)).mappings().first()
    if state is None:
        return refresh_all(conn, now)
    at: datetime = state["computed_for"]
    imax, pmax = _maxes(conn)
    if (
        not timedelta(0) <= now - at < MAX_AGE
        or imax < state["interactions_max"]
        or _fingerprint(conn) != state["fingerprint"]
    ):
        return refresh_all(conn, now)
    if imax == state["interactions_max"] and pmax == state["persons_max"]:
        return at
    i, ic, pc = t.interactions.c, t.identities.c, t.persons.c
    touched = (
        select(ic.person_id)
        .select_from(t.interactions.join(t.identities, ic.id == i.identity_id))
        .where(i.id > state["interactions_max"], ic.person_id.is_not(None))
        .union(select(pc.id).where(pc.id > state["persons_max"]))
    )
    _replace(conn, at, touched)
    conn.execute(
        update(pt.person_summary_state)
        .where(s.id == _STATE_ID)
        .values(interactions_max=imax, persons_max=pmax, refreshed_at=utcnow())
    )
    return at


def refresh_people(conn: Connection, person_ids: list[int]) -> None:
    """Recompute these people now (after a merge, split, tag or stage override changed them), at the
    time the stored list is for; nothing to do before the first :func:`ensure`."""
    s = pt.person_summary_state.c
    at = conn.execute(select(s.computed_for).where(s.id == _STATE_ID)).scalar_one_or_none()
    if at is None or not person_ids:
        return
    ids = select(t.persons.c.id).where(t.persons.c.id.in_(sorted(set(person_ids))))
    _replace(conn, at, ids)
