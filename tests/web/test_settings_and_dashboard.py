from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from mutuals.ingest.demo import load_demo
from mutuals.storage import web_tables as w
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import list_users
from mutuals.web.dashboard import WINDOW_DAYS
from tests.web.conftest import login, webtest_csv

Clients = Callable[[str | None], TestClient]


def _goal_row(html: str, label: str) -> list[str]:
    found = re.search(
        rf'<td><span title="[^"]*">{re.escape(label)}</span></td>\s*<td class="r">([^<]*)</td>\s*'
        rf'<td class="r">([^<]*)</td>\s*<td><span class="badge \w+">([^<]*)</span>',
        html,
    )
    assert found, label
    return list(found.groups())


def test_a_manager_sets_a_goal_and_the_dashboard_compares_it_with_the_actual_value(
    client_for: Clients,
) -> None:
    rows = [
        ("p1", "P One", "2026-03-01T10:00:00", "hi"),
        ("p2", "P Two", "2026-03-20T10:00:00", "hello"),
        ("p1", "P One", "2026-03-25T10:00:00", "again"),
        ("old", "Old One", "2026-01-01T10:00:00", "long ago"),
    ]
    newest = max(datetime.fromisoformat(r[2]) for r in rows)
    in_window = {r[0] for r in rows if datetime.fromisoformat(r[2]) > newest - timedelta(days=WINDOW_DAYS)}
    manager = client_for("manager")
    up = manager.post(
        "/imports",
        files={"file": ("m.csv", webtest_csv(rows), "text/csv")},
        data={"csrf_token": manager.headers["x-csrf-token"]},
    )
    assert up.status_code == 200
    target = len(in_window) + 1
    res = manager.post(
        "/settings/goals", data={"goal_people_writing_30d": str(target)}, follow_redirects=False
    )
    assert res.status_code == 303
    page = client_for("viewer").get("/").text
    assert _goal_row(page, "People who wrote to us (30 days)") == [
        str(len(in_window)),
        str(target),
        "below goal",
    ]
    manager.post("/settings/goals", data={"goal_people_writing_30d": str(len(in_window))})
    page = client_for("viewer").get("/").text
    assert _goal_row(page, "People who wrote to us (30 days)")[2] == "met"


def test_a_goal_that_is_not_a_number_is_refused_and_the_text_kept(client_for: Clients) -> None:
    res = client_for("manager").post("/settings/goals", data={"goal_followers": "lots"})
    assert res.status_code == 400
    assert "is not a number: &#39;lots&#39;" in res.text
    assert 'value="lots"' in res.text
    with get_engine().connect() as conn:
        assert conn.execute(select(w.team_goals)).first() is None


def test_an_agent_sees_the_goals_but_has_no_form_to_change_them(client_for: Clients) -> None:
    page = client_for("agent").get("/settings").text
    assert "Team goals" in page and 'action="/settings/goals"' not in page
    assert "Team members and roles" not in page


def test_an_admin_adds_a_team_member_who_can_then_sign_in(client_for: Clients, app: object) -> None:
    admin = client_for("admin")
    res = admin.post("/settings/users", data={"name": "priya", "role": "agent", "password": "short"})
    assert res.status_code == 400 and "too short" in res.text and 'value="priya"' in res.text
    res = admin.post(
        "/settings/users",
        data={"name": "priya", "role": "agent", "password": "a long password"},
        follow_redirects=False,
    )
    assert res.status_code == 303
    with get_engine().connect() as conn:
        assert {"name": "priya", "role": "agent"}.items() <= next(
            u for u in list_users(conn) if u["name"] == "priya"
        ).items()
    assert login(TestClient(app), "priya", "a long password").status_code == 303  # type: ignore[arg-type]


def test_the_only_admin_cannot_be_demoted(client_for: Clients) -> None:
    res = client_for("admin").post("/settings/users/admin/role", data={"role": "viewer"})
    assert res.status_code == 400 and "only admin" in res.text
    with get_engine().connect() as conn:
        assert next(u for u in list_users(conn) if u["name"] == "admin")["role"] == "admin"


def test_a_token_made_on_the_settings_page_is_shown_once_and_works(client_for: Clients) -> None:
    viewer = client_for("viewer")
    page = viewer.post("/settings/tokens", data={"label": "my script"}).text
    token = re.search(r'<code class="token">(mut_[^<]+)</code>', page)
    assert token
    assert token.group(1) not in viewer.get("/settings").text
    script = client_for(None)
    assert (
        script.get("/api/me", headers={"Authorization": f"Bearer {token.group(1)}"}).json()["name"]
        == "viewer"
    )


def test_wiping_the_workspace_keeps_the_team_and_its_goals(client_for: Clients) -> None:
    client_for("manager").post("/settings/goals", data={"goal_followers": "100"})
    load_demo(reset=True)
    with transaction() as conn:
        assert len(list_users(conn)) == 4
        assert conn.execute(select(w.team_goals.c.target)).scalar_one() == 100


def test_the_dashboard_of_the_demo_workspace_shows_its_numbers_and_a_trend_chart(client_for: Clients) -> None:
    load_demo()
    page = client_for("viewer").get("/")
    assert page.status_code == 200
    assert 'data-chart="' in page.text
    data = client_for("viewer").get("/api/dashboard").json()
    assert data["status"]["people"] > 0
    assert sum(data["trends"]["messages_in"]) > 0 and sum(data["trends"]["followers_lost"]) > 0


def test_the_cached_dashboard_shows_new_numbers_right_after_an_import(client_for: Clients) -> None:
    from mutuals.storage.queries import workspace_status

    viewer, manager = client_for("viewer"), client_for("manager")
    assert viewer.get("/api/status").json()["interactions"]["total"] == 0
    rows = [("q1", "Q One", "2026-03-01T10:00:00", "hi"), ("q2", "Q Two", "2026-03-02T10:00:00", "yo")]
    manager.post(
        "/imports",
        files={"file": ("m.csv", webtest_csv(rows), "text/csv")},
        data={"csrf_token": manager.headers["x-csrf-token"]},
    )
    with get_engine().connect() as conn:
        expected = workspace_status(conn)
    assert expected["interactions"]["total"] == len(rows)
    assert viewer.get("/api/status").json() == expected
    assert viewer.get("/api/dashboard").json()["status"] == expected
