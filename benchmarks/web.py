"""Web app latency: server time per page under 10 concurrent clients on loopback.

Builds a SQLite workspace of invented data (default 1,000,000 interactions and 100,000 people, written
with direct bulk inserts), serves it with uvicorn in a subprocess, signs 10 clients in, and has them
request each page in turn (an httpx async load generator). Prints p50 / p95 / max per page.

    .venv/bin/python benchmarks/web.py [--interactions 1000000] [--people 100000] [--requests 100]

A page whose first (warm-up) request takes longer than --warmup-timeout seconds is reported as such and
not measured further.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from mutuals.config import configure
from mutuals.storage.db import create_db_engine, migrate, transaction
from mutuals.web.auth import create_user

PASSWORD = "benchmark password"
CLIENTS = 10
START = datetime(2025, 1, 1)
DAYS = 365
NETWORKS = ("x", "mastodon", "bluesky", "instagram")
KINDS = ("reply", "mention", "like", "repost", "comment", "dm")
WORDS = ("coffee", "beans", "roast", "order", "shipping", "love", "thanks", "delay", "grinder", "decaf")


def _ts(rng: random.Random) -> str:
    return (START + timedelta(seconds=rng.randrange(DAYS * 86400))).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, n_interactions: int, n_people: int, seed: int = 7) -> None:
    """Invented data straight into the tables (what an import would have written), in one transaction."""
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = START.strftime("%Y-%m-%d %H:%M:%S.%f")
    with db:
        db.execute(
            "INSERT INTO import_runs (id, source, path, started_at, finished_at, status, counts, added, "
            "problems, notes) VALUES (1, 'bench', '(benchmark)', ?, ?, 'ok', '{}', '{}', '[]', '{}')",
            (now, now),
        )
        db.executemany(
            "INSERT INTO accounts (id, network, handle, display_name, created_at) VALUES (?, ?, ?, ?, ?)",
            [(i + 1, n, f"brand_{n}", "Brand", now) for i, n in enumerate(NETWORKS)],
        )
        db.executemany(
            "INSERT INTO persons (id, display_name, seed_identity_id, created_at) VALUES (?, ?, ?, ?)",
            ((p, f"Person {p}", p, now) for p in range(1, n_people + 1)),
        )
        db.executemany(
            "INSERT INTO identities (id, person_id, network, platform_id, handle, display_name, "
            "first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (p, p, NETWORKS[p % 4], f"pid{p}", f"user{p}", f"Person {p}", now, now)
                for p in range(1, n_people + 1)
            ),
        )

        def interactions() -> object:
            for k in range(1, n_interactions + 1):
                ident = rng.randrange(1, n_people + 1)
                kind = KINDS[rng.randrange(len(KINDS))]
                outbound = rng.random() < 0.15
                text = None if kind in ("like", "repost") else " ".join(rng.choices(WORDS, k=8))
                yield (
                    k,
                    ident % 4 + 1,
                    ident,
                    NETWORKS[ident % 4],
                    kind,
                    "outbound" if outbound else "inbound",
                    _ts(rng),
                    f"k{k}",
                    text,
                    kind != "dm",
                    1,
                )

        db.executemany(
            "INSERT INTO interactions (id, account_id, identity_id, network, kind, direction, occurred_at, "
            "key, text, is_public, import_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            interactions(),  # type: ignore[arg-type]
        )
        db.executemany(
            "INSERT INTO follow_edges (account_id, identity_id, direction, valid_from, valid_from_after, "
            "valid_to, valid_to_after) VALUES (?, ?, 'follower', ?, ?, ?, ?)",
            (
                (p % 4 + 1, p, _ts(rng), None if p % 3 else _ts(rng), _ts(rng) if p % 10 == 0 else None, None)
                for p in range(1, n_people + 1)
            ),
        )
    db.execute("ANALYZE")
    db.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _sign_in(client: httpx.AsyncClient, name: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token
    res = await client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token.group(1)})
    assert res.status_code in (200, 303), res.status_code


async def _measure(
    base: str, pages: list[str], n_requests: int, warmup_timeout: float
) -> list[tuple[str, str]]:
    clients = [httpx.AsyncClient(base_url=base, timeout=600) for _ in range(CLIENTS)]
    for n, c in enumerate(clients):
        await _sign_in(c, f"bench{n}")
    rows = []
    for page in pages:
        t0 = time.perf_counter()
        try:
            first = await clients[0].get(page, timeout=warmup_timeout)
        except httpx.TimeoutException:
            rows.append((page, f"first request over {warmup_timeout:.0f} s: not measured"))
            print(f"{page:<22}{rows[-1][1]}", flush=True)
            continue
        warm = time.perf_counter() - t0
        if first.status_code != 200:
            rows.append((page, f"HTTP {first.status_code}"))
            print(f"{page:<22}{rows[-1][1]}", flush=True)
            continue
        times: list[float] = []
        server: list[float] = []
        per_client = max(1, n_requests // CLIENTS)
        await asyncio.gather(*(_run(c, page, per_client, times, server) for c in clients))
        rows.append(
            (
                page,
                f"first {warm * 1000:7.0f} | "
                f"server p50 {_pct(server, 0.5):6.0f} p95 {_pct(server, 0.95):6.0f} | "
                f"client p50 {_pct(times, 0.5):6.0f} p95 {_pct(times, 0.95):6.0f} | n={len(times)}",
            )
        )
        print(f"{page:<22}{rows[-1][1]}", flush=True)
    for c in clients:
        await c.aclose()
    return rows


async def _run(c: httpx.AsyncClient, page: str, n: int, times: list[float], server: list[float]) -> None:
    for _ in range(n):
        s = time.perf_counter()
        r = await c.get(page)
        times.append((time.perf_counter() - s) * 1000)
        assert r.status_code == 200, (page, r.status_code)
        server.append(float(r.headers["server-timing"].partition("dur=")[2]))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=100, help="Requests per page (over all clients).")
    ap.add_argument("--warmup-timeout", type=float, default=120.0)
    ap.add_argument("--keep", type=Path, help="Build the database here, or reuse it if it exists.")
    ap.add_argument(
        "--pages", default="/,/imports,/settings,/people,/people/1,/inbox,/api/status,/api/dashboard"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mutuals-web-bench-") as tmp:
        home = Path(tmp)
        db_path = args.keep or home / "mutuals.sqlite3"
        if not db_path.exists():
            t0 = time.perf_counter()
            build(db_path, args.interactions, args.people)
            took = time.perf_counter() - t0
            print(f"built {args.interactions:,} interactions, {args.people:,} people in {took:.0f} s")
        configure(home=home, database_url=f"sqlite:///{db_path}")
        with transaction() as conn:
            for n in range(CLIENTS):
                if not conn.execute(text("SELECT 1 FROM users WHERE name = :n"), {"n": f"bench{n}"}).first():
                    create_user(conn, f"bench{n}", "admin", PASSWORD)
        port = _free_port()
        env = {**os.environ, "MUTUALS_HOME": str(home), "MUTUALS_DATABASE_URL": f"sqlite:///{db_path}"}
        cmd = [sys.executable, "-m", "mutuals.cli.main", "serve", "--port", str(port)]
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(base + "/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"{CLIENTS} concurrent clients, {args.requests} requests per page, one uvicorn worker; ms")
            asyncio.run(_measure(base, args.pages.split(","), args.requests, args.warmup_timeout))
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
