"""Pure records and enums of the domain. No SQL and no web here; see docs/model.md."""

from __future__ import annotations

from mutuals.domain.enums import (
    Direction,
    FollowDirection,
    InteractionKind,
    MediaType,
    Network,
    PostKind,
)
from mutuals.domain.records import (
    Account,
    FollowEntry,
    FollowSnapshot,
    Identity,
    Interaction,
    Note,
    Post,
    Problem,
    Record,
)

__all__ = [
    "Account",
    "Direction",
    "FollowDirection",
    "FollowEntry",
    "FollowSnapshot",
    "Identity",
    "Interaction",
    "InteractionKind",
    "MediaType",
    "Network",
    "Note",
    "Post",
    "PostKind",
    "Problem",
    "Record",
]
