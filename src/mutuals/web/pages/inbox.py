"""Inbox: the triage list with priority reasons, a conversation with the person's side panel, the reply
box with the reply coach's checks live (htmx), assign / done / snooze / reopen, keyboard shortcuts.
Calls mutuals.analytics.inbox; a signed-in user acts as the inbox team member of the same name (created
on their first action)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from mutuals.errors import MutualsError, NotFoundError
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import User
from mutuals.web.deps import Permission, RowId
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("Inbox", "/inbox", "view", 10)
MODULES = ("actions", "conversations", "team", "threads", "coach")
SNOOZES = {"3h": timedelta(hours=3), "1d": timedelta(days=1), "1w": timedelta(weeks=1)}


def available() -> bool:
    try:
        return all(importlib.util.find_spec(f"mutuals.analytics.inbox.{m}") for m in MODULES)
    except ImportError:
        return False


def acting_member(conn: Connection, user: User) -> str | None:
    """The inbox team member handle of ``user``; made on first use (None if the name cannot be one)."""
    from mutuals.analytics.inbox import team

    try:
        return team.member(conn, user.name).handle
    except NotFoundError:
        pass
    try:
        return team.add_member(
            conn, user.name, user.name, role="admin" if user.role == "admin" else "agent"
        ).handle
    except MutualsError:
        return None


@router.get("/inbox")
def inbox_page(
    request: Request, state: str = Query("", max_length=16), user: User = Depends(Permission("view"))
) -> Response:
    from mutuals.analytics.inbox import conversations as cvs
    from mutuals.analytics.inbox.threads import sync_conversations

    error = None
    rows: list[dict[str, Any]] = []
    try:
        with transaction(get_engine()) as conn:
            sync_conversations(conn)
            rows = [cv.summary() for cv in cvs.inbox(conn, state=state or None, limit=200)]
    except MutualsError as exc:
        error = str(exc)
    ctx = {"rows": rows, "state": state, "states": cvs.STATES, "error": error}
    return render(request, "inbox.html", ctx, status_code=400 if error else 200)


def _conversation(conn: Connection, cid: int) -> dict[str, Any]:
    from mutuals.analytics.inbox import conversations as cvs
    from mutuals.analytics.inbox import team

    cv = cvs.get(conn, cid)
    return {
        "cv": cv.summary(),
        "messages": cv.messages,
        "replies": cv.replies,
        "notes": cvs.notes(conn, cid),
        "events": cvs.events(conn, cid),
        "members": [m.handle for m in team.members(conn)],
    }


def _show(request: Request, cid: int, status_code: int = 200, **ctx: Any) -> Response:
    from mutuals.analytics.inbox.threads import sync_conversations

    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        data = _conversation(conn, cid)
    base = {"error": None, "draft": "", "coach": None, "recorded": None, "people": _people_installed()}
    return render(request, "conversation.html", {**data, **base, **ctx}, status_code=status_code)


def _people_installed() -> bool:
    return importlib.util.find_spec("mutuals.analytics.people.profile") is not None


@router.get("/inbox/{cid}")
def conversation_page(cid: RowId, request: Request, user: User = Depends(Permission("view"))) -> Response:
    return _show(request, cid)


@router.post("/inbox/{cid}/coach")
def coach_check(
    cid: RowId, request: Request, text: str = Form(""), user: User = Depends(Permission("respond"))
) -> Response:
    """The reply coach on a draft (htmx, as the user types): records nothing."""
    from mutuals.analytics.inbox import actions

    coaching, error = None, None
    if text.strip():
        try:
            with transaction(get_engine()) as conn:
                out = actions.reply(conn, cid, text, as_member=acting_member(conn, user), check_only=True)
            coaching = out["coach"]
        except MutualsError as exc:
            error = str(exc)
    return render(request, "_coach.html", {"coach": coaching, "error": error})


@router.post("/inbox/{cid}/reply")
def send_reply(
    cid: RowId, request: Request, text: str = Form(""), user: User = Depends(Permission("respond"))
) -> Response:
    from mutuals.analytics.inbox import actions

    try:
        with transaction(get_engine()) as conn:
            out = actions.reply(conn, cid, text, as_member=acting_member(conn, user))
    except MutualsError as exc:
        return _show(request, cid, 400, error=str(exc), draft=text)
    return _show(request, cid, recorded=out)


@router.post("/inbox/{cid}/state")
def change_state(
    cid: RowId,
    request: Request,
    state: str = Form(""),
    snooze: str = Form(""),
    user: User = Depends(Permission("respond")),
) -> Response:
    from mutuals.analytics.inbox import actions

    until = None
    if state == "snoozed":
        until = datetime.now(UTC) + SNOOZES.get(snooze, SNOOZES["3h"])
    try:
        with transaction(get_engine()) as conn:
            actions.set_state(conn, cid, state, until=until, as_member=acting_member(conn, user))
    except MutualsError as exc:
        return _show(request, cid, 400, error=str(exc))
    return RedirectResponse("/inbox" if state != "open" else f"/inbox/{cid}", status_code=303)


@router.post("/inbox/{cid}/assign")
def assign(
    cid: RowId, request: Request, member: str = Form(""), user: User = Depends(Permission("respond"))
) -> Response:
    from mutuals.analytics.inbox import actions

    try:
        with transaction(get_engine()) as conn:
            actions.assign(conn, cid, member or None, as_member=acting_member(conn, user))
    except MutualsError as exc:
        return _show(request, cid, 400, error=str(exc))
    return RedirectResponse(f"/inbox/{cid}", status_code=303)
