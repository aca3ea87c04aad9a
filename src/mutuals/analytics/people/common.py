"""What the people modules share: kinds of interaction, person lookup by id or handle, small helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select

from mutuals.domain import InteractionKind as K
from mutuals.domain import Network
from mutuals.errors import AmbiguousError, NotFoundError
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t

# Not contact between people: follow-list changes and our own bookmarks or blocks.
NOT_CONTACT = (K.FOLLOW.value, K.UNFOLLOW.value, K.BLOCK.value, K.BOOKMARK.value)
MESSAGE_KINDS = (K.REPLY.value, K.COMMENT.value, K.MENTION.value, K.DM.value, K.EMAIL.value)
PRIVATE_KINDS = (K.DM.value, K.EMAIL.value)
OFFLINE_KINDS = (K.MEETING.value, K.CALL.value)
ENGAGEMENT_KINDS = (
    K.LIKE.value,
    K.REPOST.value,
    K.QUOTE.value,
    K.REPLY.value,
    K.COMMENT.value,
    K.MENTION.value,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_contact() -> ColumnElement[bool]:
    return t.interactions.c.kind.not_in(NOT_CONTACT)


def person_interactions() -> Any:
    """interactions joined to their identity, so ``identities.c.person_id`` is the person."""
    return t.interactions.join(t.identities, t.identities.c.id == t.interactions.c.identity_id)


def has_identities(person_id: Any) -> ColumnElement[bool]:
    return exists().where(t.identities.c.person_id == person_id)


def _label(conn: Connection, person_id: int) -> str:
    ic = t.identities.c
    handles = [
        f"{net}:{h or pid}"
        for net, h, pid in conn.execute(
            select(ic.network, ic.handle, ic.platform_id)
            .where(ic.person_id == person_id)
            .order_by(ic.id)
            .limit(4)
        )
    ]
    return f"{person_id} ({', '.join(handles)})"


def person_label(conn: Connection, person_id: int) -> str:
    """``12 (x:anna, instagram:anna.brews)``: how errors and messages name a person."""
    return _label(conn, person_id)


def find_person(conn: Connection, ref: str) -> int:
    """The person named by ``ref``: a person id, ``@handle`` / ``handle``, or ``network:handle``.

    Unknown: :class:`NotFoundError`; several people match: :class:`AmbiguousError` listing them."""
    ref = ref.strip()
    pc, ic = t.persons.c, t.identities.c
    if ref.isdigit():
        pid = int(ref)
        if conn.execute(select(pc.id).where(pc.id == pid, has_identities(pc.id))).first():
            return pid
        merged = conn.execute(
            select(pt.person_merges.c.person_id)
            .where(
                pt.person_merges.c.other_person_id == pid,
                pt.person_merges.c.op != "split",
                pt.person_merges.c.undone_at.is_(None),
            )
            .order_by(pt.person_merges.c.id.desc())
        ).first()
        if merged:
            raise NotFoundError(f"person {pid} was merged into person {merged[0]}: use {merged[0]}")
        raise NotFoundError(f"no person with id {pid}")
    network: str | None = None
    handle = ref
    head, sep, tail = ref.partition(":")
    if sep and head.lower() in {n.value for n in Network}:
        network, handle = head.lower(), tail
    handle = handle.strip().lstrip("@").lower()
    if not handle:
        raise NotFoundError(f"{ref!r} names no person: give an id, @handle or network:handle")
    low = func.lower(ic.handle)
    pattern = handle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%"
    on_any_server = and_(ic.network == "mastodon", low.like(pattern, escape="\\"))
    cond = or_(low == handle, low == "@" + handle, on_any_server)
    if "@" in handle or network is not None:
        cond = or_(low == handle, low == "@" + handle, func.lower(ic.platform_id) == handle)
    q = select(ic.person_id).where(cond, ic.person_id.is_not(None)).distinct()
    if network is not None:
        q = q.where(ic.network == network)
    found = sorted(int(r[0]) for r in conn.execute(q))
    if not found:
        raise NotFoundError(f"no person with the handle {ref!r} (try mutuals people list)")
    if len(found) > 1:
        listed = "; ".join(_label(conn, p) for p in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise AmbiguousError(f"{ref!r} matches {len(found)} people: {listed}{more}; use an id")
    return found[0]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
