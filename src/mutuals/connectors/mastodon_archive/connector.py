"""Mastodon account archive (zip or folder): posts, replies, boosts, mentions, likes, bookmarks.

See README.md for how to get the archive and formats.py for what its files hold.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import ijson  # type: ignore[import-untyped]

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.mastodon_archive import formats as f
from mutuals.domain import (
    Account,
    Direction,
    Identity,
    Interaction,
    InteractionKind,
    Network,
    Note,
    Post,
    PostKind,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError, InvalidInputError


def parse_time(value: object) -> datetime:
    """An ActivityStreams / ISO 8601 time (``2022-11-08T03:07:14Z``) as aware UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError("has no time")
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def load_json(files: SourceFiles, name: str) -> Any:
    label = files.label(name)
    data = files.read_bytes(name)
    if not data.strip():
        raise ImportFormatError(label, "is empty")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(label, f"is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(label, f"is not valid JSON ({exc.msg} at line {exc.lineno})") from None


def stream_items(files: SourceFiles, name: str) -> Iterator[Any]:
    """The ``orderedItems`` of an ActivityStreams collection, parsed as they are read (an outbox of
    years of posts is hundreds of megabytes; memory stays flat)."""
    label = files.label(name)
    if files.size(name) == 0:
        raise ImportFormatError(label, "is empty")
    head = files.head(name, 65536)
    seen = 0
    try:
        with files.open(name) as fh:
            for item in ijson.items(fh, "orderedItems.item", use_float=True):
                seen += 1
                yield item
    except ijson.JSONError as exc:
        raw = exc.args[0] if exc.args else ""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        why = (text.strip().splitlines() or ["unreadable"])[0][:120]  # yajl adds a drawn pointer
        if "premature EOF" in why:
            raise ImportFormatError(label, "is truncated (the JSON ends early)") from None
        raise ImportFormatError(label, f"is not valid JSON ({why})") from None
    except UnicodeDecodeError as exc:
        raise ImportFormatError(label, f"is not UTF-8 text (byte {exc.start})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ImportFormatError(label, f"is truncated or corrupt ({exc})") from None
    if seen == 0 and b'"orderedItems"' not in head:
        raise ImportFormatError(label, "is not an ActivityStreams collection (no orderedItems list)")


@dataclass
class _Context:
    account: Account
    actor_url: str
    followers_url: str
    local_host: str
    actors: dict[str, str] = field(default_factory=dict)
    """actor URL → normalized address, from every mention in the outbox."""

    def is_ours(self, url: str) -> bool:
        return url == self.actor_url or url.startswith(self.actor_url + "/")

    def author_of(self, status_url: str) -> Identity | None:
        """The person who wrote ``status_url``: known from a mention of their actor URL in the archive, else
        guessed from Mastodon's status URL scheme, else ``None``."""
        parts = status_url.split("/")
        for end in range(len(parts) - 1, 2, -1):
            addr = self.actors.get("/".join(parts[:end]))
            if addr is not None:
                return f.address_identity(addr, "/".join(parts[:end]))
        return f.guess_author(status_url)


class MastodonArchiveConnector:
    kind = "mastodon-archive"
    title = "Mastodon account archive"

    def detect(self, files: SourceFiles) -> bool:
        outbox, actor = files.first("outbox.json"), files.first("actor.json")
        return outbox is not None and actor is not None and b"orderedItems" in files.head(outbox, 65536)

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        outbox_name = files.first("outbox.json")
        if outbox_name is None:
            raise ImportFormatError(
                str(files.path), "is not a Mastodon archive: there is no outbox.json in it"
            )
        ctx = self._context(files, options, outbox_name)
        yield ctx.account
        label = files.label(outbox_name)
        # Two passes: the first learns every mentioned person's actor URL, so that the second can say who
        # wrote a status we replied to or boosted, wherever in the outbox that person was mentioned.
        self._learn_actors(ctx, stream_items(files, outbox_name))
        yield from self._outbox(label, stream_items(files, outbox_name), ctx)
        for name, kind in (
            ("likes.json", InteractionKind.LIKE),
            ("bookmarks.json", InteractionKind.BOOKMARK),
        ):
            found = files.first(name)
            if found is not None:
                yield from self._marks(files.label(found), stream_items(files, found), kind, ctx)

    # -- our account ---------------------------------------------------------------------------------
    def _context(self, files: SourceFiles, options: ImportOptions, outbox: str) -> _Context:
        actor_name = files.first("actor.json")
        actor: dict[str, Any] = {}
        if actor_name is not None:
            doc = load_json(files, actor_name)
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                raise ImportFormatError(files.label(actor_name), "is not an ActivityStreams actor (no id)")
            actor = doc
        actor_url = str(actor.get("id") or "")
        if not actor_url:  # without actor.json, every activity still names its actor: us
            first = next(iter(stream_items(files, outbox)), None)
            if isinstance(first, dict) and isinstance(first.get("actor"), str):
                actor_url = first["actor"]
        host = f.actor_host(actor_url)
        found = f"{actor.get('preferredUsername')}@{host}" if actor.get("preferredUsername") else None
        raw = options.account or found
        handle = f.normalize_address(raw, host) if raw else None
        if handle is None:
            raise InvalidInputError(
                "this Mastodon archive does not say whose it is: name our account with "
                "--account user@host" + (f" ({raw!r} is not an address)" if raw else "")
            )
        name = actor.get("name")
        account = Account(
            network=Network.MASTODON,
            handle=handle,
            platform_id=actor_url or None,
            display_name=name if isinstance(name, str) and name else None,
        )
        followers = actor.get("followers")
        return _Context(
            account=account,
            actor_url=actor_url or "\x00",
            # Mastodon's own followers collection URL, where actor.json is missing or lacks it.
            followers_url=followers if isinstance(followers, str) and followers else f"{actor_url}/followers",
            local_host=host or handle.split("@", 1)[1],
        )

    def _learn_actors(self, ctx: _Context, items: Iterator[Any]) -> None:
        for item in items:
            obj = item.get("object") if isinstance(item, dict) else None
            tags = obj.get("tag") if isinstance(obj, dict) else None
            for tag in tags if isinstance(tags, list) else []:
                if isinstance(tag, dict) and tag.get("type") == "Mention":
                    href, name = tag.get("href"), tag.get("name")
                    if isinstance(href, str) and isinstance(name, str) and not ctx.is_ours(href):
                        addr = f.normalize_address(name, ctx.local_host)
                        if addr is not None:
                            ctx.actors.setdefault(href, addr)

    # -- outbox.json ---------------------------------------------------------------------------------
    def _outbox(self, label: str, items: Iterator[Any], ctx: _Context) -> Iterator[Record]:
        other_types: dict[str, int] = {}
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"orderedItems[{i}]" + (f" {ident}" if isinstance(ident, str) else "")
            try:
                kind = item.get("type") if isinstance(item, dict) else None
                if kind == "Create":
                    records = list(self._create(item, ctx))
                elif kind == "Announce":
                    records = list(self._announce(item, ctx))
                else:
                    other_types[str(kind)] = other_types.get(str(kind), 0) + 1
                    continue
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                yield Problem(label, where, _reason(exc))
                continue
            yield from records
        for kind, n in sorted(other_types.items()):
            yield Note(
                f"{label}: skipped {n} activities of type {kind} (only Create and Announce are imported)"
            )

    def _create(self, item: dict[str, Any], ctx: _Context) -> Iterator[Record]:
        obj = item["object"]
        if not isinstance(obj, dict):
            raise ValueError("the Create activity has no object")
        note_id = obj["id"]
        if not isinstance(note_id, str) or not note_id:
            raise ValueError("the object has no id")
        published = parse_time(obj.get("published") or item.get("published"))
        text, has_link = f.html_to_text(str(obj.get("content") or ""))
        to, cc = _list(obj.get("to") or item.get("to")), _list(obj.get("cc") or item.get("cc"))
        public = f.PUBLIC in to or f.PUBLIC in cc
        direct = not public and ctx.followers_url not in to
        reply_to = obj.get("inReplyTo") if isinstance(obj.get("inReplyTo"), str) else None
        thread = obj.get("conversation") if isinstance(obj.get("conversation"), str) else None
        mentioned = self._mentions(obj, ctx)
        target = ctx.author_of(reply_to) if reply_to and not ctx.is_ours(reply_to) else None

        def event(kind: InteractionKind, who: Identity | None, pid: str) -> Interaction:
            return Interaction(
                account=ctx.account,
                kind=kind,
                direction=Direction.OUTBOUND,
                occurred_at=published,
                identity=who,
                platform_id=pid,
                text=text,
                is_public=public,
                in_reply_to=reply_to,
                thread_ref=thread,
            )

        if direct:
            # A "direct" status is a private message to the people it mentions, not a post.
            people = list(mentioned.values())
            if target is not None and target.platform_id not in mentioned:
                people.insert(0, target)
            for who in people:
                yield event(InteractionKind.DM, who, f"{note_id}#{who.platform_id}")
            return
        quoted = f.quote_of(obj)
        kind = PostKind.REPLY if reply_to else PostKind.QUOTE if quoted else PostKind.ORIGINAL
        url = obj.get("url")
        yield Post(
            account=ctx.account,
            platform_id=note_id,
            kind=kind,
            published_at=published,
            text=text,
            url=url if isinstance(url, str) else None,
            media_types=f.media_types(obj, text, has_link),
            in_reply_to=reply_to or quoted,
        )
        if reply_to and not ctx.is_ours(reply_to):
            yield event(InteractionKind.REPLY, target, note_id)
        if quoted and not ctx.is_ours(quoted):
            yield event(InteractionKind.QUOTE, ctx.author_of(quoted), note_id)
        for pid, who in mentioned.items():
            if target is None or pid != target.platform_id:
                yield event(InteractionKind.MENTION, who, f"{note_id}#{pid}")

    def _mentions(self, obj: dict[str, Any], ctx: _Context) -> dict[str, Identity]:
        """The people a status mentions (ourselves left out), by platform id."""
        found: dict[str, Identity] = {}
        for tag in _list(obj.get("tag")):
            if not isinstance(tag, dict) or tag.get("type") != "Mention":
                continue
            href, name = tag.get("href"), tag.get("name")
            if isinstance(href, str) and ctx.is_ours(href):
                continue
            addr = f.normalize_address(name, ctx.local_host) if isinstance(name, str) else None
            if addr is None and isinstance(href, str):
                addr = ctx.actors.get(href)
            if addr is None or addr == ctx.account.handle:
                continue
            ident = f.address_identity(addr, href if isinstance(href, str) else None)
            found.setdefault(ident.platform_id, ident)
        return found

    def _announce(self, item: dict[str, Any], ctx: _Context) -> Iterator[Record]:
        obj = item.get("object")
        target = obj.get("id") if isinstance(obj, dict) else obj
        if not isinstance(target, str) or not target:
            raise ValueError("the Announce activity names no status")
        pid = item["id"]
        if not isinstance(pid, str) or not pid:
            raise ValueError("the activity has no id")
        published = parse_time(item.get("published"))
        yield Post(
            account=ctx.account,
            platform_id=pid,
            kind=PostKind.REPOST,
            published_at=published,
            in_reply_to=target,
        )
        if not ctx.is_ours(target):
            yield Interaction(
                account=ctx.account,
                kind=InteractionKind.REPOST,
                direction=Direction.OUTBOUND,
                occurred_at=published,
                identity=ctx.author_of(target),
                platform_id=pid,
                is_public=f.PUBLIC in _list(item.get("to")) or f.PUBLIC in _list(item.get("cc")),
                target_ref=target,
            )

    # -- likes.json, bookmarks.json ------------------------------------------------------------------
    def _marks(
        self, label: str, items: Iterator[Any], kind: InteractionKind, ctx: _Context
    ) -> Iterator[Record]:
        for i, url in enumerate(items):
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                yield Problem(label, f"orderedItems[{i}]", "is not a status URL")
                continue
            ours = ctx.is_ours(url)
            yield Interaction(
                account=ctx.account,
                kind=kind,
                direction=Direction.OUTBOUND,
                occurred_at=None,  # the archive gives no time for likes and bookmarks
                identity=None if ours else ctx.author_of(url),
                platform_id=url,
                is_public=kind is InteractionKind.LIKE,
                post_ref=url if ours else None,
                target_ref=None if ours else url,
            )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"has no {exc.args[0]!r}"
    return str(exc) or type(exc).__name__


CONNECTOR = MastodonArchiveConnector()
