"""Keep-in-touch: a cadence (every N days) per person or per tag, and who is due.

The clock is the newest interaction with the person in either direction, on any network and any account
— imported, synced or logged by hand alike (follow-list changes, bookmarks and blocks are not contact).
A person's cadence is the shortest of its own and those of its tags.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, or_, select, union_all
from sqlalchemy.sql import Subquery

from mutuals.analytics.people.common import has_identities, is_contact, person_interactions, utcnow
from mutuals.errors import InvalidInputError
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime


def set_cadence(conn: Connection, days: int, *, person_id: int | None = None, tag: str | None = None) -> None:
    """Every ``days`` days for one person or everybody with ``tag``; 0 removes the cadence."""
    if (person_id is None) == (tag is None):
        raise InvalidInputError("give either a person or --tag TAG for the cadence")
    if days < 0 or days > 3650:
        raise InvalidInputError(f"cadence {days} days: use 1-3650 days, or 0 to remove it")
    cc = pt.person_cadences.c
    where = cc.person_id == person_id if person_id is not None else cc.tag == tag
    conn.execute(delete(pt.person_cadences).where(where))
    if days:
        conn.execute(
            insert(pt.person_cadences).values(person_id=person_id, tag=tag, days=days, created_at=utcnow())
        )


def cadences(person_id: int | None = None) -> Subquery:
    """``person_id, days``: each person's (or only ``person_id``'s) effective (shortest) cadence."""
    cc, tc = pt.person_cadences.c, pt.person_tags.c
    own = select(cc.person_id.label("person_id"), cc.days.label("days")).where(cc.person_id.is_not(None))
    by_tag = select(tc.person_id.label("person_id"), cc.days.label("days")).select_from(
        pt.person_cadences.join(pt.person_tags, tc.tag == cc.tag)
    )
    if person_id is not None:
        own = own.where(cc.person_id == person_id)
        by_tag = by_tag.where(tc.person_id == person_id)
    both = union_all(own, by_tag).subquery("cadence_rows")
    return (
        select(both.c.person_id, func.min(both.c.days).label("days"))
        .group_by(both.c.person_id)
        .subquery("cadences")
    )


def last_contact(person_id: int | None = None) -> Subquery:
    i, ic = t.interactions.c, t.identities.c
    where = [is_contact()]
    if person_id is not None:
        where.append(ic.person_id == person_id)
    return (
        select(ic.person_id.label("person_id"), func.max(i.occurred_at).label("last_at"))
        .select_from(person_interactions())
        .where(*where)
        .group_by(ic.person_id)
        .subquery("last_contact")
    )


def due(
    conn: Connection,
    now: datetime | None = None,
    *,
    include_not_due: bool = False,
    person_id: int | None = None,
) -> list[dict[str, Any]]:
    """People with a cadence whose last contact is older than it (or who were never contacted)."""
    now = now or utcnow()
    cad, last = cadences(person_id), last_contact(person_id)
    # One bound "due before" time per distinct cadence keeps the comparison portable (no date math in SQL).
    distinct = sorted({int(d) for (d,) in conn.execute(select(cad.c.days).distinct())})
    if not distinct:
        return []
    threshold = case(
        *[(cad.c.days == d, literal(now - timedelta(days=d), UTCDateTime())) for d in distinct],
    )
    pc = t.persons.c
    q = (
        select(pc.id, pc.display_name, cad.c.days, last.c.last_at)
        .select_from(cad.join(t.persons, pc.id == cad.c.person_id).outerjoin(last, last.c.person_id == pc.id))
        .where(has_identities(pc.id))
    )
    if not include_not_due:
        q = q.where(or_(last.c.last_at.is_(None), last.c.last_at < threshold))
    if person_id is not None:
        q = q.where(pc.id == person_id)
    out = []
    for r in conn.execute(q).mappings():
        last_at = r["last_at"]
        due_at = last_at + timedelta(days=int(r["days"])) if last_at else None
        out.append(
            {
                "person": r["id"],
                "name": r["display_name"],
                "cadence_days": int(r["days"]),
                "last_contact": last_at.isoformat() if last_at else None,
                "due_at": due_at.isoformat() if due_at else None,
                "overdue_days": (now - due_at).days if due_at else None,
                "due": due_at is None or due_at <= now,
            }
        )
    out.sort(key=lambda d: (d["due_at"] is not None, d["due_at"] or "", d["person"]))
    return out


def person_cadence(conn: Connection, person_id: int, now: datetime | None = None) -> dict[str, Any] | None:
    rows = due(conn, now, include_not_due=True, person_id=person_id)
    return rows[0] if rows else None
