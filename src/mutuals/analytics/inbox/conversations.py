"""Reading conversations: their messages, effective state, and priority with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, String, and_, case, func, literal, or_, select, true

from mutuals.analytics.inbox import text as tx
from mutuals.errors import InvalidInputError, NotFoundError
from mutuals.storage import inbox_tables as it
from mutuals.storage import schema
from mutuals.storage import tables as t

STATES = ("open", "waiting", "snoozed", "done")
REACH_HIGH, REACH_MEDIUM = 10_000, 1_000
#: Relationship stages (people module) that raise a conversation's priority, and by how much.
STAGE_POINTS = {"advocate": 2, "customer": 2, "lead": 1, "conversation": 1}
#: The person's relationship score (people module, 0-100) that raises the priority by 2 / by 1.
SCORE_HIGH, SCORE_MEDIUM = 70.0, 40.0


@dataclass
class Message:
    kind: str
    key: str
    direction: str
    occurred_at: datetime | None
    text: str
    is_public: bool
    identity_id: int | None
    sentiment: str | None
    intents: str | None
    in_reply_to: str | None
    added_at: datetime | None = None


@dataclass
class Conversation:
    id: int
    account_id: int
    account: str
    network: str
    stored_state: str
    state_at: datetime | None
    snoozed_until: datetime | None
    assignee: str | None
    messages: list[Message] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)  # recorded in Mutuals
    person: dict[str, Any] | None = None
    state: str = "open"
    priority: int = 0
    priority_label: str = "low"
    reasons: list[str] = field(default_factory=list)

    @property
    def inbound(self) -> list[Message]:
        return [m for m in self.messages if m.direction == "inbound"]

    @property
    def last_inbound(self) -> Message | None:
        ins = [m for m in self.inbound if m.occurred_at is not None] or self.inbound
        return ins[-1] if ins else None

    @property
    def private(self) -> bool:
        return any(not m.is_public for m in self.messages)

    def last_ours(self) -> datetime | None:
        times = [m.occurred_at for m in self.messages if m.direction == "outbound" and m.occurred_at]
        times += [r["at"] for r in self.replies]
        return max(times) if times else None

    def summary(self) -> dict[str, Any]:
        last = self.last_inbound
        return {
            "id": self.id,
            "account": self.account,
            "network": self.network,
            "state": self.state,
            "assignee": self.assignee,
            "priority": self.priority,
            "priority_label": self.priority_label,
            "reasons": self.reasons,
            "person": self.person,
            "messages": len(self.messages),
            "last_inbound_at": last.occurred_at.isoformat() if last and last.occurred_at else None,
            "last_inbound_text": last.text if last else None,
            "private": self.private,
        }


def _stage_table() -> Any:
    return schema.metadata.tables.get("person_stages")


def _state_expr(now: datetime) -> Any:
    """The effective state in SQL (see :func:`effective_state`, which it mirrors)."""
    c = it.inbox_conversations.c
    quiet = and_(c.state_at.is_not(None), or_(c.inbound_seen_at.is_(None), c.inbound_seen_at <= c.state_at))
    answered = and_(
        c.last_ours_at.is_not(None),
        or_(c.last_inbound_at.is_(None), c.last_ours_at >= c.last_inbound_at),
    )
    return case(
        (and_(c.state == "snoozed", c.snoozed_until.is_not(None), c.snoozed_until > now, quiet), "snoozed"),
        (and_(c.state == "done", quiet), "done"),
        (answered, "waiting"),
        else_="open",
    )


def _has_intent(intents: Any, name: str) -> Any:
    listed = literal(",") + func.replace(func.coalesce(intents, ""), " ", "") + literal(",")
    return listed.like(f"%,{name},%")


def _points(now: datetime, state: Any, li: Any, lm: Any, stage: Any) -> dict[str, Any]:
    """Each priority part in SQL; the reasons shown are worked out from the same columns (_reasons)."""
    c = it.inbox_conversations.c
    label = li.c.sentiment_label
    unknown = or_(label.is_(None), label.in_(("", "unsupported")))
    parts = {
        "sentiment": case(
            (label == "negative", 3), (and_(unknown, lm.c.negative_word.is_not(None)), 2), else_=0
        ),
        "complaint": case(
            (_has_intent(li.c.intents, "complaint"), 2),
            (and_(li.c.intents.is_(None), lm.c.complaint_cue == true()), 1),
            else_=0,
        ),
        "question": case(
            (_has_intent(li.c.intents, "question"), 2),
            (and_(li.c.intents.is_(None), lm.c.question_cue == true()), 1),
            else_=0,
        ),
        "waiting": case(
            (or_(state != "open", c.last_inbound_at.is_(None)), 0),
            (c.last_inbound_at <= now - timedelta(hours=24), 3),
            (c.last_inbound_at <= now - timedelta(hours=4), 2),
            (c.last_inbound_at <= now - timedelta(hours=1), 1),
            else_=0,
        ),
        "reach": case((c.followers >= REACH_HIGH, 2), (c.followers >= REACH_MEDIUM, 1), else_=0),
        "score": case((c.person_score >= SCORE_HIGH, 2), (c.person_score >= SCORE_MEDIUM, 1), else_=0),
    }
    if stage is not None:
        parts["stage"] = case(*[(stage == name, pts) for name, pts in STAGE_POINTS.items()], else_=0)
    return parts


def _query(now: datetime) -> tuple[Any, Any, Any]:
    """(select of every conversation's row, its state expression, its priority expression)."""
    c, a, mm, ic = it.inbox_conversations.c, t.accounts.c, it.team_members.c, t.identities.c
    li = t.interactions.alias("last_in")
    lm = it.inbox_messages.alias("last_msg")
    stages = _stage_table()
    state = _state_expr(now)
    stage = stages.c.stage if stages is not None else None
    parts = _points(now, state, li, lm, stage)
    priority = sum(parts.values(), literal(0))
    frm = (
        it.inbox_conversations.join(t.accounts, a.id == c.account_id)
        .outerjoin(it.team_members, mm.id == c.assignee_id)
        .outerjoin(t.identities, ic.id == c.identity_id)
        .outerjoin(li, li.c.id == c.last_inbound_id)
        .outerjoin(lm, and_(lm.c.account_id == li.c.account_id, lm.c.key == li.c.key, lm.c.kind == li.c.kind))
    )
    if stages is not None:
        frm = frm.outerjoin(stages, stages.c.person_id == ic.person_id)
    q = (
        select(
            c.id,
            c.account_id,
            a.handle.label("account"),
            a.network,
            c.state.label("stored_state"),
            c.state_at,
            c.snoozed_until,
            mm.handle.label("assignee"),
            c.identity_id,
            ic.person_id,
            ic.handle.label("person_handle"),
            ic.display_name,
            c.followers,
            (stage if stage is not None else literal(None, String())).label("stage"),
            c.person_score,
            li.c.text.label("last_text"),
            li.c.sentiment_label,
            li.c.intents,
            lm.c.negative_word,
            lm.c.complaint_cue,
            lm.c.question_cue,
            c.last_inbound_id,
            c.last_inbound_at,
            state.label("state"),
            priority.label("priority"),
        )
        .select_from(frm)
        .where(c.merged_into_id.is_(None))
    )
    return q, state, priority


def _from_rows(rows: list[Any], now: datetime) -> dict[int, Conversation]:
    out: dict[int, Conversation] = {}
    for r in rows:
        cv = Conversation(
            r.id, r.account_id, r.account, r.network, r.stored_state, r.state_at, r.snoozed_until, r.assignee
        )
        if r.identity_id is not None:
            cv.person = {
                "identity_id": r.identity_id,
                "person_id": r.person_id,
                "handle": r.person_handle,
                "display_name": r.display_name,
                "followers": r.followers,
                "stage": r.stage,
                "score": r.person_score,
            }
        cv.state = r.state
        cv.priority = int(r.priority)
        cv.reasons = _reasons(r, now)
        cv.priority_label = "high" if cv.priority >= 6 else "medium" if cv.priority >= 3 else "low"
        out[r.id] = cv
    return out


def _reasons(r: Any, now: datetime) -> list[str]:
    """The reasons behind the points the query gave (same rules, same order)."""
    reasons: list[str] = []
    if r.last_inbound_id is not None:
        sentiment = tx.known_sentiment(r.sentiment_label)
        if sentiment == "negative":
            reasons.append("negative sentiment")
        elif sentiment is None and r.negative_word:
            reasons.append(f"sounds negative ({r.negative_word!r})")
        intents = {s.strip() for s in (r.intents or "").split(",") if s.strip()}
        if "complaint" in intents:
            reasons.append("complaint")
        elif r.intents is None and r.complaint_cue:
            reasons.append("looks like a complaint")
        if "question" in intents:
            reasons.append("question")
        elif r.intents is None and r.question_cue:
            reasons.append("looks like a question")
        if r.state == "open" and r.last_inbound_at is not None:
            hours = (now - r.last_inbound_at).total_seconds() / 3600
            if hours >= 1:
                reasons.append(f"waiting {_ago(hours)}")
    if r.stage in STAGE_POINTS:
        reasons.append(f"stage: {r.stage}")
    if r.followers is not None and r.followers >= REACH_MEDIUM:
        reasons.append(f"reach: {r.followers:,} followers")
    if r.person_score is not None and r.person_score >= SCORE_MEDIUM:
        reasons.append(f"relationship score {r.person_score:.0f}")
    return reasons


def load(
    conn: Connection,
    *,
    ids: list[int] | None = None,
    account: str | None = None,
    now: datetime | None = None,
) -> list[Conversation]:
    """Conversations with their messages, state and priority (all, or ``ids``, or one account's).
    ``ids`` of conversations merged into another give the one they were merged into."""
    now = now or datetime.now(UTC)
    q, _, _ = _query(now)
    c, a = it.inbox_conversations.c, t.accounts.c
    if ids is not None:
        q = q.where(c.id.in_(_survivors(conn, ids)))
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    convs = _from_rows(list(conn.execute(q.order_by(c.id))), now)
    _attach(conn, convs)
    return list(convs.values())


def _survivors(conn: Connection, ids: list[int]) -> list[int]:
    """The conversations ``ids`` are now (following merges)."""
    c = it.inbox_conversations.c
    out: set[int] = set()
    todo = set(ids)
    for _ in range(20):  # merges chain rarely; bounded in case of bad data
        if not todo:
            break
        rows = conn.execute(select(c.id, c.merged_into_id).where(c.id.in_(sorted(todo)))).all()
        todo = set()
        for cid, into in rows:
            if into is None:
                out.add(cid)
            else:
                todo.add(into)
    return sorted(out)


def _attach(conn: Connection, convs: dict[int, Conversation]) -> None:
    ids = list(convs)
    for start in range(0, len(ids), 500):
        chunk = {k: convs[k] for k in ids[start : start + 500]}
        _attach_messages(conn, chunk, None)
        _attach_replies(conn, chunk)


def get(conn: Connection, conversation_id: int, now: datetime | None = None) -> Conversation:
    found = load(conn, ids=[conversation_id], now=now)
    if not found:
        raise NotFoundError(f"there is no conversation {conversation_id} (see mutuals inbox)")
    return found[0]


def _attach_messages(conn: Connection, convs: dict[int, Conversation], account: str | None) -> None:
    m, i = it.inbox_messages.c, t.interactions.c
    q = (
        select(
            m.conversation_id,
            i.kind,
            i.key,
            i.direction,
            i.occurred_at,
            i.text,
            i.is_public,
            i.identity_id,
            i.sentiment_label,
            i.intents,
            i.in_reply_to,
            m.added_at,
        )
        .join(t.interactions, i.id == m.interaction_id)
        .order_by(m.conversation_id, i.occurred_at, i.id)
    )
    q = q.where(m.conversation_id.in_(list(convs)))
    for row in conn.execute(q):
        cv = convs.get(row[0])
        if cv is not None:
            cv.messages.append(
                Message(
                    kind=row[1],
                    key=row[2],
                    direction=row[3],
                    occurred_at=row[4],
                    text=row[5] or "",
                    is_public=row[6],
                    identity_id=row[7],
                    sentiment=row[8],
                    intents=row[9],
                    in_reply_to=row[10],
                    added_at=row[11],
                )
            )


def _attach_replies(conn: Connection, convs: dict[int, Conversation]) -> None:
    r, mm = it.inbox_replies.c, it.team_members.c
    q = (
        select(r.conversation_id, r.text, r.actor, r.created_at, r.in_reply_to, mm.handle)
        .outerjoin(it.team_members, mm.id == r.member_id)
        .order_by(r.id)
    )
    q = q.where(r.conversation_id.in_(list(convs)))
    for cid, text, actor, at, in_reply_to, member in conn.execute(q):
        if cid in convs:
            convs[cid].replies.append(
                {"text": text, "actor": actor, "member": member, "at": at, "in_reply_to": in_reply_to}
            )


def effective_state(cv: Conversation, now: datetime) -> str:
    """open / waiting (on them: we wrote last) / snoozed (until a time) / done (until they write again)."""
    last_in = cv.last_inbound.occurred_at if cv.last_inbound else None
    # Done and snoozed hold until they write again: an inbound message dated, or first seen (a later
    # import), after the change.
    seen = [ts for m in cv.inbound for ts in (m.occurred_at, m.added_at) if ts is not None]
    quiet = cv.state_at is not None and all(ts <= cv.state_at for ts in seen)
    if cv.stored_state == "snoozed" and cv.snoozed_until and cv.snoozed_until > now and quiet:
        return "snoozed"
    if cv.stored_state == "done" and quiet:
        return "done"
    ours = cv.last_ours()
    if ours is not None and (last_in is None or ours >= last_in):
        return "waiting"
    return "open"


def _ago(hours: float) -> str:
    if hours >= 48:
        return f"{hours / 24:.0f} d"
    return f"{hours:.0f} h" if hours >= 1 else f"{hours * 60:.0f} min"


def inbox(
    conn: Connection,
    *,
    account: str | None = None,
    state: str | None = None,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[Conversation]:
    """The inbox: conversations in ``state`` (default: open and waiting; ``"all"``: every state), open
    ones first, then by priority, then the longest waiting. One query picks and orders the page in the
    database; only that page's messages are loaded."""
    if state is not None and state not in (*STATES, "all"):
        raise InvalidInputError(f"--state {state!r} is not one of {', '.join(STATES)}, all")
    now = now or datetime.now(UTC)
    wanted = ("open", "waiting") if state is None else STATES if state == "all" else (state,)
    q, st, priority = _query(now)
    c, a = it.inbox_conversations.c, t.accounts.c
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    rank = case(*[(st == s, n) for n, s in enumerate(STATES)], else_=len(STATES))
    q = q.where(st.in_(wanted)).order_by(
        rank, priority.desc(), case((c.last_inbound_at.is_(None), 0), else_=1), c.last_inbound_at, c.id
    )
    if limit:
        q = q.limit(limit)
    convs = _from_rows(list(conn.execute(q)), now)
    _attach(conn, convs)
    return list(convs.values())


def accounts_named(conn: Connection, account: str) -> None:
    a = t.accounts.c
    if conn.execute(select(a.id).where(a.handle == account.lstrip("@"))).first() is None:
        raise NotFoundError(f"there is no account {account!r} (see mutuals status)")


def events(conn: Connection, conversation_id: int) -> list[dict[str, Any]]:
    e = it.inbox_events.c
    rows = conn.execute(
        select(e.actor, e.action, e.detail, e.created_at)
        .where(e.conversation_id == conversation_id)
        .order_by(e.id)
    )
    return [{"actor": r[0], "action": r[1], "detail": r[2], "at": r[3].isoformat()} for r in rows]


def notes(conn: Connection, conversation_id: int) -> list[dict[str, Any]]:
    n = it.inbox_notes.c
    rows = conn.execute(
        select(n.actor, n.text, n.created_at).where(n.conversation_id == conversation_id).order_by(n.id)
    )
    return [{"actor": r[0], "text": r[1], "at": r[2].isoformat()} for r in rows]
