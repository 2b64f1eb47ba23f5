"""The Stats page: reply rates from the user's own history, as small charts drawn on the server, and
the windows that history suggests moving (`what_works`), each with "Add to my playbook"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import InvalidInput
from ..service import Service, reading, what_works
from ..service import stats as measure
from . import auth
from .deps import Svc, in_sample, render, request_cache
from .filters import label
from .svg import bars

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)

GROUPS = {
    "by_purpose": "By purpose",
    "by_nudge": "By nudge",
    "by_channel": "By channel",
    "by_delay": "Sent in the window, or late",
    "by_weekday": "By the day it was sent",
}


#: How a group's key reads on the page.
NAMES = {"in_window": "In the window", "late": "Late", "0": "Not a nudge", "1": "1st nudge", "2": "2nd nudge"}


def _name(key: str) -> str:
    return NAMES.get(key) or label(key)


@router.get("/stats", response_class=HTMLResponse)
def stats(request: Request, svc: Svc, since: str | None = None) -> Response:
    """Kept between visits until the data changes or the minute turns (see `cache.Cache`): the
    figures go over the whole history."""

    def build() -> bytes:
        data = measure.stats(svc, since or None).to_dict()
        charts = [
            (title, bars(data["reply_rate"][key], _name))
            for key, title in GROUPS.items()
            if data["reply_rate"][key]
        ]
        return bytes(render(request, svc, "stats.html", data=data, charts=charts, since=since or "").body)

    key = ("stats", auth.csrf_token(request), in_sample(request), (since or "")[:100])
    return HTMLResponse(request_cache(request).answer(key, reading.data_version(svc), svc.now(), build))


def _playbook_mark(svc: Service) -> tuple[int, int]:
    """When the user's playbook last changed, and its size: a suggestion accepted (or the file edited
    by hand) changes what is suggested without changing the data."""
    path = svc.playbook_path
    try:
        found = path.stat() if path is not None else None
    except OSError:
        found = None
    return (found.st_mtime_ns, found.st_size) if found is not None else (0, 0)


@router.get("/stats/suggestions", response_class=HTMLResponse)
def suggestions(request: Request, svc: Svc, accepted: str | None = None) -> Response:
    """The suggestions, as a page of their own; the Stats page fetches this section of it once it
    has shown, as it reads every thread with a nudge sent, which takes longer than the rates."""

    def build() -> bytes:
        found = what_works.findings(svc)
        chosen = (accepted or "")[:100]
        return bytes(
            render(
                request,
                svc,
                "stats.html",
                found=found,
                least=what_works.MIN_THREADS,
                accepted=chosen if chosen in what_works.MEASURED else "",
                playbook=str(svc.playbook_path or ""),
            ).body
        )

    key = (
        "suggestions",
        auth.csrf_token(request),
        in_sample(request),
        (accepted or "")[:100],
        _playbook_mark(svc),
    )
    return HTMLResponse(request_cache(request).answer(key, reading.data_version(svc), svc.now(), build))


@router.post("/stats/suggestions/accept")
def accept(request: Request, svc: Svc) -> Response:
    """Write the chosen suggestion into the user's own playbook, then show the suggestions again."""
    if in_sample(request):
        raise InvalidInput("this is the sample history: leave it to change your own playbook")
    chosen = auth.form(request).get("id")
    if not isinstance(chosen, str) or not chosen:
        raise InvalidInput("choose a suggestion to add", field="id")
    done, _ = what_works.accept(svc, chosen[:100])
    return RedirectResponse(f"/stats/suggestions?accepted={done.id}", status_code=303)
