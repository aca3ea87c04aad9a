"""Grouping messages into conversations, incrementally and set-based, as they are imported.

A conversation is a thread of one account: public messages linked by ``in_reply_to`` (a reply joins the
thread of the message it answers, whichever side wrote it); private messages (DMs, email) linked by the
platform's thread id (``thread_ref``), or by the person when there is none. Only threads that hold an
inbound message are conversations.

Every message of a conversation kind is filed once in ``inbox_messages`` with the *root* of its thread
("t:" + the key of the first message of its reply chain, or "dm:" + the private thread), and a thread is
a conversation keyed by its root. Filing a batch (``file_messages``, run by ingest at the end of every
import, inside its transaction) is a fixed number of statements whatever the size of the workspace:

1. insert the new messages (the batch: ids above the highest filed before); private ones get their
   "dm:" root at once;
2. one ``WITH RECURSIVE`` walks the new reply chains down from their first new message, which takes the
   root of the (already filed) message it answers, or becomes a root itself;
3. a reply that came *before* the message it answers (out-of-order imports) was a root of its own: its
   thread is moved under the newly arrived parent, and their conversations are merged into the parent's;
4. threads with an inbound message get a conversation; its figures (counts, last inbound, last answer,
   reach, relationship score) are refreshed for the conversations that changed (``refresh``).

Nothing is ever rebuilt: an import costs in proportion to what it brings. Inbox state (state, assignee,
notes, replies, events) is keyed to conversation ids, which a later import never changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from mutuals.analytics.inbox import text as tx
from mutuals.storage import inbox_tables as it
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

CONVERSATION_KINDS = ("mention", "reply", "comment", "quote", "dm", "email")
PRIVATE_KINDS = ("dm", "email")
_CHUNK = 500

# (COALESCE(root, ''): keeps the planner on the key index rather than scanning the batch's NULL roots.)
# Roots of the new messages whose thread starts in this batch: each first new message of a chain
# takes the root of the filed message it answers (or its own key), and passes it down the new replies.
_WALK = """
WITH RECURSIVE walk(id, account_id, key, root) AS (
    SELECT m.id, m.account_id, m.key,
           COALESCE(
               NULLIF((SELECT MAX(COALESCE(p.root, '')) FROM inbox_messages p
                        WHERE p.account_id = m.account_id AND p.key = m.parent_key), ''),
               't:' || m.key)
      FROM inbox_messages m
     WHERE m.id > :floor AND m.root IS NULL
       AND NOT EXISTS (SELECT 1 FROM inbox_messages q
                        WHERE q.account_id = m.account_id AND q.key = m.parent_key
                          AND q.id > :floor AND COALESCE(q.root, '') = '')
    UNION
    SELECT c.id, c.account_id, c.key, w.root
      FROM inbox_messages c
      JOIN walk w ON c.account_id = w.account_id AND c.parent_key = w.key
     WHERE c.id > :floor AND c.root IS NULL
)
INSERT INTO inbox_thread_staging (message_id, root)
SELECT id, MIN(root) FROM walk GROUP BY id
"""


def insert_for(conn: Connection, table: Table) -> Any:
    # As mutuals.ingest.upsert.insert_for; not imported from there, since ingest imports this module.
    return postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)


def _new(floor: int) -> Any:
    return bindparam("floor", floor)


def sync_conversations(conn: Connection, account_id: int | None = None) -> int:
    """File whatever interactions arrived since threading last looked (imports file their own; this
    catches rows written another way, such as a logged e-mail); returns conversations created. Cheap
    when nothing is new: one indexed look at the interactions table. ``account_id`` is accepted for
    compatibility; filing is always for every account."""
    del account_id
    s = it.inbox_sync.c
    seen = conn.execute(select(s.last_interaction_id).where(s.id == 1)).scalar()
    newest = conn.execute(select(func.max(t.interactions.c.id))).scalar()
    if newest is None or (seen is not None and newest <= seen):
        return 0
    return file_messages(conn, since_id=seen)


def file_messages(conn: Connection, *, since_id: int | None = None, now: datetime | None = None) -> int:
    """File the conversation messages among interactions with ``id > since_id`` (all when ``None``) that
    are not filed yet; returns how many conversations were created. Idempotent."""
    now = now or datetime.now(UTC)
    i, m = t.interactions.c, it.inbox_messages.c
    unfiled = [
        i.kind.in_(CONVERSATION_KINDS),
        ~exists().where(m.account_id == i.account_id, m.key == i.key, m.kind == i.kind),
    ]
    if since_id is not None:
        unfiled.append(i.id > since_id)
    newest = conn.execute(select(func.max(t.interactions.c.id))).scalar()
    if conn.execute(select(i.id).where(*unfiled).limit(1)).first() is None:
        _watermark(conn, newest)
        return 0
    if conn.dialect.name == "postgresql":
        # One filer at a time (two imports, or an import and a worker): the second waits for the first
        # to commit, then sees its messages and threads onto them.
        conn.exec_driver_sql("LOCK TABLE inbox_conversations IN SHARE ROW EXCLUSIVE MODE")
    # The batch: every message filed now gets an id above the highest one before (one filer at a time).
    floor = conn.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()
    _insert_pending(conn, unfiled, now)
    _mark_cues(conn, floor)
    _walk_roots(conn, floor)
    _adopt_orphans(conn, floor, now)
    created = _create_conversations(conn, floor, now)
    _attach(conn)
    c = it.inbox_conversations.c
    new = select(m.conversation_id).where(m.id > _new(floor), m.conversation_id.is_not(None))
    conn.execute(update(it.inbox_conversations).where(c.id.in_(new)).values(dirty=True))
    refresh(conn, now=now)
    _watermark(conn, newest)
    return created


def _watermark(conn: Connection, newest: int | None) -> None:
    if newest is None:
        return
    s = it.inbox_sync.c
    stmt = insert_for(conn, it.inbox_sync).values(id=1, last_interaction_id=newest)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "last_interaction_id": case(
                (s.last_interaction_id > newest, s.last_interaction_id), else_=literal(newest)
            )
        },
    )
    conn.execute(stmt)


def _insert_pending(conn: Connection, unfiled: list[Any], now: datetime) -> None:
    i = t.interactions.c
    private = or_(i.kind.in_(PRIVATE_KINDS), i.is_public.is_(False))
    dm_root = case(
        (and_(private, i.thread_ref.is_not(None)), literal("dm:") + i.thread_ref),
        (and_(private, i.identity_id.is_not(None)), literal("dm:person:") + cast(i.identity_id, String)),
        else_=None,
    )
    # A private message of a known thread links by that thread only, never by in_reply_to.
    parent = case(
        (and_(private, or_(i.thread_ref.is_not(None), i.identity_id.is_not(None))), None), else_=i.in_reply_to
    )
    cols = ["account_id", "kind", "key", "added_at", "interaction_id", "direction", "occurred_at"]
    cols += ["parent_key", "root"]
    rows = select(
        i.account_id,
        i.kind,
        i.key,
        literal(now, UTCDateTime()),
        i.id,
        i.direction,
        i.occurred_at,
        parent,
        dm_root,
    ).where(*unfiled)
    ins = insert_for(conn, it.inbox_messages).from_select(cols, rows).on_conflict_do_nothing()
    conn.execute(ins)


def _mark_cues(conn: Connection, floor: int) -> None:
    """The keyword cues of each new inbound text, for the priority's fall-back (text.py)."""
    m, i = it.inbox_messages.c, t.interactions.c
    rows = conn.execute(
        select(m.id, i.text)
        .join(t.interactions, i.id == m.interaction_id)
        .where(m.id > _new(floor), m.direction == "inbound", i.text.is_not(None))
    )
    params = []
    for mid, body in rows:
        neg, complaint, question = (
            tx.sounds_negative(body),
            tx.looks_like_complaint(body),
            tx.looks_like_question(body),
        )
        if neg or complaint or question:
            params.append({"mid": mid, "neg": neg, "cmp": complaint, "qst": question})
    if params:
        conn.execute(
            update(it.inbox_messages)
            .where(m.id == bindparam("mid"))
            .values(
                negative_word=bindparam("neg"), complaint_cue=bindparam("cmp"), question_cue=bindparam("qst")
            ),
            params,
        )


