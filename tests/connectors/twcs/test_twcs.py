"""The customer-care CSV (TWCS layout): tiny invented fixtures, and the real 5,000-row sample."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from mutuals.storage import tables as t
from tests.conftest import CASES
from tests.connectors.import_checks import assert_fails_cleanly, run_json, status

TWCS = CASES / "twcs"
SAMPLE = "twcs/twcs_first5000rows_monalisapatra26.csv"


def _interactions(engine: Engine) -> dict[str, dict[str, Any]]:
    i, a, ic = t.interactions.c, t.accounts.c, t.identities.c
    q = (
        select(i.key, i.kind, i.direction, a.handle, ic.platform_id, i.in_reply_to, i.post_ref, i.text)
        .join(t.accounts, a.id == i.account_id)
        .outerjoin(t.identities, ic.id == i.identity_id)
    )
    with engine.connect() as conn:
        return {r.key: dict(r._mapping) for r in conn.execute(q)}


def test_brand_threads_become_inbound_and_outbound_interactions(cli: Any, engine: Engine) -> None:
    report = run_json(cli, "import", str(TWCS / "brand_threads.csv"))
    assert report["source"] == "twcs"
    rows = _interactions(engine)
    assert rows["101"]["direction"] == "inbound" and rows["101"]["kind"] == "mention"
    assert rows["101"]["handle"] == "BrewbirdHelp" and rows["101"]["platform_id"] == "900001"
    assert rows["101"]["text"] == "@BrewbirdHelp my grinder is broken & loud"  # HTML entity decoded
    assert rows["102"]["direction"] == "outbound" and rows["102"]["in_reply_to"] == "101"
    assert rows["102"]["platform_id"] == "900001", "a brand reply is addressed to the customer it answers"
    assert rows["103"]["kind"] == "reply" and rows["103"]["post_ref"] == "102"
    assert rows["104"]["handle"] == "KettleCo", "unanswered, attributed by the brand it mentions"
    assert rows["109"]["handle"] == "KettleCo" and rows["109"]["kind"] == "reply"
    with engine.connect() as conn:
        p = t.posts.c
        posts = {r.platform_id: r for r in conn.execute(select(p.platform_id, p.kind, p.text))}
    assert set(posts) == {"102", "107", "108"}
    assert posts["108"].kind == "original" and posts["108"].text == "New kettles!\nOut now"


def test_a_row_split_by_bare_carriage_returns_is_put_back_together(cli: Any, engine: Engine) -> None:
    run_json(cli, "import", str(TWCS / "brand_threads.csv"))
    rows = _interactions(engine)
    assert rows["106"]["text"] == "@BrewbirdHelp \r\rmy order is late"
    assert rows["106"]["handle"] == "BrewbirdHelp"
    assert rows["107"]["in_reply_to"] == "106"


def test_an_inbound_tweet_no_brand_can_be_found_for_is_a_counted_problem(cli: Any) -> None:
    report = run_json(cli, "import", str(TWCS / "brand_threads.csv"))
    assert report["status"] == "partial"
    assert report["counts"]["skipped"] == 1
    assert report["problems"][0]["record"].endswith("(tweet 105)")


def test_excel_saved_copies_with_upper_case_booleans_and_integer_ids_import(cli: Any, engine: Engine) -> None:
    report = run_json(cli, "import", str(TWCS / "excel_saved.csv"))
    assert report["status"] == "ok"
    rows = _interactions(engine)
    assert rows["202"]["in_reply_to"] == "201" and rows["201"]["direction"] == "inbound"


def test_bad_rows_are_skipped_and_named_by_line_and_field(cli: Any) -> None:
    report = run_json(cli, "import", str(TWCS / "bad_rows.csv"))
    assert report["status"] == "partial"
    problems = {p["record"]: p["message"] for p in report["problems"]}
    assert problems["line 3"].startswith("field created_at:")
    assert problems["line 4"].startswith("field inbound:")


def test_reimporting_the_file_changes_nothing(cli: Any) -> None:
    run_json(cli, "import", str(TWCS / "brand_threads.csv"))
    before = status(cli)
    again = run_json(cli, "import", str(TWCS / "brand_threads.csv"))
    assert all(v == 0 for v in again["added"].values())
    assert status(cli) == before


def test_only_the_brand_named_with_account_is_imported(cli: Any, engine: Engine) -> None:
    run_json(cli, "import", str(TWCS / "brand_threads.csv"), "--account", "KettleCo")
    assert {r["handle"] for r in _interactions(engine).values()} == {"KettleCo"}


def test_bad_files_fail_cleanly(cli: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert_fails_cleanly(cli, str(empty), "--source", "twcs", names="empty.csv")
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(256)) * 8)
    assert_fails_cleanly(cli, str(noise), "--source", "twcs", names="noise.csv")
    other = tmp_path / "other.csv"
    other.write_text("name,email\nAda,ada@example.com\n")
    assert_fails_cleanly(cli, str(other), "--source", "twcs", names="other.csv")
    assert_fails_cleanly(cli, str(other), names="other.csv")  # not detected as anything


def _sample_counts(path: Path) -> dict[str, int]:
    """An independent count of the real sample: pandas parses it, and the documented attribution
    rules are applied here by hand."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[df["inbound"].isin(["True", "False"])]
    parent = {
        r.tweet_id: (str(int(float(r.in_response_to_tweet_id))) if r.in_response_to_tweet_id else "")
        for r in df.itertuples()
    }
    inbound = dict(zip(df["tweet_id"], df["inbound"] == "True", strict=True))
    brands = {a.lower() for a, ib in zip(df["author_id"], df["inbound"], strict=True) if ib == "False"}
    answered = {parent[tid] for tid in df["tweet_id"] if not inbound[tid] and parent[tid]}

    def attributable(tweet_id: str, text: str) -> bool:
        p = parent[tweet_id]
        if tweet_id in answered:  # rule 1: a brand answered it
            return True
        if p in inbound and not inbound[p]:  # rule 2: it answers a brand tweet
            return True
        if any(m.lower() in brands for m in re.findall(r"@(\w+)", text)):  # rule 3: it mentions one
            return True
        while inbound.get(p):  # rule 4: the nearest brand tweet up its thread
            p = parent[p]
        return p in inbound

    attributed = sum(attributable(r.tweet_id, r.text) for r in df[df["inbound"] == "True"].itertuples())
    n_in = int((df["inbound"] == "True").sum())
    outbound = df[df["inbound"] == "False"]
    return {
        "posts": len(outbound),
        "outbound_replies": int((outbound["in_response_to_tweet_id"] != "").sum()),
        "inbound": n_in,
        "attributed": attributed,
        "brands": len(brands),
    }


def test_the_real_sample_imports_every_row_or_lists_it(cli: Any, engine: Engine, shared_data: Path) -> None:
    path = shared_data / SAMPLE
    expected = _sample_counts(path)
    report = run_json(cli, "import", str(path))
    assert report["source"] == "twcs"
    assert report["counts"]["posts"] == expected["posts"]
    assert report["counts"]["interactions"] == expected["outbound_replies"] + expected["attributed"]
    assert report["counts"]["skipped"] == expected["inbound"] - expected["attributed"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.accounts)).scalar_one() == expected["brands"]
    physical = sum(1 for _ in csv.reader(path.open(newline="", encoding="utf-8"))) - 1
    assert physical == expected["posts"] + expected["inbound"] + 2, "the broken row is split by csv"
    again = run_json(cli, "import", str(path))
    assert all(v == 0 for v in again["added"].values())
