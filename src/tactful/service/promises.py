"""Promises the user made (`log ... --i-promised "send the deck" --by friday`): each a task of their
own on the agenda (purpose `promise`), whose contact is the person it was promised to.

While one is open, a nudge to that person waits: asking them for something before doing what you
said you would reads badly. Once it is kept (marked done), the next message to them says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from ..domain import FollowUp, Interaction, Purpose, Status
from ..errors import InvalidInput, ref
from . import validate
from .base import Service, lookback

RULE = "self.promise"


def promise(
    svc: Service,
    thread_id: int,
    contact_id: int,
    what: str,
    at: dt.datetime,
    by: dt.date | None = None,
    interaction: Interaction | None = None,
) -> FollowUp:
    """Record a promise to `contact_id` in `thread_id`, made at `at`, inside the caller's transaction."""
    text = validate.line("i_promised", what)
    if not text:
        raise InvalidInput(
            f"{ref('i_promised')}: say what you promised, e.g. 'send the deck'", field="i_promised"
        )
    if by is not None and by < svc.calendar.local_date(at):
        raise InvalidInput(
            f"{ref('i_promised_by')}: {by} is before you made the promise; check the date",
            field="i_promised_by",
        )
    store = svc.store
    history = store.history(thread_id)
    person = history.contacts.get(contact_id) or store.get_contact(contact_id)
    if person is None:
        raise InvalidInput(f"no person {contact_id}", field="contact")
    others = store.followups_for_contacts([contact_id], lookback(svc, at))
    plan = svc.planner.promise(history, interaction, person, text, at, by, others)
    f = plan.new[0]
    f.id = store.add_followup(f)
    return f


def promise_while_writing(svc: Service, followup_id: int, what: str, by: str | None = None) -> FollowUp:
    """A promise made in the message of follow-up `followup_id` (from the compose view): to its
    recipient, in its thread, made now; one change for `undo`."""
    from ..errors import NotFound

    f = svc.store.get_followup(followup_id)
    if f is None:
        raise NotFound(f"there is no follow-up {followup_id}")
    now = svc.now()
    day = svc.day(by, "i_promised_by", since=now) if by else None
    with svc.store.transaction():
        person = svc.store.get_contact(f.contact_id)
        svc.store.begin_change("promise", f"noted your promise to {person.name if person else 'them'}", now)
        return promise(svc, f.thread_id, f.contact_id, what, now, day)


def open_promises(followups: Iterable[FollowUp]) -> dict[int, FollowUp]:
    """The first open promise to each person, among `followups`: what their nudges wait for."""
    found: dict[int, FollowUp] = {}
    for f in followups:
        if f.purpose is Purpose.PROMISE and f.status is Status.PLANNED:
            kept = found.get(f.contact_id)
            if kept is None or f.due_by < kept.due_by:
                found[f.contact_id] = f
    return found


def held(f: FollowUp, promises: dict[int, FollowUp]) -> FollowUp | None:
    """The open promise a planned nudge `f` waits for, if any."""
    if not f.nudge or f.status is not Status.PLANNED:
        return None
    return promises.get(f.contact_id)


def waiting(followups: list[FollowUp]) -> list[FollowUp]:
    """The planned follow-ups as the agenda shows them: a nudge to someone you owe a promise waits
    (it opens no sooner than the promise is due, and says why) until you mark the promise done."""
    promises = open_promises(followups)
    if not promises:
        return followups
    shown = []
    for f in followups:
        owed = held(f, promises)
        if owed is not None and owed.due_by > f.not_before:
            length = f.due_by - f.not_before
            f = replace(
                f,
                not_before=owed.due_by,
                due_by=owed.due_by + length,
                suggested_at=None,
                why=f"{f.why} Waits until you have kept your promise: {owed.promise or 'see follow-up ' + str(owed.id)}.",
            )
        shown.append(f)
    return sorted(shown, key=lambda f: (f.due_by, f.id))


def kept_since(followups: Iterable[FollowUp], contact_id: int, since: dt.datetime | None) -> list[str]:
    """What the user promised `contact_id` and kept after `since` (their last message to them): what
    the next message may say was done."""
    return [
        f.promise
        for f in followups
        if f.purpose is Purpose.PROMISE
        and f.contact_id == contact_id
        and f.status is Status.DONE
        and f.promise
        and f.done_at is not None
        and (since is None or f.done_at > since)
    ]
