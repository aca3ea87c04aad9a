"""Tweets to records: one Post per tweet, and outbound interactions with the people it concerns."""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mutuals.connectors.files import SourceFiles
from mutuals.connectors.x_archive import formats as f
from mutuals.domain import (
    Account,
    Direction,
    Identity,
    Interaction,
    InteractionKind,
    MediaType,
    Network,
    Post,
    PostKind,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError

X = Network.X
OUT = Direction.OUTBOUND
_STATUS_URL = re.compile(r"https?://(?:mobile\.)?(?:twitter|x)\.com/(\w+)/status(?:es)?/(\d+)/?$")
_RT = re.compile(r"RT @(\w+):")
_MEDIA = {"photo": MediaType.IMAGE, "video": MediaType.VIDEO, "animated_gif": MediaType.GIF}
_TCO_TAIL = re.compile(r"\s*(?:…|\.\.\.)?\s*(?:https://t\.co/\w+\s*)*$")
_NO_ID = ("", "-1", "0")  # mentions of suspended / deleted accounts carry id "-1"


def _text(value: str) -> str:
    # tweets.js escapes &, < and > as HTML entities; nothing else.
    return html.unescape(value) if "&" in value else value


def _person(uid: Any, handle: str | None, name: str | None = None) -> Identity:
    pid = str(uid) if uid is not None and str(uid) not in _NO_ID else "@" + (handle or "").lower()
    return Identity(X, pid, handle=handle or None, display_name=name or None)


class TweetMapper:
    def __init__(self, account: Account, notes: dict[int, list[str]]) -> None:
        self.account = account
        self.our_id = account.platform_id
        self.our_handle = account.handle.lower()
        self.notes = notes
        self.notes_total = sum(len(v) for v in notes.values())
        self.notes_used = 0

    @property
    def notes_unmatched(self) -> int:
        return self.notes_total - self.notes_used

    def _long_text(self, when: datetime, text: str) -> str:
        """The note-tweet.js text of a long tweet (matched by creation second and text prefix)."""
        sec = int(when.timestamp())
        stem = _TCO_TAIL.sub("", text)[:60]
        for s in (sec, sec - 1, sec + 1):
            for full in self.notes.get(s, ()):
                if full.startswith(stem) or full[:60] == stem:
                    self.notes_used += 1
                    return full
        return text

    def records(self, tw: dict[str, Any], *, deleted: bool, ytd: bool) -> list[Record]:
        tid = str(tw["id_str"])
        when = (f.parse_tweet_time if ytd else f.parse_iso_time)(tw["created_at"])
        text = _text(tw.get("full_text") or tw.get("text") or "")
        if self.notes:
            text = self._long_text(when, text)
        entities = tw.get("entities") or {}
        mentions = entities.get("user_mentions") or []
        rt = tw.get("retweeted_status")
        reply_to = tw.get("in_reply_to_status_id_str")
        reply_user = tw.get("in_reply_to_user_id_str")
        quote_id, quote_who = self._quoted(tw, entities)
        media = self._media(tw, entities, quote_id)
        acc = self.account
        out: list[Record] = []
        concerned: set[str] = set()

        def add(kind: InteractionKind, who: Identity, pid: str, **kw: Any) -> None:
            if who.platform_id == self.our_id or (who.handle or "").lower() == self.our_handle:
                return
            if who.platform_id in concerned:
                return
            concerned.add(who.platform_id)
            out.append(Interaction(acc, kind, OUT, when, identity=who, platform_id=pid, text=text, **kw))

        if rt is not None or text.startswith("RT @"):
            kind, target = PostKind.REPOST, None
            if isinstance(rt, dict):
                target = str(rt.get("id_str") or "") or None
                user = rt.get("user") or {}
                who = _person(user.get("id_str"), user.get("screen_name"), user.get("name"))
            else:
                m = _RT.match(text)
                handle = m.group(1) if m else None
                found = [
                    x for x in mentions if (x.get("screen_name") or "").lower() == (handle or "").lower()
                ]
                src = found[0] if found else (mentions[0] if mentions else {})
                who = _person(src.get("id_str"), src.get("screen_name") or handle, src.get("name"))
            if who.platform_id != "@":
                add(InteractionKind.REPOST, who, tid, target_ref=target)
            mentions = []  # the mentions of a retweet are the original author's, not ours
            in_reply_to = target
        elif reply_to or reply_user:
            kind, in_reply_to = PostKind.REPLY, reply_to
            if reply_user:
                who = _person(reply_user, tw.get("in_reply_to_screen_name"))
                add(InteractionKind.REPLY, who, tid, in_reply_to=reply_to)
        elif quote_id:
            kind, in_reply_to = PostKind.QUOTE, quote_id
        else:
            kind, in_reply_to = PostKind.ORIGINAL, None
        if quote_id and quote_who is not None:
            add(InteractionKind.QUOTE, quote_who, tid, target_ref=quote_id)
        for m in mentions:
            who = _person(m.get("id_str"), m.get("screen_name"), m.get("name"))
            if who.platform_id != "@":
                add(InteractionKind.MENTION, who, f"{tid}:{who.platform_id}", in_reply_to=reply_to)
        likes, reposts = tw.get("favorite_count"), tw.get("retweet_count")
        out.insert(
            0,
            Post(
                acc,
                tid,
                kind,
                when,
                text=text,
                url=f"https://twitter.com/{acc.handle}/status/{tid}",
                media_types=media,
                in_reply_to=in_reply_to,
                likes=int(likes) if likes is not None else None,
                reposts=int(reposts) if reposts is not None else None,
                deleted=deleted,
            ),
        )
        return out

    def _quoted(self, tw: dict[str, Any], entities: dict[str, Any]) -> tuple[str | None, Identity | None]:
        qid = tw.get("quoted_status_id_str")
        qs = tw.get("quoted_status")
        if isinstance(qs, dict):
            user = qs.get("user") or {}
            who = _person(user.get("id_str"), user.get("screen_name"), user.get("name"))
            return str(qs.get("id_str") or qid), who
        for u in entities.get("urls") or ():
            m = _STATUS_URL.match(u.get("expanded_url") or "")
            if m and (qid is None or m.group(2) == qid):
                handle = m.group(1)
                if handle.lower() in ("i", "web"):
                    return m.group(2), None
                known = [
                    x
                    for x in entities.get("user_mentions") or ()
                    if (x.get("screen_name") or "").lower() == handle.lower()
                ]
                src = known[0] if known else {}
                return m.group(2), _person(src.get("id_str"), handle, src.get("name"))
        return (str(qid), None) if qid else (None, None)

    @staticmethod
    def _media(tw: dict[str, Any], entities: dict[str, Any], quote_id: str | None) -> tuple[MediaType, ...]:
        found: list[MediaType] = []
        ext = tw.get("extended_entities") or entities
        for m in ext.get("media") or ():
            kind = _MEDIA.get(m.get("type") or "")
            if kind is None:  # Grailbird media carry no type
                kind = MediaType.VIDEO if "/video/" in (m.get("expanded_url") or "") else MediaType.IMAGE
            if kind not in found:
                found.append(kind)
        for u in entities.get("urls") or ():
            if quote_id is None or not (u.get("expanded_url") or "").endswith(quote_id):
                found.append(MediaType.LINK)
                break
        return tuple(found) or (MediaType.TEXT,)


_CSV_COLUMNS = [
    "tweet_id",
    "in_reply_to_status_id",
    "in_reply_to_user_id",
    "timestamp",
    "source",
    "text",
    "retweeted_status_id",
    "retweeted_status_user_id",
    "retweeted_status_timestamp",
    "expanded_urls",
]


def grailbird_csv(files: SourceFiles, name: str, account: Account) -> Iterator[Record]:
    """tweets.csv of the pre-2019 archive, read only when its monthly JS files are absent. It has no
    ids of mentioned people, so only replies and retweets become interactions."""
    label = files.label(name)
    reader = csv.reader(files.text_stream(name))
    header = next(reader, None)
    if header is None or [h.strip() for h in header[: len(_CSV_COLUMNS)]] != _CSV_COLUMNS:
        raise ImportFormatError(label, "is not a Twitter archive tweets.csv (unexpected header)")
    for n, row in enumerate(reader, start=2):
        try:
            r = dict(zip(_CSV_COLUMNS, row, strict=True))
            tid = r["tweet_id"]
            if not tid.isdigit():
                raise ValueError(f"tweet_id {tid!r} is not a number")
            when = f.parse_iso_time(r["timestamp"])
        except (ValueError, KeyError) as exc:
            yield Problem(label, f"line {n}", f"not a readable tweet ({exc})")
            continue
        text = r["text"]
        urls = [u for u in r["expanded_urls"].split(",") if u]
        media = tuple(
            dict.fromkeys(
                MediaType.VIDEO if "/video/" in u else MediaType.IMAGE if "/photo/" in u else MediaType.LINK
                for u in urls
            )
        ) or (MediaType.TEXT,)
        rt, reply = r["retweeted_status_id"], r["in_reply_to_status_id"]
        kind = (
            PostKind.REPOST
            if rt
            else PostKind.REPLY
            if reply or r["in_reply_to_user_id"]
            else PostKind.ORIGINAL
        )
        yield Post(
            account,
            tid,
            kind,
            when,
            text=text,
            url=f"https://twitter.com/{account.handle}/status/{tid}",
            media_types=media,
            in_reply_to=rt or reply or None,
        )
        other = r["retweeted_status_user_id"] if rt else r["in_reply_to_user_id"]
        if other and other != account.platform_id:
            yield Interaction(
                account,
                InteractionKind.REPOST if rt else InteractionKind.REPLY,
                OUT,
                when,
                identity=Identity(X, other),
                platform_id=tid,
                text=text,
                in_reply_to=reply or None,
                target_ref=rt or None,
            )
