"""LinkedIn data export (zip or folder): connections, messages, invitations, reactions, comments and
shares. See README.md and docs/connectors/linkedin.md."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.linkedin import formats as f
from mutuals.connectors.meta_json import normalize_name
from mutuals.domain import (
    Account,
    Direction,
    FollowDirection,
    FollowEntry,
    FollowSnapshot,
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

NET = Network.LINKEDIN
_DETECT = {
    "connections.csv": (b"first name",),
    "messages.csv": (b"subject", b"content"),
    "invitations.csv": (b"sent at", b"direction"),
    "shares.csv": (b"sharelink", b"share link", b"sharecommentary"),
}
_URN = re.compile(r"urn:li:[a-zA-Z]+:\d+")


class People:
    """Identities by name, using the profile URLs Connections.csv gives (2023 on) where a name is
    unique, so that a connection and the same person's messages are one identity."""

    def __init__(self) -> None:
        self._urls: dict[str, str | None] = {}

    def learn(self, name: str, url: str) -> None:
        n = normalize_name(name)
        if n and url:
            self._urls[n] = None if n in self._urls and self._urls[n] != url else url

    def get(self, name: str, url: str = "", profile: dict[str, Any] | None = None) -> Identity:
        """The platform id is the profile URL where known, else ``"@"`` + the normalised name."""
        url = _clean_url(url) or self._urls.get(normalize_name(name)) or ""
        return Identity(
            NET,
            url or "@" + normalize_name(name),
            display_name=" ".join(name.split()) or None,
            # Only Connections.csv has profile fields; elsewhere None keeps what it gave (the writer
            # replaces a profile only with a non-empty one).
            profile=profile or None,
        )


def _clean_url(url: str) -> str:
    return url.strip().split("?", 1)[0].rstrip("/")


class LinkedInConnector:
    kind = "linkedin"
    title = "LinkedIn data export (CSV files)"

    def detect(self, files: SourceFiles) -> bool:
        for name in files.find(*_DETECT):
            raw = files.head(name, 2048)
            head = (
                (
                    raw.decode("utf-16", "ignore")
                    if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
                    else raw.decode("latin-1")
                )
                .lower()
                .encode()
            )
            base = name.rsplit("/", 1)[-1].lower()
            if all(m in head for m in _DETECT[base][:1]) or any(m in head for m in _DETECT[base][1:]):
                return True
        return False

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        found = {spec: files.find(*spec.names)[:1] for spec in f.ALL}
        if not any(found[s] for s in f.ALL if s is not f.PROFILE):
            raise ImportFormatError(
                str(files.path),
                "holds none of the files of a LinkedIn export (Connections.csv, messages.csv, "
                "Invitations.csv, Reactions.csv, Comments.csv, Shares.csv)",
            )
        people = People()
        connections: list[f.Row | str] = []
        for name in found[f.CONNECTIONS]:
            connections = list(f.rows(files, name, f.CONNECTIONS))
            for row in connections:
                if isinstance(row, f.Row):
                    people.learn(_full_name(row), row.get("url", "profileurl"))
        me = None if options.account else _owner(files, found)
        if me is None and not options.account:
            # A broken file is the more useful message: say it before asking whose export this is.
            for spec, names in found.items():
                for name in names:
                    for _row in f.rows(files, name, spec):
                        pass
        account = options.account_for(NET, me)
        yield account
        for name in found[f.CONNECTIONS]:
            yield from _connections(files, name, account, connections, people)
        for name in found[f.MESSAGES]:
            yield from _messages(files, name, account, people)
        for name in found[f.INVITATIONS]:
            yield from _invitations(files, name, account, people)
        for name in found[f.REACTIONS]:
            yield from _activity(files, name, account, f.REACTIONS)
        for name in found[f.COMMENTS]:
            yield from _activity(files, name, account, f.COMMENTS)
        for name in found[f.SHARES]:
            yield from _shares(files, name, account)


def _full_name(row: f.Row) -> str:
    return " ".join(f"{row.get('firstname')} {row.get('lastname')}".split())


def _owner(files: SourceFiles, found: dict[f.CsvFile, list[str]]) -> str | None:
    """Our name: Profile.csv, else whoever sends the outgoing messages / invitations, else the name in
    the most message conversations."""
    for name in found[f.PROFILE]:
        for row in f.rows(files, name, f.PROFILE):
            if isinstance(row, f.Row) and _full_name(row):
                return _full_name(row)
    votes: Counter[str] = Counter()
    for spec in (f.MESSAGES, f.INVITATIONS):
        for name in found[spec]:
            for row in f.rows(files, name, spec):
                if not isinstance(row, f.Row):
                    continue
                direction = row.get("direction").upper()
                if direction == "OUTGOING":
                    votes[row.get("from")] += 1
                elif direction == "INCOMING":
                    votes[row.get("to")] += 1
                elif spec is f.MESSAGES:
                    votes.update({row.get("from"), *_recipients(row.get("to"))})
    votes.pop("", None)
    return votes.most_common(1)[0][0] if votes else None


