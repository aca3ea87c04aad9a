"""The generic interactions CSV / JSONL: its documented schema, and bad rows named by line and field."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

INBOX = CASES / "inbox" / "conversations.csv"
CSV_CASES = CASES / "csv"


def test_every_row_of_a_good_csv_becomes_one_interaction(cli: Any, engine: Engine) -> None:
    with INBOX.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    report = run_json(cli, "import", str(INBOX))
    assert report["source"] == "csv" and report["status"] == "ok"
    assert report["counts"]["interactions"] == len(rows)
    assert report["added"]["interactions"] == len(rows)
    assert report["counts"]["identities"] == len({(r["network"], r["identity_id"]) for r in rows})
    i, ic = t.interactions.c, t.identities.c
    with engine.connect() as conn:
        dm = conn.execute(select(i.is_public, i.thread_ref, i.in_reply_to).where(i.key == "x-d2")).one()
        elif_profile = conn.execute(select(ic.profile).where(ic.platform_id == "did:plc:elif")).scalar_one()
    assert dm == (False, "dm-503", "x-d1")
    assert elif_profile == {"followers_count": 25000}


def test_reimporting_the_csv_changes_nothing(cli: Any) -> None:
    run_json(cli, "import", str(INBOX))
    before = status(cli)
    again = run_json(cli, "import", str(INBOX))
    assert all(v == 0 for v in again["added"].values())
    assert status(cli) == before


def test_bad_rows_are_problems_naming_the_line_and_field(cli: Any) -> None:
    report = run_json(cli, "import", str(CSV_CASES / "bad_rows.csv"))
    assert report["status"] == "partial"
    assert report["counts"]["interactions"] == 1
    problems = {p["record"]: p["message"] for p in report["problems"]}
    assert problems["line 3"].startswith("field network: 'myspace' is not one of")
    assert problems["line 4"].startswith("field kind: 'wave'")
    assert problems["line 5"].startswith("field direction: 'sideways'")
    assert problems["line 6"].startswith("field occurred_at: 'last tuesday'")
    assert problems["line 7"].startswith("field account: is empty")
    assert problems["line 8"] == "has 6 fields, expected 7"


def test_jsonl_rows_import_and_bad_lines_are_named(cli: Any, engine: Engine) -> None:
    path = CSV_CASES / "interactions.jsonl"
    good = []
    for line in path.read_text().splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and obj.get("is_public") != "perhaps":
            good.append(obj)
    report = run_json(cli, "import", str(path))
    assert report["source"] == "csv"
    assert report["counts"]["interactions"] == len(good)
    problems = {p["record"]: p["message"] for p in report["problems"]}
    assert problems == {
        "line 5": "is not a JSON object",
        "line 6": "field is_public: 'perhaps' is not true or false",
    }
    i = t.interactions.c
    with engine.connect() as conn:
        when = conn.execute(select(i.occurred_at).where(i.key == "m-1")).scalar_one()
        dm = conn.execute(select(i.is_public).where(i.thread_ref == "conv-9")).scalar_one()
    assert when.isoformat() == "2026-11-05T09:00:00+00:00", "offsets are converted to UTC"
    assert dm is False, "DMs are private unless is_public says otherwise"


def test_account_can_come_from_the_command_line(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "no_account.csv"
    path.write_text("network,kind,direction,occurred_at,handle\nx,mention,inbound,2026-01-01T00:00:00Z,zoe\n")
    assert run_json(cli, "import", str(path), "--account", "brewbird")["status"] == "ok"


def test_files_that_are_not_interaction_files_fail_cleanly(cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("network,kind,direction\nx,mention,inbound\n")
    assert_fails_cleanly(cli, str(missing), names="missing.csv")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert_fails_cleanly(cli, str(empty), "--source", "csv", names="empty.jsonl")
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"network,kind,direction,occurred_at\n" + bytes(range(128, 256)))
    assert_fails_cleanly(cli, str(noise), "--source", "csv", names="noise.csv")
