"""The use cases: what a person can do with tactful, whichever face they use.

The CLI, the web pages and the JSON API call only this layer. It reads and checks their input,
asks the planner, and stores the outcome in one transaction per use case: bad input raises a
`TactfulError` before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ..business_days import (
    BusinessCalendar,
    country_for_zone,
    system_zone_name,
    valid_country,
    valid_zone,
    zone,
)
from ..domain import (
    Channel,
    Contact,
    Event,
    FollowUp,
    Interaction,
    Kind,
    Outcome,
    Profile,
    Status,
    Thread,
    ThreadHistory,
    ThreadSummary,
)
from ..errors import Conflict, InvalidInput, NotFound
from ..playbook.planner import Plan, Planner, starts_new_round
from ..store.base import Store
from ..timeparse import parse_day, parse_moment
from .drafting import MessageCases
from .lookup import Lookup, choice

#: Which kinds of interaction each outcome can follow.
OUTCOME_KINDS: dict[Outcome, frozenset[Kind]] = {
    Outcome.REJECTED: frozenset({Kind.INTERVIEW, Kind.APPLICATION}),
    Outcome.OFFER: frozenset({Kind.INTERVIEW, Kind.APPLICATION}),
    Outcome.ACCEPTED: frozenset({Kind.INTERVIEW, Kind.APPLICATION, Kind.PRESENTATION, Kind.CLIENT_MEETING}),
    Outcome.WON: frozenset({Kind.PRESENTATION, Kind.CLIENT_MEETING}),
    Outcome.LOST: frozenset({Kind.PRESENTATION, Kind.CLIENT_MEETING}),
    Outcome.HELPED: frozenset({Kind.HELP_PROMISED, Kind.INTRODUCTION}),
    Outcome.CLOSED: frozenset(Kind),
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


@dataclass
class Logged:
    interaction: Interaction
    change: Change


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


class Service(MessageCases):
    def __init__(
        self,
        store: Store,
        playbook_path: Path | None = None,
        now: dt.datetime | None = None,
        phrases_path: Path | None = None,
        templates_dir: Path | None = None,
    ):
        self.store = store
        self.playbook_path = playbook_path
        self.phrases_path = phrases_path
        self.templates_dir = templates_dir
        self._fixed_now = now

    def use_clock(self, moment: dt.datetime | None) -> None:
        """Answer as if it were `moment` (None: the real time), e.g. for a sample history or a replay."""
        self._fixed_now = moment

    # -- context -----------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._fixed_now or dt.datetime.now(dt.UTC).replace(microsecond=0)

    @cached_property
    def profile(self) -> Profile:
        return self.store.get_profile()

    @property
    def zone_name(self) -> str:
        return self.profile.tz or system_zone_name()

    @cached_property
    def calendar(self) -> BusinessCalendar:
        country = self.profile.country or country_for_zone(self.zone_name)
        return BusinessCalendar(self.zone_name, country)

    @cached_property
    def planner(self) -> Planner:
        from ..playbook import rules as playbook

        return Planner(playbook.load(self.playbook_path), self.calendar, self.profile)

    def refresh(self) -> None:
        """Forget what was read from the store (profile, calendar, planner) after it changed underneath."""
        for name in ("profile", "calendar", "planner"):
            self.__dict__.pop(name, None)

    def moment(self, text: str | None, what: str, prefer: Literal["past", "future"] = "past") -> dt.datetime:
        if not text:
            return self.now()
        return parse_moment(text, zone(self.zone_name), self.now(), prefer, what)

    def day(self, text: str | None, what: str) -> dt.date | None:
        if not text:
            return None
        return parse_day(text, zone(self.zone_name), self.now(), "future", what)

    # -- profile ---------------------------------------------------------------------------------
    def update_profile(self, **changes: Any) -> Profile:
        """Change the fields given; None leaves a field as it is, an empty text clears it."""
        values = {k: v for k, v in changes.items() if v is not None}
        cleared = {k for k, v in values.items() if isinstance(v, str) and not v.strip()}
        values.update(dict.fromkeys(cleared))
        if values.get("tz") and not valid_zone(values["tz"]):
            raise InvalidInput(
                f"--tz: {values['tz']!r} is not a time zone; use an IANA name like Europe/London"
            )
        if values.get("country"):
            values["country"] = values["country"].upper()
            if not valid_country(values["country"]):
                raise InvalidInput(
                    f"--country: {values['country']!r} is not a supported country; use a code like GB or US"
                )
        if "skills" in values:
            values["skills"] = tuple(s.strip() for s in values["skills"] if s.strip())
        profile = replace(self.profile, **values)
        with self.store.transaction():
            self.store.save_profile(profile)
        self.refresh()
        return profile

    # -- logging -----------------------------------------------------------------------------------
    def log(self, req: LogRequest) -> Logged:
        kind = choice(Kind, req.kind, "kind")
        if not req.people:
            raise InvalidInput("log needs at least one --with NAME: who was it with?")
        at = self.moment(req.at, "--at")
        decision_by = self.day(req.decision_by, "--decision-by")
        promised_by = self.day(req.promised_by, "--promised-by")
        prefers = choice(Channel, req.prefers, "--prefers") if req.prefers else None
        if req.their_tz and not valid_zone(req.their_tz):
            raise InvalidInput(
                f"--their-tz: {req.their_tz!r} is not a time zone; use an IANA name like Asia/Tokyo"
            )
        if decision_by and decision_by < self.calendar.local_date(at):
            raise InvalidInput(
                f"--decision-by {decision_by} is before the {kind.value} itself; check the date"
            )
        if promised_by and promised_by < self.calendar.local_date(at):
            raise InvalidInput(
                f"--promised-by {promised_by} is before the {kind.value} itself; check the date"
            )
        if kind is Kind.INTRODUCTION and not req.introduced_by:
            raise InvalidInput("an introduction needs --introduced-by NAME: who introduced you?")
        with self.store.transaction():
            lookup = Lookup(self.store, at)
            found = [lookup.person(name, req.org) for name in req.people]
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
            introducer = lookup.person(req.introduced_by, None) if req.introduced_by else None
            thread_id = lookup.thread(req.thread_id, req.org, req.title, people[0].id)
            history = self.store.history(thread_id)
            round_ = history.thread.round
            if starts_new_round(history, kind):
                round_ += 1
                self.store.update_thread(thread_id, round=round_)
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
            interaction.id = self.store.add_interaction(interaction)
            history = self.store.history(thread_id)
            others = self.store.followups_for_contacts(
                [*interaction.contact_ids, interaction.introducer_id or 0], self._lookback(at)
            )
            plan = self.planner.after_interaction(history, interaction, others)
            change = self._apply(thread_id, plan, at)
        return Logged(interaction, change)

    # -- follow-ups ----------------------------------------------------------------------------------
    def followup(self, followup_id: int) -> FollowUp:
        found = self.store.get_followup(followup_id)
        if found is None:
            raise NotFound(f"no follow-up {followup_id}; `tactful agenda --all` lists them with their ids")
        return found

    def done(
        self, followup_id: int, at: str | None = None, channel: str | None = None, text: str | None = None
    ) -> tuple[FollowUp, Change]:
        f = self._planned(followup_id, "mark done")
        when = self.moment(at, "--at")
        sent_on = choice(Channel, channel, "--channel") if channel else f.channel
        with self.store.transaction():
            self.store.finish_followup(f.id, Status.DONE, at=when, channel=sent_on, text=text)
            if f.purpose.value == "linkedin-connect":
                self.store.update_contact(f.contact_id, linkedin_connected=1)
            history = self.store.history(f.thread_id)
            sent = next(x for x in history.followups if x.id == f.id)
            others = self.store.followups_for_contacts([f.contact_id], self._lookback(when))
            plan = self.planner.after_sent(history, sent, others)
            change = self._apply(f.thread_id, plan, when)
        return sent, change

    def skip(self, followup_id: int, reason: str | None = None) -> FollowUp:
        f = self._planned(followup_id, "skip")
        with self.store.transaction():
            self.store.finish_followup(f.id, Status.SKIPPED, reason=reason or "skipped")
        return self.followup(f.id)

    def snooze(self, followup_id: int, business_days: int = 1) -> FollowUp:
        """Put a follow-up off: its window opens `business_days` business days from today."""
        f = self._planned(followup_id, "snooze")
        cal = self.calendar
        opens = cal.start_of(cal.add_business_days(cal.local_date(self.now()), business_days))
        if opens > f.not_before:
            f.due_by = max(f.due_by, opens + (f.due_by - f.not_before))
            f.not_before = opens
            person = self.store.get_contact(f.contact_id)
            suggested = self.planner.guards.suggest(f, person, False) if person else opens
            with self.store.transaction():
                self.store.move_followup(f.id, f.not_before, f.due_by, suggested)
        return self.followup(f.id)

    def _planned(self, followup_id: int, verb: str) -> FollowUp:
        f = self.followup(followup_id)
        if f.status is not Status.PLANNED:
            raise Conflict(f"follow-up {f.id} is already {f.status.value}; there is nothing to {verb}")
        return f

    # -- what they did -----------------------------------------------------------------------------------
    def reply(self, name: str, thread_id: int | None = None, at: str | None = None) -> Change:
        when = self.moment(at, "--at")
        with self.store.transaction():
            lookup = Lookup(self.store, when)
            person = lookup.existing(name)
            tid = lookup.thread_of(person, thread_id)
            self.store.add_event(Event(id=0, thread_id=tid, kind="reply", at=when, contact_id=person.id))
            change = self._apply(tid, self.planner.after_reply(self.store.history(tid)), when)
        return change

    def outcome(self, thread_id: int, outcome: str, at: str | None = None) -> Change:
        result = choice(Outcome, outcome, "outcome")
        when = self.moment(at, "--at")
        history = self.store.history(self.thread(thread_id).id)
        kinds = {i.kind for i in history.interactions}
        if not kinds & OUTCOME_KINDS[result]:
            fits = ", ".join(sorted(k.value for k in OUTCOME_KINDS[result]))
            raise InvalidInput(
                f"thread {thread_id} has no {fits}, so it cannot be {result.value}; use 'closed' to end it"
            )
        if history.thread.closed:
            raise Conflict(
                f"thread {thread_id} is already closed ({history.thread.outcome}); nothing to change"
            )
        with self.store.transaction():
            self.store.add_event(Event(id=0, thread_id=thread_id, kind="outcome", at=when, outcome=result))
            self.store.update_thread(thread_id, outcome=result.value, outcome_at=when)
            others = self.store.followups_for_contacts(history.contacts, self._lookback(when))
            plan = self.planner.after_outcome(self.store.history(thread_id), result, when, others)
            change = self._apply(thread_id, plan, when)
        change.outcome = result.value
        return change

    def _lookback(self, at: dt.datetime) -> dt.datetime:
        """How far back a sent follow-up can still constrain a new one under the playbook's limits."""
        limits = self.planner.playbook.limits
        business = max(limits.spacing_business_days, limits.one_channel_business_days)
        return at - dt.timedelta(days=2 * business + limits.phone_after_email_days + 14)

    def _apply(self, thread_id: int, plan: Plan, at: dt.datetime) -> Change:
        change = Change(thread_id=thread_id, dormant_why=plan.dormant_why, notes=plan.notes)
        for fid, reason in plan.cancel:
            self.store.cancel_followup(fid, reason)
            change.cancelled.append(fid)
        for f in plan.new:
            f.id = self.store.add_followup(f)
            change.added.append(f)
        for f in plan.moved:
            self.store.move_followup(f.id, f.not_before, f.due_by, f.suggested_at or f.not_before, f.why)
            change.moved.append(f.id)
        if plan.dormant_why:
            self.store.update_thread(thread_id, dormant_at=at, dormant_why=plan.dormant_why)
        elif plan.wake or plan.new:
            self.store.update_thread(thread_id, dormant_at=None, dormant_why=None)
        if plan.close:
            self.store.update_thread(thread_id, closed=1)
        change.contacts = {c.id: c for c in self.store.contacts(f.contact_id for f in change.added)}
        return change

    # -- reading -------------------------------------------------------------------------------------
    def agenda(self, now: str | None = None, days: int = 7, everything: bool = False) -> Agenda:
        moment = self.moment(now, "--now")
        if days < 0:
            raise InvalidInput("--days must be 0 or more")
        horizon = None if everything else moment + dt.timedelta(days=days)
        followups = self.store.planned_until(horizon)
        contacts = {c.id: c for c in self.store.contacts(f.contact_id for f in followups)}
        labels = self.store.labels(f.thread_id for f in followups)
        items = [
            AgendaItem(f, contacts[f.contact_id], *labels.get(f.thread_id, (None, None))) for f in followups
        ]
        dormant = self.store.dormant_threads(None) if everything else []  # `--all` adds them
        return Agenda(moment, items, dormant)

    def thread(self, thread_id: int) -> Thread:
        found = self.store.get_thread(thread_id)
        if found is None:
            raise NotFound(f"no thread {thread_id}; `tactful agenda --all` shows thread ids")
        return found

    def contact(self, ref: str) -> Contact:
        return Lookup(self.store, self.now()).existing(ref)

    def is_empty(self) -> bool:
        """Nothing logged yet: a first visit."""
        return self.store.count_threads() == 0

    def board(self, per_stage: int = 50) -> dict[str, tuple[int, list[ThreadSummary]]]:
        """Threads by stage (active, waiting, dormant, closed): how many, and the latest few."""
        rows = self.store.thread_rows()
        board: dict[str, tuple[int, list[ThreadSummary]]] = {}
        for stage in ("active", "waiting", "dormant", "closed"):
            these = [r for r in rows if r.stage == stage]
            board[stage] = (len(these), these[:per_stage])
        return board

    def history(self, thread_id: int) -> ThreadHistory:
        return self.store.history(self.thread(thread_id).id)

    def contact_threads(self, person: Contact) -> list[ThreadHistory]:
        return [self.store.history(t) for t in self.store.threads_for_contact(person.id)]
