"""The records connectors yield and ingest writes.

Records are plain frozen dataclasses: they carry the platform's own ids so that ingest can upsert them
idempotently, and refer to each other by those ids (never by database ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mutuals.domain.enums import (
    Direction,
    FollowDirection,
    InteractionKind,
    MediaType,
    Network,
    PostKind,
)


@dataclass(frozen=True, slots=True)
class Account:
    """One of *our* presences on a network."""

    network: Network
    handle: str
    platform_id: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """Somebody on a network. ``platform_id`` is the platform's stable id; where an export only knows a
    handle, connectors use ``"@" + handle.lower()`` (documented per connector)."""

    network: Network
    platform_id: str
    handle: str | None = None
    display_name: str | None = None
    profile: dict[str, Any] | None = None
    seen_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """Something one of our accounts published."""

    account: Account
    platform_id: str
    kind: PostKind
    published_at: datetime
    text: str = ""
    url: str | None = None
    media_types: tuple[MediaType, ...] = ()
    in_reply_to: str | None = None
    """Platform id of the post this one replies to / quotes / reposts."""
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Interaction:
    """One event between an identity and one of our accounts.

    ``platform_id`` must be unique per (account, kind); where the platform has no id for the event,
    leave it ``None`` and ingest derives a content hash from the other fields.
    """

    account: Account
    kind: InteractionKind
    direction: Direction
    occurred_at: datetime | None
    identity: Identity | None = None
    platform_id: str | None = None
    text: str | None = None
    is_public: bool = True
    post_ref: str | None = None
    """Platform id of *our* post this interaction concerns (the post liked, replied to, commented on)."""
    in_reply_to: str | None = None
    """Platform id of the message this one answers (tweet, status, comment), for threading."""
    thread_ref: str | None = None
    """Platform's own conversation / DM-thread id, where it has one."""
    target_ref: str | None = None
    """Platform id of what was liked / reposted when it is not ours (likes of others' posts)."""
    extra: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class FollowSnapshot:
    """Announces that the export holds the *complete* list of ``direction`` for ``account`` as of
    ``taken_at`` (``None``: use ``--as-of`` or the newest date seen in the import). The members follow as
    :class:`FollowEntry` records with the same account and direction."""

    account: Account
    direction: FollowDirection
    taken_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FollowEntry:
    account: Account
    direction: FollowDirection
    identity: Identity
    followed_at: datetime | None = None
    """The follow time the export itself gives for this member (Instagram does), if any."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that was skipped, and why. Counted and listed in the import report."""

    file: str
    record: str
    message: str


@dataclass(frozen=True, slots=True)
class Note:
    """Free text a connector wants to say in the report (for example which date a snapshot was given)."""

    message: str
    extra: dict[str, Any] = field(default_factory=dict)


Record = Account | Identity | Post | Interaction | FollowSnapshot | FollowEntry | Problem | Note
