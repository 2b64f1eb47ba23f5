"""The Stats page: reply rates from the user's own history, as small charts drawn on the server."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..service import reading
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
