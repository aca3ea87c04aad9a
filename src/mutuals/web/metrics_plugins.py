"""Dashboard metrics computed by other capabilities, registered only when that capability is installed.

Each function here imports its capability lazily and registers a :class:`~mutuals.web.dashboard.Metric`;
``install()`` (called by create_app) runs those whose module is present. Nothing is shown for a
capability that is not there.
"""

from __future__ import annotations

import importlib.util
import statistics
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mutuals.web.dashboard import WINDOW_DAYS, Metric, register_metric


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def _window(rows: list[Any], end: datetime) -> list[Any]:
    start = end - timedelta(days=WINDOW_DAYS)
    return [r for r in rows if r.occurred_at is not None and start < r.occurred_at <= end]


_last: dict[str, Any] = {}


def _first_responses(conn: Connection, end: datetime) -> list[Any]:
    """The inbox's first responses in the window; both inbox metrics of one dashboard pass share them."""
    from mutuals.analytics.inbox.metrics import first_responses

    key = (id(conn), end)
    if _last.get("key") != key:
        _last.clear()
        _last.update(key=key, rows=_window(first_responses(conn), end))
    rows: list[Any] = _last["rows"]
    return rows


def _response_rate(conn: Connection, end: datetime) -> float | None:
    rows = _first_responses(conn, end)
    if not rows:
        return None
    return 100.0 * sum(1 for r in rows if r.first_at is not None) / len(rows)


def _first_response_minutes(conn: Connection, end: datetime) -> float | None:
    waits = [
        (r.first_at - r.occurred_at).total_seconds() / 60
        for r in _first_responses(conn, end)
        if r.first_at is not None
    ]
    return statistics.median(waits) if waits else None


def _inbox() -> None:
    register_metric(
        Metric(
            "first_response_minutes",
            "First response, median (30 days)",
            "min",
            False,
            _first_response_minutes,
            "Median wait, in minutes, between a message to us and our first answer (clock time).",
        )
    )
    register_metric(
        Metric(
            "response_rate",
            "Response rate (30 days)",
            "%",
            True,
            _response_rate,
            "Share of replies, mentions, comments and messages to us that got an answer.",
        )
    )


PLUGINS = {"mutuals.analytics.inbox.metrics": _inbox}


def install() -> None:
    for module, register in PLUGINS.items():
        if _present(module):
            try:
                register()
            except ImportError:
                continue
