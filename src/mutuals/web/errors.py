"""The one place where errors become what a browser or a script sees.

A :class:`MutualsError` becomes its one-line message: an HTML error page for pages, ``{"error": ...}``
for /api. Anything else is a bug: it is logged with its traceback and shown as "internal error" with no
details (a traceback never reaches a user).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mutuals.errors import (
    AmbiguousError,
    ConfigError,
    ImportFormatError,
    InvalidInputError,
    MutualsError,
    NotFoundError,
    StorageError,
)
from mutuals.web.auth import LoginError, ThrottledError
from mutuals.web.deps import CsrfError, LoginRequired, PermissionDenied
from mutuals.web.templating import render

log = logging.getLogger("mutuals.web")

STATUS: list[tuple[type[MutualsError], int]] = [
    (LoginRequired, 401),
    (ThrottledError, 429),
    (LoginError, 401),
    (PermissionDenied, 403),
    (CsrfError, 403),
    (NotFoundError, 404),
    (AmbiguousError, 409),
    (ImportFormatError, 400),
    (InvalidInputError, 400),
    (StorageError, 503),
    (ConfigError, 500),
]


def status_of(exc: MutualsError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/healthz"


def _reply(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def handle(request: Request, exc: Exception) -> Response:
    """The web app's one exception handler (registered for every exception class below)."""
    if isinstance(exc, LoginRequired) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if isinstance(exc, MutualsError):
        response = _reply(request, status_of(exc), str(exc))
        if isinstance(exc, LoginRequired):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        return _reply(request, 422, f"{where or 'request'}: {first.get('msg', 'is not valid')}")
    if isinstance(exc, StarletteHTTPException):
        message = {404: "there is no such page", 405: "this page does not accept that method"}.get(
            exc.status_code, str(exc.detail)
        )
        return _reply(request, exc.status_code, message)
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return _reply(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")


def install(app: FastAPI) -> None:
    for cls in (MutualsError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(cls, handle)
