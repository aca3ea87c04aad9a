"""Process-wide CLI state set by the global options (the CLI is one process per command)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CliState:
    debug: bool = False


STATE = CliState()
