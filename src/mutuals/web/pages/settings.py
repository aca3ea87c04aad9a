"""Settings: our accounts, the team (members and roles), the team's goals, personal API tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from mutuals.errors import InvalidInputError, MutualsError
from mutuals.storage.db import get_engine, transaction
from mutuals.web import auth
from mutuals.web.auth import ROLES, User
from mutuals.web.dashboard import METRICS, accounts, goals, set_goal
from mutuals.web.deps import Permission, RowId
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("Settings", "/settings", "view", 90)


def _page(request: Request, user: User, status_code: int = 200, **ctx: Any) -> Response:
    with get_engine().connect() as conn:
        base = {
            "accounts": accounts(conn),
            "users": auth.list_users(conn) if user.can("team") else [],
            "roles": ROLES,
            "metrics": list(METRICS.values()),
            "goals": goals(conn),
            "tokens": auth.list_tokens(conn, user),
            "permissions": auth.PERMISSIONS,
            "error": None,
            "error_section": None,
            "new_token": None,
            "new_user": {"name": "", "role": "agent"},
            "goal_values": None,
        }
    return render(request, "settings.html", {**base, **ctx}, status_code=status_code)


@router.get("/settings")
def settings_page(request: Request, user: User = Depends(Permission("view"))) -> Response:
    return _page(request, user)


def _back(section: str) -> Response:
    return RedirectResponse(f"/settings#{section}", status_code=303)


@router.post("/settings/goals")
async def save_goals(request: Request, user: User = Depends(Permission("goals"))) -> Response:
    form = await request.form()
    typed = {m: str(form.get(f"goal_{m}") or "").strip() for m in METRICS}
    try:
        parsed: dict[str, float | None] = {}
        for key, text in typed.items():
            try:
                parsed[key] = float(text.replace(",", "")) if text else None
            except ValueError:
                raise InvalidInputError(
                    f"the goal for {METRICS[key].label} is not a number: {text!r}"
                ) from None
        with transaction(get_engine()) as conn:
            for key, value in parsed.items():
                set_goal(conn, key, value, by=user.name)
    except MutualsError as exc:
        return _page(request, user, 400, error=str(exc), error_section="goals", goal_values=typed)
    return _back("goals")


@router.post("/settings/users")
def add_user(
    request: Request,
    name: str = Form(""),
    role: str = Form("agent"),
    password: str = Form(""),
    user: User = Depends(Permission("team")),
) -> Response:
    try:
        with transaction(get_engine()) as conn:
            auth.create_user(conn, name, role, password)
    except MutualsError as exc:
        ctx = {"error": str(exc), "error_section": "team", "new_user": {"name": name, "role": role}}
        return _page(request, user, 400, **ctx)
    return _back("team")


@router.post("/settings/users/{name}/role")
def change_role(
    name: str, request: Request, role: str = Form(""), user: User = Depends(Permission("team"))
) -> Response:
    try:
        with transaction(get_engine()) as conn:
            auth.set_role(conn, name, role)
    except MutualsError as exc:
        return _page(request, user, 400, error=str(exc), error_section="team")
    return _back("team")


@router.post("/settings/users/{name}/active")
def change_active(
    name: str, request: Request, active: str = Form(""), user: User = Depends(Permission("team"))
) -> Response:
    try:
        with transaction(get_engine()) as conn:
            auth.set_active(conn, name, active == "1")
    except MutualsError as exc:
        return _page(request, user, 400, error=str(exc), error_section="team")
    return _back("team")


@router.post("/settings/tokens")
def new_token(
    request: Request, label: str = Form("script"), user: User = Depends(Permission("view"))
) -> Response:
    with transaction(get_engine()) as conn:
        token = auth.create_token(conn, user.name, label.strip() or "script")
    return _page(request, user, new_token=token)


@router.post("/settings/tokens/{token_id}/revoke")
def revoke(token_id: RowId, request: Request, user: User = Depends(Permission("view"))) -> Response:
    try:
        with transaction(get_engine()) as conn:
            auth.revoke_token(conn, user, token_id)
    except MutualsError as exc:
        return _page(request, user, 404, error=str(exc), error_section="tokens")
    return _back("tokens")
