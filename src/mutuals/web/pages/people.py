"""People: the list (filters by stage and tag, search by handle), a person's profile with the
cross-network timeline, and merge suggestions to confirm. Calls mutuals.analytics.people."""

from __future__ import annotations

import importlib.util
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from mutuals.errors import MutualsError
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import User
from mutuals.web.deps import MAX_ROW_ID, Permission, RowId
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("People", "/people", "view", 30)
MODULES = ("profile", "resolution", "merge", "stages", "common")


def available() -> bool:
    try:
        return all(importlib.util.find_spec(f"mutuals.analytics.people.{m}") for m in MODULES)
    except ImportError:
        return False


def _list(stage: str | None, tag: str | None, sort: str, limit: int) -> list[dict[str, Any]]:
    from mutuals.analytics.people import profile

    with transaction(get_engine()) as conn:  # list_people may refresh the stored list
        return profile.list_people(conn, stage=stage or None, tag=tag or None, sort=sort, limit=limit)


@router.get("/people")
def people_page(
    request: Request,
    q: str = Query("", max_length=200),
    stage: str = Query("", max_length=32),
    tag: str = Query("", max_length=64),
    sort: str = Query("score", max_length=16),
    user: User = Depends(Permission("view")),
) -> Response:
    from mutuals.analytics.people import stages
    from mutuals.analytics.people.common import find_person
    from mutuals.analytics.people.profile import SORTS

    error = None
    form = {"q": q, "stage": stage, "tag": tag, "sort": sort}
    if q.strip():
        try:
            with get_engine().connect() as conn:
                pid = find_person(conn, q)
            return RedirectResponse(f"/people/{pid}", status_code=303)
        except MutualsError as exc:
            error = str(exc)
    rows: list[dict[str, Any]] = []
    try:
        rows = _list(stage, tag, sort, 100)
    except MutualsError as exc:
        error = error or str(exc)
    ctx = {"rows": rows, "form": form, "error": error, "stages": stages.STAGES, "sorts": SORTS}
    return render(request, "people.html", ctx, status_code=400 if error else 200)


@router.get("/people/suggestions")
def suggestions_page(request: Request, user: User = Depends(Permission("view"))) -> Response:
    from mutuals.analytics.people import resolution

    # Rebuilding the match keys writes; a viewer's visit may do that too (it changes no person).
    with transaction(get_engine()) as conn:
        found = resolution.suggestions(conn, min_confidence=0.3)
    rows = [s.as_dict() for s in found[:100]]
    return render(request, "suggestions.html", {"rows": rows, "total": len(found), "error": None})


@router.post("/people/merge")
def merge_people(
    request: Request,
    keep: int = Form(..., ge=1, le=MAX_ROW_ID),
    other: int = Form(..., ge=1, le=MAX_ROW_ID),
    user: User = Depends(Permission("respond")),
) -> Response:
    from mutuals.analytics.people import merge

    try:
        with transaction(get_engine()) as conn:
            merge.merge(conn, keep, other)
    except MutualsError as exc:
        return render(request, "error.html", {"status": 400, "message": str(exc)}, status_code=400)
    return RedirectResponse(f"/people/{keep}?merged={other}", status_code=303)


@router.get("/people/{person_id}")
def person_page(
    person_id: RowId, request: Request, merged: int | None = None, user: User = Depends(Permission("view"))
) -> Response:
    from mutuals.analytics.people import profile

    with get_engine().connect() as conn:
        data = profile.person_profile(conn, person_id, limit=200)
    return render(request, "person.html", {"p": data, "merged": merged})
