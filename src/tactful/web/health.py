"""What a reverse proxy, a container runtime or a monitor asks: is the server up, and can it read
its database? (`GET /healthz`, answered without a login, and saying nothing of anyone's data.)

And, when `tactful serve --log-json` asks for it, one JSON line per request on standard error for a
log collector: when, method, path, status, milliseconds. A calendar feed's path holds its secret
token, so that part of a path is never written.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import TactfulError
from ..service import reading
from .deps import service_for

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def health(request: Request) -> JSONResponse:
    """200 with the schema's version when the database answers; 503 and the reason when not."""
    try:
        with service_for(request.app.state) as svc:
            schema = reading.schema_version(svc)
    except (TactfulError, OSError) as exc:
        return JSONResponse({"status": "unavailable", "reason": str(exc)[:200]}, status_code=503)
    return JSONResponse({"status": "ok", "version": __version__, "schema": schema})


def shown_path(path: str) -> str:
    """A path as a log may keep it: a calendar feed's token left out."""
    return "/calendar/…" if path.startswith("/calendar/") else path


class AccessLog:
    """One JSON line per HTTP request, written once the answer has gone."""

    def __init__(self, app: ASGIApp, stream: Any = None) -> None:
        self.app = app
        self.stream = stream or sys.stderr

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            line = {
                "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "method": scope.get("method", ""),
                "path": shown_path(scope.get("path", "")),
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            self.stream.write(json.dumps(line) + "\n")
            self.stream.flush()
