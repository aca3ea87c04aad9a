"""A person's profile and the people list; tags, notes, custom fields and logged offline contact."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, func, insert, literal, select, union_all

from mutuals.analytics.people import keep_in_touch, reciprocity, score, stages, summary
from mutuals.analytics.people.common import iso, utcnow
from mutuals.errors import InvalidInputError, NotFoundError
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

LOG_KINDS = {"met": ("meeting", "offline"), "call": ("call", "offline"), "email": ("email", "email")}
SORTS = ("score", "last_seen", "owed")


# -- what users add ---------------------------------------------------------------------------------
def add_tag(conn: Connection, person_id: int, tag: str) -> bool:
    """Tag a person; False if it already had the tag."""
    tag = tag.strip().lower()
    if not tag or len(tag) > 64:
        raise InvalidInputError("a tag needs 1-64 characters")
    tc = pt.person_tags.c
    if conn.execute(select(tc.id).where(tc.person_id == person_id, tc.tag == tag)).first():
        return False
    conn.execute(insert(pt.person_tags).values(person_id=person_id, tag=tag, created_at=utcnow()))
    summary.refresh_people(conn, [person_id])  # tags can set the stage
    return True


def add_note(conn: Connection, person_id: int, text: str, when: datetime | None = None) -> int:
    if not text.strip():
        raise InvalidInputError("the note is empty")
    res = conn.execute(
        insert(pt.person_notes)
        .values(person_id=person_id, text=text.strip(), created_at=when or utcnow())
        .returning(pt.person_notes.c.id)
    )
    return int(res.scalar_one())


def set_field(conn: Connection, person_id: int, name: str, value: str) -> None:
    name = name.strip()
    if not name or len(name) > 64:
        raise InvalidInputError("a field name needs 1-64 characters")
    conn.execute(
        insert(pt.person_fields).values(person_id=person_id, name=name, value=value, created_at=utcnow())
    )


def _account_for_log(conn: Connection, person_id: int, account: str | None) -> tuple[int, int]:
    """(account id, identity id) a logged contact is stored on: the account named, else the account of
    the newest interaction with the person, else our first account; the person's newest-active identity."""
    from mutuals.analytics.people.quality import find_account

    i, ic = t.interactions.c, t.identities.c
    newest = conn.execute(
        select(i.account_id, i.identity_id)
        .join(t.identities, ic.id == i.identity_id)
        .where(ic.person_id == person_id)
        .order_by(i.occurred_at.desc().nulls_last(), i.id.desc())
        .limit(1)
    ).first()
    identity_id = (
        int(newest[1])
        if newest
        else int(conn.execute(select(func.min(ic.id)).where(ic.person_id == person_id)).scalar_one())
    )
    if account:
        return find_account(conn, account), identity_id
    if newest:
        return int(newest[0]), identity_id
    first = conn.execute(select(func.min(t.accounts.c.id))).scalar_one()
    if first is None:
        raise InvalidInputError("there is no account of ours yet to log contact on: import one first")
    return int(first), identity_id


def log_contact(
    conn: Connection,
    person_id: int,
    how: str,
    note: str | None,
    when: datetime | None = None,
    account: str | None = None,
) -> int:
    """Log a meeting, call or e-mail as an outbound, private Interaction (network ``offline`` or
    ``email``) on one of our accounts; it counts as contact like any imported interaction."""
    if how not in LOG_KINDS:
        raise InvalidInputError(f"unknown contact kind {how!r}: use --met, --call or --email")
    kind, network = LOG_KINDS[how]
    account_id, identity_id = _account_for_log(conn, person_id, account)
    res = conn.execute(
        insert(t.interactions)
        .values(
            account_id=account_id,
            identity_id=identity_id,
            network=network,
            kind=kind,
            direction="outbound",
            occurred_at=when or utcnow(),
            key=f"log:{uuid.uuid4().hex}",
            text=note,
            is_public=False,
            extra={"logged": True},
        )
        .returning(t.interactions.c.id)
    )
    return int(res.scalar_one())


