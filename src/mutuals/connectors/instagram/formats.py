"""The files of an Instagram "Download your information" JSON export, and the payload models of their
items.

Most lists are ``{"relationships_<what>": [item, ...]}`` (``followers_N.json`` is a bare list), each item
``{"title", "string_list_data": [{"href", "value", "timestamp"}]}``. Since late 2025 ``following.json``
moves the username to ``title``, drops ``value`` and writes the href as ``/_u/<user>``; followers in the
same export keep the old shape, so both are read everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


@dataclass(frozen=True)
class ListFile:
    names: tuple[str, ...]
    keys: tuple[str, ...]
    what: str
    """What the list is, kept in ``Interaction.extra["instagram"]``."""


FOLLOWERS = ListFile(("followers_[0-9]*.json",), ("relationships_followers",), "follower")
FOLLOWING = ListFile(("following.json",), ("relationships_following",), "following")
UNFOLLOWED = ListFile(
    ("recently_unfollowed_profiles.json", "recently_unfollowed_accounts.json"),
    ("relationships_unfollowed_users",),
    "unfollowed",
)
PENDING = ListFile(
    ("pending_follow_requests.json",), ("relationships_follow_requests_sent",), "follow_request_pending"
)
RECENT_REQUESTS = ListFile(
    ("recent_follow_requests.json",), ("relationships_permanent_follow_requests",), "follow_request"
)
RECEIVED_REQUESTS = ListFile(
    ("follow_requests_you've_received.json", "follow_requests_received.json"),
    ("relationships_follow_requests_received",),
    "follow_request_received",
)
CLOSE_FRIENDS = ListFile(("close_friends.json",), ("relationships_close_friends",), "close_friend")
REMOVED_SUGGESTIONS = ListFile(
    ("removed_suggestions.json",), ("relationships_dismissed_suggested_users",), "removed_suggestion"
)
BLOCKED = ListFile(
    ("blocked_profiles.json", "blocked_accounts.json"), ("relationships_blocked_users",), "blocked"
)
COMMENTS = ("post_comments_[0-9]*.json", "post_comments.json", "reels_comments.json")
COMMENT_KEYS = ("comments_media_comments", "comments_reels_comments")
MESSAGES = ("message_[0-9]*.json",)
PROFILE = ("personal_information.json",)


class StringListEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")
    href: str | None = None
    value: str | None = None
    timestamp: int | None = None


class RelationshipItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str = ""
    string_list_data: list[StringListEntry] = Field(min_length=1)


class MapValue(BaseModel):
    model_config = ConfigDict(extra="ignore")
    value: str | None = None
    href: str | None = None
    timestamp: int | None = None


class CommentItem(BaseModel):
    """``post_comments_N.json`` item (2023 on): ``string_map_data`` with Comment, Media Owner, Time."""

    model_config = ConfigDict(extra="ignore")
    string_map_data: dict[str, MapValue]


class Participant(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = ""


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sender_name: str = ""
    timestamp_ms: int
    content: str | None = None


class Thread(BaseModel):
    model_config = ConfigDict(extra="ignore")
    participants: list[Participant]
    messages: list[object]
    title: str = ""
    thread_path: str = ""
