"""The planning engine: turns what happened into what to do next, by the playbook.

Pure: it reads a thread's history (and the user's other outreach to the same people) and returns a
`Plan` (follow-ups to add, follow-ups to cancel, whether the thread turns dormant). The service
layer stores the plan. Every follow-up carries the rule that made it and a one-line reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain import (
    GRATITUDE,
    KINDS,
    OWN_TASKS,
    Channel,
    Contact,
    FollowUp,
    Interaction,
    Kind,
    Outcome,
    Profile,
    Purpose,
    Status,
    ThreadHistory,
)
from .guards import Guards

if TYPE_CHECKING:
    from ..business_days import BusinessCalendar
    from .rules import Playbook, Rule

#: Kinds whose threads go through rounds; a new one replaces the pending nudges.
ROUND_KINDS = frozenset(kind for kind, facts in KINDS.items() if facts.rounds)
#: Kinds whose stated decision date, once passed, allows a second nudge.
DECISION_KINDS = ROUND_KINDS
#: Outcomes after which the thread is closed.
CLOSING = frozenset(
    {Outcome.REJECTED, Outcome.ACCEPTED, Outcome.WON, Outcome.LOST, Outcome.CLOSED, Outcome.HELPED}
)

_TIMES = {1: "once", 2: "twice"}

#: The rules `Planner.after_interaction` plans for each kind: what a corrected interaction plans again.
FROM_INTERACTION: dict[Kind, frozenset[str]] = {
    Kind.INTERVIEW: frozenset(
        {
            "interview.thank-you",
            "interview.handwritten-note",
            "interview.check-in",
            "interview.check-in-after-deadline",
        }
    ),
    Kind.APPLICATION: frozenset({"application.check"}),
    Kind.MEETING: frozenset({"meeting.reconnect"}),
    Kind.INTRODUCTION: frozenset({"introduction.thank-introducer", "introduction.introduce-yourself"}),
    Kind.HELP_PROMISED: frozenset({"help.reminder", "help.reminder-after-date"}),
    Kind.CALL: frozenset({"call.recap"}),
    Kind.PRESENTATION: frozenset({"presentation.recap"}),
    Kind.CLIENT_MEETING: frozenset({"client-meeting.recap"}),
}

#: The step that asks again when the user wakes a resting thread, by the kind it is about.
WAKE_RULES = {
    Kind.INTERVIEW: "interview.check-in",
    Kind.APPLICATION: "application.check",
    Kind.PRESENTATION: "presentation.check-in",
    Kind.CLIENT_MEETING: "client-meeting.check-in",
    Kind.HELP_PROMISED: "help.reminder",
    Kind.MEETING: "meeting.reconnect",
    Kind.INTRODUCTION: "introduction.introduce-yourself",
    Kind.CALL: "meeting.reconnect",
}


@dataclass
class Plan:
    """What changes in a thread: follow-ups to add and to cancel, and its new stage."""

    new: list[FollowUp] = field(default_factory=list)
    cancel: list[tuple[int, str]] = field(default_factory=list)
    dormant_why: str | None = None
    notes: list[str] = field(default_factory=list)  # what was not planned, and why
    moved: list[FollowUp] = field(default_factory=list)  # planned ones pushed later, as they now stand
    wake: bool = False
    close: bool = False


def starts_new_round(history: ThreadHistory, kind: Kind) -> bool:
    """An interview (presentation, client meeting) in a thread that already went a step down the
    same road (an application, an earlier interview) is its next round, with nudges of its own."""
    group = KINDS[kind].group
    return kind in ROUND_KINDS and any(KINDS[i.kind].group == group for i in history.interactions)


class Planner:
    def __init__(self, playbook: Playbook, calendar: BusinessCalendar, profile: Profile) -> None:
        self.playbook = playbook
        self.cal = calendar
        self.profile = profile
        self.guards = Guards(playbook, calendar)

    # -- events ----------------------------------------------------------------------------------
    def after_interaction(
        self, history: ThreadHistory, interaction: Interaction, others: list[FollowUp]
    ) -> Plan:
        """Plan the follow-ups of a newly logged interaction (already part of `history`)."""
        plan = Plan()
        if interaction.kind in ROUND_KINDS and interaction.round > 1:
            for f in self._pending(history, nudges_only=True):
                if f.round < interaction.round:
                    plan.cancel.append((f.id, f"replaced by round {interaction.round}"))
            plan.wake = True
        ctx = _Context(self, history, interaction, others, plan)
        people = [history.contacts[c] for c in interaction.contact_ids]
        primary = people[0]
        at = interaction.at
        kind = interaction.kind
        if kind is Kind.INTERVIEW:
            for person in people:
                ctx.propose("interview.thank-you", person, at)
                if self.profile.notes or interaction.wants_card:
                    ctx.propose("interview.handwritten-note", person, at)
            if interaction.decision_by:
                ctx.propose("interview.check-in-after-deadline", primary, self._day(interaction.decision_by))
            else:
                ctx.propose("interview.check-in", primary, at)
        elif kind is Kind.APPLICATION:
            ctx.propose("application.check", primary, at)
        elif kind is Kind.MEETING:
            for person in people:
                channel = Channel.EMAIL if person.email or not person.linkedin else Channel.LINKEDIN
                ctx.propose("meeting.reconnect", person, at, channel=channel)
        elif kind is Kind.INTRODUCTION:
            introducer = history.contacts.get(interaction.introducer_id or -1)
            if introducer is not None:
                ctx.propose("introduction.thank-introducer", introducer, at)
            for person in people:
                ctx.propose("introduction.introduce-yourself", person, at)
        elif kind is Kind.HELP_PROMISED:
            if interaction.promised_by:
                ctx.propose("help.reminder-after-date", primary, self._day(interaction.promised_by))
            else:
                ctx.propose("help.reminder", primary, at)
        else:  # call, presentation, client meeting: a recap first; check-ins once it is sent
            ctx.propose(f"{kind.value}.recap", primary, at)
        return plan

    def promise(
        self,
        history: ThreadHistory,
        interaction: Interaction | None,
        person: Contact,
        what: str,
        at: dt.datetime,
        by: dt.date | None,
        others: list[FollowUp],
    ) -> Plan:
        """A task of the user's own: keep what they promised `person`, by `by` when they said."""
        plan = Plan()
        ctx = _Context(self, history, interaction, others, plan)
        ctx.promise = what
        ctx.propose("self.promise", person, at)
        for f in plan.new:
            f.promise = what
            if by is not None:
                f.due_by = max(self.cal.end_of(by), f.not_before)
        return plan

    def close_the_loop(
        self,
        history: ThreadHistory,
        introduction: Interaction,
        introducer: Contact,
        at: dt.datetime,
        others: list[FollowUp],
    ) -> Plan:
        """A note to `introducer` once the person they introduced first answered or met the user (at
        `at`): how it went, and thanks again. Once per introduction."""
        plan = Plan()
        _Context(self, history, introduction, others, plan).propose(
            "introduction.close-the-loop", introducer, at
        )
        return plan

    def keep_in_touch(
        self, history: ThreadHistory, person: Contact, at: dt.datetime, every: str, others: list[FollowUp]
    ) -> Plan:
        """A light check-in with `person`, in their most recent thread (`history`), its window opening
        on the day `at` their cadence (`every`, as said: "2 months") comes round."""
        plan = Plan()
        ctx = _Context(self, history, None, others, plan)
        ctx.every = every
        ctx.propose("keep-in-touch.check-in", person, at)
        return plan

    def after_sent(self, history: ThreadHistory, sent: FollowUp, others: list[FollowUp]) -> Plan:
        """Plan what a sent follow-up unlocks; `sent` is already marked done in `history`."""
        plan = Plan()
        assert sent.done_at is not None
        anchor = history_interaction(history, sent)
        ctx = _Context(self, history, anchor, others, plan, parent=sent)
        person = history.contacts[sent.contact_id]
        at = sent.done_at
        if sent.rule == "interview.thank-you" and self._wants_linkedin(person, history):
            ctx.propose("interview.linkedin-connect", person, at)
        elif sent.rule == "rejection.gracious-close" and self._wants_linkedin(person, history):
            ctx.propose("rejection.linkedin-connect", person, at)
        elif sent.rule.endswith(".recap") and anchor is not None and anchor.kind in DECISION_KINDS:
            if not self._replied_since(history, at):
                prefix = anchor.kind.value
                if anchor.decision_by:
                    ctx.propose(f"{prefix}.check-in-after-deadline", person, self._day(anchor.decision_by))
                else:
                    ctx.propose(f"{prefix}.check-in", person, at)
        elif (
            sent.nudge
            and anchor is not None
            and anchor.kind in DECISION_KINDS
            and anchor.decision_by
            and anchor.decision_by < self.cal.local_date(at)  # their date passed: one more, elsewhere
        ):
            channel = self._other_channel(person, sent.channel)
            ctx.propose(f"{anchor.kind.value}.second-check-in", person, at, channel=channel)
        if sent.nudge and not plan.new and not self._pending(history, nudges_only=True, excluding=sent.id):
            round_ = anchor.round if anchor else history.thread.round
            if self.nudges(history, round_) >= self.cap(history, at):
                plan.dormant_why = self.dormant_message(history, round_)
        live = [f for f in others if f.id != sent.id] + [sent] + plan.new
        plan.moved = [f for f in self.guards.respace(person, live) if f.id]
        return plan

    def after_reply(self, history: ThreadHistory) -> Plan:
        plan = Plan(wake=True)
        for f in self._pending(history, nudges_only=True):
            plan.cancel.append((f.id, "they replied"))
        return plan

    def after_outcome(
        self,
        history: ThreadHistory,
        outcome: Outcome,
        at: dt.datetime,
        others: list[FollowUp],
        reply_by: dt.date | None = None,
    ) -> Plan:
        """Plan what an outcome calls for; `reply_by`, an offer's deadline, adds a reminder to yourself."""
        plan = Plan(close=outcome in CLOSING, wake=True)
        for f in self._pending(history, nudges_only=outcome is not Outcome.REJECTED):
            if outcome is Outcome.REJECTED and f.purpose in GRATITUDE:
                continue
            plan.cancel.append((f.id, f"outcome: {outcome.value}"))
        anchor = history.latest_interaction()
        ctx = _Context(self, history, anchor, others, plan)
        if anchor is None:
            return plan
        primary = history.contacts[anchor.contact_ids[0]]
        if outcome is Outcome.REJECTED:
            ctx.propose("rejection.gracious-close", primary, at)
        elif outcome is Outcome.HELPED:
            ctx.propose("help.thanks", primary, at)
        elif outcome is Outcome.WON:
            ctx.propose("outcome.won.thank-you", primary, at)
        elif outcome is Outcome.LOST:
            ctx.propose("outcome.lost.gracious-close", primary, at)
        elif outcome is Outcome.OFFER:
            ctx.propose("outcome.offer.thank-you", primary, at)
            if reply_by is not None:
                ctx.reply_by = reply_by
                ahead = self._business_days_before(reply_by, 2)
                ctx.propose("outcome.offer.reply-reminder", primary, max(self._day(ahead), at))
        return plan

    def _business_days_before(self, day: dt.date, count: int) -> dt.date:
        while count:
            day -= dt.timedelta(days=1)
            if self.cal.is_business_day(day):
                count -= 1
        return day

    def wake(self, history: ThreadHistory, at: dt.datetime, others: list[FollowUp]) -> Plan:
        """The user asks a resting thread to go on: its next nudge, opening now, within the limits
        (spacing, channels, business hours) but past the cap they chose to pass."""
        plan = Plan(wake=True)
        anchor = history.latest_interaction()
        key = WAKE_RULES.get(anchor.kind) if anchor else None
        if anchor is None or key is None:
            return plan
        person = history.contacts[anchor.contact_ids[0]]
        _Context(self, history, anchor, others, plan).propose(key, person, at, asked=True)
        return plan

    # -- counting ----------------------------------------------------------------------------------
    def nudges(self, history: ThreadHistory, round_: int, leaving: frozenset[int] = frozenset()) -> int:
        """Nudges sent since their last reply, or planned, in this round of the thread, but for those
        about to be cancelled: an answer resets what the cap counts."""
        return sum(1 for f in self._unanswered(history, round_) if f.id not in leaving)

    @staticmethod
    def _unanswered(history: ThreadHistory, round_: int) -> list[FollowUp]:
        replied = history.last_reply()
        return [
            f
            for f in history.followups
            if f.nudge
            and f.round == round_
            and (
                f.status is Status.PLANNED
                or (
                    f.status is Status.DONE
                    and (replied is None or (f.done_at is not None and f.done_at > replied))
                )
            )
        ]

    def cap(self, history: ThreadHistory, now: dt.datetime) -> int:
        anchor = next(
            (
                i
                for i in sorted(history.round_interactions(), key=lambda i: i.at, reverse=True)
                if i.kind in DECISION_KINDS
            ),
            None,
        )
        if anchor is not None and anchor.decision_by and anchor.decision_by < self.cal.local_date(now):
            return self.playbook.limits.cap_after_decision_date
        return self.playbook.limits.cap

    def dormant_message(self, history: ThreadHistory, round_: int) -> str:
        """Why the thread goes quiet: what was sent in this round since their last answer (thanks and
        nudges alike), none of it answered."""
        replied = history.last_reply()
        sent = sum(
            1
            for f in history.followups
            if f.round == round_
            and f.status is Status.DONE
            and (replied is None or (f.done_at is not None and f.done_at > replied))
        )
        return self.playbook.message("dormant", times=_TIMES.get(sent, f"{sent} times"))

    # -- helpers ---------------------------------------------------------------------------------
    def _day(self, day: dt.date) -> dt.datetime:
        return self.cal.start_of(day)

    @staticmethod
    def _pending(history: ThreadHistory, nudges_only: bool, excluding: int | None = None) -> list[FollowUp]:
        return [
            f
            for f in history.followups
            if f.status is Status.PLANNED and (f.nudge or not nudges_only) and f.id != excluding
        ]

    @staticmethod
    def _replied_since(history: ThreadHistory, at: dt.datetime) -> bool:
        return any(e.kind == "reply" and e.at >= at for e in history.events)

    def _wants_linkedin(self, person: Contact, history: ThreadHistory) -> bool:
        if person.linkedin_connected or not (person.linkedin or self.profile.linkedin):
            return False
        return not any(
            f.purpose is Purpose.LINKEDIN_CONNECT
            and f.contact_id == person.id
            and f.status is not Status.CANCELLED
            for f in history.followups
        )

    @staticmethod
    def _other_channel(person: Contact, used: Channel) -> Channel:
        for channel, known in ((Channel.PHONE, person.phone), (Channel.LINKEDIN, person.linkedin)):
            if known and channel is not used:
                return channel
        return (
            Channel.EMAIL if used is not Channel.EMAIL else Channel.PHONE if person.phone else Channel.EMAIL
        )


