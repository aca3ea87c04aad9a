"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL too when
MUTUALS_TEST_DATABASE_URL is set (CI sets it); the CLI run in-process; the real data folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from mutuals.cli.main import main
from mutuals.config import configure
from mutuals.storage.db import _alembic_config, create_db_engine, migrate, reset_engines
from mutuals.storage.schema import metadata

PG_URL = os.environ.get("MUTUALS_TEST_DATABASE_URL")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CASES = Path(__file__).parent / "cases"

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _drop_pg_schema() -> None:
    assert PG_URL is not None
    eng = create_db_engine(PG_URL)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()


def _empty_pg_tables() -> None:
    """Leave the PostgreSQL test database at the newest schema with no rows: TRUNCATE when the schema is
    already current (fast), else rebuild it."""
    assert PG_URL is not None
    eng = create_db_engine(PG_URL)
    try:
        with eng.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        if current == set(ScriptDirectory.from_config(_alembic_config()).get_heads()):
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            with eng.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
    finally:
        eng.dispose()
    _drop_pg_schema()
    eng = create_db_engine(PG_URL)
    migrate(eng)
    eng.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; each test gets a copy (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    eng = create_db_engine(f"sqlite:///{path}")
    migrate(eng)
    eng.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> Iterator[str]:
    """The URL of a database at the newest schema, with no rows."""
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(_sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    _empty_pg_tables()
    assert PG_URL is not None
    yield PG_URL


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no schema at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    _drop_pg_schema()
    assert PG_URL is not None
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
