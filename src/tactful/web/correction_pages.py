"""Putting things right in the web app: correct or delete an interaction (the thread is planned
again and the page says what moved), correct, delete or merge a person. Each lands on a page that
offers to undo it, like every other action."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain import Interaction
from ..errors import TactfulError
from ..service import corrections, reading
from . import auth, forms
from .deps import Svc, number, render
from .pages import back, done_then

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)

#: The fields of an interaction the form corrects.
INTERACTION_FIELDS = ("at", "decision_by", "promised_by", "promised", "topics", "note")
#: The details of a person the form corrects.
CONTACT_FIELDS = ("name", "email", "phone", "linkedin", "org", "prefers", "tz", "note")


def _form(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in auth.form(request).items() if isinstance(v, str) and k != "csrf"}


def _as_typed(i: Interaction, tz: ZoneInfo) -> dict[str, str]:
    """An interaction's fields as the form shows them: what the user would type."""
    return {
        "at": f"{i.at.astimezone(tz):%Y-%m-%d %H:%M}",
        "decision_by": i.decision_by.isoformat() if i.decision_by else "",
        "promised_by": i.promised_by.isoformat() if i.promised_by else "",
        "promised": i.promised or "",
        "topics": "\n".join(i.topics),
        "note": i.note or "",
    }


@router.get("/interactions/{interaction_id}/edit", response_class=HTMLResponse)
def edit_interaction_form(request: Request, interaction_id: int, svc: Svc) -> Response:
    i = corrections.interaction(svc, interaction_id)
    return render(request, svc, "edit_interaction.html", i=i, values=_as_typed(i, svc.zone))


@router.post("/interactions/{interaction_id}/edit", response_class=HTMLResponse)
def edit_interaction(request: Request, interaction_id: int, svc: Svc) -> Response:
    values = _form(request)
    i = corrections.interaction(svc, interaction_id)
    before = _as_typed(i, svc.zone)
    changed: dict[str, Any] = {
        k: values.get(k, "") for k in INTERACTION_FIELDS if values.get(k, "") != before[k]
    }
    if "topics" in changed:
        changed["topics"] = [t.strip() for t in str(changed["topics"]).splitlines() if t.strip()]
    try:
        edited = corrections.edit_interaction(svc, interaction_id, **changed)
    except TactfulError as exc:
        error = exc.spelled(forms.spell(forms.LOG))
        return render(request, svc, "edit_interaction.html", 422, i=i, values=values, error=error)
    moved = "; ".join(edited.said)
    return done_then(svc, f"/threads/{i.thread_id}?corrected={len(edited.said)}#plan", moved=moved)


@router.post("/interactions/{interaction_id}/delete")
def delete_interaction(interaction_id: int, svc: Svc) -> Response:
    i = corrections.interaction(svc, interaction_id)
    corrections.delete_interaction(svc, interaction_id)
    try:
        reading.thread(svc, i.thread_id)
    except TactfulError:
        return done_then(svc, "/")
    return done_then(svc, f"/threads/{i.thread_id}")


@router.post("/contacts/{contact_id}/edit", response_class=HTMLResponse)
def edit_contact(request: Request, contact_id: int, svc: Svc) -> Response:
    values = _form(request)
    person = reading.contact(svc, f"#{contact_id}")
    current = {
        "name": person.name, "email": person.email or "", "phone": person.phone or "",
        "linkedin": person.linkedin or "", "org": person.organisation or "",
        "prefers": person.prefers.value if person.prefers else "", "tz": person.tz or "", "note": person.note or "",
    }  # fmt: skip
    changed = {k: values.get(k, "") for k in CONTACT_FIELDS if values.get(k, "") != current[k]}
    if not changed or not corrections.edit_contact(svc, f"#{contact_id}", **changed)[1]:
        return back(f"/contacts/{contact_id}")
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/contacts/{contact_id}/delete")
def delete_contact(request: Request, contact_id: int, svc: Svc) -> Response:
    values = _form(request)
    corrections.delete_contact(svc, f"#{contact_id}", yes=values.get("yes") == "1")
    return done_then(svc, "/contacts")


@router.post("/contacts/{contact_id}/merge")
def merge_contact(request: Request, contact_id: int, svc: Svc) -> Response:
    """Merge the person named in the form (a duplicate) into this one."""
    values = _form(request)
    other = values.get("other", "")
    corrections.merge_contacts(svc, f"#{contact_id}", f"#{other}" if number(other) is not None else other)
    return done_then(svc, f"/contacts/{contact_id}")
