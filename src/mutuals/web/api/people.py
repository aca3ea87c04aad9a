"""The people API (when mutuals.analytics.people is installed): list, profile, merge suggestions, merge."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import User
from mutuals.web.deps import MAX_ROW_ID, Permission, RowId
from mutuals.web.pages.people import available

__all__ = ["available", "router"]

router = APIRouter(tags=["people"])


class Merge(BaseModel):
    keep: int = Field(ge=1, le=MAX_ROW_ID, description="The person to keep.")
    other: int = Field(ge=1, le=MAX_ROW_ID, description="The person merged into it.")


@router.get("/people", summary="People with score, stage, owed and last contact")
def people(
    stage: str | None = Query(None, max_length=32),
    tag: str | None = Query(None, max_length=64),
    sort: str = Query("score", max_length=16),
    limit: int = Query(50, ge=1, le=1000),
    user: User = Depends(Permission("view")),
) -> list[dict[str, Any]]:
    from mutuals.analytics.people import profile

    with transaction(get_engine()) as conn:  # list_people may refresh the stored list
        return profile.list_people(conn, stage=stage, tag=tag, sort=sort, limit=limit)


@router.get("/people/suggestions", summary="Pairs of people who are probably one person")
def suggestions(
    min_confidence: float = Query(0.3, ge=0, le=1), user: User = Depends(Permission("view"))
) -> list[dict[str, Any]]:
    from mutuals.analytics.people import resolution

    with transaction(get_engine()) as conn:
        return [s.as_dict() for s in resolution.suggestions(conn, min_confidence=min_confidence)[:500]]


@router.post("/people/merge", summary="Merge person `other` into person `keep`")
def merge(body: Merge, user: User = Depends(Permission("respond"))) -> dict[str, Any]:
    from mutuals.analytics.people import merge as m

    with transaction(get_engine()) as conn:
        log_id = m.merge(conn, body.keep, body.other)
    return {"kept": body.keep, "merged": body.other, "merge_id": log_id}


@router.get("/people/{person_id}", summary="A person's profile with the cross-network timeline")
def person(
    person_id: RowId, limit: int = Query(200, ge=1, le=5000), user: User = Depends(Permission("view"))
) -> dict[str, Any]:
    from mutuals.analytics.people import profile

    with get_engine().connect() as conn:
        return profile.person_profile(conn, person_id, limit=limit)
