"""The middleware every answer passes through: log-in when required, and the security headers.

A plain ASGI middleware (no per-request task or body buffering); CSRF is checked per route, see
`auth.require_csrf`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
OPEN_PATHS = ("/login", "/static/", "/calendar/")


class SecurityHeaders:
    """The security headers on every answer, refusals of a wrong Host name included: the outermost
    of the app's own middleware. (A crash's 500 is answered outside all of them; `app` adds the
    headers to it itself.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in HEADERS if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class Guard:
    def __init__(self, app: ASGIApp, require_login: bool) -> None:
        self.app = app
        self.require_login = require_login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        reply = send  # the security headers are added outside, by `SecurityHeaders`
        if scope["method"] == "HEAD":  # as HTTP expects: the GET's headers, without its body
            scope = {**scope, "method": "GET"}

            async def headers_only(message: Message) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)

            reply = headers_only

        path: str = scope["path"]
        session: dict[str, Any] = scope.get("session", {})
        if self.require_login and not session.get("user") and not path.startswith(OPEN_PATHS):
            await _refuse(path, reply)
            return
        await self.app(scope, receive, reply)


async def _refuse(path: str, send: Send) -> None:
    """401 in JSON for the API; a redirect to the log-in page for people."""
    if path.startswith("/api/"):
        body = json.dumps({"error": "log in first"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
    else:
        body = b""
        headers = [(b"location", b"/login"), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": body})
