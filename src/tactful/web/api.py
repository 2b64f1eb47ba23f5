"""The JSON API under /api/v1: the command line's `--json` shapes, over the same use cases."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..domain import Channel, Kind, Outcome
from ..service import Service, corrections, drafting, followups, outbox, people, proposals, reading
from ..service import shapes as views
from ..service.followups import LogRequest
from ..service.lookup import is_id
from ..service.profile import update_profile
from . import auth
from .deps import Svc, request_cache

router = APIRouter(prefix="/api/v1", dependencies=[Depends(auth.require_csrf)])


class Interaction(BaseModel):
    """What `tactful log` takes, as JSON."""

    kind: Kind
    people: list[str] = Field(
        min_length=1, max_length=20, description="Who it was with; the first is the main contact."
    )
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    org: str | None = None
    role: str | None = None
    title: str | None = Field(None, description="The opportunity: a job title, a deal.")
    at: str | None = Field(None, description="When it happened, e.g. '2026-03-02 10:00' (default now).")
    decision_by: str | None = None
    promised_by: str | None = None
    promised: str | None = None
    introduced_by: str | None = None
    prefers: Channel | None = None
    their_tz: str | None = Field(None, description="The first person's time zone, e.g. Asia/Tokyo.")
    topics: list[str] = Field(default_factory=list, max_length=50)
    questions: list[str] = Field(default_factory=list, max_length=50)
    note: str | None = None
    time_sensitive: bool = False
    card: bool = False
    thread_id: int | None = None
    i_promised: str | None = Field(None, description="Something you promised them: a task of your own.")
    i_promised_by: str | None = Field(None, description="When you will have done it.")


class Sent(BaseModel):
    at: str | None = None
    channel: Channel | None = None
    text: str | None = None


class Skip(BaseModel):
    reason: str | None = None


class Reply(BaseModel):
    from_: str = Field(alias="from", description="Who answered: a name, #ID or an email address.")
    thread_id: int | None = None
    at: str | None = None


class OutcomeIn(BaseModel):
    outcome: Outcome
    at: str | None = None
    reply_by: str | None = Field(
        None, description="An offer's reply deadline: a reminder to yourself before it."
    )


class InteractionEdit(BaseModel):
    """What `tactful edit interaction` corrects; what is left out stays as it was."""

    at: str | None = None
    decision_by: str | None = Field(None, description="A date; an empty string clears it.")
    promised_by: str | None = Field(None, description="A date; an empty string clears it.")
    promised: str | None = None
    title: str | None = None
    org: str | None = None
    topics: list[str] | None = Field(None, max_length=50)
    questions: list[str] | None = Field(None, max_length=50)
    note: str | None = None


class SnoozeIn(BaseModel):
    until: str | None = Field(None, description="When it should open instead (default: one business day on).")


class ReminderIn(BaseModel):
    who: str = Field(description="The person: a name, #ID or an email address.")
    at: str = Field(description="When to remind you, e.g. 'friday 9am'.")
    note: str | None = None


class UndoIn(BaseModel):
    change: int | None = Field(None, description="Only undo if this is still the last change.")


class CheckIn(BaseModel):
    text: str = Field(description="The draft; it may begin with 'Subject:' and 'To:' lines and a blank line.")
    followup_id: int | None = None
    now: str | None = None
    channel: Channel | None = None


class DecisionIn(BaseModel):
    message_id: str = Field(description="The reply's Message-ID, as `agenda` lists it under proposals.")
    at: str | None = Field(None, description="A check-back's day, or an invitation's time.")


class SendIn(BaseModel):
    at: str | None = Field(None, description="When it leaves (default: after a 20-second undo window).")
    text: str | None = Field(
        None, description="The message as edited (a 'Subject:' line first); default the draft."
    )


class ProfileIn(BaseModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    signature: str | None = None
    tz: str | None = None
    country: str | None = None
    skills: list[str] | None = None
    notes: bool | None = None
    linkedin_free: bool | None = None


def _change(svc: Service, change: Any, **head: Any) -> dict[str, Any]:
    return views.change_dict(change, svc.now(), svc.zone, **head)


@router.get("/agenda", summary="What to do: overdue, due and upcoming follow-ups")
def agenda(
    request: Request,
    svc: Svc,
    now: str | None = None,
    days: Annotated[int, Query(ge=0, le=3650)] = 7,
    all: bool = False,
) -> Response:
    """Kept between calls until the data changes or the minute turns (see `web.cache.Cache`)."""

    def build() -> bytes:
        return json.dumps(views.agenda_dict(reading.agenda(svc, now, days, all), svc.zone)).encode()

    cache = request_cache(request)
    body = cache.answer(("agenda", now, days, all), reading.data_version(svc), svc.now(), build)
    return Response(body, media_type="application/json")


@router.post("/interactions", summary="Log an interaction and plan its follow-ups", status_code=201)
def log(body: Interaction, svc: Svc) -> dict[str, Any]:
    logged = followups.log(svc, LogRequest(**body.model_dump()))
    return views.logged_dict(logged, svc.now(), svc.zone)


@router.post("/followups/{followup_id}/done", summary="Mark a follow-up sent")
def done(followup_id: int, body: Sent, svc: Svc) -> dict[str, Any]:
    sent, change = followups.done(svc, followup_id, body.at, body.channel, body.text)
    return _change(svc, change, done={"id": sent.id, "purpose": sent.purpose.value})


@router.post("/followups/{followup_id}/skip", summary="Drop a follow-up")
def skip(followup_id: int, body: Skip, svc: Svc) -> dict[str, Any]:
    return views.skipped_dict(followups.skip(svc, followup_id, body.reason))


@router.post("/replies", summary="They answered: stop the thread's nudges")
def reply(body: Reply, svc: Svc) -> dict[str, Any]:
    change = followups.reply(svc, body.from_, body.thread_id, body.at)
    return _change(svc, change, reply={"thread_id": change.thread_id})


@router.post("/threads/{thread_id}/outcome", summary="Record how a thread ended")
def outcome(thread_id: int, body: OutcomeIn, svc: Svc) -> dict[str, Any]:
    change = followups.outcome(svc, thread_id, body.outcome, body.at, body.reply_by)
    return _change(svc, change, outcome={"thread_id": thread_id, "outcome": change.outcome})


@router.post("/followups/{followup_id}/snooze", summary="Move a follow-up later, within the limits")
def snooze(followup_id: int, body: SnoozeIn, svc: Svc) -> dict[str, Any]:
    done = followups.snooze(svc, followup_id, body.until)
    return {
        "followup": views.followup_dict(done.followup, done.contact, svc.now(), svc.zone),
        "held": done.held,
    }


@router.post("/reminders", summary="A reminder of your own about a person", status_code=201)
def remind(body: ReminderIn, svc: Svc) -> dict[str, Any]:
    f, person = followups.remind(svc, body.who, body.at, body.note)
    return {"followup": views.followup_dict(f, person, svc.now(), svc.zone)}


@router.post("/threads/{thread_id}/wake", summary="Plan a resting thread's next step again")
def wake(thread_id: int, svc: Svc) -> dict[str, Any]:
    return _change(svc, followups.wake(svc, thread_id), wake={"thread_id": thread_id})


@router.patch("/interactions/{interaction_id}", summary="Correct an interaction and plan it again")
def edit_interaction(interaction_id: int, body: InteractionEdit, svc: Svc) -> dict[str, Any]:
    edited = corrections.edit_interaction(svc, interaction_id, **body.model_dump())
    now, tz = svc.now(), svc.zone
    return {
        "interaction": views.interaction_dict(edited.interaction, tz),
        "followups": views.change_followups(edited.change, edited.change.contacts, now, tz),
        "cancelled": edited.change.cancelled,
        "changes": edited.said,
    }


@router.delete("/interactions/{interaction_id}", summary="Remove an interaction and plan again")
def delete_interaction(interaction_id: int, svc: Svc) -> dict[str, Any]:
    return {"deleted": corrections.delete_interaction(svc, interaction_id)}


@router.post("/proposals/accept", summary="Record what a reply proposed")
def accept(body: DecisionIn, svc: Svc) -> dict[str, Any]:
    decided = proposals.accept(svc, body.message_id, body.at)
    head = {"accepted": views.proposal_dict(decided.mail, svc.zone)}
    return _change(svc, decided.change, **head) if decided.change else head


@router.post("/proposals/decline", summary="Dismiss what a reply proposed")
def decline(body: DecisionIn, svc: Svc) -> dict[str, Any]:
    return {"declined": views.proposal_dict(proposals.decline(svc, body.message_id).mail, svc.zone)}


@router.post(
    "/followups/{followup_id}/send", summary="Queue a follow-up's e-mail in the outbox", status_code=201
)
def send(followup_id: int, body: SendIn, svc: Svc) -> dict[str, Any]:
    return views.outgoing_dict(outbox.queue(svc, followup_id, body.at, body.text), svc.zone)


@router.get("/outbox", summary="What you told tactful to send: queued, sending, sent or failed")
def outbox_list(svc: Svc) -> dict[str, Any]:
    return {"messages": [views.outgoing_dict(o, svc.zone) for o in outbox.listing(svc)]}


@router.post("/outbox/{followup_id}/cancel", summary="Take back a queued message before it leaves")
def outbox_cancel(followup_id: int, svc: Svc) -> dict[str, Any]:
    return views.outgoing_dict(outbox.cancel(svc, followup_id), svc.zone)


@router.post("/undo", summary="Take back the last change")
def undo(body: UndoIn, svc: Svc) -> dict[str, Any]:
    undone = corrections.undo(svc, body.change)
    return {"undone": undone.kind, "summary": undone.summary}


@router.get("/contacts", summary="People whose names, e-mail or organisation begin with the query's words")
def contacts(svc: Svc, q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    return views.contacts_dict(people.find(svc, q), svc.zone)


@router.get("/threads/{thread_id}", summary="A thread's history and plan")
def thread(thread_id: int, svc: Svc) -> dict[str, Any]:
    return views.history_dict(reading.history(svc, thread_id), svc.now(), svc.zone)


@router.get("/contacts/{ref}", summary="A contact (id, #id, name or email) and their threads")
def contact(ref: str, svc: Svc) -> dict[str, Any]:
    person = reading.contact(svc, f"#{ref}" if is_id(ref) else ref)
    histories = reading.contact_threads(svc, person)
    return views.contact_threads_dict(
        person, histories, svc.now(), svc.zone, reading.addresses(svc, person), reading.tags(svc, person)
    )


@router.post("/check", summary="Review a draft, alone or in a follow-up's context")
def check(body: CheckIn, svc: Svc) -> dict[str, Any]:
    return drafting.check(svc, body.text, body.followup_id, body.now, body.channel).to_dict()


@router.get("/drafts/{followup_id}", summary="A ready-to-send draft for a follow-up, with its review")
def draft(
    followup_id: int, svc: Svc, channel: Channel | None = None, now: str | None = None
) -> dict[str, Any]:
    return drafting.draft(svc, followup_id, channel, now).to_dict()


@router.get("/profile", summary="Your own details")
def get_profile(svc: Svc) -> dict[str, Any]:
    return views.profile_dict(svc)


@router.put("/profile", summary="Change your own details")
def put_profile(body: ProfileIn, svc: Svc) -> dict[str, Any]:
    update_profile(svc, **body.model_dump())
    return views.profile_dict(svc)
