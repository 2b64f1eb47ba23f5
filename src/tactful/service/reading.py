"""What there is to see: the agenda, a follow-up, a thread's history, a person and their threads,
the board of threads by stage. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import Contact, FollowUp, Thread, ThreadHistory, ThreadSummary
from ..errors import InvalidInput, NotFound, ref
from .base import Service
from .lookup import Lookup


@dataclass
class AgendaItem:
    followup: FollowUp
    contact: Contact
    title: str | None
    organisation: str | None


@dataclass
class Agenda:
    now: dt.datetime
    items: list[AgendaItem]
    dormant: list[Thread]


def agenda(svc: Service, now: str | None = None, days: int = 7, everything: bool = False) -> Agenda:
    """What to do: planned follow-ups opening within `days` (all with `everything`, and resting threads)."""
    moment = svc.moment(now, "now")
    if days < 0:
        raise InvalidInput(f"{ref('days')}: must be 0 or more", field="days")
    store = svc.store
    horizon = None if everything else moment + dt.timedelta(days=days)
    followups = store.planned_until(horizon)
    contacts = {c.id: c for c in store.contacts(f.contact_id for f in followups)}
    labels = store.labels(f.thread_id for f in followups)
    items = [AgendaItem(f, contacts[f.contact_id], *labels.get(f.thread_id, (None, None))) for f in followups]
    dormant = store.dormant_threads(None) if everything else []  # `--all` adds them
    return Agenda(moment, items, dormant)


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
