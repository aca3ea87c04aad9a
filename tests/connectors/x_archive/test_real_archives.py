"""Every real archive in ../shared/data/twitter_archives imports; counts are checked against the raw files."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ARCHIVES = [
    "2019-02-08_MorangTheClang_legacy_grailbird",
    "2020-06-21_keithfrankish",
    "2022-11-23_eroija",
    "2023-08-20_larsbrinkhoff",
]
pytestmark = pytest.mark.realdata


def _js(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :])


def _run(cli: Any, *args: str) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def _raw_counts(root: Path) -> dict[str, Any]:
    """What the raw files hold, counted here without the importer."""
    data = root / "data"
    me = me_handle = None
    if (data / "account.js").exists():
        account = _js(data / "account.js")[0]["account"]
        me, me_handle = account["accountId"], account["username"].lower()
    elif (data / "js" / "user_details.js").exists():
        me = _js(data / "js" / "user_details.js")["id"]
    tweets: list[dict[str, Any]] = []
    for name in ("tweets", "tweet", "deleted-tweets"):
        for path in sorted(data.glob(f"{name}.js")) + sorted(data.glob(f"{name}-part*.js")):
            tweets += [item["tweet"] for item in _js(path)]
    for path in sorted((data / "js" / "tweets").glob("*.js")):
        tweets += _js(path)
    likes = [i["like"]["tweetId"] for p in data.glob("like.js") for i in _js(p)]
    dms = []
    for p in list(data.glob("direct-messages.js")) + list(data.glob("direct-messages-group.js")):
        for conv in _js(p):
            for event in conv["dmConversation"]["messages"]:
                for kind in ("messageCreate", "welcomeMessageCreate"):
                    if kind in event:
                        dms.append(event[kind]["id"])
    follows = {
        key: [i[key]["accountId"] for p in data.glob(f"{key}.js") for i in _js(p)]
        for key in ("follower", "following")
    }
    reposts = [  # retweets of somebody else (a retweet of our own tweet concerns nobody)
        t
        for t in tweets
        if t.get("retweeted_status", {}).get("user", {}).get("id_str", me) != me
        or (
            t.get("full_text", "").startswith("RT @")
            and t["full_text"][4:].split(":")[0].lower() != me_handle
        )
    ]
    replies = [t for t in tweets if t.get("in_reply_to_user_id_str") not in (None, me) and t not in reposts]
    return {
        "tweets": tweets,
        "likes": likes,
        "dms": dms,
        "follows": follows,
        "reposts": reposts,
        "replies": replies,
    }


@pytest.mark.parametrize("archive", ARCHIVES)
def test_each_real_archive_imports_with_the_counts_of_its_raw_files(
    cli: Any, shared_data: Path, archive: str
) -> None:
    root = shared_data / "twitter_archives" / archive
    raw = _raw_counts(root)
    report = _run(cli, "import", str(root))
    assert report["source"] == "x-archive"
    assert report["status"] == "ok", report["problems"][:5]
    assert report["counts"]["posts"] == len(raw["tweets"])
    n_follow = len(raw["follows"]["follower"]) + len(raw["follows"]["following"])
    assert report["counts"]["follow_edges"] == n_follow
    status = _run(cli, "status")
    assert status["posts"] == len({t["id_str"] for t in raw["tweets"]})
    kinds = Counter(status["interactions"]["by_kind"])
    assert kinds["like"] == len(set(raw["likes"]))
    assert kinds["dm"] == len(set(raw["dms"]))
    assert kinds["reply"] == len(raw["replies"])
    assert kinds["repost"] == len(raw["reposts"])
    assert status["follow_edges"]["followers"] == len(set(raw["follows"]["follower"]))
    assert status["follow_edges"]["following"] == len(set(raw["follows"]["following"]))
    assert status["accounts"] == 1


@pytest.mark.parametrize("archive", ["2022-11-23_eroija", "2023-08-20_larsbrinkhoff"])
def test_reimporting_a_real_archive_changes_nothing(cli: Any, shared_data: Path, archive: str) -> None:
    root = shared_data / "twitter_archives" / archive
    _run(cli, "import", str(root))
    first = _run(cli, "status")
    again = _run(cli, "import", str(root))
    assert all(v == 0 for v in again["added"].values())
    assert again["run_id"] is None
    assert _run(cli, "status") == first


def test_a_zip_and_its_extracted_folder_give_the_same_result(
    cli: Any, shared_data: Path, tmp_path: Path
) -> None:
    root = shared_data / "twitter_archives" / "2023-08-20_larsbrinkhoff"
    zpath = tmp_path / "twitter-2023-08-20.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, "twitter-2023-08-20/" + p.relative_to(root).as_posix())
    from_zip = _run(cli, "import", str(zpath))
    status_zip = _run(cli, "status")
    from_folder = _run(cli, "import", str(root))
    assert from_zip["status"] == from_folder["status"] == "ok"
    assert from_zip["counts"] == from_folder["counts"]
    assert from_zip["snapshots"] == [dict(s, already_known=False) for s in from_folder["snapshots"]]
    assert all(v == 0 for v in from_folder["added"].values())
    assert _run(cli, "status") == status_zip


def test_the_legacy_tweets_csv_alone_imports_every_row(cli: Any, shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "twitter_archives" / "2019-02-08_MorangTheClang_legacy_grailbird" / "tweets.csv"
    folder = tmp_path / "legacy"
    folder.mkdir()
    shutil.copy(src, folder / "tweets.csv")
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    report = _run(cli, "import", str(folder), "--account", "legacy_owner")
    assert report["status"] == "ok"
    assert report["counts"]["posts"] == len(rows)
    status = _run(cli, "status")
    assert status["posts"] == len({r["tweet_id"] for r in rows})
    assert status["interactions"]["by_kind"].get("repost", 0) == sum(
        1 for r in rows if r["retweeted_status_id"]
    )
