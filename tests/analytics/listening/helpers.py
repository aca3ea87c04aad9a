"""Generated inbound messages, imported through the normal ingest path (which also enriches them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine

from mutuals.connectors.base import ImportOptions
from mutuals.domain import Account, Identity, Interaction, Record
from mutuals.domain.enums import Direction, InteractionKind, Network
from mutuals.ingest.runner import run_records

BRAND = Account(network=Network.X, handle="acme_help")


def message(n: int, person: int, when: datetime, text: str, account: Account = BRAND) -> Interaction:
    who = Identity(network=account.network, platform_id=f"p{person}", handle=f"person{person}")
    return Interaction(
        account=account,
        kind=InteractionKind.MENTION,
        direction=Direction.INBOUND,
        occurred_at=when,
        identity=who,
        platform_id=f"m{n}",
        text=text,
    )


def load(engine: Engine, records: Iterable[Record]) -> None:
    run_records(list(records), source="generated", path="generated", options=ImportOptions(), engine=engine)
