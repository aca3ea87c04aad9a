"""Instagram "Download your information" (JSON): followers, following, recently unfollowed, follow
requests, close friends, removed suggestions, blocks, comments and messages. See README.md and
docs/connectors/instagram.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.instagram import formats as f
from mutuals.connectors.meta_json import (
    from_unix,
    list_under,
    load_json,
    normalize_name,
    owner_from_threads,
    validation_message,
)
from mutuals.domain import (
    Account,
    Direction,
    FollowDirection,
    FollowEntry,
    FollowSnapshot,
    Identity,
    Interaction,
    InteractionKind,
    Network,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError

NET = Network.INSTAGRAM
_USERNAME = re.compile(r"^[A-Za-z0-9._]{1,64}$")
# The name Instagram gives the download: instagram-<username>-<YYYY-MM-DD>-<code>[.zip]
_EXPORT_NAME = re.compile(r"^instagram-([A-Za-z0-9._]+)-\d{4}-\d{2}-\d{2}-[A-Za-z0-9]+(?:\.zip)?$")

# (list, interaction kind, direction, text) for the lists that are events rather than snapshots
EVENTS: tuple[tuple[f.ListFile, InteractionKind, Direction, str | None], ...] = (
    (f.UNFOLLOWED, InteractionKind.UNFOLLOW, Direction.OUTBOUND, None),
    (f.PENDING, InteractionKind.INVITATION, Direction.OUTBOUND, "follow request"),
    (f.RECENT_REQUESTS, InteractionKind.INVITATION, Direction.OUTBOUND, "follow request"),
    (f.RECEIVED_REQUESTS, InteractionKind.INVITATION, Direction.INBOUND, "follow request"),
    (f.CLOSE_FRIENDS, InteractionKind.NOTE, Direction.OUTBOUND, "added to close friends"),
    (f.REMOVED_SUGGESTIONS, InteractionKind.NOTE, Direction.OUTBOUND, "removed from suggestions"),
    (f.BLOCKED, InteractionKind.BLOCK, Direction.OUTBOUND, None),
)


def user(username: str) -> Identity:
    """Instagram lists give usernames: the id is ``"@"`` + the lower-cased username."""
    return Identity(
        NET,
        "@" + username.lower(),
        handle=username,
        profile={"url": f"https://www.instagram.com/{username}"},
    )


def by_name(name: str) -> Identity:
    """Messages name people by display name only, which is not a username: ids ``"name:"`` + the
    normalised name keep the two apart (identity resolution can merge them)."""
    return Identity(NET, "name:" + normalize_name(name), display_name=name.strip())


def username_of(item: f.RelationshipItem) -> str | None:
    entry = item.string_list_data[0]
    candidates = [entry.value, item.title]
    if entry.href:
        candidates.append(entry.href.rstrip("/").rsplit("/", 1)[-1])
    for c in candidates:
        if c and _USERNAME.match(c.strip()):
            return c.strip()
    return None


class InstagramConnector:
    kind = "instagram"
    title = "Instagram: Download your information (JSON)"

    def detect(self, files: SourceFiles) -> bool:
        for spec in (f.FOLLOWERS, f.FOLLOWING, f.UNFOLLOWED, f.PENDING, f.RECENT_REQUESTS):
            for name in files.find(*spec.names)[:2]:
                head = files.head(name, 1024)
                if any(k.encode() in head for k in spec.keys) or (
                    spec is f.FOLLOWERS and b"instagram.com/" in head
                ):
                    return True
        return any("your_instagram_activity/" in n for n in files.names()[:5000])

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        found = {spec: files.find(*spec.names) for spec in (f.FOLLOWERS, f.FOLLOWING, *_event_lists())}
        comments = files.find(*f.COMMENTS)
        threads = files.find(*f.MESSAGES)
        if not any(found.values()) and not comments and not threads:
            raise ImportFormatError(
                str(files.path),
                "holds none of the files of an Instagram export (followers_1.json, following.json, "
                "recently_unfollowed_profiles.json, post_comments_1.json, messages/inbox/*/message_1.json)",
            )
        profile = _profile(files)
        owner = profile.get("Username") or _username_from_path(files)
        if owner is None and not options.account:
            # A broken file is the more useful message: say it before asking whose export this is.
            for spec, names in found.items():
                for name in names:
                    list_under(files, name, load_json(files, name), spec.keys)
        account = options.account_for(NET, owner)
        yield account
        yield from _snapshot(files, account, found[f.FOLLOWERS], f.FOLLOWERS, FollowDirection.FOLLOWER)
        yield from _snapshot(files, account, found[f.FOLLOWING], f.FOLLOWING, FollowDirection.FOLLOWING)
        for spec, kind, direction, text in EVENTS:
            for name in found[spec]:
                for item in _items(files, name, spec):
                    if isinstance(item, Problem):
                        yield item
                        continue
                    username, when = item
                    yield Interaction(
                        account,
                        kind,
                        direction,
                        when,
                        identity=user(username),
                        text=text,
                        is_public=False,
                        extra={"instagram": spec.what},
                    )
        for name in comments:
            yield from _comments(files, name, account)
        if threads:
            me = profile.get("Name") or _owner(files, threads)
            for name in threads:
                yield from _thread(files, name, account, me)


def _event_lists() -> tuple[f.ListFile, ...]:
    return tuple(spec for spec, *_ in EVENTS)


def _snapshot(
    files: SourceFiles, account: Account, names: list[str], spec: f.ListFile, direction: FollowDirection
) -> Iterator[Record]:
    if not names:
        return
    yield FollowSnapshot(account, direction)
    for name in names:
        for item in _items(files, name, spec):
            if isinstance(item, Problem):
                yield item
            else:
                username, when = item
                yield FollowEntry(account, direction, user(username), followed_at=when)


def _items(files: SourceFiles, name: str, spec: f.ListFile) -> Iterator[tuple[str, Any] | Problem]:
    """(username, time) of every item of a relationship list; a Problem for an item that has none."""
    for i, raw in enumerate(list_under(files, name, load_json(files, name), spec.keys)):
        try:
            item = f.RelationshipItem.model_validate(raw)
        except ValidationError as exc:
            yield Problem(files.label(name), f"item {i + 1}", validation_message(exc))
            continue
        username = username_of(item)
        if username is None:
            yield Problem(files.label(name), f"item {i + 1}", "has no username")
            continue
        yield username, from_unix(item.string_list_data[0].timestamp)


def _profile(files: SourceFiles) -> dict[str, str]:
    """Username and Name from personal_information.json, where the export has it."""
    for name in files.find(*f.PROFILE):
        data = load_json(files, name)
        users = data.get("profile_user") if isinstance(data, dict) else None
        if isinstance(users, list) and users and isinstance(users[0], dict):
            smd = users[0].get("string_map_data") or {}
            return {
                k: str(v["value"])
                for k, v in smd.items()
                if isinstance(v, dict) and isinstance(v.get("value"), str) and v["value"].strip()
            }
    return {}


def _username_from_path(files: SourceFiles) -> str | None:
    for candidate in (files.path.name, *{n.split("/", 1)[0] for n in files.names()[:50]}):
        m = _EXPORT_NAME.match(candidate)
        if m:
            return m.group(1)
    return None


def _comments(files: SourceFiles, name: str, account: Account) -> Iterator[Record]:
    data = load_json(files, name)
    for i, raw in enumerate(list_under(files, name, data, f.COMMENT_KEYS)):
        try:
            item = f.CommentItem.model_validate(raw)
        except ValidationError:
            # The older shape: {"title": owner, "string_list_data": [{"value": text, "timestamp"}]}
            try:
                old = f.RelationshipItem.model_validate(raw)
            except ValidationError as exc:
                yield Problem(files.label(name), f"comment {i + 1}", validation_message(exc))
                continue
            entry = old.string_list_data[0]
            owner, text, when = old.title, entry.value, from_unix(entry.timestamp)
        else:
            smd = item.string_map_data
            owner = (smd.get("Media Owner") or f.MapValue()).value or ""
            text = (smd.get("Comment") or f.MapValue()).value
            when = from_unix((smd.get("Time") or f.MapValue()).timestamp)
        if when is None or not text:
            yield Problem(files.label(name), f"comment {i + 1}", "has no time or no text")
            continue
        yield Interaction(
            account,
            InteractionKind.COMMENT,
            Direction.OUTBOUND,
            when,
            identity=user(owner) if owner and _USERNAME.match(owner) else None,
            text=text,
            is_public=True,
        )


def _load_thread(files: SourceFiles, name: str) -> f.Thread:
    try:
        return f.Thread.model_validate(load_json(files, name))
    except ValidationError as exc:
        raise ImportFormatError(
            files.label(name), f"is not a message thread ({validation_message(exc)})"
        ) from None


def _owner(files: SourceFiles, threads: list[str]) -> str | None:
    seen = []
    for name in threads:
        t = _load_thread(files, name)
        senders = [m.get("sender_name", "") for m in t.messages if isinstance(m, dict)]
        seen.append(([p.name for p in t.participants], [s for s in senders if isinstance(s, str)]))
    return owner_from_threads(seen)


def _thread(files: SourceFiles, name: str, account: Account, me_name: str | None) -> Iterator[Record]:
    thread = _load_thread(files, name)
    thread_id = thread.thread_path or PurePosixPath(name).parent.as_posix()
    me = normalize_name(me_name or "")
    others = [p.name for p in thread.participants if p.name.strip() and normalize_name(p.name) != me]
    peer = by_name(others[0]) if len(others) == 1 else None
    for i, raw in enumerate(thread.messages):
        try:
            msg = f.Message.model_validate(raw)
        except ValidationError as exc:
            yield Problem(files.label(name), f"message {i + 1}", validation_message(exc))
            continue
        ours = bool(me) and normalize_name(msg.sender_name) == me
        sender = None if not msg.sender_name.strip() else by_name(msg.sender_name)
        yield Interaction(
            account,
            InteractionKind.DM,
            Direction.OUTBOUND if ours else Direction.INBOUND,
            from_unix(msg.timestamp_ms),
            identity=peer if ours else sender,
            text=msg.content,
            is_public=False,
            thread_ref=thread_id,
        )


CONNECTOR = InstagramConnector()
