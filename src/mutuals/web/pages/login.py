"""Signing in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import (
    WRONG_LOGIN,
    LoginError,
    User,
    authenticate,
    create_session,
    end_session,
    secret_key,
)
from mutuals.web.deps import SESSION_COOKIE, Permission, check_csrf
from mutuals.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(value: str | None) -> str:
    # Only paths on this site: never //host or a scheme (an open redirect).
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "name": "", "error": None})


@router.post("/login")
async def login(
    request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    form = await request.form()
    target = _safe_next(next)
    try:
        check_csrf(request, form)
        token = await run_in_threadpool(
            _sign_in, name, password, request.client.host if request.client else ""
        )
    except LoginError as exc:
        ctx = {"next": target, "name": name, "error": str(exc)}
        return render(request, "login.html", ctx, status_code=429 if exc.retryable else 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _sign_in(name: str, password: str, remote: str) -> str:
    secret_key()  # a broken secret setting shows before a session is made
    with transaction(get_engine()) as conn:
        user = authenticate(conn, name, password, remote)
    # The attempt is recorded (committed) even when the sign-in fails.
    if user is None:
        raise LoginError(WRONG_LOGIN)
    with transaction(get_engine()) as conn:
        return create_session(conn, user)


@router.post("/logout")
def logout(request: Request, user: User = Depends(Permission("view"))) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with transaction(get_engine()) as conn:
            end_session(conn, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
