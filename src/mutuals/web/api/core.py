"""The workspace API: status, dashboard, imports (list, one run, upload)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mutuals.errors import InvalidInputError
from mutuals.storage.db import get_engine
from mutuals.storage.queries import list_imports
from mutuals.web.auth import User
from mutuals.web.dashboard import dashboard
from mutuals.web.deps import Permission, RowId, check_csrf
from mutuals.web.pages.imports import parse_options
from mutuals.web.uploads import get_import, import_upload, max_upload_bytes, too_large

router = APIRouter(tags=["workspace"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The export."},
                        "source": {"type": "string", "description": "Connector kind; detected if empty."},
                        "account": {"type": "string", "description": "Our account's handle."},
                        "as_of": {"type": "string", "description": "Snapshot date, YYYY-MM-DD."},
                    },
                }
            }
        },
    }
}


@router.get("/status", summary="What the workspace holds (as `mutuals status --json`)")
def status(user: User = Depends(Permission("view"))) -> dict[str, Any]:
    with get_engine().connect() as conn:
        return dict(dashboard(conn)["status"])  # cached until the next import


@router.get("/dashboard", summary="The dashboard: metrics against goals, weekly trends")
def dashboard_data(user: User = Depends(Permission("view"))) -> dict[str, Any]:
    with get_engine().connect() as conn:
        return dashboard(conn)


@router.get("/imports", summary="Past import runs, newest first (as `mutuals imports --json`)")
def imports(
    limit: int = Query(50, ge=1, le=1000), user: User = Depends(Permission("view"))
) -> list[dict[str, Any]]:
    with get_engine().connect() as conn:
        return list_imports(conn, limit)


@router.get("/imports/{run_id}", summary="One import run's full report")
def import_run(run_id: RowId, user: User = Depends(Permission("view"))) -> dict[str, Any]:
    with get_engine().connect() as conn:
        return get_import(conn, run_id)


@router.post(
    "/imports",
    summary="Upload an export and import it (as `mutuals import --json`)",
    openapi_extra=UPLOAD_BODY,
)
async def upload(request: Request, user: User = Depends(Permission("import", csrf=False))) -> dict[str, Any]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_upload_bytes() + 64 * 1024:
        raise too_large("the upload")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInputError("send the export as multipart/form-data with a field named file")
    form = await request.form(max_files=1, max_fields=10)
    if request.cookies.get("mutuals_session") and not request.headers.get("authorization"):
        check_csrf(request, form)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InvalidInputError("the form field file (the export) is missing")
    options = parse_options(*(str(form.get(k) or "") for k in ("source", "account", "as_of")))
    report = await run_in_threadpool(import_upload, file.file, file.filename, options)
    return report.as_dict()
