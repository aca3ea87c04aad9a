"""The X/Twitter account archive: a .zip or an extracted folder (see README.md for what is read)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.x_archive import formats as f
from mutuals.connectors.x_archive.tweets import TweetMapper, grailbird_csv
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
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError

X = Network.X
# data/*.js files whose presence alone says "this is an X archive" (the names are X's own).
_MARKERS = (
    "tweets.js",
    "tweet.js",
    "account.js",
    "manifest.js",
    "like.js",
    "follower.js",
    "following.js",
    "deleted-tweets.js",
    "direct-messages.js",
)
_DATASETS = {m.removesuffix(".js") for m in _MARKERS} | {
    "direct-messages-group",
    "note-tweet",
    "profile",
}
_CSV_HEADER = b'"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp"'
_BAD = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class XArchiveConnector:
    kind = "x-archive"
    title = "X/Twitter account archive"

    def detect(self, files: SourceFiles) -> bool:
        for name in files.find(*_MARKERS, "tweets-part*.js", "tweet-part*.js"):
            parent = PurePosixPath(name).parent.name
            if parent == "data" or files.kind == "file" or f.looks_like_ytd(files.head(name, 64)):
                return True
        grail = files.find("*data/js/tweets/*.js")
        if grail and files.head(grail[0], 64).lstrip().startswith(b"Grailbird.data."):
            return True
        return any(files.head(n, len(_CSV_HEADER)) == _CSV_HEADER for n in files.find("tweets.csv"))

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        if files.kind == "file" and files.head(files.names()[0], 4).startswith(b"PK"):
            raise ImportFormatError(str(files.path), "is a truncated or corrupt zip archive")
        data = [n for n in files.names() if _in_data(files, n)]
        legacy = files.find("*data/js/tweets/*.js", "tweets.csv")
        if not legacy and not any(_stem(n) in _DATASETS for n in data):
            raise ImportFormatError(
                str(files.path),
                "holds no X archive data files (data/tweets.js, data/like.js, data/follower.js, ...)",
            )
        for name in data:
            if _stem(name) in _DATASETS:  # files we do not read may be anything
                f.check_head(files, name)
        yield from _Archive(files, options).records()


CONNECTOR = XArchiveConnector()


def _in_data(files: SourceFiles, name: str) -> bool:
    """A data file of the archive: ``data/*.js`` (not the viewer's own assets/js/*.js)."""
    path = PurePosixPath(name)
    return path.suffix == ".js" and (files.kind == "file" or path.parent.name == "data")


def _stem(name: str) -> str:
    return PurePosixPath(name).name.removesuffix(".js").split("-part")[0]


def _dataset(files: SourceFiles, name: str) -> list[str]:
    """``name.js`` and its parts ``name-part1.js`` ... in order."""

    def order(n: str) -> int:
        stem = PurePosixPath(n).stem
        return int(stem.rsplit("part", 1)[1]) if "-part" in stem and stem[-1].isdigit() else 0

    found = [n for n in files.find(f"{name}.js", f"{name}-part*.js") if _in_data(files, n)]
    return sorted(found, key=order)


class _Archive:
    def __init__(self, files: SourceFiles, options: ImportOptions) -> None:
        self.files = files
        self.options = options
        self.notes: list[str] = []
        manifest = self._small("manifest")
        self.archive_date = self._archive_date(manifest)
        self.account = self._our_account(manifest)
        self.our_id = self.account.platform_id

    # -- the archive's own facts -----------------------------------------------------------------
    def _small(self, name: str) -> Any:
        found = _dataset(self.files, name) or self.files.find(f"*data/js/{name}.js")  # Grailbird
        return f.read_value(self.files, found[0]) if found else None

    def _archive_date(self, manifest: Any) -> datetime | None:
        try:
            if isinstance(manifest, dict):
                return f.parse_iso_time(manifest["archiveInfo"]["generationDate"])
            payload = self._small("payload_details")
            if isinstance(payload, dict) and payload.get("created_at"):
                return f.parse_iso_time(payload["created_at"])
        except _BAD:
            self.notes.append("the archive's manifest carries no readable generation date")
        return None

    def _our_account(self, manifest: Any) -> Account:
        pid = name = None
        handle: str | None = None
        acc = self._small("account")
        if isinstance(acc, list) and acc and isinstance(acc[0], dict) and "account" in acc[0]:
            a = acc[0]["account"]
            pid, handle, name = a.get("accountId"), a.get("username"), a.get("accountDisplayName")
        elif isinstance(manifest, dict) and isinstance(manifest.get("userInfo"), dict):
            u = manifest["userInfo"]
            pid, handle, name = u.get("accountId"), u.get("userName"), u.get("displayName")
        else:
            user = self._small("user_details")  # Grailbird
            if isinstance(user, dict):
                pid, handle, name = user.get("id"), user.get("screen_name"), user.get("full_name")
        handle = self.options.account_for(X, handle).handle
        return Account(X, handle, platform_id=str(pid) if pid else None, display_name=name)

    # -- records ---------------------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        files = self.files
        yield self.account
        mapper = TweetMapper(self.account, self._note_texts())
        # tweets.js is tweet.js renamed (2022); an archive holding both has the same tweets twice.
        tweets = _dataset(files, "tweets") or _dataset(files, "tweet")
        for name, deleted in [(n, False) for n in tweets] + [
            (n, True) for n in _dataset(files, "deleted-tweets")
        ]:
            yield from self._tweets(name, mapper, deleted, ytd=True)
        grail = sorted(files.find("*data/js/tweets/*.js"))
        for name in grail:
            yield from self._tweets(name, mapper, False, ytd=False)
        if not grail:
            for name in files.find("tweets.csv"):
                yield from grailbird_csv(files, name, self.account)
        for name in _dataset(files, "like"):
            yield from self._likes(name)
        for dataset, group in (("direct-messages", False), ("direct-messages-group", True)):
            for name in _dataset(files, dataset):
                yield from self._messages(name, group)
        for dataset, direction in (
            ("follower", FollowDirection.FOLLOWER),
            ("following", FollowDirection.FOLLOWING),
        ):
            parts = _dataset(files, dataset)
            if parts:
                if self.archive_date is not None:
                    self.notes.append(
                        f"the {dataset} list is dated {self.archive_date.isoformat()}, the archive's own "
                        "generation date (generationDate in data/manifest.js)"
                    )
                yield FollowSnapshot(self.account, direction, self.archive_date)
            for name in parts:
                yield from self._follows(name, dataset, direction)
        if mapper.notes_unmatched:
            self.notes.append(
                f"{mapper.notes_unmatched} long-form texts in note-tweet.js matched no tweet and were ignored"
            )
        for message in self.notes:
            yield Note(message)

    def _note_texts(self) -> dict[int, list[str]]:
        """note-tweet.js: the full text of long tweets, by creation second (the file has no tweet id)."""
        out: dict[int, list[str]] = {}
        for name in _dataset(self.files, "note-tweet"):
            for item in f.iter_array(self.files, name):
                try:
                    note = item["noteTweet"]
                    when = f.parse_iso_time(note["createdAt"])
                    out.setdefault(int(when.timestamp()), []).append(note["core"]["text"])
                except _BAD:
                    continue
        return out

    def _tweets(self, name: str, mapper: TweetMapper, deleted: bool, *, ytd: bool) -> Iterator[Record]:
        label = self.files.label(name)
        for i, item in enumerate(f.iter_array(self.files, name)):
            try:
                tw = item["tweet"] if ytd else item
                out = mapper.records(tw, deleted=deleted, ytd=ytd)
            except _BAD as exc:
                yield Problem(label, _ref(item, "tweet", i), f"not a readable tweet ({_why(exc)})")
                continue
            yield from out

    def _likes(self, name: str) -> Iterator[Record]:
        label = self.files.label(name)
        acc, like_kind, out_dir = self.account, InteractionKind.LIKE, Direction.OUTBOUND
        for i, item in enumerate(f.iter_array(self.files, name)):
            try:
                like = item["like"]
                tid = like["tweetId"]
                if not isinstance(tid, str) or not tid:
                    raise ValueError("no tweetId")
                url = like.get("expandedUrl")
                extra = {"url": url} if url and not url.endswith(tid) else None
                rec = Interaction(
                    acc,
                    like_kind,
                    out_dir,
                    None,  # like.js gives no time
                    platform_id=tid,
                    text=like.get("fullText"),
                    target_ref=tid,
                    extra=extra,
                )
            except _BAD as exc:
                yield Problem(label, _ref(item, "like", i), f"not a readable like ({_why(exc)})")
                continue
            yield rec

    def _messages(self, name: str, group: bool) -> Iterator[Record]:
        label = self.files.label(name)
        if not self.our_id:
            self.notes.append(f"{label} skipped: the archive does not say which account id is ours")
            return
        skipped: dict[str, int] = {}
        for i, item in enumerate(f.iter_array(self.files, name)):
            try:
                conv = item["dmConversation"]
                cid, events = str(conv["conversationId"]), conv["messages"]
            except _BAD as exc:
                yield Problem(label, f"conversation #{i}", f"not a readable conversation ({_why(exc)})")
                continue
            for event in events:
                kind = next(iter(event), "") if isinstance(event, dict) else ""
                if kind not in ("messageCreate", "welcomeMessageCreate"):
                    skipped[kind or "unknown"] = skipped.get(kind or "unknown", 0) + 1
                    continue
                try:
                    rec = self._message(event[kind], cid, group, welcome=kind != "messageCreate")
                except _BAD as exc:
                    msg = event.get(kind) if isinstance(event.get(kind), dict) else {}
                    ref = f"conversation {cid} message {msg.get('id', '?')}"
                    yield Problem(label, ref, f"not a readable message ({_why(exc)})")
                    continue
                if rec is not None:
                    yield rec
        if skipped:
            listed = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
            self.notes.append(f"{label}: events that are not messages were not imported ({listed})")

    def _message(self, m: dict[str, Any], cid: str, group: bool, *, welcome: bool) -> Interaction | None:
        sender, recipient = str(m["senderId"]), m.get("recipientId")
        when = f.parse_iso_time(m["createdAt"])
        if sender == self.our_id:
            direction, other = Direction.OUTBOUND, (None if group else str(recipient))
            if not group and recipient is None:
                raise ValueError("no recipientId")
        else:
            direction, other = Direction.INBOUND, sender
        if other == self.our_id:
            return None  # a note to self
        extra: dict[str, Any] = {}
        if group:
            extra["group"] = True
        if welcome:
            extra["welcome_message"] = True
        if m.get("mediaUrls"):
            extra["media"] = m["mediaUrls"]
        if m.get("reactions"):
            extra["reactions"] = len(m["reactions"])
        return Interaction(
            self.account,
            InteractionKind.DM,
            direction,
            when,
            identity=Identity(X, other) if other else None,
            platform_id=str(m["id"]),
            text=m.get("text") or "",
            is_public=False,
            thread_ref=cid,
            extra=extra or None,
        )

    def _follows(self, name: str, key: str, direction: FollowDirection) -> Iterator[Record]:
        label = self.files.label(name)
        acc = self.account
        for i, item in enumerate(f.iter_array(self.files, name)):
            try:
                pid = item[key]["accountId"]
                if not isinstance(pid, str) or not pid.isdigit():
                    raise ValueError(f"accountId {pid!r} is not a number")
                rec = FollowEntry(acc, direction, Identity(X, pid))
            except _BAD as exc:
                yield Problem(label, _ref(item, key, i), f"not a readable {key} entry ({_why(exc)})")
                continue
            yield rec


def _ref(item: Any, key: str, i: int) -> str:
    inner = item.get(key, item) if isinstance(item, dict) else None
    if isinstance(inner, dict):
        for field in ("id_str", "tweetId", "accountId", "id"):
            if isinstance(inner.get(field), str | int):
                return f"{key} {inner[field]}"
    return f"{key} #{i + 1}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"no field {exc.args[0]!r}"
    return str(exc) or type(exc).__name__
