"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL too when
MUTUALS_TEST_DATABASE_URL is set (CI sets it); the CLI run in-process; the real data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mutuals.cli.main import main
from mutuals.config import configure
from mutuals.storage.db import create_db_engine, migrate, reset_engines

PG_URL = os.environ.get("MUTUALS_TEST_DATABASE_URL")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CASES = Path(__file__).parent / "cases"

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (schema not yet created)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    assert PG_URL is not None
    eng = create_db_engine(PG_URL)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    yield PG_URL


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database, also made the configured one (so library and CLI calls use it)."""
    eng = create_db_engine(db_url)
    migrate(eng)
    configure(database_url=db_url)
    yield eng
    eng.dispose()
    reset_engines()
    configure()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> Iterator[object]:
    """Run ``mutuals ARGS...`` in-process against the test database; returns a CliResult."""
    home = tmp_path / "home"
    monkeypatch.setenv("MUTUALS_HOME", str(home))
    monkeypatch.setenv("MUTUALS_DATABASE_URL", db_url)

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run
    reset_engines()
    configure()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the real data folder {SHARED_DATA} is absent")
    return SHARED_DATA
