"""The files of a Facebook "Download your information" JSON export, and the payload models of their
items. Key names are versioned (``friends_v2``, ``followers_v3``); older exports drop the suffix."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class ListFile:
    """A file that holds one list of people under one of ``keys``."""

    names: tuple[str, ...]
    keys: tuple[str, ...]


FRIENDS = ListFile(("your_friends.json", "friends.json"), ("friends_v2", "friends"))
REMOVED = ListFile(("removed_friends.json",), ("deleted_friends_v2", "deleted_friends"))
RECEIVED = ListFile(("received_friend_requests.json",), ("received_requests_v2", "received_requests"))
SENT = ListFile(("sent_friend_requests.json",), ("sent_requests_v2", "sent_requests"))
FOLLOWERS = ListFile(
    ("people_who_followed_you.json", "followers.json"), ("followers_v3", "followers_v2", "followers")
)
FOLLOWING = ListFile(
    ("who_you've_followed.json", "who_you_follow.json", "following.json"),
    ("following_v3", "following_v2", "following"),
)
LISTS = (FRIENDS, REMOVED, RECEIVED, SENT, FOLLOWERS, FOLLOWING)
PROFILE = ("profile_information.json",)
MESSAGES = ("message_*.json",)


class Person(BaseModel):
    """An item of the friends / followers / following / requests lists."""

    model_config = ConfigDict(extra="ignore")
    name: str
    timestamp: int | None = None


class Participant(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = ""


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sender_name: str = ""
    timestamp_ms: int
    content: str | None = None
    type: str | None = None
    photos: list[object] | None = None
    videos: list[object] | None = None
    share: dict[str, object] | None = None


class Thread(BaseModel):
    """``messages/inbox/<thread>/message_N.json``: one file of a Messenger thread (newest first)."""

    model_config = ConfigDict(extra="ignore")
    participants: list[Participant]
    messages: list[object]
    title: str = ""
    thread_path: str = ""
