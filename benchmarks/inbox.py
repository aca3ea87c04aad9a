"""The inbox at scale: import with incremental threading, the triage list, one conversation, metrics.

    .venv/bin/python benchmarks/inbox.py --rows 300000 \\
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/mutuals_bench]

An invented customer-care CSV in the TWCS layout (``--rows`` tweets, ``--brands`` brands, threads of one
to six tweets alternating customer and brand, one in eight customer tweets unanswered) is written to a
temporary folder and imported into an empty database (SQLite always; PostgreSQL too when --pg-url is
given: its public schema is wiped). Timed, each in its own transaction:

- ``import``: the whole import (``mutuals import``: connector, writer, enrichment, threading), and
  ``threading_import`` the part of it spent filing the messages into conversations;
- ``continue``: a second file of ``--more`` tweets, half of them answers to threads of the first file and
  half new threads, some replies listed *before* their parents, and ``threading_continue`` its
  threading part: what threading costs per later import;
- ``inbox``: the default triage list of the busiest brand, 50 rows (median of 5);
- ``show``: one conversation with its messages (median of 5);
- ``metrics``: ``mutuals inbox metrics`` for that brand;
- ``before``: what every inbox command did before threading was stored: read all conversation
  messages of the brand and group them in Python (a union-find, as the previous version did), then
  load every conversation of the brand with its messages.

Prints one JSON line per database as it finishes, then a table.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text

from mutuals.analytics.inbox import conversations as cvs
from mutuals.analytics.inbox.metrics import response_metrics
from mutuals.analytics.inbox.threads import CONVERSATION_KINDS
from mutuals.config import configure
from mutuals.connectors.base import ImportOptions
from mutuals.ingest import runner
from mutuals.ingest.runner import run_import
from mutuals.storage import tables as t
from mutuals.storage.db import create_db_engine, migrate, reset_engines

HEADER = [
    "",
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
START = datetime(2017, 10, 1, tzinfo=UTC)


def _when(d: datetime) -> str:
    return d.strftime("%a %b %d %H:%M:%S +0000 %Y")


def generate(
    path: Path, rows: int, brands: int, seed: int, first_id: int = 1, parents: list[int] | None = None
) -> list[int]:
    """Write ``rows`` tweets; returns the ids of brand answers other files may continue."""
    rnd = random.Random(seed)
    names = [f"Brand{n}" for n in range(brands)]
    weights = [1 / (n + 1) for n in range(brands)]
    out: list[list[str]] = []
    tails: list[int] = []
    tid = first_id
    while len(out) < rows:
        brand = rnd.choices(names, weights)[0]
        customer = str(100_000 + rnd.randrange(rows // 3 + 1))
        at = START + timedelta(seconds=rnd.randrange(60 * 86400))
        parent = rnd.choice(parents) if parents and rnd.random() < 0.5 else None
        thread: list[list[str]] = []
        for step in range(rnd.randint(1, 6)):
            inbound = step % 2 == 0
            if not inbound and rnd.random() < 0.125:
                break
            at += timedelta(seconds=rnd.randint(30, 7200))
            text_ = (
                f"@{brand} my order {rnd.randrange(9999)} is late, why?"
                if inbound
                else f"@{customer} Sorry about that, we are on it ^AB"
            )
            thread.append(
                [str(tid), tid, customer if inbound else brand, str(inbound), _when(at), text_, "", parent]
            )
            parent, tid = tid, tid + 1
        if parents and rnd.random() < 0.3:
            thread.reverse()  # replies before their parents in the file
        for r in thread:
            out.append([r[0], str(r[1]), r[2], r[3], r[4], r[5], r[6], "" if r[7] is None else f"{r[7]}.0"])
        if thread and thread[-1][3] == "False":
            tails.append(int(thread[-1][1]))
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(out[:rows])
    return tails


def _timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _before(engine: Engine, account: str) -> None:
    """The previous version's per-command work: group every message of the account in Python, then load
    every conversation with its messages."""
    i, a = t.interactions.c, t.accounts.c
    with engine.connect() as conn:
        rows = list(
            conn.execute(
                select(i.kind, i.key, i.direction, i.in_reply_to, i.thread_ref, i.identity_id, i.is_public)
                .join(t.accounts, a.id == i.account_id)
                .where(a.handle == account, i.kind.in_(CONVERSATION_KINDS))
                .order_by(i.occurred_at, i.id)
            )
        )
        parent = list(range(len(rows)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        by_key: dict[str, int] = {}
        for n, row in enumerate(rows):
            by_key.setdefault(row.key, n)
        for n, row in enumerate(rows):
            p = by_key.get(row.in_reply_to) if row.in_reply_to else None
            if p is not None:
                ra, rb = find(n), find(p)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        {find(n) for n in range(len(rows))}
        cvs.load(conn, account=account)


def run(url: str, rows: int, more: int, brands: int, folder: Path) -> dict[str, Any]:
    engine = create_db_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    configure(database_url=url)
    first, second = folder / "first.csv", folder / "second.csv"
    tails = generate(first, rows, brands, seed=1)
    generate(second, more, brands, seed=2, first_id=10 * rows, parents=tails)
    out: dict[str, Any] = {"database": engine.dialect.name, "rows": rows}
    spent: list[float] = []
    original = runner.file_messages

    def timed_filing(*args: Any, **kw: Any) -> int:
        start = time.perf_counter()
        try:
            return original(*args, **kw)
        finally:
            spent.append(time.perf_counter() - start)

    runner.file_messages = timed_filing  # type: ignore[assignment]
    try:
        out["import_s"] = _timed(lambda: run_import(first, ImportOptions(source="twcs"), engine=engine))
        out["continue_s"] = _timed(lambda: run_import(second, ImportOptions(source="twcs"), engine=engine))
    finally:
        runner.file_messages = original  # type: ignore[assignment]
    out["threading_import_s"], out["threading_continue_s"] = spent
    with engine.connect() as conn:
        out["interactions"] = conn.execute(text("SELECT count(*) FROM interactions")).scalar_one()
        out["conversations"] = conn.execute(text("SELECT count(*) FROM inbox_conversations")).scalar_one()
        out["brand_conversations"] = conn.execute(
            text(
                "SELECT count(*) FROM inbox_conversations c JOIN accounts a ON a.id = c.account_id "
                "WHERE a.handle = 'Brand0'"
            )
        ).scalar_one()
        page = cvs.inbox(conn, account="Brand0", limit=50)
        out["inbox_s"] = _timed(lambda: cvs.inbox(conn, account="Brand0", limit=50), 5)
        out["show_s"] = _timed(lambda: cvs.get(conn, page[0].id), 5)
    with engine.begin() as conn:
        out["metrics_s"] = _timed(lambda: response_metrics(conn, "Brand0"))
    out["before_s"] = _timed(lambda: _before(engine, "Brand0"))
    engine.dispose()
    reset_engines()
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--more", type=int, default=10_000)
    ap.add_argument("--brands", type=int, default=20)
    ap.add_argument("--pg-url")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        urls = [f"sqlite:///{folder / 'bench.sqlite3'}"] + ([args.pg_url] if args.pg_url else [])
        for url in urls:
            results.append(run(url, args.rows, args.more, args.brands, folder))
            print(json.dumps(results[-1]), flush=True)
    cols = ["database", "rows", "interactions", "conversations", "brand_conversations"]
    cols += ["import_s", "threading_import_s", "continue_s", "threading_continue_s"]
    cols += ["inbox_s", "show_s", "metrics_s", "before_s"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols))


if __name__ == "__main__":
    main(sys.argv[1:])
