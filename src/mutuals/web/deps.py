"""Who is asking, and may they: the sign-in and permission check every page and API route declares.

A route says ``user: User = Depends(Permission("view"))``. The check signs the request in from the
session cookie or an ``Authorization: Bearer`` API token, checks the CSRF token of cookie-authenticated
writes, and then the role. tests/web enumerates the app's routes and finds this dependency on each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from mutuals.errors import MutualsError
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import PERMISSIONS, User, csrf_ok, secret_key, session_user, token_user

SESSION_COOKIE = "mutuals_session"
CSRF_COOKIE = "mutuals_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Ids are INTEGER columns (32 bits on PostgreSQL): a larger id in a URL or form is a 422, not a database
#: overflow.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class LoginRequired(MutualsError):
    """The request carries no valid session or token."""


class PermissionDenied(MutualsError):
    """The user's role does not have the permission the route needs."""


class CsrfError(MutualsError):
    """A cookie-authenticated write without the form's CSRF token."""


def _resolve(request: Request) -> tuple[User | None, bool]:
    """(the user, whether the session cookie signed them in)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    with transaction(get_engine()) as conn:
        if scheme.lower() == "bearer" and value.strip():
            return token_user(conn, value.strip()), False
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            return session_user(conn, cookie), True
    return None, False


def check_csrf(request: Request, form: Mapping[str, Any] | None) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and form is not None:
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_ok(secret_key(), request.cookies.get(CSRF_COOKIE), sent):
        raise CsrfError("this form has expired or did not come from Mutuals: reload the page and try again")


class Permission:
    """The dependency that signs a request in and checks one permission of PERMISSIONS."""

    def __init__(self, name: str, *, csrf: bool = True) -> None:
        if name not in PERMISSIONS:
            raise ValueError(f"unknown permission {name!r}")
        self.name = name
        self.csrf = csrf
        """False only where the route checks the CSRF token itself (uploads: after the size check)."""

    async def __call__(self, request: Request) -> User:
        user, by_cookie = await run_in_threadpool(_resolve, request)
        if user is None:
            raise LoginRequired("sign in first")
        if by_cookie and self.csrf and request.method not in SAFE_METHODS:
            form = None
            ctype = request.headers.get("content-type", "")
            if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                form = await request.form()
            check_csrf(request, form)
        if not user.can(self.name):
            raise PermissionDenied(f"your role ({user.role}) may not do this (it needs “{self.name}”)")
        request.state.user = user
        return user
