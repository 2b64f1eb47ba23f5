"""The web face: server-rendered pages, a JSON API under /api/v1, one service layer beneath both.

`create_app` builds the application for one database. Each request gets its own `Service` over the
process's one connection (`deps`); errors become an HTML page or a JSON body in one handler; every response carries a
Content-Security-Policy; sessions are signed cookies; every form carries a CSRF token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..config import Config
from ..errors import TactfulError
from ..service.access import session_key
from ..service.workers import ReviewWorker
from . import (
    account_pages,
    api,
    auth,
    compose_pages,
    correction_pages,
    exchange_pages,
    forms,
    health,
    mail_pages,
    pages,
    people_pages,
    stats_pages,
)
from .cache import Cache
from .deps import service_for, wants_json
from .filters import install
from .health import AccessLog
from .security import HEADERS, BodyLimit, Guard, SecurityHeaders

HERE = Path(__file__).parent
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class Settings:
    """How this web app runs: the settings in force (`tactful.config`), and what only the web has."""

    config: Config
    require_login: bool = False
    now: dt.datetime | None = None  # a fixed clock, for tests
    # The names the app answers to. On loopback only loopback names, so a web page cannot reach it
    # by pointing a name of its own at 127.0.0.1 (DNS rebinding); beyond it, "*" behind the login.
    hosts: tuple[str, ...] = LOOPBACK_NAMES
    # Reviews in a worker process (`workers.ReviewWorker`), so a long one cannot stall the server;
    # `tactful serve` asks for it, tests in-process review in the request's thread.
    review_worker: bool = False
    # Sends what is due and reads new mail in the background (`mail_worker.MailWorker`), when an
    # account is connected; `tactful serve` asks for it.
    mail_worker: bool = False
    # One JSON line per request on stderr (`tactful serve --log-json`), for a log collector.
    access_log: bool = False


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="tactful",
        version=__version__,
        description="Follow up on time, on the right channel, without being pushy. "
        "The same shapes as the command line's --json.",
        docs_url=None,  # the stock page loads scripts from a CDN; /api/docs is rendered here instead
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.reviews = (
        ReviewWorker(settings.config.phrases, settings.config.cache) if settings.review_worker else None
    )
    app.state.templates = _templates()
    app.state.cache = Cache(settings.config.database)
    app.state.throttle = auth.Throttle()
    with service_for(app.state) as svc:
        key = session_key(svc)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(compose_pages.router)
    app.include_router(exchange_pages.router)
    app.include_router(correction_pages.router)
    app.include_router(mail_pages.router)
    app.include_router(people_pages.router)
    app.include_router(stats_pages.router)
    app.include_router(api.router)
    app.include_router(health.router)
    _install_errors(app)

    # A team server's pages are each someone's: a log-in is asked for wherever it listens.
    app.add_middleware(Guard, require_login=settings.require_login or app.state.cache.team is not None)
    # Added last so they run first: a request to a name the app does not answer to is refused before
    # anything else, and the guard can read the session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie="tactful_session",
        same_site="strict",
        https_only=False,
        max_age=14 * 24 * 3600,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.hosts))
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    if settings.access_log:
        app.add_middleware(AccessLog)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    worker = None
    if app.state.settings.mail_worker and app.state.cache.team is None:  # a team's: `tactful worker`
        from ..service.mail_worker import MailWorker

        worker = MailWorker(lambda: service_for(app.state))
        worker.start()
    app.state.mail_worker = worker
    yield
    if worker is not None:
        worker.stop()
    if app.state.reviews is not None:
        app.state.reviews.close()
    app.state.cache.close()


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    install(templates.env)
    templates.env.globals["labels"] = {"log": forms.LOG, "profile": forms.PROFILE}
    return templates


#: What a page address names by number, as a person says it.
_NUMBERED = {
    "thread_id": "thread",
    "contact_id": "person",
    "followup_id": "follow-up",
    "interaction_id": "interaction",
}


def _without_terminal_hints(message: str) -> str:
    """`message` without the clauses meant for the command line ("; `tactful agenda --all` lists
    them"): each runs from the ";" or "," before "`tactful " to the next ";". Found by position, in
    time proportional to the message."""
    text = message
    while (at := text.find("`tactful ")) >= 0 and (close := text.find("`", at + 1)) >= 0:
        start = max(text.rfind(";", 0, at), text.rfind(",", 0, at), 0)
        end = text.find(";", close + 1)
        text = text[:start] + (text[end:] if end >= 0 else "")
    return text


def for_a_person(message: str) -> str:
    """An error as a page says it: no command-line hints, a capital letter, a full stop."""
    text = _without_terminal_hints(message).strip().rstrip(";,") or message
    if text.startswith("no "):
        text = "there is " + text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _error(request: Request, status: int, message: str, field: str | None = None) -> Response:
    if wants_json(request):
        body: dict[str, Any] = {"error": message}
        if field is not None:
            body["field"] = field
        return JSONResponse(body, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "csrf": auth.csrf_token(request)},
        status_code=status,
    )


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(TactfulError)
    async def tactful_error(request: Request, exc: TactfulError) -> Response:
        if wants_json(request):  # the API names an input as its JSON does: their_tz
            return _error(request, exc.http_status, exc.message, exc.field)
        return _error(request, exc.http_status, for_a_person(exc.spelled(forms.spell({}))))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "There is nothing at this address.", 405: "That action is not allowed here."}
        answer = _error(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))
        for name, value in (exc.headers or {}).items():  # "Allow" on a 405, as HTTP expects
            answer.headers[name] = value
        return answer

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        message = (
            f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid input"))
        )
        if wants_json(request):
            return JSONResponse({"error": message, "detail": _plain(exc.errors())}, status_code=422)
        named = _NUMBERED.get(str(first.get("loc", ("",))[-1]))
        if named and first.get("loc", ("",))[0] == "path":
            return _error(
                request,
                404,
                f"That address does not name a {named}: each {named} has a number, as in /{request.url.path.split('/')[1]}/3.",
            )
        return _error(request, 422, for_a_person(message))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        answer = _error(request, 500, "Something went wrong on our side; nothing was changed. Try again.")
        for name, value in HEADERS:  # answered outside every middleware: the headers come from here
            answer.headers[name.decode()] = value.decode()
        return answer


def _plain(errors: Any) -> Any:
    """Validation errors as plain JSON (their `ctx` may hold exception objects)."""
    return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
