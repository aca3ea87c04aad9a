"""Merging and splitting people, and undoing either.

A merge moves every identity (and so every interaction, which hangs on identities) and every row a user
attached (tags, notes, fields, cadences, stage overrides and history) from one person to the other, and
records the ids of what it moved; the emptied person row stays, so undo can give everything back. Nothing
is deleted by a merge, so nothing can be lost.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from mutuals.analytics.people import summary
from mutuals.analytics.people.common import person_label, utcnow
from mutuals.analytics.people.resolution import Suggestion, rebuild_keys, suggestions
from mutuals.errors import InvalidInputError, NotFoundError
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t


def _identity_ids(conn: Connection, person_id: int) -> list[int]:
    ic = t.identities.c
    return [int(r[0]) for r in conn.execute(select(ic.id).where(ic.person_id == person_id).order_by(ic.id))]


def _require_person(conn: Connection, person_id: int) -> list[int]:
    ids = _identity_ids(conn, person_id)
    if not ids:
        raise NotFoundError(f"no person with id {person_id} (or it has no identities left)")
    return ids


def _move_owned(conn: Connection, src: int, dst: int) -> dict[str, list[int]]:
    moved: dict[str, list[int]] = {}
    for table in pt.PERSON_OWNED:
        ids = [int(r[0]) for r in conn.execute(select(table.c.id).where(table.c.person_id == src))]
        if ids:
            conn.execute(update(table).where(table.c.id.in_(ids)).values(person_id=dst))
        moved[table.name] = ids
    return moved


def _separated(conn: Connection, a: list[int], b: list[int]) -> bool:
    d = pt.identity_distinct.c
    q = (
        select(func.count())
        .select_from(pt.identity_distinct.join(pt.person_merges, pt.person_merges.c.id == d.merge_id))
        .where(
            pt.person_merges.c.undone_at.is_(None),
            ((d.identity_id.in_(a)) & (d.other_identity_id.in_(b)))
            | ((d.identity_id.in_(b)) & (d.other_identity_id.in_(a))),
        )
    )
    return bool(conn.execute(q).scalar_one())


def merge(
    conn: Connection, keep: int, other: int, *, op: str = "merge", confidence: float | None = None
) -> int:
    """Merge person ``other`` into ``keep``; returns the merge's log id."""
    if keep == other:
        raise InvalidInputError(f"cannot merge person {keep} with itself")
    _require_person(conn, keep)
    moved_identities = _require_person(conn, other)
    ic = t.identities.c
    conn.execute(update(t.identities).where(ic.id.in_(moved_identities)).values(person_id=keep))
    payload: dict[str, Any] = {"identities": moved_identities, "rows": _move_owned(conn, other, keep)}
    res = conn.execute(
        insert(pt.person_merges)
        .values(
            op=op,
            person_id=keep,
            other_person_id=other,
            confidence=confidence,
            payload=payload,
            created_at=utcnow(),
        )
        .returning(pt.person_merges.c.id)
    )
    summary.refresh_people(conn, [keep, other])
    return int(res.scalar_one())


def _identity_on(conn: Connection, person_id: int, ref: str) -> int:
    ic = t.identities.c
    ref = ref.strip()
    q = select(ic.id).where(ic.person_id == person_id)
    if ref.isdigit():
        q = q.where(ic.id == int(ref))
    else:
        net, sep, handle = ref.partition(":")
        if not sep:
            net, handle = "", ref
        handle = handle.lstrip("@").lower()
        q = q.where(func.lower(ic.handle) == handle)
        if net:
            q = q.where(ic.network == net.lower())
    found = [int(r[0]) for r in conn.execute(q)]
    if not found:
        raise NotFoundError(
            f"person {person_label(conn, person_id)} has no identity {ref!r} "
            "(give its id or network:handle, as `mutuals people show` lists them)"
        )
    if len(found) > 1:
        raise InvalidInputError(f"{ref!r} names {len(found)} identities of person {person_id}: use an id")
    return found[0]


