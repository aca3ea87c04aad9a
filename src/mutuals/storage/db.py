"""Opening the database: the engine, and creating or upgrading the schema on first use."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from mutuals.config import get_settings
from mutuals.errors import ConfigError, StorageError

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _head_revisions() -> frozenset[str]:
    # Several heads are allowed: each capability's migrations may branch from the shared base.
    return frozenset(ScriptDirectory.from_config(_alembic_config()).get_heads())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def create_db_engine(url: str, *, setting: str = "MUTUALS_DATABASE_URL (or --db)") -> Engine:
    """An engine for ``url``; a URL we cannot use is a :class:`ConfigError` naming ``setting``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"{setting} is not a database URL: {url!r} "
            "(expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ConfigError(f"{setting} names an unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            folder = Path(db).expanduser().resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the data folder {folder} ({exc.strerror}); "
                    "set MUTUALS_HOME or MUTUALS_DATABASE_URL to a writable place"
                ) from None
    try:
        engine = create_engine(parsed, future=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"{setting} cannot be used: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (a no-op when already there)."""
    try:
        with engine.begin() as conn:
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
            if current == _head_revisions():
                return
            command.upgrade(_alembic_config(conn), "heads")
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        raise StorageError(
            f"cannot open the database {engine.url.render_as_string(hide_password=True)} "
            f"(MUTUALS_DATABASE_URL / --db): {_reason(exc)}"
        ) from None


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


_engines: dict[str, Engine] = {}


def get_engine() -> Engine:
    """The engine for the configured database, migrated to the newest schema on first use."""
    url = get_settings().effective_database_url
    engine = _engines.get(url)
    if engine is None:
        engine = create_db_engine(url)
        migrate(engine)
        _engines[url] = engine
    return engine


def reset_engines() -> None:
    """Dispose of cached engines (tests, and the CLI after changing settings)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    eng = engine or get_engine()
    try:
        with eng.begin() as conn:
            yield conn
    except OperationalError as exc:
        raise StorageError(f"database error: {_reason(exc)}") from None
