"""Small invented workspaces for the people tests, written through the real ingest path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mutuals.connectors.base import ImportOptions
from mutuals.domain import Account, Direction, Identity, Interaction, InteractionKind, Network, Record
from mutuals.ingest.runner import ImportReport, run_records
from mutuals.storage import tables as t

CASES = Path(__file__).resolve().parents[2] / "cases" / "people"
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
X = Account(Network.X, "ourbrand")
IG = Account(Network.INSTAGRAM, "ourbrand.ig")


def load(engine: Engine, records: Iterable[Record], path: str = "(test)") -> ImportReport:
    return run_records(list(records), source="test", path=path, options=ImportOptions(), engine=engine)


def ident(network: Network, handle: str, name: str | None = None, **profile: Any) -> Identity:
    return Identity(network, f"@{handle.lower()}", handle=handle, display_name=name, profile=profile or None)


def event(
    acc: Account,
    who: Identity,
    kind: InteractionKind,
    direction: Direction,
    days_ago: float,
    *,
    key: str,
    public: bool = True,
    text: str | None = None,
) -> Interaction:
    return Interaction(
        acc,
        kind,
        direction,
        NOW - timedelta(days=days_ago),
        identity=who,
        platform_id=key,
        is_public=public,
        text=text,
    )


def fixture_identities() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / "identities.json").read_text(encoding="utf-8"))
    return data


def load_fixture_identities(engine: Engine) -> dict[str, int]:
    """Import the labelled identities; returns key -> identity id."""
    data = fixture_identities()
    recs = [
        Identity(
            Network(i["network"]),
            i["platform_id"],
            handle=i.get("handle"),
            display_name=i.get("display_name"),
            profile=i.get("profile"),
        )
        for i in data["identities"]
    ]
    load(engine, recs)
    ic = t.identities.c
    with engine.connect() as conn:
        ids = {(n, p): i for i, n, p in conn.execute(select(ic.id, ic.network, ic.platform_id))}
    return {i["key"]: ids[(i["network"], i["platform_id"])] for i in data["identities"]}


def person_of(engine: Engine, identity_id: int) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(t.identities.c.person_id).where(t.identities.c.id == identity_id)
            ).scalar_one()
        )
