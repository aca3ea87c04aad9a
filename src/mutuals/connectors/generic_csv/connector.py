"""A generic CSV or JSONL file of interactions in the documented schema (formats.py, README.md)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from mutuals.connectors.base import ImportOptions
from mutuals.connectors.files import SourceFiles
from mutuals.connectors.generic_csv import formats as f
from mutuals.domain import (
    Account,
    Direction,
    Identity,
    Interaction,
    InteractionKind,
    Network,
    Problem,
    Record,
)
from mutuals.errors import ImportFormatError

_JSONL = ("*.jsonl", "*.ndjson")


class GenericCsvConnector:
    kind = "csv"
    title = "Generic CSV / JSONL of interactions"

    def detect(self, files: SourceFiles) -> bool:
        return bool(_files(files))

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        names = _files(files)
        if not names:
            where = files.label(files.names()[0]) if files.kind == "file" else str(files.path)
            raise ImportFormatError(
                where,
                "is not an interactions CSV/JSONL (it needs the columns " + ", ".join(f.REQUIRED) + ")",
            )
        for name in names:
            rows = _jsonl_rows(files, name) if _is_jsonl(name) else _csv_rows(files, name)
            for line, row in rows:
                yield from _record(files.label(name), line, row, options)


def _is_jsonl(name: str) -> bool:
    return name.lower().endswith((".jsonl", ".ndjson"))


def _files(files: SourceFiles) -> list[str]:
    out = []
    for name in files.find("*.csv", *_JSONL):
        head = files.head(name, 4096).decode("utf-8-sig", "replace")
        first = head.splitlines()[0] if head.strip() else ""
        if _is_jsonl(name):
            try:
                keys = set(json.loads(first)) if first.lstrip().startswith("{") else set()
            except (json.JSONDecodeError, TypeError):
                keys = set()
        else:
            keys = {c.strip().lower() for c in first.split(",")}
        if keys >= f.SIGNATURE:
            out.append(name)
    return out


def _csv_rows(files: SourceFiles, name: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.reader(files.text_stream(name))
    header = next(reader, None)
    if header is None:
        raise ImportFormatError(files.label(name), "is empty")
    cols = [c.strip().lower() for c in header]
    missing = [c for c in f.REQUIRED if c not in cols]
    if missing:
        raise ImportFormatError(files.label(name), "has no column " + ", ".join(missing))
    for row in reader:
        if not row:
            continue
        if len(row) != len(cols):
            yield reader.line_num, f"has {len(row)} fields, expected {len(cols)}"
            continue
        yield reader.line_num, dict(zip(cols, row, strict=True))


def _jsonl_rows(files: SourceFiles, name: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for line, raw in enumerate(files.text_stream(name), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, f"is not JSON ({exc.msg})"
            continue
        if not isinstance(obj, dict):
            yield line, "is not a JSON object"
            continue
        yield line, {str(k).lower(): v for k, v in obj.items()}


def _record(label: str, line: int, row: dict[str, Any] | str, options: ImportOptions) -> Iterator[Record]:
    if isinstance(row, str):
        yield Problem(label, f"line {line}", row)
        return
    try:
        network: Network = f.enum_of(row, "network", Network)
        handle = options.account or f.text_of(row, "account")
        if not handle:
            raise f.FieldError("account", "is empty (or name our account with --account)")
        account = Account(network, handle.lstrip("@"))
        kind: InteractionKind = f.enum_of(row, "kind", InteractionKind)
        direction: Direction = f.enum_of(row, "direction", Direction)
        occurred = f.time_of(row, "occurred_at")
        public = f.bool_of(row, "is_public")
        followers = f.int_of(row, "followers_count")
    except f.FieldError as exc:
        yield Problem(label, f"line {line}", str(exc))
        return
    yield Interaction(
        account,
        kind,
        direction,
        occurred,
        identity=_identity(row, network, followers),
        platform_id=f.text_of(row, "platform_id"),
        text=f.text_of(row, "text"),
        is_public=public if public is not None else kind not in f.PRIVATE_KINDS,
        post_ref=f.text_of(row, "post_ref"),
        in_reply_to=f.text_of(row, "in_reply_to"),
        thread_ref=f.text_of(row, "thread_ref"),
        target_ref=f.text_of(row, "target_ref"),
    )


def _identity(row: dict[str, Any], network: Network, followers: int | None) -> Identity | None:
    handle = f.text_of(row, "handle")
    handle = handle.lstrip("@") if handle else None
    pid = f.text_of(row, "identity_id") or ("@" + handle.lower() if handle else None)
    if pid is None:
        return None
    profile = {"followers_count": followers} if followers is not None else None
    return Identity(network, pid, handle=handle, display_name=f.text_of(row, "display_name"), profile=profile)


CONNECTOR = GenericCsvConnector()
