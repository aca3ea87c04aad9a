"""The real 2018 LinkedIn export (../shared/data/linkedin) imports, with counts checked against the raw
CSV files (read here with the csv module, without the importer)."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mutuals.storage import tables as t
from tests.connectors.import_checks import run_json, status

pytestmark = pytest.mark.realdata


@pytest.fixture
def export(shared_data: Path) -> Path:
    return shared_data / "linkedin" / "export_2018-11-04_abhishekwebcode"


def _csv(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding)), delimiter=delimiter))


def test_the_real_export_imports_with_counts_matching_the_raw_files(cli: Any, export: Path) -> None:
    connections = _csv(export / "Connections.csv")
    messages = _csv(export / "Messages.csv")
    invitations = _csv(export / "Invitations.csv")
    shares = _csv(export / "Shares.csv", encoding="utf-16", delimiter="\t")  # UTF-16LE with BOM, TABs
    norm = lambda name: " ".join(name.lower().split())  # noqa: E731
    me = norm(next(r["From"] for r in messages if r["Direction"] == "OUTGOING"))
    people = {norm(f"{r['First Name']} {r['Last Name']}") for r in connections}
    people |= {norm(r[k]) for r in messages + invitations for k in ("From", "To")}
    report = run_json(cli, "import", str(export))
    assert report["source"] == "linkedin"
    assert report["status"] == "ok", report["problems"]
    assert report["counts"] == {
        "posts": len(shares),
        "interactions": len(messages) + len(invitations),
        "identities": len(people - {me}),
        "follow_edges": len(connections),
        "skipped": 0,
    }
    data = status(cli)
    assert data["follow_edges"]["friends"] == len(
        {" ".join(f"{r['First Name']} {r['Last Name']}".lower().split()) for r in connections}
    )
    assert data["posts"] == len(shares)
    assert data["interactions"]["by_kind"] == {"dm": len(messages), "invitation": len(invitations)}


def test_our_account_is_the_sender_of_the_outgoing_messages(cli: Any, engine: Engine, export: Path) -> None:
    messages = _csv(export / "Messages.csv")
    me = Counter(r["From"] for r in messages if r["Direction"] == "OUTGOING").most_common(1)[0][0]
    run_json(cli, "import", str(export))
    x = t.interactions.c
    with engine.connect() as conn:
        assert list(conn.execute(select(t.accounts.c.handle)).scalars()) == [me]
        directions = Counter(conn.execute(select(x.direction).where(x.kind == "dm")).scalars())
    assert directions == Counter(
        {
            "outbound": sum(r["Direction"] == "OUTGOING" for r in messages),
            "inbound": sum(r["Direction"] == "INCOMING" for r in messages),
        }
    )


def test_connections_keep_their_date_and_email(cli: Any, engine: Engine, export: Path) -> None:
    connections = _csv(export / "Connections.csv")
    run_json(cli, "import", str(export))
    e, i = t.follow_edges.c, t.identities.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.display_name, i.profile, e.followed_at).join(t.follow_edges, e.identity_id == i.id)
        ).all()
    got = {r.display_name: (r.profile.get("email"), r.followed_at) for r in rows}
    for raw in connections:
        name = " ".join(f"{raw['First Name']} {raw['Last Name']}".split())
        # 2018 format: "1/8/18, 6:14 PM" (month first, 12-hour clock)
        when = datetime.strptime(raw["Connected On"], "%m/%d/%y, %I:%M %p").replace(tzinfo=UTC)
        assert got[name] == ((raw["Email Address"] or None), when), name


def test_reimporting_the_export_changes_nothing(cli: Any, export: Path) -> None:
    run_json(cli, "import", str(export))
    first = status(cli)
    again = run_json(cli, "import", str(export))
    assert all(v == 0 for v in again["added"].values())
    assert status(cli) == first


def test_the_zip_imports_exactly_like_the_folder(cli: Any, export: Path, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "Basic_LinkedInDataExport"), "zip", export))
    from_folder = run_json(cli, "import", str(export))
    first = status(cli)
    from_zip = run_json(cli, "import", str(archive))
    assert from_zip["source"] == "linkedin"
    assert from_zip["counts"] == from_folder["counts"]
    assert all(v == 0 for v in from_zip["added"].values())
    assert status(cli) == first
