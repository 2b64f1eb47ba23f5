"""Import, export and the calendar feed, on one page: contacts from LinkedIn, Google or a vCard file;
the follow-ups as a calendar file; a backup of everything; the address of the feed to subscribe to.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import InvalidInput
from ..service import corrections, transfer
from . import auth
from .deps import Svc, render

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)

#: The contact files the page takes, as the command line names them.
SOURCES = {
    "linkedin": "LinkedIn connections (CSV)",
    "google": "Google contacts (CSV)",
    "vcard": "vCard (.vcf)",
}
#: The largest upload read, in bytes: a LinkedIn export of 30,000 connections is about 5 MB.
MAX_UPLOAD = 20 * 1024 * 1024


def _page(request: Request, svc: Svc, status: int = 200, **extra: object) -> HTMLResponse:
    feed = transfer.feed_show(svc)
    address = str(request.base_url).rstrip("/") + feed.path
    return render(request, svc, "exchange.html", status, sources=SOURCES, feed=address, **extra)


@router.get("/exchange", response_class=HTMLResponse)
def exchange(request: Request, svc: Svc) -> Response:
    return _page(request, svc)


@router.post("/import", response_class=HTMLResponse)
def import_contacts(request: Request, svc: Svc) -> Response:
    """An uploaded contacts file, merged with the people already known (or only previewed)."""
    form = auth.form(request)
    source, upload = form.get("source"), form.get("file")
    if not isinstance(source, str) or source not in SOURCES:
        raise InvalidInput("choose what kind of file it is: LinkedIn, Google or vCard", field="source")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise InvalidInput("choose the file to import", field="file")
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(
            f"{upload.filename} is larger than {MAX_UPLOAD // 2**20} MB; split it and import each part"
        )
    shown = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:120] or "the file"
    with tempfile.TemporaryDirectory(prefix="tactful-upload-") as folder:
        path = Path(folder) / "upload"  # the name sent is only shown, never used as a path
        path.write_bytes(data)
        dry_run = bool(form.get("dry_run"))
        report = transfer.import_contacts(svc, source, path, dry_run=dry_run, skip_bad=True, label=shown)
    last = corrections.last_change(svc)
    offer = {"id": last[0], "summary": last[2], "path": "/exchange"} if last and not report.dry_run else None
    return _page(request, svc, report=report, done_banner=offer)


@router.get("/export/followups.ics")
def export_ics(svc: Svc, todo: bool = False) -> Response:
    data, _ = transfer.export_ics(svc, todo=todo)
    name = "tactful-todos.ics" if todo else "tactful-followups.ics"
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/export/backup.json")
def export_backup(svc: Svc) -> Response:
    body = json.dumps(transfer.export_json(svc), ensure_ascii=False, indent=1).encode()
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="tactful-backup.json"'},
    )


@router.post("/feed/rotate", response_class=HTMLResponse)
def rotate_feed(request: Request, svc: Svc) -> Response:
    transfer.feed_rotate(svc)
    return _page(request, svc, rotated=True)
