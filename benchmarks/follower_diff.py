"""Applying a huge follower snapshot: Mutuals' set-based diff next to the naive Python-set diff.

    .venv/bin/python benchmarks/follower_diff.py --followers 10000000 --churn 0.01 \\
        --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/mutuals_bench

For each database (SQLite always, PostgreSQL when --pg-url is given; the database is wiped first):

1. setup (not compared): the account's baseline follower list of N ids is imported.
2. a second list is written to a file: the same ids in the same order, with ``churn / 2`` of them gone and
   as many new ones (so 1 % churn = 0.5 % left + 0.5 % new).
3. **mutuals**: a fresh process reads that file line by line and applies it with
   ``mutuals.ingest.bulk.import_follow_list`` (staging + identities for newcomers + the set-based diff into
   temporal edges + persons + commit). Timed: that call, from the first line read to the commit.
4. **naive**: the database is put back to the baseline, and a fresh process loads the current followers
   (platform id → edge id) from the database into a dict and the file into a set, diffs them in Python, and
   writes the changes (closes the gone edges, inserts the new identities and edges, commits). Timed: all
   of that.

Peak memory is the measuring process's peak resident set (ru_maxrss), which includes SQLite's page
cache; on PostgreSQL the server's own memory and CPU are not counted. CPU seconds are the measuring
process's (start-up included), a fairer number than wall time on a shared machine.
Prints a table, and a JSON line per run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, select, text, update

from mutuals.domain import Account, FollowDirection, Network
from mutuals.ingest.bulk import import_follow_list
from mutuals.storage import tables as t
from mutuals.storage.db import create_db_engine, migrate

ACCOUNT = Account(Network.MASTODON, "bench@example.social")
T1 = datetime(2026, 1, 1, tzinfo=UTC)
T2 = datetime(2026, 2, 1, tzinfo=UTC)
MASK = (1 << 64) - 1


def member_id(i: int) -> str:
    # A bijection of i onto 64-bit values: unique ids, in an order unrelated to their sort order.
    return format((i * 0x9E3779B97F4A7C15) & MASK, "x")


def is_gone(i: int, every: int) -> bool:
    return ((i * 7919) % every) == 0


def baseline_ids(n: int) -> Iterator[str]:
    return (member_id(i) for i in range(n))


def write_second(n: int, churn: float, path: Path) -> tuple[int, int]:
    half = max(1, round(n * churn / 2))
    every = max(2, round(n / half))
    gone = 0
    with path.open("w") as f:
        for i in range(n):
            if is_gone(i, every):
                gone += 1
            else:
                f.write(member_id(i) + "\n")
        for i in range(n, n + gone):
            f.write(member_id(i) + "\n")
    return gone, gone


def lines(path: Path) -> Iterator[str]:
    with path.open() as f:
        for line in f:
            yield line.rstrip("\n")


def engine_for(url: str) -> Engine:
    eng = create_db_engine(url)
    migrate(eng)
    return eng


# -- the two measured approaches (each run in a fresh process) -------------------------------------------
def run_mutuals(url: str, path: Path) -> dict[str, Any]:
    eng = engine_for(url)
    start = time.perf_counter()
    res = import_follow_list(ACCOUNT, FollowDirection.FOLLOWER, T2, lines(path), engine=eng)
    seconds = time.perf_counter() - start
    return {"gained": res.snapshot.gained, "lost": res.snapshot.lost, "seconds": seconds}


def run_naive(url: str, path: Path) -> dict[str, Any]:
    eng = engine_for(url)
    e, i = t.follow_edges.c, t.identities.c
    start = time.perf_counter()
    with eng.begin() as conn:
        acc_id = conn.execute(
            select(t.accounts.c.id).where(t.accounts.c.handle == ACCOUNT.handle)
        ).scalar_one()
        current: dict[str, int] = {
            pid: eid
            for pid, eid in conn.execute(
                select(i.platform_id, e.id)
                .join(t.identities, i.id == e.identity_id)
                .where(e.account_id == acc_id, e.direction == "follower", e.valid_to.is_(None))
            )
        }
        new = set(lines(path))
        lost = [current[p] for p in current.keys() - new]
        gained = sorted(new - current.keys())
        del current, new
        if lost:
            conn.execute(
                update(t.follow_edges).where(e.id == bindparam("eid")).values(valid_to=T2, valid_to_after=T1),
                [{"eid": x} for x in lost],
            )
        if gained:
            conn.execute(
                t.identities.insert(),
                [{"network": ACCOUNT.network.value, "platform_id": p, "first_seen_at": T2} for p in gained],
            )
            ids = {
                pid: iid
                for pid, iid in conn.execute(
                    select(i.platform_id, i.id).where(
                        i.network == ACCOUNT.network.value, i.first_seen_at == T2
                    )
                )
            }
            conn.execute(
                t.follow_edges.insert(),
                [
                    {
                        "account_id": acc_id,
                        "identity_id": ids[p],
                        "direction": "follower",
                        "valid_from": T2,
                        "valid_from_after": T1,
                    }
                    for p in gained
                ],
            )
    seconds = time.perf_counter() - start
    return {"gained": len(gained), "lost": len(lost), "seconds": seconds}


def child(args: argparse.Namespace) -> None:
    fn = run_mutuals if args.child == "mutuals" else run_naive
    out = fn(args.url, Path(args.file))
    use = resource.getrusage(resource.RUSAGE_SELF)
    out["peak_mb"] = use.ru_maxrss / 1024
    out["cpu_s"] = use.ru_utime + use.ru_stime  # this process only (not PostgreSQL's server)
    print(json.dumps(out))


def measure(kind: str, url: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--url", url, "--file", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def fresh_database(url: str) -> Engine:
    """An empty, migrated database at ``url`` (a new file / a new schema: no bloat from earlier runs)."""
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            p.unlink(missing_ok=True)
    else:
        eng = create_db_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    return engine_for(url)


def reset_to_baseline(url: str, n: int) -> None:
    eng = fresh_database(url)
    import_follow_list(ACCOUNT, FollowDirection.FOLLOWER, T1, baseline_ids(n), engine=eng)
    if eng.dialect.name == "postgresql":
        with eng.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    eng.dispose()


def bench(backend: str, url: str, n: int, churn: float, folder: Path) -> list[dict[str, Any]]:
    path = folder / "second.txt"
    gone, new = write_second(n, churn, path)
    rows = []
    for kind in ("mutuals", "naive"):
        t0 = time.perf_counter()
        reset_to_baseline(url, n)
        setup = time.perf_counter() - t0
        res = measure(kind, url, path)
        assert (res["gained"], res["lost"]) == (new, gone), (kind, res, new, gone)
        rows.append({"backend": backend, "approach": kind, "followers": n, "setup_s": setup, **res})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--followers", type=int, default=10_000_000)
    ap.add_argument("--churn", type=float, default=0.01)
    ap.add_argument("--pg-url", default=os.environ.get("MUTUALS_BENCH_PG_URL"))
    ap.add_argument("--sqlite-path", default=None, help="Where the SQLite file goes (default: a temp dir).")
    ap.add_argument("--no-sqlite", action="store_true", help="Measure PostgreSQL only.")
    ap.add_argument("--child", choices=["mutuals", "naive"], help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="mutuals-bench-") as tmp:
        folder = Path(tmp)
        sqlite_file = Path(args.sqlite_path) if args.sqlite_path else folder / "bench.sqlite3"
        rows = []
        if not args.no_sqlite:
            rows += bench("sqlite", f"sqlite:///{sqlite_file}", args.followers, args.churn, folder)
        if args.pg_url:
            rows += bench("postgresql", args.pg_url, args.followers, args.churn, folder)
    print()
    head = ("database", "approach", "followers", "gained", "lost", "seconds", "CPU s", "peak MB")
    print(
        f"{head[0]:<11} {head[1]:<8} {head[2]:>11} {head[3]:>7} {head[4]:>7} {head[5]:>8} {head[6]:>8} "
        f"{head[7]:>8}"
    )
    for r in rows:
        print(
            f"{r['backend']:<11} {r['approach']:<8} {r['followers']:>11,} {r['gained']:>7,} {r['lost']:>7,} "
            f"{r['seconds']:>8.2f} {r.get('cpu_s', 0):>8.2f} {r['peak_mb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
