"""Who may use the web app, and proof that a form came from it.

On loopback nobody logs in. Bound to any other address, the app requires the password the user set
with `tactful password` (kept as an argon2 hash by `tactful.service.access`), then a signed session
cookie. Every unsafe request
carries the session's CSRF token, in the form or in the `X-CSRF-Token` header; JSON bodies need no
token, since a browser will not send one across origins without asking first.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
#: Failed log-ins allowed from one address within the window before it has to wait.
MAX_FAILURES, FAILURE_WINDOW = 5, 600.0
_failures: dict[str, list[float]] = {}


def login_allowed(address: str, now: float) -> bool:
    recent = [t for t in _failures.get(address, []) if now - t < FAILURE_WINDOW]
    _failures[address] = recent
    return len(recent) < MAX_FAILURES


def login_failed(address: str, now: float) -> None:
    _failures.setdefault(address, []).append(now)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency: refuse an unsafe request that does not carry this session's token."""
    if request.method in _SAFE:
        return
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.url.path.startswith("/api/v1/") and media == "application/json":
        return  # a JSON body: a page of another site cannot send one without CORS, which is off
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and given and hmac.compare_digest(expected, given)):
        raise HTTPException(
            403, "This form has expired or did not come from tactful; reload the page and try again."
        )
