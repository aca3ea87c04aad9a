"""Running one import: detect the source, stream its records into the database in one transaction,
apply follower snapshots, and store the run report as an ImportRun."""

from __future__ import annotations

import csv
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from mutuals.analytics.inbox.threads import file_messages
from mutuals.connectors import registry
from mutuals.connectors.base import Connector, ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.domain import (
    Account,
    FollowEntry,
    FollowSnapshot,
    Identity,
    Interaction,
    Note,
    Post,
    Problem,
    Record,
)
from mutuals.enrich.pipeline import enrich_pending
from mutuals.errors import ImportFormatError, MutualsError
from mutuals.ingest.snapshots import (
    apply_snapshot,
    differs_from_recorded,
    previous_size,
    staged_count,
)
from mutuals.ingest.writer import BatchWriter
from mutuals.storage import tables as t
from mutuals.storage.db import get_engine, transaction

__all__ = ["ImportOptions", "ImportReport", "run_import", "run_records"]

MAX_PROBLEMS_KEPT = 1000
COUNTED_TABLES = {
    "posts": t.posts,
    "interactions": t.interactions,
    "identities": t.identities,
    "persons": t.persons,
    "follow_edges": t.follow_edges,
}


@dataclass
class ImportReport:
    status: str
    source: str
    path: str
    counts: dict[str, int]
    added: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "source": self.source,
            "path": self.path,
            "counts": self.counts,
            "added": self.added,
            "problems": self.problems,
            "notes": self.notes,
            "snapshots": self.snapshots,
            "run_id": self.run_id,
        }


Progress = Callable[[int], None]


def run_import(
    path: Path,
    options: ImportOptions | None = None,
    *,
    engine: Engine | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the export at ``path``. Either everything is written or, on a fatal error, nothing."""
    options = options or ImportOptions()
    with SourceFiles(path) as files:
        conn_obj: Connector = registry.get(options.source) if options.source else registry.detect(files)
        return run_records(
            conn_obj.read(files, options),
            source=conn_obj.kind,
            path=str(path),
            options=options,
            engine=engine,
            batch_size=batch_size,
            progress=progress,
        )


def run_records(
    records: Iterable[Record],
    *,
    source: str,
    path: str,
    options: ImportOptions,
    engine: Engine | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> ImportReport:
    eng = engine or get_engine()
    with transaction(eng) as conn:
        before = _table_counts(conn)
        run_id = _start_run(conn, source, path)
        # Every interaction this import writes gets a higher id (SQLite's write lock, or PostgreSQL's
        # sequence): what the inbox threads at the end.
        first_id = conn.execute(select(func.max(t.interactions.c.id))).scalar()
        writer = BatchWriter(conn, run_id, batch_size)
        state = _RunState()

        def finalize(key: tuple[Account, str]) -> None:
            writer.flush()
            snap = state.snapshots.pop(key)
            state.snapshot_results.append(_apply_one(conn, writer, state, snap, options, path))

        try:
            _consume(records, writer, state, progress, finalize)
        except MutualsError:
            raise
        except (
            UnicodeDecodeError,
            json.JSONDecodeError,
            csv.Error,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
        ) as exc:
            raise ImportFormatError(path, f"cannot be read ({type(exc).__name__}: {exc})") from None
        for key in list(state.snapshots):
            finalize(key)
        writer.finish()
        _refresh_statistics(conn, writer.tally.interactions + writer.tally.follow_entries)
        enrich_pending(conn)  # sentiment, language, intent of the new inbound texts
        file_messages(conn, since_id=first_id)  # the inbox's conversations (incremental threading)
        snaps = state.snapshot_results
        counts = {
            "posts": writer.tally.posts,
            "interactions": writer.tally.interactions,
            "identities": len(writer.tally.identity_ids | state.identity_ids(writer)),
            "follow_edges": writer.tally.follow_entries - writer.tally.duplicate_entries,
            "skipped": state.problem_count,
        }
        if writer.tally.duplicate_entries:
            state.notes.append(f"{writer.tally.duplicate_entries} duplicate follow entries were ignored")
        imported = counts["posts"] + counts["interactions"] + counts["follow_edges"] + len(state.identities)
        if imported == 0 and state.problem_count:
            first = state.problems[0]
            raise ImportFormatError(first["file"], f"no record could be imported: {first['message']}")
        after = _table_counts(conn)
        report = ImportReport(
            status="partial" if state.problem_count else "ok",
            source=source,
            path=path,
            counts=counts,
            added={k: after[k] - before[k] for k in after},
            problems=state.problems,
            notes=state.notes,
            snapshots=snaps,
            run_id=run_id,
        )
        if all(v == 0 for v in report.added.values()) and all(s["already_known"] for s in snaps):
            # Nothing new: leave the database exactly as it was, the run log included.
            conn.execute(delete(t.import_runs).where(t.import_runs.c.id == run_id))
            report.run_id = None
            report.notes.append("nothing new: everything in this export was already imported")
        else:
            _finish_run(conn, run_id, report)
        return report


@dataclass
class _RunState:
    snapshots: dict[tuple[Account, str], FollowSnapshot] = field(default_factory=dict)
    snapshot_results: list[dict[str, Any]] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)

    def identity_ids(self, writer: BatchWriter) -> set[int]:
        return {writer._identity_id(i) for i in self.identities}


def _consume(
    records: Iterable[Record],
    writer: BatchWriter,
    state: _RunState,
    progress: Progress | None,
    finalize: Callable[[tuple[Account, str]], None],
) -> None:
    n = 0
    for rec in records:
        n += 1
        if isinstance(rec, Interaction):
            writer.add_interaction(rec)
        elif isinstance(rec, FollowEntry):
            writer.add_follow_entry(rec)
        elif isinstance(rec, Post):
            writer.add_post(rec)
        elif isinstance(rec, Identity):
            writer.add_identity(rec)
            if len(state.identities) < 100_000:
                state.identities.append(rec)
        elif isinstance(rec, Account):
            writer.account_id(rec)
        elif isinstance(rec, FollowSnapshot):
            key = (rec.account, rec.direction.value)
            if key in state.snapshots:  # a second list of the same account: the first is complete
                finalize(key)
            state.snapshots[key] = rec
        elif isinstance(rec, Problem):
            state.problem_count += 1
            if len(state.problems) < MAX_PROBLEMS_KEPT:
                state.problems.append({"file": rec.file, "record": rec.record, "message": rec.message})
        elif isinstance(rec, Note):
            state.notes.append(rec.message)
        if progress is not None and n % 1000 == 0:
            progress(n)
    if progress is not None:
        progress(n)


def _apply_one(
    conn: Connection,
    writer: BatchWriter,
    state: _RunState,
    snap: FollowSnapshot,
    options: ImportOptions,
    path: str,
) -> dict[str, Any]:
    account, direction = snap.account, snap.direction.value
    acc_id = writer.account_id(account)
    taken_at = snap.taken_at or options.as_of
    if taken_at is None:
        if writer.newest is None:
            raise ImportFormatError(
                path, f"the {direction} list carries no date: say when it was taken with --as-of DATE"
            )
        taken_at = writer.newest
        state.notes.append(
            f"the {direction} list of {account.handle} carries no date of its own; dated "
            f"{taken_at.isoformat()}, the newest date inside the export (use --as-of to set it)"
        )
    members = staged_count(conn, writer.run_id, acc_id, direction)
    if members == 0 and not options.allow_empty_snapshot:
        before = previous_size(conn, acc_id, direction, taken_at)
        if before:
            raise ImportFormatError(
                path,
                f"the {direction} list of {account.handle} is empty, but the previous one had "
                f"{before}: this looks like a broken export, not everybody leaving "
                "(re-run with --allow-empty-snapshot if it is real)",
            )
    if differs_from_recorded(conn, writer.run_id, acc_id, direction, taken_at):
        raise ImportFormatError(
            path,
            f"a different {direction} list of {account.handle} is already recorded as of "
            f"{taken_at.isoformat()}: give this export its own time with --as-of "
            f"(for example --as-of {taken_at.date().isoformat()}T18:00)",
        )
    res = apply_snapshot(conn, writer.run_id, acc_id, direction, taken_at)
    return {
        "account": account.handle,
        "network": account.network.value,
        "direction": direction,
        "taken_at": taken_at.isoformat(),
        "members": res.members,
        "gained": res.gained,
        "lost": res.lost,
        "already_known": res.already_known,
    }


ANALYZE_AFTER_ROWS = 10_000


def _refresh_statistics(conn: Connection, written: int) -> None:
    """After a big import, let PostgreSQL re-plan with fresh statistics: the threading and snapshot
    statements that follow otherwise run with plans made for empty tables (seen: 10-30x slower)."""
    if conn.dialect.name == "postgresql" and written >= ANALYZE_AFTER_ROWS:
        for table in ("interactions", "identities", "posts", "follow_edges"):
            conn.exec_driver_sql(f"ANALYZE {table}")


def _table_counts(conn: Connection) -> dict[str, int]:
    return {
        name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in COUNTED_TABLES.items()
    }


def _start_run(conn: Connection, source: str, path: str) -> int:
    res = conn.execute(
        insert(t.import_runs)
        .values(source=source, path=path, started_at=datetime.now(UTC), status="running")
        .returning(t.import_runs.c.id)
    )
    return int(res.scalar_one())


def _finish_run(conn: Connection, run_id: int, report: ImportReport) -> None:
    conn.execute(
        update(t.import_runs)
        .where(t.import_runs.c.id == run_id)
        .values(
            finished_at=datetime.now(UTC),
            status=report.status,
            counts=report.counts,
            added=report.added,
            problems=report.problems,
            notes={"notes": report.notes, "snapshots": report.snapshots},
        )
    )
