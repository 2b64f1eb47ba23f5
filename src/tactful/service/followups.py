"""The follow-up loop: log what happened, mark a follow-up sent or skip it, put it off, note a reply
or an outcome. Each asks the planner what comes next and applies its plan in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..business_days import valid_zone
from ..domain import (
    KINDS,
    Channel,
    Contact,
    Event,
    FollowUp,
    Interaction,
    Kind,
    Outcome,
    Purpose,
    Status,
    Thread,
)
from ..errors import Conflict, InvalidInput, ref
from ..playbook.planner import Plan, starts_new_round
from . import validate
from .base import Service, lookback
from .introductions import MEETINGS, close_the_loop
from .keep_in_touch import refresh
from .lookup import Lookup, choice
from .promises import promise
from .reading import anchor, companions, followup, thread

#: Which kinds of interaction each outcome can follow ("closed" follows any).
OUTCOME_KINDS: dict[Outcome, frozenset[Kind]] = {
    outcome: frozenset(
        k for k, facts in KINDS.items() if outcome is Outcome.CLOSED or outcome in facts.outcomes
    )
    for outcome in Outcome
}


@dataclass
class LogRequest:
    """What `log` was told, as typed."""

    kind: str
    people: list[str]
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    org: str | None = None
    role: str | None = None
    title: str | None = None
    at: str | None = None
    decision_by: str | None = None
    promised_by: str | None = None
    promised: str | None = None
    introduced_by: str | None = None
    prefers: str | None = None
    their_tz: str | None = None
    topics: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    note: str | None = None
    time_sensitive: bool = False
    card: bool = False
    thread_id: int | None = None
    i_promised: str | None = None  # what the user promised the (first) person
    i_promised_by: str | None = None


@dataclass
class Change:
    """What a use case did to the plan: the follow-ups it added and cancelled, and the thread's stage."""

    thread_id: int
    added: list[FollowUp] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    dormant_why: str | None = None
    notes: list[str] = field(default_factory=list)  # what the playbook held back, and why
    outcome: str | None = None  # the outcome recorded, as the playbook names it
    moved: list[int] = field(default_factory=list)  # planned follow-ups pushed later by what was sent
    contacts: dict[int, Contact] = field(default_factory=dict)  # the people of `added`
    also_done: list[int] = field(default_factory=list)  # same-day e-mails the one sent covered too


@dataclass
class Logged:
    interaction: Interaction
    change: Change
    thread: Thread | None = None  # the thread it went into
    new_thread: bool = False  # it started that thread, rather than joining one
    ahead: dt.timedelta | None = None  # how far in the future it was logged, when it was
    offers: list[tuple[Contact, str]] = field(default_factory=list)  # tags worth offering the untagged

    @property
    def notice(self) -> str | None:
        """What the user should know about what they typed: a time still to come ('today 10am' at 2am)."""
        if self.ahead is None:
            return None
        hours = round(self.ahead.total_seconds() / 3600)
        span = f"{hours} hours" if hours > 1 else "an hour" if hours == 1 else "minutes"
        return (
            f"That is {span} from now: if it has not happened yet, fix the time with "
            f"{ref('at')} (e.g. 'yesterday 10am')."
        )


