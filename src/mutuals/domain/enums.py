"""Closed vocabularies of the domain. Stored in the database as their string values."""

from __future__ import annotations

from enum import StrEnum


class Network(StrEnum):
    X = "x"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    EMAIL = "email"
    OFFLINE = "offline"
    OTHER = "other"


class PostKind(StrEnum):
    ORIGINAL = "original"
    REPLY = "reply"
    REPOST = "repost"
    QUOTE = "quote"


class MediaType(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    GIF = "gif"
    LINK = "link"
    AUDIO = "audio"


class InteractionKind(StrEnum):
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    MENTION = "mention"
    REPLY = "reply"
    COMMENT = "comment"
    LIKE = "like"
    REPOST = "repost"
    QUOTE = "quote"
    DM = "dm"
    EMAIL = "email"
    MEETING = "meeting"
    CALL = "call"
    NOTE = "note"
    BOOKMARK = "bookmark"
    BLOCK = "block"
    CONNECTION = "connection"
    INVITATION = "invitation"


class Direction(StrEnum):
    INBOUND = "inbound"
    """From the identity to one of our accounts."""
    OUTBOUND = "outbound"
    """From one of our accounts to the identity."""


class FollowDirection(StrEnum):
    FOLLOWER = "follower"
    """The identity follows our account."""
    FOLLOWING = "following"
    """Our account follows the identity."""
    FRIEND = "friend"
    """A mutual, symmetric connection (Facebook friends, LinkedIn connections)."""
