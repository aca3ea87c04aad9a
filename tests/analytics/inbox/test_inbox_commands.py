"""The inbox commands on a small invented workspace (tests/cases/inbox, imported as a generic CSV)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import median
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from mutuals.storage import inbox_tables as it
from tests.conftest import CASES

CONVERSATIONS = CASES / "inbox" / "conversations.csv"


def _json(cli: Any, *args: str) -> Any:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def _setup(cli: Any) -> dict[str, dict[str, Any]]:
    """Import the fixture and add a team member; returns the conversations by their first message."""
    _json(cli, "import", str(CONVERSATIONS))
    _json(cli, "inbox", "team", "add", "priya", "--name", "Priya Shah", "--sign-off", "^PS")
    convs = _json(cli, "inbox", "--state", "all")["conversations"]
    by_text = {}
    for c in convs:
        shown = _json(cli, "inbox", "show", str(c["id"]))
        by_text[shown["thread"][0]["key"]] = shown
    return by_text


def _fixture_rows() -> list[dict[str, str]]:
    with CONVERSATIONS.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            tbl.name: conn.execute(select(func.count()).select_from(tbl)).scalar_one()
            for tbl in (
                it.inbox_conversations,
                it.inbox_messages,
                it.inbox_events,
                it.inbox_replies,
                it.inbox_notes,
                it.team_members,
            )
        }


def test_messages_are_grouped_into_reply_chains_and_dm_threads(cli: Any, engine: Engine) -> None:
    convs = _setup(cli)
    rows = _fixture_rows()
    # Independent threading of the fixture: a reply joins what it answers, DMs their thread id.
    keys = {r["platform_id"] for r in rows}
    root: dict[str, str] = {}
    for r in rows:
        if r["kind"] == "like":
            continue
        if r["thread_ref"]:
            root[r["platform_id"]] = "dm:" + r["thread_ref"]
        elif r["in_reply_to"] in keys:
            root[r["platform_id"]] = root[r["in_reply_to"]]
        else:
            root[r["platform_id"]] = r["platform_id"]
    assert len(convs) == len(set(root.values()))
    assert [m["key"] for m in convs["x-m1"]["thread"]] == ["x-m1", "x-o1", "x-m2"]
    assert [m["key"] for m in convs["x-d1"]["thread"]] == ["x-d1", "x-d2", "x-d3"]
    assert convs["x-d1"]["private"] is True


def test_the_inbox_puts_the_urgent_first_and_says_why(cli: Any, engine: Engine) -> None:
    _setup(cli)
    listed = _json(cli, "inbox")["conversations"]
    assert {c["state"] for c in listed} <= {"open", "waiting"}
    priorities = [c["priority"] for c in listed if c["state"] == "open"]
    assert priorities == sorted(priorities, reverse=True)
    elif_conv = next(c for c in listed if c["network"] == "bluesky")
    assert "reach: 25,000 followers" in elif_conv["reasons"]
    # The listening module's label where its model is installed, else the keyword fall-back.
    assert any(r.startswith("sounds negative") or r == "negative sentiment" for r in elif_conv["reasons"])
    assert listed[0]["id"] == elif_conv["id"]
    only_bluesky = _json(cli, "inbox", "--account", "brewbird.example.com")["conversations"]
    assert [c["id"] for c in only_bluesky] == [elif_conv["id"]]


def test_we_wrote_last_means_waiting_on_them(cli: Any, engine: Engine) -> None:
    convs = _setup(cli)
    assert convs["x-m1"]["state"] == "open"  # Anna wrote last
    assert convs["x-m3"]["state"] == "open"
    listed = {c["id"]: c for c in _json(cli, "inbox", "--state", "open")["conversations"]}
    assert convs["x-m1"]["id"] in listed


def test_assign_done_snooze_and_notes_are_logged_with_who_and_when(cli: Any, engine: Engine) -> None:
    convs = _setup(cli)
    cid = str(convs["x-m3"]["id"])
    assert _json(cli, "inbox", "assign", cid, "priya", "--as", "priya")["assignee"] == "priya"
    _json(cli, "inbox", "note", cid, "--text", "ask the warehouse about Norway", "--as", "priya")
    _json(cli, "inbox", "snooze", cid, "--for", "3h", "--as", "priya")
    assert _json(cli, "inbox", "show", cid)["state"] == "snoozed"
    _json(cli, "inbox", "done", cid)
    shown = _json(cli, "inbox", "show", cid)
    assert shown["state"] == "done" and shown["assignee"] == "priya"
    actions = [(e["action"], e["actor"]) for e in shown["events"]]
    assert actions[:3] == [("assign", "priya"), ("note", "priya"), ("snooze", "priya")]
    assert actions[3][0] == "done" and actions[3][1].startswith("local:")
    assert all(e["at"] for e in shown["events"])
    assert shown["notes"][0]["text"] == "ask the warehouse about Norway"


def test_bad_input_is_a_one_line_error_and_changes_nothing(cli: Any, engine: Engine) -> None:
    convs = _setup(cli)
    cid = str(convs["x-m3"]["id"])
    before = _counts(engine)
    for args, words in [
        (("inbox", "show", "99999"), "no conversation 99999"),
        (("inbox", "assign", cid, "zed"), "no team member 'zed'"),
        (("inbox", "reply", cid, "--text", ""), "empty"),
        (("inbox", "reply", cid, "--text", "x" * 281), "x allows at most 280"),
        (("inbox", "reply", cid, "--text", "hello", "--as", "zed"), "no team member 'zed'"),
        (("inbox", "snooze", cid, "--until", "2001-01-01"), "future"),
        (("inbox", "--state", "sleeping"), "--state"),
        (("inbox", "metrics", "--account", "nobody"), "no account"),
    ]:
        res = cli(*args)
        assert res.code == 1, (args, res.out)
        assert len(res.err.strip().splitlines()) == 1 and words in res.err, (args, res.err)
        assert "Traceback" not in res.err
    bluesky = str(next(c for c in convs.values() if c["network"] == "bluesky")["id"])
    res = cli("inbox", "reply", bluesky, "--text", "é" * 301)
    assert res.code == 1 and "bluesky allows at most 300 graphemes" in res.err
    assert _counts(engine) == before


def test_a_recorded_reply_marks_the_conversation_answered_and_counts_in_the_metrics(
    cli: Any, engine: Engine
) -> None:
    convs = _setup(cli)
    cid = str(convs["x-m3"]["id"])
    checked = _json(
        cli, "inbox", "reply", cid, "--text", "Yes Ben, we do! ^PS", "--as", "priya", "--check-only"
    )
    assert checked["recorded"] is False and checked["coach"]["addresses_person"] is True
    assert checked["coach"]["signed_off"] is True
    assert _json(cli, "inbox", "show", cid)["state"] == "open"
    before = _json(cli, "inbox", "metrics", "--account", "brewbird")["accounts"][0]
    out = _json(cli, "inbox", "reply", cid, "--text", "Yes Ben, we do! ^PS", "--as", "priya")
    assert out["recorded"] is True and out["actor"] == "priya"
    shown = _json(cli, "inbox", "show", cid)
    assert shown["state"] == "waiting"
    assert shown["replies"][0]["text"] == "Yes Ben, we do! ^PS" and shown["replies"][0]["actor"] == "priya"
    assert shown["events"][-1]["action"] == "reply" and shown["events"][-1]["actor"] == "priya"
    after = _json(cli, "inbox", "metrics", "--account", "brewbird")
    assert after["accounts"][0]["answered"] == before["answered"] + 1
    priya = next(a for a in after["agents"] if a["agent"] == "priya")
    # Her imported replies are known by her sign-off; all of them name the person.
    signed = [r for r in _fixture_rows() if r["direction"] == "outbound" and r["text"].endswith("^PS")]
    assert priya["replies"] == len(signed) + 1 and priya["personalisation_rate"] == 1.0


def test_a_later_import_of_the_same_messages_loses_nothing(cli: Any, engine: Engine, tmp_path: Path) -> None:
    convs = _setup(cli)
    anna, ben = str(convs["x-m1"]["id"]), str(convs["x-m3"]["id"])
    _json(cli, "inbox", "assign", anna, "priya")
    _json(cli, "inbox", "note", anna, "--text", "VIP")
    _json(cli, "inbox", "done", anna)
    _json(cli, "inbox", "reply", ben, "--text", "Yes Ben, we do!")
    before = _counts(engine)
    _json(cli, "import", str(CONVERSATIONS))
    assert _counts(engine) == before
    assert _json(cli, "inbox", "show", anna)["state"] == "done"
    later = tmp_path / "later.csv"
    text = CONVERSATIONS.read_text()
    later.write_text(
        text + "x,brewbird,reply,inbound,2026-11-20T09:00:00Z,x-m9,501,anna_k,Anna Kowalski,,"
        '"@brewbird the new one is broken too",true,,x-o1,\n'
    )
    _json(cli, "import", str(later))
    shown = _json(cli, "inbox", "show", anna)
    assert [m["key"] for m in shown["thread"]][-1] == "x-m9"
    assert shown["state"] == "open", "a new message from them reopens a done conversation"
    assert shown["assignee"] == "priya" and shown["notes"][0]["text"] == "VIP"
    assert [e["action"] for e in shown["events"]] == ["assign", "note", "done"]
    assert _json(cli, "inbox", "show", ben)["replies"][0]["text"] == "Yes Ben, we do!"


def test_metrics_match_an_independent_count_of_the_fixture(cli: Any, engine: Engine) -> None:
    _setup(cli)
    rows = _fixture_rows()
    from datetime import datetime

    def at(r: dict[str, str]) -> datetime:
        return datetime.fromisoformat(r["occurred_at"].replace("Z", "+00:00"))

    inbound = [r for r in rows if r["direction"] == "inbound"]
    expected = {}
    for acc in {r["account"] for r in inbound}:
        mine = [r for r in inbound if r["account"] == acc]
        delays = []
        for r in mine:
            answers = [
                at(o) for o in rows if o["direction"] == "outbound" and o["in_reply_to"] == r["platform_id"]
            ]
            if answers:
                delays.append((min(answers) - at(r)).total_seconds())
        expected[acc] = (len(mine), len(delays), median(delays) if delays else None)
    got = _json(cli, "inbox", "metrics")
    assert {
        a["account"]: (a["inbound"], a["answered"], a["first_response_seconds"]["median"])
        for a in got["accounts"]
    } == expected
    assert set(got) >= {"accounts", "networks", "agents", "hours", "sla", "conversations"}


def test_the_acknowledge_queue_lists_unthanked_commenters_oldest_first(cli: Any, engine: Engine) -> None:
    _setup(cli)
    queue = _json(cli, "inbox", "acknowledge")["people"]
    # Gus (08:00) and Dev (09:00) commented and got nothing; Fay got a like after her comment.
    assert [p["handle"] for p in queue] == ["gus_m", "dev_p"]
    gus = _json(cli, "inbox", "--state", "all")["conversations"]
    gus_conv = next(c for c in gus if c["person"] and c["person"]["handle"] == "gus_m")
    _json(cli, "inbox", "reply", str(gus_conv["id"]), "--text", "Thanks Gus, glad you like it!")
    assert [p["handle"] for p in _json(cli, "inbox", "acknowledge")["people"]] == ["dev_p"]


def test_the_persons_relationship_stage_raises_the_priority(cli: Any, engine: Engine) -> None:
    from datetime import UTC, datetime

    from mutuals.storage import schema

    stages = schema.metadata.tables.get("person_stages")
    if stages is None:
        pytest.skip("the people module's person_stages table is not there")
    convs = _setup(cli)
    ben = convs["x-m3"]
    before = ben["priority"]
    with engine.begin() as conn:
        conn.execute(
            stages.insert().values(
                person_id=ben["person"]["person_id"], stage="customer", since=datetime.now(UTC)
            )
        )
    after = _json(cli, "inbox", "show", str(ben["id"]))
    assert "stage: customer" in after["reasons"]
    assert after["priority"] == before + 2


def test_labels_from_the_listening_module_win_over_the_keyword_fallback(cli: Any, engine: Engine) -> None:
    from sqlalchemy import update

    from mutuals.storage import tables as t

    convs = _setup(cli)
    ben = str(convs["x-m3"]["id"])
    i = t.interactions.c
    with engine.begin() as conn:  # as before the listening module has labelled it (or without its model)
        conn.execute(update(t.interactions).values(sentiment_label=None, intents=None))
    reasons = _json(cli, "inbox", "show", ben)["reasons"]
    assert "looks like a question" in reasons, "no labels yet: the heuristic speaks"
    with engine.begin() as conn:
        conn.execute(
            update(t.interactions)
            .where(i.key == "x-m3")
            .values(sentiment_label="negative", intents="question")
        )
    reasons = _json(cli, "inbox", "show", ben)["reasons"]
    assert "negative sentiment" in reasons and "question" in reasons
    assert not any(r.startswith("looks like") or r.startswith("sounds") for r in reasons)
    with engine.begin() as conn:
        conn.execute(
            update(t.interactions).where(i.key == "x-m3").values(sentiment_label="neutral", intents="")
        )
    reasons = _json(cli, "inbox", "show", ben)["reasons"]
    assert not any(
        r in ("question", "complaint", "negative sentiment") or r.startswith("looks like") for r in reasons
    )


def test_the_persons_relationship_score_raises_the_priority(cli: Any, engine: Engine) -> None:
    from datetime import UTC, datetime

    score_module = pytest.importorskip("mutuals.analytics.people.score")
    from mutuals.analytics.inbox.conversations import SCORE_HIGH, SCORE_MEDIUM

    convs = _setup(cli)
    for conv in convs.values():
        person = conv["person"]
        with engine.connect() as conn:
            want = score_module.person_score(conn, person["person_id"], datetime.now(UTC))["score"]
        assert person["score"] == pytest.approx(want, abs=0.1), person["handle"]
        named = [r for r in conv["reasons"] if r.startswith("relationship score")]
        assert bool(named) == (want >= SCORE_MEDIUM), (person["handle"], want, conv["reasons"])
    scores = sorted(c["person"]["score"] for c in convs.values())
    assert scores[0] < scores[-1], "the fixture's people are not all alike"
    assert SCORE_MEDIUM < SCORE_HIGH
