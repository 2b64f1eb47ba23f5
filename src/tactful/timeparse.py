"""Times as people type them.

ISO 8601 first (`2026-03-02T10:00`, `2026-03-02 10:00`, `2026-03-02`, with or without an offset);
only when that fails is `dateparser` imported, for `today 3pm`, `yesterday`, `friday`, `in 2 weeks`.
Whether a bare weekday means the last one or the next depends on what is asked: when something
happened (the past), or when something is due (the future).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo

from .errors import InvalidInput, ref

_ISO_LIKE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
#: A date given without a time stands for the middle of that day: neither end of it is likely.
DEFAULT_TIME = dt.time(12, 0)
#: Years a follow-up can sensibly be about; outside them date arithmetic would overflow.
YEARS = range(1900, 2200)


def _sensible(moment: dt.datetime, value: str, what: str) -> dt.datetime:
    if moment.year not in YEARS:
        raise InvalidInput(
            f"{ref(what)}: {value!r} is too far from today; give a date between 1900 and 2199", field=what
        )
    return moment


def parse_moment(
    text: str,
    zone: ZoneInfo,
    now: dt.datetime,
    prefer: Literal["past", "future"] = "past",
    what: str = "at",
) -> dt.datetime:
    """An aware UTC datetime for `text`, read in `zone` when it carries no offset."""
    value = text.strip()
    if not value:
        raise InvalidInput(
            f"{ref(what)}: empty time; write e.g. '2026-03-02 10:00' or 'yesterday 3pm'", field=what
        )
    if value.lower() == "now":
        return now.astimezone(dt.UTC)
    if _ISO_LIKE.match(value):
        return _sensible(_iso(value, zone, what), value, what)
    return _sensible(_natural(value, zone, now, prefer, what), value, what)


def parse_day(
    text: str,
    zone: ZoneInfo,
    now: dt.datetime,
    prefer: Literal["past", "future"] = "future",
    what: str = "date",
) -> dt.date:
    """A calendar date in `zone` for `text` (a time, if given, is dropped)."""
    value = text.strip()
    if _ISO_LIKE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if day.year not in YEARS:
                raise InvalidInput(
                    f"{ref(what)}: {value!r} is too far from today; give a date between 1900 and 2199",
                    field=what,
                )
            return day
    return parse_moment(value, zone, now, prefer, what).astimezone(zone).date()


def _iso(value: str, zone: ZoneInfo, what: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{ref(what)}: {value!r} is not a real date and time; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM",
            field=what,
        ) from None
    if len(value) <= 10:  # a date alone
        parsed = dt.datetime.combine(parsed.date(), DEFAULT_TIME)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(dt.UTC)


def _natural(value: str, zone: ZoneInfo, now: dt.datetime, prefer: str, what: str) -> dt.datetime:
    import dateparser  # slow to import; only people typing words pay for it

    base = now.astimezone(zone).replace(tzinfo=None)
    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    if parsed is None:
        raise InvalidInput(
            f"{ref(what)}: cannot read {value!r} as a time; try '2026-03-02 10:00', 'today 3pm', 'yesterday' or 'friday'",
            field=what,
        )
    moment: dt.datetime = parsed.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)
