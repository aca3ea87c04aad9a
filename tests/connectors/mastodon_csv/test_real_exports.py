"""Four real successive following_accounts.csv exports of one account: importing them in any order gives
exactly the follows and unfollows a set difference of the raw files gives (computed here from the CSVs)."""

from __future__ import annotations

import csv
import itertools
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.connectors.base import ImportOptions
from mutuals.ingest import run_import
from mutuals.storage import tables as t

FOLDER = "mastodon/csv_following_todb"
ACCOUNT = "dealingwith@indieweb.social"  # any address: the export does not say whose it is


@pytest.fixture
def exports(shared_data: Path) -> list[Path]:
    files = sorted((shared_data / FOLDER).glob("following_accounts_*.csv"))
    assert len(files) == 4
    return files


def _date(path: Path) -> datetime:
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    assert m
    return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)


def _addresses(path: Path) -> set[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["Account address"].lower() for row in csv.DictReader(fh)}


def _expected(exports: list[Path]) -> dict[str, Any]:
    by_date: dict[datetime, set[str]] = {}
    for p in exports:
        members = _addresses(p)
        # two exports were taken on the same day; they must hold the same list to be one snapshot
        assert by_date.setdefault(_date(p), members) == members
    dates = sorted(by_date)
    changes = []
    for before, after in itertools.pairwise(dates):
        changes.append(
            {
                "after": before,
                "at": after,
                "gained": by_date[after] - by_date[before],
                "lost": by_date[before] - by_date[after],
            }
        )
    return {"dates": dates, "changes": changes, "current": by_date[dates[-1]], "first": by_date[dates[0]]}


def _edges(engine: Engine) -> list[tuple[Any, ...]]:
    e, i = t.follow_edges.c, t.identities.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.handle, e.valid_from_after, e.valid_from, e.valid_to_after, e.valid_to)
            .select_from(t.follow_edges.join(t.identities, e.identity_id == i.id))
            .where(e.direction == "following")
        ).all()
    return sorted(tuple(r) for r in rows)


def _check(engine: Engine, exp: dict[str, Any]) -> None:
    edges = _edges(engine)
    for ch in exp["changes"]:
        gained = {h for h, vfa, vf, _, _ in edges if vfa == ch["after"] and vf == ch["at"]}
        lost = {h for h, _, _, vta, vt in edges if vta == ch["after"] and vt == ch["at"]}
        assert gained == ch["gained"], ch["at"]
        assert lost == ch["lost"], ch["at"]
    assert {h for h, *_, vt in edges if vt is None} == exp["current"]
    baseline = {h for h, vfa, vf, *_ in edges if vfa is None and vf == exp["dates"][0]}
    assert baseline == exp["first"]
    gains = sum(len(c["gained"]) for c in exp["changes"])
    assert len(edges) == len(exp["first"]) + gains, "one run per uninterrupted follow"


def _import(engine: Engine, path: Path) -> Any:
    return run_import(path, ImportOptions(account=ACCOUNT), engine=engine)


def test_exports_imported_in_date_order_give_the_set_differences(engine: Engine, exports: list[Path]) -> None:
    exp = _expected(exports)
    reports = [_import(engine, p) for p in exports]
    assert all(r.status == "ok" for r in reports)
    for r, p in zip(reports, exports, strict=True):
        assert r.counts["follow_edges"] == len(_addresses(p))
    _check(engine, exp)
    # the reports of later exports say what changed since the one before
    newest = {
        r.snapshots[0]["taken_at"]: r.snapshots[0] for r in reports if not r.snapshots[0]["already_known"]
    }
    for ch in exp["changes"]:
        snap = newest[ch["at"].isoformat()]
        assert (snap["gained"], snap["lost"]) == (len(ch["gained"]), len(ch["lost"]))


def test_exports_imported_in_reverse_order_give_the_same_history(engine: Engine, exports: list[Path]) -> None:
    exp = _expected(exports)
    for p in reversed(exports):
        assert _import(engine, p).status == "ok"
    _check(engine, exp)


def test_a_second_export_of_the_same_day_with_the_same_list_changes_nothing(
    engine: Engine, exports: list[Path]
) -> None:
    same_day = [p for p in exports if _date(p) == _date(exports[0])]
    assert len(same_day) == 2
    _import(engine, same_day[0])
    before = _edges(engine)
    second = _import(engine, same_day[1])
    assert second.snapshots[0]["already_known"] is True
    assert second.run_id is None
    assert _edges(engine) == before


def test_the_date_in_the_file_name_is_used_and_said(cli: Any, exports: list[Path]) -> None:
    res = cli("import", str(exports[-1]), "--account", ACCOUNT, "--json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    assert out["snapshots"][0]["taken_at"] == _date(exports[-1]).isoformat()
    assert any("file name" in n for n in out["notes"])


def test_importing_the_folder_imports_each_export_as_its_own_snapshot(
    engine: Engine, shared_data: Path, exports: list[Path]
) -> None:
    report = run_import(shared_data / FOLDER, ImportOptions(account=ACCOUNT), engine=engine)
    assert report.source == "mastodon-csv"
    assert len(report.snapshots) == 4
    _check(engine, _expected(exports))
