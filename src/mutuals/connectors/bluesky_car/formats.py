"""What a Bluesky repository export (.car) holds.

A CAR v1 file (``com.atproto.sync.getRepo``, or Settings → Export my data in the app): a header naming
the root — the repo's latest signed **commit** ``{did, version, data, rev (v3) | prev (v2), sig}`` — then
DAG-CBOR blocks. ``commit.data`` is the root of a Merkle Search Tree whose nodes are
``{l: subtree?, e: [{p: prefix length, k: key suffix, v: record CID, t: subtree?}]}``; each key is
``collection/rkey`` with the prefix shared with the previous entry of the same node left out. Only
records reachable from the root commit's tree are in the repo now: older commits in the same file (v2
exports keep history) may still carry blocks of deleted records, and those are not imported.

Records imported: posts (replies and quotes among them), likes, reposts, follows, blocks, and the
profile (for our display name). Other collections (lists, feeds, threadgates, the retired votes and
declarations) are counted in a note and skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict

from mutuals.domain import MediaType

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
BLOCK = "app.bsky.graph.block"
PROFILE = "app.bsky.actor.profile"
IMPORTED = (POST, LIKE, REPOST, FOLLOW, BLOCK, PROFILE)

# Collections Bluesky itself has retired; they still appear in 2022–2023 repos.
LEGACY = ("app.bsky.feed.vote", "app.bsky.graph.confirmation", "app.bsky.system.declaration")


class StrongRef(TypedDict):
    uri: str  # at://did/collection/rkey
    cid: str


class ReplyRef(TypedDict):
    root: StrongRef
    parent: StrongRef


class PostRecord(TypedDict, total=False):
    text: str
    createdAt: str
    reply: ReplyRef
    embed: dict[str, Any]  # app.bsky.embed.images | video | external | record | recordWithMedia
    facets: list[dict[str, Any]]  # features: app.bsky.richtext.facet#mention {did} | #link {uri} | #tag
    entities: list[dict[str, Any]]  # the 2022 predecessor of facets: {type: mention | link, value}


class SubjectRecord(TypedDict):
    """like, repost: ``subject`` is a StrongRef; follow, block: ``subject`` is a DID."""

    subject: StrongRef | str
    createdAt: str


class Commit(TypedDict, total=False):
    did: str
    version: int
    data: bytes  # CID of the tree's root node
    rev: str  # a TID (v3 commits)
    prev: bytes | None


_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def tid_time(tid: str) -> datetime | None:
    """The time a TID (``rev``, record keys) encodes: microseconds since 1970 in its top 53 bits."""
    if len(tid) != 13 or any(c not in _TID_ALPHABET for c in tid):
        return None
    value = 0
    for c in tid:
        value = value * 32 + _TID_ALPHABET.index(c)
    try:
        return datetime.fromtimestamp((value >> 10) / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_time(value: object) -> datetime:
    """A record's ``createdAt`` (ISO 8601, usually UTC, sometimes with a local offset) as aware UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError("has no createdAt")
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def embedded_record(embed: Mapping[str, Any] | None) -> str | None:
    """The AT URI a post quotes (``app.bsky.embed.record`` or ``recordWithMedia``), if any."""
    if not isinstance(embed, Mapping):
        return None
    kind = embed.get("$type")
    if kind == "app.bsky.embed.record":
        ref = embed.get("record")
    elif kind == "app.bsky.embed.recordWithMedia":
        inner = embed.get("record")
        ref = inner.get("record") if isinstance(inner, Mapping) else None
    else:
        return None
    uri = ref.get("uri") if isinstance(ref, Mapping) else None
    return uri if isinstance(uri, str) and uri.startswith("at://") else None


def media_types(post: Mapping[str, Any]) -> tuple[MediaType, ...]:
    found: list[MediaType] = []

    def add(kind: MediaType) -> None:
        if kind not in found:
            found.append(kind)

    if str(post.get("text") or "").strip():
        add(MediaType.TEXT)
    embed = post.get("embed")
    embeds = [embed] if isinstance(embed, Mapping) else []
    if embeds and embeds[0].get("$type") == "app.bsky.embed.recordWithMedia":
        media = embeds[0].get("media")
        embeds = [media] if isinstance(media, Mapping) else []
    for e in embeds:
        kind = e.get("$type")
        if kind == "app.bsky.embed.images":
            add(MediaType.IMAGE)
        elif kind == "app.bsky.embed.video":
            add(MediaType.VIDEO)
        elif kind == "app.bsky.embed.external":
            add(MediaType.LINK)
    for facet in _list(post.get("facets")):
        for feat in _list(facet.get("features") if isinstance(facet, Mapping) else None):
            if isinstance(feat, Mapping) and feat.get("$type") == "app.bsky.richtext.facet#link":
                add(MediaType.LINK)
    for ent in _list(post.get("entities")):
        if isinstance(ent, Mapping) and ent.get("type") == "link":
            add(MediaType.LINK)
    return tuple(found)


def mentioned_dids(post: Mapping[str, Any]) -> list[str]:
    """DIDs a post mentions, from rich-text facets (or the older ``entities``), in order, once each."""
    out: list[str] = []
    for facet in _list(post.get("facets")):
        for feat in _list(facet.get("features") if isinstance(facet, Mapping) else None):
            if isinstance(feat, Mapping) and feat.get("$type") == "app.bsky.richtext.facet#mention":
                did = feat.get("did")
                if isinstance(did, str) and did.startswith("did:") and did not in out:
                    out.append(did)
    for ent in _list(post.get("entities")):
        if isinstance(ent, Mapping) and ent.get("type") == "mention":
            did = ent.get("value")
            if isinstance(did, str) and did.startswith("did:") and did not in out:
                out.append(did)
    return out


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