def log(svc: Service, req: LogRequest) -> Logged:
    """Record an interaction, creating or matching its people and thread, and plan its follow-ups."""
    kind = choice(Kind, req.kind, "kind")
    if not req.people and kind is Kind.APPLICATION:
        # A portal application names no one: its follow-ups go to the organisation's hiring team.
        for needed in ("org", "title"):
            if not (getattr(req, needed) or "").strip():
                raise InvalidInput(
                    f"{ref(needed)}: an application without {ref('people')} needs the organisation and "
                    f"the role ({ref('org')} and {ref('title')})",
                    field=needed,
                )
        req = replace(req, people=[team_name(req.org or "")])
    if not req.people:
        raise InvalidInput(f"{ref('people')}: who was it with? Name at least one person", field="people")
    req = _checked(req)
    at = svc.moment(req.at, "at")
    decision_by = svc.day(req.decision_by, "decision_by", since=at)  # "next wednesday" after the interview
    promised_by = svc.day(req.promised_by, "promised_by", since=at)
    if req.i_promised_by and not req.i_promised:
        raise InvalidInput(
            f"{ref('i_promised_by')}: by when, but what? Say what you promised with {ref('i_promised')}",
            field="i_promised_by",
        )
    mine_by = svc.day(req.i_promised_by, "i_promised_by", since=at) if req.i_promised_by else None
    prefers = choice(Channel, req.prefers, "prefers") if req.prefers else None
    if req.their_tz and not valid_zone(req.their_tz):
        raise InvalidInput(
            f"{ref('their_tz')}: {req.their_tz!r} is not a time zone; use an IANA name like Asia/Tokyo",
            field="their_tz",
        )
    for name, day in (("decision_by", decision_by), ("promised_by", promised_by), ("i_promised_by", mine_by)):
        if day and day < svc.calendar.local_date(at):
            raise InvalidInput(
                f"{ref(name)}: {day} is before the {kind.value} itself; check the date", field=name
            )
    if kind is Kind.INTRODUCTION and not req.introduced_by:
        raise InvalidInput(
            f"{ref('introduced_by')}: an introduction needs the name of who introduced you",
            field="introduced_by",
        )
    store = svc.store
    with store.transaction():
        store.begin_change("log", f"logged the {kind.value}", svc.now())
        lookup = Lookup(store, at)
        found = [lookup.person(name, req.org, "people") for name in req.people]
        people = list({p.id: p for p in found}.values())  # the same person named twice counts once
        first = {
            "email": req.email,
            "phone": req.phone,
            "linkedin": req.linkedin,
            "role": req.role,
            "prefers": prefers,
            "tz": req.their_tz,
        }
        for n, person in enumerate(people):
            lookup.enrich(person, req.org, **(first if n == 0 else {}))
        introducer = lookup.person(req.introduced_by, None, "introduced_by") if req.introduced_by else None
        thread_id, new_thread = lookup.thread(req.thread_id, req.org, req.title, [p.id for p in people])
        history = store.history(thread_id)
        round_ = history.thread.round
        if starts_new_round(history, kind):
            round_ += 1
            store.update_thread(thread_id, round=round_)
        interaction = Interaction(
            id=0,
            thread_id=thread_id,
            kind=kind,
            at=at,
            contact_ids=tuple(p.id for p in people),
            round=round_,
            decision_by=decision_by,
            promised_by=promised_by,
            promised=req.promised,
            introducer_id=introducer.id if introducer else None,
            time_sensitive=req.time_sensitive,
            wants_card=req.card,
            topics=tuple(t.strip() for t in req.topics if t.strip()),
            questions=tuple(q.strip() for q in req.questions if q.strip()),
            note=req.note,
        )
        interaction.id = store.add_interaction(interaction)
        history = store.history(thread_id)
        others = store.followups_for_contacts(
            [*interaction.contact_ids, interaction.introducer_id or 0], lookback(svc, at)
        )
        plan = svc.planner.after_interaction(history, interaction, others)
        change = _apply(svc, thread_id, plan, at)
        if req.i_promised:
            _report(
                svc, change, [promise(svc, thread_id, people[0].id, req.i_promised, at, mine_by, interaction)]
            )
        if kind in MEETINGS:
            for person in people:
                _report(svc, change, close_the_loop(svc, person.id, at, met=interaction.id))
        _touch(svc, change, [*interaction.contact_ids, interaction.introducer_id or 0])
        offers = [(p, tag) for p, tag in _offers(kind, people, introducer) if not store.tags_of(p.id)]
        with_whom = ", ".join(p.name for p in people)
        store.describe_change(f"logged the {kind.value} with {with_whom} (thread {thread_id})")
    ahead = at - svc.now()
    return Logged(interaction, change, history.thread, new_thread, ahead if ahead > _SOON else None, offers)


def _offers(kind: Kind, people: list[Contact], introducer: Contact | None) -> list[tuple[Contact, str]]:
    """The tags a new acquaintance suggests: someone met is part of your network, and someone who
    introduces people is a connector. Offered, never set."""
    if kind not in (Kind.MEETING, Kind.CALL, Kind.INTRODUCTION):
        return []
    offers = [(p, "network") for p in people]
    return offers + ([(introducer, "connector")] if introducer is not None else [])


def team_name(org: str) -> str:
    """Who a portal application's follow-ups go to: the organisation's hiring team."""
    return f"{' '.join(org.split())} hiring team"


