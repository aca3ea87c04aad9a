"""Fixtures of the web tests: a configured app on the test database, one signed-in client per role, and a
tiny invented connector (``webtest``) so uploads do not depend on any real connector."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mutuals.config import configure
from mutuals.connectors import registry
from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.domain import (
    Account,
    Direction,
    Identity,
    Interaction,
    InteractionKind,
    Network,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError
from mutuals.storage.db import reset_engines, transaction
from mutuals.web.auth import ROLES, create_user
from mutuals.web.deps import CSRF_HEADER

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
WEBTEST_HEADER = "webtest-export,handle,name,when,text"


class WebtestConnector:
    """An invented export: a CSV whose header starts with ``webtest-export``; one row = one mention."""

    kind = "webtest"
    title = "Web test export"

    def detect(self, files: SourceFiles) -> bool:
        name = files.first("*.csv")
        return name is not None and files.head(name, 64).startswith(b"webtest-export,")

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        name = files.first("*.csv")
        assert name is not None
        text = files.read_text(name)
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or ",".join(rows[0]) != WEBTEST_HEADER:
            raise ImportFormatError(files.label(name), "has not the webtest header")
        account = Account(Network.X, "ourbrand")
        for n, row in enumerate(rows[1:], start=2):
            if len(row) != 5:
                yield Problem(files.label(name), f"line {n}", "expected 5 columns")
                continue
            _, handle, display, when, body = row
            ident = Identity(Network.X, platform_id=f"wt-{handle}", handle=handle, display_name=display)
            yield ident
            yield Interaction(
                account=account,
                kind=InteractionKind.MENTION,
                direction=Direction.INBOUND,
                occurred_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
                identity=ident,
                platform_id=f"wt-{handle}-{n}",
                text=body,
            )


def webtest_csv(rows: list[tuple[str, str, str, str]], bad_lines: int = 0) -> bytes:
    out = io.StringIO()
    out.write(WEBTEST_HEADER + "\n")
    w = csv.writer(out)
    for handle, name, when, text in rows:
        w.writerow(["x", handle, name, when, text])
    for _ in range(bad_lines):
        out.write("only,two\n")
    return out.getvalue().encode()


@pytest.fixture
def webtest_connector(monkeypatch: pytest.MonkeyPatch) -> WebtestConnector:
    conn = WebtestConnector()
    original = registry.connectors
    monkeypatch.setattr(registry, "connectors", lambda: {"webtest": conn, **original()})
    return conn


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2's default cost is right for people and slow for a test suite that signs in hundreds of times.
    from argon2 import PasswordHasher

    from mutuals.web import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def app(
    engine: Engine, db_url: str, tmp_path: Path, webtest_connector: WebtestConnector
) -> Iterator[FastAPI]:
    from mutuals.web.app import create_app

    configure(database_url=db_url, home=tmp_path / "home")
    reset_engines()
    with transaction() as conn:
        for role in ROLES:
            create_user(conn, role, role, PASSWORD)
    yield create_app()
    reset_engines()
    configure()


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[[str | None], TestClient]]:
    """A TestClient signed in as the user of that role (None: anonymous), with its CSRF header set."""
    made: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app, raise_server_exceptions=False)
        made.append(client)
        if role is not None:
            res = login(client, role)
            assert res.status_code == 303, res.text
        token = csrf_of(client.get("/login").text)
        client.headers[CSRF_HEADER] = token
        return client

    yield make
    for c in made:
        c.close()
