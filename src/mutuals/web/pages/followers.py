"""Followers: who came and who left (with who they are and their history with us), cohort retention as a
heatmap, churn per week, and why people left (the posts of each unfollow interval, and which kinds of post
go with more unfollows). Calls mutuals.analytics.followers."""

from __future__ import annotations

import importlib.util
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from mutuals.errors import MutualsError
from mutuals.storage.db import get_engine
from mutuals.web.auth import User
from mutuals.web.deps import Permission
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("Followers", "/followers", "view", 45)
MODULES = ("changes", "retention", "why_left", "common")
DIRECTIONS = ("follower", "following", "friend")
MAX_CHANGES = 50  # of each list, the newest
MAX_COHORTS = 52  # the newest cohort weeks
MAX_CHURN = 52
MAX_INTERVALS = 10
MAX_POSTS = 5


def available() -> bool:
    try:
        return all(importlib.util.find_spec(f"mutuals.analytics.followers.{m}") for m in MODULES)
    except ImportError:
        return False


def heat(share: float | None) -> str:
    """The CSS class of a heatmap cell (inline styles are forbidden by the CSP): heat-0 … heat-10."""
    return "heat-none" if share is None else f"heat-{round(max(0.0, min(1.0, share)) * 10)}"


@router.get("/followers")
def followers_page(
    request: Request,
    account: str = Query("", max_length=200),
    direction: str = Query("follower", pattern="^(follower|following|friend)$"),
    user: User = Depends(Permission("view")),
) -> Response:
    from mutuals.analytics.followers.changes import follower_changes
    from mutuals.analytics.followers.common import accounts_by_id
    from mutuals.analytics.followers.retention import retention
    from mutuals.analytics.followers.why_left import why_left

    form = {"account": account, "direction": direction}
    error = None
    ctx: dict[str, Any] = {"form": form, "directions": DIRECTIONS, "heat": heat}
    with get_engine().connect() as conn:
        ctx["accounts"] = sorted(f"{a['network']}:{a['handle']}" for a in accounts_by_id(conn).values())
        try:
            changes = follower_changes(conn, account=account or None, direction=direction, limit=MAX_CHANGES)
            kept = retention(conn, account=account or None, direction=direction)
            why = why_left(conn, account=account or None, direction=direction)
        except MutualsError as exc:
            error = str(exc)
    ctx["error"] = error
    if error is None:
        weeks = kept["churn"]["week"][-MAX_CHURN:]
        intervals = sorted(why["intervals"], key=lambda iv: iv["between"][1] or "", reverse=True)
        ctx.update(
            gained=list(reversed(changes["gained"])),
            lost=list(reversed(changes["lost"])),
            horizons=kept["cohorts"]["horizons"],
            cohorts=list(reversed(kept["cohorts"]["table"][-MAX_COHORTS:])),
            churn_chart={
                "periods": [b["period"] for b in weeks],
                "gained": [b["gained"] for b in weeks],
                "lost": [b["lost"] for b in weeks],
                "churn": [
                    None if b["churn_rate"] is None else round(100 * b["churn_rate"], 2) for b in weeks
                ],
            },
            why={
                "unfollows": why["unfollows"],
                "min_cases": why["min_cases"],
                "factors": why["factors"],
                "intervals": [
                    {**iv, "posts": iv["posts"][:MAX_POSTS]} for iv in intervals[:MAX_INTERVALS] if iv["lost"]
                ],
                "intervals_total": len(intervals),
            },
        )
    return render(request, "followers.html", ctx, status_code=400 if error else 200)
