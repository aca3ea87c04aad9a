"""Invented Mastodon CSV exports (tests/cases/mastodon-csv): layouts, dates, our account, bad lines."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mutuals.storage import tables as t
from mutuals.storage.db import create_db_engine
from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

CASE = CASES / "mastodon-csv"
ME = ("--account", "wren@pine.example")


def _rows(db_url: str, query: Any) -> list[Any]:
    eng = create_db_engine(db_url)
    with eng.connect() as conn:
        rows = list(conn.execute(query).all())
    eng.dispose()
    return rows


def test_a_follows_export_without_a_date_needs_as_of(cli: Any) -> None:
    line = assert_fails_cleanly(
        cli, str(CASE / "following_accounts.csv"), *ME, names="following_accounts.csv"
    )
    assert "--as-of" in line
    out = run_json(cli, "import", str(CASE / "following_accounts.csv"), *ME, "--as-of", "2024-06-01")
    assert out["status"] == "ok"
    assert out["snapshots"][0]["taken_at"] == "2024-06-01T00:00:00+00:00"
    assert out["snapshots"][0]["members"] == 3


def test_a_csv_export_needs_our_account(cli: Any) -> None:
    path = str(CASE / "following_accounts_2018-03-01_old_format.csv")
    res = cli("import", path)
    assert res.code == 1 and "--account" in res.err
    assert len(res.err.strip().splitlines()) == 1
    res = cli("import", path, "--source", "mastodon-csv", "--account", "wren")
    assert res.code == 1 and "user@host" in res.err


def test_addresses_are_compared_case_insensitively(cli: Any, db_url: str) -> None:
    run_json(cli, "import", str(CASE / "following_accounts.csv"), *ME, "--as-of", "2024-06-01")
    ids = {r[0] for r in _rows(db_url, select(t.identities.c.platform_id))}
    assert ids == {"@tove@moss.example", "@oskar@fen.example", "@ilse@pine.example"}


def test_the_old_headerless_format_is_read_and_detected(cli: Any) -> None:
    out = run_json(cli, "import", str(CASE / "following_accounts_2018-03-01_old_format.csv"), *ME)
    assert out["source"] == "mastodon-csv"
    assert out["snapshots"][0]["members"] == 2
    assert out["snapshots"][0]["taken_at"].startswith("2018-03-01")


def test_bad_lines_are_skipped_and_listed(cli: Any) -> None:
    out = run_json(cli, "import", str(CASE / "following_accounts_2024-05-01_bad_lines.csv"), *ME)
    assert out["status"] == "partial"
    assert [p["record"] for p in out["problems"]] == ["line 3", "line 5"]
    assert out["counts"]["skipped"] == 2
    assert out["snapshots"][0]["members"] == 3
    assert status(cli)["follow_edges"]["following"] == 3


def test_blocks_and_bookmarks_are_imported_and_the_rest_noted(cli: Any, tmp_path: Path, db_url: str) -> None:
    for name in (
        "blocked_accounts.csv",
        "muted_accounts.csv",
        "domain_blocks.csv",
        "bookmarks.csv",
        "lists.csv",
    ):
        shutil.copy(CASE / name, tmp_path / name)
    out = run_json(cli, "import", str(tmp_path), *ME)
    assert out["source"] == "mastodon-csv"
    assert out["status"] == "ok"
    kinds = status(cli)["interactions"]["by_kind"]
    assert kinds == {"block": 2, "bookmark": 2}
    assert len(out["notes"]) == 3  # mutes, domain blocks, lists
    i, idt = t.interactions.c, t.identities.c
    rows = _rows(
        db_url,
        select(i.kind, idt.platform_id).select_from(
            t.interactions.outerjoin(t.identities, i.identity_id == idt.id)
        ),
    )
    assert sorted(rows, key=str) == sorted(
        [
            ("block", "@troll@bog.example"),
            ("block", "@spam@bog.example"),
            ("bookmark", "@tove@moss.example"),
            ("bookmark", None),
        ],
        key=str,
    )
    again = run_json(cli, "import", str(tmp_path), *ME)
    assert again["run_id"] is None


def test_the_same_person_in_the_archive_and_the_csv_is_one_identity(cli: Any, db_url: str) -> None:
    run_json(cli, "import", str(CASES / "mastodon-archive" / "small"))
    run_json(cli, "import", str(CASE / "following_accounts.csv"), *ME, "--as-of", "2024-06-01")
    rows = _rows(db_url, select(t.identities.c.platform_id))
    pids = [r[0] for r in rows]
    assert len(pids) == len(set(pids))
    # tove, oskar and ilse appear in both; the archive also guessed nobody else
    assert {"@tove@moss.example", "@oskar@fen.example", "@ilse@pine.example"} <= set(pids)
    assert status(cli)["accounts"] == 1, "the archive's account and --account are the same account"


HEADER = "Account address,Show boosts,Notify on new posts,Languages\n"


UNREADABLE = {
    "empty": b"",
    "random bytes": bytes(range(256)) * 8,
    "latin-1": (HEADER + "jos\xe9@caf\xe9.example,true,false,\n").encode("latin-1"),
    "utf-16": (HEADER + "tove@moss.example,true,false,\n").encode("utf-16"),
    "another format": b'{"orderedItems": ["https://moss.example/users/tove/statuses/1"]}\n',
    "NUL bytes": b"Account address,Show boosts\ntove@moss.example\x00,true\n",
}


@pytest.mark.parametrize("why", list(UNREADABLE))
def test_unreadable_csvs_fail_cleanly(cli: Any, tmp_path: Path, why: str) -> None:
    run_json(cli, "import", str(CASE / "following_accounts_2018-03-01_old_format.csv"), *ME)
    bad = tmp_path / "following_accounts_2024-01-01.csv"
    bad.write_bytes(UNREADABLE[why])
    assert_fails_cleanly(cli, str(bad), "--source", "mastodon-csv", *ME, names=bad.name)


def test_two_different_lists_of_the_same_day_need_their_own_times(cli: Any, tmp_path: Path) -> None:
    morning = tmp_path / "morning" / "following_accounts_2024-06-01.csv"
    evening = tmp_path / "evening" / "following_accounts_2024-06-01.csv"
    for path, people in (
        (morning, ["tove@moss.example"]),
        (evening, ["tove@moss.example", "mira@reed.example"]),
    ):
        path.parent.mkdir()
        path.write_text(HEADER + "".join(f"{p},true,false,\n" for p in people))
    run_json(cli, "import", str(morning), *ME)
    line = assert_fails_cleanly(cli, str(evening), *ME, names=evening.name)
    assert "--as-of 2024-06-01T18:00" in line
    out = run_json(cli, "import", str(evening), *ME, "--as-of", "2024-06-01T18:00")
    assert (out["snapshots"][0]["gained"], out["snapshots"][0]["lost"]) == (1, 0)
