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


_FORWARD = r"(fo[rw]{1,2}ard|ahead)"
_REJECTION = re.compile(
    "|".join(
        [
            # they chose someone else
            rf"\b(go|goes|gone|going|went|move|moving|moved|proceed|proceeding)( {_FORWARD})? with "
            r"(an(other)?|a different|the other|other|some?one( else)?|somebody|an internal|internal|a candidate|"
            r"candidates|a profile|another candidate|a vendor|a supplier)\b",
            r"\b(awarded|given|offered)( the \w+| it)? to (another|a different|some?one)",
            r"\boffer to (another|a different|some?one)",
            r"\b(selected|chosen|chose|choose|picked|hired|found)( a| another| an?)? (other )?"
            r"(candidate|supplier|vendor|agency|partner|person|some?one|somebody)\b",
            r"\bother (candidate|supplier|vendor|agency|partner) (is|was|has been) (selected|chosen)",
            r"\bhired (some?one|somebody|another|already)",
            # they will not go on
            rf"\b(not|won'?t|wont|won’t|will not|cannot|can't|unable to) (be )?(to )?(moving|move|going|go|proceeding|proceed) "
            rf"({_FORWARD}|further)\b",
            r"\bdecided (not to|against) (proceed|move|pursue|continue|hire|offer|go|take|progress|extend)",
            r"\b(will not|won'?t|wont) (continue|proceed|progress) with (you|your)",
            r"\bnot (to )?(proceed|progress)(ing)? (with|further)",
            r"\b(position|role|job|vacancy|opening|post|seat)('s| is| has( now)? been| was| has| got) (now )?(filled|closed)\b",
            r"\b(filled|closed) the (position|role|vacancy|opening)",
            r"\b(go|going|gone|went|head|heading) in a different direction",
            r"\bregret(fully)? to (inform|let you know|say)",
            r"\bnot (a|the right|a good|the best) (fit|match)\b",
            r"\bno longer (hiring|considering|looking|recruiting)",
            r"\bunable to (offer|extend|move|proceed|take|progress)",
            r"\bwon'?t be (offering|extending|hiring)",
            # they decline
            r"\b(we'?ll|we will|i'?ll|i will|going to|gonna|have to|will have to|decided to|we're going to) pass\b"
            r"(?! (it|this|them|your|the details|on (your|his|her|their) (details|name|cv|resume|info)))",
            r"^\s*(no,? thanks?|no thank you)\b",
            r"\b(have|had) to (say|decline|turn) (no|down|you down)",
            r"\b(isn't|is not|not) something (we|i) (need|want|are looking for)",
            r"\bnot (going to|gonna|planning to|looking to) (take on|bring in|hire|engage|proceed|move|use|buy|sign)",
            r"\b(decided|going|chose|choose|opted) to hold off on (bringing|hiring|engaging|taking|working|buying)",
            r"\bkeep (this|it|the work|things) in-?house",
            r"\b(decline|declining|turn(ing)? down) (your|the|this) (offer|proposal|application|pitch)",
        ]
    ),
    re.IGNORECASE,
)

