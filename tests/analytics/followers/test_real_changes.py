"""``mutuals followers changes`` on the real exports in ../shared/data: the four successive Mastodon
following_accounts.csv exports and the two Instagram exports of one account give exactly the additions and
removals of a set difference of the raw files, computed here without the importers."""

from __future__ import annotations

import csv
import itertools
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.realdata

MASTODON_ACCOUNT = "todb@infosec.exchange"
INSTAGRAM_ACCOUNT = "robertomramoss"
MAY = "export_approx2025-05-10_committed2025-12-05_robertoclase"
DEC = "export_2025-12-10_robertoclase"


def _json(cli: Any, *args: str) -> Any:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def _mastodon_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "mastodon" / "csv_following_todb").glob("following_accounts_*.csv"))


def _file_date(path: Path) -> datetime:
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    assert m is not None
    return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)


def _addresses(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "Account address"
    return {r[0].strip().lower() for r in rows[1:] if r and r[0].strip()}


def _expected_mastodon(files: list[Path]) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(address, t0, t1) of every addition and removal between successive dates (one list per date: two
    exports of the same day must hold the same follows, which is checked)."""
    by_date: dict[datetime, set[str]] = {}
    for f in files:
        members = _addresses(f)
        day = _file_date(f)
        assert by_date.setdefault(day, members) == members, f"two lists of {day} differ"
    days = sorted(by_date)
    gained, lost = set(), set()
    for a, b in itertools.pairwise(days):
        gained |= {(m, a.isoformat(), b.isoformat()) for m in by_date[b] - by_date[a]}
        lost |= {(m, a.isoformat(), b.isoformat()) for m in by_date[a] - by_date[b]}
    return gained, lost


def _as_set(rows: list[dict[str, Any]], key: str = "handle") -> set[tuple[str, str, str]]:
    return {(str(r[key]).lower(), r["between"][0], r["between"][1]) for r in rows}


def _import_mastodon(cli: Any, path: Path) -> None:
    _json(cli, "import", str(path), "--source", "mastodon-csv", "--account", MASTODON_ACCOUNT)


@pytest.mark.parametrize("order", ["sorted", "reversed", "shuffled"])
def test_mastodon_following_exports_give_exactly_the_set_differences(
    cli: Any, shared_data: Path, order: str
) -> None:
    files = _mastodon_files(shared_data)
    assert len(files) == 4
    gained, lost = _expected_mastodon(files)
    assert gained and lost
    sequence = {
        "sorted": files,
        "reversed": files[::-1],
        "shuffled": [files[2], files[0], files[3], files[1]],
    }
    for f in sequence[order]:
        _import_mastodon(cli, f)
    data = _json(cli, "followers", "changes", "--direction", "following", "--account", MASTODON_ACCOUNT)
    assert set(data) == {"gained", "lost"}
    assert len(data["gained"]) == len(gained) and _as_set(data["gained"]) == gained
    assert len(data["lost"]) == len(lost) and _as_set(data["lost"]) == lost
    assert all(r["network"] == "mastodon" and r["platform_id"] == "@" + r["handle"] for r in data["gained"])


def test_reimporting_any_mastodon_export_changes_nothing(cli: Any, shared_data: Path) -> None:
    files = _mastodon_files(shared_data)
    for f in files:
        _import_mastodon(cli, f)
    before = _json(cli, "followers", "changes", "--direction", "following")
    status = _json(cli, "status")
    for f in files:
        _import_mastodon(cli, f)
    assert _json(cli, "followers", "changes", "--direction", "following") == before
    assert _json(cli, "status") == status


def test_since_keeps_only_the_later_mastodon_changes(cli: Any, shared_data: Path) -> None:
    files = _mastodon_files(shared_data)
    for f in files:
        _import_mastodon(cli, f)
    gained, lost = _expected_mastodon(files)
    cut = "2023-11-01"
    data = _json(cli, "followers", "changes", "--direction", "following", "--since", cut)
    assert _as_set(data["gained"]) == {g for g in gained if g[2] >= cut}
    assert _as_set(data["lost"]) == {g for g in lost if g[2] >= cut}


def _ig_username(item: dict[str, Any]) -> str:
    entry = item["string_list_data"][0]
    name = entry.get("value") or item.get("title") or entry["href"].rstrip("/").rsplit("/", 1)[-1]
    return str(name).lower()


def _ig_lists(root: Path) -> dict[str, Any]:
    followers = [i for p in root.rglob("followers_*.json") for i in json.loads(p.read_text(encoding="utf-8"))]
    following_file = next(root.rglob("following.json"))
    following = json.loads(following_file.read_text(encoding="utf-8"))["relationships_following"]
    # An Instagram list carries no date: it is dated by the newest time anywhere in the export.
    stamps = [
        e["timestamp"]
        for p in root.rglob("*.json")
        for items in _item_lists(json.loads(p.read_text(encoding="utf-8")))
        for i in items
        for e in i.get("string_list_data", [])
        if "timestamp" in e
    ]
    return {
        "follower": {_ig_username(i) for i in followers},
        "following": {_ig_username(i) for i in following},
        "followed_at": {
            _ig_username(i): datetime.fromtimestamp(i["string_list_data"][0]["timestamp"], UTC).isoformat()
            for i in followers
        },
        "taken_at": datetime.fromtimestamp(max(stamps), UTC).isoformat(),
    }


def _item_lists(data: Any) -> list[list[dict[str, Any]]]:
    if isinstance(data, list):
        return [data]
    return [v for v in data.values() if isinstance(v, list)]


@pytest.mark.parametrize("order", ["may-first", "dec-first"])
@pytest.mark.parametrize("direction", ["follower", "following"])
def test_instagram_exports_give_exactly_the_set_differences(
    cli: Any, shared_data: Path, order: str, direction: str
) -> None:
    may, dec = shared_data / "instagram" / MAY, shared_data / "instagram" / DEC
    old, new = _ig_lists(may), _ig_lists(dec)
    for path in [may, dec] if order == "may-first" else [dec, may]:
        _json(cli, "import", str(path), "--source", "instagram", "--account", INSTAGRAM_ACCOUNT)
    data = _json(cli, "followers", "changes", "--direction", direction)
    between = (old["taken_at"], new["taken_at"])
    expect_gained = {(u, *between) for u in new[direction] - old[direction]}
    expect_lost = {(u, *between) for u in old[direction] - new[direction]}
    assert len(data["gained"]) == len(expect_gained) and _as_set(data["gained"]) == expect_gained
    assert len(data["lost"]) == len(expect_lost) and _as_set(data["lost"]) == expect_lost
    if direction == "follower":
        # The export's own follow time is kept with each new follower.
        assert {r["handle"].lower(): r["followed_at"] for r in data["gained"]} == {
            u: new["followed_at"][u] for u in new["follower"] - old["follower"]
        }
