"""Every real repository CAR in ../shared/data imports, with counts checked against an independent decode:
the CAR read here with libipld (the DAG-CBOR codec under the atproto SDK) and the tree walked here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import libipld
import pytest
from sqlalchemy import Engine, func, select

from mutuals.connectors.base import ImportOptions
from mutuals.ingest import run_import
from mutuals.storage import tables as t
from mutuals.storage.queries import workspace_status

FOLDER = "bluesky/indigo_testdata"
REPOS = [
    "testing__testdata__greenground.repo.car",
    "testing__testdata__paul_staging.repo.car",
    "testing__testdata__fakermaker.repo.car",
    "testing__testdata__divy.repo",
    "testing__testdata__bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car",
    "testing__testdata__repo_slice.car",
]


def _decode(path: Path) -> dict[str, Any]:
    """Records in the root commit's tree, by collection, and how many tree blocks are missing."""
    header, blocks = libipld.decode_car(path.read_bytes())
    commit = blocks[header["roots"][0]]
    did = commit["did"]
    records: list[tuple[str, dict[str, Any]]] = []
    missing = 0

    def visit(link: bytes) -> None:
        nonlocal missing
        node = blocks.get(link)
        if node is None:
            missing += 1
            return
        if node["l"]:
            visit(node["l"])
        key = b""
        for e in node["e"]:
            key = key[: e["p"]] + e["k"]
            if e["v"] in blocks:
                records.append((key.decode().split("/")[0], blocks[e["v"]]))
            else:
                missing += 1
            if e["t"]:
                visit(e["t"])

    visit(commit["data"])
    return {"did": did, "records": records, "missing": missing}


def _authority(uri: str) -> str:
    return uri.split("/")[2]


@pytest.mark.parametrize("name", REPOS)
def test_a_real_repository_imports_with_exact_counts(engine: Engine, shared_data: Path, name: str) -> None:
    path = shared_data / FOLDER / name
    raw = _decode(path)
    did = raw["did"]
    by = Counter(c for c, _ in raw["records"])
    posts = [r for c, r in raw["records"] if c == "app.bsky.feed.post"]
    reposts = [r for c, r in raw["records"] if c == "app.bsky.feed.repost"]

    report = run_import(path, ImportOptions(), engine=engine)
    assert report.source == "bluesky-car"
    assert report.status == ("partial" if raw["missing"] else "ok"), report.problems
    assert report.counts["skipped"] == raw["missing"]
    assert report.counts["posts"] == len(posts) + len(reposts)
    with engine.connect() as conn:
        p, i = t.posts.c, t.interactions.c
        kinds = dict(conn.execute(select(p.kind, func.count()).group_by(p.kind)).all())
        events = dict(conn.execute(select(i.kind, func.count()).group_by(i.kind)).all())
        handles = conn.execute(select(t.accounts.c.platform_id)).scalars().all()
    assert handles == [did]
    assert kinds.get("reply", 0) == sum(1 for r in posts if "reply" in r)
    assert kinds.get("repost", 0) == len(reposts)
    assert events.get("like", 0) == by["app.bsky.feed.like"]
    assert events.get("block", 0) == by["app.bsky.graph.block"]
    assert events.get("repost", 0) == sum(1 for r in reposts if _authority(r["subject"]["uri"]) != did)
    replies_to_others = sum(
        1 for r in posts if "reply" in r and _authority(r["reply"]["parent"]["uri"]) != did
    )
    assert events.get("reply", 0) == replies_to_others
    if raw["missing"]:
        assert report.snapshots == [], "a partial repository is no complete following list"
    else:
        assert report.counts["follow_edges"] == by["app.bsky.graph.follow"]
        assert report.snapshots[0]["members"] == by["app.bsky.graph.follow"]
        assert workspace_status_following(engine) == by["app.bsky.graph.follow"]


def workspace_status_following(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(workspace_status(conn)["follow_edges"]["following"])


def test_records_of_older_commits_are_not_imported(engine: Engine, shared_data: Path) -> None:
    # paul_staging's file keeps 28 commits of history: blocks of follows deleted since are still in it
    path = shared_data / FOLDER / "testing__testdata__paul_staging.repo.car"
    _, blocks = libipld.decode_car(path.read_bytes())
    every_follow = sum(
        1 for b in blocks.values() if isinstance(b, dict) and b.get("$type") == "app.bsky.graph.follow"
    )
    in_tree = Counter(c for c, _ in _decode(path)["records"])["app.bsky.graph.follow"]
    assert every_follow > in_tree
    report = run_import(path, ImportOptions(), engine=engine)
    assert report.counts["follow_edges"] == in_tree


@pytest.mark.parametrize("name", REPOS)
def test_reimporting_a_repository_changes_nothing(cli: Any, shared_data: Path, name: str) -> None:
    path = str(shared_data / FOLDER / name)
    assert cli("import", path).code == 0
    before = cli("status", "--json").out
    res = cli("import", path, "--json")
    assert res.code == 0
    assert '"run_id": null' in res.out
    assert cli("status", "--json").out == before
