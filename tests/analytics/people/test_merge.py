from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from mutuals.analytics.people import merge, profile
from mutuals.domain import Direction, InteractionKind, Network
from mutuals.errors import InvalidInputError, MutualsError
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import X, event, ident, load

K, D = InteractionKind, Direction


def _world(engine: Engine, n: int = 5) -> list[int]:
    """n people, each with one X identity and a few interactions, a tag and a note; returns person ids."""
    recs: list[Any] = []
    for k in range(n):
        who = ident(Network.X, f"user{k}", f"User {k}")
        for j in range(k + 1):
            recs.append(event(X, who, K.MENTION, D.INBOUND, j + 1, key=f"m{k}-{j}"))
    load(engine, recs)
    with transaction(engine) as conn:
        ids = [int(r[0]) for r in conn.execute(select(t.persons.c.id).order_by(t.persons.c.id))]
        for pid in ids:
            profile.add_tag(conn, pid, f"tag{pid}")
            profile.add_note(conn, pid, f"note about {pid}")
    return ids


def _snapshot(engine: Engine) -> dict[str, Any]:
    """What must never be lost: every interaction reachable through some person, every tag and note."""
    i, ic = t.interactions.c, t.identities.c
    with engine.connect() as conn:
        reachable = conn.execute(
            select(func.count())
            .select_from(t.interactions.join(t.identities, ic.id == i.identity_id))
            .where(ic.person_id.is_not(None))
        ).scalar_one()
        return {
            "interactions": conn.execute(select(func.count()).select_from(t.interactions)).scalar_one(),
            "reachable": reachable,
            "identities_with_person": conn.execute(
                select(func.count()).select_from(t.identities).where(ic.person_id.is_not(None))
            ).scalar_one(),
            "tags": sorted(r[0] for r in conn.execute(select(pt.person_tags.c.tag))),
            "notes": sorted(r[0] for r in conn.execute(select(pt.person_notes.c.text))),
            "orphan_tags": conn.execute(
                select(func.count())
                .select_from(pt.person_tags)
                .where(~select(ic.id).where(ic.person_id == pt.person_tags.c.person_id).exists())
            ).scalar_one(),
        }


def _owner(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(t.identities.c.id, t.identities.c.person_id)).all())  # type: ignore[arg-type]


def test_merging_moves_identities_tags_and_notes_and_undo_gives_them_back(engine: Engine) -> None:
    a, b, *_ = _world(engine)
    before_owner, before = _owner(engine), _snapshot(engine)
    with transaction(engine) as conn:
        merge.merge(conn, a, b)
        data = profile.person_profile(conn, a)
    assert {i["handle"] for i in data["identities"]} == {"user0", "user1"}
    assert set(data["tags"]) == {f"tag{a}", f"tag{b}"}
    assert len(data["notes"]) == 2
    assert data["interactions"] == 1 + 2
    assert _snapshot(engine) == before
    with transaction(engine) as conn:
        merge.undo(conn)
    assert _owner(engine) == before_owner
    with transaction(engine) as conn:
        assert profile.person_profile(conn, b)["tags"] == [f"tag{b}"]


def test_splitting_the_last_identity_or_merging_with_itself_is_refused(engine: Engine) -> None:
    a, *_ = _world(engine)
    with transaction(engine) as conn, pytest.raises(InvalidInputError, match="itself"):
        merge.merge(conn, a, a)
    with transaction(engine) as conn, pytest.raises(InvalidInputError, match="last identity"):
        merge.split(conn, a, "x:user0")
    with transaction(engine) as conn, pytest.raises(InvalidInputError, match="nothing to undo"):
        merge.undo(conn)


