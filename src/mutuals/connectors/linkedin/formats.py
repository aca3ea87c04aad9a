"""The files of a LinkedIn data export and how to read them: text encodings, header rows and date
formats all differ between the years (see README.md).

Columns are looked up by a *key*: the header lower-cased with everything but letters and digits removed,
so ``"Connected On"``, ``"SENDER PROFILE URL"`` and ``"ShareCommentary"`` / ``"Share Commentary"`` all
resolve the same way in every year's export.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import charset_normalizer
from dateutil import parser as dateparser

from mutuals.connectors.files import SourceFiles
from mutuals.errors import ImportFormatError


@dataclass(frozen=True)
class CsvFile:
    names: tuple[str, ...]
    columns: tuple[str, ...]
    """Columns the header row must have (how the header is found below a preamble)."""

    @property
    def required(self) -> frozenset[str]:
        return frozenset(key(c) for c in self.columns)


CONNECTIONS = CsvFile(("Connections.csv",), ("First Name", "Last Name", "Connected On"))
MESSAGES = CsvFile(("messages.csv",), ("From", "To", "Date", "Content"))
INVITATIONS = CsvFile(("Invitations.csv",), ("From", "To", "Sent At", "Direction"))
REACTIONS = CsvFile(("Reactions.csv",), ("Date", "Type", "Link"))
COMMENTS = CsvFile(("Comments.csv",), ("Date", "Link", "Message"))
SHARES = CsvFile(("Shares.csv",), ("Date", "ShareLink"))
PROFILE = CsvFile(("Profile.csv",), ("First Name", "Last Name"))
ALL = (CONNECTIONS, MESSAGES, INVITATIONS, REACTIONS, COMMENTS, SHARES, PROFILE)

ENCODINGS = "UTF-8, UTF-16 with a byte-order mark, Windows-1252 or Latin-1"
_HEADER_SCAN_ROWS = 20


def key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def decode(files: SourceFiles, name: str) -> str:
    """The file's text. LinkedIn has written UTF-8 (with and without BOM), UTF-16LE with BOM (Shares.csv
    in 2018) and, after an Excel round trip, Windows-1252; anything else is refused with the file named."""
    data = files.read_bytes(name)
    label = files.label(name)
    if not data.strip():
        raise ImportFormatError(label, "is empty")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise ImportFormatError(label, f"is not valid {enc} text (byte {exc.start})") from None
            if "\x00" in text:  # UTF-32, whose byte-order mark starts like UTF-16's
                raise ImportFormatError(label, f"is not text in an expected encoding ({ENCODINGS})")
            return text
    if b"\x00" in data:
        # UTF-16/32 without a byte-order mark, or not text at all.
        raise ImportFormatError(label, f"is not text in an expected encoding ({ENCODINGS})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1252", "latin_1"]).best()
    if best is None:
        raise ImportFormatError(label, f"is not text in an expected encoding ({ENCODINGS})")
    return str(best)


@dataclass(frozen=True)
class Row:
    number: int
    """Line number of the row's first line in the file (1-based), for problem reports."""
    values: dict[str, str]

    def get(self, *keys: str) -> str:
        for k in keys:
            v = self.values.get(k)
            if v:
                return v.strip()
        return ""


def rows(files: SourceFiles, name: str, spec: CsvFile) -> Iterator[Row | str]:
    """The data rows of a LinkedIn CSV, below its header row (newer exports put a "Notes:" preamble
    above it). A row of the wrong width comes out as a message string instead, for a Problem."""
    text = decode(files, name)
    delimiter, header, body, header_line = _find_header(files.label(name), text, spec)
    keys = [key(h) for h in header]
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    try:
        done = 0
        for cells in reader:
            line, done = header_line + done + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(keys):
                yield f"line {line}: {len(cells)} columns, expected {len(keys)}"
                continue
            yield Row(line, dict(zip(keys, cells, strict=True)))
    except csv.Error as exc:
        raise ImportFormatError(files.label(name), f"is not a readable CSV file ({exc})") from None


def _find_header(label: str, text: str, spec: CsvFile) -> tuple[str, list[str], str, int]:
    """(delimiter, header cells, the text below the header, the header's line number)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines[:_HEADER_SCAN_ROWS]):
        for delimiter in ("\t", ",", ";"):
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            if spec.required <= {key(c) for c in cells}:
                return delimiter, cells, "".join(lines[i + 1 :]), i + 1
    wanted = ", ".join(spec.columns)
    raise ImportFormatError(label, f"has no header row with the columns LinkedIn writes ({wanted})")


def parse_date(value: str) -> datetime:
    """A LinkedIn date in any of the formats seen across the years ("04 Nov 2018", "11/4/18, 10:07 AM",
    "2018-11-04 10:07:13 UTC", "2017/06/08 08:15:44 UTC", "Sun Nov 04 10:07:13 UTC 2018", Excel's
    "4-Nov-18"). Month-first where ambiguous, as LinkedIn writes them; times without a zone are taken as
    UTC. Raises ValueError."""
    if not value.strip():
        raise ValueError("the date is empty")
    try:
        parsed = dateparser.parse(value.strip(), dayfirst=False)
    except (dateparser.ParserError, OverflowError) as exc:
        raise ValueError(f"{value!r} is not a date") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
