"""The invented archive in tests/cases/x_archive/small: what each file becomes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.conftest import CASES

SMALL = CASES / "x_archive" / "small"
ME = "4200000001"


def _js(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :])


def _run(cli: Any, *args: str) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def _posts(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {r.platform_id: r for r in conn.execute(select(t.posts))}


def _interactions(engine: Engine) -> list[Any]:
    i, d = t.interactions.c, t.identities.c
    with engine.connect() as conn:
        q = select(
            i.kind, i.direction, i.key, i.occurred_at, i.is_public, i.thread_ref, i.target_ref, d.platform_id
        )
        return list(conn.execute(q.outerjoin(t.identities, d.id == i.identity_id)))


def test_every_tweet_becomes_one_post_of_its_kind(cli: Any, engine: Engine) -> None:
    raw = [i["tweet"] for i in _js(SMALL / "data" / "tweets.js")]
    deleted = [i["tweet"] for i in _js(SMALL / "data" / "deleted-tweets.js")]
    report = _run(cli, "import", str(SMALL))
    assert report["status"] == "ok"
    assert report["counts"]["posts"] == len(raw) + len(deleted)
    posts = _posts(engine)
    assert set(posts) == {tw["id_str"] for tw in raw + deleted}
    kinds = {pid: p.kind for pid, p in posts.items()}
    assert kinds["1700000000000000001"] == "original"
    assert kinds["1700000000000000002"] == "reply"
    assert kinds["1700000000000000003"] == "repost"
    assert kinds["1700000000000000004"] == "quote"
    assert posts["1700000000000000004"].in_reply_to == "1690000000000000009"
    assert posts["1699999999999999990"].deleted is True
    assert not any(p.deleted for pid, p in posts.items() if pid != "1699999999999999990")
    assert posts["1700000000000000005"].media_types == "image"
    assert posts["1700000000000000006"].media_types == "video,link"
    assert posts["1700000000000000001"].media_types == "text"
    assert posts["1700000000000000001"].likes == 12 and posts["1700000000000000001"].reposts == 3
    assert posts["1700000000000000001"].text.startswith("Lamps lit for the new year & the harbour")
    # -0500 in created_at is converted to UTC
    assert posts["1700000000000000004"].published_at.isoformat() == "2023-01-04T17:00:00+00:00"


def test_the_long_form_text_of_note_tweet_js_replaces_the_truncated_text(cli: Any, engine: Engine) -> None:
    note = _js(SMALL / "data" / "note-tweet.js")[0]["noteTweet"]["core"]["text"]
    report = _run(cli, "import", str(SMALL))
    assert report["notes"] and not any("note-tweet" in n for n in report["notes"])
    posts = _posts(engine)
    assert posts["1700000000000000008"].text == note
    assert len(posts) == len(_js(SMALL / "data" / "tweets.js")) + 1  # no post of its own


def test_replies_mentions_retweets_and_quotes_become_outbound_interactions(cli: Any, engine: Engine) -> None:
    _run(cli, "import", str(SMALL))
    rows = [r for r in _interactions(engine) if r.kind in {"reply", "mention", "repost", "quote"}]
    got = sorted((r.kind, r.platform_id, r.key) for r in rows)
    assert got == [
        ("mention", "3100000002", "1700000000000000002:3100000002"),
        ("mention", "3100000004", "1700000000000000007:3100000004"),
        ("mention", "@gone_account", "1700000000000000007:@gone_account"),
        ("quote", "@tobinvale", "1700000000000000004"),
        ("reply", "3100000001", "1700000000000000002"),
        ("reply", "3100000003", "1699999999999999990"),
        ("repost", "3100000003", "1700000000000000003"),
    ]
    assert all(r.direction == "outbound" and r.is_public for r in rows)
    assert ME not in {r.platform_id for r in rows}, "a reply to our own thread concerns nobody"


def test_likes_are_outbound_and_carry_no_time(cli: Any, engine: Engine) -> None:
    ids = [i["like"]["tweetId"] for i in _js(SMALL / "data" / "like.js")]
    _run(cli, "import", str(SMALL))
    likes = [r for r in _interactions(engine) if r.kind == "like"]
    assert sorted(r.target_ref for r in likes) == sorted(ids)
    assert all(r.occurred_at is None and r.direction == "outbound" for r in likes)


def test_direct_messages_are_private_and_go_both_ways(cli: Any, engine: Engine) -> None:
    _run(cli, "import", str(SMALL))
    dms = {r.key: r for r in _interactions(engine) if r.kind == "dm"}
    assert set(dms) == {
        "1800000000000000001",
        "1800000000000000002",
        "1800000000000000003",
        "1800000000000000011",
        "1800000000000000101",
        "1800000000000000102",
    }
    assert not any(r.is_public for r in dms.values())
    assert dms["1800000000000000003"].direction == "outbound"
    assert dms["1800000000000000003"].platform_id == "3100000004"
    assert dms["1800000000000000002"].direction == "inbound"
    assert dms["1800000000000000002"].thread_ref == f"3100000004-{ME}"
    assert dms["1800000000000000102"].direction == "outbound"  # group: to nobody in particular
    assert dms["1800000000000000102"].platform_id is None
    assert dms["1800000000000000101"].platform_id == "3100000003"


def test_follower_lists_are_dated_by_the_manifest(cli: Any) -> None:
    followers = _js(SMALL / "data" / "follower.js")
    following = _js(SMALL / "data" / "following.js")
    report = _run(cli, "import", str(SMALL))
    snaps = {s["direction"]: s for s in report["snapshots"]}
    assert snaps["follower"]["members"] == len(followers)
    assert snaps["following"]["members"] == len(following)
    assert snaps["follower"]["taken_at"] == "2023-01-12T08:00:00+00:00"
    assert any("generationDate" in n for n in report["notes"])
    status = _run(cli, "status")
    assert status["follow_edges"]["followers"] == len(followers)
    assert status["follow_edges"]["following"] == len(following)


def test_a_later_archive_turns_list_differences_into_follows_and_unfollows(cli: Any, tmp_path: Path) -> None:
    later = tmp_path / "later"
    shutil.copytree(SMALL, later)
    manifest = (later / "data" / "manifest.js").read_text()
    (later / "data" / "manifest.js").write_text(manifest.replace("2023-01-12", "2023-02-12"))
    followers = _js(SMALL / "data" / "follower.js")
    kept = [*followers[1:], {"follower": {"accountId": "3100000009"}}]
    (later / "data" / "follower.js").write_text("window.YTD.follower.part0 = " + json.dumps(kept))
    _run(cli, "import", str(SMALL))
    report = _run(cli, "import", str(later))
    snap = next(s for s in report["snapshots"] if s["direction"] == "follower")
    assert (snap["gained"], snap["lost"]) == (1, 1)
    assert report["added"]["posts"] == 0 and report["added"]["interactions"] == 0
    status = _run(cli, "status")
    assert status["follow_edges"]["followers"] == len(kept)
    assert status["follow_edges"]["ended"] == 1


def test_split_tweet_files_are_all_read(cli: Any, tmp_path: Path) -> None:
    split = tmp_path / "split"
    shutil.copytree(SMALL, split)
    tweets = _js(SMALL / "data" / "tweets.js")
    (split / "data" / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets[:4]))
    (split / "data" / "tweets-part1.js").write_text("window.YTD.tweets.part1 = " + json.dumps(tweets[4:]))
    report = _run(cli, "import", str(split))
    assert report["counts"]["posts"] == len(tweets) + 1