def _checked(req: LogRequest) -> LogRequest:
    """The request with every text checked and cleaned (see `validate`)."""
    return replace(
        req,
        people=[validate.name("people", n) for n in req.people],
        email=validate.email("email", req.email),
        phone=validate.phone("phone", req.phone),
        linkedin=validate.url("linkedin", req.linkedin),
        org=validate.line("org", req.org) or None,
        role=validate.line("role", req.role) or None,
        title=validate.line("title", req.title) or None,
        promised=validate.line("promised", req.promised) or None,
        i_promised=validate.line("i_promised", req.i_promised) or None,
        introduced_by=validate.name("introduced_by", req.introduced_by) if req.introduced_by else None,
        their_tz=validate.line("their_tz", req.their_tz) or None,
        topics=validate.lines("topics", req.topics),
        questions=validate.lines("questions", req.questions),
        note=validate.prose("note", req.note),
    )


#: A logged time this far ahead of the clock is worth pointing out: it has not happened yet.
_SOON = dt.timedelta(minutes=10)


def done(
    svc: Service, followup_id: int, at: str | None = None, channel: str | None = None, text: str | None = None
) -> tuple[FollowUp, Change]:
    """Mark a follow-up sent (`text`: what was sent) and plan what comes after it."""
    f = _planned(svc, followup_id, "mark done")
    text = validate.prose("text", text)
    when = svc.moment(at, "at")
    sent_on = choice(Channel, channel, "channel") if channel else f.channel
    store = svc.store
    follows = anchor(svc, f)
    if follows is not None and when < follows.at:
        said = follows.at.astimezone(svc.zone).strftime("%a %d %b %Y %H:%M")
        raise InvalidInput(
            f"{ref('at')}: it cannot have been sent before the {follows.kind.value} it follows ({said}); "
            "check the date",
            field="at",
        )
    together = companions(svc, f, when) if sent_on is f.channel else []  # the same e-mail covered them too
    with store.transaction():
        store.begin_change("done", f"marked {described(svc, f)} sent", svc.now())
        sent, change = _sent(svc, f, when, sent_on, text)
        for other in together:
            _, more = _sent(svc, other, when, sent_on, text)
            change.also_done.append(other.id)
            change.added += more.added
            change.cancelled += more.cancelled
            change.moved += more.moved
            change.notes += more.notes
            change.contacts |= more.contacts
            change.dormant_why = change.dormant_why or more.dormant_why
        if together:
            store.describe_change(
                f"marked {described(svc, f)} sent, with {', '.join(described(svc, o) for o in together)}"
            )
    return sent, change


def _sent(
    svc: Service, f: FollowUp, when: dt.datetime, channel: Channel, text: str | None
) -> tuple[FollowUp, Change]:
    store = svc.store
    store.finish_followup(f.id, Status.DONE, at=when, channel=channel, text=text)
    if f.purpose is Purpose.LINKEDIN_CONNECT:
        store.update_contact(f.contact_id, linkedin_connected=1)
    history = store.history(f.thread_id)
    sent = next(x for x in history.followups if x.id == f.id)
    others = store.followups_for_contacts([f.contact_id], lookback(svc, when))
    plan = svc.planner.after_sent(history, sent, others)
    change = _apply(svc, f.thread_id, plan, when)
    _touch(svc, change, [f.contact_id])
    return sent, change


def skip(svc: Service, followup_id: int, reason: str | None = None) -> FollowUp:
    """Drop a follow-up without sending it."""
    f = _planned(svc, followup_id, "skip")
    reason = validate.line("reason", reason)
    with svc.store.transaction():
        svc.store.begin_change("skip", f"skipped {described(svc, f)}", svc.now())
        svc.store.finish_followup(f.id, Status.SKIPPED, reason=reason or "skipped")
        refresh(svc, [f.contact_id])
    return followup(svc, f.id)


@dataclass
class Snoozed:
    followup: FollowUp
    contact: Contact
    held: list[str] = field(default_factory=list)  # the limits that kept it later than asked


