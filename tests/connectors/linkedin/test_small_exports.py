"""An invented newer-format LinkedIn export (tests/cases/linkedin): profile URLs, conversations, our
account, reactions, comments and shares; bad records and bad input."""

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

NEWER = CASES / "linkedin" / "newer"
ZOE = "https://www.linkedin.com/in/zoe-brandt-0a1b2c"
HIRO = "https://www.linkedin.com/in/hiro-tanaka-3d4e5f"


def test_a_newer_export_imports_every_file(cli: Any, engine: Engine) -> None:
    report = run_json(cli, "import", str(NEWER))
    assert report["source"] == "linkedin" and report["status"] == "ok", report["problems"]
    assert report["counts"]["follow_edges"] == 3
    data = status(cli)
    assert data["posts"] == 2
    assert data["interactions"]["by_kind"] == {"dm": 4, "invitation": 2, "like": 2, "comment": 1}
    x, i = t.interactions.c, t.identities.c
    with engine.connect() as conn:
        assert list(conn.execute(select(t.accounts.c.handle)).scalars()) == ["Minh Tran"]
        dms = conn.execute(
            select(x.direction, i.platform_id, x.thread_ref, x.text)
            .join(t.identities, i.id == x.identity_id)
            .where(x.kind == "dm")
            .order_by(x.occurred_at)
        ).all()
        hiro = conn.execute(select(i.profile).where(i.platform_id == HIRO)).scalar_one()
        posts = conn.execute(
            select(t.posts.c.platform_id, t.posts.c.text).order_by(t.posts.c.published_at)
        ).all()
    # A message sender who is a connection is the same identity: the profile URL.
    assert [tuple(r) for r in dms] == [
        ("inbound", ZOE, "2-abc123==", "Hi Minh, loved your talk & the slides!"),
        ("outbound", ZOE, "2-abc123==", "Thank you Zoë! Coffee next week?"),
        ("inbound", HIRO, "2-def456==", "Are you free for a call\non Thursday?"),
        ("outbound", HIRO, "2-def456==", "Thursday works."),
    ]
    assert hiro == {
        "url": HIRO,
        "email": "hiro@example.com",
        "company": "Tanaka, Ishida & Co.",
        "position": "Partner",
    }
    assert posts[0].platform_id == "urn:li:share:7160000000000000001"
    assert posts[0].text.startswith('"Shipping is a feature"\nThree lessons')


def test_the_connections_snapshot_is_dated_by_as_of_when_given(cli: Any) -> None:
    report = run_json(cli, "import", str(NEWER), "--as-of", "2024-04-01")
    assert [s["taken_at"] for s in report["snapshots"]] == ["2024-04-01T00:00:00+00:00"]


def test_a_connection_that_disappears_in_a_later_export_ends_its_edge(cli: Any, tmp_path: Path) -> None:
    later = tmp_path / "later"
    later.mkdir()
    lines = (NEWER / "Connections.csv").read_bytes().split(b"\r\n")
    (later / "Connections.csv").write_bytes(b"\r\n".join(line for line in lines if b"Kofi" not in line))
    run_json(cli, "import", str(NEWER), "--as-of", "2024-04-01")
    report = run_json(cli, "import", str(later), "--account", "Minh Tran", "--as-of", "2024-06-01")
    assert [(s["gained"], s["lost"]) for s in report["snapshots"]] == [(0, 1)]
    assert status(cli)["follow_edges"]["friends"] == 2


def test_a_few_bad_records_make_a_partial_import_listing_them(cli: Any) -> None:
    report = run_json(cli, "import", str(CASES / "linkedin" / "bad_records"), "--account", "Minh Tran")
    assert report["status"] == "partial"
    assert report["counts"]["follow_edges"] == 2
    assert [(p["record"], p["message"].split(":")[0]) for p in report["problems"]] == [
        ("line 3", "Connected On"),
        ("line 4", "4 columns, expected 6"),
        ("line 5", "has neither a name nor a profile URL"),
    ]


@pytest.fixture
def loaded(cli: Any) -> Any:
    run_json(cli, "import", str(NEWER))
    return cli


def test_a_truncated_zip_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "li"), "zip", NEWER))
    cut = tmp_path / "linkedin-cut.zip"
    cut.write_bytes(archive.read_bytes()[:-100])
    assert_fails_cleanly(loaded, str(cut), "--source", "linkedin", names="linkedin-cut.zip")


def test_an_empty_file_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(b"")
    assert_fails_cleanly(loaded, str(path), "--source", "linkedin", names="Connections.csv")


def test_random_bytes_fail_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(os.urandom(2048))
    assert_fails_cleanly(loaded, str(path), "--source", "linkedin", names="Connections.csv")


def test_a_csv_that_is_not_an_export_fails_cleanly(loaded: Any) -> None:
    path = CASES / "linkedin" / "not_an_export" / "Connections.csv"
    line = assert_fails_cleanly(loaded, str(path), "--source", "linkedin", names="Connections.csv")
    assert "header row" in line


def test_a_csv_in_an_unexpected_encoding_fails_cleanly(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "Invitations.csv"
    path.write_bytes((NEWER / "Invitations.csv").read_text(encoding="utf-8").encode("utf-32"))
    line = assert_fails_cleanly(loaded, str(path), "--source", "linkedin", names="Invitations.csv")
    assert "encoding" in line
