"""Whole-database operations: wiping a workspace."""

from __future__ import annotations

from sqlalchemy import Engine, delete

from mutuals.storage.schema import metadata


def wipe(engine: Engine) -> None:
    """Delete every row of every Mutuals table (the schema stays, at its current version)."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
