"""What every route of the web app is handed: its `Service`, and the page renderer.

Routes receive these through FastAPI's dependencies and never import the app itself: `app` builds
the application and includes the routers; the routers import this module.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from ..domain import Account
from ..service import Service
from . import auth


@contextmanager
def service_for(state: Any, sample: bool = False, account: Account | None = None) -> Iterator[Service]:
    """A service over a connection of its own, with the app's settings (`app.state`); `sample`:
    over the sample history's own database instead of the user's; on a team server, over
    `account`'s data (None: the server's own, which holds only its session key)."""
    if state.cache.team is not None and not sample:
        store = state.cache.take(account)
        try:
            yield over(state, store, account)
        finally:
            state.cache.give_back(store)
        return
    with cache_of(state, sample).checkout() as store:
        yield over(state, store)


def over(state: Any, store: Any, account: Account | None = None) -> Service:
    """A service over `store`, with the app's settings, clock and reviewer."""
    settings = state.settings
    return Service(store, config=settings.config, now=settings.now, reviewer=state.reviews, account=account)


def account_of(request: Request) -> Account | None:
    """On a team server, the account this request's session logged in as (else None)."""
    cache = request.app.state.cache
    if cache.team is None or "session" not in request.scope:
        return None
    found: Account | None = cache.account(request.session.get("account"))
    return found


def in_sample(request: Request) -> bool:
    """Whether this visitor is looking around the sample history (kept apart from their own). Not
    on a team server, whose visitors are each someone's account."""
    if "session" not in request.scope or request.app.state.cache.team is not None:
        return False
    return bool(request.session.get("sample"))


_making = threading.Lock()


def cache_of(state: Any, sample: bool = False) -> Any:
    """The connections and answers of the user's database, or of the sample's (made on first use,
    in a folder of its own that goes when the server stops)."""
    if not sample:
        return state.cache
    with _making:
        if getattr(state, "sample_cache", None) is None:
            import tempfile
            from pathlib import Path

            from .cache import Cache

            folder = tempfile.TemporaryDirectory(prefix="tactful-sample-")
            state.sample_folder = folder  # removed with the app
            state.sample_cache = Cache(Path(folder.name) / "sample.db")
    return state.sample_cache


def request_cache(request: Request) -> Any:
    """Where this request's answers are kept: its account's own, on a team server."""
    account = account_of(request) if request.app.state.cache.team is not None else None
    return cache_of(request.app.state, in_sample(request)).answers_for(account)


@contextmanager
def sample_service(state: Any) -> Iterator[Service]:
    """A service over the sample history, loaded into its own database on first use: after a
    restart too, for a visitor whose session still says they are looking at it."""
    from ..service import reading
    from ..service.demo import load_sample
    from ..service.profile import update_profile

    with service_for(state, sample=True) as svc:
        with _making:  # loaded once, however many visitors ask at the same moment
            if reading.is_empty(svc):
                with service_for(state) as own:
                    yours = own.profile  # drafts signed as you, in your calendar
                update_profile(
                    svc, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(yours).items()}
                )
                load_sample(svc)
        yield svc


async def service(request: Request) -> AsyncIterator[Service]:
    """FastAPI dependency: a service for this request, over a connection of its own. An idle one is
    taken on the event loop (no I/O); opening one, or the sample history, waits in a worker thread."""
    from starlette.concurrency import run_in_threadpool

    state = request.app.state
    if in_sample(request):
        opened = sample_service(state)
        svc = await run_in_threadpool(opened.__enter__)
        try:
            yield svc
        finally:
            await run_in_threadpool(opened.__exit__, None, None, None)
        return
    cache = state.cache
    if cache.team is not None:

        def take() -> tuple[Account | None, Any]:
            account = account_of(request)
            return account, cache.take(account)

        account, store = await run_in_threadpool(take)
    else:
        account, store = None, cache.idle() or await run_in_threadpool(cache.open)
    try:
        yield over(state, store, account)
    finally:
        cache.give_back(store)


#: A route's service, as a parameter: `svc: Svc`.
Svc = Annotated[Service, Depends(service)]


def is_htmx(request: Request) -> bool:
    """Whether htmx asked, wanting a fragment rather than a whole page."""
    return request.headers.get("hx-request") == "true"


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def number(text: Any) -> int | None:
    """A row's number as a page sends it ("12"), or None: digits only, ASCII, and not absurdly long."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def done_banner(request: Request, svc: Service) -> dict[str, Any] | None:
    """What the page says after an action: "Done · Undo" for the change just made (`?did=ID`, while
    it is still the last one), or what an undo took back (`?undone=...`)."""
    from ..service.corrections import last_change

    did, undone = number(request.query_params.get("did")), request.query_params.get("undone")
    if undone:
        return {"undone": undone[:300]}
    if did is None:
        return None
    last = last_change(svc)
    if last is None or last[0] != did:
        return None
    planned = request.query_params.get("planned", "")
    if last[1] == "log" and number(planned) is not None:
        said = f"logged · {planned} follow-up{'' if planned == '1' else 's'} planned"
    else:
        said = last[2]
    moved = request.query_params.get("moved", "") if last[1] == "edit" else ""
    return {
        "id": last[0],
        "summary": said,
        "path": request.url.path,
        "moved": [m for m in moved[:1000].split("; ") if m],
    }


def render(request: Request, svc: Service, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template `name`, with what every page shows: the CSRF token, the user's zone and profile."""
    templates = request.app.state.templates
    context.setdefault("done_banner", done_banner(request, svc))
    context.update(
        csrf=auth.csrf_token(request),
        tz=svc.zone,
        now=svc.now(),
        profile=svc.profile,
        htmx=is_htmx(request),
        sample=in_sample(request),
        logged_in=bool(request.session.get("user")) if "session" in request.scope else False,
    )
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status)
    return response