def _walk_roots(conn: Connection, floor: int) -> None:
    m, s = it.inbox_messages.c, it.inbox_thread_staging.c
    yes = _new(floor)
    conn.execute(text(_WALK).bindparams(yes))
    conn.execute(
        update(it.inbox_messages)
        .where(m.id > yes, m.root.is_(None))
        .values(root=select(s.root).where(s.message_id == m.id).scalar_subquery())
    )
    # Left over: reply cycles (corrupt data) that no chain start reaches; each is a root of its own.
    conn.execute(
        update(it.inbox_messages).where(m.id > yes, m.root.is_(None)).values(root=literal("t:") + m.key)
    )
    conn.execute(it.inbox_thread_staging.delete())


def _adopt_orphans(conn: Connection, floor: int, now: datetime) -> None:
    """Filed replies whose parent arrived only now: move their threads under the parent's root."""
    p = it.inbox_messages.alias("p")
    o = it.inbox_messages.alias("o")
    moves = conn.execute(
        select(o.c.account_id, o.c.root, p.c.root)
        .select_from(p)
        .join(o, and_(o.c.account_id == p.c.account_id, o.c.parent_key == p.c.key))
        .where(p.c.id > floor, o.c.id <= floor, o.c.root != p.c.root)
        .distinct()
    ).all()
    target: dict[tuple[int, str], str] = {(acc, old): new for acc, old, new in moves}
    for (acc, old), new in sorted(target.items()):
        seen = {old}
        while (acc, new) in target and new not in seen:  # the parent's own thread moves too
            seen.add(new)
            new = target[(acc, new)]
        if new != old:
            _move_thread(conn, acc, old, new, now)