def snooze(svc: Service, followup_id: int, until: str | None = None, business_days: int = 1) -> Snoozed:
    """Put a follow-up off: its window opens at `until` (default: `business_days` business days from
    today), or later where the playbook's limits hold it; it keeps its length."""
    f = _planned(svc, followup_id, "snooze")
    cal = svc.calendar
    now = svc.now()
    if until:
        target = svc.moment(until, "until", prefer="future")
        if target <= now:
            raise InvalidInput(
                f"{ref('until')}: that time has passed; give a later one, e.g. 'monday 9am'", field="until"
            )
    else:
        target = cal.start_of(cal.add_business_days(cal.local_date(now), business_days))
    if target <= f.not_before:
        opens = f.not_before.astimezone(svc.zone).strftime("%a %d %b %H:%M")
        raise InvalidInput(
            f"{ref('until')}: follow-up {f.id} does not open before {opens} anyway; snooze moves it later",
            field="until",
        )
    moved = replace(f, due_by=max(f.due_by, target + (f.due_by - f.not_before)), not_before=target)
    person = svc.store.get_contact(f.contact_id) or Contact(f.contact_id, "them")
    others = [o for o in svc.store.followups_for_contacts([person.id], lookback(svc, now)) if o.id != f.id]
    held = svc.planner.guards.apply(moved, person, others)
    moved.suggested_at = svc.planner.guards.suggest(moved, person, False)
    with svc.store.transaction():
        svc.store.begin_change("snooze", f"snoozed {described(svc, f)}", now)
        svc.store.move_followup(f.id, moved.not_before, moved.due_by, moved.suggested_at or moved.not_before)
    return Snoozed(followup(svc, f.id), person, held)


def wake(svc: Service, thread_id: int, at: str | None = None) -> Change:
    """A resting thread goes on: its next nudge is planned again, opening now, within the limits."""
    history = svc.store.history(thread(svc, thread_id).id)
    if history.thread.closed:
        raise Conflict(f"thread {thread_id} is closed ({history.thread.outcome}); there is nothing to wake")
    waiting = [f for f in history.followups if f.status is Status.PLANNED]
    if history.thread.dormant_at is None and waiting:
        raise Conflict(
            f"thread {thread_id} is not resting: follow-up {waiting[0].id} is planned; `tactful snooze` moves it"
        )
    when = svc.moment(at, "at")
    store = svc.store
    with store.transaction():
        store.begin_change("wake", f"woke thread {thread_id}", svc.now())
        others = store.followups_for_contacts(history.contacts, lookback(svc, when))
        plan = svc.planner.wake(history, when, others)
        if not plan.new:
            raise InvalidInput(f"thread {thread_id} has nothing to ask again; log what happens next instead")
        change = _apply(svc, thread_id, plan, when)
        _touch(svc, change, history.contacts)
    return change


def reply(svc: Service, name: str, thread_id: int | None = None, at: str | None = None) -> Change:
    """They answered: the thread's nudges stop."""
    when = svc.moment(at, "at")
    store = svc.store
    with store.transaction():
        lookup = Lookup(store, when)
        person = lookup.existing(name, "from")
        tid = lookup.thread_of(person, thread_id)
        store.begin_change("reply", f"noted {person.name}'s reply (thread {tid})", svc.now())
        change = answered(svc, tid, person.id, when)
    return change


def answered(svc: Service, thread_id: int, contact_id: int, at: dt.datetime) -> Change:
    """Their reply, recorded inside the caller's transaction: the thread's nudges stop, the introducer
    hears how it went when it is the first answer to an introduction, and the keep-in-touch clock
    starts again."""
    store = svc.store
    store.add_event(Event(id=0, thread_id=thread_id, kind="reply", at=at, contact_id=contact_id))
    change = _apply(svc, thread_id, svc.planner.after_reply(store.history(thread_id)), at)
    _report(svc, change, close_the_loop(svc, contact_id, at))
    _touch(svc, change, [contact_id])
    return change


def outcome(
    svc: Service, thread_id: int, result: str, at: str | None = None, reply_by: str | None = None
) -> Change:
    """How a thread ended: the nudges stop, and the playbook may plan a last courtesy. An offer's
    reply deadline (`reply_by`) adds a reminder to yourself before it."""
    ended = choice(Outcome, result, "outcome")
    when = svc.moment(at, "at")
    deadline = svc.day(reply_by, "reply_by", since=when) if reply_by else None
    if deadline is not None and ended is not Outcome.OFFER:
        raise InvalidInput(f"{ref('reply_by')}: only an offer has a reply deadline", field="reply_by")
    if deadline is not None and deadline < svc.calendar.local_date(when):
        raise InvalidInput(f"{ref('reply_by')}: {deadline} has passed; check the date", field="reply_by")
    store = svc.store
    history = store.history(thread(svc, thread_id).id)
    kinds = {i.kind for i in history.interactions}
    if not kinds & OUTCOME_KINDS[ended]:
        fits = ", ".join(sorted(k.value for k in OUTCOME_KINDS[ended]))
        raise InvalidInput(
            f"thread {thread_id} has no {fits}, so it cannot be {ended.value}; use 'closed' to end it",
            field="outcome",
        )
    if history.thread.closed:
        raise Conflict(f"thread {thread_id} is already closed ({history.thread.outcome}); nothing to change")
    with store.transaction():
        store.begin_change("outcome", f"recorded thread {thread_id}: {ended.said}", svc.now())
        store.add_event(Event(id=0, thread_id=thread_id, kind="outcome", at=when, outcome=ended))
        store.update_thread(thread_id, outcome=ended.value, outcome_at=when)
        others = store.followups_for_contacts(history.contacts, lookback(svc, when))
        plan = svc.planner.after_outcome(store.history(thread_id), ended, when, others, deadline)
        change = _apply(svc, thread_id, plan, when)
        _touch(svc, change, history.contacts)
    change.outcome = ended.value
    return change