# -- the profile ------------------------------------------------------------------------------------
def identities_of(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    ic = t.identities.c
    rows = conn.execute(select(t.identities).where(ic.person_id == person_id).order_by(ic.id)).mappings()
    return [
        {
            "id": r["id"],
            "network": r["network"],
            "handle": r["handle"],
            "platform_id": r["platform_id"],
            "display_name": r["display_name"],
            "profile": r["profile"] or {},
            "first_seen_at": iso(r["first_seen_at"]),
            "last_seen_at": iso(r["last_seen_at"]),
        }
        for r in rows
    ]


def timeline(conn: Connection, person_id: int, limit: int | None = None) -> list[dict[str, Any]]:
    """Every interaction (public, private, offline) and note, newest first; undated ones last."""
    i, ic, nc, ac = t.interactions.c, t.identities.c, pt.person_notes.c, t.accounts.c
    inter = (
        select(
            literal("interaction").label("type"),
            i.id.label("id"),
            i.occurred_at.label("at"),
            i.kind.label("kind"),
            i.direction.label("direction"),
            i.network.label("network"),
            i.is_public.label("is_public"),
            i.text.label("text"),
            ac.handle.label("account"),
            ic.handle.label("identity"),
        )
        .select_from(
            t.interactions.join(t.identities, ic.id == i.identity_id).join(t.accounts, ac.id == i.account_id)
        )
        .where(ic.person_id == person_id)
    )
    notes = select(
        literal("note").label("type"),
        nc.id,
        nc.created_at,
        literal("note"),
        literal(None),
        literal(None),
        literal(False),
        nc.text,
        literal(None),
        literal(None),
    ).where(nc.person_id == person_id)
    u = union_all(inter, notes).subquery("timeline")
    q = select(u).order_by(u.c.at.is_(None), u.c.at.desc(), u.c.type, u.c.id.desc())
    if limit:
        q = q.limit(limit)
    at_type = UTCDateTime()
    out = []
    for r in conn.execute(q).mappings():
        at = r["at"]
        if at is not None and (isinstance(at, str) or at.tzinfo is None):  # a UNION may lose the type
            at = at_type.process_result_value(at, conn.dialect)
        depth = (
            "note"
            if r["type"] == "note"
            else "offline"
            if r["kind"] in ("meeting", "call")
            else "private"
            if not r["is_public"]
            else "public"
        )
        out.append(
            {
                "type": r["type"],
                "id": r["id"],
                "at": iso(at),
                "kind": r["kind"],
                "direction": r["direction"],
                "network": r["network"],
                "depth": depth,
                "account": r["account"],
                "identity": r["identity"],
                "text": r["text"],
            }
        )
    return out


def person_profile(
    conn: Connection, person_id: int, now: datetime | None = None, limit: int | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    pc, tc, fc = t.persons.c, pt.person_tags.c, pt.person_fields.c
    person = conn.execute(select(t.persons).where(pc.id == person_id)).mappings().first()
    if person is None:
        raise NotFoundError(f"no person with id {person_id}")
    tags = sorted({r[0] for r in conn.execute(select(tc.tag).where(tc.person_id == person_id))})
    fields: dict[str, str] = {}
    for name, value in conn.execute(
        select(fc.name, fc.value).where(fc.person_id == person_id).order_by(fc.created_at, fc.id)
    ):
        fields[name] = value
    events = timeline(conn, person_id, limit)
    total = int(
        conn.execute(
            select(func.count())
            .select_from(t.interactions.join(t.identities, t.identities.c.id == t.interactions.c.identity_id))
            .where(t.identities.c.person_id == person_id)
        ).scalar_one()
    )
    return {
        "id": person_id,
        "name": person["display_name"],
        "identities": identities_of(conn, person_id),
        "tags": tags,
        "fields": fields,
        "notes": [e for e in events if e["type"] == "note"],
        "stage": stages.current_stage(conn, person_id, now),
        "stage_history": stages.history(conn, person_id),
        "score": score.person_score(conn, person_id, now),
        "reciprocity": reciprocity.person_ledger(conn, person_id),
        "keep_in_touch": keep_in_touch.person_cadence(conn, person_id, now),
        "interactions": total,
        "timeline": events,
    }


# -- the list ---------------------------------------------------------------------------------------
def list_people(
    conn: Connection,
    now: datetime | None = None,
    *,
    stage: str | None = None,
    tag: str | None = None,
    sort: str = "score",
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """People with their score, stage, owed and newest contact, one page (``limit`` / ``offset``).

    One bounded query over the stored list (``person_summary``, brought up to date first by
    :func:`summary.ensure`: incrementally for new interactions and people): filters, an indexed
    ``ORDER BY``, ``LIMIT`` / ``OFFSET``; the handles are then read for the page's people only."""
    now = now or utcnow()
    if sort not in SORTS:
        raise InvalidInputError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    if stage is not None and stage not in stages.STAGES:
        raise InvalidInputError(f"unknown stage {stage!r}: use one of {', '.join(stages.STAGES)}")
    if limit < 1 or offset < 0:
        raise InvalidInputError("limit must be at least 1 and offset at least 0")
    summary.ensure(conn, now)
    sc, pc = pt.person_summary.c, t.persons.c
    q = select(sc.person_id, pc.display_name, sc.score, sc.stage, sc.owed, sc.last_at).select_from(
        pt.person_summary.join(t.persons, pc.id == sc.person_id)
    )
    if stage:
        q = q.where(sc.stage == stage)
    if tag:
        tc = pt.person_tags.c
        q = q.where(exists().where(tc.person_id == sc.person_id, tc.tag == tag.strip().lower()))
    orders: dict[str, list[Any]] = {
        "score": [sc.score.desc()],
        "last_seen": [sc.last_at.is_(None), sc.last_at.desc()],
        "owed": [sc.owed.desc(), sc.score.desc()],
    }
    q = q.order_by(*orders[sort], sc.person_id).limit(limit).offset(offset)
    rows = list(conn.execute(q).mappings())
    handles = _handles(conn, [int(r["person_id"]) for r in rows])
    return [
        {
            "id": r["person_id"],
            "name": r["display_name"],
            "identities": handles.get(int(r["person_id"]), ""),
            "score": round(float(r["score"]), 1),
            "stage": r["stage"],
            "owed": int(r["owed"]),
            "last_seen": iso(r["last_at"]),
        }
        for r in rows
    ]


def _handles(conn: Connection, person_ids: list[int]) -> dict[int, str]:
    """``network:handle, ...`` of each of ``person_ids`` (one indexed query for a page of people)."""
    if not person_ids:
        return {}
    ic = t.identities.c
    found: dict[int, list[str]] = {}
    for pid, net, handle, platform_id in conn.execute(
        select(ic.person_id, ic.network, ic.handle, ic.platform_id)
        .where(ic.person_id.in_(person_ids))
        .order_by(ic.person_id, ic.id)
    ):
        found.setdefault(int(pid), []).append(f"{net}:{handle if handle is not None else platform_id}")
    return {pid: ", ".join(h) for pid, h in found.items()}
