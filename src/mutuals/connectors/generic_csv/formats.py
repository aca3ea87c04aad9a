"""The documented schema of a generic interactions file (CSV or JSONL); see README.md."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mutuals.domain import Direction, InteractionKind, Network

REQUIRED = ("network", "kind", "direction", "occurred_at")
OPTIONAL = (
    "account",
    "platform_id",
    "identity_id",
    "handle",
    "display_name",
    "followers_count",
    "text",
    "is_public",
    "post_ref",
    "in_reply_to",
    "thread_ref",
    "target_ref",
)
COLUMNS = REQUIRED + OPTIONAL
#: What detection looks for in a header (``account`` may come from ``--account`` instead).
SIGNATURE = frozenset({"network", "kind", "direction"})

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}
PRIVATE_KINDS = frozenset({InteractionKind.DM, InteractionKind.EMAIL, InteractionKind.CALL})


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"field {field}: {message}")


def text_of(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = str(value).strip() if not isinstance(value, str) else value.strip()
    return value or None


def enum_of(row: dict[str, Any], name: str, enum: type[Network | InteractionKind | Direction]) -> Any:
    value = (text_of(row, name) or "").lower()
    if not value:
        raise FieldError(name, "is empty")
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise FieldError(name, f"{value!r} is not one of {allowed}") from None


def time_of(row: dict[str, Any], name: str) -> datetime | None:
    value = text_of(row, name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(name, f"{value!r} is not an ISO 8601 time (2024-05-01T09:30:00Z)") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def bool_of(row: dict[str, Any], name: str) -> bool | None:
    value = row.get(name)
    if isinstance(value, bool):
        return value
    low = (text_of(row, name) or "").lower()
    if not low:
        return None
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise FieldError(name, f"{low!r} is not true or false")


def int_of(row: dict[str, Any], name: str) -> int | None:
    value = text_of(row, name)
    if value is None:
        return None
    try:
        number = int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise FieldError(name, f"{value!r} is not a whole number") from None
    if number < 0:
        raise FieldError(name, f"{value!r} is negative")
    return number
