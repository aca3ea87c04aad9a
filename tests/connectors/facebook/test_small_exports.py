"""Invented Facebook exports (tests/cases/facebook): mojibake repair, directions, bad input."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.connectors.meta_json import repair, repair_text
from mutuals.storage import tables as t
from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

SMALL = CASES / "facebook" / "small"


def test_repairing_mojibake_restores_the_utf8_text() -> None:
    original = "Trần Thị Ngọc Ánh – café ☕ 😊"
    garbled = original.encode("utf-8").decode("latin-1")
    assert garbled != original
    assert repair_text(garbled) == original


def test_repair_leaves_text_that_was_never_garbled_alone() -> None:
    # Real Latin-1 text whose bytes are not valid UTF-8, and text outside Latin-1 altogether.
    assert repair_text("Zoë Brandt") == "Zoë Brandt"
    assert repair_text("Đinh Ngọc") == "Đinh Ngọc"
    assert repair_text("plain ascii") == "plain ascii"


def test_repair_reaches_every_string_of_a_document() -> None:
    g = "Nguyễn".encode().decode("latin-1")
    assert repair({"participants": [{"name": g}], "n": 3, g: [g, None]}) == {
        "participants": [{"name": "Nguyễn"}],
        "n": 3,
        "Nguyễn": ["Nguyễn", None],
    }


def test_an_invented_export_imports_with_repaired_names_and_both_directions(cli: Any, engine: Engine) -> None:
    report = run_json(cli, "import", str(SMALL))
    assert report["source"] == "facebook" and report["status"] == "ok"
    with engine.connect() as conn:
        (owner,) = conn.execute(select(t.accounts.c.handle)).scalars()
        names = set(conn.execute(select(t.identities.c.display_name)).scalars())
        dms = conn.execute(
            select(t.interactions.c.direction, t.interactions.c.text, t.identities.c.display_name)
            .join(t.identities, t.identities.c.id == t.interactions.c.identity_id)
            .where(t.interactions.c.kind == "dm")
            .order_by(t.interactions.c.occurred_at)
        ).all()
    assert owner == "Minh Trần"
    assert {"Nguyễn Văn An", "Zoë Brandt", "Élodie Moreau"} <= names
    assert [tuple(r) for r in dms] == [
        ("outbound", "Chúc mừng năm mới, An!", "Nguyễn Văn An"),
        ("inbound", "Cảm ơn bạn nhiều! 😊", "Nguyễn Văn An"),
        ("outbound", "See you at the café?", "Zoë Brandt"),
    ]
    data = status(cli)
    assert data["follow_edges"] == {"followers": 2, "following": 1, "friends": 3, "ended": 0}
    assert data["interactions"]["by_kind"] == {"dm": 3, "invitation": 2, "unfollow": 1}


def test_account_option_names_the_owner(cli: Any, engine: Engine) -> None:
    run_json(cli, "import", str(SMALL), "--account", "Minh Trần")
    with engine.connect() as conn:
        assert list(conn.execute(select(t.accounts.c.handle)).scalars()) == ["Minh Trần"]


def test_a_few_bad_records_make_a_partial_import_listing_them(cli: Any) -> None:
    report = run_json(cli, "import", str(CASES / "facebook" / "bad_records"))
    assert report["status"] == "partial"
    assert report["counts"]["skipped"] == 2
    assert {(Path(p["file"]).name, p["record"]) for p in report["problems"]} == {
        ("your_friends.json", "item 2"),
        ("message_1.json", "message 1"),
    }
    assert report["counts"]["follow_edges"] == 2
    assert report["counts"]["interactions"] == 4


@pytest.fixture
def loaded(cli: Any) -> Any:
    """A database that already holds something, so that "unchanged" means something."""
    run_json(cli, "import", str(SMALL))
    return cli


def test_a_truncated_zip_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "fb"), "zip", SMALL))
    data = archive.read_bytes()
    cut = tmp_path / "facebook-cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert_fails_cleanly(loaded, str(cut), "--source", "facebook", names="facebook-cut.zip")


def test_a_zip_with_a_corrupt_member_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    archive = tmp_path / "fb-corrupt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("connections/friends/your_friends.json", json.dumps({"friends_v2": []}) * 50)
    raw = bytearray(archive.read_bytes())
    raw[60:90] = os.urandom(30)  # inside the compressed data of the only member
    archive.write_bytes(bytes(raw))
    assert_fails_cleanly(
        loaded, str(archive), "--source", "facebook", "--account", "Minh Trần", names="fb-corrupt.zip"
    )


def test_an_empty_file_fails_cleanly(loaded: Any) -> None:
    path = CASES / "facebook" / "empty" / "your_friends.json"
    assert_fails_cleanly(loaded, str(path), "--source", "facebook", names="your_friends.json")


def test_random_bytes_fail_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "your_friends.json"
    path.write_bytes(os.urandom(4096))
    assert_fails_cleanly(loaded, str(path), "--source", "facebook", names="your_friends.json")


def test_a_json_that_is_not_an_export_fails_cleanly(loaded: Any) -> None:
    path = CASES / "facebook" / "not_an_export"
    line = assert_fails_cleanly(loaded, str(path), "--source", "facebook", names="your_friends.json")
    assert "friends_v2" in line


def test_truncated_json_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    src = SMALL / "connections" / "friends" / "your_friends.json"
    path = tmp_path / "your_friends.json"
    path.write_bytes(src.read_bytes()[:40])
    assert_fails_cleanly(loaded, str(path), names="your_friends.json")
