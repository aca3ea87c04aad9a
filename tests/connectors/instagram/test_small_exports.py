"""Invented Instagram exports (tests/cases/instagram): every list, comments and messages, our account,
bad records and bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

SMALL = CASES / "instagram" / "small"


def _interactions(engine: Engine) -> list[tuple[Any, ...]]:
    x, i = t.interactions.c, t.identities.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(x.kind, x.direction, i.platform_id, x.text)
            .join(t.identities, i.id == x.identity_id, isouter=True)
            .order_by(x.occurred_at)
        )
        return [tuple(r) for r in rows]


def test_an_invented_export_imports_every_list(cli: Any, engine: Engine) -> None:
    report = run_json(cli, "import", str(SMALL))
    assert report["source"] == "instagram" and report["status"] == "ok"
    with engine.connect() as conn:
        assert list(conn.execute(select(t.accounts.c.handle)).scalars()) == ["minh.roasts"]
        hiro = conn.execute(
            select(t.identities.c.handle, t.identities.c.profile).where(
                t.identities.c.platform_id == "@hiro_tanaka"
            )
        ).one()
    assert hiro.handle == "Hiro_Tanaka"
    assert hiro.profile == {"url": "https://www.instagram.com/Hiro_Tanaka"}
    assert _interactions(engine) == [
        ("unfollow", "outbound", "@omar.rahman", None),
        # the same request in pending_ and recent_follow_requests.json is one interaction
        ("invitation", "outbound", "@private.pia", "follow request"),
        ("invitation", "outbound", "@wes.whitfield", "follow request"),
        ("note", "outbound", "@zoe.brandt", "added to close friends"),
        ("comment", "outbound", "@zoe.brandt", "Đẹp quá! 😍"),
        ("dm", "outbound", "name:zoë brandt", "Thanks for the follow!"),
        ("dm", "inbound", "name:zoë brandt", "Merci, à bientôt!"),
        ("note", "outbound", "@yara.yilmaz", "removed from suggestions"),
        ("block", "outbound", "@spam.bot.9000", None),
        ("invitation", "inbound", "@theo.tanaka", "follow request"),
    ]
    fe = status(cli)["follow_edges"]
    assert (fe["followers"], fe["following"]) == (3, 2)


def test_the_following_list_in_the_late_2025_shape_is_read(cli: Any, engine: Engine) -> None:
    run_json(cli, "import", str(SMALL))
    e, i = t.follow_edges.c, t.identities.c
    with engine.connect() as conn:
        following = set(
            conn.execute(
                select(i.platform_id)
                .join(t.follow_edges, e.identity_id == i.id)
                .where(e.direction == "following")
            ).scalars()
        )
    assert following == {"@zoe.brandt", "@lena.lindqvist"}


def test_our_account_comes_from_the_name_instagram_gives_the_download(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "instagram-ada.abara-2025-03-01-XyZ123"
    shutil.copytree(SMALL / "connections", folder / "connections")
    run_json(cli, "import", str(folder))
    archive = Path(
        shutil.make_archive(str(tmp_path / "instagram-ada.abara-2025-03-01-QwE987"), "zip", folder)
    )
    again = run_json(cli, "import", str(archive))
    assert all(v == 0 for v in again["added"].values())
    assert status(cli)["accounts"] == 1


def test_without_a_name_for_our_account_the_error_asks_for_it(cli: Any) -> None:
    res = cli("import", str(CASES / "instagram" / "bad_records"))
    assert res.code == 1
    assert "--account" in res.err and len(res.err.strip().splitlines()) == 1


def test_a_few_bad_records_make_a_partial_import_listing_them(cli: Any) -> None:
    report = run_json(cli, "import", str(CASES / "instagram" / "bad_records"), "--account", "ada")
    assert report["status"] == "partial"
    assert report["counts"]["skipped"] == 2
    assert [p["record"] for p in report["problems"]] == ["item 2", "item 3"]
    assert all(p["file"].endswith("followers_1.json") for p in report["problems"])
    assert report["counts"]["follow_edges"] == 2


@pytest.fixture
def loaded(cli: Any) -> Any:
    run_json(cli, "import", str(SMALL))
    return cli


def test_a_truncated_zip_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "ig"), "zip", SMALL))
    cut = tmp_path / "instagram-cut.zip"
    cut.write_bytes(archive.read_bytes()[:-200])
    assert_fails_cleanly(loaded, str(cut), "--source", "instagram", names="instagram-cut.zip")


def test_an_empty_file_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "followers_1.json"
    path.write_bytes(b"")
    assert_fails_cleanly(loaded, str(path), "--source", "instagram", names="followers_1.json")


def test_random_bytes_fail_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "followers_1.json"
    path.write_bytes(os.urandom(2048))
    assert_fails_cleanly(loaded, str(path), "--source", "instagram", names="followers_1.json")


def test_a_json_that_is_not_an_export_fails_cleanly(loaded: Any) -> None:
    path = CASES / "instagram" / "not_an_export" / "following.json"
    line = assert_fails_cleanly(loaded, str(path), "--source", "instagram", names="following.json")
    assert "relationships_following" in line


def test_a_folder_without_instagram_files_fails_cleanly(loaded: Any) -> None:
    assert_fails_cleanly(loaded, str(CASES / "linkedin" / "newer"), "--source", "instagram", names="newer")