def split(conn: Connection, person_id: int, identity_ref: str) -> tuple[int, int]:
    """Move one identity of ``person_id`` to a person of its own; returns (new person id, log id).

    Tags, notes and fields stay with ``person_id`` (undo the merge instead to give them back)."""
    ids = _require_person(conn, person_id)
    identity_id = _identity_on(conn, person_id, identity_ref)
    if len(ids) == 1:
        raise InvalidInputError(
            f"identity {identity_ref!r} is the last identity of person {person_id}: nothing to split"
        )
    pc = t.persons.c
    # Reuse the person the identity was first created with, if a merge emptied it.
    seed = conn.execute(select(pc.id).where(pc.seed_identity_id == identity_id)).scalar_one_or_none()
    created = seed is None or bool(_identity_ids(conn, int(seed)))
    if created:
        ident = conn.execute(
            select(t.identities.c.display_name, t.identities.c.handle).where(t.identities.c.id == identity_id)
        ).one()
        new_id = int(
            conn.execute(
                insert(t.persons)
                .values(display_name=ident.display_name or ident.handle, created_at=utcnow())
                .returning(pc.id)
            ).scalar_one()
        )
    else:
        assert seed is not None
        new_id = int(seed)
    conn.execute(update(t.identities).where(t.identities.c.id == identity_id).values(person_id=new_id))
    merge_id = int(
        conn.execute(
            insert(pt.person_merges)
            .values(
                op="split",
                person_id=person_id,
                other_person_id=new_id,
                payload={"identities": [identity_id], "created_person": created},
                created_at=utcnow(),
            )
            .returning(pt.person_merges.c.id)
        ).scalar_one()
    )
    conn.execute(
        insert(pt.identity_distinct),
        [
            {"identity_id": identity_id, "other_identity_id": other, "merge_id": merge_id}
            for other in ids
            if other != identity_id
        ],
    )
    summary.refresh_people(conn, [person_id, new_id])
    return new_id, merge_id


def undo(conn: Connection) -> dict[str, Any]:
    """Undo the newest merge or split not yet undone; returns what was undone."""
    mc = pt.person_merges.c
    row = conn.execute(
        select(pt.person_merges).where(mc.undone_at.is_(None)).order_by(mc.id.desc()).limit(1)
    ).first()
    if row is None:
        raise InvalidInputError("nothing to undo: no merge or split has been made (or all were undone)")
    payload = row.payload
    ic = t.identities.c
    if row.op == "split":
        # Back onto the person it was split from, with whatever was added to the split-off person since.
        conn.execute(
            update(t.identities)
            .where(ic.id.in_(payload["identities"]), ic.person_id == row.other_person_id)
            .values(person_id=row.person_id)
        )
        _move_owned(conn, row.other_person_id, row.person_id)
    else:
        conn.execute(
            update(t.identities)
            .where(ic.id.in_(payload["identities"]), ic.person_id == row.person_id)
            .values(person_id=row.other_person_id)
        )
        for table in pt.PERSON_OWNED:
            ids = payload["rows"].get(table.name, [])
            if ids:
                conn.execute(
                    update(table)
                    .where(and_(table.c.id.in_(ids), table.c.person_id == row.person_id))
                    .values(person_id=row.other_person_id)
                )
    conn.execute(update(pt.person_merges).where(mc.id == row.id).values(undone_at=utcnow()))
    summary.refresh_people(conn, [row.person_id, row.other_person_id])
    return {
        "undone": row.op,
        "log_id": row.id,
        "person": row.person_id,
        "other_person": row.other_person_id,
        "identities": payload["identities"],
    }


def auto_merge(conn: Connection, threshold: float) -> list[dict[str, Any]]:
    """Merge every suggested pair at or above ``threshold``, strongest first. Pairs whose people a user
    split apart before are left alone."""
    done: list[dict[str, Any]] = []
    rebuild_keys(conn)  # merging automatically: re-key everyone, names and profiles may have changed
    found: list[Suggestion] = suggestions(conn, min_confidence=threshold, rebuild=False)
    ic = t.identities.c
    for s in found:
        pa = conn.execute(select(ic.person_id).where(ic.id == s.identity_a.id)).scalar_one()
        pb = conn.execute(select(ic.person_id).where(ic.id == s.identity_b.id)).scalar_one()
        if pa == pb:
            continue
        keep, other = min(pa, pb), max(pa, pb)
        if _separated(conn, _identity_ids(conn, keep), _identity_ids(conn, other)):
            continue
        log_id = merge(conn, keep, other, op="auto-merge", confidence=s.confidence)
        done.append({"log_id": log_id, "kept": keep, "merged": other, "confidence": s.confidence})
    return done
