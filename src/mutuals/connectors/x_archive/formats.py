"""The X archive's file formats: the JavaScript wrapper around the JSON, its dates, and payload shapes.

Every ``data/*.js`` file is ``window.YTD.<name>.part<N> = [ ... ]`` (the pre-2019 "Grailbird" archive:
``Grailbird.data.tweets_YYYY_MM = [ ... ]``, ``var user_details = { ... }``). Arrays are streamed one
element at a time with the C JSON scanner, so memory stays flat however large ``like.js`` is.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NotRequired, TypedDict

from mutuals.connectors.files import SourceFiles
from mutuals.errors import ImportFormatError

_CHUNK = 1 << 20
_MAX_RECORD = 64 << 20  # one array element larger than this is taken for a broken file
_DECODER = json.JSONDecoder()
_PREFIX = re.compile(
    r"\s*(?:window\.YTD\.[\w$]+\.part\d+|window\.__THAR_CONFIG|Grailbird\.data\.[\w$]+|var [\w$]+)\s*=\s*"
)
_SKIP = re.compile(r"[\s,]*")
_EXPECTED = "expected `window.YTD.<name>.part0 = [ ... ]`"


# -- payload shapes (documentation for readers and mypy; the parser does not validate against them) ----
class UserMention(TypedDict):
    id_str: str
    screen_name: str
    name: NotRequired[str]
    indices: list[str]


class TweetPayload(TypedDict):
    """One element of tweets.js / deleted-tweets.js (inside ``{"tweet": ...}``); numbers are strings."""

    id_str: str
    created_at: str  # "Tue Jan 25 16:41:04 +0000 2022"
    full_text: str
    entities: dict[str, Any]
    extended_entities: NotRequired[dict[str, Any]]
    in_reply_to_status_id_str: NotRequired[str]
    in_reply_to_user_id_str: NotRequired[str]
    in_reply_to_screen_name: NotRequired[str]
    favorite_count: NotRequired[str]
    retweet_count: NotRequired[str]
    deleted_at: NotRequired[str]


class LikePayload(TypedDict):
    tweetId: str
    fullText: NotRequired[str]
    expandedUrl: NotRequired[str]


class FollowPayload(TypedDict):
    accountId: str
    userLink: NotRequired[str]


class MessagePayload(TypedDict):
    """``messageCreate`` / ``welcomeMessageCreate`` of direct-messages(-group).js."""

    id: str
    senderId: str
    recipientId: NotRequired[str]  # absent in group conversations
    text: str
    createdAt: str  # ISO 8601 with milliseconds
    mediaUrls: NotRequired[list[str]]
    reactions: NotRequired[list[dict[str, Any]]]


class AccountPayload(TypedDict):
    accountId: str
    username: str
    accountDisplayName: NotRequired[str]


# -- reading the JavaScript wrapper ------------------------------------------------------------------
def iter_array(files: SourceFiles, name: str) -> Iterator[Any]:
    """The elements of the array a ``.js`` data file assigns, one at a time."""
    label = files.label(name)
    try:
        with files.open(name) as raw:
            reader = io.TextIOWrapper(raw, encoding="utf-8-sig")
            yield from _stream(reader, label)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(label, f"is not UTF-8 text (byte {exc.start}): {_EXPECTED}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ImportFormatError(label, f"is truncated or corrupt ({exc})") from None


def _stream(reader: io.TextIOWrapper, label: str) -> Iterator[Any]:
    buf = reader.read(max(_CHUNK, 4096))  # the whole prefix, at least
    if not buf.strip():
        raise ImportFormatError(label, f"is empty: {_EXPECTED}")
    m = _PREFIX.match(buf)
    if m is None or not buf[m.end() :].startswith("["):
        raise ImportFormatError(label, f"is not an X archive data file: {_EXPECTED}")
    pos = m.end() + 1
    count = 0
    while True:
        pos = _SKIP.match(buf, pos).end()  # type: ignore[union-attr]
        if pos >= len(buf):
            more = reader.read(_CHUNK)
            if not more:
                raise ImportFormatError(label, "ends before its closing `]` (truncated?)")
            buf, pos = buf[pos:] + more, 0
            continue
        if buf[pos] == "]":
            rest = (buf[pos + 1 :] + reader.read()).strip().rstrip(";").strip()
            if rest:
                raise ImportFormatError(label, "has unexpected text after its closing `]`")
            return
        try:
            obj, end = _DECODER.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            more = reader.read(_CHUNK)
            if not more or len(buf) - pos > _MAX_RECORD:
                raise ImportFormatError(
                    label,
                    f"is not valid JSON inside its JavaScript wrapper ({exc.msg}, in record {count + 1})",
                ) from None
            buf, pos = buf[pos:] + more, 0
            continue
        yield obj
        count += 1
        pos = end


def read_value(files: SourceFiles, name: str) -> Any:
    """The whole value a small ``.js`` file assigns (manifest.js, account.js, user_details.js)."""
    label = files.label(name)
    text = files.read_text(name)
    if not text.strip():
        raise ImportFormatError(label, f"is empty: {_EXPECTED}")
    m = _PREFIX.match(text)
    if m is None:
        raise ImportFormatError(label, f"is not an X archive data file: {_EXPECTED}")
    try:
        return json.loads(text[m.end() :].strip().rstrip(";"))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            label, f"is not valid JSON inside its JavaScript wrapper ({exc.msg}, line {exc.lineno})"
        ) from None


def check_head(files: SourceFiles, name: str) -> None:
    """Refuse an empty file or one that does not open like a data file, before anything is read."""
    label = files.label(name)
    if files.size(name) == 0:
        raise ImportFormatError(label, f"is empty: {_EXPECTED}")
    head = files.head(name, 256).decode("utf-8", errors="replace").lstrip("\ufeff")
    if head.strip() and _PREFIX.match(head) is None:
        raise ImportFormatError(label, f"is not an X archive data file: {_EXPECTED}")


def looks_like_ytd(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"window.YTD.", b"window.__THAR_CONFIG"))


# -- dates -------------------------------------------------------------------------------------------
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}


def parse_tweet_time(value: str) -> datetime:
    """``"Tue Jan 25 16:41:04 +0000 2022"`` (tweets.js), by hand: strptime is ten times slower."""
    try:
        _, mon, day, hms, off, year = value.split(" ")
        h, mi, s = hms.split(":")
        when = datetime(int(year), _MONTHS[mon], int(day), int(h), int(mi), int(s), tzinfo=UTC)
    except (ValueError, KeyError):
        raise ValueError(f"not a tweet date: {value!r}") from None
    if off != "+0000":
        when = when.replace(tzinfo=_offset(off)).astimezone(UTC)
    return when


def parse_iso_time(value: str) -> datetime:
    """ISO 8601 as in DMs and the manifest (``2021-02-25T16:08:18.988Z``), and Grailbird's
    ``2019-02-08 08:38:13 +0000``."""
    if len(value) == 25 and value[19] == " ":
        value = value[:19] + value[20:]
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _offset(off: str) -> timezone:
    sign = -1 if off[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5])))
