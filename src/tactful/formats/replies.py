"""What a reply says, read by rules: a rejection, "not now, check back later", an invitation to a
next step, or just a reply; and when an out-of-office says its writer is back.

Pure and linear: every pattern reads one line of at most `LINE` characters, and only the part the
writer wrote (`mail.latest`). A reading is a proposal shown to the user, never an outcome by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: Lines longer than this are read in pieces of this length.
LINE = 400


@dataclass(frozen=True)
class Reading:
    kind: str  # "reply", "rejection", "later" or "invitation"
    until: dt.date | None = None  # "later": the day they asked to hear again
    said: str = ""  # the words that led to the reading, for the user to see


_REJECTION = re.compile(
    r"\b(unfortunately|regret(fully)? to|decided (not to|to (move|go) (forward|ahead) with (an)?other|to pursue other|"
    r"on another candidate)|(not|won't|will not) be (moving|going) (forward|ahead)|not (to )?proceed(ing)?|"
    r"(position|role) has (now )?been filled|filled the (position|role)|pursue other candidates|"
    r"other candidates whose|not (a|the right) (fit|match)|no longer (hiring|considering)|"
    r"we('ve| have) (chosen|selected|hired|gone with) (another|someone else|a different)|"
    r"(isn't|is not|not) (a )?priority|(pass|passing) on (this|your|the))\b",
    re.IGNORECASE,
)
_SOFTENED = re.compile(
    r"\bunfortunately\b.{0,60}\b(can't make|cannot make|miss|running late|out sick|travel)", re.IGNORECASE
)

_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "quarter": 91}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "couple of": 2,
            "few": 3, "a few": 3, "a couple of": 2}  # fmt: skip
_LATER = re.compile(
    r"\b(check|circle|follow|touch|reach|get|come) (back|up|base|in|out)( (with|to) (me|us))?( again)?\s+"
    r"(in|after|around)\s+(?P<n>\d{1,2}|an?|one|two|three|four|five|six|a few|a couple of|few|couple of)\s+"
    r"(?P<unit>days?|weeks?|months?|quarter)\b"
    r"|\b(?P<next>next (quarter|month|year))\b"
    r"|\b(not (right )?now|too early|bad timing|revisit (this|it) (later|in))\b",
    re.IGNORECASE,
)
_INVITATION = re.compile(
    r"\b(invite you|(next|second|third|final|onsite|on-site) (round|interview|stage|step)|"
    r"(schedule|set up|arrange|book) (a|an|the|some) (time|call|chat|meeting|interview|conversation)|"
    r"(are|would) you (be )?(available|free)|what (times?|days?) (work|suit)|calendly\.com|"
    r"meet (with )?(the|our) (team|founders?|manager|director|cto|ceo)|move you (forward|to the next))",
    re.IGNORECASE,
)


def read(text: str, at: dt.datetime) -> Reading:
    """Read `text` (what they wrote, quotes and signature cut) of a reply that came `at`."""
    lines = [piece for line in text.splitlines() for piece in _pieces(line)]
    for line in lines:
        found = _REJECTION.search(line)
        if found and not _SOFTENED.search(line):
            return Reading("rejection", said=_around(line, found))
    later = [(line, found) for line in lines for found in _LATER.finditer(line)]
    if later:  # the first that names when, else the first
        line, found = next(((li, f) for li, f in later if _until(f, at)), later[0])
        return Reading("later", until=_until(found, at), said=_around(line, found))
    for line in lines:
        found = _INVITATION.search(line)
        if found:
            return Reading("invitation", said=_around(line, found))
    return Reading("reply")


def _pieces(line: str) -> list[str]:
    return [line[i : i + LINE] for i in range(0, max(len(line), 1), LINE)]


def _around(line: str, found: re.Match[str]) -> str:
    start, end = max(0, found.start() - 60), min(len(line), found.end() + 60)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def _until(found: re.Match[str], at: dt.datetime) -> dt.date | None:
    day = at.date()
    if found.group("n") and found.group("unit"):
        word = found.group("n").lower()
        count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
        return day + dt.timedelta(days=count * _UNITS[found.group("unit").lower()])
    if found.group("next"):
        unit = found.group("next").lower().split()[-1]
        return day + dt.timedelta(days={"quarter": 91, "month": 30, "year": 365}[unit])
    return None


# -- out of office ----------------------------------------------------------------------------------------
_MONTHS = {m: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_BACK = re.compile(
    r"\b(until|till|through|thru|back( in the office)? on|back|returning( on)?|return(ing)? to the office on|"
    r"will return( on)?|from)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\b|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<n1>\d{1,2})[./](?P<n2>\d{1,2})(?:[./](?P<y>\d{2,4}))?)",
    re.IGNORECASE,
)


def back_on(text: str, at: dt.datetime, day_first: bool = True) -> dt.date | None:
    """The day an out-of-office says its writer is back (the latest date it names after "until",
    "back on", "returning"...), on or after the day it came; None when it names none."""
    found: list[dt.date] = []
    for line in text.splitlines()[:40]:
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
            day, month = (a, b) if day_first else (b, a)
            year = int(match.group("y")) if match.group("y") else at.year
            year = year + 2000 if year < 100 else year
            return _next(dt.date(year, month, day), at, bool(match.group("y")))
        day = int(match.group("d1") or match.group("d2"))
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower().rstrip(".")]
        return _next(dt.date(at.year, month, day), at, False)
    except (ValueError, KeyError):
        return None


def _next(day: dt.date, at: dt.datetime, year_given: bool) -> dt.date:
    """A day named without its year is the next one to come (a return on 5 January, written in December)."""
    if not year_given and day < at.date() - dt.timedelta(days=7):
        return day.replace(year=day.year + 1)
    return day
