"""Loading the bundled demo workspace through the same ingest path as any export."""

from __future__ import annotations

from sqlalchemy import Engine

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.demo.connector import records
from mutuals.ingest.runner import ImportReport, run_records
from mutuals.storage.db import get_engine
from mutuals.storage.maintenance import wipe


def load_demo(*, reset: bool = False, engine: Engine | None = None) -> ImportReport:
    eng = engine or get_engine()
    if reset:
        wipe(eng)
    return run_records(
        records(), source="demo", path="(bundled demo workspace)", options=ImportOptions(), engine=eng
    )
