from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from mutuals.analytics.people import keep_in_touch, merge, profile
from mutuals.analytics.people.common import find_person
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import IG, NOW, X, event, ident, load

K, D = InteractionKind, Direction
JO_X = ident(Network.X, "jo", "Jo Park")
JO_IG = ident(Network.INSTAGRAM, "jo.park", "Jo Park")


def _due_people(engine: Engine) -> list[int]:
    with transaction(engine) as conn:
        return [d["person"] for d in keep_in_touch.due(conn, NOW)]


def test_an_imported_interaction_on_another_network_resets_the_clock(engine: Engine) -> None:
    load(engine, [event(X, JO_X, K.MENTION, D.INBOUND, 40, key="old")], path="first export")
    load(engine, [event(IG, JO_IG, K.COMMENT, D.INBOUND, 60, key="older")], path="instagram export")
    with transaction(engine) as conn:
        jo, jo_ig = find_person(conn, "x:jo"), find_person(conn, "instagram:jo.park")
        merge.merge(conn, jo, jo_ig)
        keep_in_touch.set_cadence(conn, 30, person_id=jo)
    assert _due_people(engine) == [jo]
    # A later Instagram export brings an inbound comment from 5 days ago: no longer due.
    load(engine, [event(IG, JO_IG, K.COMMENT, D.INBOUND, 5, key="new")], path="instagram export 2")
    assert _due_people(engine) == []


def test_our_own_outbound_reply_resets_the_clock_too(engine: Engine) -> None:
    load(engine, [event(X, JO_X, K.MENTION, D.INBOUND, 50, key="m")])
    with transaction(engine) as conn:
        keep_in_touch.set_cadence(conn, 14, person_id=find_person(conn, "@jo"))
    assert len(_due_people(engine)) == 1
    load(engine, [event(X, JO_X, K.REPLY, D.OUTBOUND, 2, key="r")])
    assert _due_people(engine) == []


def test_a_tag_cadence_applies_to_everybody_with_the_tag_and_the_shortest_wins(engine: Engine) -> None:
    ana, bo = ident(Network.X, "ana", "Ana"), ident(Network.X, "bo", "Bo")
    load(
        engine,
        [event(X, ana, K.MENTION, D.INBOUND, 20, key="a"), event(X, bo, K.MENTION, D.INBOUND, 20, key="b")],
    )
    with transaction(engine) as conn:
        pa, pb = find_person(conn, "@ana"), find_person(conn, "@bo")
        profile.add_tag(conn, pa, "partners")
        profile.add_tag(conn, pb, "partners")
        keep_in_touch.set_cadence(conn, 30, tag="partners")
        keep_in_touch.set_cadence(conn, 10, person_id=pb)
        rows = {d["person"]: d for d in keep_in_touch.due(conn, NOW, include_not_due=True)}
    assert rows[pa]["cadence_days"] == 30 and rows[pa]["due"] is False
    assert rows[pb]["cadence_days"] == 10 and rows[pb]["due"] is True
    assert rows[pb]["overdue_days"] == 10


def test_logging_a_meeting_resets_the_clock_and_shows_in_the_timeline(cli: Any, engine: Engine) -> None:
    load(engine, [event(X, JO_X, K.MENTION, D.INBOUND, 90, key="m")])
    assert cli("people", "cadence", "@jo", "30").code == 0
    due = json.loads(cli("people", "due", "--json").out)
    assert [d["name"] for d in due] == ["Jo Park"]
    when = (NOW + timedelta(days=300)).date().isoformat()  # after the real clock, so it is the newest
    res = cli("people", "log", "@jo", "--met", "--note", "coffee at the meetup", "--when", when)
    assert res.code == 0, res.err
    assert json.loads(cli("people", "due", "--json").out) == []
    shown = json.loads(cli("people", "show", "@jo", "--json").out)
    top = shown["timeline"][0]
    assert (top["kind"], top["network"], top["direction"], top["depth"]) == (
        "meeting",
        "offline",
        "outbound",
        "offline",
    )
    assert top["text"] == "coffee at the meetup"