def remind(svc: Service, who: str, at: str | None, note: str | None = None) -> tuple[FollowUp, Contact]:
    """A reminder of the user's own about a person, on the agenda at `at` like any follow-up."""
    if not at:
        raise InvalidInput(f"{ref('at')}: when should it remind you? e.g. 'friday 9am'", field="at")
    when = svc.moment(at, "at", prefer="future")
    now = svc.now()
    if when < now - dt.timedelta(minutes=1):
        raise InvalidInput(f"{ref('at')}: that time has passed; give a later one", field="at")
    note = validate.line("note", note) or None
    store = svc.store
    with store.transaction():
        person = Lookup(store, now).existing(who, "contact")
        store.begin_change("remind", f"set a reminder about {person.name}", now)
        threads = store.threads_for_contact(person.id)
        thread_id = store.find_open_thread_for_contact(person.id) or (threads[-1] if threads else None)
        if thread_id is None:
            thread_id = store.add_thread(now, None, person.organisation)
        day_ends = svc.calendar.end_of(svc.calendar.local_date(when))
        f = FollowUp(
            id=0,
            thread_id=thread_id,
            contact_id=person.id,
            rule="self.reminder",
            purpose=Purpose.REMINDER_TO_SELF,
            channel=Channel.EMAIL,
            nudge=False,
            not_before=when,
            due_by=max(day_ends, when),
            suggested_at=when,
            why=f"Your reminder: {note}" if note else f"A reminder you set about {person.name}.",
        )
        f.id = store.add_followup(f)
    return followup(svc, f.id), person


def described(svc: Service, f: FollowUp) -> str:
    """A follow-up as a person recognises it: "follow-up 3 (thank-you to Priya Natarajan)"."""
    person = svc.store.get_contact(f.contact_id)
    return f"follow-up {f.id} ({f.purpose.value} to {person.name if person else 'them'})"


def _planned(svc: Service, followup_id: int, verb: str) -> FollowUp:
    f = followup(svc, followup_id)
    if f.status is not Status.PLANNED:
        raise Conflict(f"follow-up {f.id} is already {f.status.value}; there is nothing to {verb}")
    return f


def _apply(svc: Service, thread_id: int, plan: Plan, at: dt.datetime) -> Change:
    """Store what the planner decided, inside the caller's transaction."""
    store = svc.store
    change = Change(thread_id=thread_id, dormant_why=plan.dormant_why, notes=plan.notes)
    for fid, reason in plan.cancel:
        store.cancel_followup(fid, reason)
        change.cancelled.append(fid)
    for f in plan.new:
        f.id = store.add_followup(f)
        change.added.append(f)
    for f in plan.moved:
        store.move_followup(f.id, f.not_before, f.due_by, f.suggested_at or f.not_before, f.why)
        change.moved.append(f.id)
    if plan.dormant_why:
        store.update_thread(thread_id, dormant_at=at, dormant_why=plan.dormant_why)
    elif plan.wake or plan.new:
        store.update_thread(thread_id, dormant_at=None, dormant_why=None)
    if plan.close:
        store.update_thread(thread_id, closed=1)
    change.contacts = {c.id: c for c in store.contacts(f.contact_id for f in change.added)}
    return change


def _report(svc: Service, change: Change, added: list[FollowUp]) -> None:
    """Follow-ups planned beside the playbook's own (a promise, a note to an introducer, a
    keep-in-touch check-in) join what `change` reports, with their people."""
    change.added += added
    change.contacts |= {c.id: c for c in svc.store.contacts(f.contact_id for f in added)}


def _touch(svc: Service, change: Change, contact_ids: Iterable[int]) -> None:
    """After anything that touched these people: their keep-in-touch check-ins, planned again."""
    _report(svc, change, refresh(svc, [c for c in contact_ids if c]))
