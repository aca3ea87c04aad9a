"""Import throughput: a large invented X archive imported by Mutuals (SQLite) and by twitter-to-sqlite.

    .venv/bin/python benchmarks/import_throughput.py [--likes N --tweets M] [--no-memory-check]

Builds the archive in a temporary folder (every person and text invented, seeded), runs each importer as a
child process (so its peak RSS can be read from the kernel with wait4), and prints a table: wall seconds,
interactions per second, peak memory, and the ratio. Then, unless --no-memory-check, imports an archive of
a quarter of the size with Mutuals to show that peak memory does not grow with the archive.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ME, ME_HANDLE = "4200000001", "harborlamp"
BIN = Path(sys.executable).parent
WORDS = [
    "lamp",
    "harbour",
    "tide",
    "wick",
    "glass",
    "beam",
    "fog",
    "pier",
    "storm",
    "calm",
    "keeper",
    "guild",
    "night",
    "dawn",
    "salt",
    "oil",
    "rope",
    "boat",
    "north",
    "light",
    "signal",
    "coast",
    "rock",
    "gull",
    "wave",
    "shore",
    "bell",
    "watch",
]
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tweet_time(when: datetime) -> str:
    return f"{DAYS[when.weekday()]} {MONTHS[when.month - 1]} {when:%d %H:%M:%S} +0000 {when.year}"


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _write_array(path: Path, name: str, items: object) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"window.YTD.{name}.part0 = [ ")
        first = True
        for item in items:  # type: ignore[attr-defined]
            if not first:
                fh.write(", ")
            fh.write(json.dumps(item, indent=2))
            first = False
        fh.write(" ]")


def _tweets(rng: random.Random, n: int, people: list[tuple[str, str]]) -> object:
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for i in range(n):
        tid = str(1_000_000_000_000_000_000 + i)
        when = start + timedelta(seconds=i * 600)
        roll = rng.random()
        mentions = []
        tw: dict[str, object] = {}
        if roll < 0.35:  # a reply, sometimes with a second person mentioned
            uid, handle = rng.choice(people)
            mentions.append(
                {
                    "name": handle.title(),
                    "screen_name": handle,
                    "indices": ["0", "10"],
                    "id_str": uid,
                    "id": uid,
                }
            )
            tw.update(
                in_reply_to_status_id_str=str(900_000_000_000_000_000 + i),
                in_reply_to_user_id_str=uid,
                in_reply_to_screen_name=handle,
            )
            text = f"@{handle} {_text(rng, 12)}"
            if rng.random() < 0.3:
                uid2, handle2 = rng.choice(people)
                mentions.append(
                    {
                        "name": handle2,
                        "screen_name": handle2,
                        "indices": ["11", "20"],
                        "id_str": uid2,
                        "id": uid2,
                    }
                )
                text += f" cc @{handle2}"
        elif roll < 0.5:  # a retweet
            uid, handle = rng.choice(people)
            mentions.append(
                {"name": handle, "screen_name": handle, "indices": ["3", "12"], "id_str": uid, "id": uid}
            )
            text = f"RT @{handle}: {_text(rng, 14)}"
        elif roll < 0.6:  # a mention
            uid, handle = rng.choice(people)
            mentions.append(
                {"name": handle, "screen_name": handle, "indices": ["20", "30"], "id_str": uid, "id": uid}
            )
            text = f"{_text(rng, 6)} @{handle} {_text(rng, 6)}"
        else:
            text = _text(rng, 16)
        tw.update(
            retweeted=False,
            source='<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            entities={"hashtags": [], "symbols": [], "user_mentions": mentions, "urls": []},
            display_text_range=["0", str(len(text))],
            favorite_count=str(rng.randint(0, 50)),
            id_str=tid,
            truncated=False,
            retweet_count=str(rng.randint(0, 10)),
            id=tid,
            created_at=_tweet_time(when),
            favorited=False,
            full_text=text,
            lang="en",
        )
        yield {"tweet": tw}


def build_archive(root: Path, likes: int, tweets: int, followers: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    data = root / "data"
    data.mkdir(parents=True)
    people = [(str(3_000_000_000 + i), f"keeper{i}") for i in range(max(1000, followers))]
    account = {"account": {"username": ME_HANDLE, "accountId": ME, "accountDisplayName": "Harbor Lamp"}}
    _write_array(data / "account.js", "account", [account])
    _write_array(data / "tweet.js", "tweet", _tweets(rng, tweets, people))
    _write_array(
        data / "like.js",
        "like",
        (
            {
                "like": {
                    "tweetId": str(800_000_000_000_000_000 + i),
                    "fullText": _text(rng, 14),
                    "expandedUrl": f"https://twitter.com/i/web/status/{800_000_000_000_000_000 + i}",
                }
            }
            for i in range(likes)
        ),
    )
    for name, n in (("follower", followers), ("following", followers // 10)):
        entries = (
            {name: {"accountId": uid, "userLink": f"https://twitter.com/intent/user?user_id={uid}"}}
            for uid, _ in people[:n]
        )
        _write_array(data / f"{name}.js", name, entries)
    manifest = {"archiveInfo": {"generationDate": "2024-01-01T00:00:00.000Z"}, "userInfo": {"accountId": ME}}
    (data / "manifest.js").write_text("window.__THAR_CONFIG = " + json.dumps(manifest))


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_rss_mib: float
    output: str


def run_child(name: str, argv: list[str], env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{output[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, wall, cpu, usage.ru_maxrss / 1024, output)  # ru_maxrss is in KiB on Linux


def run_mutuals(archive: Path, work: Path) -> tuple[Run, dict[str, object]]:
    home = work / "mutuals-home"
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, MUTUALS_HOME=str(home))
    env.pop("MUTUALS_DATABASE_URL", None)
    # Create the schema first, so that the timed run measures the import alone.
    run_child("mutuals status", [str(BIN / "mutuals"), "status", "--json"], env)
    run = run_child("Mutuals", [str(BIN / "mutuals"), "import", str(archive), "--json"], env)
    return run, json.loads(run.output)


def run_twitter_to_sqlite(archive: Path, work: Path) -> Run:
    db = work / "twitter-to-sqlite.db"
    db.unlink(missing_ok=True)
    exe = BIN / "twitter-to-sqlite"
    if not exe.exists():
        raise SystemExit("twitter-to-sqlite is not installed: .venv/bin/pip install -e '.[dev]'")
    return run_child("twitter-to-sqlite", [str(exe), "import", str(db), str(archive / "data")])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--likes", type=int, default=1_000_000)
    ap.add_argument("--tweets", type=int, default=200_000)
    ap.add_argument("--followers", type=int, default=50_000)
    ap.add_argument("--no-memory-check", action="store_true", help="Skip the quarter-size run.")
    ap.add_argument("--keep", type=Path, help="Build the archive here and keep it (default: a temp folder).")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="mutuals-bench-") as tmp:
        work = args.keep or Path(tmp)
        archive = work / "archive"
        shutil.rmtree(archive, ignore_errors=True)
        t0 = time.perf_counter()
        build_archive(archive, args.likes, args.tweets, args.followers)
        size = sum(p.stat().st_size for p in archive.rglob("*") if p.is_file())
        print(
            f"archive: {args.tweets:,} tweets, {args.likes:,} likes, {args.followers:,} followers, "
            f"{size / 2**20:.0f} MiB, built in {time.perf_counter() - t0:.1f} s"
        )
        load = os.getloadavg()
        mutuals, report = run_mutuals(archive, work)
        counts = report["counts"]
        assert isinstance(counts, dict)
        interactions = int(counts["interactions"])
        t2s = run_twitter_to_sqlite(archive, work)
        print(f"interactions in the archive (as Mutuals counts them): {interactions:,}")
        print(f"load average before the runs: {load[0]:.1f} (2 cores; other work slows the wall clock)")
        print(f"{'importer':<20}{'wall s':>9}{'CPU s':>9}{'interactions/s':>17}{'peak RSS MiB':>15}")
        for run in (mutuals, t2s):
            rate = interactions / run.wall
            print(f"{run.name:<20}{run.wall:>9.1f}{run.cpu:>9.1f}{rate:>17,.0f}{run.peak_rss_mib:>15.0f}")
        print(
            f"ratio twitter-to-sqlite / Mutuals: wall {t2s.wall / mutuals.wall:.2f}x, "
            f"CPU {t2s.cpu / mutuals.cpu:.2f}x, peak RSS {t2s.peak_rss_mib / mutuals.peak_rss_mib:.2f}x"
        )
        if not args.no_memory_check:
            small = work / "archive-quarter"
            shutil.rmtree(small, ignore_errors=True)
            build_archive(small, args.likes // 4, args.tweets // 4, args.followers // 4, seed=2)
            quarter, rep = run_mutuals(small, work)
            q_counts = rep["counts"]
            assert isinstance(q_counts, dict)
            print(
                f"memory check: Mutuals peak RSS {quarter.peak_rss_mib:.0f} MiB at a quarter of the size "
                f"({int(q_counts['interactions']):,} interactions, {quarter.wall:.1f} s wall, "
                f"{quarter.cpu:.1f} s CPU) vs "
                f"{mutuals.peak_rss_mib:.0f} MiB at full size"
            )


if __name__ == "__main__":
    main()
