"""What a reply seemed to say, confirmed or dismissed by the user (`tactful accept|decline`).

Nothing a reply says is recorded until the user accepts it: a rejection then records the outcome
(and the playbook plans the gracious close), "not now" plans the check-back for the day they named
(or the one the user gives), an invitation logs the next round at the time the user gives, and a
bounce moves the person's planned e-mails to a channel that still reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Channel, Kind, SeenMail, Status
from ..errors import Conflict, InvalidInput, NotFound, ref
from .base import Service, lookback
from .followups import Change, LogRequest, _apply, _touch, log, outcome
from .reading import thread

#: What an invitation after each kind of interaction leads to (others lead to one more of the same).
NEXT = {
    Kind.APPLICATION: Kind.INTERVIEW,
    Kind.INTRODUCTION: Kind.MEETING,
    Kind.HELP_PROMISED: Kind.MEETING,
    Kind.CALL: Kind.MEETING,
}


@dataclass
class Decided:
    mail: SeenMail
    change: Change | None = None  # what accepting it changed in the plan


def proposal(svc: Service, message_id: str) -> SeenMail:
    """The message named, which must still wait for a decision."""
    from . import validate

    message_id = validate.bounded("message_id", message_id, "ref").strip()
    wanted = message_id if message_id.startswith("<") else f"<{message_id}>"
    found = svc.store.get_mail(wanted) or svc.store.get_mail(message_id)
    if found is None:
        raise NotFound(
            f"no message {message_id!r} waits for a decision; `tactful agenda --json` lists them under proposals"
        )
    if found.decision != "proposed":
        said = found.decision or "not a proposal"
        raise Conflict(f"message {found.message_id} is {said}; there is nothing to decide")
    return found


def decline(svc: Service, message_id: str) -> Decided:
    """Dismiss the proposal: the reply still counts as a reply, nothing else is recorded."""
    mail = proposal(svc, message_id)
    with svc.store.transaction():
        svc.store.begin_change("decline", f"declined what {mail.message_id} proposed", svc.now())
        svc.store.decide_mail(mail.message_id, "declined")
    return Decided(svc.store.get_mail(mail.message_id) or mail)


def accept(svc: Service, message_id: str, at: str | None = None) -> Decided:
    """Record what the reply proposed. `at`: the day to check back ("later", when they named none)
    or the time of the next meeting ("invitation")."""
    mail = proposal(svc, message_id)
    store = svc.store
    if mail.thread_id is None or mail.contact_id is None:
        raise Conflict(f"message {mail.message_id} belongs to no thread; log what it says by hand")
    with store.transaction():
        store.begin_change("accept", f"accepted what {mail.message_id} proposed", svc.now())
        change: Change | None
        if mail.kind == "rejection":
            change = outcome(svc, mail.thread_id, "rejected", at=mail.at.isoformat())
        elif mail.kind == "later":
            change = _check_back(svc, mail, at)
        elif mail.kind == "invitation":
            change = _next_round(svc, mail, at)
        elif mail.kind == "bounce":
            change = _switch_channel(svc, mail)
        else:
            raise Conflict(f"message {mail.message_id} proposes nothing to accept")
        store.decide_mail(mail.message_id, "accepted")
    return Decided(store.get_mail(mail.message_id) or mail, change)


def _check_back(svc: Service, mail: SeenMail, at: str | None) -> Change:
    assert mail.thread_id is not None
    when = svc.moment(at, "at", prefer="future") if at else mail.until
    if when is None:
        raise InvalidInput(
            f"{ref('at')}: they named no day; give the day to check back, e.g. 'in 3 weeks'", field="at"
        )
    history = svc.store.history(thread(svc, mail.thread_id).id)
    if history.thread.closed:
        raise Conflict(
            f"thread {mail.thread_id} is closed ({history.thread.outcome}); there is nothing to check on"
        )
    for f in history.followups:
        if f.status is Status.PLANNED and f.nudge:
            svc.store.cancel_followup(f.id, "they asked to hear again later")
    others = svc.store.followups_for_contacts(history.contacts, lookback(svc, when))
    plan = svc.planner.wake(svc.store.history(mail.thread_id), when, others)
    if not plan.new:
        raise InvalidInput(f"thread {mail.thread_id} has nothing to ask again; log what happens next instead")
    change = _apply(svc, mail.thread_id, plan, when)
    _touch(svc, change, history.contacts)
    return change


def _next_round(svc: Service, mail: SeenMail, at: str | None) -> Change:
    assert mail.thread_id is not None
    if not at:
        raise InvalidInput(
            f"{ref('at')}: when is the meeting they invited you to? e.g. 'tuesday 2pm'", field="at"
        )
    history = svc.store.history(thread(svc, mail.thread_id).id)
    anchor = history.latest_interaction()
    kind = NEXT.get(anchor.kind, anchor.kind).value if anchor else Kind.MEETING.value
    logged = log(svc, LogRequest(kind=kind, people=[f"#{mail.contact_id}"], thread_id=mail.thread_id, at=at))
    return logged.change


def _switch_channel(svc: Service, mail: SeenMail) -> Change:
    assert mail.thread_id is not None and mail.contact_id is not None
    person = svc.store.get_contact(mail.contact_id)
    channel = (
        Channel.PHONE if person and person.phone else Channel.LINKEDIN if person and person.linkedin else None
    )
    if channel is None:
        raise Conflict(
            f"no other way to reach them is known: add a phone or LinkedIn with `tactful edit contact {mail.contact_id}`"
        )
    change = Change(thread_id=mail.thread_id)
    for f in svc.store.followups_for_contacts([mail.contact_id]):
        if f.status is Status.PLANNED and f.channel is Channel.EMAIL:
            svc.store.set_channel(f.id, channel)
            change.moved.append(f.id)
    return change
