"""Identity resolution on the real exports in ../shared/data, imported together."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mutuals.analytics.people import resolution
from mutuals.connectors.base import ImportOptions
from mutuals.errors import MutualsError
from mutuals.ingest import run_import
from mutuals.storage import tables as t
from mutuals.storage.db import transaction

pytestmark = pytest.mark.realdata

EXPORTS = [
    ("twitter_archives/2022-11-23_eroija", None),
    ("mastodon/archive_2024-07_dealingwith", None),
    ("linkedin/export_2018-11-04_abhishekwebcode", None),
    ("instagram/export_2025-12-10_robertoclase", "robertoclase"),
    ("facebook/export_2026-03_tieubachlongblog", None),
]


def test_real_exports_imported_together_produce_merge_suggestions(shared_data: Path, engine: Engine) -> None:
    imported = []
    for rel, account in EXPORTS:
        path = shared_data / rel
        if not path.exists():
            continue
        try:
            run_import(path, ImportOptions(account=account), engine=engine)
        except MutualsError as exc:  # that connector is not there (yet) or cannot read this export
            print(f"skipped {rel}: {exc}")
            continue
        imported.append(rel)
    if len(imported) < 3:
        pytest.skip(f"only {len(imported)} of the real exports could be imported: {imported}")
    with transaction(engine) as conn:
        found = resolution.suggestions(conn)
        ic = t.identities.c
        rows = conn.execute(select(ic.id, ic.network, ic.handle, ic.person_id)).all()
    assert found, "no merge suggestion on the real exports"
    assert all(s.evidence and 0 < s.confidence <= 1 for s in found)
    suggested = {(s.person_a, s.person_b) for s in found}
    # Independently of the SQL: people on Mastodon with the same user name on different servers.
    by_user: dict[str, set[int]] = defaultdict(set)
    for _id, network, handle, person in rows:
        if network == "mastodon" and handle and "@" in handle:
            user = handle.lstrip("@").split("@")[0].lower().replace("_", "").replace(".", "").replace("-", "")
            if len(user) >= 4:
                by_user[user].add(person)
    expected = {
        (a, b)
        for persons in by_user.values()
        if 1 < len(persons) <= resolution.BLOCK_MAX
        for a in persons
        for b in persons
        if a < b
    }
    assert expected, "the Mastodon archive has people with the same name on several servers"
    assert expected <= suggested
