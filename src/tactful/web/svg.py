"""A thread's story on a small time axis, drawn on the server as SVG.

Rows for what happened (dots) and for the plan ahead (a bar per follow-up window), a line for now.
Pure: it takes the thread's history and returns markup with every text escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from zoneinfo import ZoneInfo

from ..domain import Status, ThreadHistory

WIDTH = 720
LEFT = 190
ROW = 24
TOP = 28


def timeline(history: ThreadHistory, now: dt.datetime, tz: ZoneInfo) -> str:
    rows: list[tuple[str, dt.datetime, dt.datetime | None, str]] = []  # label, start, end, css class
    for i in history.interactions:
        who = ", ".join(history.contacts[c].name for c in i.contact_ids if c in history.contacts)
        rows.append((f"{i.kind.value} · {who}", i.at, None, "event"))
    for e in history.events:
        rows.append((e.outcome.value if e.outcome else "reply", e.at, None, "event"))
    for f in history.followups:
        person = history.contacts[f.contact_id].name
        text = f"{f.purpose.value} · {person}"
        if f.status is Status.DONE and f.done_at:
            rows.append((f"sent {text}", f.done_at, None, "sent"))
        elif f.status is Status.PLANNED:
            rows.append((text, f.not_before, f.due_by, f.state(now).value))
    if not rows:
        return ""
    rows.sort(key=lambda r: r[1])
    start = min(min(r[1] for r in rows), now) - dt.timedelta(days=1)
    end = max(max((r[2] or r[1]) for r in rows), now) + dt.timedelta(days=1)
    span = (end - start).total_seconds()

    def x(moment: dt.datetime) -> float:
        return LEFT + (WIDTH - LEFT - 10) * (moment - start).total_seconds() / span

    height = TOP + ROW * len(rows) + 24
    parts = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Timeline of the thread: what happened and what is planned" xmlns="http://www.w3.org/2000/svg">'
    ]
    parts.extend(_ticks(start, end, x, height, tz))
    for n, (text, begin, finish, css) in enumerate(rows):
        y = TOP + n * ROW
        parts.append(
            f'<text class="label" x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{escape(_short(text))}</text>'
        )
        if finish is None:
            parts.append(
                f'<circle class="{css}" cx="{x(begin):.1f}" cy="{y + 11}" r="5"><title>{escape(text)}</title></circle>'
            )
        else:
            left, right = x(begin), max(x(finish), x(begin) + 4)
            parts.append(
                f'<rect class="window {css}" x="{left:.1f}" y="{y + 4}" width="{right - left:.1f}" height="14" rx="3">'
                f"<title>{escape(text)}: {escape(_day(begin, tz))} to {escape(_day(finish, tz))}</title></rect>"
            )
    parts.append(f'<line class="now" x1="{x(now):.1f}" y1="18" x2="{x(now):.1f}" y2="{height - 18}"/>')
    parts.append(f'<text class="now-label" x="{x(now):.1f}" y="{height - 4}" text-anchor="middle">now</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ticks(
    start: dt.datetime, end: dt.datetime, x: Callable[[dt.datetime], float], height: int, tz: ZoneInfo
) -> list[str]:
    days = max(1, (end - start).days)
    step = 1 if days <= 14 else 7 if days <= 90 else 30
    day = start.astimezone(tz).date() + dt.timedelta(days=1)
    out = []
    while True:
        moment = dt.datetime.combine(day, dt.time(0), tz)
        if moment > end:
            break
        px = x(moment)
        out.append(f'<line class="tick" x1="{px:.1f}" y1="18" x2="{px:.1f}" y2="{height - 4}"/>')
        out.append(f'<text class="tick-label" x="{px + 2:.1f}" y="24">{day:%-d %b}</text>')
        day += dt.timedelta(days=step)
    return out


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(moment: dt.datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%a %-d %b %H:%M}"


def bars(rates: dict[str, dict[str, object]], label: Callable[[str], str] = str) -> str:
    """A reply-rate chart: a bar per group, as long as its rate, with "replied of sent" beside it.
    It scales to the page's width (a phone's too); every text is escaped."""
    row, left, width = 22, 96, 190  # narrow: on a phone it is drawn near its own size
    height = row * len(rates) + 6
    out = [
        f'<svg class="bars" viewBox="0 0 {left + width + 64} {height}" role="img" '
        f'aria-label="Reply rate by group" preserveAspectRatio="xMinYMin meet">'
    ]
    for n, (key, rate) in enumerate(rates.items()):
        y = 3 + n * row
        value = rate.get("rate")
        share = float(value) if isinstance(value, int | float) else 0.0
        said = f"{rate.get('replied')} of {rate.get('of')}"
        out.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label(key))}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{width}" height="14" class="track"/>'
            f'<rect x="{left}" y="{y + 2}" width="{round(width * share, 1)}" height="14" class="bar"/>'
            f'<text x="{left + width + 6}" y="{y + 13}">{escape(said)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
