"""Checks the import tests of several connectors share: run an import as JSON, and assert that a bad
input fails cleanly (one line naming the file, exit code 1, the database exactly as before)."""

from __future__ import annotations

import json
from typing import Any


def run_json(cli: Any, *args: str) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def status(cli: Any) -> dict[str, Any]:
    return run_json(cli, "status")


def imports(cli: Any) -> list[dict[str, Any]]:
    return run_json(cli, "imports")  # type: ignore[return-value]


def assert_fails_cleanly(cli: Any, *args: str, names: str) -> str:
    """Import with ``args`` must fail: exit 1, one line on stderr naming ``names``, nothing written."""
    before, runs = status(cli), imports(cli)
    res = cli("import", *args)
    assert res.code == 1, (res.out, res.err)
    lines = res.err.strip().splitlines()
    assert len(lines) == 1, res.err
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    assert names in lines[0], lines[0]
    assert status(cli) == before
    assert imports(cli) == runs
    return lines[0]
