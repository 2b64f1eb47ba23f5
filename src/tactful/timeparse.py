"""Times as people type them.

ISO 8601 first (`2026-03-02T10:00`, `2026-03-02 10:00`, `2026-03-02`, with or without an offset);
only when that fails is `dateparser` imported, for `today 3pm`, `yesterday`, `friday`, `in 2 weeks`.
Whether a bare weekday means the last one or the next depends on what is asked: when something
happened (the past), or when something is due (the future). A weekday or a date without a time of
day means noon, neither end of the day being likely. Numeric dates are read in the user's order:
`02/03` is 2 March in Britain and February 3 in the United States (`date_order`). A time of day
that is not one (`25:99`, `13pm`) is an error, never dropped.
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
#: Countries that write the month before the day, and those that write the year first.
_MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "BZ", "AS", "GU", "MP", "PR", "UM", "VI"})
_YEAR_FIRST = frozenset({"CN", "JP", "KR", "KP", "TW", "HU", "MN", "LT", "IR", "BT"})
_CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2})?(?![\d:])|(?<![\d:])(\d{1,2})\s*([ap])\.?m\b", re.IGNORECASE
)
_HAS_TIME = re.compile(
    r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b|\b(?:noon|midday|midnight|morning|afternoon|evening|tonight|now|"
    r"hours?|minutes?|mins?|ago)\b",
    re.IGNORECASE,
)
_DAY_NAMED = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b|\d{1,2}[/.]\d{1,2}|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def date_order(country: str | None) -> str:
    """How numeric dates are written in `country` (ISO 3166 code): "DMY", "MDY" or "YMD"."""
    code = (country or "").upper()
    return "MDY" if code in _MONTH_FIRST else "YMD" if code in _YEAR_FIRST else "DMY"


def _clock_is_real(value: str, what: str) -> None:
    """Refuse a time of day that cannot be one: '25:99', '13pm'."""
    for match in _CLOCK.finditer(value):
        if match[1] is not None:
            hour, minute = int(match[1]), int(match[2])
            real = (hour <= 23 and minute <= 59) or (hour == 24 and minute == 0)
        else:
            real = 1 <= int(match[3]) <= 12
        if not real:
            raise InvalidInput(
                f"{ref(what)}: {match[0]!r} in {value!r} is not a time of day; write e.g. '10:30' or '3pm'",
                field=what,
            )


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
    order: str = "DMY",
) -> dt.datetime:
    """An aware UTC datetime for `text`, read in `zone` when it carries no offset; relative words
    ("next wednesday", "in 2 weeks") count from `now`, numeric dates are read in `order`."""
    value = text.strip()
    if not value:
        raise InvalidInput(
            f"{ref(what)}: empty time; write e.g. '2026-03-02 10:00' or 'yesterday 3pm'", field=what
        )
    if value.lower() == "now":
        return now.astimezone(dt.UTC)
    if _ISO_LIKE.match(value):
        return _sensible(_iso(value, zone, what), value, what)
    _clock_is_real(value, what)
    return _sensible(_natural(value, zone, now, prefer, what, order), value, what)


def parse_day(
    text: str,
    zone: ZoneInfo,
    now: dt.datetime,
    prefer: Literal["past", "future"] = "future",
    what: str = "date",
    order: str = "DMY",
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
    return parse_moment(value, zone, now, prefer, what, order).astimezone(zone).date()


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


def _natural(value: str, zone: ZoneInfo, now: dt.datetime, prefer: str, what: str, order: str) -> dt.datetime:
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
            "DATE_ORDER": order,
        },
    )
    if parsed is None:
        raise InvalidInput(
            f"{ref(what)}: cannot read {value!r} as a time; try '2026-03-02 10:00', 'today 3pm', 'yesterday' or 'friday'",
            field=what,
        )
    if _DAY_NAMED.search(value) and not _HAS_TIME.search(value):
        parsed = dt.datetime.combine(parsed.date(), DEFAULT_TIME)  # "friday", "02/03": noon that day
    moment: dt.datetime = parsed.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)
