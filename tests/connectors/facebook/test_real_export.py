"""The real Facebook export in ../shared/data/facebook imports, with counts checked against the raw
JSON (parsed and repaired here, without the importer)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.connectors.import_checks import run_json, status

pytestmark = pytest.mark.realdata


def _fix(s: str) -> str:
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _fix(name)).casefold().split())


def _list(root: Path, rel: str) -> list[dict[str, Any]]:
    data = json.loads((root / rel).read_text(encoding="utf-8"))
    (value,) = data.values()
    return value  # type: ignore[no-any-return]


@pytest.fixture
def export(shared_data: Path) -> Path:
    return shared_data / "facebook" / "export_2026-03_tieubachlongblog"


def _raw(root: Path) -> dict[str, Any]:
    friends = _list(root, "connections/friends/your_friends.json")
    followers = _list(root, "connections/followers/people_who_followed_you.json")
    following = _list(root, "connections/followers/who_you've_followed.json")
    removed = _list(root, "connections/friends/removed_friends.json")
    received = _list(root, "connections/friends/received_friend_requests.json")
    sent = _list(root, "connections/friends/sent_friend_requests.json")
    messages = []
    for path in root.rglob("message_*.json"):
        messages += json.loads(path.read_text(encoding="utf-8"))["messages"]
    return {
        "friends": {_norm(p["name"]) for p in friends},
        "followers": {_norm(p["name"]) for p in followers},
        "following": {_norm(p["name"]) for p in following},
        "entries": len(friends) + len(followers) + len(following),
        "removed": {(_norm(p["name"]), p["timestamp"]) for p in removed},
        "invitations": {(_norm(p["name"]), p["timestamp"], "in") for p in received}
        | {(_norm(p["name"]), p["timestamp"], "out") for p in sent},
        "events": len(removed) + len(received) + len(sent),
        "messages": messages,
    }


def test_the_real_export_imports_with_counts_matching_the_raw_files(cli: Any, export: Path) -> None:
    raw = _raw(export)
    report = run_json(cli, "import", str(export))
    assert report["source"] == "facebook"
    assert report["status"] == "ok", report["problems"]
    assert report["counts"]["interactions"] == raw["events"] + len(raw["messages"])
    assert report["counts"]["follow_edges"] == (
        len(raw["friends"]) + len(raw["followers"]) + len(raw["following"])
    )
    assert report["counts"]["skipped"] == 0
    # Two friends share a display name: same identity, one duplicate entry noted.
    assert raw["entries"] > report["counts"]["follow_edges"]
    assert any("duplicate" in n for n in report["notes"])
    data = status(cli)
    fe = data["follow_edges"]
    assert (fe["friends"], fe["followers"], fe["following"]) == (
        len(raw["friends"]),
        len(raw["followers"]),
        len(raw["following"]),
    )
    kinds = data["interactions"]["by_kind"]
    assert kinds["unfollow"] == len(raw["removed"])
    assert kinds["invitation"] == len(raw["invitations"])
    distinct_messages = {(m["sender_name"], m["timestamp_ms"], m.get("content")) for m in raw["messages"]}
    assert kinds["dm"] == len(distinct_messages)


def test_the_owner_is_the_participant_who_sent_the_most_messages(
    cli: Any, engine: Engine, export: Path
) -> None:
    raw = _raw(export)
    senders = Counter(_fix(m["sender_name"]) for m in raw["messages"] if m["sender_name"].strip())
    owner = senders.most_common(1)[0][0]
    run_json(cli, "import", str(export))
    with engine.connect() as conn:
        handles = [r[0] for r in conn.execute(select(t.accounts.c.handle))]
        rows = conn.execute(select(t.interactions.c.direction).where(t.interactions.c.kind == "dm")).all()
    assert handles == [owner]
    directions = Counter(r[0] for r in rows)
    assert directions["outbound"] == senders[owner]
    assert directions["inbound"] == len(raw["messages"]) - senders[owner]


def test_vietnamese_names_come_out_repaired(cli: Any, engine: Engine, export: Path) -> None:
    friends = _list(export, "connections/friends/your_friends.json")
    # A raw name with the mojibake of "Đ" (U+0110, UTF-8 C4 90) in it.
    garbled = next(p["name"] for p in friends if "\u00c4\u0090" in p["name"])
    expected = garbled.encode("latin-1").decode("utf-8")
    assert "Đ" in expected and "Ä" not in expected
    run_json(cli, "import", str(export))
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(select(t.identities.c.display_name))}
    assert expected in names
    assert garbled not in names
    assert not any("Ã" in n or "á»" in n for n in names if n)


def test_reimporting_the_export_changes_nothing(cli: Any, export: Path) -> None:
    run_json(cli, "import", str(export))
    first = status(cli)
    again = run_json(cli, "import", str(export))
    assert all(v == 0 for v in again["added"].values())
    assert again["run_id"] is None
    assert status(cli) == first


def test_the_zip_imports_exactly_like_the_folder(cli: Any, export: Path, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "facebook-export"), "zip", export))
    from_folder = run_json(cli, "import", str(export))
    first = status(cli)
    from_zip = run_json(cli, "import", str(archive))
    assert from_zip["source"] == "facebook"
    assert from_zip["counts"] == from_folder["counts"]
    assert all(v == 0 for v in from_zip["added"].values())
    assert status(cli) == first
