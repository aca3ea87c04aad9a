"""Changing conversations: assign, done, snooze, reopen, notes, and recording replies.

Every change is checked first and written after, in one transaction, with an ``inbox_events`` row that
says who did it and when: a refused change leaves nothing behind.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mutuals.analytics.inbox import coach as ch
from mutuals.analytics.inbox import conversations as cvs
from mutuals.analytics.inbox import team
from mutuals.analytics.inbox import text as tx
from mutuals.analytics.inbox.threads import CONVERSATION_KINDS, mark_changed, refresh
from mutuals.errors import InvalidInputError
from mutuals.storage import inbox_tables as it
from mutuals.storage import tables as t

MAX_PREVIOUS = 5000
"""Earlier replies of the account the stock-response detector compares a draft with (newest first)."""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _log(conn: Connection, cid: int, actor: str, action: str, detail: Any, at: datetime) -> None:
    conn.execute(
        it.inbox_events.insert().values(
            conversation_id=cid, actor=actor, action=action, detail=detail, created_at=at
        )
    )


def _set(conn: Connection, cid: int, **values: Any) -> None:
    c = it.inbox_conversations.c
    conn.execute(update(it.inbox_conversations).where(c.id == cid).values(**values))


def assign(
    conn: Connection,
    cid: int,
    member: str | None,
    *,
    as_member: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Give the conversation to ``member`` (``None``: unassign)."""
    cv = cvs.get(conn, cid, now)
    cid = cv.id  # the conversation it was merged into, if it was
    who, _ = team.actor(conn, as_member)
    target = team.member(conn, member) if member else None
    at = _now(now)
    _set(conn, cid, assignee_id=target.id if target else None)
    _log(conn, cid, who, "assign", {"from": cv.assignee, "to": target.handle if target else None}, at)
    return {"id": cid, "assignee": target.handle if target else None}


def set_state(
    conn: Connection,
    cid: int,
    state: str,
    *,
    until: datetime | None = None,
    as_member: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Mark done, reopen, or snooze until a time (which must be in the future)."""
    if state not in ("open", "done", "snoozed"):
        raise InvalidInputError(f"state {state!r} is not one of open, done, snoozed")
    at = _now(now)
    if state == "snoozed" and (until is None or until <= at):
        raise InvalidInputError("snooze needs a time in the future (--until 2024-05-02T09:00 or --for 3h)")
    cv = cvs.get(conn, cid, now)
    cid = cv.id
    who, _ = team.actor(conn, as_member)
    _set(conn, cid, state=state, state_at=at, snoozed_until=until if state == "snoozed" else None)
    detail = {"from": cv.state, "to": state, "until": until.isoformat() if until else None}
    _log(conn, cid, who, {"open": "reopen", "done": "done", "snoozed": "snooze"}[state], detail, at)
    return {"id": cid, "state": state, "snoozed_until": until.isoformat() if until else None}


def add_note(
    conn: Connection, cid: int, text: str, *, as_member: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    if not text.strip():
        raise InvalidInputError("the note is empty: give it with --text")
    cid = cvs.get(conn, cid, now).id
    who, _ = team.actor(conn, as_member)
    at = _now(now)
    conn.execute(it.inbox_notes.insert().values(conversation_id=cid, actor=who, text=text, created_at=at))
    _log(conn, cid, who, "note", {"text": text}, at)
    return {"id": cid, "note": text, "actor": who}


def reply(
    conn: Connection,
    cid: int,
    text: str,
    *,
    as_member: str | None = None,
    check_only: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Run the reply coach on ``text``; unless ``check_only``, record it as the answer (no live connector:
    the text is to be copied and posted by hand) and mark the conversation answered."""
    at = _now(now)
    cv = cvs.get(conn, cid, now)
    cid = cv.id
    ch.check_length(text, cv.network)
    who, member = team.actor(conn, as_member)
    coaching = ch.coach(
        text,
        _context(cv),
        previous_replies(conn, cv.account_id),
        member_sign_off=member.sign_off if member else None,
        member_name=member.name if member else None,
        now=at,
    )
    out: dict[str, Any] = {"id": cid, "network": cv.network, "coach": coaching.as_dict(), "recorded": False}
    if check_only:
        return out
    last = cv.last_inbound
    conn.execute(
        it.inbox_replies.insert().values(
            conversation_id=cid,
            member_id=member.id if member else None,
            actor=who,
            in_reply_to=last.key if last else None,
            text=text,
            coach=coaching.as_dict(),
            posted_via="copied",
            created_at=at,
        )
    )
    if cv.stored_state != "open":
        _set(conn, cid, state="open", state_at=at, snoozed_until=None)
    mark_changed(conn, [cid])  # the stored "last answered" moves: waiting on them now
    refresh(conn, now=at)
    _log(conn, cid, who, "reply", {"text": text, "in_reply_to": last.key if last else None}, at)
    out.update(recorded=True, actor=who, at=at.isoformat(), posted_via="copied")
    return out


def _context(cv: cvs.Conversation) -> ch.Context:
    person = cv.person or {}
    names = tuple(n for n in (person.get("handle"), person.get("display_name")) if n)
    last = cv.last_inbound
    ours = sum(1 for m in cv.messages if m.direction == "outbound") + len(cv.replies)
    return ch.Context(
        network=cv.network,
        private=cv.private,
        person_names=names,
        last_inbound=last.text if last else None,
        last_inbound_sentiment=_tone(last.sentiment, last.intents) if last else None,
        exchanges=ours,
        identity_id=person.get("identity_id"),
    )


def _tone(sentiment: str | None, intents: str | None) -> str | None:
    """The sentiment label, with the listening module's "praise" intent counted as positive."""
    if "praise" in (intents or "").split(","):
        return "positive"
    return tx.known_sentiment(sentiment)


def previous_replies(conn: Connection, account_id: int) -> list[ch.PreviousReply]:
    """The account's earlier replies, newest first: imported outbound messages and replies recorded in
    Mutuals."""
    i, ic = t.interactions.c, t.identities.c
    rows = conn.execute(
        select(i.text, i.occurred_at, i.is_public, i.identity_id, ic.handle, ic.display_name)
        .outerjoin(t.identities, ic.id == i.identity_id)
        .where(
            i.account_id == account_id,
            i.direction == "outbound",
            i.kind.in_(CONVERSATION_KINDS),
            i.text.is_not(None),
        )
        .order_by(i.occurred_at.desc(), i.id.desc())
        .limit(MAX_PREVIOUS)
    )
    out = [
        ch.PreviousReply(
            text=text,
            at=at,
            to=handle or name,
            names=tuple(n for n in (handle, name) if n),
            private=not public,
            identity_id=ident,
        )
        for text, at, public, ident, handle, name in rows
    ]
    r, c = it.inbox_replies.c, it.inbox_conversations.c
    recorded = conn.execute(
        select(r.text, r.created_at, r.conversation_id)
        .join(it.inbox_conversations, c.id == r.conversation_id)
        .where(c.account_id == account_id)
        .order_by(r.id.desc())
        .limit(MAX_PREVIOUS)
    ).all()
    if recorded:
        convs = {cv.id: cv for cv in cvs.load(conn, ids=sorted({row[2] for row in recorded}))}
        for text, at, cid in recorded:
            cv = convs.get(cid)
            person = (cv.person if cv else None) or {}
            names = tuple(n for n in (person.get("handle"), person.get("display_name")) if n)
            out.append(
                ch.PreviousReply(
                    text=text,
                    at=at,
                    to=person.get("handle"),
                    names=names,
                    private=bool(cv and cv.private),
                    identity_id=person.get("identity_id"),
                )
            )
    return out
