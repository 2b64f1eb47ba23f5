"""The mailbox on the web: accept or decline what a reply proposed, send a draft from Compose (now,
or at the suggested time in their hours, after an undo window), and take a queued message back.

Each handler calls one use case (`proposals`, `outbox`) and goes back where the user was.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..service import outbox, proposals, reading
from . import auth
from .deps import Svc
from .pages import done_then

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)


@router.post("/replies/accept")
def accept(request: Request, svc: Svc) -> Response:
    decided = proposals.accept(svc, auth.field(request, "message_id") or "", auth.field(request, "at"))
    to = f"/threads/{decided.mail.thread_id}" if decided.mail.thread_id else "/"
    return done_then(svc, to)


@router.post("/replies/decline")
def decline(request: Request, svc: Svc) -> Response:
    proposals.decline(svc, auth.field(request, "message_id") or "")
    return done_then(svc, "/")


@router.post("/compose/{followup_id}/send")
def send(request: Request, followup_id: int, svc: Svc) -> Response:
    """Queue the text as it stands: it leaves after the undo window, or at the suggested time."""
    f = reading.followup(svc, followup_id)
    at = None
    if (
        auth.field(request, "when") == "suggested"
        and f.suggested_at
        and f.suggested_at > svc.now() + outbox.UNDO
    ):
        at = f.suggested_at.isoformat()
    outbox.queue(svc, followup_id, at=at, text=auth.field(request, "text"))
    return done_then(svc, "/#outbox")


@router.post("/outbox/{followup_id}/cancel")
def cancel(followup_id: int, svc: Svc) -> Response:
    outbox.cancel(svc, followup_id)
    return done_then(svc, "/#outbox")
