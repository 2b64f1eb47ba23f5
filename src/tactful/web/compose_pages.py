"""The Compose page: the draft in an editor, the reviewer's findings beside it, refreshed as one types."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain import Status
from ..service import drafting, promises, reading
from . import auth
from .deps import Svc, is_htmx, render
from .pages import done_then

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)


@router.get("/compose/{followup_id}", response_class=HTMLResponse)
def compose(request: Request, followup_id: int, svc: Svc, channel: str | None = None) -> Response:
    f = reading.followup(svc, followup_id)
    if f.status is not Status.PLANNED:  # nothing left to write: say so, and show what was sent
        person = reading.contact(svc, f"#{f.contact_id}")
        return render(request, svc, "compose_done.html", f=f, person=person)
    result = drafting.draft(svc, followup_id, channel)
    person = reading.contact(svc, f"#{result.followup.contact_id}")
    limit = drafting.note_limit(svc, result.composed.channel)
    return render(
        request,
        svc,
        "compose.html",
        d=result,
        person=person,
        text=result.composed.to_text(),
        limit=limit,
        mail_connected=reading.mail_connected(svc),
    )


@router.post("/compose/{followup_id}/promise")
def promise(request: Request, followup_id: int, svc: Svc) -> Response:
    """A promise made in this message ("I will send the deck by Friday"): a task of your own."""
    what, by = auth.field(request, "i_promised"), auth.field(request, "i_promised_by")
    promises.promise_while_writing(svc, followup_id, what or "", by)
    return done_then(svc, f"/compose/{followup_id}")


def _text(request: Request) -> tuple[str, str | None]:
    form = auth.form(request)
    text, channel = form.get("text"), form.get("channel")
    return (text if isinstance(text, str) else ""), (
        channel if isinstance(channel, str) and channel else None
    )


@router.post("/compose/{followup_id}/review", response_class=HTMLResponse)
def review(request: Request, followup_id: int, svc: Svc) -> Response:
    """The findings for the text as it stands (an htmx fragment; a full page without JavaScript)."""
    text, channel = _text(request)
    if not text.strip():
        return render(request, svc, "_findings.html", review=None, empty=True)
    checked = drafting.check(svc, text, followup_id, None, channel)
    if is_htmx(request):
        return render(request, svc, "_findings.html", review=checked.review)
    draft = drafting.draft(svc, followup_id, channel)
    person = reading.contact(svc, f"#{draft.followup.contact_id}")
    return render(
        request,
        svc,
        "compose.html",
        d=draft,
        person=person,
        text=text,
        review=checked.review,
        mail_connected=reading.mail_connected(svc),
    )


@router.post("/compose/{followup_id}/eml")
def download(request: Request, followup_id: int, svc: Svc) -> Response:
    text, _ = _text(request)
    data = drafting.draft_eml(svc, followup_id, text=text or None)
    headers = {"Content-Disposition": f'attachment; filename="followup-{followup_id}.eml"'}
    return Response(data, media_type="message/rfc822", headers=headers)
