"""Follow-ups as an iCalendar (RFC 5545) calendar: events to see in a day view, or to-dos to tick off.

Pure: follow-ups with their contacts, thread labels and drafts in, the bytes of one VCALENDAR out.
Each follow-up keeps one UID (`followup-7@tactful`), so importing a newer export, or refreshing a
subscribed feed, updates it in place; SEQUENCE grows when it is snoozed and when it is finished.

As events (the default) a follow-up sits at its suggested time (else when its window opens) for 30
minutes, with an alarm when the window opens; as to-dos it starts when the window opens and is due
when it closes. Done ones are COMPLETED (to-dos) or moved to when they were sent (events); skipped and
cancelled ones are CANCELLED, so a calendar that had them drops them.

The lines are written here rather than through `icalendar`'s serialiser, which takes over 2 s for
10,000 events; `icalendar` reads the output back in the tests, and khal and todoman display it.
Times are written in UTC; descriptions show the window in the user's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..domain import Channel, Contact, FollowUp, Purpose, Status

PRODID = "-//tactful//tactful follow-ups//EN"
EVENT_LENGTH = dt.timedelta(minutes=30)
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

#: What each purpose asks the user to do; `{who}` is the person, with their organisation.
PHRASES: dict[Purpose, str] = {
    Purpose.THANK_YOU: "Thank {who}",
    Purpose.RECAP: "Send {who} a recap",
    Purpose.CHECK_IN: "Check in with {who}",
    Purpose.APPLICATION_CHECK: "Check that {who} got your application",
    Purpose.RECONNECT: "Reconnect with {who}",
    Purpose.THANK_INTRODUCER: "Thank {who} for the introduction",
    Purpose.INTRODUCE_YOURSELF: "Introduce yourself to {who}",
    Purpose.REMINDER: "Remind {who} of the promised help",
    Purpose.LINKEDIN_CONNECT: "Connect with {who}",
    Purpose.HANDWRITTEN_NOTE: "Send {who} a handwritten note",
    Purpose.CALL: "Call {who}",
    Purpose.GRACIOUS_CLOSE: "Close graciously with {who}",
    Purpose.THANKS_FOR_HELP: "Thank {who} for their help",
    Purpose.CLOSE_THE_LOOP: "Tell {who} how the introduction went",
    Purpose.KEEP_IN_TOUCH: "Keep in touch with {who}",
    Purpose.REMINDER_TO_SELF: "Your reminder about {who}",
    Purpose.PROMISE: "Keep your promise to {who}",
}
CHANNELS = {Channel.EMAIL: "by email", Channel.PHONE: "by phone", Channel.LINKEDIN: "on LinkedIn",
            Channel.LETTER: "by post"}  # fmt: skip
#: The channel a purpose implies, left unsaid in its summary ("Call Priya", not "Call Priya by phone").
IMPLIED = {
    Purpose.CALL: Channel.PHONE,
    Purpose.HANDWRITTEN_NOTE: Channel.LETTER,
    Purpose.REMINDER_TO_SELF: Channel.EMAIL,
    Purpose.PROMISE: Channel.EMAIL,
}  # fmt: skip  (a reminder or a promise goes nowhere)


@dataclass(frozen=True)
class Entry:
    """One follow-up and what the calendar says about it."""

    followup: FollowUp
    contact: Contact
    title: str | None = None
    organisation: str | None = None
    draft: str | None = None


def summary(entry: Entry) -> str:
    """'Thank Priya Natarajan (Acme) by email'."""
    f, c = entry.followup, entry.contact
    org = c.organisation or entry.organisation
    who = f"{c.name} ({org})" if org else c.name
    text = PHRASES.get(f.purpose, "Follow up with {who}").format(who=who)
    if IMPLIED.get(f.purpose) is not f.channel:
        text += f" {CHANNELS.get(f.channel, f'by {f.channel.value}')}"
    return text


def description(entry: Entry, tz: ZoneInfo) -> str:
    f = entry.followup
    lines = [f.why]
    about = " at ".join(p for p in (entry.title, entry.organisation) if p)
    if about:
        lines.append(f"About: {about} (thread {f.thread_id})")
    opens, closes = f.not_before.astimezone(tz), f.due_by.astimezone(tz)
    lines.append(f"Window: {opens:%a %d %b %H:%M} to {closes:%a %d %b %H:%M} ({tz.key})")
    if f.status is Status.DONE and f.done_at:
        lines.append(f"Done: {f.done_at.astimezone(tz):%a %d %b %H:%M}")
    elif f.status in (Status.SKIPPED, Status.CANCELLED):
        lines.append(f"{f.status.value.capitalize()}: {f.cancel_reason or 'no reason given'}")
    lines.append(f"Follow-up {f.id}, rule {f.rule}: `tactful draft {f.id}`, then `tactful done {f.id}`.")
    if entry.draft:
        lines += ["", "Draft:", entry.draft.strip()]
    return "\n".join(lines)


def calendar(
    entries: Iterable[Entry],
    now: dt.datetime,
    tz: ZoneInfo,
    todo: bool = False,
    name: str = "tactful follow-ups",
) -> bytes:
    """The VCALENDAR holding every entry, as events, or as to-dos when `todo`."""
    out = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(name)}",
        f"X-WR-TIMEZONE:{tz.key}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    stamp = utc(now)
    component = _todo if todo else _event
    for entry in entries:
        out += component(entry, stamp, tz)
    out.append("END:VCALENDAR")
    return b"\r\n".join(fold(line.encode("utf-8")) for line in out) + b"\r\n"


def _common(entry: Entry, stamp: str, tz: ZoneInfo) -> list[str]:
    f = entry.followup
    return [
        f"UID:{uid(f.id)}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence(f)}",
        f"SUMMARY:{text(summary(entry))}",
        f"DESCRIPTION:{text(description(entry, tz))}",
        f"CATEGORIES:tactful,{f.purpose.value}",
    ]


def _alarm(what: str, trigger: str) -> list[str]:
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{text(what)}", f"TRIGGER:{trigger}", "END:VALARM"]


def _event(entry: Entry, stamp: str, tz: ZoneInfo) -> list[str]:
    f = entry.followup
    start = f.suggested_at or f.not_before
    if f.status is Status.DONE and f.done_at:
        start = f.done_at
    status = {Status.PLANNED: "CONFIRMED", Status.DONE: "CONFIRMED"}.get(f.status, "CANCELLED")
    lines = [
        "BEGIN:VEVENT",
        *_common(entry, stamp, tz),
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(start + EVENT_LENGTH)}",
        f"STATUS:{status}",
        "TRANSP:TRANSPARENT",
    ]
    if f.status is Status.PLANNED:
        lines += _alarm(f"Window open: {summary(entry)}", duration(f.not_before - start))
    lines.append("END:VEVENT")
    return lines


def _todo(entry: Entry, stamp: str, tz: ZoneInfo) -> list[str]:
    f = entry.followup
    status = {Status.PLANNED: "NEEDS-ACTION", Status.DONE: "COMPLETED"}.get(f.status, "CANCELLED")
    lines = [
        "BEGIN:VTODO",
        *_common(entry, stamp, tz),
        f"DTSTART:{utc(f.not_before)}",
        f"DUE:{utc(max(f.due_by, f.not_before + dt.timedelta(seconds=1)))}",
        f"STATUS:{status}",
        f"PRIORITY:{5 if f.nudge else 1}",
    ]
    if f.status is Status.DONE:
        lines += [f"COMPLETED:{utc(f.done_at or f.due_by)}", "PERCENT-COMPLETE:100"]
    if f.status is Status.PLANNED:
        lines += _alarm(f"Window open: {summary(entry)}", "PT0S")
    lines.append("END:VTODO")
    return lines


def sequence(f: FollowUp) -> int:
    """A revision number that only grows, with no counter stored: a planned follow-up only ever moves
    later (snoozing opens its window later), so it follows the window's opening in minutes since
    2020, doubled; finishing it (done, skipped, cancelled) adds one."""
    minutes = max(0, int((f.not_before - _EPOCH).total_seconds() // 60))
    return 2 * minutes + (0 if f.status is Status.PLANNED else 1)


# -- RFC 5545 value encoding ------------------------------------------------------------------------------
def uid(followup_id: int) -> str:
    return f"followup-{followup_id}@tactful"


def utc(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form: 20260302T150000Z."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def duration(delta: dt.timedelta) -> str:
    """A DURATION: -PT2H30M, P1DT4H, PT0S."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    if not days and not clock:
        return "PT0S"
    return f"{sign}P{f'{days}D' if days else ''}{f'T{clock}' if clock else ''}"


def text(value: str) -> str:
    """A TEXT value, escaped: backslash, semicolon, comma and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: bytes, limit: int = 75) -> bytes:
    """A content line folded at `limit` octets (RFC 5545 3.1), never inside a character or an escape."""
    if len(line) <= limit:
        return line
    pieces: list[bytes] = []
    start, room = 0, limit
    while len(line) - start > room:
        cut = start + room
        while cut > start + 1 and line[cut] & 0xC0 == 0x80:  # inside a UTF-8 sequence
            cut -= 1
        if line[cut - 1] == 0x5C and cut - 1 > start:  # keep a backslash with what it escapes
            cut -= 1
        pieces.append(line[start:cut])
        start, room = cut, limit - 1
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)
