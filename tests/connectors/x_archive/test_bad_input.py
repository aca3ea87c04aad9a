"""Bad input: one line naming the file, exit code 1, the database exactly as before; a few bad records in
a good file are skipped, counted and listed (status "partial")."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES

SMALL = CASES / "x_archive" / "small"
BAD_RECORDS = CASES / "x_archive" / "bad_records"


def _zip(folder: Path, dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return dest


def _truncated_zip(tmp: Path) -> tuple[Path, str]:
    whole = _zip(SMALL, tmp / "whole.zip").read_bytes()
    cut = tmp / "twitter-cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    return cut, "twitter-cut.zip"


def _corrupt_member(tmp: Path) -> tuple[Path, str]:
    path = _zip(SMALL, tmp / "twitter-corrupt.zip")
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("data/tweets.js")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 64] = bytes(64)  # overwrite compressed bytes of tweets.js
    path.write_bytes(bytes(data))
    return path, "data/tweets.js"


def _with_file(name: str, content: bytes) -> Callable[[Path], tuple[Path, str]]:
    def build(tmp: Path) -> tuple[Path, str]:
        folder = tmp / "archive"
        shutil.copytree(SMALL, folder)
        (folder / "data" / name).write_bytes(content)
        return folder, f"data/{name}"

    return build


def _random_zip(tmp: Path) -> tuple[Path, str]:
    path = tmp / "random.zip"
    path.write_bytes(os.urandom(4096))
    return path, "random.zip"


def _empty_file(tmp: Path) -> tuple[Path, str]:
    path = tmp / "tweets.js"
    path.write_bytes(b"")
    return path, "tweets.js"


CASES_BAD: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "truncated zip": _truncated_zip,
    "corrupt member of a zip": _corrupt_member,
    "empty tweets.js in an archive": _with_file("tweets.js", b""),
    "empty file given alone": _empty_file,
    "random bytes as like.js": _with_file("like.js", os.urandom(2048)),
    "random bytes as the archive": _random_zip,
    "tweets.js that is not valid JSON": _with_file(
        "tweets.js", b'window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "1", oops } } ]'
    ),
    "tweets.js cut off in the middle": _with_file(
        "tweets.js", (SMALL / "data" / "tweets.js").read_bytes()[:3000]
    ),
    "tweets.js that is plain JSON of another format": _with_file(
        "tweets.js", json.dumps({"orderedItems": []}).encode()
    ),
    "follower.js in latin-1": _with_file(
        "follower.js",
        'window.YTD.follower.part0 = [ { "follower" : { "accountId" : "1é" } } ]'.encode("latin-1"),
    ),
}


def _status(cli: Any) -> dict[str, Any]:
    res = cli("status", "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", list(CASES_BAD))
def test_bad_input_is_one_line_naming_the_file_and_leaves_the_database_as_it_was(
    cli: Any, tmp_path: Path, case: str
) -> None:
    assert cli("import", str(BAD_RECORDS), "--as-of", "2023-03-01").code == 0
    before = _status(cli)
    runs_before = cli("imports", "--json").out
    path, named = CASES_BAD[case](tmp_path)
    res = cli("import", str(path), "--source", "x-archive")
    assert res.code == 1
    lines = res.err.strip().splitlines()
    assert len(lines) == 1, res.err
    assert named in lines[0]
    assert "Traceback" not in res.err
    assert _status(cli) == before
    assert cli("imports", "--json").out == runs_before


def test_a_file_of_another_format_is_refused_when_detecting(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "outbox.json"
    other.write_text(json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "orderedItems": []}))
    res = cli("import", str(other), "--source", "x-archive")
    assert res.code == 1
    assert "outbox.json" in res.err and len(res.err.strip().splitlines()) == 1
    assert _status(cli)["imports"] == 0


def test_a_few_bad_records_are_skipped_counted_and_listed(cli: Any) -> None:
    res = cli("import", str(BAD_RECORDS), "--as-of", "2023-03-01", "--json")
    assert res.code == 0, res.err
    report = json.loads(res.out)
    assert report["status"] == "partial"
    assert report["counts"]["skipped"] == 4
    assert report["counts"]["posts"] == 2
    assert report["counts"]["interactions"] == 2  # the two readable likes
    assert report["counts"]["follow_edges"] == 2
    listed = {(Path(p["file"]).name, p["record"]) for p in report["problems"]}
    assert listed == {
        ("tweets.js", "tweet 1710000000000000002"),
        ("tweets.js", "tweet 1710000000000000003"),
        ("like.js", "like #2"),
        ("follower.js", "follower not-a-number"),
    }
    assert all(p["message"] for p in report["problems"])
    runs = json.loads(cli("imports", "--json").out)
    assert runs[0]["status"] == "partial" and runs[0]["problems"] == 4
