from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from mutuals.analytics.people import quality
from mutuals.domain import Direction, FollowDirection, FollowEntry, FollowSnapshot, InteractionKind, Network
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import NOW, X, event, ident, load

K, D = InteractionKind, Direction


def test_quality_counts_two_way_conversations_repeat_engagers_and_moves_to_dm(engine: Engine) -> None:
    talker, liker, quiet = (ident(Network.X, h, h) for h in ("talker", "liker", "quiet"))
    load(
        engine,
        [
            FollowSnapshot(X, FollowDirection.FOLLOWER, NOW - timedelta(days=100)),
            FollowEntry(X, FollowDirection.FOLLOWER, talker),
            FollowEntry(X, FollowDirection.FOLLOWER, liker),
            FollowEntry(X, FollowDirection.FOLLOWER, quiet),
            event(X, talker, K.MENTION, D.INBOUND, 200, key="t0"),  # the relationship began long ago
            event(X, talker, K.MENTION, D.INBOUND, 10, key="t1"),
            event(X, talker, K.REPLY, D.OUTBOUND, 10, key="t2"),
            event(X, talker, K.DM, D.INBOUND, 5, key="t3", public=False),
            event(X, liker, K.LIKE, D.INBOUND, 20, key="l1"),
            event(X, liker, K.LIKE, D.INBOUND, 3, key="l2"),
            event(X, quiet, K.LIKE, D.INBOUND, 45, key="q1"),  # before the period
        ],
    )
    with transaction(engine) as conn:
        [got] = quality.quality(conn, NOW, days=30, account="x:ourbrand")
    assert got["followers_at_end"] == 3
    assert got["active_people"] == 2
    assert got["two_way_conversations"] == 1
    assert got["engagers"] == 2
    assert got["repeat_engagers"] == 2  # talker on 2 days, liker on 2 days
    assert got["reciprocation_rate"] == 0.5
    assert got["moved_to_dm"] == 1
    assert got["moved_to_email"] == 0 and got["moved_offline"] == 0
    assert got["median_relationship_age_days"] == (200 + 20) / 2
