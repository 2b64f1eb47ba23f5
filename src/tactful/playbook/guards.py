"""The limits that keep follow-ups from piling on one person.

Each guard may move a proposed follow-up's window later, never earlier, and says why in one short
sentence that joins the follow-up's reason. The cap lives in the planner, which counts per thread;
these guards look across every thread that reaches the same person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain import OWN_TASKS, Channel, Contact, FollowUp, Purpose, Status, channel_companions

if TYPE_CHECKING:
    from ..business_days import BusinessCalendar
    from .rules import Playbook

_MAX_PASSES = 20


def spaced(f: FollowUp) -> bool:
    """Whether the spacing limit holds `f`: a nudge, or a keep-in-touch check-in."""
    return f.nudge or f.purpose is Purpose.KEEP_IN_TOUCH


def _gives_way(other: FollowUp, f: FollowUp) -> bool:
    """A planned keep-in-touch check-in gives way to anything else planned for the person (it is
    planned again around it), and a task of the user's own reaches no one."""
    if other.purpose in OWN_TASKS:
        return True
    return (
        other.purpose is Purpose.KEEP_IN_TOUCH
        and other.status is Status.PLANNED
        and f.purpose is not Purpose.KEEP_IN_TOUCH
    )


class Guards:
    def __init__(self, playbook: Playbook, calendar: BusinessCalendar) -> None:
        self.playbook = playbook
        self.limits = playbook.limits
        self.cal = calendar

    def apply(self, f: FollowUp, person: Contact, people: list[FollowUp]) -> list[str]:
        """Move `f` until no guard objects; the reasons for each move, once each. A task of the
        user's own reaches no one, so nothing holds it."""
        if f.purpose in OWN_TASKS:
            return []
        mine = [
            o
            for o in people
            if o.contact_id == person.id
            and o is not f
            and (o.id != f.id or not f.id)
            and not _gives_way(o, f)
        ]
        notes: dict[str, str] = {}
        for _ in range(_MAX_PASSES):
            moved = False
            for name, guard in (
                ("channel", self._one_channel),
                ("spacing", self._spacing),
                ("phone", self._phone_after_email),
            ):
                target = guard(f, mine)
                if target is not None and target > f.not_before:
                    self._move(f, target)
                    notes.setdefault(name, self._say(name, person))
                    moved = True
            if not moved:
                break
        return list(notes.values())

    def respace(self, person: Contact, people: list[FollowUp]) -> list[FollowUp]:
        """Planned follow-ups to `person` that what was since sent pushes later, already moved.

        The guards hold when a follow-up is planned; a message sent afterwards (on another channel,
        or a nudge sent early) can bring an older plan too close to it, so the plan gives way.
        """
        current = list(people)
        moved = []
        for n, f in enumerate(current):
            if f.status is not Status.PLANNED or f.contact_id != person.id:
                continue
            copy = replace(f)
            notes = self.apply(copy, person, current)
            if copy.not_before != f.not_before:
                copy.suggested_at = self.suggest(copy, person, opens_at_anchor=False)
                copy.why = " ".join([f.why, *(note for note in notes if note not in f.why)])
                current[n] = copy
                moved.append(copy)
        return moved

    def suggest(self, f: FollowUp, person: Contact, opens_at_anchor: bool) -> dt.datetime:
        """A good moment inside the window, in the recipient's business hours when it has any.

        A window that opens with the interaction starts looking two hours later, to let the meeting
        end, unless that leaves no business hour before the window closes.
        """
        starts = [f.not_before + dt.timedelta(hours=2)] if opens_at_anchor else []
        for start in [*starts, f.not_before]:
            rounded = (start + dt.timedelta(minutes=(-start.minute) % 15)).replace(second=0, microsecond=0)
            if rounded > f.due_by:
                continue
            found = self.cal.business_moment(rounded, f.due_by, self.limits.business_hours, person.tz)
            if found is not None:
                return found
        return f.not_before

    # -- the guards ----------------------------------------------------------------------------------
    def _spacing(self, f: FollowUp, mine: list[FollowUp]) -> dt.datetime | None:
        """No two nudges to one person within N business days: open N business days after the last.
        A keep-in-touch check-in is spaced like a nudge: it too asks for their attention."""
        if not spaced(f):
            return None
        gap = self.limits.spacing_business_days
        latest = None
        for other in mine:
            if spaced(other) and self._within(other.moment, f.not_before, gap):
                latest = max(latest or other.moment, other.moment)
        return self._after(latest, gap) if latest else None

    def _phone_after_email(self, f: FollowUp, mine: list[FollowUp]) -> dt.datetime | None:
        if not (f.nudge and f.channel is Channel.PHONE):
            return None
        emails = [o.moment for o in mine if o.channel is Channel.EMAIL and o.moment <= f.not_before]
        if not emails:
            return None
        target = max(emails) + dt.timedelta(days=self.limits.phone_after_email_days)
        return target if target > f.not_before else None

    def _one_channel(self, f: FollowUp, mine: list[FollowUp]) -> dt.datetime | None:
        gap = self.limits.one_channel_business_days
        latest = None
        for other in mine:
            if other.channel is f.channel or channel_companions(f.rule, other.rule):
                continue
            if other.moment <= f.not_before and self._within(other.moment, f.not_before, gap):
                latest = max(latest or other.moment, other.moment)
        return self._after(latest, gap) if latest else None

    # -- helpers ---------------------------------------------------------------------------------------
    def _within(self, a: dt.datetime, b: dt.datetime, gap: int) -> bool:
        """Whether two moments fall fewer than `gap` business days apart."""
        if abs((a - b).days) > gap * 3 + 10:
            return False
        days = abs(self.cal.business_days_between(self.cal.local_date(a), self.cal.local_date(b)))
        return days < gap

    def _after(self, moment: dt.datetime, gap: int) -> dt.datetime:
        return self.cal.start_of(self.cal.add_business_days(self.cal.local_date(moment), gap))

    def _move(self, f: FollowUp, target: dt.datetime) -> None:
        """Open the window at `target`; keep its close, or its length when the close would come first.

        A window that closes at the end of a day keeps its length in business days, so it still
        closes at the end of a business day.
        """
        if f.due_by > target:
            f.not_before = target
            return
        cal = self.cal
        if cal.local(f.due_by).time() == dt.time(23, 59, 59):
            days = cal.business_days_between(cal.local_date(f.not_before), cal.local_date(f.due_by))
            f.due_by = cal.end_of(cal.add_business_days(cal.local_date(target), max(days, 0)))
        else:
            f.due_by = target + (f.due_by - f.not_before)
        f.not_before = target

    def _say(self, name: str, person: Contact) -> str:
        first = person.name
        if name == "spacing":
            return self.playbook.message("moved_spacing", days=self.limits.spacing_business_days, name=first)
        if name == "phone":
            return self.playbook.message("moved_phone", days=self.limits.phone_after_email_days, name=first)
        return self.playbook.message("moved_channel", days=self.limits.one_channel_business_days, name=first)
