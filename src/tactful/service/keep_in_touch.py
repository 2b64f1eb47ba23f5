"""Keep in touch: a cadence per person or per tag ("every 2 months, at most 4"), and the people it
says are losing touch (`tactful keep-in-touch`, and `losing_touch` on the agenda).

Any contact resets the clock: an interaction logged, a follow-up sent, their reply, a message
matched by the mailbox. Durations are calendar units: `10d` days, `2w` weeks, `2m` months, `1y`
years; a month added to 31 January is the last day of February.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..domain import MESSAGES, Contact, FollowUp, Status
from ..errors import InvalidInput, ref
from .base import Service, lookback

#: The playbook rule that plans a keep-in-touch check-in.
RULE = "keep-in-touch.check-in"
_UNITS = {"d": "day", "w": "week", "m": "month", "y": "year"}

_DURATION = re.compile(r"(\d{1,3})\s*([dwmy])")


@lru_cache(maxsize=64)
def _parsed(duration: str) -> tuple[int, str]:
    found = _DURATION.fullmatch(duration)
    assert found is not None
    return int(found.group(1)), found.group(2)


def later(day: dt.datetime, duration: str) -> dt.datetime:
    """`day` plus a duration in calendar units."""
    n, unit = _parsed(duration)
    if unit in "dw":
        return day + dt.timedelta(days=n * (7 if unit == "w" else 1))
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def duration(text: str | None, option: str) -> str:
    value = (text or "").strip().lower().replace(" ", "")
    found = _DURATION.fullmatch(value)
    if not found or int(found.group(1)) == 0:
        raise InvalidInput(
            f"{ref(option)}: {text!r} is not a duration; use a number and d, w, m or y, e.g. 2m", field=option
        )
    return value


def said(value: str) -> str:
    """A duration as people say it: "2m" -> "2 months", "1w" -> "1 week"."""
    found = _DURATION.fullmatch(value)
    if found is None:
        return value
    n, unit = int(found.group(1)), _UNITS[found.group(2)]
    return f"{n} {unit}{'s' if n != 1 else ''}"


def _days(value: str) -> int:
    base = dt.datetime(2001, 1, 1)
    return (later(base, value) - base).days


@dataclass
class Cadence:
    contact_id: int | None
    tag: str | None
    every: str | None  # None: the cadence was turned off
    at_most: str | None


def keep_in_touch(
    svc: Service,
    who: str | None = None,
    tag: str | None = None,
    every: str | None = None,
    at_most: str | None = None,
    off: bool = False,
) -> Cadence:
    """Set (or, with `off`, remove) the cadence of a person or of everyone with `tag`."""
    from .lookup import Lookup

    if (who is None) == (tag is None):
        raise InvalidInput("name a person, or give --tag, e.g. `tactful keep-in-touch Priya --every 2m`")
    if off:
        every_value = at_most_value = None
    else:
        if not every:
            raise InvalidInput(
                f"{ref('every')}: how often, e.g. 2m (two months); or --off to stop", field="every"
            )
        every_value = duration(every, "every")
        at_most_value = duration(at_most, "at_most") if at_most else every_value
        if _days(at_most_value) < _days(every_value):
            raise InvalidInput(
                f"{ref('at_most')}: the most a gap may grow is at least {ref('every')}", field="at_most"
            )
    label = tag.strip().lower() if tag else None
    with svc.store.transaction():
        person = Lookup(svc.store, svc.now()).existing(who, "contact") if who is not None else None
        if label is not None and not svc.store.tagged(label):
            raise InvalidInput(
                f"no one is tagged {label!r} yet: `tactful tag NAME {label}` first", field="tag"
            )
        what = person.name if person else f"tag {label}"
        summary = (
            f"turned off keeping in touch with {what}"
            if off
            else f"keep in touch with {what} every {every_value}"
        )
        svc.store.begin_change("keep-in-touch", summary, svc.now())
        svc.store.set_cadence(person.id if person else None, label, every_value, at_most_value)
        refresh(svc, [person.id] if person else svc.store.tagged(label or ""))
    return Cadence(person.id if person else None, label, every_value, at_most_value)


@dataclass
class Losing:
    """A person past the most their cadence allows since the last contact of any kind."""

    contact_id: int
    name: str
    last_interaction: dt.datetime
    gap_days: int


def losing_touch(svc: Service, now: dt.datetime) -> list[Losing]:
    """Everyone past their cadence's `at_most`, longest gap first; a person with several cadences
    (their own, their tags') is held to the one that allows the least.

    Most people are plainly past it or plainly not: their last contact, as stored, is compared with
    the moment `at_most` before now, give or take four days; only those near it are worked out."""
    bounds: dict[str, tuple[str, str]] = {}
    lost: dict[int, Losing] = {}
    for contact_id, name, _, at_most, last in svc.store.cadenced():
        most = at_most or "1y"
        if most not in bounds:
            edge = (_back(now, most).astimezone(dt.UTC)).replace(microsecond=0)
            bounds[most] = ((edge - _MARGIN).isoformat(), (edge + _MARGIN).isoformat())
        low, high = bounds[most]
        if contact_id in lost or last > high:
            continue
        since = dt.datetime.fromisoformat(last)
        if last < low or later(since, most) < now:
            lost[contact_id] = Losing(contact_id, name, since, (now - since).days)
    return sorted(lost.values(), key=lambda x: (-x.gap_days, x.contact_id))


#: How far the quick comparison of `losing_touch` stays from the edge: more than a month's end moves it.
_MARGIN = dt.timedelta(days=4)


def _back(moment: dt.datetime, duration: str) -> dt.datetime:
    """`moment` less a duration in calendar units (the day clamped to the month's last, as `later`)."""
    n, unit = _parsed(duration)
    if unit in "dw":
        return moment - dt.timedelta(days=n * (7 if unit == "w" else 1))
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    return moment.replace(
        year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1])
    )


