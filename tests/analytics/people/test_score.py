from __future__ import annotations

from sqlalchemy import Engine, update

from mutuals.analytics.people import profile, score
from mutuals.analytics.people.common import find_person
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.storage import tables as t
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import NOW, X, event, ident, load

K, D = InteractionKind, Direction


def test_the_score_is_the_sum_of_its_documented_parts(engine: Engine) -> None:
    who = ident(Network.X, "pat", "Pat Doe")
    load(
        engine,
        [
            event(X, who, K.MENTION, D.INBOUND, 2, key="m1"),
            event(X, who, K.MENTION, D.INBOUND, 10, key="m2"),
            event(X, who, K.MENTION, D.INBOUND, 40, key="m3"),
            event(X, who, K.DM, D.INBOUND, 5, key="d1", public=False),
            event(X, who, K.REPLY, D.OUTBOUND, 2, key="r1"),
            event(X, who, K.MENTION, D.INBOUND, 400, key="old"),  # older than a year: not in frequency
            event(X, who, K.FOLLOW, D.INBOUND, 1, key="f"),  # not contact
        ],
    )
    with transaction(engine) as conn:
        i = t.interactions.c
        for key, label in (("m1", "positive"), ("m2", "negative"), ("d1", "positive")):
            conn.execute(update(t.interactions).where(i.key == key).values(sentiment_label=label))
        pid = find_person(conn, "@pat")
        got = score.person_score(conn, pid, NOW)
    # Worked out by hand from docs/people.md:
    recency = 30.0  # newest contact 2 days ago
    frequency = 5 / 20 * 25  # 5 contacts in the last 365 days
    reciprocity = 20 * 1 / 5  # 5 from them, 1 from us
    depth = 10.0  # a DM: private
    sentiment = 10 * (1 - 1 + 1) / 3
    expected = {
        "recency": recency,
        "frequency": frequency,
        "reciprocity": reciprocity,
        "depth": depth,
        "sentiment": sentiment,
    }
    assert got["parts"] == {k: round(v, 1) for k, v in expected.items()}
    assert got["score"] == round(sum(expected.values()), 1)
    assert got["inputs"]["from_them"] == 5 and got["inputs"]["from_us"] == 1


def test_people_without_sentiment_labels_get_zero_for_sentiment(engine: Engine) -> None:
    who = ident(Network.X, "quinn", "Quinn")
    load(engine, [event(X, who, K.MEETING, D.OUTBOUND, 100, key="meet", public=False)])
    with transaction(engine) as conn:
        got = score.person_score(conn, find_person(conn, "@quinn"), NOW)
    assert got["parts"] == {
        "recency": 8.0,
        "frequency": 1.2,
        "reciprocity": 0.0,
        "depth": 15.0,
        "sentiment": 0.0,
    }


def test_the_list_sorts_by_score_last_seen_and_owed(engine: Engine) -> None:
    a, b, c = (ident(Network.X, h, h.title()) for h in ("amy", "bob", "cyd"))
    load(
        engine,
        [
            *[event(X, a, K.MENTION, D.INBOUND, 3, key=f"a{n}") for n in range(6)],
            event(X, a, K.REPLY, D.OUTBOUND, 3, key="ar"),
            event(X, b, K.LIKE, D.INBOUND, 1, key="b1"),
            *[event(X, c, K.REPOST, D.INBOUND, 200, key=f"c{n}") for n in range(4)],
        ],
    )
    with transaction(engine) as conn:
        by_score = [r["name"] for r in profile.list_people(conn, NOW, sort="score")]
        by_seen = [r["name"] for r in profile.list_people(conn, NOW, sort="last_seen")]
        by_owed = profile.list_people(conn, NOW, sort="owed")
    assert by_score[0] == "Amy"
    assert by_seen == ["Bob", "Amy", "Cyd"]
    assert [(r["name"], r["owed"]) for r in by_owed] == [("Cyd", 12), ("Amy", 10), ("Bob", 1)]
