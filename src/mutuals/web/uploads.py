"""Importing an uploaded export: save it under MUTUALS_HOME/uploads, run the importer, keep the file only
when something was imported (a failed upload changes nothing, on disk or in the database)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, select

from mutuals.config import get_settings
from mutuals.connectors.base import ImportOptions
from mutuals.errors import ImportFormatError, InvalidInputError, NotFoundError
from mutuals.ingest.runner import ImportReport, run_import
from mutuals.storage import tables as t
from mutuals.storage.db import get_engine

CHUNK = 1 << 20


def max_upload_bytes() -> int:
    return get_settings().upload_max_mb * 1024 * 1024


def too_large(filename: str) -> ImportFormatError:
    mb = get_settings().upload_max_mb
    return ImportFormatError(
        filename or "the upload", f"is larger than the upload limit of {mb} MiB (MUTUALS_UPLOAD_MAX_MB)"
    )


def _safe_name(filename: str) -> str:
    base = Path(filename.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return cleaned[:120] or "upload"


def import_upload(stream: IO[bytes], filename: str, options: ImportOptions) -> ImportReport:
    """Copy ``stream`` (at most MUTUALS_UPLOAD_MAX_MB) to the uploads folder and import it."""
    if not filename:
        raise InvalidInputError("choose an export file to upload")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = get_settings().home / "uploads" / stamp
    path = folder / _safe_name(filename)
    limit = max_upload_bytes()
    kept = False
    try:
        folder.mkdir(parents=True, exist_ok=False)
        written = 0
        with open(path, "wb") as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise too_large(filename)
                out.write(chunk)
        if written == 0:
            raise ImportFormatError(filename, "is empty (0 bytes)")
        report = run_import(path, options, engine=get_engine(), batch_size=get_settings().import_batch_size)
        kept = report.run_id is not None
        return report
    finally:
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)


def get_import(conn: Connection, run_id: int) -> dict[str, Any]:
    """One finished import run with its whole report, as ``mutuals import --json`` prints it."""
    r = t.import_runs.c
    row = conn.execute(select(t.import_runs).where(r.id == run_id, r.status != "running")).mappings().first()
    if row is None:
        raise NotFoundError(f"there is no import number {run_id}")
    notes = row["notes"] or {}
    return {
        "run_id": row["id"],
        "source": row["source"],
        "path": row["path"],
        "status": row["status"],
        "started_at": row["started_at"].isoformat(),
        "finished_at": row["finished_at"].isoformat() if row["finished_at"] else None,
        "counts": row["counts"] or {},
        "added": row["added"] or {},
        "problems": row["problems"] or [],
        "notes": notes.get("notes", []) if isinstance(notes, dict) else [],
        "snapshots": notes.get("snapshots", []) if isinstance(notes, dict) else [],
    }
