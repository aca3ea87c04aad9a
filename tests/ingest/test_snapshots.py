"""Follower snapshots become temporal follow edges, whatever order they arrive in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select

from mutuals.connectors.base import ImportOptions
from mutuals.domain import Account, FollowDirection, FollowEntry, FollowSnapshot, Identity, Network, Record
from mutuals.ingest.runner import run_records
from mutuals.storage import tables as t
from mutuals.storage.maintenance import wipe

ACC = Account(Network.MASTODON, "us@example.social")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _snapshot(day: int, members: set[int]) -> list[Record]:
    recs: list[Record] = [FollowSnapshot(ACC, FollowDirection.FOLLOWER, T0 + timedelta(days=day))]
    recs += [
        FollowEntry(ACC, FollowDirection.FOLLOWER, Identity(Network.MASTODON, f"u{m}", handle=f"u{m}"))
        for m in sorted(members)
    ]
    return recs


def _import(engine: Engine, day: int, members: set[int]) -> Any:
    return run_records(
        _snapshot(day, members), source="test", path=f"day{day}", options=ImportOptions(), engine=engine
    )


def _edges(engine: Engine) -> list[tuple[Any, ...]]:
    e, i = t.follow_edges.c, t.identities.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.platform_id, e.valid_from_after, e.valid_from, e.valid_to_after, e.valid_to)
            .join(t.identities, i.id == e.identity_id)
            .order_by(i.platform_id, e.valid_from)
        ).all()
    return sorted((tuple(r) for r in rows), key=_order)


def _order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    low = datetime.min.replace(tzinfo=UTC)
    return tuple(low if v is None else v for v in row)


def _expected(snaps: dict[int, set[int]]) -> list[tuple[Any, ...]]:
    """Runs of presence computed the obvious way, in Python, from the sorted snapshots."""
    days = sorted(snaps)
    out = []
    everyone = set().union(*snaps.values()) if snaps else set()
    for m in everyone:
        run_start: int | None = None
        prev: int | None = None
        for d in days:
            present = m in snaps[d]
            if present and run_start is None:
                run_start = d
                start_after = prev
            if not present and run_start is not None:
                out.append((f"u{m}", start_after, run_start, prev, d))
                run_start = None
            prev = d
        if run_start is not None:
            out.append((f"u{m}", start_after, run_start, None, None))

    def ts(d: int | None) -> datetime | None:
        return None if d is None else T0 + timedelta(days=d)

    return sorted(((m, ts(a), ts(b), ts(c), ts(d)) for m, a, b, c, d in out), key=_order)


def test_a_second_snapshot_closes_the_gone_and_opens_the_new(engine: Engine) -> None:
    _import(engine, 0, {1, 2, 3})
    rep = _import(engine, 10, {2, 3, 4})
    assert rep.snapshots[0]["gained"] == 1 and rep.snapshots[0]["lost"] == 1
    assert _edges(engine) == _expected({0: {1, 2, 3}, 10: {2, 3, 4}})


def test_reimporting_a_snapshot_changes_nothing(engine: Engine) -> None:
    _import(engine, 0, {1, 2})
    _import(engine, 5, {2, 3})
    before = _edges(engine)
    rep = _import(engine, 0, {1, 2})
    assert rep.snapshots[0]["already_known"] is True
    assert rep.added == {k: 0 for k in rep.added}
    assert _edges(engine) == before


snapshot_sets = st.dictionaries(
    st.integers(min_value=0, max_value=40),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snaps=snapshot_sets, data=st.data())
def test_snapshots_in_any_order_give_the_history_of_the_sorted_order(
    engine: Engine, snaps: dict[int, set[int]], data: st.DataObject
) -> None:
    wipe(engine)
    order = data.draw(st.permutations(sorted(snaps)))
    for day in order:
        _import(engine, day, snaps[day])
    assert _edges(engine) == _expected(snaps)
    with engine.begin() as conn:
        conn.execute(delete(t.follow_edges))
