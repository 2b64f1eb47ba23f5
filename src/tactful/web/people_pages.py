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


def _field(request: Request, name: str) -> str:
    value = auth.form(request).get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/contacts/{contact_id}/tags")
def tag(request: Request, contact_id: int, svc: Svc) -> Response:
    """Add the tags typed (separated by spaces or commas)."""
    people.retag(svc, f"#{contact_id}", add=[t for t in re.split(r"[\s,]+", _field(request, "tags")) if t])
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/contacts/{contact_id}/untag")
def untag(request: Request, contact_id: int, svc: Svc) -> Response:
    people.retag(svc, f"#{contact_id}", remove=[_field(request, "tag")])
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/contacts/{contact_id}/keep-in-touch")
def cadence(request: Request, contact_id: int, svc: Svc) -> Response:
    """Set how often to keep in touch with this person, or stop (`off`)."""
    off = _field(request, "off") == "1"
    every, at_most = _field(request, "every") or None, _field(request, "at_most") or None
    keep_in_touch(svc, who=f"#{contact_id}", every=every, at_most=at_most, off=off)
    return done_then(svc, f"/contacts/{contact_id}")
