"""An invented repository (tests/cases/bluesky-car/small_repo.json, written into a CAR here): what each
record becomes; bad records skipped and listed; unreadable files refused cleanly."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mutuals.storage import tables as t
from mutuals.storage.db import create_db_engine
from tests.conftest import CASES
from tests.connectors.bluesky_car.car_builder import build_car, car_bytes, cid_of, encode
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

SPEC = json.loads((CASES / "bluesky-car" / "small_repo.json").read_text())
DID = SPEC["did"]
TOVE, OSKAR = "did:plc:toveinvented000000000000", "did:plc:oskarinvented00000000000"


@pytest.fixture
def car(tmp_path: Path) -> Path:
    path = tmp_path / "wren.car"
    path.write_bytes(build_car(DID, SPEC["records"]))
    return path


def _rows(db_url: str, query: Any) -> list[Any]:
    eng = create_db_engine(db_url)
    with eng.connect() as conn:
        rows = list(conn.execute(query).all())
    eng.dispose()
    return rows


def test_bad_records_are_skipped_and_listed(cli: Any, car: Path) -> None:
    out = run_json(cli, "import", str(car))
    assert out["source"] == "bluesky-car"
    assert out["status"] == "partial"
    assert sorted(
        p["record"].rsplit("/", 2)[1] + "/" + p["record"].rsplit("/", 1)[1] for p in out["problems"]
    ) == [
        "app.bsky.feed.like/3kbbbbbbbbb23",
        "app.bsky.feed.post/3kaaaaaaaaa25",
        "app.bsky.graph.follow/3kddddddddd23",
    ]
    assert all(p["file"] == str(car) for p in out["problems"])
    assert any("app.bsky.graph.list" in n for n in out["notes"])


def test_each_record_becomes_the_right_post_or_interaction(cli: Any, car: Path, db_url: str) -> None:
    out = run_json(cli, "import", str(car))
    assert out["counts"]["posts"] == 5  # 4 good posts + 1 repost
    p = t.posts.c
    posts = dict(_rows(db_url, select(p.platform_id, p.kind)))
    base = f"at://{DID}/app.bsky.feed.post/"
    assert posts[base + "3kaaaaaaaaa21"] == "original"
    assert posts[base + "3kaaaaaaaaa22"] == "reply"
    assert posts[base + "3kaaaaaaaaa23"] == "reply"  # to ourselves: a post, no interaction
    assert posts[base + "3kaaaaaaaaa24"] == "quote"
    media = dict(_rows(db_url, select(p.platform_id, p.media_types)))
    assert media[base + "3kaaaaaaaaa21"] == "text,link"
    assert media[base + "3kaaaaaaaaa24"] == "text,image"
    i, idt = t.interactions.c, t.identities.c
    got = sorted(
        _rows(
            db_url,
            select(i.kind, idt.platform_id, i.post_ref).select_from(
                t.interactions.outerjoin(t.identities, i.identity_id == idt.id)
            ),
        ),
        key=str,
    )
    assert got == sorted(
        [
            ("mention", TOVE, None),
            ("reply", TOVE, None),
            ("quote", OSKAR, None),
            ("like", TOVE, None),
            ("like", None, base + "3kaaaaaaaaa21"),  # a like of our own post
            ("repost", OSKAR, None),
            ("block", "did:plc:trollinvented00000000000", None),
        ],
        key=str,
    )
    when = _rows(db_url, select(i.occurred_at).where(i.kind == "reply"))[0][0]
    assert when.isoformat() == "2024-03-02T18:00:00+00:00", "a local offset is converted to UTC"


def test_follows_are_the_following_list_and_our_account_comes_from_the_repo(
    cli: Any, car: Path, db_url: str
) -> None:
    out = run_json(cli, "import", str(car))
    snap = out["snapshots"][0]
    assert (snap["direction"], snap["members"]) == ("following", 2)
    assert any("latest commit" in n for n in out["notes"])
    acc = _rows(db_url, select(t.accounts.c.handle, t.accounts.c.platform_id, t.accounts.c.display_name))
    assert acc == [(DID, DID, "Wren Alder")]
    e = t.follow_edges.c
    followed = _rows(db_url, select(e.followed_at).order_by(e.followed_at))
    assert [r[0].date().isoformat() for r in followed] == ["2024-01-01", "2024-01-02"]


def test_account_option_names_the_handle(cli: Any, car: Path, db_url: str) -> None:
    run_json(cli, "import", str(car), "--account", "@Wren.example.com")
    assert _rows(db_url, select(t.accounts.c.handle, t.accounts.c.platform_id)) == [("wren.example.com", DID)]


def test_a_later_export_turns_a_dropped_follow_into_an_unfollow(cli: Any, tmp_path: Path) -> None:
    first = tmp_path / "first.car"
    first.write_bytes(build_car(DID, SPEC["records"], rev="3kaaaaaaaaaaa"))
    later = {k: v for k, v in SPEC["records"].items() if k != "app.bsky.graph.follow/3kddddddddd22"}
    second = tmp_path / "second.car"
    second.write_bytes(build_car(DID, later, rev="3kzzzzzzzzzzz"))
    run_json(cli, "import", str(first))
    out = run_json(cli, "import", str(second))
    assert (out["snapshots"][0]["gained"], out["snapshots"][0]["lost"]) == (0, 1)
    assert status(cli)["follow_edges"] == {"followers": 0, "following": 1, "friends": 0, "ended": 1}


def test_a_partial_repository_imports_what_is_there(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "slice.car"
    path.write_bytes(build_car(DID, SPEC["records"], drop=("app.bsky.feed.post/3kaaaaaaaaa21",)))
    out = run_json(cli, "import", str(path))
    assert out["status"] == "partial"
    assert any(p["record"].endswith("3kaaaaaaaaa21") and "missing" in p["message"] for p in out["problems"])
    assert out["snapshots"] == []
    assert status(cli)["interactions"]["by_kind"]["follow"] == 2


@pytest.mark.parametrize(
    "why", ["empty", "random bytes", "truncated", "json", "not a repository", "cbor but no car"]
)
def test_unreadable_files_fail_cleanly(cli: Any, car: Path, tmp_path: Path, why: str) -> None:
    run_json(cli, "import", str(car))  # the workspace holds something that must stay as it is
    good = car.read_bytes()
    bad = tmp_path / "export.car"
    content = {
        "empty": b"",
        "random bytes": os.urandom(4096),
        "truncated": good[: len(good) * 2 // 3],
        "json": b'{"repo": "did:plc:x"}',
        "not a repository": _car_without_commit(),
        "cbor but no car": b"\xa2eroots\x80gversion\x01",
    }[why]
    bad.write_bytes(content)
    assert_fails_cleanly(cli, str(bad), "--source", "bluesky-car", names="export.car")


def _car_without_commit() -> bytes:
    """A valid CAR whose root block is a post, not a repo commit."""
    block = encode({"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2024-01-01T00:00:00Z"})
    return car_bytes(cid_of(block), [(cid_of(block), block)])
