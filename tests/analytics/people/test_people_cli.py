"""The ``mutuals people`` commands on the demo workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from mutuals.storage import tables as t
from mutuals.storage.db import get_engine


@pytest.fixture
def demo(cli: Any) -> Any:
    assert cli("demo").code == 0
    return cli


def _json(cli: Any, *args: str) -> Any:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def test_list_filters_by_stage_and_tag_and_sorts(demo: Any) -> None:
    rows = _json(demo, "people", "list", "--limit", "20")
    assert len(rows) == 20
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    first = rows[0]
    assert demo("people", "tag", str(first["id"]), "Regulars").code == 0
    tagged = _json(demo, "people", "list", "--tag", "regulars")
    assert [r["id"] for r in tagged] == [first["id"]]
    leads = _json(demo, "people", "list", "--stage", "lead", "--limit", "500")
    assert leads and {r["stage"] for r in leads} == {"lead"}
    owed = _json(demo, "people", "list", "--sort", "owed")
    assert [r["owed"] for r in owed] == sorted((r["owed"] for r in owed), reverse=True)
    seen = _json(demo, "people", "list", "--sort", "last_seen")
    stamps = [r["last_seen"] for r in seen if r["last_seen"]]
    assert stamps == sorted(stamps, reverse=True)


def test_show_lists_every_interaction_of_the_person_newest_first(demo: Any) -> None:
    pid = _json(demo, "people", "list", "--limit", "1")[0]["id"]
    assert demo("people", "note", str(pid), "likes the Sumatra").code == 0
    assert demo("people", "field", str(pid), "city", "Leeds").code == 0
    shown = _json(demo, "people", "show", str(pid), "--limit", "0")
    with get_engine().connect() as conn:
        ic = t.identities.c
        count = conn.execute(
            select(func.count())
            .select_from(t.interactions.join(t.identities, ic.id == t.interactions.c.identity_id))
            .where(ic.person_id == pid)
        ).scalar_one()
    events = [e for e in shown["timeline"] if e["type"] == "interaction"]
    assert len(events) == count == shown["interactions"]
    stamps = [e["at"] for e in shown["timeline"] if e["at"]]
    assert stamps == sorted(stamps, reverse=True)
    assert shown["fields"] == {"city": "Leeds"}
    assert [n["text"] for n in shown["notes"]] == ["likes the Sumatra"]
    assert set(shown["score"]["parts"]) == {"recency", "frequency", "reciprocity", "depth", "sentiment"}
    assert shown["stage_history"], "showing a person records its stage"


def test_suggestions_and_auto_merge_on_the_demo(demo: Any) -> None:
    data = _json(demo, "people", "suggestions")
    assert data["total"] > 0 and data["suggestions"]
    strong = [s for s in data["suggestions"] if s["auto_merge"]]
    before = json.loads(demo("status", "--json").out)
    merged = _json(demo, "people", "suggestions", "--auto-merge")
    assert len(merged["merged"]) >= len(strong) > 0
    after = json.loads(demo("status", "--json").out)
    assert after["interactions"] == before["interactions"]
    assert all(not s["auto_merge"] for s in merged["suggestions"])
    last = merged["merged"][-1]
    res = demo("people", "undo")
    assert res.code == 0 and f"persons {last['kept']} and {last['merged']}" in res.out
    assert _json(demo, "people", "show", str(last["merged"]))["id"] == last["merged"]


def test_read_commands_answer_in_json(demo: Any) -> None:
    queue = _json(demo, "people", "engage-back")
    assert queue and all(q["owed"] > 0 for q in queue)
    quality = _json(demo, "people", "quality", "--days", "90", "--until", "2026-12-01")
    assert {q["account"] for q in quality} >= {"x:brewbird", "instagram:brewbird.coffee"}
    assert all(q["followers_at_end"] > 0 for q in quality)
    one = _json(demo, "people", "quality", "--account", "x:brewbird", "--until", "2026-12-01")
    assert len(one) == 1 and one[0]["two_way_conversations"] > 0
    funnel = _json(demo, "people", "funnel", "--months", "2", "--until", "2026-12-01")
    assert len(funnel) == 2 and funnel[0]["end"] == funnel[1]["start"]
    assert _json(demo, "people", "due") == []
    assert demo("people", "cadence", "--tag", "vip", "30").code == 0
    pid = _json(demo, "people", "list", "--limit", "1")[0]["id"]
    assert demo("people", "tag", str(pid), "vip").code == 0
    assert demo("people", "stage", str(pid), "advocate").code == 0
    assert _json(demo, "people", "show", str(pid))["stage"]["stage"] == "advocate"
