"""Printing: JSON for scripts, Rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no Rich markup, no wrapping), one document."""
    print(json.dumps(data, default=_default, ensure_ascii=False))


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    tbl = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        tbl.add_column(col)
    for row in rows:
        tbl.add_row(*("" if v is None else str(v) for v in row))
    console.print(tbl)
