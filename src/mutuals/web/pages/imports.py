"""Imports: upload an export and see its run report; the list of past runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mutuals.connectors import registry
from mutuals.connectors.base import ImportOptions
from mutuals.errors import InvalidInputError, MutualsError
from mutuals.storage.db import get_engine
from mutuals.storage.queries import list_imports
from mutuals.web.auth import User
from mutuals.web.deps import Permission, RowId, check_csrf
from mutuals.web.templating import NavItem, render
from mutuals.web.uploads import get_import, import_upload, max_upload_bytes, too_large

router = APIRouter(include_in_schema=False)
NAV = NavItem("Imports", "/imports", "view", 80)


def parse_options(source: str, account: str, as_of: str) -> ImportOptions:
    source, account, as_of = source.strip(), account.strip(), as_of.strip()
    if source:
        registry.get(source)
    when = None
    if as_of:
        try:
            when = datetime.combine(date.fromisoformat(as_of), datetime.min.time(), tzinfo=UTC)
        except ValueError:
            raise InvalidInputError(f"“as of” {as_of!r} is not a date (use YYYY-MM-DD)") from None
    return ImportOptions(source=source or None, account=account or None, as_of=when)


def _page(request: Request, status_code: int = 200, **ctx: Any) -> Response:
    with get_engine().connect() as conn:
        runs = list_imports(conn, 50)
    base = {
        "runs": runs,
        "kinds": registry.kinds(),
        "form": {"source": "", "account": "", "as_of": ""},
        "error": None,
        "report": None,
        "limit_mb": max_upload_bytes() // (1024 * 1024),
    }
    return render(request, "imports.html", {**base, **ctx}, status_code=status_code)


@router.get("/imports")
def imports_page(request: Request, user: User = Depends(Permission("view"))) -> Response:
    return _page(request)


@router.post("/imports")
async def upload(request: Request, user: User = Depends(Permission("import", csrf=False))) -> Response:
    # The size is checked before the body is read; the CSRF token (a form field) after.
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_upload_bytes() + 64 * 1024:
        return _page(request, 413, error=str(too_large("the upload")))
    form = await request.form(max_files=1, max_fields=10)
    check_csrf(request, form)
    values = {k: str(form.get(k) or "") for k in ("source", "account", "as_of")}
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise InvalidInputError("choose an export file to upload")
        options = parse_options(**values)
        report = await run_in_threadpool(import_upload, file.file, file.filename, options)
    except MutualsError as exc:
        return _page(request, 400, error=str(exc), form=values)
    return _page(request, report=report.as_dict(), form=values)


@router.get("/imports/{run_id}")
def import_page(run_id: RowId, request: Request, user: User = Depends(Permission("view"))) -> Response:
    with get_engine().connect() as conn:
        report = get_import(conn, run_id)
    return render(request, "import_run.html", {"report": report})
