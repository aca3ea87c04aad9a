"""An invented archive (tests/cases/mastodon-archive/small): what each activity becomes, and bad records
skipped and listed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.conftest import CASES
from tests.connectors.import_checks import run_json

SMALL = CASES / "mastodon-archive" / "small"


@pytest.fixture
def report(cli: Any) -> dict[str, Any]:
    return run_json(cli, "import", str(SMALL))


def _interactions(db_url: str) -> list[dict[str, Any]]:
    from mutuals.storage.db import create_db_engine

    eng: Engine = create_db_engine(db_url)
    i, idt = t.interactions.c, t.identities.c
    with eng.connect() as conn:
        rows = conn.execute(
            select(i.kind, i.key, i.is_public, i.post_ref, i.target_ref, idt.platform_id, idt.profile)
            .select_from(t.interactions.outerjoin(t.identities, i.identity_id == idt.id))
            .order_by(i.kind, i.key)
        ).mappings()
        out = [dict(r) for r in rows]
    eng.dispose()
    return out


def test_bad_records_are_skipped_and_listed_and_the_rest_imported(report: dict[str, Any]) -> None:
    assert report["status"] == "partial"
    assert report["source"] == "mastodon-archive"
    problems = {(Path(p["file"]).name, p["record"].split(" ")[0]) for p in report["problems"]}
    assert problems == {
        ("outbox.json", "orderedItems[4]"),  # an Announce without a date
        ("outbox.json", "orderedItems[5]"),  # a Create without an object
        ("likes.json", "orderedItems[2]"),  # not a URL
    }
    assert report["counts"]["skipped"] == 3
    # posts: 1 original, 1 reply, 1 followers-only self-reply, 1 boost; the direct message is no post
    assert report["counts"]["posts"] == 4


def test_each_activity_becomes_the_right_interactions(report: dict[str, Any], db_url: str) -> None:
    rows = _interactions(db_url)
    got = {(r["kind"], r["platform_id"]) for r in rows}
    assert got == {
        ("mention", "@tove@moss.example"),  # post 1
        ("reply", "@tove@moss.example"),  # post 2 answers tove: a reply, not also a mention
        ("mention", "@ilse@pine.example"),  # a local account, given the archive's host
        ("dm", "@oskar@fen.example"),  # the direct status
        ("repost", "@tove@moss.example"),
        ("like", "@tove@moss.example"),
        ("like", None),  # the like of our own post 1
        ("like", None),  # a status whose URL names no author
        ("bookmark", "@tove@moss.example"),
    }
    own_like = next(r for r in rows if r["kind"] == "like" and r["post_ref"])
    assert own_like["post_ref"] == "https://pine.example/users/wren/statuses/1"
    dm = next(r for r in rows if r["kind"] == "dm")
    assert dm["is_public"] is False
    mention = next(r for r in rows if r["kind"] == "mention" and r["platform_id"] == "@tove@moss.example")
    assert mention["profile"]["actor"] == "https://moss.example/users/tove"


def test_our_account_comes_from_the_actor(report: dict[str, Any], db_url: str) -> None:
    from mutuals.storage.db import create_db_engine

    eng = create_db_engine(db_url)
    with eng.connect() as conn:
        acc = conn.execute(select(t.accounts.c.handle, t.accounts.c.display_name)).one()
        posts = dict(conn.execute(select(t.posts.c.platform_id, t.posts.c.media_types)).all())
    eng.dispose()
    assert tuple(acc) == ("wren@pine.example", "Wren Alder")
    assert posts["https://pine.example/users/wren/statuses/1"] == "text,image,link"


def test_account_option_overrides_the_actor(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(SMALL, folder)
    (folder / "actor.json").write_text(json.dumps({"id": "https://pine.example/users/wren"}))
    res = cli("import", str(folder), "--json")
    assert res.code == 1
    assert "--account" in res.err
    out = run_json(cli, "import", str(folder), "--account", "@Wren@Pine.example")
    assert out["status"] == "partial"
    status = run_json(cli, "status")
    assert status["accounts"] == 1


def test_without_actor_json_our_actor_comes_from_the_activities(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(SMALL, folder)
    (folder / "actor.json").unlink()
    res = cli("import", str(folder), "--source", "mastodon-archive")
    assert res.code == 1 and "--account" in res.err
    out = run_json(
        cli, "import", str(folder), "--source", "mastodon-archive", "--account", "wren@pine.example"
    )
    kinds = run_json(cli, "status")["interactions"]["by_kind"]
    # the followers-only self-reply (7) is still no reply to anybody, and the like of post 1 is ours
    assert kinds["reply"] == 1
    assert out["counts"]["posts"] == 4
