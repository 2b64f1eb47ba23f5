"""Business days and local time: the calendar the playbook counts in.

A business day is Monday to Friday, minus the public holidays of the user's country (from the
`holidays` package, imported only when a holiday is first asked about). Windows are built in the
user's time zone and handed back in UTC.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

END_OF_DAY = dt.time(23, 59, 59)


def zone(name: str) -> ZoneInfo:
    """The named zone."""
    return ZoneInfo(name)


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones, not a zone
        return False
    return True


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the system's zone.tab when it has one."""
    table: dict[str, str] = {}
    for base in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"):
        path = Path(base) / "zone.tab"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    if len(parts) >= 3:
                        table[parts[2]] = parts[0]
            break
    return table


def country_for_zone(name: str) -> str | None:
    """The country a zone belongs to (Europe/London -> GB), when the system can tell."""
    return _zone_countries().get(name)


def valid_country(code: str) -> bool:
    import holidays

    return code.upper() in holidays.list_supported_countries()


class BusinessCalendar:
    """Counts business days for one user: a time zone and, optionally, a country's holidays."""

    def __init__(self, tz: str = "UTC", country: str | None = None) -> None:
        self.zone = zone(tz)
        self.country = country.upper() if country else None
        self._holidays: Any = None

    # -- days -----------------------------------------------------------------------------------
    def is_holiday(self, day: dt.date) -> bool:
        if self.country is None:
            return False
        if self._holidays is None:
            import holidays

            self._holidays = holidays.country_holidays(self.country)
        return day in self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        if not self.is_holiday(day):
            return None
        return str(self._holidays.get(day))

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th business day after `day` (count 0: `day` itself, or the next business day)."""
        if count <= 0:
            while not self.is_business_day(day):
                day += dt.timedelta(days=1)
            return day
        while count:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count

    # -- moments ----------------------------------------------------------------------------------
    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return self.local(moment).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0, 0), self.zone).astimezone(dt.UTC)

    def end_of(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, END_OF_DAY, self.zone).astimezone(dt.UTC)

    def business_moment(
        self,
        earliest: dt.datetime,
        latest: dt.datetime,
        hours: tuple[int, int] = (9, 17),
        tz: str | None = None,
    ) -> dt.datetime | None:
        """The first moment at or after `earliest` inside business hours on a business day.

        Hours are read in `tz` (the recipient's zone) when given, else in the user's; None when no
        such moment comes before `latest`.
        """
        where = ZoneInfo(tz) if tz and valid_zone(tz) else self.zone
        start_hour, end_hour = hours
        local = earliest.astimezone(where)
        for _ in range(30):
            day = local.date()
            opens = dt.datetime.combine(day, dt.time(start_hour), where)
            closes = dt.datetime.combine(day, dt.time(end_hour), where)
            if self.is_business_day(day) and local < closes:
                candidate = max(local, opens)
                if candidate > latest:
                    break
                return candidate.astimezone(dt.UTC)
            local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), where)
            if local > latest:
                break
        return None
