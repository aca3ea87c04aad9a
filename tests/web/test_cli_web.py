from __future__ import annotations

import io
import json
from typing import Any

import pytest

from mutuals.storage.db import get_engine
from mutuals.web.auth import session_user, token_user


def test_users_add_reads_the_password_from_stdin_and_users_list_shows_the_user(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
    res = cli("users", "add", "priya", "--role", "manager", "--password-stdin")
    assert res.code == 0, res.err
    listed = json.loads(cli("users", "list", "--json").out)
    assert [(u["name"], u["role"], u["active"]) for u in listed] == [("priya", "manager", True)]


def test_users_add_refuses_an_unknown_role_and_a_short_password(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
    res = cli("users", "add", "x", "--role", "boss", "--password-stdin")
    assert res.code == 1 and "role 'boss' is not one of: admin, manager, agent, viewer" in res.err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    res = cli("users", "add", "x", "--role", "agent", "--password-stdin")
    assert res.code == 1 and "too short" in res.err
    assert json.loads(cli("users", "list", "--json").out) == []


def test_tokens_create_prints_a_token_that_signs_in_as_that_user(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
    assert cli("users", "add", "bot", "--role", "viewer", "--password-stdin").code == 0
    res = cli("tokens", "create", "bot", "--label", "cron")
    assert res.code == 0, res.err
    token = res.out.strip()
    with get_engine().begin() as conn:
        user = token_user(conn, token)
        assert user is not None and (user.name, user.role) == ("bot", "viewer")
        assert session_user(conn, token) is None
    assert cli("tokens", "create", "nobody").code == 1


def test_users_role_changes_a_role(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, role in (("a", "admin"), ("b", "agent")):
        monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
        assert cli("users", "add", name, "--role", role, "--password-stdin").code == 0
    assert cli("users", "role", "b", "manager").code == 0
    assert {u["name"]: u["role"] for u in json.loads(cli("users", "list", "--json").out)} == {
        "a": "admin",
        "b": "manager",
    }
    res = cli("users", "role", "a", "viewer")
    assert res.code == 1 and "only admin" in res.err
