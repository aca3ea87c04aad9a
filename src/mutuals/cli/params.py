"""Parsing option values shared by several commands."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mutuals.errors import InvalidInputError


def parse_when(value: str | None, option: str) -> datetime | None:
    """A date (``YYYY-MM-DD``, midnight UTC) or an ISO time (UTC unless it says otherwise)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise InvalidInputError(
                f"{option} {value!r} is not a date (use YYYY-MM-DD or an ISO time)"
            ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
