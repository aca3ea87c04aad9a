"""``mutuals inbox``: conversations, their state, response metrics, the reply coach (docs/cli/inbox.md).

Thin wrappers over mutuals.analytics.inbox; every read command has --json.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from mutuals.analytics.inbox import acknowledge, actions, team
from mutuals.analytics.inbox import conversations as cvs
from mutuals.analytics.inbox.metrics import response_metrics
from mutuals.analytics.inbox.threads import sync_conversations
from mutuals.cli.output import console, print_json, table
from mutuals.cli.params import parse_when
from mutuals.errors import InvalidInputError
from mutuals.storage.db import get_engine, transaction

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AccountOpt = Annotated[str | None, typer.Option("--account", help="Only this account of ours (handle).")]
AsOpt = Annotated[str | None, typer.Option("--as", help="The team member doing this (handle).")]
IdArg = Annotated[int, typer.Argument(help="The conversation id (see mutuals inbox).")]

inbox_app = typer.Typer(help="Conversations waiting for us, response times, and the reply coach.")
team_app = typer.Typer(help="The team members who answer in the inbox.")
inbox_app.add_typer(team_app, name="team")


def register(app: typer.Typer) -> None:
    app.add_typer(inbox_app, name="inbox")


@inbox_app.callback(invoke_without_command=True)
def inbox(
    ctx: typer.Context,
    account: AccountOpt = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help="open, waiting, snoozed, done or all (default: open and waiting)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many conversations to show.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """The inbox, most urgent first, with the reasons for each priority."""
    if ctx.invoked_subcommand is not None:
        return
    with transaction(get_engine()) as conn:
        if account:
            cvs.accounts_named(conn, account)
        sync_conversations(conn)
        found = cvs.inbox(conn, account=account, state=state, limit=limit)
    rows = [cv.summary() for cv in found]
    if json_:
        print_json({"conversations": rows})
        return
    table(
        "Inbox",
        ["id", "state", "priority", "account", "person", "last message", "why"],
        [
            (
                r["id"],
                r["state"],
                f"{r['priority_label']} ({r['priority']})",
                r["account"],
                _who(r["person"]),
                _short(r["last_inbound_text"]),
                "; ".join(r["reasons"]),
            )
            for r in rows
        ],
    )


def _who(person: dict[str, Any] | None) -> str:
    if not person:
        return ""
    return str(person.get("display_name") or "@" + str(person.get("handle") or "?"))


def _short(text: str | None, n: int = 60) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= n else one[: n - 1] + "…"


@inbox_app.command("show")
def show(conversation: IdArg, json_: JsonOpt = False) -> None:
    """One conversation: its messages, replies recorded, notes, and the log of changes."""
    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        cv = cvs.get(conn, conversation)
        data = {
            **cv.summary(),
            "thread": [
                {
                    "direction": m.direction,
                    "kind": m.kind,
                    "key": m.key,
                    "at": m.occurred_at.isoformat() if m.occurred_at else None,
                    "text": m.text,
                }
                for m in cv.messages
            ],
            "replies": [{**r, "at": r["at"].isoformat()} for r in cv.replies],
            "notes": cvs.notes(conn, conversation),
            "events": cvs.events(conn, conversation),
        }
    if json_:
        print_json(data)
        return
    console.print(
        f"[bold]Conversation {data['id']}[/bold] — {data['account']} on {data['network']}, "
        f"{data['state']}, priority {data['priority_label']} ({'; '.join(data['reasons']) or 'no reasons'})"
        + (f", assigned to {data['assignee']}" if data["assignee"] else "")
    )
    table(
        None,
        ["when", "", "text"],
        [(m["at"], "them" if m["direction"] == "inbound" else "us", m["text"]) for m in data["thread"]],
    )
    for r in data["replies"]:
        console.print(f"reply by {r['actor']} at {r['at']}: {r['text']}")
    for n in data["notes"]:
        console.print(f"note by {n['actor']} at {n['at']}: {n['text']}")
    for e in data["events"]:
        console.print(f"{e['at']} {e['actor']}: {e['action']} {e['detail'] or ''}")


@inbox_app.command("assign")
def assign(
    conversation: IdArg,
    member: Annotated[str, typer.Argument(help="The team member's handle.")],
    as_: AsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Assign a conversation to a team member."""
    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        out = actions.assign(conn, conversation, member, as_member=as_)
    _done(out, json_, f"conversation {conversation} assigned to {out['assignee']}")


@inbox_app.command("done")
def done(conversation: IdArg, as_: AsOpt = None, json_: JsonOpt = False) -> None:
    """Mark a conversation done (it reopens when they write again)."""
    _state(conversation, "done", None, as_, json_)


@inbox_app.command("reopen")
def reopen(conversation: IdArg, as_: AsOpt = None, json_: JsonOpt = False) -> None:
    """Reopen a conversation that was done or snoozed."""
    _state(conversation, "open", None, as_, json_)


