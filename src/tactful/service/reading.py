"""What there is to see: the agenda, a follow-up, a thread's history, a person and their threads,
the board of threads by stage. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain import (
    OWN_TASKS,
    Channel,
    Contact,
    FollowUp,
    Interaction,
    Outgoing,
    SeenMail,
    Status,
    Thread,
    ThreadHistory,
    ThreadSummary,
)
from ..errors import InvalidInput, NotFound, ref
from .base import Service
from .keep_in_touch import Losing, losing_touch
from .lookup import Lookup
from .promises import waiting


@dataclass
class AgendaItem:
    followup: FollowUp
    contact: Contact
    title: str | None
    organisation: str | None
    also: list[FollowUp] = field(default_factory=list)  # to the same person, windows overlapping: one message


def combinable(f: FollowUp) -> bool:
    """Whether `f` may share an e-mail with another to the same person (reminders to yourself, and
    other channels, never do)."""
    return f.status is Status.PLANNED and f.channel is Channel.EMAIL and f.purpose not in OWN_TASKS


def together(followups: list[FollowUp]) -> dict[int, list[FollowUp]]:
    """E-mails to one person whose windows overlap, so that one day suits them all: best sent as
    one. {the first due's id: [the others]}; the others appear with it, not on their own."""
    by_person: dict[int, list[FollowUp]] = {}
    for f in followups:
        if combinable(f):
            by_person.setdefault(f.contact_id, []).append(f)
    joined: dict[int, list[FollowUp]] = {}
    for mine in by_person.values():
        group: list[FollowUp] = []
        for f in sorted(mine, key=lambda f: (f.not_before, f.id)):
            if group and f.not_before > min(g.due_by for g in group):
                _join(group, joined)
                group = []
            group.append(f)
        _join(group, joined)
    return joined


def _join(group: list[FollowUp], joined: dict[int, list[FollowUp]]) -> None:
    if len(group) > 1:
        first, *rest = sorted(group, key=lambda f: (f.due_by, f.id))
        joined[first.id] = rest


@dataclass
class Agenda:
    now: dt.datetime
    items: list[AgendaItem]
    dormant: list[Thread]
    proposals: list[SeenMail] = field(default_factory=list)  # replies waiting for the user's word
    losing_touch: list[Losing] = field(default_factory=list)  # past their keep-in-touch cadence


def agenda(svc: Service, now: str | None = None, days: int = 7, everything: bool = False) -> Agenda:
    """What to do: planned follow-ups opening within `days` (all with `everything`, and resting threads)."""
    moment = svc.moment(now, "now")
    if days < 0:
        raise InvalidInput(f"{ref('days')}: must be 0 or more", field="days")
    store = svc.store
    horizon = None if everything else moment + dt.timedelta(days=days)
    followups = waiting(store.planned_until(horizon))
    contacts = {c.id: c for c in store.contacts(f.contact_id for f in followups)}
    labels = store.labels(f.thread_id for f in followups)
    joined = together(followups)
    inside = {f.id for rest in joined.values() for f in rest}
    items = [
        AgendaItem(
            f, contacts[f.contact_id], *labels.get(f.thread_id, (None, None)), also=joined.get(f.id, [])
        )
        for f in followups
        if f.id not in inside
    ]
    dormant = store.dormant_threads(None) if everything else []  # `--all` adds them
    return Agenda(moment, items, dormant, store.mail_proposals(), losing_touch(svc, moment))


def companions(svc: Service, f: FollowUp, at: dt.datetime | None = None) -> list[FollowUp]:
    """The e-mails to the same person, due around the same days, that `f`'s message also covers
    (none unless `f` is the first due among them); sent `at`, only those about what had happened by
    then (a message cannot answer a meeting still to come)."""
    if not combinable(f):
        return []
    mine = [o for o in svc.store.followups_for_contacts([f.contact_id]) if o.status is Status.PLANNED]
    found = together(mine).get(f.id, [])
    return [o for o in found if at is None or not follows_after(svc, o, at)]


def anchor(svc: Service, f: FollowUp) -> Interaction | None:
    """The interaction a follow-up follows, when it follows one."""
    if f.interaction_id is None:
        return None
    return next((i for i in svc.store.history(f.thread_id).interactions if i.id == f.interaction_id), None)


def follows_after(svc: Service, f: FollowUp, at: dt.datetime) -> bool:
    """Whether what `f` follows happened after `at`: a message sent `at` cannot carry it out."""
    found = anchor(svc, f)
    return found is not None and found.at > at


def followup(svc: Service, followup_id: int) -> FollowUp:
    found = svc.store.get_followup(followup_id)
    if found is None:
        raise NotFound(f"no follow-up {followup_id}; `tactful agenda --all` lists them with their ids")
    return found


def thread(svc: Service, thread_id: int) -> Thread:
    found = svc.store.get_thread(thread_id)
    if found is None:
        raise NotFound(f"no thread {thread_id}; `tactful agenda --all` shows thread ids")
    return found


def history(svc: Service, thread_id: int) -> ThreadHistory:
    """A thread with everything that happened in it and everything planned."""
    return svc.store.history(thread(svc, thread_id).id)


def contact(svc: Service, text: str) -> Contact:
    """The person `text` names: `#ID`, an id, an email address or a name."""
    return Lookup(svc.store, svc.now()).existing(text, "contact")


def tags(svc: Service, person: Contact) -> list[str]:
    return svc.store.tags_of(person.id)


def addresses(svc: Service, person: Contact) -> list[tuple[str, str, str | None]]:
    """A person's further addresses beside the main ones (kind, value, label), the main ones left out."""
    main = {person.email, person.phone, person.linkedin}
    return [a for a in svc.store.contact_addresses(person.id) if a[1] not in main]


def contact_threads(svc: Service, person: Contact) -> list[ThreadHistory]:
    return [svc.store.history(t) for t in svc.store.threads_for_contact(person.id)]


def is_empty(svc: Service) -> bool:
    """Nothing logged yet: a first visit."""
    return svc.store.count_threads() == 0


def board(svc: Service, per_stage: int = 50) -> dict[str, tuple[int, list[ThreadSummary]]]:
    """Threads by stage (active, waiting, dormant, closed): how many, and the latest few."""
    rows = svc.store.thread_rows()
    found: dict[str, tuple[int, list[ThreadSummary]]] = {}
    for stage in ("active", "waiting", "dormant", "closed"):
        these = [r for r in rows if r.stage == stage]
        found[stage] = (len(these), these[:per_stage])
    return found


def schema_version(svc: Service) -> int:
    """The version of the database's schema: reading it proves the database answers."""
    return svc.store.schema_version()


def data_version(svc: Service) -> int:
    """A number that moves whenever anything is committed to the database, here or elsewhere: what
    an answer kept for later is keyed on."""
    return svc.store.version()


@dataclass
class MailNews:
    """What the mailbox brought, for the Today page: recent replies (those waiting for a decision
    first), the outbox's unsettled messages, and the names of the people they concern."""

    connected: bool
    replies: list[SeenMail]
    outbox: list[Outgoing]
    names: dict[int, str]


#: How far back Today shows replies.
REPLIES_SHOWN = dt.timedelta(days=3)


def mail_news(svc: Service, proposals: list[SeenMail] | None = None) -> MailNews:
    """`proposals`: those the agenda already read, when it did."""
    store = svc.store
    now = svc.now()
    recent = store.received_since(now - REPLIES_SHOWN)
    waiting = store.mail_proposals() if proposals is None else proposals
    seen = {m.message_id for m in waiting}
    replies = waiting + [m for m in recent if m.message_id not in seen]
    outbox = [
        o
        for o in store.outgoing(["queued", "sending", "failed"])
        if o.status != "failed"
        or ((f := store.get_followup(o.followup_id)) is not None and f.status is Status.PLANNED)
    ]  # a failed message stays in view until its follow-up is dealt with
    people = {m.contact_id for m in replies if m.contact_id}
    names = {c.id: c.name for c in store.contacts(people)}
    return MailNews(store.get_account() is not None, replies, outbox, names)


def thread_mail(svc: Service, thread_id: int) -> list[SeenMail]:
    """The real messages of a thread, as the mailbox matched them, oldest first."""
    return svc.store.thread_mail(thread_id)


def mail_connected(svc: Service) -> bool:
    return svc.store.get_account() is not None
