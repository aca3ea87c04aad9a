"""The whole schema: imports every module that defines tables on the shared ``metadata``.

Alembic (migrations/env.py) and the schema test use this module, so a table module that is not imported
here is a table without a migration check. Add one import line per area.
"""

from __future__ import annotations

import mutuals.storage.inbox_tables
import mutuals.storage.listening_tables
import mutuals.storage.web_tables  # noqa: F401
from mutuals.storage import people_tables, tables
from mutuals.storage.tables import metadata

__all__ = ["metadata", "people_tables", "tables"]
