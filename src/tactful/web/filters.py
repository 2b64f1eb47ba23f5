"""Jinja filters: times in the user's zone, the part of a window that matters now."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment

from ..service.shapes import moment_text, window_text


def iso(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).isoformat() if value else ""


def label(value: Any) -> str:
    """'thank-you' -> 'Thank-you', 'client-meeting' -> 'Client meeting'."""
    text = str(value.value if hasattr(value, "value") else value)
    if text in ("thank-you", "check-in"):
        return text.capitalize()
    if text == "promise":
        return "Your promise"
    return text.replace("-", " ").capitalize()


def suggested(f: Any, contact: Any, tz: ZoneInfo) -> str:
    """When to send it, in the recipient's hours when their zone is known: "Tue 3 Mar 10:00, their time"."""
    if f.suggested_at is None:
        return ""
    theirs = contact.tz and contact.tz != tz.key
    zone = ZoneInfo(contact.tz) if theirs else tz
    moment = f.suggested_at.astimezone(zone)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}" + (", their time" if theirs else "")


def ago(value: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago, as people say it: "just now", "40 min ago", "2 h ago", "3 days ago"."""
    if value is None:
        return ""
    seconds = max(0, int((now - value).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def install(env: Environment) -> None:
    env.filters["ago"] = ago
    env.filters["suggested"] = suggested
    env.filters["moment"] = moment_text
    env.filters["window"] = window_text
    env.filters["iso"] = iso
    env.filters["label"] = label