@inbox_app.command("snooze")
def snooze(
    conversation: IdArg,
    until: Annotated[
        str | None, typer.Option("--until", help="Until when (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC).")
    ] = None,
    for_: Annotated[str | None, typer.Option("--for", help="For how long: 30m, 3h, 2d.")] = None,
    as_: AsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Snooze a conversation until a time; it comes back as open then."""
    _state(conversation, "snoozed", _until(until, for_), as_, json_)


def _until(until: str | None, for_: str | None) -> datetime:
    if (until is None) == (for_ is None):
        raise InvalidInputError("snooze needs exactly one of --until DATE or --for DURATION")
    if for_ is not None:
        m = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", for_)
        if not m:
            raise InvalidInputError(f"--for {for_!r} is not a duration like 30m, 3h or 2d")
        unit = {"m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
        return datetime.now(UTC) + timedelta(**{unit: int(m.group(1))})
    parsed = parse_when(until, "--until")
    assert parsed is not None
    return parsed


def _state(conversation: int, state: str, until: datetime | None, as_: str | None, json_: bool) -> None:
    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        out = actions.set_state(conn, conversation, state, until=until, as_member=as_)
    _done(
        out,
        json_,
        f"conversation {conversation} is {state}" + (f" until {until.isoformat()}" if until else ""),
    )


def _done(out: dict[str, Any], json_: bool, message: str) -> None:
    if json_:
        print_json(out)
    else:
        console.print(message)


@inbox_app.command("note")
def note(
    conversation: IdArg,
    text: Annotated[str, typer.Option("--text", help="The internal note (never sent).")],
    as_: AsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Add an internal note to a conversation."""
    with transaction(get_engine()) as conn:
        out = actions.add_note(conn, conversation, text, as_member=as_)
    _done(out, json_, f"note added to conversation {conversation}")


@inbox_app.command("reply")
def reply(
    conversation: IdArg,
    text: Annotated[str, typer.Option("--text", help="The reply.")],
    check_only: Annotated[
        bool, typer.Option("--check-only", help="Only run the reply coach; record nothing.")
    ] = False,
    as_: AsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Run the reply coach on a reply and record it (copy it to the network: no live connector yet)."""
    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        out = actions.reply(conn, conversation, text, as_member=as_, check_only=check_only)
    if json_:
        print_json(out)
        return
    c = out["coach"]
    limit = f" of {c['limit']}" if c["limit"] else ""
    console.print(f"{c['length']}{limit} {c['unit']}")
    for w in c["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {w}")
    for s in c["suggestions"]:
        console.print(f"suggestion: {s}")
    for prev in c["closest"]:
        console.print(
            f"  {prev['similarity']:.0%} like (to {prev['to']}, {prev['at']}): {_short(prev['text'], 90)}"
        )
    if out["recorded"]:
        console.print(
            f"recorded as the answer by {out['actor']}; no live connector for {out['network']}: "
            "copy the text and post it there."
        )


@inbox_app.command("metrics")
def metrics(account: AccountOpt = None, json_: JsonOpt = False) -> None:
    """First response time (median, p90), response rate, SLA breaches, per account, network, agent, hour."""
    with transaction(get_engine()) as conn:
        data = response_metrics(conn, account)
    if json_:
        print_json(data)
        return
    sla = {(s["network"], s["account"]): s for s in data["sla"]["accounts"]}
    table(
        f"Response times (SLA {data['sla']['target_minutes']} min, {data['sla']['business_hours']})",
        ["account", "network", "inbound", "answered", "rate", "median", "p90", "SLA breaches"],
        [
            (
                a["account"],
                a["network"],
                a["inbound"],
                a["answered"],
                f"{a['response_rate']:.1%}" if a["response_rate"] is not None else "",
                _duration(a["first_response_seconds"]["median"]),
                _duration(a["first_response_seconds"]["p90"]),
                sla.get((a["network"], a["account"]), {}).get("breaches", ""),
            )
            for a in data["accounts"]
        ],
    )
    table(
        "Agents",
        ["agent", "replies", "personalised", "median first response"],
        [
            (
                g["agent"],
                g["replies"],
                f"{g['personalisation_rate']:.0%}" if g["personalisation_rate"] is not None else "",
                _duration(g["first_response_seconds"]["median"]),
            )
            for g in data["agents"]
        ],
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h" if seconds < 172_800 else f"{seconds / 86400:.1f} d"


@inbox_app.command("acknowledge")
def acknowledge_(
    account: AccountOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many people to show.")] = 100,
    json_: JsonOpt = False,
) -> None:
    """People who replied to or commented on our posts and got no acknowledgement yet, oldest first."""
    with get_engine().connect() as conn:
        if account:
            cvs.accounts_named(conn, account)
        rows = acknowledge.queue(conn, account, limit)
    if json_:
        print_json({"people": rows})
        return
    table(
        "Not yet acknowledged",
        ["since", "account", "person", "messages"],
        [
            (r["oldest_at"], r["account"], r["display_name"] or "@" + str(r["handle"]), r["messages"])
            for r in rows
        ],
    )


@team_app.command("add")
def team_add(
    handle: Annotated[str, typer.Argument(help="Short handle used with --as and assign.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    sign_off: Annotated[
        str | None, typer.Option("--sign-off", help="What they sign replies with, e.g. ^PK or -Priya.")
    ] = None,
    role: Annotated[str, typer.Option("--role", help="agent, lead or admin.")] = "agent",
    json_: JsonOpt = False,
) -> None:
    """Add a team member."""
    with transaction(get_engine()) as conn:
        m = team.add_member(conn, handle, name, sign_off=sign_off, role=role)
    _done(m.as_dict(), json_, f"team member {m.handle} added")


@team_app.command("list")
def team_list(json_: JsonOpt = False) -> None:
    """The team members."""
    with get_engine().connect() as conn:
        rows = [m.as_dict() for m in team.members(conn)]
    if json_:
        print_json({"members": rows})
        return
    table(
        "Team",
        ["handle", "name", "sign-off", "role"],
        [(r["handle"], r["name"], r["sign_off"], r["role"]) for r in rows],
    )
