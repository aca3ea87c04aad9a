"""The inbox API (when mutuals.analytics.inbox is installed): the triage list, one conversation, the
reply coach and recording a reply."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import User
from mutuals.web.deps import Permission, RowId
from mutuals.web.pages.inbox import acting_member, available

__all__ = ["available", "router"]

router = APIRouter(tags=["inbox"])


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)
    check_only: bool = Field(False, description="Only run the reply coach; record nothing.")


@router.get("/inbox", summary="Conversations, most urgent first, with the reasons of each priority")
def inbox(
    state: str | None = Query(None, max_length=16),
    limit: int = Query(50, ge=1, le=1000),
    user: User = Depends(Permission("view")),
) -> list[dict[str, Any]]:
    from mutuals.analytics.inbox import conversations as cvs
    from mutuals.analytics.inbox.threads import sync_conversations

    with transaction(get_engine()) as conn:
        sync_conversations(conn)
        return [cv.summary() for cv in cvs.inbox(conn, state=state, limit=limit)]


@router.get("/inbox/{cid}", summary="One conversation with its messages")
def conversation(cid: RowId, user: User = Depends(Permission("view"))) -> dict[str, Any]:
    from mutuals.analytics.inbox import conversations as cvs

    with get_engine().connect() as conn:
        cv = cvs.get(conn, cid)
        return {
            **cv.summary(),
            "thread": [
                {
                    "direction": m.direction,
                    "kind": m.kind,
                    "at": m.occurred_at.isoformat() if m.occurred_at else None,
                    "text": m.text,
                }
                for m in cv.messages
            ],
            "notes": cvs.notes(conn, cid),
            "events": cvs.events(conn, cid),
        }


@router.post("/inbox/{cid}/reply", summary="Run the reply coach on a reply and (unless check_only) record it")
def reply(cid: RowId, body: Reply, user: User = Depends(Permission("respond"))) -> dict[str, Any]:
    from mutuals.analytics.inbox import actions

    with transaction(get_engine()) as conn:
        out = actions.reply(
            conn, cid, body.text, as_member=acting_member(conn, user), check_only=body.check_only
        )
    return out
