"""Match keys are kept between runs: new identities are keyed, gone ones dropped, a rebuild re-keys all."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from mutuals.analytics.people import resolution
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.storage import people_tables as pt
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import IG, X, event, ident, load

K, D = InteractionKind, Direction


def _keyed(engine: Engine) -> int:
    with transaction(engine) as conn:
        return int(
            conn.execute(select(func.count(func.distinct(pt.identity_keys.c.identity_id)))).scalar_one()
        )


def test_a_later_import_is_keyed_and_suggested_without_a_rebuild(engine: Engine) -> None:
    on_x = ident(Network.X, "annalee_brews", "Anna Lee")
    load(engine, [event(X, on_x, K.LIKE, D.INBOUND, 1, key="a")])
    with transaction(engine) as conn:
        assert resolution.suggestions(conn) == []
    assert _keyed(engine) == 1
    on_ig = ident(Network.INSTAGRAM, "annalee.brews", "Anna Lee")
    load(engine, [event(IG, on_ig, K.COMMENT, D.INBOUND, 1, key="b")], path="(second)")
    with transaction(engine) as conn:
        found = resolution.suggestions(conn)
    assert _keyed(engine) == 2
    assert [(s.identity_a.handle, s.identity_b.handle) for s in found] == [("annalee_brews", "annalee.brews")]
    with transaction(engine) as conn:
        before = conn.execute(select(func.count()).select_from(pt.identity_keys)).scalar_one()
        assert resolution.rebuild_keys(conn) == before
