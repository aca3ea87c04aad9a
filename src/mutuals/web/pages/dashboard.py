"""The dashboard: workspace numbers, the team's goals against the actual values, weekly trends."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mutuals.storage.db import get_engine
from mutuals.web.auth import User
from mutuals.web.dashboard import dashboard
from mutuals.web.deps import Permission
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("Dashboard", "/", "view", 0)


@router.get("/")
def dashboard_page(request: Request, user: User = Depends(Permission("view"))) -> Response:
    with get_engine().connect() as conn:
        data = dashboard(conn)
    return render(request, "dashboard.html", {"d": data})