def refresh(svc: Service, contact_ids: Iterable[int]) -> list[FollowUp]:
    """Plan again the keep-in-touch check-ins of these people, inside the caller's transaction, after
    anything that may have touched them (a contact, a cadence, a tag, a follow-up settled); the
    check-ins it planned.

    One is planned per person with a cadence, in their most recent thread, opening when their
    tightest cadence comes round since the last contact (today, if that day has passed). None while
    anything else is planned for them: that will be a contact of its own, and resets the clock; none
    again after one was skipped, until the next contact. No more than the playbook's
    `keep_in_touch_per_day` open on one day: the rest wait for the next business day.
    """
    store = svc.store
    wanted = sorted(set(contact_ids))
    if not wanted:
        return []
    tightest: dict[int, tuple[dt.datetime, str]] = {}
    for contact_id, _, every, _, last in store.cadenced(wanted):
        comes = later(dt.datetime.fromisoformat(last), every)
        if contact_id not in tightest or comes < tightest[contact_id][0]:
            tightest[contact_id] = (comes, every)
    cal = svc.calendar
    crowd = Counter(cal.local_date(d) for d in store.planned_opens(RULE)) if tightest else Counter()
    planned: list[FollowUp] = []
    for contact_id in wanted:
        mine = store.followups_by_rule(contact_id, RULE)
        waiting = [f for f in mine if f.status is Status.PLANNED]
        crowd.subtract(cal.local_date(f.not_before) for f in waiting)
        new = _check_in(svc, contact_id, tightest.get(contact_id), mine, crowd)
        kept = next((f for f in waiting if new is not None and _same(f, new)), None)
        if kept is not None:
            crowd[cal.local_date(kept.not_before)] += 1
            continue
        for f in waiting:
            store.cancel_followup(f.id, "planned again" if new else "no check-in due")
        if new is not None:
            new.id = store.add_followup(new)
            crowd[cal.local_date(new.not_before)] += 1
            planned.append(new)
    return planned


def _check_in(
    svc: Service,
    contact_id: int,
    cadence: tuple[dt.datetime, str] | None,
    mine: list[FollowUp],
    crowd: Counter[dt.date],
) -> FollowUp | None:
    """The check-in `contact_id` is owed now, if any (not yet stored), on the first business day from
    when it comes round that `crowd` (check-ins per day) leaves room on."""
    if cadence is None:
        return None
    store, cal = svc.store, svc.calendar
    comes, every = cadence
    day = max(cal.local_date(comes), cal.local_date(svc.now()))
    day = day if cal.is_business_day(day) else cal.add_business_days(day, 1)
    while crowd[day] >= svc.planner.playbook.limits.keep_in_touch_per_day:
        day = cal.add_business_days(day, 1)
    opens = cal.start_of(day)
    if any(f.status is Status.SKIPPED and f.not_before >= cal.start_of(cal.local_date(comes)) for f in mine):
        return None  # they passed on this one: the next contact starts the clock again
    others = store.followups_for_contacts([contact_id], lookback(svc, opens))
    if any(f.status is Status.PLANNED and f.rule != RULE and f.purpose in MESSAGES for f in others):
        return None
    threads = store.threads_for_contact(contact_id)
    person = store.get_contact(contact_id) or Contact(contact_id, "them")
    thread_id = threads[-1] if threads else store.add_thread(svc.now(), None, person.organisation)
    history = store.history(thread_id)
    history.contacts.setdefault(contact_id, person)
    settled = [f for f in others if not (f.rule == RULE and f.status is Status.PLANNED)]
    plan = svc.planner.keep_in_touch(history, person, opens, said(every), settled)
    return plan.new[0] if plan.new else None


def _same(f: FollowUp, new: FollowUp) -> bool:
    """Whether a planned check-in already is the one wanted: same thread and channel, opening that
    day, or later when it was put off (but not by a whole cadence)."""
    if (f.thread_id, f.channel) != (new.thread_id, new.channel) or f.not_before < new.not_before:
        return False
    return f.not_before - new.not_before < dt.timedelta(days=14)
