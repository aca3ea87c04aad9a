"""The bulk path for huge follower lists gives exactly the history the record path gives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from mutuals.domain import FollowDirection
from mutuals.errors import ImportFormatError
from mutuals.ingest.bulk import import_follow_list
from mutuals.storage.maintenance import wipe
from tests.ingest.test_snapshots import ACC, T0, _edges, _expected, snapshot_sets


def _bulk(engine: Engine, day: int, members: set[int] | list[int]) -> object:
    ids = [f"u{m}" for m in members]
    return import_follow_list(ACC, FollowDirection.FOLLOWER, T0 + timedelta(days=day), ids, engine=engine)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snaps=snapshot_sets, data=st.data())
def test_bulk_lists_in_any_order_give_the_history_of_the_sorted_order(
    engine: Engine, snaps: dict[int, set[int]], data: st.DataObject
) -> None:
    wipe(engine)
    for day in data.draw(st.permutations(sorted(snaps))):
        _bulk(engine, day, snaps[day])
    assert _edges(engine) == _expected(snaps)


def test_bulk_reimport_changes_nothing_and_duplicates_are_counted(engine: Engine) -> None:
    _bulk(engine, 0, [1, 2, 3])
    res = _bulk(engine, 5, [2, 3, 3, 4, 4])
    assert res.duplicates == 2  # type: ignore[attr-defined]
    assert (res.snapshot.gained, res.snapshot.lost) == (1, 1)  # type: ignore[attr-defined]
    before = _edges(engine)
    again = _bulk(engine, 5, [2, 3, 4])
    assert again.snapshot.already_known and again.run_id is None  # type: ignore[attr-defined]
    assert _edges(engine) == before == _expected({0: {1, 2, 3}, 5: {2, 3, 4}})


def test_bulk_refuses_an_empty_list_after_a_full_one(engine: Engine) -> None:
    _bulk(engine, 0, [1])
    with pytest.raises(ImportFormatError, match="--allow-empty-snapshot"):
        _bulk(engine, 1, [])