def _move_thread(conn: Connection, account_id: int, old: str, new: str, now: datetime) -> None:
    m, c = it.inbox_messages.c, it.inbox_conversations.c
    conn.execute(update(it.inbox_messages).where(m.account_id == account_id, m.root == old).values(root=new))
    found = {
        key: cid
        for key, cid in conn.execute(
            select(c.thread_key, c.id).where(
                c.account_id == account_id, c.thread_key.in_([old, new]), c.merged_into_id.is_(None)
            )
        )
    }
    if old not in found:
        return
    if new not in found:
        conn.execute(
            update(it.inbox_conversations).where(c.id == found[old]).values(thread_key=new, dirty=True)
        )
        return
    merge_conversations(conn, found[old], found[new], now=now)


def merge_conversations(conn: Connection, source: int, into: int, *, now: datetime | None = None) -> None:
    """Fold conversation ``source`` into ``into``: its messages, notes, replies and events move over (the
    audit log records it), ``source`` points at ``into`` from then on. The survivor keeps its state; an
    assignee is kept where the survivor has none."""
    now = now or datetime.now(UTC)
    c = it.inbox_conversations.c
    for table in (it.inbox_messages, it.inbox_notes, it.inbox_replies, it.inbox_events):
        conn.execute(update(table).where(table.c.conversation_id == source).values(conversation_id=into))
    other = it.inbox_conversations.alias("other")
    assignee = select(other.c.assignee_id).where(other.c.id == source).scalar_subquery()
    conn.execute(
        update(it.inbox_conversations)
        .where(c.id == into)
        .values(assignee_id=func.coalesce(c.assignee_id, assignee), dirty=True)
    )
    conn.execute(
        update(it.inbox_conversations)
        .where(c.id == source)
        .values(merged_into_id=into, thread_key=literal("merged:") + cast(c.id, String), dirty=False)
    )
    conn.execute(
        it.inbox_events.insert().values(
            conversation_id=into,
            actor="mutuals",
            action="merge",
            detail={"from": source, "why": "a message arrived that links the two threads"},
            created_at=now,
        )
    )


def _create_conversations(conn: Connection, floor: int, now: datetime) -> int:
    m, c = it.inbox_messages.c, it.inbox_conversations.c
    roots = (
        select(m.account_id, m.root)
        .where(
            m.id > _new(floor),
            m.direction == "inbound",
            ~exists().where(c.account_id == m.account_id, c.thread_key == m.root),
        )
        .distinct()
        .subquery()
    )
    rows = select(
        roots.c.account_id,
        roots.c.root,
        literal("open"),
        literal(now, UTCDateTime()),
        literal(True, Boolean()),
        literal(0),
        literal(False, Boolean()),
    ).where(roots.c.root.is_not(None))  # a WHERE: SQLite reads INSERT ... SELECT ... ON CONFLICT so
    cols = ["account_id", "thread_key", "state", "created_at", "dirty", "messages", "private"]
    res = conn.execute(
        insert_for(conn, it.inbox_conversations).from_select(cols, rows).on_conflict_do_nothing()
    )
    return max(int(res.rowcount or 0), 0)


def _attach(conn: Connection) -> None:
    """Messages without a conversation whose thread has one now (new ones, and earlier answers of ours
    in a thread that just got its first inbound message)."""
    m, c = it.inbox_messages.c, it.inbox_conversations.c
    conv = select(c.id).where(c.account_id == m.account_id, c.thread_key == m.root).scalar_subquery()
    has = exists().where(c.account_id == m.account_id, c.thread_key == m.root)
    conn.execute(
        update(it.inbox_messages).where(m.conversation_id.is_(None), has).values(conversation_id=conv)
    )


