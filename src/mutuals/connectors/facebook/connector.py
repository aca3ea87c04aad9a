"""Facebook "Download your information" (JSON): friends, followers, following, removed friends, friend
requests and Messenger threads. See README.md and docs/connectors/facebook.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.facebook import formats as f
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.meta_json import (
    from_unix,
    list_under,
    load_json,
    name_id,
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

NET = Network.FACEBOOK


def person(name: str, thread: str | None = None) -> Identity:
    """Facebook exports name people only by display name: the id is ``"@"`` + the normalised name. A
    blank name (a deleted or deactivated account) gets an id of its own per thread."""
    if not name.strip():
        return Identity(NET, f"thread:{thread or '?'}:facebook-user", display_name="Facebook user")
    return Identity(NET, name_id(name), display_name=name.strip())


class FacebookConnector:
    kind = "facebook"
    title = "Facebook: Download your information (JSON)"

    def detect(self, files: SourceFiles) -> bool:
        for spec in f.LISTS:
            for name in files.find(*spec.names):
                head = files.head(name, 512)
                if any(b'"' + k.encode() + b'"' in head for k in spec.keys):
                    return True
        for name in files.find(*f.PROFILE):
            if b'"profile_v2"' in files.head(name, 512):
                return True
        for name in files.find(*f.MESSAGES)[:3]:
            head = files.head(name, 2048)
            if b'"participants"' in head and "your_instagram_activity/" not in name:
                return True
        return False

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        lists = {spec: files.find(*spec.names) for spec in f.LISTS}
        threads = files.find(*f.MESSAGES)
        profiles = files.find(*f.PROFILE)
        if not any(lists.values()) and not threads and not profiles:
            raise ImportFormatError(
                str(files.path),
                "holds none of the files of a Facebook export (your_friends.json, "
                "people_who_followed_you.json, who_you've_followed.json, messages/inbox/*/message_1.json)",
            )
        owner = None if options.account else _owner(files, profiles, threads)
        if owner is None and not options.account:
            # A broken file is the more useful message: say it before asking whose export this is.
            for spec, names in lists.items():
                for name in names:
                    list_under(files, name, load_json(files, name), spec.keys)
        account = options.account_for(NET, owner)
        yield account
        yield from self._snapshot(files, account, lists[f.FRIENDS], f.FRIENDS, FollowDirection.FRIEND)
        yield from self._snapshot(files, account, lists[f.FOLLOWERS], f.FOLLOWERS, FollowDirection.FOLLOWER)
        yield from self._snapshot(files, account, lists[f.FOLLOWING], f.FOLLOWING, FollowDirection.FOLLOWING)
        events = (
            (f.REMOVED, InteractionKind.UNFOLLOW, Direction.OUTBOUND, "removed_friend"),
            (f.RECEIVED, InteractionKind.INVITATION, Direction.INBOUND, "friend_request"),
            (f.SENT, InteractionKind.INVITATION, Direction.OUTBOUND, "friend_request"),
        )
        for spec, kind, direction, what in events:
            for name in lists[spec]:
                for _i, item in _people(files, name, spec):
                    if isinstance(item, Problem):
                        yield item
                        continue
                    yield Interaction(
                        account,
                        kind,
                        direction,
                        from_unix(item.timestamp),
                        identity=person(item.name),
                        is_public=False,
                        extra={"facebook": what},
                    )
        for name in threads:
            yield from _thread(files, name, account)

    def _snapshot(
        self,
        files: SourceFiles,
        account: Account,
        names: list[str],
        spec: f.ListFile,
        direction: FollowDirection,
    ) -> Iterator[Record]:
        if not names:
            return
        yield FollowSnapshot(account, direction)
        for name in names:
            for _i, item in _people(files, name, spec):
                if isinstance(item, Problem):
                    yield item
                else:
                    yield FollowEntry(account, direction, person(item.name), from_unix(item.timestamp))


def _people(files: SourceFiles, name: str, spec: f.ListFile) -> Iterator[tuple[int, f.Person | Problem]]:
    items = list_under(files, name, load_json(files, name), spec.keys)
    for i, raw in enumerate(items):
        try:
            item = f.Person.model_validate(raw)
            if not item.name.strip():
                raise ValueError("name: is empty")
        except (ValidationError, ValueError) as exc:
            yield i, Problem(files.label(name), f"item {i + 1}", validation_message(exc))
            continue
        yield i, item


def _owner(files: SourceFiles, profiles: list[str], threads: list[str]) -> str | None:
    """The export owner's name: profile_information.json, else the most common thread participant."""
    for name in profiles:
        data: Any = load_json(files, name)
        full = ((data.get("profile_v2") or data.get("profile") or {}).get("name") or {}).get("full_name")
        if isinstance(full, str) and full.strip():
            return full.strip()
    seen = []
    for name in threads:
        thread = _load_thread(files, name)
        senders = [m.get("sender_name", "") for m in thread.messages if isinstance(m, dict)]
        seen.append(([p.name for p in thread.participants], [s for s in senders if isinstance(s, str)]))
    return owner_from_threads(seen)


def _load_thread(files: SourceFiles, name: str) -> f.Thread:
    try:
        return f.Thread.model_validate(load_json(files, name))
    except ValidationError as exc:
        raise ImportFormatError(
            files.label(name), f"is not a Messenger thread ({validation_message(exc)})"
        ) from None


def _thread(files: SourceFiles, name: str, account: Account) -> Iterator[Record]:
    thread = _load_thread(files, name)
    thread_id = thread.thread_path or PurePosixPath(name).parent.as_posix()
    me = normalize_name(account.handle)
    others = [p.name for p in thread.participants if normalize_name(p.name) != me]
    # A one-to-one thread: what we send goes to the other participant. In a group it goes to all.
    peer = person(others[0], thread_id) if len(others) == 1 else None
    for i, raw in enumerate(thread.messages):
        try:
            msg = f.Message.model_validate(raw)
        except ValidationError as exc:
            yield Problem(files.label(name), f"message {i + 1}", validation_message(exc))
            continue
        ours = bool(msg.sender_name.strip()) and normalize_name(msg.sender_name) == me
        extra: dict[str, Any] = {}
        if thread.title:
            extra["thread_title"] = thread.title
        if msg.photos or msg.videos or msg.share:
            extra["attachments"] = [k for k in ("photos", "videos", "share") if getattr(msg, k)]
        yield Interaction(
            account,
            InteractionKind.DM,
            Direction.OUTBOUND if ours else Direction.INBOUND,
            from_unix(msg.timestamp_ms),
            identity=peer if ours else person(msg.sender_name, thread_id),
            text=msg.content,
            is_public=False,
            thread_ref=thread_id,
            extra=extra or None,
        )


CONNECTOR = FacebookConnector()
