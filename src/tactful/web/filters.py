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
    return text.replace("-", " ").capitalize()


def install(env: Environment) -> None:
    env.filters["moment"] = moment_text
    env.filters["window"] = window_text
    env.filters["iso"] = iso
    env.filters["label"] = label
