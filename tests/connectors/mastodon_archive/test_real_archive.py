"""The real Mastodon archive in ../shared/data imports completely; counts are checked against the raw
JSON, read here independently of the connector."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from mutuals.connectors.base import ImportOptions
from mutuals.ingest import run_import
from mutuals.storage import tables as t
from mutuals.storage.queries import workspace_status

ARCHIVE = "mastodon/archive_2024-07_dealingwith"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture
def archive(shared_data: Path) -> Path:
    return shared_data / ARCHIVE


def _raw(archive: Path) -> dict[str, Any]:
    """What the archive holds, counted from its JSON the plain way."""
    actor = json.loads((archive / "actor.json").read_text())
    me = actor["id"]
    items = json.loads((archive / "outbox.json").read_text())["orderedItems"]
    likes = json.loads((archive / "likes.json").read_text())["orderedItems"]
    bookmarks = json.loads((archive / "bookmarks.json").read_text())["orderedItems"]
    creates = [i for i in items if i["type"] == "Create"]
    announces = [i for i in items if i["type"] == "Announce"]

    def direct(obj: dict[str, Any]) -> bool:
        return PUBLIC not in obj["to"] + obj["cc"] and actor["followers"] not in obj["to"]

    def mine(url: str) -> bool:
        return url.startswith(me + "/")

    def others_mentioned(obj: dict[str, Any]) -> set[str]:
        return {tag["href"] for tag in obj["tag"] if tag["type"] == "Mention" and tag["href"] != me}

    shown = [c["object"] for c in creates if not direct(c["object"])]
    hidden = [c["object"] for c in creates if direct(c["object"])]
    replies = [o for o in shown if o["inReplyTo"] and not mine(o["inReplyTo"])]
    mentions = 0
    for o in shown:
        hrefs = others_mentioned(o)
        if o["inReplyTo"] and not mine(o["inReplyTo"]):
            hrefs = {h for h in hrefs if not o["inReplyTo"].startswith(h + "/")}
        mentions += len(hrefs)
    return {
        "handle": f"{actor['preferredUsername']}@{me.split('/')[2]}".lower(),
        "posts": len(shown) + len(announces),
        "replies_posted": sum(1 for o in shown if o["inReplyTo"]),
        "reposts": len(announces),
        "reply": len(replies),
        "mention": mentions,
        "dm": sum(len(others_mentioned(o)) for o in hidden),
        "repost": sum(1 for a in announces if not mine(a["object"])),
        "like": len(set(likes)),
        "bookmark": len(set(bookmarks)),
    }


def _by_kind(engine: Engine) -> dict[str, int]:
    i = t.interactions.c
    with engine.connect() as conn:
        return {k: int(n) for k, n in conn.execute(select(i.kind, func.count()).group_by(i.kind))}


def test_the_real_archive_imports_every_post_boost_like_and_bookmark(engine: Engine, archive: Path) -> None:
    raw = _raw(archive)
    report = run_import(archive, ImportOptions(), engine=engine)
    assert report.status == "ok", report.problems
    assert report.source == "mastodon-archive"
    assert report.counts["posts"] == raw["posts"]
    with engine.connect() as conn:
        assert conn.execute(select(t.accounts.c.handle)).scalars().all() == [raw["handle"]]
        p = t.posts.c
        kinds = dict(conn.execute(select(p.kind, func.count()).group_by(p.kind)).all())
    assert sum(kinds.values()) == raw["posts"]
    assert kinds["reply"] == raw["replies_posted"]
    assert kinds["repost"] == raw["reposts"]
    by_kind = _by_kind(engine)
    for kind in ("reply", "mention", "dm", "repost", "like", "bookmark"):
        assert by_kind.get(kind, 0) == raw[kind], kind
    assert report.counts["interactions"] == sum(
        raw[k] for k in ("reply", "mention", "dm", "repost", "like", "bookmark")
    )


def test_mentioned_people_are_keyed_by_their_address(engine: Engine, archive: Path) -> None:
    items = json.loads((archive / "outbox.json").read_text())["orderedItems"]
    names = {
        tag["name"].lstrip("@").lower()
        for i in items
        if i["type"] == "Create"
        for tag in i["object"]["tag"]
        if tag["type"] == "Mention" and "@" in tag["name"].lstrip("@")
    }
    run_import(archive, ImportOptions(), engine=engine)
    with engine.connect() as conn:
        ids = set(conn.execute(select(t.identities.c.platform_id)).scalars())
    assert {"@" + n for n in names} <= ids
    assert all(pid.startswith("@") and pid.count("@") == 2 for pid in ids)


def test_reimporting_the_archive_changes_nothing(engine: Engine, archive: Path) -> None:
    run_import(archive, ImportOptions(), engine=engine)
    with engine.connect() as conn:
        first = workspace_status(conn)
    again = run_import(archive, ImportOptions(), engine=engine)
    assert again.run_id is None
    assert all(v == 0 for v in again.added.values())
    with engine.connect() as conn:
        assert workspace_status(conn) == first


def test_the_archive_as_a_zip_imports_the_same_as_the_folder(
    engine: Engine, archive: Path, tmp_path: Path
) -> None:
    folder = run_import(archive, ImportOptions(), engine=engine)
    zipped = tmp_path / "archive-20240723.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(archive.iterdir()):
            zf.write(p, p.name)
    from_zip = run_import(zipped, ImportOptions(), engine=engine)
    assert from_zip.source == "mastodon-archive"
    assert from_zip.counts == folder.counts
    assert all(v == 0 for v in from_zip.added.values()), "the zip holds nothing the folder did not"


def test_an_archive_inside_a_subfolder_of_the_zip_is_found(
    engine: Engine, archive: Path, tmp_path: Path
) -> None:
    root = tmp_path / "nested" / "archive-2024"
    shutil.copytree(archive, root)
    zipped = tmp_path / "nested.zip"
    shutil.make_archive(str(zipped.with_suffix("")), "zip", tmp_path / "nested")
    report = run_import(zipped, ImportOptions(), engine=engine)
    assert report.counts["posts"] == _raw(archive)["posts"]
