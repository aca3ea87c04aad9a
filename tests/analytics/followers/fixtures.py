"""Invented follower histories, built from records through the normal ingest path."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from mutuals.connectors.base import ImportOptions
from mutuals.domain import (
    Account,
    Direction,
    FollowDirection,
    FollowEntry,
    FollowSnapshot,
    Identity,
    Interaction,
    InteractionKind,
    MediaType,
    Network,
    Post,
    PostKind,
    Record,
)
from mutuals.ingest.runner import ImportReport, run_records

ACC = Account(Network.MASTODON, "brewbird@example.social")
T0 = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def who(m: int | str) -> Identity:
    return Identity(
        Network.MASTODON, f"@u{m}@example.org", handle=f"u{m}@example.org", display_name=f"User {m}"
    )


def snapshot(
    engine: Engine,
    at: float,
    members: Iterable[int | str],
    direction: FollowDirection = FollowDirection.FOLLOWER,
    followed_at: dict[int | str, datetime] | None = None,
    **options: Any,
) -> ImportReport:
    recs: list[Record] = [FollowSnapshot(ACC, direction, day(at))]
    recs += [FollowEntry(ACC, direction, who(m), (followed_at or {}).get(m)) for m in members]
    return run_records(
        recs, source="test", path=f"{direction}-{at}", options=ImportOptions(**options), engine=engine
    )


def records(engine: Engine, recs: list[Record]) -> ImportReport:
    return run_records(recs, source="test", path="records", options=ImportOptions(), engine=engine)


def post(
    n: int, at: float, text: str, kind: PostKind = PostKind.ORIGINAL, media: tuple[MediaType, ...] = ()
) -> Post:
    return Post(ACC, f"p{n}", kind, day(at), text=text, media_types=media)


def said(
    m: int | str,
    at: float,
    text: str,
    direction: Direction = Direction.INBOUND,
    kind: InteractionKind = InteractionKind.REPLY,
    key: str | None = None,
) -> Interaction:
    return Interaction(
        ACC,
        kind,
        direction,
        day(at),
        identity=who(m),
        text=text,
        platform_id=key or f"{m}-{at}-{direction.value}",
    )
