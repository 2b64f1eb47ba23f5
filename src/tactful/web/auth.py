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
import threading
from collections import OrderedDict

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
#: Wrong passwords an address may try freely; after them, each more waits twice as long as the one
#: before, up to `LONGEST_WAIT` seconds. A success forgets the address; so does a quiet `FORGET`.
FREE_TRIES, LONGEST_WAIT, FORGET = 3, 60.0, 900.0
#: The most addresses remembered at once: the oldest go first.
REMEMBERED = 10_000


class Throttle:
    """Slows down guessing, per client address (as the configured proxy reports it, see `tactful
    serve --forwarded-allow-ips`): never a lockout of the right password, only a wait between tries
    that doubles with each wrong one. Safe to use from worker threads."""

    def __init__(self) -> None:
        self._failed: OrderedDict[str, tuple[int, float]] = OrderedDict()  # address -> (count, last)
        self._lock = threading.Lock()

    def attempt(self, address: str, now: float) -> float:
        """Seconds `address` must still wait before its next try; 0 when it may try now, and then
        the try is counted as wrong at once, until `succeeded` says otherwise: guesses sent side by
        side cannot all pass while the first is being checked."""
        with self._lock:
            count, last = self._failed.get(address, (0, now))
            if count and now - last > FORGET:
                count = 0
            wait = max(0.0, last + _delay(count) - now) if count else 0.0
            if wait == 0.0:
                self._failed.pop(address, None)
                self._failed[address] = (count + 1, now)
                while len(self._failed) > REMEMBERED:
                    self._failed.popitem(last=False)
            return wait

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failed.pop(address, None)

    def __len__(self) -> int:
        return len(self._failed)


def _delay(count: int) -> float:
    return 0.0 if count < FREE_TRIES else min(LONGEST_WAIT, 2.0 ** (count - FREE_TRIES))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def form(request: Request) -> FormData:
    """The form a request sent, read by `require_csrf` on the event loop before its route ran in a
    worker thread; empty when it sent none."""
    found = getattr(request.state, "form", None)
    return found if isinstance(found, FormData) else FormData()


def field(request: Request, name: str) -> str | None:
    """One text field of the request's form, trimmed; None when it is missing or blank."""
    value = form(request).get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


async def require_csrf(request: Request) -> None:
    """Dependency: refuse an unsafe request that does not carry this session's token. A form is
    read here, within the body limit (`security.BodyLimit`), for the route to find (`form`)."""
    if request.method in _SAFE:
        return
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.url.path.startswith("/api/v1/") and media == "application/json":
        return  # a JSON body: a page of another site cannot send one without CORS, which is off
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        request.state.form = await request.form()
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token")
    if given is None:
        value = form(request).get("csrf")
        given = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and given and hmac.compare_digest(expected, given)):
        raise HTTPException(
            403, "This form has expired or did not come from tactful; reload the page and try again."
        )
