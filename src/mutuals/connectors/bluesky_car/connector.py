"""Bluesky repository export (.car): posts, replies, quotes, reposts, likes, follows, blocks.

The CAR is decoded with the atproto SDK (``atproto_core.car.CAR``, DAG-CBOR via libipld); the SDK has
no tree walker, so the Merkle Search Tree of the root commit is walked here (see formats.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atproto_core.car import CAR  # type: ignore[import-untyped]
from atproto_core.cid import CID  # type: ignore[import-untyped]
from atproto_core.exceptions import AtProtocolError  # type: ignore[import-untyped]

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.bluesky_car import formats as f
from mutuals.connectors.files import SourceFiles
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
    Note,
    Post,
    PostKind,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError

_RECORD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, UnicodeDecodeError)


@dataclass
class _Repo:
    did: str
    rev: str | None
    entries: list[tuple[str, str, Any]] = field(default_factory=list)
    """(collection, rkey, record) of every record in the tree whose block is in the file."""
    problems: list[Problem] = field(default_factory=list)
    partial: bool = False


def identity_for(authority: str) -> Identity:
    """Somebody on Bluesky: the DID is the stable id; an AT URI naming a handle instead gets the
    ``"@" + handle`` id used where only a handle is known."""
    if authority.startswith("did:"):
        return Identity(network=Network.BLUESKY, platform_id=authority)
    handle = authority.lower()
    return Identity(network=Network.BLUESKY, platform_id="@" + handle, handle=handle)


def _authority(uri: str) -> str:
    if not uri.startswith("at://"):
        raise ValueError(f"{uri[:80]!r} is not an AT URI")
    authority = uri[5:].split("/", 1)[0]
    if not authority:
        raise ValueError(f"{uri[:80]!r} names no repository")
    return authority


class BlueskyCarConnector:
    kind = "bluesky-car"
    title = "Bluesky repository export (.car)"

    def detect(self, files: SourceFiles) -> bool:
        if files.kind != "file":
            return False
        head = files.head(files.names()[0], 128)
        # CAR v1: a varint header length, then a DAG-CBOR map of two keys, "roots" and "version".
        i = 0
        while i < len(head) and head[i] & 0x80:
            i += 1
        return i + 1 < len(head) and head[i + 1] == 0xA2 and b"roots" in head and b"version" in head

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        name = files.names()[0] if files.kind == "file" else files.first("*.car")
        if name is None:
            raise ImportFormatError(str(files.path), "holds no .car file (a Bluesky repository export)")
        label = files.label(name)
        repo = self._load(label, files.read_bytes(name))
        profile = next((r for c, k, r in repo.entries if c == f.PROFILE and k == "self"), None)
        display = profile.get("displayName") if isinstance(profile, Mapping) else None
        handle = (options.account or "").strip().lstrip("@").lower() or repo.did
        account = Account(
            network=Network.BLUESKY,
            handle=handle,
            platform_id=repo.did,
            display_name=display if isinstance(display, str) and display else None,
        )
        yield account
        yield from repo.problems
        yield from self._records(label, repo, account, options)

    # -- decoding ------------------------------------------------------------------------------------
    def _load(self, label: str, data: bytes) -> _Repo:
        if not data:
            raise ImportFormatError(label, "is empty")
        try:
            car = CAR.from_bytes(data)
        except (ValueError, AtProtocolError) as exc:
            if "end of data" in str(exc):
                raise ImportFormatError(label, f"is truncated: the CAR file ends mid-block ({exc})") from None
            raise ImportFormatError(label, f"is not a readable CAR file ({exc})") from None
        commit = car.blocks.get(car.root)
        if not isinstance(commit, Mapping) or not isinstance(commit.get("did"), str) or "data" not in commit:
            raise ImportFormatError(
                label, "is a CAR file but not a repository export: its root is not a repo commit"
            )
        rev = commit.get("rev")
        repo = _Repo(did=str(commit["did"]), rev=rev if isinstance(rev, str) else None)
        self._walk(label, car.blocks, commit["data"], repo)
        return repo

    def _walk(self, label: str, blocks: Mapping[CID, Any], root: object, repo: _Repo) -> None:
        """Collect the records of the tree rooted at ``root``; missing blocks become problems."""
        todo: list[object] = [root]
        seen: set[str] = set()
        while todo:
            link = todo.pop()
            cid = _cid(link)
            if cid is None or str(cid) in seen:
                continue
            seen.add(str(cid))
            node = blocks.get(cid)
            if not isinstance(node, Mapping) or not isinstance(node.get("e"), list):
                repo.partial = True
                repo.problems.append(
                    Problem(
                        label,
                        f"tree node {cid}",
                        "is missing from the file: the records under it are not in it",
                    )
                )
                continue
            if node.get("l"):
                todo.append(node["l"])
            prev = b""
            for entry in node["e"]:
                try:
                    key = prev[: int(entry["p"])] + bytes(entry["k"])
                    prev = key
                    collection, rkey = key.decode("utf-8").split("/", 1)
                except _RECORD_ERRORS:
                    repo.partial = True
                    repo.problems.append(Problem(label, f"tree node {cid}", "has an unreadable entry"))
                    continue
                if entry.get("t"):
                    todo.append(entry["t"])
                rec_cid = _cid(entry.get("v"))
                record = blocks.get(rec_cid) if rec_cid is not None else None
                if record is None:
                    repo.partial = True
                    repo.problems.append(
                        Problem(
                            label,
                            f"at://{repo.did}/{collection}/{rkey}",
                            "the record's block is missing from the file (a partial export)",
                        )
                    )
                    continue
                repo.entries.append((collection, rkey, record))

    # -- records -------------------------------------------------------------------------------------
    def _records(self, label: str, repo: _Repo, account: Account, options: ImportOptions) -> Iterator[Record]:
        ctx = _Ctx(repo, account)
        skipped: Counter[str] = Counter()
        newest: datetime | None = None
        follows = 0
        for collection, rkey, record in repo.entries:
            uri = f"at://{repo.did}/{collection}/{rkey}"
            if collection not in f.IMPORTED:
                skipped[collection] += 1
                continue
            if collection == f.PROFILE:
                continue
            try:
                if not isinstance(record, Mapping):
                    raise ValueError("is not a record")
                when = f.parse_time(record.get("createdAt"))
                records = list(self._record(collection, uri, record, when, ctx))
            except _RECORD_ERRORS as exc:
                yield Problem(label, uri, _reason(exc))
                continue
            newest = when if newest is None or when > newest else newest
            follows += collection == f.FOLLOW
            yield from records
        for collection, n in sorted(skipped.items()):
            legacy = " (a record type Bluesky has retired)" if collection in f.LEGACY else ""
            yield Note(f"{label}: skipped {n} {collection} records{legacy}")
        if repo.partial:
            yield Note(
                f"{label}: the file is a partial repository, so its {follows} follows are kept as follow "
                "events, not as a complete following list"
            )
            return
        yield from self._snapshot(label, repo, account, options, newest)

    def _snapshot(
        self, label: str, repo: _Repo, account: Account, options: ImportOptions, newest: datetime | None
    ) -> Iterator[Record]:
        """The follows form the complete following list, as of the latest commit (or --as-of)."""
        taken_at = options.as_of
        if taken_at is None:
            rev_time = f.tid_time(repo.rev) if repo.rev else None
            if rev_time is not None:
                taken_at, why = rev_time, "the time of the repository's latest commit"
            else:
                taken_at, why = newest, "the newest record in the repository"
            if taken_at is not None:
                yield Note(
                    f"{label}: the following list of {account.handle} is dated {taken_at.isoformat()}, "
                    f"{why} (use --as-of to set it)"
                )
        yield FollowSnapshot(account, FollowDirection.FOLLOWING, taken_at)

    def _record(
        self, collection: str, uri: str, record: Mapping[str, Any], when: datetime, ctx: _Ctx
    ) -> Iterator[Record]:
        if collection == f.POST:
            yield from self._post(uri, record, when, ctx)
        elif collection in (f.LIKE, f.REPOST):
            subject = record["subject"]
            target = subject.get("uri") if isinstance(subject, Mapping) else None
            if not isinstance(target, str):
                raise ValueError("has no subject URI")
            if collection == f.REPOST:
                yield Post(ctx.account, uri, PostKind.REPOST, when, in_reply_to=target)
                if not ctx.ours(target):
                    yield ctx.event(InteractionKind.REPOST, uri, when, target=target, target_ref=target)
            else:
                ref = None if ctx.ours(target) else target
                yield ctx.event(InteractionKind.LIKE, uri, when, target=target, target_ref=ref)
        elif collection in (f.FOLLOW, f.BLOCK):
            did = record["subject"]
            if isinstance(did, Mapping):  # early 2023 follows: {did, declarationCid}
                did = did.get("did")
            if not isinstance(did, str) or not did.startswith("did:"):
                raise ValueError("has no subject DID")
            who = identity_for(did)
            if collection == f.BLOCK:
                yield ctx.event(InteractionKind.BLOCK, uri, when, who=who)
            elif ctx.repo.partial:
                yield ctx.event(InteractionKind.FOLLOW, uri, when, who=who)
            else:
                yield FollowEntry(ctx.account, FollowDirection.FOLLOWING, who, followed_at=when)

    def _post(self, uri: str, record: Mapping[str, Any], when: datetime, ctx: _Ctx) -> Iterator[Record]:
        text = record.get("text")
        text = text if isinstance(text, str) else ""
        reply = record.get("reply")
        parent = root = None
        if reply is not None:
            parent = reply["parent"]["uri"]
            if not isinstance(parent, str):
                raise ValueError("has a reply without a parent URI")
            root_ref = reply.get("root")
            root = root_ref.get("uri") if isinstance(root_ref, Mapping) else None
        quoted = f.embedded_record(record.get("embed"))
        kind = PostKind.REPLY if parent else PostKind.QUOTE if quoted else PostKind.ORIGINAL
        yield Post(
            account=ctx.account,
            platform_id=uri,
            kind=kind,
            published_at=when,
            text=text,
            url=f"https://bsky.app/profile/{ctx.repo.did}/post/{uri.rsplit('/', 1)[1]}",
            media_types=f.media_types(record),
            in_reply_to=parent or quoted,
        )
        thread = root if isinstance(root, str) else None

        def event(kind: InteractionKind, pid: str, **kw: Any) -> Interaction:
            return ctx.event(kind, pid, when, text=text, in_reply_to=parent, thread_ref=thread, **kw)

        if parent and not ctx.ours(parent):
            yield event(InteractionKind.REPLY, uri, target=parent)
        if quoted and not ctx.ours(quoted):
            yield event(InteractionKind.QUOTE, uri, target=quoted, target_ref=quoted)
        replied_to = _authority(parent) if parent else None
        for did in f.mentioned_dids(record):
            if did not in (ctx.repo.did, replied_to):
                yield event(InteractionKind.MENTION, f"{uri}#{did}", who=identity_for(did))


@dataclass
class _Ctx:
    repo: _Repo
    account: Account

    def ours(self, target: str) -> bool:
        return _authority(target) == self.repo.did

    def event(
        self,
        kind: InteractionKind,
        pid: str,
        when: datetime,
        *,
        target: str | None = None,
        who: Identity | None = None,
        text: str | None = None,
        in_reply_to: str | None = None,
        thread_ref: str | None = None,
        target_ref: str | None = None,
    ) -> Interaction:
        """An outbound interaction; ``target`` (an AT URI) names the person by its repository, and is
        ``post_ref`` when it is one of our own records."""
        mine = target is not None and self.ours(target)
        if target is not None and not mine:
            who = identity_for(_authority(target))
        return Interaction(
            account=self.account,
            kind=kind,
            direction=Direction.OUTBOUND,
            occurred_at=when,
            identity=who,
            platform_id=pid,
            text=text,
            post_ref=target if mine else None,
            in_reply_to=in_reply_to,
            thread_ref=thread_ref,
            target_ref=target_ref,
        )


def _cid(link: object) -> CID | None:
    if isinstance(link, CID):
        return link
    if isinstance(link, bytes | str):
        try:
            return CID.decode(link)
        except (ValueError, TypeError):
            return None
    return None


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"has no {exc.args[0]!r}"
    return str(exc) or type(exc).__name__


CONNECTOR = BlueskyCarConnector()
