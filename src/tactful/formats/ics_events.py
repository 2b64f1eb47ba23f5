"""Calendar exports (`.ics`): which events were interviews, meetings or calls, and with whom.

An event is proposed as an interaction when its title (or, failing that, its description without
the video-call boilerplate) has a telling word, and it names someone: an attendee other than you, the
organiser, or "with NAME" in the title. Recurring, cancelled and all-day events are left alone,
each with its reason. Nothing here writes: the use case shows the proposals for confirmation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from .records import Parsed, ParseError, Person, Problem, ProposedInteraction, Unrelated, clean

#: First match wins: (kind, words in the title or description that make an event that kind).
KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(words, re.IGNORECASE))
    for kind, words in [
        ("interview", r"\binterview\w*|\bphone screen|\bscreening call|\bon-?site\b|\btechnical screen"),
        ("presentation", r"\bpitch\b|\bpresentation\b|\bdemo\b"),
        ("client-meeting", r"\bclient\b|\bcustomer\b|\bqbr\b|\bkick-?off\b"),
        ("meeting", r"\bcoffee\b|\blunch\b|\bbreakfast\b|\bdrinks\b|\bmeetup\b|\bnetworking\b"),
        ("call", r"\bcall\b|\bchat\b|\bphone\b|\binformational\b"),
        ("meeting", r"\bmeeting\b|\bmeet\b|\bcatch[- ]?up\b|\bintro\b"),
    ]
]
#: Description lines that come with every video call and say nothing about the event.
_BOILERPLATE = re.compile(
    r"zoom|google meet|meet\.google|teams|webex|dial-?in|meeting id|passcode|https?://", re.IGNORECASE
)
_FREE_MAIL = {
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
}
_CUT = re.compile(r"\s+(?:at|@|re|about|for)\s+|\s*[(:|/\u2013\u2014]\s*|\s+-\s+")
_PARTICLES = {"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "bin", "al"}
_WORD = re.compile(r"^[^\W\d_][\w'\u2019.-]*$")
#: Properties whose damage makes an event unreadable; errors in others are ignored.
_VITAL = ("DTSTART", "DTEND", "DURATION", "ATTENDEE", "ORGANIZER", "RRULE", "STATUS", "SUMMARY")


def event_lines(text: str) -> list[tuple[int, int]]:
    """(first, last) line of every VEVENT, in file order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().upper()
        if word == "BEGIN:VEVENT":
            start = number
        elif word == "END:VEVENT" and start:
            spans.append((start, number))
            start = 0
    return spans


def parse_events(text: str, file: str, zone: ZoneInfo, me: Iterable[str] = ()) -> Parsed[ProposedInteraction]:
    """Interactions proposed from the events of a calendar; `me`: your own names and addresses."""
    import icalendar

    parsed: Parsed[ProposedInteraction] = Parsed()
    lines = text.splitlines()
    spans = event_lines(text)
    try:
        events: list[Any] = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    except ValueError as exc:
        if not spans:
            raise ParseError(Problem(file, 1, f"not an iCalendar file ({exc})"), whole_file=True) from None
        events = _one_by_one(lines, spans, file, parsed.problems)
    if len(events) != len(spans):  # an odd nesting: fall back to the order of BEGIN lines
        spans = spans[: len(events)] + [(1, len(lines))] * (len(events) - len(spans))
    mine = {m.strip().casefold() for m in me if m and m.strip()}
    for event, span in zip(events, spans, strict=False):
        if event is None:
            continue
        proposal = _proposal(event, span, lines, file, zone, mine, parsed)
        if proposal is not None:
            parsed.items.append(proposal)
    return parsed


def _one_by_one(
    lines: list[str], spans: list[tuple[int, int]], file: str, problems: list[Problem]
) -> list[Any]:
    """Each event parsed alone, so that one broken event does not hide the others."""
    import icalendar

    events: list[Any] = []
    for first, last in spans:
        block = "\r\n".join(lines[first - 1 : last]) + "\r\n"
        try:
            events.append(icalendar.Event.from_ical(block))
        except ValueError as exc:
            problems.append(Problem(file, first, f"unreadable event ({exc})"))
            events.append(None)
    return events


def _line_of(prop: str, span: tuple[int, int], lines: list[str]) -> int:
    for number in range(span[0], span[1] + 1):
        head = lines[number - 1].upper()
        if head.startswith((f"{prop}:", f"{prop};")):
            return number
    return span[0]


