"""Rendering pages: Jinja2 templates with the signed-in user, the navigation and the CSRF token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from mutuals import __version__
from mutuals.web.auth import csrf_token, secret_key

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    permission: str
    order: int


def _number(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    fractional = isinstance(value, float) and not value.is_integer()
    text = f"{value:,.1f}" if fractional else f"{int(value):,}"
    return f"{text} {unit}".strip() if unit and unit != "%" else text + unit


def _tojson_attr(value: Any) -> Markup:
    # For data-* attributes read by static/app.js (no inline scripts: the CSP forbids them).
    return Markup.escape(json.dumps(value, separators=(",", ":")))


templates.env.filters["number"] = _number
templates.env.filters["json_attr"] = _tojson_attr


def csrf_for(request: Request) -> str:
    return csrf_token(secret_key(), request.state.csrf_nonce)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    nav: list[NavItem] = getattr(request.app.state, "nav", [])
    ctx = {
        "user": user,
        "nav": [n for n in nav if user is not None and user.can(n.permission)],
        "csrf_token": csrf_for(request) if hasattr(request.state, "csrf_nonce") else "",
        "version": __version__,
        "path": request.url.path,
        **context,
    }
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
