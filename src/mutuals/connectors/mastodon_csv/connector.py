"""Mastodon CSV exports: follows (as a following snapshot), blocks and bookmarks.

See README.md for how to get the files and formats.py for their layouts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.mastodon_archive.formats import address_identity, guess_author, normalize_address
from mutuals.connectors.mastodon_csv import formats as f
from mutuals.domain import (
    Account,
    Direction,
    FollowDirection,
    FollowEntry,
    FollowSnapshot,
    Interaction,
    InteractionKind,
    Network,
    Note,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError, InvalidInputError

SKIPPED = {
    f.FileKind.MUTED: "mutes are not imported",
    f.FileKind.DOMAIN_BLOCKS: "blocked domains are not people and are not imported",
    f.FileKind.LISTS: "list memberships are not imported",
}


class MastodonCsvConnector:
    kind = "mastodon-csv"
    title = "Mastodon CSV exports (follows, blocks, bookmarks)"

    def detect(self, files: SourceFiles) -> bool:
        found = self._files(files)
        if files.kind == "file" and not found:
            return files.head(files.names()[0], 64).lstrip(b"\xef\xbb\xbf").startswith(b"Account address,")
        return bool(found) and len(found) == len(files.find("*.csv"))

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        found = self._files(files)
        if not found and files.kind == "file":
            found = [(files.names()[0], self._kind_from_header(files, files.names()[0]))]
        if not found:
            raise ImportFormatError(
                str(files.path),
                "holds no Mastodon CSV export (following_accounts.csv, blocked_accounts.csv, bookmarks.csv, "
                "muted_accounts.csv, domain_blocks.csv, lists.csv)",
            )
        account = self._account(options)
        following = [name for name, kind in found if kind is f.FileKind.FOLLOWING]
        if options.as_of is not None and len(following) > 1:
            raise InvalidInputError(
                f"--as-of dates one list, but this export holds {len(following)} follows files: import them "
                "one at a time, or keep the export date in each file name"
            )
        yield account
        for name, kind in found:
            label = files.label(name)
            if kind is f.FileKind.FOLLOWING:
                yield from self._following(files, name, account, options)
            elif kind is f.FileKind.BLOCKED:
                yield from self._blocked(label, self._rows(files, name), account)
            elif kind is f.FileKind.BOOKMARKS:
                yield from self._bookmarks(label, self._rows(files, name), account)
            else:
                n = sum(1 for _ in self._rows(files, name))
                yield Note(f"{label}: {SKIPPED[kind]} ({n} lines)")

    # -- which files ---------------------------------------------------------------------------------
    def _files(self, files: SourceFiles) -> list[tuple[str, f.FileKind]]:
        out = []
        for name in files.names():
            kind = f.kind_of(PurePosixPath(name).name)
            if kind is not None:
                out.append((name, kind))
        return out

    def _kind_from_header(self, files: SourceFiles, name: str) -> f.FileKind:
        head = files.head(name, 256).lstrip(b"\xef\xbb\xbf")
        if head.startswith(b"Account address,Hide notifications"):
            return f.FileKind.MUTED
        if head.startswith(b"Account address,"):
            return f.FileKind.FOLLOWING
        raise ImportFormatError(
            files.label(name),
            "is not a Mastodon CSV export (a follows export starts with the header "
            f"'{','.join(f.FOLLOWING_HEADER)}'; other exports are recognised by their file names)",
        )

    def _account(self, options: ImportOptions) -> Account:
        if not options.account:
            raise InvalidInputError(
                "a Mastodon CSV export does not say whose it is: name our account with --account user@host"
            )
        handle = normalize_address(options.account)
        if handle is None:
            raise InvalidInputError(
                f"--account {options.account!r} is not a Mastodon address: use the full user@host"
            )
        return Account(network=Network.MASTODON, handle=handle)

    # -- reading -------------------------------------------------------------------------------------
    def _rows(self, files: SourceFiles, name: str) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) of the non-blank rows; a file that is not UTF-8 CSV is an error."""
        label = files.label(name)
        if files.size(name) == 0:
            raise ImportFormatError(label, "is empty")
        reader = csv.reader(files.text_stream(name, "utf-8-sig"), strict=True)
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row
        except csv.Error as exc:
            raise ImportFormatError(label, f"is not valid CSV (line {reader.line_num}: {exc})") from None

    def _following(
        self, files: SourceFiles, name: str, account: Account, options: ImportOptions
    ) -> Iterator[Record]:
        label = files.label(name)
        rows = self._rows(files, name)
        first = next(rows, None)
        if first is None:
            raise ImportFormatError(label, "holds no rows, not even the header")
        header = first[1][0].strip() == f.FOLLOWING_HEADER[0]
        if not header and normalize_address(first[1][0]) is None:
            raise ImportFormatError(
                label,
                f"is not a Mastodon follows export: it starts with {first[1][0][:40]!r}, not the header "
                f"'{','.join(f.FOLLOWING_HEADER)}' or an account address",
            )
        taken_at, note = self._taken_at(label, name, options)
        if note is not None:
            yield note
        yield FollowSnapshot(account, FollowDirection.FOLLOWING, taken_at)
        if not header:
            yield from self._entries(label, iter([first]), account)
        yield from self._entries(label, rows, account)

    def _taken_at(self, label: str, name: str, options: ImportOptions) -> tuple[datetime, Note | None]:
        if options.as_of is not None:
            return options.as_of, None
        m = f.DATE_IN_NAME.search(PurePosixPath(name).name)
        if m is not None:
            try:
                when = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=UTC)
            except ValueError:
                when = None
            if when is not None:
                return when, Note(
                    f"{label}: the list is dated {when.date().isoformat()}, the date in its file name "
                    "(use --as-of to set another)"
                )
        raise ImportFormatError(
            label,
            "carries no date of its own: say when it was exported with --as-of DATE (or keep the date in "
            "the file name, as in following_accounts_2024-05-01.csv)",
        )

    def _entries(
        self, label: str, rows: Iterator[tuple[int, list[str]]], account: Account
    ) -> Iterator[Record]:
        for line, row in rows:
            addr = normalize_address(row[0])
            if addr is None:
                yield Problem(label, f"line {line}", f"{row[0][:80]!r} is not an account address")
                continue
            yield FollowEntry(account, FollowDirection.FOLLOWING, address_identity(addr))

    def _blocked(
        self, label: str, rows: Iterator[tuple[int, list[str]]], account: Account
    ) -> Iterator[Record]:
        for line, row in rows:
            addr = normalize_address(row[0])
            if addr is None:
                yield Problem(label, f"line {line}", f"{row[0][:80]!r} is not an account address")
                continue
            yield Interaction(
                account=account,
                kind=InteractionKind.BLOCK,
                direction=Direction.OUTBOUND,
                occurred_at=None,  # the export gives no time
                identity=address_identity(addr),
                platform_id="block:@" + addr,
                is_public=False,
            )

    def _bookmarks(
        self, label: str, rows: Iterator[tuple[int, list[str]]], account: Account
    ) -> Iterator[Record]:
        for line, row in rows:
            url = row[0].strip()
            if not url.startswith(("https://", "http://")):
                yield Problem(label, f"line {line}", f"{url[:80]!r} is not a status URL")
                continue
            author = guess_author(url)
            ours = author is not None and author.handle == account.handle
            yield Interaction(
                account=account,
                kind=InteractionKind.BOOKMARK,
                direction=Direction.OUTBOUND,
                occurred_at=None,
                identity=None if ours else author,
                platform_id=url,  # the same key as a bookmark from the archive: imported once
                is_public=False,
                post_ref=url if ours else None,
                target_ref=None if ours else url,
            )


CONNECTOR = MastodonCsvConnector()
