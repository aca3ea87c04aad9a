"""Response metrics: first response time (median, p90), response rate, unanswered, SLA breaches, per
account, network, agent and hour of day; and per conversation.

Definition (docs/inbox.md): an inbound message's *first response* is the earliest message from the same
account of ours written in reply to it (``in_reply_to`` = the inbound message's key), imported or recorded
in Mutuals. Medians and p90 are over the inbound messages that got one, with linear interpolation between
order statistics (numpy's default ``linear`` method).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, union_all

from mutuals.analytics.inbox import coach as ch
from mutuals.analytics.inbox import conversations as cvs
from mutuals.analytics.inbox import team
from mutuals.analytics.inbox import text as tx
from mutuals.analytics.inbox.hours import BusinessHours
from mutuals.analytics.inbox.threads import CONVERSATION_KINDS, sync_conversations
from mutuals.config import get_settings
from mutuals.storage import inbox_tables as it
from mutuals.storage import tables as t

UNSIGNED = "(unsigned)"


def percentile(values: list[float], p: float) -> float | None:
    """``p`` (0..1) of already sorted ``values`` by linear interpolation (numpy 'linear')."""
    if not values:
        return None
    h = (len(values) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (h - lo) * (values[hi] - values[lo])


def summary(seconds: list[float]) -> dict[str, float | None]:
    s = sorted(seconds)
    median, p90 = percentile(s, 0.5), percentile(s, 0.9)
    # Rounded to the millisecond: hides float noise of the interpolation, far below "to the second".
    return {
        "median": None if median is None else round(median, 3),
        "p90": None if p90 is None else round(p90, 3),
    }


@dataclass
class _Bucket:
    inbound: int = 0
    answered: int = 0
    seconds: list[float] = field(default_factory=list)

    def add(self, secs: float | None, answered: bool) -> None:
        self.inbound += 1
        if answered:
            self.answered += 1
            if secs is not None:
                self.seconds.append(secs)

    def figures(self) -> dict[str, Any]:
        return {
            "inbound": self.inbound,
            "answered": self.answered,
            "response_rate": round(self.answered / self.inbound, 4) if self.inbound else None,
            "first_response_seconds": summary(self.seconds),
        }


def _responses() -> Any:
    """Every response of ours: (account_id, the key it answers, when, text, agent-ish fields)."""
    i, r, c = t.interactions.c, it.inbox_replies.c, it.inbox_conversations.c
    imported = select(
        i.account_id.label("account_id"),
        i.in_reply_to.label("target"),
        i.occurred_at.label("at"),
    ).where(
        i.direction == "outbound",
        i.kind.in_(CONVERSATION_KINDS),
        i.in_reply_to.is_not(None),
        i.occurred_at.is_not(None),
    )
    recorded = (
        select(c.account_id, r.in_reply_to, r.created_at)
        .join(it.inbox_conversations, c.id == r.conversation_id)
        .where(r.in_reply_to.is_not(None))
    )
    return union_all(imported, recorded).subquery("responses")


def first_responses(conn: Connection, account: str | None = None) -> list[Any]:
    """One row per inbound message: account, network, handle, key, when, and its first response time."""
    resp = _responses()
    first = (
        select(resp.c.account_id, resp.c.target, func.min(resp.c.at).label("first_at"))
        .group_by(resp.c.account_id, resp.c.target)
        .subquery("first")
    )
    i, a = t.interactions.c, t.accounts.c
    q = (
        select(i.account_id, a.handle, a.network, i.key, i.occurred_at, first.c.first_at)
        .join(t.accounts, a.id == i.account_id)
        .outerjoin(first, and_(first.c.account_id == i.account_id, first.c.target == i.key))
        .where(i.direction == "inbound", i.kind.in_(CONVERSATION_KINDS))
    )
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    return list(conn.execute(q))


def response_metrics(
    conn: Connection, account: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    if account is not None:
        cvs.accounts_named(conn, account)
    settings = get_settings()
    hours = BusinessHours.from_settings(settings)
    target = settings.inbox_sla_minutes * 60
    rows = first_responses(conn, account)
    per_account: dict[tuple[str, str], _Bucket] = defaultdict(_Bucket)
    per_network: dict[str, _Bucket] = defaultdict(_Bucket)
    per_hour: dict[int, _Bucket] = defaultdict(_Bucket)
    sla: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"breaches": 0, "within": 0, "unanswered": 0}
    )
    first_at: dict[tuple[int, str], tuple[datetime, float | None]] = {}
    for acc_id, handle, network, key, at, first in rows:
        secs = (first - at).total_seconds() if first is not None and at is not None else None
        answered = first is not None
        per_account[(network, handle)].add(secs, answered)
        per_network[network].add(secs, answered)
        if at is not None:
            per_hour[at.astimezone(hours.tz).hour].add(secs, answered)
            cell = sla[(network, handle)]
            if not answered:
                cell["unanswered"] += 1
            spent = hours.seconds(at, first if first is not None else now)
            if answered or spent > target:
                cell["breaches" if spent > target else "within"] += 1
        if first is not None:
            first_at[(acc_id, key)] = (first, secs)
    accounts = [
        {"account": handle, "network": network, **per_account[(network, handle)].figures()}
        for network, handle in sorted(per_account)
    ]
    return {
        "accounts": accounts,
        "networks": [{"network": n, **per_network[n].figures()} for n in sorted(per_network)],
        "agents": agent_metrics(conn, first_at, account),
        "hours": [{"hour": h, **per_hour[h].figures()} for h in sorted(per_hour)],
        "sla": {
            "target_minutes": settings.inbox_sla_minutes,
            "business_hours": hours.describe(),
            "accounts": [{"account": h, "network": n, **sla[(n, h)]} for n, h in sorted(sla)],
        },
        "conversations": conversation_metrics(conn, account, now),
    }


@dataclass
class _Agent:
    replies: int = 0
    addressed: int = 0
    signed: int = 0
    seconds: list[float] = field(default_factory=list)


def agent_metrics(
    conn: Connection,
    first_at: dict[tuple[int, str], tuple[datetime, float | None]],
    account: str | None,
) -> list[dict[str, Any]]:
    """Per agent: replies, personalisation (addressed the person by name or handle), sign-offs, and the
    first responses they gave. The agent of an imported reply is its ``extra.agent``, else the team member
    whose sign-off it ends with, else the sign-off as written, else "(unsigned)"."""
    members = team.members(conn)
    stats: dict[str, _Agent] = defaultdict(_Agent)
    i, ic, a = t.interactions.c, t.identities.c, t.accounts.c
    q = (
        select(i.account_id, i.in_reply_to, i.occurred_at, i.text, i.extra, ic.handle, ic.display_name)
        .join(t.accounts, a.id == i.account_id)
        .outerjoin(t.identities, ic.id == i.identity_id)
        .where(i.direction == "outbound", i.kind.in_(CONVERSATION_KINDS), i.in_reply_to.is_not(None))
        .order_by(i.occurred_at, i.id)
    )
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    credited: set[tuple[int, str]] = set()
    for acc_id, target, at, text, extra, handle, name in conn.execute(q):
        body = text or ""
        agent = _agent_of(body, extra, members)
        _count(stats[agent], body, (handle, name), agent != UNSIGNED)
        _credit(stats[agent], credited, first_at, (acc_id, target), at)
    r, c, mm = it.inbox_replies.c, it.inbox_conversations.c, it.team_members.c
    q2 = (
        select(
            c.account_id, r.in_reply_to, r.created_at, r.text, r.actor, mm.handle, r.conversation_id, r.coach
        )
        .join(it.inbox_conversations, c.id == r.conversation_id)
        .join(t.accounts, a.id == c.account_id)
        .outerjoin(it.team_members, mm.id == r.member_id)
        .order_by(r.id)
    )
    if account is not None:
        q2 = q2.where(a.handle == account.lstrip("@"))
    for acc_id, target, at, _text, actor, member, _cid, coaching in conn.execute(q2):
        st = stats[member or actor]
        st.replies += 1
        st.addressed += int(bool((coaching or {}).get("addresses_person")))
        st.signed += int(bool((coaching or {}).get("signed_off")))
        if target:
            _credit(st, credited, first_at, (acc_id, target), at)
    return [
        {
            "agent": name,
            "replies": st.replies,
            "personalised": st.addressed,
            "personalisation_rate": round(st.addressed / st.replies, 4) if st.replies else None,
            "signed": st.signed,
            "first_responses": len(st.seconds),
            "first_response_seconds": summary(st.seconds),
        }
        for name, st in sorted(stats.items())
    ]


def _agent_of(text: str, extra: Any, members: list[team.Member]) -> str:
    if isinstance(extra, dict) and isinstance(extra.get("agent"), str) and extra["agent"]:
        return str(extra["agent"])
    found = tx.sign_off(text)
    if not found:
        return UNSIGNED
    for m in members:
        if m.sign_off and tx.same_sign_off(found, m.sign_off):
            return m.handle
    return found


def _count(st: _Agent, text: str, names: tuple[str | None, ...], signed: bool) -> None:
    st.replies += 1
    st.addressed += int(ch.addresses(text, tuple(n for n in names if n)))
    st.signed += int(signed)


def _credit(
    st: _Agent,
    credited: set[tuple[int, str]],
    first_at: dict[tuple[int, str], tuple[datetime, float | None]],
    key: tuple[int, str | None],
    at: datetime | None,
) -> None:
    if key[1] is None or at is None:
        return
    k = (key[0], key[1])
    found = first_at.get(k)
    if found is not None and k not in credited and found[0] == at:
        credited.add(k)
        if found[1] is not None:
            st.seconds.append(found[1])


def conversation_metrics(conn: Connection, account: str | None, now: datetime) -> list[dict[str, Any]]:
    """Per account: conversations, answered, and the time from a conversation's first inbound message to
    our first message after it (imported or recorded). The first answer per conversation is found in
    SQL from the stored ``first_inbound_at``; only one row per conversation comes back."""
    del now
    sync_conversations(conn)
    c, m, r, a = it.inbox_conversations.c, it.inbox_messages.c, it.inbox_replies.c, t.accounts.c
    ours = union_all(
        select(m.conversation_id.label("cid"), m.occurred_at.label("at")).where(
            m.direction == "outbound", m.occurred_at.is_not(None), m.conversation_id.is_not(None)
        ),
        select(r.conversation_id, r.created_at),
    ).subquery("ours")
    first = (
        select(ours.c.cid, func.min(ours.c.at).label("first_at"))
        .join(it.inbox_conversations, c.id == ours.c.cid)
        .where(ours.c.at >= c.first_inbound_at)
        .group_by(ours.c.cid)
        .subquery("first")
    )
    q = (
        select(a.network, a.handle, c.first_inbound_at, first.c.first_at)
        .join(t.accounts, a.id == c.account_id)
        .outerjoin(first, first.c.cid == c.id)
        .where(c.merged_into_id.is_(None), c.first_inbound_at.is_not(None))
    )
    if account is not None:
        q = q.where(a.handle == account.lstrip("@"))
    buckets: dict[tuple[str, str], _Bucket] = defaultdict(_Bucket)
    for network, handle, start, first_at in conn.execute(q):
        secs = (first_at - start).total_seconds() if first_at is not None else None
        buckets[(network, handle)].add(secs, first_at is not None)
    out = []
    for (network, handle), b in sorted(buckets.items()):
        fig = b.figures()
        out.append(
            {
                "account": handle,
                "network": network,
                "conversations": fig["inbound"],
                "answered": fig["answered"],
                "first_response_seconds": fig["first_response_seconds"],
            }
        )
    return out
