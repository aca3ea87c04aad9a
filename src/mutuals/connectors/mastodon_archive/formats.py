"""What a Mastodon account archive holds, and the helpers both Mastodon connectors share.

The archive ("Request your archive" in Mastodon's settings) is ActivityStreams JSON-LD:

* ``actor.json``: a ``Person`` — ``id`` (our actor URL), ``preferredUsername``, ``name``, ``summary``;
* ``outbox.json``: an ``OrderedCollection`` whose ``orderedItems`` are activities: ``Create`` with a full
  ``Note`` (or ``Question``, a poll) as ``object``, and ``Announce`` (a boost) whose ``object`` is a bare
  status URL;
* ``likes.json``, ``bookmarks.json``: ``OrderedCollection``s of bare status URLs (no dates, no content).

Identity scheme (shared with ``mastodon-csv``): a person on Mastodon is keyed by their address,
``platform_id = "@" + "user@host".lower()``, because the address is the one thing every Mastodon export
and the API agree on. The actor URL cannot be derived from an address (``@b0rk@jvns.ca`` lives at
``https://social.jvns.ca/users/b0rk``), so it is kept in ``profile["actor"]`` where the archive gives it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, TypedDict

from mutuals.domain import Identity, MediaType, Network

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"

# user@host: Mastodon usernames are [a-z0-9_] (other servers allow . and -), hosts are DNS names.
_ADDRESS = re.compile(r"^[\w.\-]+@[\w\-]+(\.[\w\-]+)+$", re.UNICODE)


class MentionTag(TypedDict, total=False):
    type: str  # "Mention" (also "Hashtag", "Emoji" in the same list)
    href: str  # the actor URL
    name: str  # "@user@host", or "@user" for an account on our own server


class Attachment(TypedDict, total=False):
    type: str  # "Document"
    mediaType: str  # "image/jpeg", "video/mp4", ...
    url: str


class NoteObject(TypedDict, total=False):
    id: str
    type: str  # "Note" or "Question"
    published: str
    url: str
    inReplyTo: str | None
    conversation: str
    content: str  # HTML
    to: list[str]
    cc: list[str]
    tag: list[MentionTag]
    attachment: list[Attachment]
    quoteUri: str  # quotes, where the server supports them (also "quote", "_misskey_quote")


class Activity(TypedDict, total=False):
    id: str
    type: str  # "Create" or "Announce"
    actor: str
    published: str
    to: list[str]
    cc: list[str]
    object: NoteObject | str


def normalize_address(value: str, local_host: str | None = None) -> str | None:
    """``"@User@Host"`` → ``"user@host"``; ``"@user"`` (an account on our server) needs ``local_host``.
    ``None`` when it is not an address."""
    addr = value.strip().lstrip("@").lower()
    if "@" not in addr and local_host:
        addr = f"{addr}@{local_host.lower()}"
    return addr if _ADDRESS.match(addr) else None


def address_identity(address: str, actor_url: str | None = None) -> Identity:
    """The identity of somebody on Mastodon, known by a normalized address (see the module docstring)."""
    return Identity(
        network=Network.MASTODON,
        platform_id="@" + address,
        handle=address,
        profile={"actor": actor_url} if actor_url else None,
    )


def actor_host(actor_url: str) -> str:
    """``https://host/users/name`` → ``host``."""
    return actor_url.split("/")[2] if actor_url.count("/") >= 2 else ""


def quote_of(obj: Mapping[str, Any]) -> str | None:
    for key in ("quoteUri", "quoteUrl", "quote", "_misskey_quote"):
        value = obj.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def media_types(obj: Mapping[str, Any], text: str, has_link: bool) -> tuple[MediaType, ...]:
    found: list[MediaType] = [MediaType.TEXT] if text.strip() else []
    for att in obj.get("attachment") or []:
        mime = str(att.get("mediaType") or "") if isinstance(att, dict) else ""
        kind = (
            MediaType.GIF
            if mime == "image/gif"
            else MediaType.IMAGE
            if mime.startswith("image/")
            else MediaType.VIDEO
            if mime.startswith("video/")
            else MediaType.AUDIO
            if mime.startswith("audio/")
            else None
        )
        if kind is not None and kind not in found:
            found.append(kind)
    if has_link and MediaType.LINK not in found:
        found.append(MediaType.LINK)
    return tuple(found)


# Mastodon's status HTML is a small, regular subset (p, br, a, span): regular expressions read it several
# times faster than html.parser, which matters for outboxes of tens of thousands of statuses.
_BREAK = re.compile(r"<br\s*/?>", re.I)
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_ANCHOR = re.compile(r"<a\s[^>]*>", re.I)
_CLASS = re.compile(r"""class\s*=\s*["']([^"']*)["']""", re.I)


def html_to_text(content: str) -> tuple[str, bool]:
    """(plain text, whether it links anywhere other than a mention or a hashtag) of a status's HTML
    ``content``: paragraphs and <br> become line breaks, tags go, entities are decoded."""
    if not content:
        return "", False
    has_link = False
    for anchor in _ANCHOR.findall(content):
        m = _CLASS.search(anchor)
        classes = m.group(1).split() if m else []
        if "mention" not in classes and "hashtag" not in classes:
            has_link = True
            break
    text = _PARAGRAPH.sub("\n\n", _BREAK.sub("\n", content))
    return html.unescape(_TAG.sub("", text)).strip(), has_link


# Mastodon's own URI scheme for a status: https://host/users/name/statuses/id.
_STATUS_URI = re.compile(r"^https://([^/@]+)/users/([\w.\-]+)/statuses/[^/]+$")


def guess_author(status_url: str) -> Identity | None:
    """The author of a status whose URL follows Mastodon's URI scheme (``https://host/users/name/
    statuses/id``): the actor URL is certain, the address ``name@host`` is a guess (wrong for servers whose
    addresses use another domain than their web host), and says so in ``profile["address_from"]``."""
    m = _STATUS_URI.match(status_url)
    if m is None:
        return None
    host, name = m.group(1).lower(), m.group(2).lower()
    address = normalize_address(f"{name}@{host}")
    if address is None:
        return None
    return Identity(
        network=Network.MASTODON,
        platform_id="@" + address,
        handle=address,
        profile={"actor": f"https://{m.group(1)}/users/{m.group(2)}", "address_from": "status URL"},
    )
