"""The middleware every answer passes through: the security headers, a bound on what a request may
send, and log-in when required.

Plain ASGI middleware (no per-request task or body buffering); CSRF is checked per route, see
`auth.require_csrf`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import TactfulError

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
OPEN_PATHS = ("/login", "/static/", "/calendar/", "/healthz", "/welcome/")

#: The most a request may send, in bytes: little where no session is needed, room for a file on the
#: import page, and enough everywhere else for the longest message with every field full.
OPEN_BODY, UPLOAD_BODY, BODY = 16 * 1024, 21 * 1024 * 1024, 1024 * 1024
UPLOAD_PATHS = ("/import",)


def body_limit(path: str) -> int:
    if path.startswith(OPEN_PATHS) or path == "/logout":
        return OPEN_BODY
    return UPLOAD_BODY if path in UPLOAD_PATHS else BODY


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


class TooLarge(HTTPException):
    """What a request sent is over its route's limit: answered 413 by the app's error handler, in
    JSON or as a page, and the connection closed."""

    def __init__(self, limit: int) -> None:
        said = f"That request is larger than tactful takes here ({_size(limit)}); send less."
        super().__init__(413, said, headers={"Connection": "close"})
        self.limit = limit


class _HttpMiddleware:
    """A plain ASGI middleware that acts on HTTP requests (`http`) and passes anything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        else:
            await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class BodyLimit(_HttpMiddleware):
    """Refuse a body over its route's limit (`body_limit`): at once when its Content-Length says so,
    else as soon as the bytes read pass it, before anything parses them. Nothing over the limit is
    ever held in memory."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = body_limit(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope["path"], limit, send)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, watched)
        except TooLarge:
            if started:
                raise
            await _too_large(scope["path"], limit, send)


class SecurityHeaders(_HttpMiddleware):
    """The security headers on every answer, refusals of a wrong Host name included: the outermost
    of the app's own middleware. (A crash's 500 is answered outside all of them; `app` adds the
    headers to it itself.)"""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in HEADERS if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class Guard(_HttpMiddleware):
    """HEAD answered as GET without a body; the log-in asked for where it is required."""

    def __init__(self, app: ASGIApp, require_login: bool) -> None:
        super().__init__(app)
        self.require_login = require_login

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
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
        try:
            refused = (
                self.require_login and not path.startswith(OPEN_PATHS) and not await _current(scope, session)
            )
        except TactfulError as exc:  # the database did not answer: said in one line, tried again next time
            await _answer(reply, exc.http_status, path, exc.message)
            return
        if refused:
            if session.get("user"):  # a session that ended: its cookie is dropped, not kept sending
                session.clear()
            await _refuse(path, reply)
            return
        await self.app(scope, receive, reply)


async def _current(scope: Scope, session: dict[str, Any]) -> bool:
    """Whether `session` is logged in, and not in a generation ended since (by logging out, or a new
    password: `access.session_generation`), read from the database in a worker thread."""
    if not session.get("user"):
        return False
    from starlette.concurrency import run_in_threadpool

    from ..service.access import session_generation
    from .deps import service_for

    state = scope["app"].state

    def generation() -> str | None:
        if state.cache.team is None:
            with service_for(state) as svc:
                return session_generation(svc)
        account = state.cache.account(session.get("account"))  # a team server: whose session
        if account is None:
            return None
        with service_for(state, account=account) as svc:
            return session_generation(svc)

    given = session.get("generation")
    return isinstance(given, str) and given == await run_in_threadpool(generation)


async def _refuse(path: str, send: Send) -> None:
    """401 in JSON for the API; a redirect to the log-in page for people."""
    if path.startswith("/api/"):
        await _answer(send, 401, path, "log in first")
    else:
        await _answer(send, 303, path, "", [(b"location", b"/login")])


async def _too_large(path: str, limit: int, send: Send) -> None:
    """413, and the connection closed: the rest of the body is never read."""
    await _answer(send, 413, path, TooLarge(limit).detail, [(b"connection", b"close")])


async def _answer(
    send: Send, status: int, path: str, said: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """An answer made here, before the app: `said` as JSON's "error" for the API, else as text."""
    if path.startswith("/api/"):
        body, kind = json.dumps({"error": said}).encode(), b"application/json"
    else:
        body, kind = said.encode(), b"text/plain; charset=utf-8"
    head = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})
