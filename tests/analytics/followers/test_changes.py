"""Who came and who left, between successive snapshots, with who they are and their history with us."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, update

from mutuals.analytics.followers.changes import follower_changes
from mutuals.connectors.base import ImportOptions
from mutuals.domain import Account, Direction, FollowDirection, FollowEntry, FollowSnapshot, Identity, Network
from mutuals.errors import ImportFormatError, InvalidInputError
from mutuals.storage import tables as t
from tests.analytics.followers.fixtures import day, records, said, snapshot, who


def _changes(engine: Engine, **kw: Any) -> dict[str, Any]:
    with engine.connect() as conn:
        return follower_changes(conn, **kw)


def _keys(rows: list[dict[str, Any]]) -> set[tuple[str, str | None, str | None]]:
    return {(r["handle"], r["between"][0], r["between"][1]) for r in rows}


def test_the_first_snapshot_is_a_baseline_not_a_gain(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2, 3])
    assert _changes(engine) == {"gained": [], "lost": []}


def test_gains_and_losses_come_with_the_interval_between_the_two_snapshots(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2, 3])
    snapshot(engine, 7, [2, 3, 4])
    snapshot(engine, 14, [3, 4, 5, 1])
    data = _changes(engine)
    d0, d7, d14 = (day(n).isoformat() for n in (0, 7, 14))
    assert _keys(data["gained"]) == {
        ("u4@example.org", d0, d7),
        ("u5@example.org", d7, d14),
        ("u1@example.org", d7, d14),
    }
    assert _keys(data["lost"]) == {("u1@example.org", d0, d7), ("u2@example.org", d7, d14)}
    assert [r["between"][1] for r in data["gained"]] == sorted(r["between"][1] for r in data["gained"])


def test_since_and_limit_keep_the_later_changes(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2])
    snapshot(engine, 7, [2, 3])
    snapshot(engine, 14, [3, 4])
    later = _changes(engine, since=day(10))
    assert _keys(later["gained"]) == {("u4@example.org", day(7).isoformat(), day(14).isoformat())}
    assert len(_changes(engine, limit=1)["lost"]) == 1


def test_each_change_says_who_it_is_and_their_history_with_us(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2])
    records(
        engine,
        [
            said(1, 1, "love the new roast"),
            said(1, 2, "thanks Ada!", direction=Direction.OUTBOUND),
            said(1, 3, "where is my order?"),
            said(3, 4, "hello"),
        ],
    )
    # Another identity of person u1 on another network, merged into the same person.
    insta = Identity(Network.INSTAGRAM, "@ada.brews", handle="ada.brews")
    records(
        engine,
        [
            FollowSnapshot(Account(Network.INSTAGRAM, "brewbird"), FollowDirection.FOLLOWER, day(0)),
            FollowEntry(Account(Network.INSTAGRAM, "brewbird"), FollowDirection.FOLLOWER, insta),
        ],
    )
    with engine.begin() as conn:
        i = t.identities.c
        pid = conn.execute(t.identities.select().where(i.platform_id == who(1).platform_id)).first().person_id
        conn.execute(update(t.identities).where(i.platform_id == "@ada.brews").values(person_id=pid))
        # Labels set here whatever the import's own enrichment said: only their messages count.
        for text, label in [
            ("where is my order?", "negative"),
            ("love the new roast", "positive"),
            ("thanks Ada!", "negative"),
        ]:
            conn.execute(
                update(t.interactions).where(t.interactions.c.text == text).values(sentiment_label=label)
            )
    snapshot(engine, 10, [2, 3])
    data = _changes(engine, account="mastodon:brewbird@example.social")
    (lost,) = data["lost"]
    assert lost["handle"] == "u1@example.org" and lost["person"]["display_name"] == "User 1"
    assert lost["person"]["other_identities"] == [
        {"network": "instagram", "platform_id": "@ada.brews", "handle": "ada.brews"}
    ]
    h = lost["history"]
    assert (h["interactions"], h["inbound"], h["outbound"], h["we_replied"]) == (3, 2, 1, True)
    assert h["sentiment"] == {"negative": 1, "positive": 1}
    assert [x["text"] for x in h["last_interactions"]] == [
        "where is my order?",
        "thanks Ada!",
        "love the new roast",
    ]
    assert lost["stage"]
    (gained,) = data["gained"]
    assert gained["handle"] == "u3@example.org"
    assert gained["history"]["we_replied"] is False and gained["history"]["inbound"] == 1


def test_the_exports_own_follow_time_is_kept_but_changes_come_from_snapshots(engine: Engine) -> None:
    snapshot(engine, 0, [1], followed_at={1: day(-30)})
    snapshot(engine, 5, [1, 2], followed_at={1: day(-30), 2: day(3)})
    (g,) = _changes(engine)["gained"]
    assert g["handle"] == "u2@example.org" and g["followed_at"] == day(3).isoformat()
    assert g["between"] == [day(0).isoformat(), day(5).isoformat()]


def test_changes_work_for_following_lists_and_friends(engine: Engine) -> None:
    for direction in (FollowDirection.FOLLOWING, FollowDirection.FRIEND):
        snapshot(engine, 0, [1, 2], direction=direction)
        snapshot(engine, 3, [2, 3], direction=direction)
        data = _changes(engine, direction=direction.value)
        assert {r["handle"] for r in data["gained"]} == {"u3@example.org"}
        assert {r["handle"] for r in data["lost"]} == {"u1@example.org"}
    assert _changes(engine) == {"gained": [], "lost": []}


def test_duplicate_entries_are_ignored_and_noted(engine: Engine) -> None:
    rep = snapshot(engine, 0, [1, 2, 2, 3, 3, 3])
    assert rep.snapshots[0]["members"] == 3
    assert any("3 duplicate follow entries were ignored" in n for n in rep.notes)
    assert snapshot(engine, 1, [1, 2, 3]).snapshots[0]["gained"] == 0


def test_an_empty_list_after_a_full_one_is_refused_unless_allowed(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2])
    with pytest.raises(ImportFormatError, match="--allow-empty-snapshot"):
        snapshot(engine, 1, [])
    assert _changes(engine) == {"gained": [], "lost": []}
    snapshot(engine, 1, [], allow_empty_snapshot=True)
    assert {r["handle"] for r in _changes(engine)["lost"]} == {"u1@example.org", "u2@example.org"}


def test_an_export_of_another_account_than_the_one_named_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="belongs to ada_brews, not to --account marco"):
        ImportOptions(account="marco").account_for(Network.INSTAGRAM, "ada_brews")
    assert (
        ImportOptions(account="@Ada_Brews").account_for(Network.INSTAGRAM, "ada_brews").handle == "Ada_Brews"
    )


def test_the_cli_prints_exactly_gained_and_lost_and_names_bad_options(engine: Engine, cli: Any) -> None:
    snapshot(engine, 0, [1])
    snapshot(engine, 2, [2])
    res = cli("followers", "changes", "--json")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert set(data) == {"gained", "lost"}
    for row in data["gained"] + data["lost"]:
        assert {"network", "platform_id", "handle", "between", "person", "history", "stage"} <= set(row)
    assert cli("followers", "changes").code == 0
    bad = cli("followers", "changes", "--direction", "fans")
    assert bad.code == 1 and "--direction" in bad.err and len(bad.err.strip().splitlines()) == 1
    unknown = cli("followers", "changes", "--account", "nobody")
    assert unknown.code == 1 and "--account" in unknown.err
