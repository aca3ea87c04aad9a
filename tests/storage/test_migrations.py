from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from mutuals.storage.db import _alembic_config, create_db_engine, migrate
from mutuals.storage.schema import metadata


def test_migrating_an_empty_database_creates_every_table_at_the_head_revision(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url)
    migrate(engine)
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= names
    heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
    with engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == heads
    engine.dispose()


def test_migrating_twice_is_a_no_op(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url)
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads()
    engine.dispose()


def test_the_migrations_match_the_table_definitions(empty_db_url: str) -> None:
    """Autogenerate finds nothing to do: no table change was made without its migration."""
    from alembic.autogenerate import compare_metadata

    engine = create_db_engine(empty_db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []
