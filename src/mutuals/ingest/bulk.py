"""The bulk path for very large follower lists: stage plain platform ids without building records.

``import_follow_list`` applies one complete follower / following / friend list of one account, given as an
iterable of platform ids, exactly as an import of FollowSnapshot + FollowEntry records would (same
temporal edges, same idempotency, same run log), but stages the members with each database's fastest
bulk path instead of one record at a time:

- SQLite: chunks of ids are passed as one JSON array parameter and expanded by ``json_each`` inside the
  statement, so no Python work is done per member beyond ``json.dumps``;
- PostgreSQL: the ids are streamed with ``COPY`` into a temporary table.

The members are kept in a temporary table (no write-ahead log, dropped at the end rather than deleted row
by row, keyed by identity id).

The members then go through the same set-based ``apply_snapshot`` as every other import. Identities that
are new get only their platform id (``handle`` is left empty: a later full import fills it). Duplicate ids
in the list are ignored and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, delete, text, update

from mutuals.domain import Account, FollowDirection
from mutuals.errors import ImportFormatError
from mutuals.ingest.snapshots import SnapshotResult, apply_snapshot, previous_size
from mutuals.ingest.writer import BatchWriter, create_persons
from mutuals.storage import tables as t
from mutuals.storage.db import get_engine, transaction
from mutuals.storage.types import UTCDateTime, to_db_time

MEMBERS = Table(
    "_mutuals_list_members",
    MetaData(),
    Column("identity_id", Integer, primary_key=True),  # SQLite: the rowid itself, compact and fast
    Column("followed_at", UTCDateTime),
    prefixes=["TEMPORARY"],
)
CHUNK = 100_000  # ids per SQLite statement (one JSON array parameter)
SQLITE_CACHE_MIB = 1024  # page cache while a list is applied (memory is only used as pages are read)


@dataclass(frozen=True)
class BulkResult:
    snapshot: SnapshotResult
    duplicates: int
    run_id: int | None

    def as_dict(self) -> dict[str, Any]:
        s = self.snapshot
        return {
            "account_id": s.account_id,
            "direction": s.direction,
            "taken_at": s.taken_at.isoformat(),
            "members": s.members,
            "gained": s.gained,
            "lost": s.lost,
            "already_known": s.already_known,
            "duplicates": self.duplicates,
            "run_id": self.run_id,
        }


def import_follow_list(
    account: Account,
    direction: FollowDirection,
    taken_at: datetime,
    platform_ids: Iterable[str],
    *,
    engine: Engine | None = None,
    source: str = "bulk",
    path: str = "",
    allow_empty_snapshot: bool = False,
) -> BulkResult:
    """Apply the complete ``direction`` list of ``account`` as of ``taken_at``, in one transaction."""
    eng = engine or get_engine()
    with transaction(eng) as conn:
        run_id = _start_run(conn, source, path or f"{account.network.value}:{account.handle}")
        acc_id = BatchWriter(conn, run_id, 1).account_id(account)
        # The default 2 MiB page cache makes every probe of a large index a read; a big list needs more.
        cache_before = sqlite_cache(conn, SQLITE_CACHE_MIB) if conn.dialect.name == "sqlite" else None
        staged, given = stage_platform_ids(
            conn, run_id, acc_id, direction.value, account.network.value, platform_ids
        )
        if staged == 0 and not allow_empty_snapshot:
            before = previous_size(conn, acc_id, direction.value, taken_at)
            if before:
                raise ImportFormatError(
                    path or account.handle,
                    f"the {direction.value} list of {account.handle} is empty, but the previous one had "
                    f"{before}: this looks like a broken export, not everybody leaving "
                    "(re-run with --allow-empty-snapshot if it is real)",
                )
        res = apply_snapshot(conn, run_id, acc_id, direction.value, taken_at, members_table=MEMBERS)
        MEMBERS.drop(conn)
        create_persons(conn)
        if cache_before is not None:
            conn.exec_driver_sql(f"PRAGMA cache_size = {cache_before}")
        result = BulkResult(res, given - staged, run_id)
        if res.already_known:
            conn.execute(delete(t.import_runs).where(t.import_runs.c.id == run_id))
            return BulkResult(res, given - staged, None)
        _finish_run(conn, run_id, result)
        return result


def stage_platform_ids(
    conn: Connection,
    run_id: int,
    account_id: int,
    direction: str,
    network: str,
    platform_ids: Iterable[str],
) -> tuple[int, int]:
    """Create the identities that are new and put every member into the temporary ``MEMBERS`` table
    (created here, dropped by the caller); returns (members staged, ids given)."""
    MEMBERS.create(conn)
    if conn.dialect.name == "postgresql":
        return _stage_postgresql(conn, run_id, account_id, direction, network, platform_ids)
    return _stage_sqlite(conn, run_id, account_id, direction, network, platform_ids)


def sqlite_cache(conn: Connection, mib: int) -> int:
    """Set this connection's SQLite page cache to ``mib`` MiB; returns the previous setting."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = {-1024 * int(mib)}")
    return before


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


_SQLITE_NEW_IDENTITIES = text(
    "INSERT INTO identities (network, platform_id, first_seen_at, last_seen_at) "
    "SELECT :net, j.value, :now, :now FROM json_each(:ids) AS j WHERE true "
    "ON CONFLICT (network, platform_id) DO NOTHING"
)
_SQLITE_STAGE = text(
    "INSERT INTO _mutuals_list_members (identity_id) "
    "SELECT i.id FROM json_each(:ids) AS j "
    "CROSS JOIN identities AS i ON i.network = :net AND i.platform_id = j.value WHERE true "
    "ON CONFLICT DO NOTHING"
)


def _stage_sqlite(
    conn: Connection, run_id: int, account_id: int, direction: str, network: str, ids: Iterable[str]
) -> tuple[int, int]:
    now = to_db_time(datetime.now(UTC))
    staged = given = 0
    for chunk in _chunks(ids, CHUNK):
        chunk.sort()  # probes of the identities index in key order: neighbouring pages, fewer misses
        arr = json.dumps(chunk)
        given += len(chunk)
        conn.execute(_SQLITE_NEW_IDENTITIES, {"net": network, "now": now, "ids": arr})
        res = conn.execute(_SQLITE_STAGE, {"net": network, "ids": arr})
        staged += res.rowcount
    return staged, given


def _stage_postgresql(
    conn: Connection, run_id: int, account_id: int, direction: str, network: str, ids: Iterable[str]
) -> tuple[int, int]:
    conn.execute(text("CREATE TEMPORARY TABLE _mutuals_members (platform_id text) ON COMMIT DROP"))
    given = 0
    raw: Any = conn.connection.dbapi_connection  # a psycopg connection: it has COPY
    with raw.cursor() as cur, cur.copy("COPY _mutuals_members (platform_id) FROM STDIN") as copy:
        buf: list[str] = []
        for pid in ids:
            buf.append(_copy_escape(pid))
            if len(buf) >= CHUNK:
                given += len(buf)
                copy.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            given += len(buf)
            copy.write("\n".join(buf) + "\n")
    conn.execute(text("ANALYZE _mutuals_members"))
    now = to_db_time(datetime.now(UTC))
    conn.execute(
        text(
            "INSERT INTO identities (network, platform_id, first_seen_at, last_seen_at) "
            "SELECT DISTINCT :net, m.platform_id, CAST(:now AS timestamp), CAST(:now AS timestamp) "
            "FROM _mutuals_members m "
            "ON CONFLICT (network, platform_id) DO NOTHING"
        ),
        {"net": network, "now": now},
    )
    res = conn.execute(
        text(
            "INSERT INTO _mutuals_list_members (identity_id) "
            "SELECT DISTINCT i.id FROM _mutuals_members m "
            "JOIN identities i ON i.network = :net AND i.platform_id = m.platform_id"
        ),
        {"net": network},
    )
    conn.execute(text("DROP TABLE _mutuals_members"))
    return int(res.rowcount), given


def _copy_escape(value: str) -> str:
    # COPY text format: backslash, newline, carriage return and tab must be escaped.
    if "\\" in value or "\n" in value or "\r" in value or "\t" in value:
        value = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return value


def _start_run(conn: Connection, source: str, path: str) -> int:
    res = conn.execute(
        t.import_runs.insert()
        .values(source=source, path=path, started_at=datetime.now(UTC), status="running")
        .returning(t.import_runs.c.id)
    )
    return int(res.scalar_one())


def _finish_run(conn: Connection, run_id: int, result: BulkResult) -> None:
    s = result.snapshot
    notes = [f"{result.duplicates} duplicate follow entries were ignored"] if result.duplicates else []
    conn.execute(
        update(t.import_runs)
        .where(t.import_runs.c.id == run_id)
        .values(
            finished_at=datetime.now(UTC),
            status="ok",
            counts={"posts": 0, "interactions": 0, "identities": s.members, "follow_edges": s.members},
            added={"follow_edges": s.gained},
            problems=[],
            notes={"notes": notes, "snapshots": [result.as_dict()]},
        )
    )
