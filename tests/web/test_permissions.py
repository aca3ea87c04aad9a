"""Every route, called as every role and as an anonymous visitor, answers as the permission table says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mutuals.web.app import RouteInfo
from mutuals.web.auth import PERMISSIONS, ROLES

Clients = Callable[[str | None], TestClient]

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz")}
PATH_VALUES = {
    "run_id": "999999",
    "name": "nobody",
    "token_id": "999999",
    "metric": "followers",
    "person_id": "999999",
    "cid": "999999",
    "theme_id": "999999",
}


def _request(client: TestClient, route: RouteInfo, n: int) -> Any:
    path = route.path
    for key, value in PATH_VALUES.items():
        path = path.replace("{" + key + "}", value)
    kwargs: dict[str, Any] = {"follow_redirects": False}
    if route.method == "POST" and path in ("/imports", "/api/imports"):
        kwargs["files"] = {"file": ("notes.txt", b"not an export at all\n", "text/plain")}
        kwargs["data"] = {"csrf_token": client.headers.get("x-csrf-token", "")}
    elif route.path == "/api/users":
        kwargs["json"] = {"name": f"new{n}", "role": "viewer", "password": "long enough pw"}
    elif route.path.startswith("/api/goals/"):
        kwargs["json"] = {"target": 10}
    elif route.path == "/api/inbox/{cid}/reply":
        kwargs["json"] = {"text": "Thanks, Ana!"}
    elif route.path == "/api/people/merge":
        kwargs["json"] = {"keep": 999998, "other": 999999}
    elif route.method == "POST":
        kwargs["data"] = {
            "label": "x",
            "name": f"form{n}",
            "role": "viewer",
            "password": "long enough pw",
            "keep": "999998",
            "other": "999999",
            "text": "Thanks, Ana!",
            "state": "done",
        }
    return client.request(route.method, path, **kwargs)


def test_every_route_but_sign_in_and_healthz_checks_one_permission(app: FastAPI) -> None:
    routes: list[RouteInfo] = app.state.routes
    assert {(r.method, r.path) for r in routes if r.permission is None} == PUBLIC
    assert all(r.permission in PERMISSIONS for r in routes if r.permission is not None)


def test_every_api_operation_in_the_openapi_schema_is_in_the_route_table(app: FastAPI) -> None:
    known = {(r.method, r.path) for r in app.state.routes}
    ops = {(m.upper(), p) for p, item in app.openapi()["paths"].items() for m in item}
    assert ops and ops <= known


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_reaches_exactly_the_routes_of_its_permissions(
    app: FastAPI, client_for: Clients, role: str | None
) -> None:
    client = client_for(role)
    routes: list[RouteInfo] = sorted(app.state.routes, key=lambda r: r.path == "/logout")  # sign out last
    wrong = []
    for n, route in enumerate(routes):
        res = _request(client, route, n)
        code = res.status_code
        if route.permission is None:  # a wrong sign-in is a 401; never a 403 or a redirect to /login
            ok = code < 500 and code != 403 and "/login?next" not in res.headers.get("location", "")
        elif role is None:
            to_login = code == 303 and res.headers["location"].startswith("/login")
            ok = code == 401 if route.path.startswith("/api") else to_login
        elif role in PERMISSIONS[route.permission]:
            ok = code < 500 and code not in (401, 403)
        else:
            ok = code == 403
        if not ok:
            wrong.append(f"{route.method} {route.path} as {role}: {code}")
    assert wrong == []
