"""What Meta's "Download your information" JSON exports (Facebook and Instagram) have in common.

Meta writes every non-ASCII string as its UTF-8 *bytes*, each escaped as ``\\u00XX``, so after
``json.loads`` the text reads ``"Ã©"`` where it should read ``"é"``. :func:`repair_text` undoes that.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from mutuals.connectors.files import SourceFiles
from mutuals.errors import ImportFormatError


def repair_text(value: str) -> str:
    """Undo Meta's mojibake: re-encode as latin-1 and decode as UTF-8, only where that round trip is
    valid (plain ASCII and text that was never garbled come back unchanged)."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def repair(value: Any) -> Any:
    """:func:`repair_text` applied to every string (keys included) of a parsed JSON document."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [repair(v) for v in value]
    if isinstance(value, dict):
        return {repair_text(k): repair(v) for k, v in value.items()}
    return value


def load_json(files: SourceFiles, name: str) -> Any:
    """The file parsed as JSON and repaired; a one-line error naming the file when it is not JSON."""
    data = files.read_bytes(name)
    if not data.strip():
        raise ImportFormatError(files.label(name), "is empty")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(files.label(name), f"is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            files.label(name), f"is not valid JSON ({exc.msg}, line {exc.lineno}) — truncated?"
        ) from None
    return repair(parsed)


def from_unix(value: object) -> datetime | None:
    """Unix seconds (or milliseconds, told apart by size) as an aware UTC time; None when absent."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    seconds = value / 1000 if value > 10**11 else value
    return datetime.fromtimestamp(seconds, UTC)


def name_id(name: str) -> str:
    """The identity id of somebody an export names only by display name: ``"@"`` + the name,
    NFC-normalised, lower-cased, with runs of spaces collapsed."""
    return "@" + normalize_name(name)


def normalize_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def owner_from_threads(threads: Iterable[tuple[list[str], list[str]]]) -> str | None:
    """The export owner in a set of message threads (participants, senders): the name present in the
    most threads, ties broken by the most messages sent. Empty names (deleted accounts) never count."""
    in_threads: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    for participants, senders in threads:
        in_threads.update({p for p in participants if p.strip()})
        sent.update(s for s in senders if s.strip())
    if not in_threads:
        return None
    return max(in_threads, key=lambda n: (in_threads[n], sent[n], n))


def validation_message(exc: Exception) -> str:
    """A pydantic ValidationError (or any error) as one short line."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            loc = ".".join(str(p) for p in first.get("loc", ())) or "item"
            return f"{loc}: {first.get('msg', 'invalid')}"
        except (IndexError, TypeError, AttributeError):
            pass
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def list_under(files: SourceFiles, name: str, data: Any, keys: tuple[str, ...]) -> list[Any]:
    """The list a Meta export file holds under the first of ``keys`` it has (or the document itself,
    when it is a list); a one-line error naming the file when it has none of them."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            value = data.get(key)
            if isinstance(value, list):
                return value
    raise ImportFormatError(
        files.label(name), f"is not a file of this export (expected a list under {' or '.join(keys)})"
    )
