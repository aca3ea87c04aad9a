"""The two real Instagram exports of one account (../shared/data/instagram) import, and importing both,
in either order, turns the difference between their lists into exactly the follows and unfollows a set
difference of the raw JSON gives (computed here, without the importer)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.connectors.import_checks import run_json, status

pytestmark = pytest.mark.realdata
MAY = "export_approx2025-05-10_committed2025-12-05_robertoclase"
DEC = "export_2025-12-10_robertoclase"
ACCOUNT = "robertomramoss"
LISTS = {
    "following.json": "relationships_following",
    "recently_unfollowed_profiles.json": "relationships_unfollowed_users",
    "pending_follow_requests.json": "relationships_follow_requests_sent",
    "recent_follow_requests.json": "relationships_permanent_follow_requests",
}


def _username(item: dict[str, Any]) -> str:
    entry = item["string_list_data"][0]
    name = entry.get("value") or item.get("title") or entry["href"].rstrip("/").rsplit("/", 1)[-1]
    return str(name).lower()


def _raw(root: Path) -> dict[str, Any]:
    files = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in root.rglob("*.json")}
    followers = [i for name, d in files.items() if name.startswith("followers_") for i in d]
    lists = {name: files[name][key] for name, key in LISTS.items() if name in files}
    stamps = [
        e["timestamp"] for items in [followers, *lists.values()] for i in items for e in i["string_list_data"]
    ]
    return {
        "followers": {_username(i): i["string_list_data"][0]["timestamp"] for i in followers},
        "following": {_username(i) for i in lists["following.json"]},
        "unfollowed": {
            (_username(i), i["string_list_data"][0]["timestamp"])
            for i in lists["recently_unfollowed_profiles.json"]
        },
        "requests": {
            (_username(i), i["string_list_data"][0]["timestamp"])
            for name in ("pending_follow_requests.json", "recent_follow_requests.json")
            for i in lists[name]
        },
        "events": sum(len(v) for k, v in lists.items() if k != "following.json"),
        "taken_at": datetime.fromtimestamp(max(stamps), UTC),
    }


@pytest.fixture
def exports(shared_data: Path) -> dict[str, Path]:
    return {"may": shared_data / "instagram" / MAY, "dec": shared_data / "instagram" / DEC}


@pytest.mark.parametrize("which", ["may", "dec"])
def test_each_real_export_imports_with_counts_matching_the_raw_files(
    cli: Any, exports: dict[str, Path], which: str
) -> None:
    raw = _raw(exports[which])
    report = run_json(cli, "import", str(exports[which]), "--account", ACCOUNT)
    assert report["source"] == "instagram"
    assert report["status"] == "ok", report["problems"]
    assert report["counts"]["follow_edges"] == len(raw["followers"]) + len(raw["following"])
    assert report["counts"]["interactions"] == raw["events"]
    assert {s["direction"]: s["members"] for s in report["snapshots"]} == {
        "follower": len(raw["followers"]),
        "following": len(raw["following"]),
    }
    assert {s["taken_at"] for s in report["snapshots"]} == {raw["taken_at"].isoformat()}
    assert any("newest date inside the export" in n for n in report["notes"])
    data = status(cli)
    assert data["follow_edges"]["followers"] == len(raw["followers"])
    assert data["follow_edges"]["following"] == len(raw["following"])
    assert data["interactions"]["by_kind"] == {
        "unfollow": len(raw["unfollowed"]),
        "invitation": len(raw["requests"]),
    }


def _edges(engine: Engine, direction: str) -> list[Any]:
    e, i = t.follow_edges.c, t.identities.c
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    i.platform_id,
                    e.valid_from,
                    e.valid_from_after,
                    e.valid_to,
                    e.valid_to_after,
                    e.followed_at,
                )
                .join(t.identities, i.id == e.identity_id)
                .where(e.direction == direction)
            )
        )


@pytest.mark.parametrize("order", [("may", "dec"), ("dec", "may")])
def test_two_exports_in_either_order_give_exactly_the_set_difference(
    cli: Any, engine: Engine, exports: dict[str, Path], order: tuple[str, str]
) -> None:
    may, dec = _raw(exports["may"]), _raw(exports["dec"])
    for which in order:
        run_json(cli, "import", str(exports[which]), "--account", ACCOUNT)
    m, d = may["taken_at"], dec["taken_at"]
    for direction, old, new in (
        ("follower", set(may["followers"]), set(dec["followers"])),
        ("following", may["following"], dec["following"]),
    ):
        edges = _edges(engine, direction)
        gained = {r.platform_id for r in edges if r.valid_from == d and r.valid_from_after == m}
        lost = {r.platform_id for r in edges if r.valid_to == d and r.valid_to_after == m}
        current = {r.platform_id for r in edges if r.valid_to is None}
        assert gained == {"@" + u for u in new - old}, direction
        assert lost == {"@" + u for u in old - new}, direction
        assert current == {"@" + u for u in new}, direction
        assert len(edges) == len(old | new), direction
    # Each follower's own follow time is kept.
    for r in _edges(engine, "follower"):
        if r.valid_from == d and r.valid_from_after == m:
            assert r.followed_at == datetime.fromtimestamp(dec["followers"][r.platform_id[1:]], UTC)
    data = status(cli)
    assert data["follow_edges"]["ended"] == len(set(may["followers"]) - set(dec["followers"])) + len(
        may["following"] - dec["following"]
    )
    assert data["interactions"]["by_kind"] == {
        "unfollow": len(may["unfollowed"] | dec["unfollowed"]),
        "invitation": len(may["requests"] | dec["requests"]),
    }


def test_reimporting_an_export_changes_nothing(cli: Any, exports: dict[str, Path]) -> None:
    run_json(cli, "import", str(exports["may"]), "--account", ACCOUNT)
    run_json(cli, "import", str(exports["dec"]), "--account", ACCOUNT)
    first = status(cli)
    for which in ("may", "dec"):
        again = run_json(cli, "import", str(exports[which]), "--account", ACCOUNT)
        assert all(v == 0 for v in again["added"].values()), which
        assert all(s["already_known"] for s in again["snapshots"])
    assert status(cli) == first


def test_the_zip_imports_exactly_like_the_folder(cli: Any, exports: dict[str, Path], tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "instagram-export"), "zip", exports["dec"]))
    from_folder = run_json(cli, "import", str(exports["dec"]), "--account", ACCOUNT)
    first = status(cli)
    from_zip = run_json(cli, "import", str(archive), "--account", ACCOUNT)
    assert from_zip["source"] == "instagram"
    assert from_zip["counts"] == from_folder["counts"]
    assert all(v == 0 for v in from_zip["added"].values())
    assert status(cli) == first