def _proposal(
    event: Any,
    span: tuple[int, int],
    lines: list[str],
    file: str,
    zone: ZoneInfo,
    mine: set[str],
    parsed: Parsed[ProposedInteraction],
) -> ProposedInteraction | None:
    summary = clean(str(event.get("SUMMARY", ""))) or ""
    for prop, message in getattr(event, "errors", []):
        if str(prop).upper() in _VITAL:
            line = _line_of(str(prop).upper(), span, lines)
            parsed.problems.append(Problem(file, line, f"unreadable value ({message})", str(prop).upper()))
            return None
    if "DTSTART" not in event:
        parsed.problems.append(Problem(file, span[0], "the event has no start time", "DTSTART"))
        return None
    start = event.decoded("DTSTART")

    description = _description(str(event.get("DESCRIPTION", "")))
    kind, matched = _kind(summary, description)
    people = _people(event, mine) or [Person(name) for name in _names_in(summary)]
    reason = None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        reason = "cancelled"
    elif "RRULE" in event or "RECURRENCE-ID" in event:
        reason = "a recurring event, not a one-off conversation"
    elif not isinstance(start, dt.datetime):
        reason = "an all-day event, not a conversation"
    elif kind is None:
        reason = "not an interview, meeting or call"
    elif not people:
        reason = "nobody to follow up with: no attendees, and no 'with NAME' in the title"
    if reason or kind is None or not isinstance(start, dt.datetime):
        parsed.unrelated.append(Unrelated(span[0], summary or "(no title)", reason or ""))
        return None
    at = (start if start.tzinfo else start.replace(tzinfo=zone)).astimezone(dt.UTC)
    return ProposedInteraction(
        line=span[0],
        uid=clean(str(event["UID"])) if "UID" in event else None,  # kept: no NUL, no line break
        summary=summary or "(no title)",
        kind=kind,
        at=at,
        people=people,
        organisation=_organisation(summary, people),
        title=_title(summary) if kind == "interview" else None,
        note=description[:500] or None,
        matched=matched,
    )


def _description(text: str) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip() and not _BOILERPLATE.search(line)]
    return clean(" ".join(kept)) or ""  # one line, without control characters


def _kind(summary: str, description: str) -> tuple[str | None, str]:
    for text in (summary, description):
        for kind, words in KIND_WORDS:
            match = words.search(text)
            if match:
                return kind, match.group(0).lower()
    return None, ""


def _address(value: Any) -> str | None:
    text = str(value).strip()
    if text.casefold().startswith("mailto:"):
        text = text[7:]
    return text or None


def _people(event: Any, mine: set[str]) -> list[Person]:
    found: list[Person] = []
    seen: set[str] = set()
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    organizer = event.get("ORGANIZER")
    for prop in [*attendees, *([organizer] if organizer is not None else [])]:
        params = getattr(prop, "params", {})
        if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in {"ROOM", "RESOURCE", "GROUP"}:
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        email = _address(prop)
        name = clean(str(params.get("CN", "")).strip().strip('"')) or _name_from(email)
        keys = {k.casefold() for k in (email, name) if k}
        if not name or keys & mine or keys & seen:
            continue
        seen |= keys
        found.append(Person(name, email if email and "@" in email else None))
    return found


def _name_from(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._-]+", local) if w.isalpha()]
    return " ".join(w.capitalize() for w in words) or None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or not _WORD.match(words[0]) or not words[0][0].isupper():
        return False
    return all(_WORD.match(w) and (w[0].isupper() or w in _PARTICLES) for w in words)


def _names_in(summary: str) -> list[str]:
    """Names after 'with' in a title: 'Coffee with Dana Whitfield and Omar Osei (Fintrail)'."""
    match = re.search(r"\bwith\s+(.+)", summary, re.IGNORECASE)
    if not match:
        return []
    head = _CUT.split(match.group(1), maxsplit=1)[0]
    parts = re.split(r"\s*(?:,|&|\band\b)\s*", head)
    return [" ".join(p.split()) for p in parts if _looks_like_name(p.strip())]


def _organisation(summary: str, people: list[Person]) -> str | None:
    match = re.search(r"\bat\s+([^\W\d_][^(:|\u2013\u2014]*?)\s*(?:[(:|\u2013\u2014]|\s-\s|$)", summary)
    if match and match.group(1).strip()[0].isupper():
        return match.group(1).strip()
    bracket = re.search(r"\(([^)]+)\)\s*$", summary)
    if bracket:
        return bracket.group(1).strip()
    domains = {p.email.split("@", 1)[1].casefold() for p in people if p.email}
    if len(domains) == 1:
        domain = domains.pop()
        if domain not in _FREE_MAIL:
            label = domain.split(".")[0]
            return " ".join(w.capitalize() for w in re.split(r"[-_]", label) if w)
    return None


def _title(summary: str) -> str | None:
    """The job in an interview's title: 'Interview: Senior Data Engineer at Acme' gives the middle."""
    match = re.search(
        r"(?:interview\w*|screen\w*)\s*(?:for\s+(?:the\s+)?|[:\u2013\u2014-]\s*)(.+?)"
        r"(?:\s+(?:at|with|@)\s+|\s*[(|]|\s+-\s+|$)",
        summary,
        re.IGNORECASE,
    )
    if not match:
        return None
    title = match.group(1).strip(" -:")
    return title if title and not title.casefold().startswith("with ") else None
