"""When an out-of-office says its writer is back: "back on 20 April", "until Monday", "returning
13/01" (in English, German, French and Spanish), read from the lines above the quoted message.

Pure and linear in the text's length; the month names are those the reply reader knows
(`tactful.formats.replies`).
"""

from __future__ import annotations

import datetime as dt
import re

from .replies import LINE, MONTH, MONTHS

_WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|freitag|lundi|mardi|"
    r"mercredi|jeudi|vendredi|lunes|martes|miércoles|jueves|viernes)"
)
_BACK = re.compile(
    r"\b(until|till|through|thru|to|back( in the office| at (my|the) desk| in office)?( again)?( on| from)?|"
    r"(returning|returns?|be back|in the office again|available again|reachable again|resume work)( on| from)?|"
    r"return(ing)? to the office( on)?|will return( on)?|from|ab|bis( zum| einschließlich)?|zurück( am)?|wieder( am| ab)?|jusqu'(au|à)|"
    r"de retour( le)?|hasta( el)?|a partir del?|(?:regreso|vuelvo)( el)?)\s+"
    rf"(?:{_WEEKDAY},?\s+(?:(?:dem|den|le|el)\s+)?)?(?:the\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?(?P<m1>{MONTH})\b(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d)"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<n1>\d{1,2})[./](?P<n2>\d{1,2})(?:[./](?P<y>\d{2,4}))?"
    rf"|(?P<m3>{MONTH})(?:\s+(?P<y3>\d{{4}}))?\b|(?P<d4>\d{{1,2}})(?:st|nd|rd|th)\b"
    rf"|(?P<wd>{_WEEKDAY}|tomorrow)\b)",
    re.IGNORECASE,
)


#: Where the quoted original starts under an out-of-office.
_QUOTED = re.compile(
    r"\s*(>|-{2,}\s*original message|_{10,}|\*?(from|von|de)\s*:\*?\s|(on|am|le)\b.{0,200}\b(wrote|schrieb|a écrit)\b)",
    re.IGNORECASE,
)
#: Weekday names in the order of `date.weekday()`, per language.
_WEEKDAYS = {name: n for names in (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")) for n, name in enumerate(names)}  # fmt: skip


def back_on(text: str, at: dt.datetime, day_first: bool = True) -> dt.date | None:
    """The day an out-of-office says its writer is back (the latest date it names after "until",
    "back on", "returning"...), on or after the day it came; None when it names none."""
    found: list[dt.date] = []
    for line in text.splitlines()[:40]:
        if _QUOTED.match(line):  # the message it answers, quoted under it, names other dates
            break
        for match in _BACK.finditer(line[:LINE]):
            day = _day(match, at, day_first)
            if day is not None and day >= at.date():
                found.append(day)
    return max(found) if found else None


def _day(match: re.Match[str], at: dt.datetime, day_first: bool) -> dt.date | None:
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso"))
        if match.group("n1"):
            a, b = int(match.group("n1")), int(match.group("n2"))
            year = int(match.group("y")) if match.group("y") else at.year
            year = year + 2000 if year < 100 else year
            first, second = ((a, b), (b, a)) if day_first else ((b, a), (a, b))
            for day, month in (first, second):  # 3/16 has one reading only
                if 1 <= month <= 12 and 1 <= day <= 31:
                    return _next(dt.date(year, month, day), at, bool(match.group("y")))
            return None
        if match.group("m3"):
            year = int(match.group("y3")) if match.group("y3") else at.year
            return _next(dt.date(year, MONTHS[match.group("m3").lower()], 1), at, bool(match.group("y3")))
        if match.group("wd"):  # "back on Monday": the next Monday
            name, start = match.group("wd").lower(), at.date()
            if name == "tomorrow":
                return start + dt.timedelta(days=1)
            return start + dt.timedelta(
                days=(_WEEKDAYS.get(name, start.weekday()) - start.weekday() - 1) % 7 + 1
            )
        if match.group("d4"):  # "back on the 9th": the next 9th
            day, start = int(match.group("d4")), at.date()
            month, year = start.month, start.year
            if day < start.day:
                month, year = (1, year + 1) if month == 12 else (month + 1, year)
            return dt.date(year, month, day)
        day = int(match.group("d1") or match.group("d2"))
        month = MONTHS[(match.group("m1") or match.group("m2")).lower().rstrip(".")]
        year = int(match.group("y1")) if match.group("y1") else at.year
        return _next(dt.date(year, month, day), at, bool(match.group("y1")))
    except (ValueError, KeyError):
        return None


def _next(day: dt.date, at: dt.datetime, year_given: bool) -> dt.date:
    """A day named without its year is the next one to come (a return on 5 January, written in December)."""
    if not year_given and day < at.date() - dt.timedelta(days=7):
        return day.replace(year=day.year + 1)
    return day