def _recipients(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _problem(files: SourceFiles, name: str, row: f.Row | str, message: str = "") -> Problem:
    if isinstance(row, str):
        return Problem(files.label(name), row.split(":", 1)[0], row.split(":", 1)[1].strip())
    return Problem(files.label(name), f"line {row.number}", message)


def _connections(
    files: SourceFiles, name: str, account: Account, rows: list[f.Row | str], people: People
) -> Iterator[Record]:
    yield FollowSnapshot(account, FollowDirection.FRIEND)
    for row in rows:
        if isinstance(row, str):
            yield _problem(files, name, row)
            continue
        full, url = _full_name(row), row.get("url", "profileurl")
        if not full and not url:
            yield _problem(files, name, row, "has neither a name nor a profile URL")
            continue
        try:
            since = f.parse_date(row.get("connectedon"))
        except ValueError as exc:
            yield _problem(files, name, row, f"Connected On: {exc}")
            continue
        profile = {
            k: v
            for k, v in (
                ("url", _clean_url(url)),
                ("email", row.get("emailaddress")),
                ("company", row.get("company")),
                ("position", row.get("position")),
            )
            if v
        }
        yield FollowEntry(account, FollowDirection.FRIEND, people.get(full, url, profile), since)


def _messages(files: SourceFiles, name: str, account: Account, people: People) -> Iterator[Record]:
    me = normalize_name(account.handle)
    for row in f.rows(files, name, f.MESSAGES):
        if isinstance(row, str):
            yield _problem(files, name, row)
            continue
        try:
            when = f.parse_date(row.get("date"))
        except ValueError as exc:
            yield _problem(files, name, row, f"DATE: {exc}")
            continue
        sender, to = row.get("from"), _recipients(row.get("to"))
        direction = row.get("direction").upper()
        ours = direction == "OUTGOING" if direction else normalize_name(sender) == me
        if ours:
            others = [r for r in to if normalize_name(r) != me]
            urls = [u for u in row.get("recipientprofileurls").split(",") if u.strip()]
            peer = people.get(others[0], urls[0] if len(urls) == 1 else "") if len(others) == 1 else None
        else:
            peer = people.get(sender, row.get("senderprofileurl")) if sender else None
        extra = {
            k: v
            for k, v in (("subject", html.unescape(row.get("subject"))), ("folder", row.get("folder")))
            if v
        }
        yield Interaction(
            account,
            InteractionKind.DM,
            Direction.OUTBOUND if ours else Direction.INBOUND,
            when,
            identity=peer,
            text=html.unescape(row.get("content")) or None,
            is_public=False,
            thread_ref=row.get("conversationid") or None,
            extra=extra or None,
        )


def _invitations(files: SourceFiles, name: str, account: Account, people: People) -> Iterator[Record]:
    for row in f.rows(files, name, f.INVITATIONS):
        if isinstance(row, str):
            yield _problem(files, name, row)
            continue
        direction = row.get("direction").upper()
        if direction not in ("OUTGOING", "INCOMING"):
            yield _problem(files, name, row, f"Direction {direction!r} is neither INCOMING nor OUTGOING")
            continue
        try:
            when = f.parse_date(row.get("sentat"))
        except ValueError as exc:
            yield _problem(files, name, row, f"Sent At: {exc}")
            continue
        out = direction == "OUTGOING"
        peer = (
            people.get(row.get("to"), row.get("inviteeprofileurl"))
            if out
            else people.get(row.get("from"), row.get("inviterprofileurl"))
        )
        yield Interaction(
            account,
            InteractionKind.INVITATION,
            Direction.OUTBOUND if out else Direction.INBOUND,
            when,
            identity=peer,
            text=row.get("message") or None,
            is_public=False,
        )


def _activity(files: SourceFiles, name: str, account: Account, spec: f.CsvFile) -> Iterator[Record]:
    """Reactions.csv (our likes) and Comments.csv (our comments): the export names the post, not its
    author, so these interactions have no identity until the post is known."""
    for row in f.rows(files, name, spec):
        if isinstance(row, str):
            yield _problem(files, name, row)
            continue
        try:
            when = f.parse_date(row.get("date"))
        except ValueError as exc:
            yield _problem(files, name, row, f"Date: {exc}")
            continue
        link = unquote(row.get("link"))
        if spec is f.REACTIONS:
            yield Interaction(
                account,
                InteractionKind.LIKE,
                Direction.OUTBOUND,
                when,
                target_ref=link or None,
                extra={"reaction": row.get("type")} if row.get("type") else None,
            )
        else:
            yield Interaction(
                account,
                InteractionKind.COMMENT,
                Direction.OUTBOUND,
                when,
                text=html.unescape(row.get("message")) or None,
                target_ref=link or None,
            )


def _shares(files: SourceFiles, name: str, account: Account) -> Iterator[Record]:
    for row in f.rows(files, name, f.SHARES):
        if isinstance(row, str):
            yield _problem(files, name, row)
            continue
        link = row.get("sharelink")
        try:
            when = f.parse_date(row.get("date"))
        except ValueError as exc:
            yield _problem(files, name, row, f"Date: {exc}")
            continue
        if not link:
            yield _problem(files, name, row, "has no ShareLink")
            continue
        urn = _URN.search(unquote(link))
        media: list[MediaType] = []
        if row.get("sharedurl"):
            media.append(MediaType.LINK)
        if row.get("mediaurl"):
            media.append(MediaType.IMAGE)
        yield Post(
            account,
            urn.group(0) if urn else link,
            PostKind.ORIGINAL,
            when,
            text=row.get("sharecommentary") or row.get("sharetitle"),
            url=link,
            media_types=tuple(media) or (MediaType.TEXT,),
        )


CONNECTOR = LinkedInConnector()
