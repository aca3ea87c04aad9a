"""Customer-care CSV in the layout of the "Customer Support on Twitter" (TWCS) dataset; see README.md.

Two streaming passes over the CSV: the first builds a compact index (who wrote each tweet, what it
answers, which brand answered it first), the second yields the records. Memory grows with the number of
tweets (one small tuple each), never with their text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.twcs import formats as f
from mutuals.domain import (
    Account,
    Direction,
    Identity,
    Interaction,
    InteractionKind,
    Network,
    Post,
    PostKind,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError, InvalidInputError

_MAX_PIECES = 6  # physical records one broken (unquoted CR) row may be split into
_MAX_WALK = 200  # parent links followed when looking for the brand of a thread


class _Info(NamedTuple):
    author: str
    inbound: bool
    parent: str | None


@dataclass
class _Index:
    tweets: dict[str, _Info] = field(default_factory=dict)
    brands: dict[str, str] = field(default_factory=dict)  # lower-cased handle -> handle
    first_reply: dict[str, tuple[datetime, str]] = field(default_factory=dict)


class TwcsConnector:
    kind = "twcs"
    title = "Customer-care CSV (Customer Support on Twitter layout)"

    def detect(self, files: SourceFiles) -> bool:
        return bool(_csv_files(files))

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        names = _csv_files(files)
        if not names:
            where = files.label(files.names()[0]) if files.kind == "file" else str(files.path)
            raise ImportFormatError(
                where, "is not a TWCS customer-care CSV (no header with " + ", ".join(f.COLUMNS) + ")"
            )
        for name in names:
            yield from _read_file(files, name, options)


def _csv_files(files: SourceFiles) -> list[str]:
    out = []
    for name in files.find("*.csv"):
        first = files.head(name, 2048).decode("utf-8-sig", "replace").splitlines()
        if first and {c.strip().lower() for c in first[0].split(",")} >= f.REQUIRED:
            out.append(name)
    return out


def _tweets(files: SourceFiles, name: str) -> Iterator[tuple[int, f.Tweet | Problem]]:
    """(line, tweet or problem) for every row; rows split by unquoted CRs are put back together."""
    label = files.label(name)
    reader = csv.reader(files.text_stream(name))
    header = next(reader, None)
    if header is None:
        raise ImportFormatError(label, "is empty")
    cols = [c.strip().lower() for c in header]
    missing = [c for c in f.REQUIRED if c not in cols]
    if missing:
        raise ImportFormatError(label, "has no column " + ", ".join(sorted(missing)))
    pos = {c: cols.index(c) for c in f.COLUMNS if c in cols}
    width = len(cols)
    pending: list[str] | None = None
    breaks = 0
    pieces = 0
    for row in reader:
        if pending is not None:
            if not row:
                breaks += 1
                continue
            row = [*pending[:-1], pending[-1] + "\r" * (breaks + 1) + row[0], *row[1:]]
            pending, breaks = None, 0
        elif not row:
            continue
        if len(row) < width and pieces < _MAX_PIECES:
            pending, pieces = row, pieces + 1
            continue
        pieces = 0
        line = reader.line_num
        if len(row) != width:
            yield line, Problem(label, f"line {line}", f"has {len(row)} fields, expected {width}")
            continue
        yield line, _tweet(label, line, row, pos)
    if pending is not None:
        yield reader.line_num, Problem(label, f"line {reader.line_num}", "the last row is cut short")


def _tweet(label: str, line: int, row: list[str], pos: dict[str, int]) -> f.Tweet | Problem:
    col = "tweet_id"
    try:
        tweet_id = f.parse_id(row[pos["tweet_id"]])
        if tweet_id is None:
            raise ValueError("is empty")
        col = "author_id"
        author = row[pos["author_id"]].strip()
        if not author:
            raise ValueError("is empty")
        col = "inbound"
        inbound = f.parse_bool(row[pos["inbound"]])
        col = "created_at"
        created = f.parse_time(row[pos["created_at"]])
        col = "in_response_to_tweet_id"
        parent = f.parse_id(row[pos["in_response_to_tweet_id"]])
    except ValueError as exc:
        return Problem(label, f"line {line}", f"field {col}: {exc}")
    text = f.parse_text(row[pos["text"]])
    return f.Tweet(tweet_id, author, inbound, created, text, parent)


def _index(files: SourceFiles, name: str) -> _Index:
    idx = _Index()
    for _line, tw in _tweets(files, name):
        if isinstance(tw, Problem):
            continue
        idx.tweets[tw.tweet_id] = _Info(tw.author_id, tw.inbound, tw.in_response_to)
        if not tw.inbound:
            idx.brands.setdefault(tw.author_id.lower(), tw.author_id)
    for _line, tw in _tweets(files, name):
        if isinstance(tw, f.Tweet) and not tw.inbound and tw.in_response_to:
            parent = idx.tweets.get(tw.in_response_to)
            if parent is not None and parent.inbound:
                best = idx.first_reply.get(tw.in_response_to)
                if best is None or tw.created_at < best[0]:
                    idx.first_reply[tw.in_response_to] = (tw.created_at, tw.author_id)
    return idx


def attribute(idx: _Index, tw: f.Tweet) -> str | None:
    """Which of our accounts an inbound tweet belongs to (see README.md for the order of the rules)."""
    first = idx.first_reply.get(tw.tweet_id)
    if first is not None:
        return first[1]
    parent = idx.tweets.get(tw.in_response_to) if tw.in_response_to else None
    if parent is not None and not parent.inbound:
        return parent.author
    for handle in f.mentions(tw.text):
        brand = idx.brands.get(handle.lower())
        if brand is not None:
            return brand
    steps = 0
    while parent is not None and steps < _MAX_WALK:
        if not parent.inbound:
            return parent.author
        parent = idx.tweets.get(parent.parent) if parent.parent else None
        steps += 1
    return None


def _customer(handle: str) -> Identity:
    # Customers are anonymised to numeric ids, which stand in for Twitter's user id.
    return Identity(Network.X, handle, handle=handle)


def _read_file(files: SourceFiles, name: str, options: ImportOptions) -> Iterator[Record]:
    label = files.label(name)
    idx = _index(files, name)
    only = options.account.strip().lstrip("@").lower() if options.account else None
    if only is not None and only not in idx.brands:
        raise InvalidInputError(f"{label}: --account {options.account!r} wrote no tweet in this file")
    accounts: dict[str, Account] = {}
    for line, tw in _tweets(files, name):
        if isinstance(tw, Problem):
            yield tw
            continue
        brand = tw.author_id if not tw.inbound else attribute(idx, tw)
        if brand is None:
            yield Problem(
                label,
                f"line {line} (tweet {tw.tweet_id})",
                "cannot tell which brand this inbound tweet was for: no brand answered it, it answers "
                "no brand tweet, mentions no brand, and its thread has none",
            )
            continue
        if only is not None and brand.lower() != only:
            continue
        acc = accounts.get(brand)
        if acc is None:
            acc = accounts[brand] = Account(Network.X, brand)
            yield acc
        parent = idx.tweets.get(tw.in_response_to) if tw.in_response_to else None
        if tw.inbound:
            answers_us = parent is not None and not parent.inbound and parent.author == brand
            yield Interaction(
                acc,
                InteractionKind.REPLY if answers_us else InteractionKind.MENTION,
                Direction.INBOUND,
                tw.created_at,
                identity=_customer(tw.author_id),
                platform_id=tw.tweet_id,
                text=tw.text,
                post_ref=tw.in_response_to if answers_us else None,
                in_reply_to=tw.in_response_to,
            )
            continue
        yield Post(
            acc,
            tw.tweet_id,
            PostKind.REPLY if tw.in_response_to else PostKind.ORIGINAL,
            tw.created_at,
            text=tw.text,
            in_reply_to=tw.in_response_to,
        )
        if tw.in_response_to:
            yield Interaction(
                acc,
                InteractionKind.REPLY,
                Direction.OUTBOUND,
                tw.created_at,
                identity=_addressee(idx, tw, parent),
                platform_id=tw.tweet_id,
                text=tw.text,
                in_reply_to=tw.in_response_to,
            )


def _addressee(idx: _Index, tw: f.Tweet, parent: _Info | None) -> Identity | None:
    """Whom a brand reply answers: the author of the customer tweet it replies to, else the first
    customer it @-mentions."""
    if parent is not None and parent.inbound:
        return _customer(parent.author)
    for handle in f.mentions(tw.text):
        if handle.lower() not in idx.brands:
            return _customer(handle)
    return None


CONNECTOR = TwcsConnector()
