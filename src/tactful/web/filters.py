"""Jinja filters: times in the user's zone, the part of a window that matters now."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment

from ..domain import FollowUp, State


def moment(value: dt.datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    if local.time() in (dt.time(0, 0), dt.time(23, 59, 59)):
        return f"{local:%a %-d %b}"
    return f"{local:%a %-d %b %H:%M}"


def window(f: FollowUp, now: dt.datetime, tz: ZoneInfo) -> str:
    state = f.state(now)
    if state is State.WAITING:
        return f"opens {moment(f.not_before, tz)}"
    if state is State.OVERDUE:
        return f"was due {moment(f.due_by, tz)}"
    return f"due by {moment(f.due_by, tz)}"


def iso(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).isoformat() if value else ""


def label(value: Any) -> str:
    """'thank-you' -> 'Thank-you', 'client-meeting' -> 'Client meeting'."""
    text = str(value.value if hasattr(value, "value") else value)
    if text in ("thank-you", "check-in"):
        return text.capitalize()
    return text.replace("-", " ").capitalize()


def install(env: Environment) -> None:
    env.filters["moment"] = moment
    env.filters["window"] = window
    env.filters["iso"] = iso
    env.filters["label"] = label
