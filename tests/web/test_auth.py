from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mutuals.storage import web_tables as w
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import MAX_FAILURES_PER_NAME, create_token
from mutuals.web.deps import CSRF_HEADER, SESSION_COOKIE
from tests.web.conftest import PASSWORD, csrf_of, login

Clients = Callable[[str | None], TestClient]


def test_a_page_sends_an_anonymous_visitor_to_the_sign_in_page(client_for: Clients) -> None:
    res = client_for(None).get("/settings?x=1", follow_redirects=False)
    assert res.status_code == 303
    assert res.headers["location"] == "/login?next=%2Fsettings%3Fx%3D1"


def test_the_api_answers_an_anonymous_caller_with_401_json(client_for: Clients) -> None:
    res = client_for(None).get("/api/status")
    assert res.status_code == 401
    assert res.json() == {"error": "sign in first"}


def test_healthz_and_the_sign_in_page_need_no_sign_in(client_for: Clients) -> None:
    anon = client_for(None)
    assert anon.get("/healthz").json()["status"] == "ok"
    assert anon.get("/login").status_code == 200


def test_signing_in_with_the_right_password_opens_the_dashboard(app: FastAPI) -> None:
    client = TestClient(app)
    res = login(client, "viewer")
    assert res.status_code == 303 and res.headers["location"] == "/"
    cookie = res.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "Dashboard" in page.text and "viewer" in page.text


def test_a_wrong_password_is_refused_and_keeps_the_name_typed(app: FastAPI) -> None:
    client = TestClient(app)
    res = login(client, "agent", "wrong password!")
    assert res.status_code == 401
    assert "the name or the password is wrong" in res.text
    assert 'value="agent"' in res.text
    assert SESSION_COOKIE not in client.cookies


def test_the_sign_in_form_without_its_csrf_token_is_refused(app: FastAPI) -> None:
    client = TestClient(app)
    client.get("/login")
    res = client.post("/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert res.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_a_form_without_the_csrf_token_changes_nothing(client_for: Clients) -> None:
    client = client_for("manager")
    del client.headers[CSRF_HEADER]
    res = client.post("/settings/goals", data={"goal_followers": "100"})
    assert res.status_code == 403
    assert "form has expired" in res.text
    with get_engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(w.team_goals)).scalar_one() == 0


def test_a_csrf_token_made_for_another_browser_is_refused(client_for: Clients) -> None:
    mine = client_for("manager")
    other = client_for("manager")
    mine.headers[CSRF_HEADER] = other.headers[CSRF_HEADER]
    assert mine.headers[CSRF_HEADER] != csrf_of(client_for(None).get("/login").text)
    res = mine.post("/settings/goals", data={"goal_followers": "100"})
    assert res.status_code == 403


def test_too_many_failed_sign_ins_lock_the_name_for_every_worker(app: FastAPI) -> None:
    from mutuals.web.app import create_app

    client = TestClient(app)
    for _ in range(MAX_FAILURES_PER_NAME):
        assert login(client, "admin", "not the password").status_code == 401
    with get_engine().connect() as conn:
        failed = conn.execute(
            select(func.count()).where(
                w.login_attempts.c.name == "admin", w.login_attempts.c.succeeded.is_(False)
            )
        ).scalar_one()
    assert failed == MAX_FAILURES_PER_NAME
    # The right password is refused now, also by a second app (another worker process shares the DB).
    res = login(TestClient(create_app()), "admin", PASSWORD)
    assert res.status_code == 429
    assert "too many failed sign-ins" in res.text
    # Other names are not affected.
    assert login(TestClient(app), "viewer").status_code == 303


def test_signing_out_ends_the_session_on_the_server(client_for: Clients) -> None:
    client = client_for("agent")
    stolen = client.cookies[SESSION_COOKIE]
    res = client.post("/logout", follow_redirects=False)
    assert res.status_code == 303
    replay = client_for(None)
    replay.cookies.set(SESSION_COOKIE, stolen)
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_an_api_token_signs_a_script_in_with_its_users_role_and_needs_no_csrf(client_for: Clients) -> None:
    with transaction() as conn:
        token = create_token(conn, "manager", "test")
    with get_engine().connect() as conn:
        stored = [r.token_hash for r in conn.execute(select(w.api_tokens.c.token_hash))]
    assert token not in stored and len(stored) == 1
    script = client_for(None)
    del script.headers[CSRF_HEADER]
    auth = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/me", headers=auth).json()["role"] == "manager"
    assert script.put("/api/goals/followers", json={"target": 5}, headers=auth).status_code == 200
    assert script.get("/api/users", headers=auth).status_code == 403
    assert script.get("/api/me", headers={"Authorization": "Bearer mut_nope"}).status_code == 401
