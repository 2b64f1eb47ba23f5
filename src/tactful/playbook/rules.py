"""The playbook as data: rules, windows and limits read from `playbook.toml`.

The shipped file is laid under the user's own (if any), rule by rule and key by key, so a user can
change one number without copying the rest. Parsing is strict: a broken override is reported with
the file, the rule and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..business_days import BusinessCalendar
from ..domain import Channel, Purpose
from ..errors import InvalidInput

_OFFSET = re.compile(r"^\s*(\d+)\s*([hd])\s*$")


@dataclass(frozen=True)
class Offset:
    """A point relative to an anchor: `hours` after it, or the `days`-th business day after its date."""

    amount: int
    unit: str  # "h" or "d"

    @classmethod
    def parse(cls, text: str, where: str) -> Offset:
        found = _OFFSET.match(str(text))
        if not found:
            raise InvalidInput(
                f"{where}: {text!r} is not a window offset; write hours as '24h' or business days as '3d'"
            )
        return cls(int(found.group(1)), found.group(2))

    def halved(self, factor: int) -> Offset:
        """Closing `factor` times sooner, never below one hour or one business day."""
        return Offset(max(1, math.ceil(self.amount / factor)), self.unit)

    def resolve(self, anchor: dt.datetime, cal: BusinessCalendar, closing: bool) -> dt.datetime:
        if self.unit == "h":
            return anchor + dt.timedelta(hours=self.amount)
        day = cal.add_business_days(cal.local_date(anchor), self.amount)
        return cal.end_of(day) if closing else cal.start_of(day)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Rule:
    key: str  # the entry's name in the file
    id: str  # the rule id shown to users (several entries may share one)
    purpose: Purpose
    channel: Channel
    opens: Offset
    closes: Offset
    why: str
    nudge: bool = False
    enabled: bool = True

    def window(
        self, anchor: dt.datetime, cal: BusinessCalendar, time_sensitive: bool = False, factor: int = 2
    ) -> tuple[dt.datetime, dt.datetime]:
        opens, closes = self.opens, self.closes
        if time_sensitive:
            closes = closes.halved(factor)
            if opens.unit == closes.unit and opens.amount > closes.amount:
                opens = closes
        start = opens.resolve(anchor, cal, closing=False)
        end = closes.resolve(anchor, cal, closing=True)
        return min(start, end), end


@dataclass(frozen=True)
class Limits:
    cap: int = 1
    cap_after_decision_date: int = 2
    spacing_business_days: int = 5
    phone_after_email_days: int = 7
    one_channel_business_days: int = 2
    business_hours: tuple[int, int] = (9, 17)
    time_sensitive_factor: int = 2
    phone_purpose: Purpose = Purpose.CALL
    keep_in_touch_per_day: int = 3


@dataclass(frozen=True)
class Playbook:
    rules: dict[str, Rule]
    limits: Limits
    messages: dict[str, str]

    def rule(self, key: str) -> Rule | None:
        """The enabled rule stored under `key`, or None when the user switched it off."""
        found = self.rules.get(key)
        return found if found is not None and found.enabled else None

    def message(self, key: str, **values: Any) -> str:
        return self.messages[key].format(**values)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path | None) -> dict[str, Any]:
    import tomllib

    try:
        if path is None:
            text = resources.files("tactful.playbook").joinpath("playbook.toml").read_text(encoding="utf-8")
            return tomllib.loads(text)
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: not valid TOML ({exc}); fix the file or move it aside") from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the playbook ({exc.strerror})") from exc


#: The names a rule's reason may use, with sample values to try it on.
REASON_FIELDS = {
    "decision_by": "Fri 13 Mar",
    "promised_by": "Fri 13 Mar",
    "introducer": "Alex",
    "name": "Priya",
    "reply_by": "Fri 13 Mar",
    "every": "2 months",
    "contact": "Sam",
    "promise": "send the deck",
}


def _rule(key: str, raw: Any, where: str) -> Rule:
    here = f"{where}: rules.{key}"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{here} should be a table of purpose, channel, opens, closes and why")
    try:
        str(raw.get("why", "")).format(**REASON_FIELDS)
    except (KeyError, IndexError, ValueError) as exc:
        fields = ", ".join("{" + name + "}" for name in REASON_FIELDS)
        raise InvalidInput(f"{here}.why: cannot fill {exc}; a reason may use {fields}") from None
    try:
        purpose = Purpose(raw["purpose"])
        channel = Channel(raw["channel"])
        return Rule(
            key=key,
            id=str(raw.get("id", key)),
            purpose=purpose,
            channel=channel,
            opens=Offset.parse(raw["opens"], f"{here}.opens"),
            closes=Offset.parse(raw["closes"], f"{here}.closes"),
            why=str(raw["why"]),
            nudge=bool(raw.get("nudge", False)),
            enabled=bool(raw.get("enabled", True)),
        )
    except KeyError as exc:
        raise InvalidInput(
            f"{here} lacks {exc.args[0]!r}; every rule needs purpose, channel, opens, closes, why"
        ) from exc
    except ValueError as exc:
        raise InvalidInput(f"{here}: {exc}") from exc


_AT_LEAST_ONE = frozenset({"time_sensitive_factor", "keep_in_touch_per_day"})


def _limits(raw: Any, where: str) -> Limits:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: [limits] should be a table of numbers")
    known = {f for f in Limits.__dataclass_fields__}
    unknown = set(raw) - known
    if unknown:
        raise InvalidInput(
            f"{where}: unknown limit {sorted(unknown)[0]!r}; known ones are {', '.join(sorted(known))}"
        )
    limits = Limits()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "business_hours":
            hours = value if isinstance(value, list) and len(value) == 2 else None
            if not (hours and all(type(h) is int for h in hours) and 0 <= hours[0] < hours[1] <= 24):
                raise InvalidInput(f"{where}: limits.business_hours should be two hours like [9, 17]")
            values[key] = (hours[0], hours[1])
        elif key == "phone_purpose":
            if value not in {p.value for p in Purpose}:
                raise InvalidInput(
                    f"{where}: limits.phone_purpose {value!r} is not a purpose of the playbook"
                )
            values[key] = Purpose(value)
        elif type(value) is not int or value < (1 if key in _AT_LEAST_ONE else 0) or value > 365:
            least = 1 if key in _AT_LEAST_ONE else 0
            raise InvalidInput(
                f"{where}: limits.{key} should be a whole number from {least} to 365, got {value!r}"
            )
        else:
            values[key] = value
    return replace(limits, **values)


def load(override: Path | None = None) -> Playbook:
    """The shipped playbook, with `override` laid over it when that file exists."""
    raw = _read(None)
    where = "playbook.toml"
    if override is not None and override.exists():
        raw = _merge(raw, _read(override))
        where = str(override)
    tables = raw.get("rules", {})
    if not isinstance(tables, dict):
        raise InvalidInput(f'{where}: rules should be tables like [rules."interview.thank-you"]')
    rules = {key: _rule(key, value, where) for key, value in tables.items()}
    messages = raw.get("messages", {})
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise InvalidInput(f"{where}: [messages] should hold text only")
    return Playbook(rules=rules, limits=_limits(raw.get("limits", {}), where), messages=dict(messages))
