from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mutuals.analytics.people import profile, stages
from mutuals.analytics.people.common import find_person, utcnow
from mutuals.config import get_settings
from mutuals.domain import Direction, FollowDirection, FollowEntry, FollowSnapshot, InteractionKind, Network
from mutuals.errors import ConfigError
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import NOW, X, event, ident, load

K, D = InteractionKind, Direction


def _people(engine: Engine) -> None:
    fol, eng, conv, lead, cust, adv = (
        ident(Network.X, h, h.title()) for h in ("fol", "eng", "conv", "lead", "cust", "adv")
    )
    load(
        engine,
        [
            FollowSnapshot(X, FollowDirection.FOLLOWER, NOW - timedelta(days=60)),
            FollowEntry(X, FollowDirection.FOLLOWER, fol),
            FollowEntry(X, FollowDirection.FOLLOWER, eng),
            event(X, eng, K.LIKE, D.INBOUND, 20, key="e1"),
            event(X, conv, K.MENTION, D.INBOUND, 20, key="c1"),
            event(X, conv, K.REPLY, D.OUTBOUND, 19, key="c2"),
            event(X, lead, K.MEETING, D.OUTBOUND, 10, key="l1", public=False),
            event(X, cust, K.LIKE, D.INBOUND, 10, key="u1"),
            *[event(X, adv, K.REPOST, D.INBOUND, 5 + n, key=f"a{n}") for n in range(3)],
        ],
    )
    with transaction(engine) as conn:
        profile.add_tag(conn, find_person(conn, "@cust"), "customer")
        profile.add_tag(conn, find_person(conn, "@adv"), "customer")


def _stage_of(engine: Engine, handle: str) -> str:
    with transaction(engine) as conn:
        return str(stages.current_stage(conn, find_person(conn, handle), NOW)["stage"])


def test_default_rules_put_each_person_at_the_expected_stage(engine: Engine) -> None:
    _people(engine)
    expected = {
        "@fol": "follower",
        "@eng": "engaged",
        "@conv": "conversation",
        "@lead": "lead",
        "@cust": "customer",
        "@adv": "advocate",
    }
    assert {h: _stage_of(engine, h) for h in expected} == expected


def test_rules_in_the_data_folder_replace_the_defaults(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _people(engine)
    monkeypatch.setenv("MUTUALS_HOME", str(tmp_path))
    get_settings.cache_clear()
    rules = {"rules": {"engaged": [{"likes": 1}], "lead": [{"messages_in": 1}]}}
    (tmp_path / "stage_rules.json").write_text(json.dumps(rules))
    assert _stage_of(engine, "@conv") == "lead"
    assert _stage_of(engine, "@fol") == "stranger"  # no follower rule any more
    (tmp_path / "stage_rules.json").write_text(json.dumps({"rules": {"vip": [{"likes": 1}]}}))
    with pytest.raises(ConfigError, match="unknown stage 'vip'"):
        stages.load_rules()
    get_settings.cache_clear()


def test_an_override_wins_and_both_kinds_of_change_are_in_the_history(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        pid = find_person(conn, "@eng")
        stages.refresh_stages(conn, NOW - timedelta(days=1))
        res = stages.set_override(conn, pid, "customer", NOW)
        assert res == {"person": pid, "from": "engaged", "to": "customer", "overridden": True}
        assert stages.current_stage(conn, pid, NOW)["stage"] == "customer"
        hist = stages.history(conn, pid)
        assert [(h["from"], h["to"], h["source"]) for h in hist] == [
            ("engaged", "customer", "override"),
            (None, "engaged", "rules"),
        ]
        stages.set_override(conn, pid, "auto", NOW)
        assert stages.current_stage(conn, pid, NOW)["stage"] == "engaged"


def test_refreshing_records_only_changes(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        assert stages.refresh_stages(conn, NOW) == 6
        assert stages.refresh_stages(conn, NOW) == 0
    conv = ident(Network.X, "eng", "Eng")
    load(
        engine,
        [event(X, conv, K.MENTION, D.INBOUND, 1, key="n1"), event(X, conv, K.DM, D.OUTBOUND, 0.5, key="n2")],
    )
    with transaction(engine) as conn:
        assert stages.refresh_stages(conn, NOW) == 1
        hist = stages.history(conn, find_person(conn, "@eng"))
    assert (hist[0]["from"], hist[0]["to"]) == ("engaged", "conversation")


def test_conversion_compares_stages_as_they_were_at_the_start_and_end_of_a_period(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        # the tags were added just now, after NOW: the period ends after them
        got = stages.conversion(conn, NOW - timedelta(days=15), utcnow() + timedelta(hours=1), NOW)
    # 15 days ago: eng engaged, conv in conversation; lead, cust and adv came later.
    assert got["stages"]["stranger"]["at_start"] == 3
    assert got["stages"]["stranger"]["moved_up"] == 3
    assert got["stages"]["engaged"] == {"at_start": 1, "at_end": 1, "moved_up": 0, "conversion": 0.0}
    moves = {(m["from"], m["to"]): m["people"] for m in got["moves"]}
    assert moves == {("stranger", "lead"): 1, ("stranger", "customer"): 1, ("stranger", "advocate"): 1}
