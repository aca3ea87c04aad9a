"""Uploading exports: a good one shows its report; a bad one shows the importer's one-line error and
changes nothing (database, import list, uploads folder)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mutuals.config import configure, get_settings
from mutuals.storage.db import get_engine, reset_engines, transaction
from mutuals.storage.queries import list_imports, workspace_status
from mutuals.web.auth import create_token
from tests.web.conftest import webtest_csv

Clients = Callable[[str | None], TestClient]

ROWS = [
    ("ana_inv", "Ana Invented", "2026-03-01T10:00:00", "Hello, love the beans"),
    ("bo_inv", "Bo Invented", "2026-03-02T11:00:00", "Where is my order?"),
    ("ana_inv", "Ana Invented", "2026-03-03T12:00:00", "Thanks!"),
    ("cy_inv", "Cy Invented", "2026-03-04T13:00:00", "Shipping delay again"),
]


def _state() -> dict[str, Any]:
    with get_engine().connect() as conn:
        return {"status": workspace_status(conn), "imports": list_imports(conn)}


def _uploads() -> list[Path]:
    folder = get_settings().home / "uploads"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _upload(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    return client.post(
        "/imports",
        files={"file": (name, data, "application/octet-stream")},
        data={"csrf_token": client.headers["x-csrf-token"], **fields},
    )


def _count_rows(data: bytes) -> tuple[int, int, int]:
    """Independent count of the fixture: (good rows, distinct handles, bad rows)."""
    rows = list(csv.reader(io.StringIO(data.decode())))[1:]
    good = [r for r in rows if len(r) == 5]
    return len(good), len({r[1] for r in good}), len(rows) - len(good)


def _cell(html: str, label: str) -> list[str]:
    found = re.search(rf"<td>{label}</td><td class=\"r\">([^<]*)</td><td class=\"r\">([^<]*)</td>", html)
    assert found, label
    return [found.group(1), found.group(2)]


def test_uploading_an_export_shows_its_report_and_lists_the_run(client_for: Clients) -> None:
    client = client_for("manager")
    data = webtest_csv(ROWS)
    n_rows, n_people, _ = _count_rows(data)
    res = _upload(client, "mentions.csv", data)
    assert res.status_code == 200, res.text
    assert 'aria-label="Import report"' in res.text
    assert _cell(res.text, "interactions") == [str(n_rows), str(n_rows)]
    assert _cell(res.text, "identities") == [str(n_people), str(n_people)]
    state = _state()
    assert state["status"]["interactions"]["total"] == n_rows
    assert state["status"]["people"] == n_people
    [run] = state["imports"]
    assert run["source"] == "webtest" and run["status"] == "ok"
    page = client.get(f"/imports/{run['id']}")
    assert page.status_code == 200 and _cell(page.text, "interactions") == [str(n_rows), str(n_rows)]
    assert [p.name for p in _uploads()] == ["mentions.csv"]


def test_uploading_the_same_export_twice_adds_nothing(client_for: Clients) -> None:
    client = client_for("admin")
    data = webtest_csv(ROWS)
    assert _upload(client, "mentions.csv", data).status_code == 200
    before = _state()
    res = _upload(client, "mentions.csv", data)
    assert res.status_code == 200
    assert "nothing new" in res.text
    assert _state() == before
    assert len(_uploads()) == 1


def test_an_export_with_bad_rows_is_partial_and_lists_them(client_for: Clients) -> None:
    data = webtest_csv(ROWS, bad_lines=2)
    n_rows, _, n_bad = _count_rows(data)
    res = _upload(client_for("manager"), "mentions.csv", data)
    assert res.status_code == 200
    assert "partial" in res.text
    assert res.text.count("expected 5 columns") == n_bad
    assert _state()["status"]["interactions"]["total"] == n_rows


def _truncated_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mentions.csv", webtest_csv(ROWS * 50))
    whole = buf.getvalue()
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"just some notes, not an export\n", "cannot tell what kind of export this is"),
        ("empty.zip", b"", "is empty"),
        ("export.zip", _truncated_zip(), "cannot tell what kind of export this is"),
        ("mentions.csv", b"webtest-export,handle,name,when,text\nonly,two\n", "no record could be imported"),
    ],
)
def test_a_bad_upload_shows_the_one_line_error_and_changes_nothing(
    client_for: Clients, name: str, data: bytes, message: str
) -> None:
    client = client_for("manager")
    assert _upload(client, "good.csv", webtest_csv(ROWS[:1])).status_code == 200
    before, files_before = _state(), _uploads()
    res = _upload(client, name, data, account="typed_handle")
    assert res.status_code == 400
    error = re.search(r'<p class="error" role="alert">([^<]*)</p>', res.text)
    assert error and message in error.group(1) and "\n" not in error.group(1)
    assert "Traceback" not in res.text
    assert 'value="typed_handle"' in res.text, "the form keeps what was typed"
    assert _state() == before
    assert _uploads() == files_before


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client_for: Clients) -> None:
    client = client_for("manager")
    configure(
        database_url=str(get_engine().url.render_as_string(hide_password=False)),
        home=get_settings().home,
        upload_max_mb=1,
    )
    reset_engines()
    before = _state()
    res = _upload(client, "big.csv", webtest_csv(ROWS) + b"x" * (2 * 1024 * 1024))
    assert res.status_code == 413
    assert "larger than the upload limit of 1 MiB (MUTUALS_UPLOAD_MAX_MB)" in res.text
    assert _state() == before and _uploads() == []


def test_an_agent_or_viewer_cannot_upload_and_sees_no_upload_form(client_for: Clients) -> None:
    for role in ("agent", "viewer"):
        client = client_for(role)
        assert 'action="/imports"' not in client.get("/imports").text
        assert _upload(client, "mentions.csv", webtest_csv(ROWS)).status_code == 403
    assert _state()["imports"] == []


def test_a_script_uploads_with_its_api_token_and_gets_the_json_report(client_for: Clients) -> None:
    with transaction() as conn:
        token = create_token(conn, "manager")
    data = webtest_csv(ROWS)
    n_rows, n_people, _ = _count_rows(data)
    res = client_for(None).post(
        "/api/imports",
        files={"file": ("mentions.csv", data, "text/csv")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert res.status_code == 200, res.text
    report = res.json()
    assert report["counts"]["interactions"] == n_rows and report["counts"]["identities"] == n_people
    bad = client_for(None).post(
        "/api/imports",
        files={"file": ("x.txt", b"nope", "text/plain")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bad.status_code == 400 and "cannot tell what kind of export" in bad.json()["error"]
