"""The long game on a person's page: their tags (with the ones worth offering when they have none),
and how often to keep in touch with them.

Each handler calls one use case (`people.retag`, `keep_in_touch`) and goes back to the person.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..service import people
from ..service.keep_in_touch import keep_in_touch
from . import auth
from .deps import Svc
from .pages import done_then

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)


@router.post("/contacts/{contact_id}/tags")
def tag(request: Request, contact_id: int, svc: Svc) -> Response:
    """Add the tags typed (separated by spaces or commas)."""
    people.retag(
        svc, f"#{contact_id}", add=[t for t in re.split(r"[\s,]+", auth.field(request, "tags") or "") if t]
    )
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/contacts/{contact_id}/untag")
def untag(request: Request, contact_id: int, svc: Svc) -> Response:
    people.retag(svc, f"#{contact_id}", remove=[auth.field(request, "tag") or ""])
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/contacts/{contact_id}/keep-in-touch")
def cadence(request: Request, contact_id: int, svc: Svc) -> Response:
    """Set how often to keep in touch with this person, or stop (`off`)."""
    off = auth.field(request, "off") == "1"
    every, at_most = auth.field(request, "every"), auth.field(request, "at_most")
    keep_in_touch(svc, who=f"#{contact_id}", every=every, at_most=at_most, off=off)
    return done_then(svc, f"/contacts/{contact_id}")