def _greatest(a: Any, b: Any) -> Any:
    return case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)


def mark_changed(conn: Connection, ids: Iterable[int]) -> None:
    """Mark conversations for :func:`refresh` (after a reply is recorded, say)."""
    c = it.inbox_conversations.c
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        conn.execute(
            update(it.inbox_conversations).where(c.id.in_(wanted[start : start + _CHUNK])).values(dirty=True)
        )


def refresh(conn: Connection, *, now: datetime | None = None) -> int:
    """Recompute the stored figures of the conversations marked changed (``dirty``); returns how many."""
    now = now or datetime.now(UTC)
    c, m, i, r = it.inbox_conversations.c, it.inbox_messages.c, t.interactions.c, it.inbox_replies.c
    dirty = c.dirty == true()
    mine = m.conversation_id == c.id
    inbound = and_(mine, m.direction == "inbound")
    untimed_last = case((m.occurred_at.is_(None), 1), else_=0)

    def one(col: Any, *where: Any) -> Any:
        return select(col).where(*where).scalar_subquery()

    last_in = (
        select(m.interaction_id)
        .where(inbound)
        .order_by(untimed_last, m.occurred_at.desc(), m.interaction_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    first_ident = (
        select(i.identity_id)
        .select_from(it.inbox_messages.join(t.interactions, i.id == m.interaction_id))
        .where(inbound, i.identity_id.is_not(None))
        .order_by(untimed_last, m.occurred_at, m.interaction_id)
        .limit(1)
        .scalar_subquery()
    )
    private = exists().where(mine, i.id == m.interaction_id, i.is_public.is_(False))
    n = conn.execute(
        update(it.inbox_conversations)
        .where(dirty)
        .values(
            messages=one(func.count(m.id), mine),
            private=private,
            first_inbound_at=one(func.min(m.occurred_at), inbound),
            last_inbound_id=last_in,
            inbound_seen_at=_greatest(
                one(func.max(m.occurred_at), inbound), one(func.max(m.added_at), inbound)
            ),
            last_ours_at=_greatest(
                one(func.max(m.occurred_at), mine, m.direction == "outbound"),
                one(func.max(r.created_at), r.conversation_id == c.id),
            ),
            identity_id=first_ident,
        )
    ).rowcount
    conn.execute(
        update(it.inbox_conversations)
        .where(dirty)
        .values(last_inbound_at=one(i.occurred_at, i.id == c.last_inbound_id))
    )
    _refresh_people(conn, now)
    conn.execute(update(it.inbox_conversations).where(dirty).values(dirty=False))
    return int(n or 0)


def _refresh_people(conn: Connection, now: datetime) -> None:
    """Reach (``followers_count`` of the identity's profile) and relationship score of the person."""
    c, ic = it.inbox_conversations.c, t.identities.c
    rows = conn.execute(
        select(c.id, ic.profile, ic.person_id)
        .join(t.identities, ic.id == c.identity_id)
        .where(c.dirty == true())
    ).all()
    if not rows:
        return
    scores = _scores(conn, now)
    params = []
    for cid, profile, person_id in rows:
        followers = profile.get("followers_count") if isinstance(profile, dict) else None
        params.append(
            {
                "cid": cid,
                "followers": followers
                if isinstance(followers, int) and not isinstance(followers, bool)
                else None,
                "score": scores.get(person_id) if person_id is not None else None,
            }
        )
    conn.execute(
        update(it.inbox_conversations)
        .where(c.id == bindparam("cid"))
        .values(followers=bindparam("followers"), person_score=bindparam("score")),
        params,
    )


def _scores(conn: Connection, now: datetime) -> dict[int, float]:
    """Relationship scores (people module) of the persons of the changed conversations; empty where the
    people module is not installed."""
    try:
        from mutuals.analytics.people.score import scores_query
    except ImportError:
        return {}
    c, ic = it.inbox_conversations.c, t.identities.c
    q, a = scores_query(now)
    persons = (
        select(ic.person_id).join(it.inbox_conversations, c.identity_id == ic.id).where(c.dirty == true())
    )
    q = q.where(a.c.person_id.in_(persons))
    return {int(row[0]): round(float(row[1]), 1) for row in conn.execute(q) if row[1] is not None}