_NUMBER = (
    r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|eight|nine|ten|twelve|a few|a couple of|few|couple of)"
)
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "quarter": 91, "year": 365}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12, "couple of": 2, "few": 3, "a few": 3, "a couple of": 2}  # fmt: skip
_MONTH_NAMES = {m: n for n, names in enumerate(
    [("jan", "january", "janaury"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for m in names}  # fmt: skip
_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
#: When they want to hear again, in words: the first of these in a "later" line names the day.
_WHEN = re.compile(
    rf"\b(in|after|about|around|another|for|within) {_NUMBER}\s+(?P<unit>days?|weeks?|months?|quarter|years?)\b"
    rf"|\b(?P<next>next (week|month|quarter|year))\b"
    rf"|\b(?P<part>beginning of|start of|early|mid-?|middle of|end of|late)?\s*(?P<month>{_MONTH})\b"
    rf"|\b(?P<dm>\d{{1,2}})(st|nd|rd|th)? (of )?(?P<dmonth>{_MONTH})\b"
    r"|\b(?P<q>q[1-4])\b"
    r"|\b(?P<newyear>new year|the holidays|christmas|year[- ]end|end of the year|later (this|in the) year)\b",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"\b(check|circle|cirlce|follow|touch|reach|get|come|write|ping|contact|e-?mail|call|speak|talk|revisit|"
    r"pick (this|it) up|try( us)?|apply|hit me up|reconnect|chat|connect|give it|resume|reopen)\b"
    r".{0,40}?\b(back|again|base|up|in|after|then|around|until|next|once|mid|early|when)\b"
    r"|\b(?P<pause>not (right )?now|too early|bad timing|hiring freeze|freeze|pausing|paused|on hold|later in the year|"
    r"maybe later|not (the right|a good) time|not this (quarter|year|month))\b",
    re.IGNORECASE,
)
#: "I'll check back", "we will come back to you": they will write, nothing to wait for.
_FIRST_PERSON = re.compile(r"\b(i|we|i'?ll|ill|we'?ll|i will|we will|let me|let us)\s*$", re.IGNORECASE)
_INVITATION = re.compile(
    "|".join(
        [
            r"\binvit(e|ing) you",
            r"\b(next|second|2nd|third|3rd|final|onsite|on-site|technical|panel) (round|interv\w+|stage|step|conversation)",
            r"\b(schedule|set up|arrange|book|organi[sz]e|line up)\b.{0,30}\b(time|call|chat|meeting|interv\w+|deep-?dive|"
            r"session|demo|conversation|lunch|coffee)\b",
            r"\b(are|r|would|will) (you|u) (be )?(free|availab\w*|avilable|around|up for|able to (join|meet|come|do))",
            r"\b(your|ur|you're|youre) availab\w*",
            r"\bwhat (times?|days?|slots?) (work|suit|would work)",
            r"\b(can|could|would|shall) (you|we) (do|make|meet|hop on|jump on|chat|talk|join|grab|move (it|our \w+) to)\b",
            r"\bhow('?s| is| does| about) (\d{1,2}(:\d\d)? ?(am|pm)?|(mon|tues|wednes|thurs|fri)day|tomorrow|lunch|coffee|next \w+)",
            r"\b(might|would) you be able to (join|meet|come|do)",
            r"\bis it possible for you\b",
            r"\b(wants?|would like|'d like|love) to meet (you|with you)",
            r"\bmeet (with )?(the|our) (team|founders?|manager|director|cto|ceo|head)",
            r"\bmove you (forward|to the next)",
            r"\bcalendly\.com|\bpick a (time|slot)",
            r"\bcall me\b",
            r"\b(mon|tues|wednes|thurs|fri)day( at)? \d{1,2}( ?(am|pm)|:\d\d)",
            r"^\s*(mon|tues|wednes|thurs|fri)day\b.{0,12}\?\s*$",
        ]
    ),
    re.IGNORECASE,
)


#: The second way to tell a no: a negative and a word about the decision close together in one
#: sentence that asks nothing ("we are not able to offer you the position").
_NEGATIVE = re.compile(
    r"\b(not|no longer|won'?t|wont|unable|cannot|can't|couldn't|declin\w*|unsuccessful|instead of you|"
    r"other than you)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(candida\w*|application|applicant|position|role|vacancy|offer(ing)?|proposal|bid|tender|pitch|"
    r"shortlist\w*|progress\w*|proceed\w*|forward|ahead|further|selected|successful|hire|hiring|"
    r"engagement|partnership|opportunity|quote|contract)\b",
    re.IGNORECASE,
)


def _declines(sentence: str) -> re.Match[str] | None:
    if "?" in sentence or _INVITATION.search(sentence):
        return None
    negative = _NEGATIVE.search(sentence)
    if negative is None:
        return None
    decision = _DECISION.search(sentence, negative.end(), negative.end() + 50)
    return negative if decision else None


def read(text: str, at: dt.datetime) -> Reading:
    """Read `text` (what they wrote, quotes and signature cut) of a reply that came `at`."""
    lines = [piece for line in text.splitlines() for piece in _pieces(line)]
    for line in lines:
        found = _REJECTION.search(line)
        if found:
            return Reading("rejection", said=_around(line, found))
    later = [
        (line, found, _until(line, found, at))
        for line in lines
        for found in _LATER.finditer(line)
        if not _FIRST_PERSON.search(line[max(0, found.start() - 16) : found.start()])
    ]
    later = [(li, f, day) for li, f, day in later if day is not None or f.group("pause")]
    if later:  # the first that names when, else the first
        line, found, day = next(((li, f, d) for li, f, d in later if d), later[0])
        return Reading("later", until=day, said=_around(line, found))
    for line in lines:  # a no in other words, once no later day is asked for
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            found = _declines(sentence)
            if found:
                return Reading("rejection", said=_around(sentence, found))
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


def _until(line: str, said: re.Match[str], at: dt.datetime) -> dt.date | None:
    """The day a "later" line asks to hear again, counted from `at`: the first time it names after
    the words that ask (`said`), else the last before them ("…until July; email me then")."""
    after = list(_WHEN.finditer(line, said.start()))
    before = [m for m in _WHEN.finditer(line, 0, said.start())]
    found = after[0] if after else before[-1] if before else None
    if found is None:
        return None
    day = at.date()
    if found.group("unit"):
        word = found.group("n").lower()
        count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
        unit = found.group("unit").lower()
        return day + dt.timedelta(days=count * _UNITS[unit if unit in _UNITS else unit.rstrip("s")])
    if found.group("next"):
        unit = found.group("next").lower().split()[-1]
        if unit == "week":
            return day + dt.timedelta(days=7 - day.weekday())  # next Monday
        if unit == "month":
            return _month_start(day, (day.month % 12) + 1)
        return day + dt.timedelta(days={"quarter": 91, "year": 365}[unit])
    if found.group("month"):
        first = _month_start(day, _MONTH_NAMES[found.group("month").lower()])
        part = (found.group("part") or "").lower()
        if part.startswith("mid"):
            return first.replace(day=15)
        if part in ("end of", "late"):
            return first.replace(day=20)
        return first
    if found.group("dm"):
        try:
            given = dt.date(day.year, _MONTH_NAMES[found.group("dmonth").lower()], int(found.group("dm")))
        except ValueError:
            return None
        return given if given >= day else given.replace(year=day.year + 1)
    if found.group("q"):
        return _month_start(day, {"q1": 1, "q2": 4, "q3": 7, "q4": 10}[found.group("q").lower()])
    if found.group("newyear"):
        words = found.group("newyear").lower()
        if words.startswith("later"):
            return day + dt.timedelta(days=91)
        return dt.date(day.year, 1, 5) if (day.month, day.day) < (1, 5) else dt.date(day.year + 1, 1, 5)
    return None


def _month_start(day: dt.date, month: int) -> dt.date:
    """The first day of the next `month` to come after `day`."""
    year = day.year if month > day.month else day.year + 1
    return dt.date(year, month, 1)


# -- out of office ----------------------------------------------------------------------------------------
_MONTHS = {
    **_MONTH_NAMES,
    **{m: n for n, names in enumerate(
        [("januar", "janvier", "enero"), ("februar", "février", "fevrier", "febrero"), ("märz", "maerz", "mars", "marzo"),
         ("avril", "abril"), ("mai", "mayo"), ("juni", "juin", "junio"), ("juli", "juillet", "julio"),
         ("août", "aout", "agosto"), ("septembre", "septiembre", "setiembre"), ("oktober", "octobre", "octubre"),
         ("novembre", "noviembre"), ("dezember", "décembre", "decembre", "diciembre")], start=1) for m in names},
}  # fmt: skip
_ANY_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))  # English, German, French, Spanish
_WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|freitag|lundi|mardi|"
    r"mercredi|jeudi|vendredi|lunes|martes|miércoles|jueves|viernes)"
)
_BACK = re.compile(
    r"\b(until|till|through|thru|back( in the office)?( on)?|returning( on)?|return(ing)? to the office( on)?|"
    r"will return( on)?|from|ab|bis( zum| einschließlich)?|zurück( am)?|wieder( am| ab)?|jusqu'(au|à)|"
    r"de retour( le)?|hasta( el)?|a partir del?|(?:regreso|vuelvo)( el)?)\s+"
    rf"(?:{_WEEKDAY},?\s+(?:(?:dem|den|le|el)\s+)?)?(?:the\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?(?P<m1>{_ANY_MONTH})\b(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_ANY_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d)"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<n1>\d{1,2})[./](?P<n2>\d{1,2})(?:[./](?P<y>\d{2,4}))?"
    rf"|(?P<m3>{_ANY_MONTH})(?:\s+(?P<y3>\d{{4}}))?\b|(?P<d4>\d{{1,2}})(?:st|nd|rd|th)\b)",
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
            year = int(match.group("y")) if match.group("y") else at.year
            year = year + 2000 if year < 100 else year
            first, second = ((a, b), (b, a)) if day_first else ((b, a), (a, b))
            for day, month in (first, second):  # 3/16 has one reading only
                if 1 <= month <= 12 and 1 <= day <= 31:
                    return _next(dt.date(year, month, day), at, bool(match.group("y")))
            return None
        if match.group("m3"):
            year = int(match.group("y3")) if match.group("y3") else at.year
            return _next(dt.date(year, _MONTHS[match.group("m3").lower()], 1), at, bool(match.group("y3")))
        if match.group("d4"):  # "back on the 9th": the next 9th
            day, start = int(match.group("d4")), at.date()
            month, year = start.month, start.year
            if day < start.day:
                month, year = (1, year + 1) if month == 12 else (month + 1, year)
            return dt.date(year, month, day)
        day = int(match.group("d1") or match.group("d2"))
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower().rstrip(".")]
        year = int(match.group("y1")) if match.group("y1") else at.year
        return _next(dt.date(year, month, day), at, bool(match.group("y1")))
    except (ValueError, KeyError):
        return None


def _next(day: dt.date, at: dt.datetime, year_given: bool) -> dt.date:
    """A day named without its year is the next one to come (a return on 5 January, written in December)."""
    if not year_given and day < at.date() - dt.timedelta(days=7):
        return day.replace(year=day.year + 1)
    return day
