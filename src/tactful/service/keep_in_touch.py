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
from dataclasses import dataclass

from ..errors import InvalidInput, ref
from .base import Service

_DURATION = re.compile(r"(\d{1,3})\s*([dwmy])")


def later(day: dt.datetime, duration: str) -> dt.datetime:
    """`day` plus a duration in calendar units."""
    found = _DURATION.fullmatch(duration)
    assert found is not None
    n, unit = int(found.group(1)), found.group(2)
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
        said = (
            f"turned off keeping in touch with {what}"
            if off
            else f"keep in touch with {what} every {every_value}"
        )
        svc.store.begin_change("keep-in-touch", said, svc.now())
        svc.store.set_cadence(person.id if person else None, label, every_value, at_most_value)
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
    (their own, their tags') is held to the one that allows the least."""
    tightest: dict[int, tuple[dt.datetime, str, dt.datetime]] = {}
    for contact_id, name, _, at_most, last in svc.store.cadenced():
        since = dt.datetime.fromisoformat(last)
        limit = later(since, at_most or "1y")
        kept = tightest.get(contact_id)
        if kept is None or limit < kept[0]:
            tightest[contact_id] = (limit, name, since)
    lost = [
        Losing(cid, name, since, (now - since).days)
        for cid, (limit, name, since) in tightest.items()
        if limit < now
    ]
    return sorted(lost, key=lambda x: (-x.gap_days, x.contact_id))
