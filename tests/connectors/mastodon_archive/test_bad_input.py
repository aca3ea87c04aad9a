"""Archives that cannot be read fail with one line naming the file, exit code 1, and nothing written."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json

SMALL = CASES / "mastodon-archive" / "small"


@pytest.fixture
def folder(tmp_path: Path, cli: Any) -> Path:
    """A copy of the small archive, with a workspace that already holds something."""
    run_json(cli, "import", str(SMALL))
    dest = tmp_path / "archive"
    shutil.copytree(SMALL, dest)
    return dest


def _zip(folder: Path, dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
    return dest


def test_a_truncated_zip_fails_cleanly(cli: Any, folder: Path, tmp_path: Path) -> None:
    whole = _zip(folder, tmp_path / "whole.zip").read_bytes()
    cut = tmp_path / "archive.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    assert_fails_cleanly(cli, str(cut), "--source", "mastodon-archive", names="archive.zip")
    assert_fails_cleanly(cli, str(cut), names="archive.zip")


def test_a_zip_with_a_corrupt_member_fails_cleanly(cli: Any, folder: Path, tmp_path: Path) -> None:
    path = _zip(folder, tmp_path / "archive.zip")
    data = bytearray(path.read_bytes())
    start = data.find(b"outbox.json") + 40  # inside the compressed outbox
    data[start : start + 200] = os.urandom(200)
    path.write_bytes(bytes(data))
    assert_fails_cleanly(cli, str(path), "--source", "mastodon-archive", names="archive.zip")


UNREADABLE = {
    "empty": b"",
    "random bytes": os.urandom(2048),
    "truncated JSON": b'{"orderedItems": [',
    "JSON of another shape": b'[{"type": "Create"}]',
    "UTF-16": '{"orderedItems": ["caf\u00e9"]}'.encode("utf-16"),
}


@pytest.mark.parametrize("why", list(UNREADABLE))
def test_an_unreadable_outbox_fails_cleanly(cli: Any, folder: Path, why: str) -> None:
    (folder / "outbox.json").write_bytes(UNREADABLE[why])
    assert_fails_cleanly(cli, str(folder), "--source", "mastodon-archive", names="outbox.json")


def test_an_unreadable_actor_fails_cleanly(cli: Any, folder: Path) -> None:
    (folder / "actor.json").write_bytes(b"\x00\x01 not json")
    assert_fails_cleanly(cli, str(folder), "--source", "mastodon-archive", names="actor.json")


def test_a_file_of_another_format_is_refused(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "following_accounts.csv"
    other.write_text("Account address,Show boosts\nsomeone@example.social,true\n")
    assert_fails_cleanly(cli, str(other), "--source", "mastodon-archive", names="following_accounts.csv")
    assert_fails_cleanly(cli, str(tmp_path), "--source", "mastodon-archive", names=str(tmp_path))
