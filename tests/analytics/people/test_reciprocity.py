from __future__ import annotations

from sqlalchemy import Engine

from mutuals.analytics.people import reciprocity
from mutuals.analytics.people.common import find_person
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import NOW, X, event, ident, load

K, D = InteractionKind, Direction


def test_the_ledger_counts_what_they_gave_and_what_we_gave_back(engine: Engine) -> None:
    fan = ident(Network.X, "fan", "Fan")
    load(
        engine,
        [
            event(X, fan, K.LIKE, D.INBOUND, 3, key="l1"),
            event(X, fan, K.LIKE, D.INBOUND, 2, key="l2"),
            event(X, fan, K.REPOST, D.INBOUND, 2, key="r1"),
            event(X, fan, K.COMMENT, D.INBOUND, 1, key="c1"),
            event(X, fan, K.REPLY, D.OUTBOUND, 1, key="o1"),
            event(X, fan, K.DM, D.INBOUND, 1, key="dm", public=False),  # a DM is not public support
        ],
    )
    with transaction(engine) as conn:
        got = reciprocity.person_ledger(conn, find_person(conn, "@fan"))
    given = 2 * reciprocity.WEIGHTS["like"] + reciprocity.WEIGHTS["repost"] + reciprocity.WEIGHTS["comment"]
    back = reciprocity.WEIGHTS["reply"]
    assert got == {
        "they_gave": {"like": 2, "repost": 1, "comment": 1},
        "we_gave": {"reply": 1},
        "given": given,
        "given_back": back,
        "owed": given - back,
    }


def test_engage_back_ranks_by_what_is_owed_and_leaves_out_people_we_owe_nothing(engine: Engine) -> None:
    big, small, even = (ident(Network.X, h, h) for h in ("big", "small", "even"))
    load(
        engine,
        [
            *[event(X, big, K.REPOST, D.INBOUND, n + 1, key=f"b{n}") for n in range(3)],
            event(X, small, K.LIKE, D.INBOUND, 1, key="s1"),
            event(X, even, K.MENTION, D.INBOUND, 1, key="e1"),
            event(X, even, K.REPLY, D.OUTBOUND, 1, key="e2"),
        ],
    )
    with transaction(engine) as conn:
        queue = reciprocity.engage_back(conn, NOW)
    assert [(q["name"], q["owed"]) for q in queue] == [("big", 9), ("small", 1)]
    assert all(q["rank"] >= q["owed"] for q in queue)