@st.composite
def _ops(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    return draw(
        st.lists(
            st.tuples(st.sampled_from(["merge", "split", "undo"]), st.integers(0, 5), st.integers(0, 5)),
            max_size=14,
        )
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_ops())
def test_random_merges_splits_and_undos_never_lose_an_interaction_tag_or_note(
    engine: Engine, ops: list[tuple[str, int, int]]
) -> None:
    with transaction(engine) as conn:
        for table in (pt.identity_distinct, pt.person_merges, *pt.PERSON_OWNED):
            conn.execute(table.delete())
        conn.execute(t.interactions.delete())
        conn.execute(t.identities.update().values(person_id=None))
        conn.execute(t.persons.delete())
        conn.execute(t.identities.delete())
        conn.execute(t.import_runs.delete())
    _world(engine, 6)
    start = _snapshot(engine)
    owners = [_owner(engine)]
    for op, x, y in ops:
        with engine.connect() as conn:
            persons = sorted({int(r[0]) for r in conn.execute(select(t.identities.c.person_id).distinct())})
        try:
            with transaction(engine) as conn:
                if op == "merge":
                    merge.merge(conn, persons[x % len(persons)], persons[y % len(persons)])
                elif op == "split":
                    p = persons[x % len(persons)]
                    idents = sorted(i for i, o in _owner(engine).items() if o == p)
                    merge.split(conn, p, str(idents[y % len(idents)]))
                else:
                    merge.undo(conn)
        except MutualsError:
            pass  # refused (itself, last identity, nothing to undo): must change nothing
        snap = _snapshot(engine)
        assert snap == start
        owners.append(_owner(engine))
    # Undoing everything brings back the very first assignment of identities to people.
    while True:
        try:
            with transaction(engine) as conn:
                merge.undo(conn)
        except InvalidInputError:
            break
    assert _owner(engine) == owners[0]
    assert _snapshot(engine) == start


def _status(cli: Any) -> dict[str, Any]:
    return json.loads(cli("status", "--json").out)  # type: ignore[no-any-return]


def test_bad_people_commands_are_one_line_errors_that_change_nothing(cli: Any, engine: Engine) -> None:
    load(
        engine,
        [
            event(X, ident(Network.X, "dana", "Dana One"), K.MENTION, D.INBOUND, 1, key="a"),
            event(X, ident(Network.INSTAGRAM, "dana", "Dana Two"), K.MENTION, D.INBOUND, 1, key="b"),
        ],
    )
    before = _status(cli)
    for args, words in [
        (("people", "show", "@nobody"), "no person"),
        (("people", "show", "@dana"), "matches 2 people"),
        (("people", "merge", "1", "1"), "itself"),
        (("people", "split", "1", "x:dana"), "last identity"),
        (("people", "undo"), "nothing to undo"),
        (("people", "merge", "1", "@dana"), "matches 2 people"),
        (("people", "stage", "1", "royalty"), "unknown stage"),
        (("people", "cadence", "1"), "usage"),
        (("people", "log", "1", "--note", "hi"), "exactly one of"),
    ]:
        res = cli(*args)
        assert res.code == 1, args
        assert words in res.err, (args, res.err)
        assert len(res.err.strip().splitlines()) == 1, res.err
        assert "Traceback" not in res.err
    assert _status(cli) == before


def test_merge_split_and_undo_from_the_command_line(cli: Any, engine: Engine) -> None:
    load(
        engine,
        [
            event(X, ident(Network.X, "erin", "Erin Moss"), K.MENTION, D.INBOUND, 1, key="a"),
            event(X, ident(Network.INSTAGRAM, "erin.moss", "Erin Moss"), K.MENTION, D.INBOUND, 2, key="b"),
        ],
    )
    assert cli("people", "merge", "x:erin", "instagram:erin.moss").code == 0
    shown = json.loads(cli("people", "show", "x:erin", "--json").out)
    assert len(shown["identities"]) == 2 and shown["interactions"] == 2
    assert cli("people", "show", "@erin.moss", "--json").code == 0
    res = cli("people", "split", str(shown["id"]), "instagram:erin.moss")
    assert res.code == 0, res.err
    assert len(json.loads(cli("people", "show", "x:erin", "--json").out)["identities"]) == 1
    assert cli("people", "undo").code == 0
    assert len(json.loads(cli("people", "show", "x:erin", "--json").out)["identities"]) == 2


def test_a_handle_finds_a_mastodon_user_on_any_server_and_underscore_is_no_wildcard(engine: Engine) -> None:
    from mutuals.analytics.people.common import find_person

    load(
        engine,
        [
            ident(Network.MASTODON, "noor_a@coffee.social", "Noor"),
            ident(Network.MASTODON, "noorxa@coffee.social", "Not Noor"),
        ],
    )
    with transaction(engine) as conn:
        noor = find_person(conn, "@noor_a")
        assert noor == find_person(conn, "mastodon:noor_a@coffee.social")
        assert noor != find_person(conn, "noorxa")
        with pytest.raises(MutualsError, match="no person"):
            find_person(conn, "x:noor_a")