def history_interaction(history: ThreadHistory, f: FollowUp) -> Interaction | None:
    """The interaction a follow-up descends from (the thread's latest when unrecorded)."""
    for i in history.interactions:
        if i.id == f.interaction_id:
            return i
    return history.latest_interaction()


class _Context:
    """One planning pass: proposes follow-ups, applies the guards, and respects the cap."""

    def __init__(
        self,
        planner: Planner,
        history: ThreadHistory,
        interaction: Interaction | None,
        others: list[FollowUp],
        plan: Plan,
        parent: FollowUp | None = None,
    ) -> None:
        self.planner = planner
        self.history = history
        self.interaction = interaction
        self.cancelled = {fid for fid, _ in plan.cancel}
        self.others = [
            f for f in others if f.status in (Status.PLANNED, Status.DONE) and f.id not in self.cancelled
        ]
        self.plan = plan
        self.parent = parent
        self.reply_by: dt.date | None = None  # an offer's reply deadline, for its reminder's reason
        self.every = "the cadence you set"  # a keep-in-touch cadence, for its reason
        self.promise = "what you said you would do"  # the user's own promise, for its reason

    def propose(
        self,
        key: str,
        person: Contact,
        anchor: dt.datetime,
        channel: Channel | None = None,
        asked: bool = False,
    ) -> None:
        """Plan rule `key` for `person` from `anchor`. `asked`: the user asked for it (`wake`), so the
        cap gives way and the window opens at `anchor`; the other limits still hold."""
        rule = self.planner.playbook.rule(key)
        if rule is None:
            return
        limits = self.planner.playbook.limits
        round_ = self.interaction.round if self.interaction else self.history.thread.round
        if rule.nudge and not asked:
            live = [f for f in self.history.followups if f.id not in self.cancelled]
            counted = self.planner.nudges(self.history, round_, frozenset(self.cancelled))
            counted += sum(1 for f in self.plan.new if f.nudge)
            now = self.parent.done_at if self.parent and self.parent.done_at else anchor
            if counted >= self.planner.cap(self.history, now):
                waiting = any(f.nudge and f.status is Status.PLANNED for f in live) or any(
                    f.nudge for f in self.plan.new
                )
                if waiting:
                    self.plan.notes.append(self.planner.playbook.message("capped_waiting", rule=rule.id))
                else:  # nothing left to send: the thread rests
                    self.plan.dormant_why = self.planner.dormant_message(self.history, round_)
                return
        time_sensitive = bool(self.interaction and self.interaction.time_sensitive)
        not_before, due_by = rule.window(
            anchor, self.planner.cal, time_sensitive, limits.time_sensitive_factor
        )
        if asked:
            not_before, due_by = anchor, anchor + (due_by - not_before)
        reasons = [self._why(rule, person)]
        if time_sensitive:
            reasons.append(self.planner.playbook.message("time_sensitive"))
        chosen = channel or rule.channel
        # A handwritten note or a connection request is its channel; anything else goes the way they
        # prefer, first contact included, and never by e-mail to someone known only by phone or LinkedIn.
        free = (
            channel is None
            and rule.channel in (Channel.EMAIL, Channel.PHONE)
            and rule.purpose not in OWN_TASKS  # a note to yourself goes nowhere else
        )
        if free and person.prefers and person.prefers is not chosen and person.prefers is not Channel.LETTER:
            chosen = person.prefers
            reasons.append(self.planner.playbook.message("preferred", channel=chosen.value, name=person.name))
        elif free and chosen is Channel.EMAIL and not person.email and (person.phone or person.linkedin):
            chosen = Channel.PHONE if person.phone else Channel.LINKEDIN
            reasons.append(self.planner.playbook.message("only_way", channel=chosen.value, name=person.name))
        elif "second-check-in" in key and self.parent is not None:  # the playbook asks for another channel
            used = self.parent.channel
            message = "other_channel" if chosen is not used else "same_channel"
            reasons.append(
                self.planner.playbook.message(
                    message, channel=chosen.value, used=used.value, name=person.name
                )
            )
        purpose = limits.phone_purpose if rule.nudge and chosen is Channel.PHONE else rule.purpose
        followup = FollowUp(
            id=0,
            thread_id=self.history.thread.id,
            contact_id=person.id,
            rule=rule.id,
            purpose=purpose,
            channel=chosen,
            nudge=rule.nudge,
            not_before=not_before,
            due_by=due_by,
            why="",
            round=round_,
            interaction_id=self.interaction.id if self.interaction else None,
            parent_id=self.parent.id if self.parent else None,
        )
        people = self.others + self.plan.new
        reasons.extend(self.planner.guards.apply(followup, person, people))
        followup.suggested_at = self.planner.guards.suggest(
            followup, person, opens_at_anchor=rule.opens.amount == 0
        )
        followup.why = " ".join(reasons)
        self.plan.new.append(followup)

    def _why(self, rule: Rule, person: Contact) -> str:
        i = self.interaction
        introducer = self.history.contacts.get(i.introducer_id or -1) if i else None
        met = self.history.contacts.get(i.contact_ids[0]) if i and i.contact_ids else None
        return rule.why.format(
            every=self.every,
            promise=self.promise,
            contact=met.name if met else person.name,
            decision_by=_day_text(i.decision_by) if i and i.decision_by else "their date",
            promised_by=_day_text(i.promised_by) if i and i.promised_by else "the promised date",
            introducer=introducer.name if introducer else person.name,
            name=person.name,
            reply_by=_day_text(self.reply_by) if self.reply_by else "soon",
        )


def _day_text(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
