"""The ASGI app: ``create_app()`` builds it (``mutuals serve`` runs it with uvicorn).

Pages (``pages/``) and the JSON API (``api/``) are plug-ins listed in their package's ``MODULES``: each
module has a ``router`` and, for pages, an optional ``NAV`` item and ``available()`` check. A page whose
capability is not installed is simply not there.
"""

from __future__ import annotations

import importlib
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from mutuals import __version__
from mutuals.web import api, errors, metrics_plugins, pages
from mutuals.web.auth import User
from mutuals.web.deps import CSRF_COOKIE, Permission
from mutuals.web.templating import HERE, NavItem

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def _load(module_names: tuple[str, ...]) -> list[Any]:
    loaded = []
    for name in module_names:
        module = importlib.import_module(name)
        available = getattr(module, "available", None)
        if available is None or available():
            loaded.append(module)
    return loaded


def create_app() -> FastAPI:
    app = FastAPI(
        title="Mutuals",
        version=__version__,
        description="The Mutuals JSON API. Authenticate with `Authorization: Bearer TOKEN` "
        "(create one with `mutuals tokens create USER`).",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, behind sign-in
    )
    errors.install(app)
    metrics_plugins.install()
    app.middleware("http")(_csrf_cookie_and_headers)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    nav: list[NavItem] = []
    table: list[RouteInfo] = []
    for module in _load(pages.MODULES):
        app.include_router(module.router)
        table += _routes(module.router, "")
        if getattr(module, "NAV", None) is not None:
            nav.append(module.NAV)
    app.state.nav = sorted(nav, key=lambda n: n.order)
    for module in _load(api.MODULES):
        app.include_router(module.router, prefix="/api")
        table += _routes(module.router, "/api")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(user: User = Depends(Permission("view"))) -> JSONResponse:
        return JSONResponse(app.openapi())

    table += _routes(app.router, "", top_level_only=True)
    app.state.routes = table
    return app


@dataclass(frozen=True)
class RouteInfo:
    """One route, and the permission its Permission dependency checks (None: public)."""

    method: str
    path: str
    permission: str | None


def _routes(router: APIRouter, prefix: str, *, top_level_only: bool = False) -> list[RouteInfo]:
    out = []
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        perms = [d.call.name for d in route.dependant.dependencies if isinstance(d.call, Permission)]
        if len(perms) > 1:
            raise RuntimeError(f"{route.path} declares several permissions: {perms}")
        for method in sorted(route.methods or ()):
            out.append(RouteInfo(method, prefix + route.path, perms[0] if perms else None))
    return out


async def _csrf_cookie_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    nonce = request.cookies.get(CSRF_COOKIE)
    fresh = not nonce or len(nonce) > 100
    request.state.csrf_nonce = secrets.token_urlsafe(24) if fresh else nonce
    started = time.perf_counter()
    response = await call_next(request)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_nonce,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
