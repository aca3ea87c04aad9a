"""The stored people list (person_summary) follows new imports, tags, merges and undo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from mutuals.analytics.people import merge, profile, summary
from mutuals.analytics.people.common import find_person
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import NOW, X, event, ident, load

K, D = InteractionKind, Direction


def _rows(engine: Engine, **kw: Any) -> dict[str, tuple[float, int, str]]:
    with transaction(engine) as conn:
        return {r["name"]: (r["score"], r["owed"], r["stage"]) for r in profile.list_people(conn, NOW, **kw)}


def test_the_stored_list_follows_imports_tags_merges_and_undo(engine: Engine) -> None:
    amy, bob = ident(Network.X, "amy", "Amy"), ident(Network.X, "bob", "Bob")
    load(engine, [event(X, amy, K.LIKE, D.INBOUND, 3, key=f"a{n}") for n in range(2)])
    # recency 30 + frequency 2/20 x 25 + reciprocity 0 + depth 5 (public); owed 2 likes.
    assert _rows(engine) == {"Amy": (37.5, 2, "engaged")}

    # A later import: our two replies to Amy (reciprocity 20 x 2/2, frequency 4/20 x 25), and Bob.
    load(
        engine,
        [
            event(X, amy, K.REPLY, D.OUTBOUND, 1, key="r1"),
            event(X, amy, K.REPLY, D.OUTBOUND, 1, key="r2"),
            *[event(X, bob, K.LIKE, D.INBOUND, 2, key=f"b{n}") for n in range(2)],
        ],
        path="(second)",
    )
    assert _rows(engine) == {"Amy": (60.0, 0, "engaged"), "Bob": (37.5, 2, "engaged")}

    with transaction(engine) as conn:
        a, b = find_person(conn, "@amy"), find_person(conn, "@bob")
        profile.add_tag(conn, a, "customer")
    assert _rows(engine, stage="customer") == {"Amy": (60.0, 0, "customer")}
    assert _rows(engine, tag="customer", sort="owed") == {"Amy": (60.0, 0, "customer")}

    with transaction(engine) as conn:
        merge.merge(conn, a, b)
    # 4 from them, 2 from us, 6 contacts: 30 + 7.5 + 20 x 2/4 + 5; given 4 (likes), back 4 (2 replies x 2).
    assert _rows(engine) == {"Amy": (52.5, 0, "customer")}

    with transaction(engine) as conn:
        merge.undo(conn)
    assert _rows(engine) == {"Amy": (60.0, 0, "customer"), "Bob": (37.5, 2, "engaged")}


def test_the_list_pages_with_limit_and_offset(engine: Engine) -> None:
    people = [ident(Network.X, f"p{n:02d}", f"P{n:02d}") for n in range(7)]
    load(engine, [event(X, p, K.LIKE, D.INBOUND, 1 + n, key=f"k{n}") for n, p in enumerate(people)])
    with transaction(engine) as conn:
        whole = [r["id"] for r in profile.list_people(conn, NOW, sort="last_seen", limit=100)]
        pages = [
            r["id"]
            for off in range(0, 7, 3)
            for r in profile.list_people(conn, NOW, sort="last_seen", limit=3, offset=off)
        ]
    assert len(whole) == len(people) and pages == whole


def test_a_stored_list_for_another_time_is_recomputed(engine: Engine) -> None:
    amy = ident(Network.X, "amy", "Amy")
    load(engine, [event(X, amy, K.LIKE, D.INBOUND, 3, key="a1")])
    with transaction(engine) as conn:
        summary.ensure(conn, NOW)
        later = NOW + timedelta(days=400)  # the like is then over a year old: no recency, no frequency
        assert summary.ensure(conn, later) == later
        (row,) = profile.list_people(conn, later)
    assert row["score"] == 5.0  # depth (public) only
