"""Whole-database operations: wiping a workspace."""

from __future__ import annotations

from sqlalchemy import Engine, delete

from mutuals.storage.schema import metadata


def wipe(engine: Engine) -> None:
    """Delete every row of every workspace table (the schema stays, at its current version)."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.info.get("keep_on_wipe"):  # team settings (users, goals), not workspace data
                continue
            conn.execute(delete(table))
