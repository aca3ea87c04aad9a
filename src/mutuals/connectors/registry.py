"""The connectors ``mutuals import`` knows: built-in ones and those installed as plugins."""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points
from typing import cast

from mutuals.connectors.base import Connector
from mutuals.connectors.files import SourceFiles
from mutuals.errors import ImportFormatError, InvalidInputError

# Order matters for detection: the more specific formats first.
BUILTIN: tuple[str, ...] = (
    "mutuals.connectors.mastodon_archive.connector",
    "mutuals.connectors.mastodon_csv.connector",
    "mutuals.connectors.bluesky_car.connector",
    "mutuals.connectors.x_archive.connector",
    "mutuals.connectors.instagram.connector",
    "mutuals.connectors.facebook.connector",
    "mutuals.connectors.linkedin.connector",
    "mutuals.connectors.twcs.connector",
    "mutuals.connectors.generic_csv.connector",
)


@functools.cache
def connectors() -> dict[str, Connector]:
    found: dict[str, Connector] = {}
    for module_name in BUILTIN:
        module = importlib.import_module(module_name)
        conn = cast(Connector, module.CONNECTOR)
        found[conn.kind] = conn
    for ep in entry_points(group="mutuals.connectors"):
        conn = cast(Connector, ep.load())
        found.setdefault(conn.kind, conn)
    return found


def kinds() -> list[str]:
    return list(connectors())


def get(kind: str) -> Connector:
    try:
        return connectors()[kind]
    except KeyError:
        raise InvalidInputError(
            f"unknown source kind {kind!r}; supported: {', '.join(kinds()) or 'none'}"
        ) from None


def detect(files: SourceFiles) -> Connector:
    for conn in connectors().values():
        if conn.detect(files):
            return conn
    raise ImportFormatError(
        str(files.path),
        "cannot tell what kind of export this is; name it with --source, one of: " + ", ".join(kinds()),
    )
