"""What works, explained: where the user's own sends say a nudge's window should move.

A nudge whose window counts business days from the interaction (or from a date given in it) went out
on a known day of that count, and `stats` says whether it was answered. Once a rule has enough
threads behind it, its sends are cut in two at each day they went out on: those before, those on or
after. Where one side was answered clearly more often than the other, the window is proposed to
cover the better side, within the playbook's limits, with the figures it rests on. A suggestion is
only shown: `accept` writes it into the user's own playbook, and nothing changes until then.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import Interaction, Kind, Status
from ..errors import InvalidInput
from ..playbook.rules import Rule, load
from .base import Service
from .stats import record

#: A rule needs this many threads with a send before its figures are read at all.
MIN_THREADS = 30
#: ... and each side of a comparison this many sends.
MIN_GROUP = 10
#: The better side's rate must be at least this many times the other's (as a fraction: 3/2)...
RATIO = (3, 2)
#: ... and this many percentage points above it.
POINTS = 15
#: A window may open no sooner than this many business days after its anchor...
EARLIEST = 1
#: ... and close no more than this many business days later than it closes now.
LATEST_EXTRA = 5


@dataclass(frozen=True)
class Measured:
    """A rule whose sends can be placed on its count of days: what to call them, and from what."""

    noun: str  # "check-ins"
    after: str  # "the interview"
    anchor: Callable[[Interaction], dt.datetime | dt.date | None]  # None: not made by this rule


#: The nudge rules measured, by their key in the playbook. The others count their days from a send
#: (a recap, an earlier check-in), so the interaction does not say when in their window they went.
MEASURED: dict[str, Measured] = {
    "interview.check-in": Measured(
        "check-ins",
        "the interview",
        lambda i: i.at if i.kind is Kind.INTERVIEW and i.decision_by is None else None,
    ),
    "interview.check-in-after-deadline": Measured(
        "check-ins after a decision date",
        "that date",
        lambda i: i.decision_by if i.kind is Kind.INTERVIEW else None,
    ),
    "application.check": Measured(
        "application check-ins",
        "the application",
        lambda i: i.at if i.kind is Kind.APPLICATION else None,
    ),
    "help.reminder": Measured(
        "reminders of promised help",
        "the promise",
        lambda i: i.at if i.kind is Kind.HELP_PROMISED and i.promised_by is None else None,
    ),
    "help.reminder-after-date": Measured(
        "reminders after a promised date",
        "that date",
        lambda i: i.promised_by if i.kind is Kind.HELP_PROMISED else None,
    ),
}


@dataclass(frozen=True)
class Group:
    """Sends that went out from day `first` to day `last` after the anchor, and how many were answered."""

    first: int
    last: int
    replied: int
    of: int

    @property
    def rate(self) -> float:
        return self.replied / self.of

    def days(self) -> str:
        if self.first == self.last:
            return f"{self.first} business day{'' if self.first == 1 else 's'}"
        return f"{self.first} to {self.last} business days"

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": [self.first, self.last],
            "replied": self.replied,
            "of": self.of,
            "rate": round(self.rate, 3),
        }


@dataclass(frozen=True)
class Suggestion:
    """Move rule `id`'s window from opens..closes to proposed_opens..proposed_closes (business days)."""

    id: str  # the rule's key in the playbook: what `accept` is given
    rule: str  # the rule id its follow-ups carry
    opens: int
    closes: int
    proposed_opens: int
    proposed_closes: int
    why: str
    early: Group
    late: Group
    threads: int

    def figures(self) -> dict[str, Any]:
        return {"threads": self.threads, "early": self.early.to_dict(), "late": self.late.to_dict()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "opens": f"{self.opens}d",
            "closes": f"{self.closes}d",
            "proposed_opens": f"{self.proposed_opens}d",
            "proposed_closes": f"{self.proposed_closes}d",
            "why": self.why,
            "figures": self.figures(),
        }


@dataclass
class Findings:
    """The suggestions, and how many threads each measured rule has behind it."""

    suggestions: list[Suggestion]
    threads: dict[str, int]

    @property
    def enough(self) -> bool:
        """Whether any rule had enough threads to be read."""
        return any(n >= MIN_THREADS for n in self.threads.values())


def suggestions(svc: Service) -> list[Suggestion]:
    """What the user's own history suggests changing in the playbook (nothing changes by itself)."""
    return findings(svc).suggestions


def findings(svc: Service) -> Findings:
    """Each measured rule's sends, placed on its count of days and compared (see the module's doc)."""
    playbook = svc.planner.playbook
    rules = {
        key: rule
        for key in MEASURED
        if (rule := playbook.rule(key)) is not None
        and rule.nudge
        and rule.opens.unit == rule.closes.unit == "d"
    }
    points = _sends(svc, rules)
    found, threads = [], {}
    for key, rule in rules.items():
        sends = points.get(key, {})
        threads[key] = len({thread for thread, _ in sends})
        if threads[key] < MIN_THREADS:
            continue
        best = _best(list(sends.values()), rule.opens.amount, rule.closes.amount)
        if best is not None:
            early, late, (opens, closes) = best
            found.append(
                Suggestion(
                    id=key,
                    rule=rule.id,
                    opens=rule.opens.amount,
                    closes=rule.closes.amount,
                    proposed_opens=opens,
                    proposed_closes=closes,
                    why=_explain(
                        MEASURED[key], rule.opens.amount, rule.closes.amount, early, late, opens, closes
                    ),
                    early=early,
                    late=late,
                    threads=threads[key],
                )
            )
    return Findings(found, threads)


def _sends(svc: Service, rules: dict[str, Rule]) -> dict[str, dict[tuple[int, int], tuple[int, bool]]]:
    """Per rule key, the first send of each (thread, interaction): its day after the anchor, and
    whether it was answered."""
    sent, answers = record(svc)
    answered = {row[0]: answer is not None for row, answer in zip(sent, answers, strict=True)}
    ids = {rule.id for rule in rules.values()}
    # a nudge by phone is sent as a call (`limits.phone_purpose`), whatever the rule's purpose
    purposes = {r.purpose.value for r in rules.values()} | {svc.planner.playbook.limits.phone_purpose.value}
    cal = svc.calendar
    points: dict[str, dict[tuple[int, int], tuple[int, bool]]] = {key: {} for key in rules}
    for thread_id in sorted({row[1] for row in sent if row[4] and row[2] in purposes}):
        history = svc.store.history(thread_id)
        interactions = {i.id: i for i in history.interactions}
        done = [
            f
            for f in history.followups
            if f.status is Status.DONE and f.done_at is not None and f.rule in ids and f.id in answered
        ]
        for f in sorted(done, key=lambda f: (f.done_at or f.not_before, f.id)):
            interaction = interactions.get(f.interaction_id or -1)
            if interaction is None or f.done_at is None:
                continue
            for key, rule in rules.items():
                anchor = MEASURED[key].anchor(interaction) if rule.id == f.rule else None
                if anchor is None:
                    continue
                start = cal.local_date(anchor) if isinstance(anchor, dt.datetime) else anchor
                day = cal.business_days_between(start, cal.local_date(f.done_at))
                points[key].setdefault((thread_id, interaction.id), (day, answered[f.id]))
                break
    return points


def _best(
    sends: list[tuple[int, bool]], opens: int, closes: int
) -> tuple[Group, Group, tuple[int, int]] | None:
    """The cut between days that tells the two sides apart most clearly and moves the window, if any."""
    best: tuple[tuple[float, int, int], Group, Group, tuple[int, int]] | None = None
    days = sorted({day for day, _ in sends})
    for cut in days[1:]:
        early = _group([s for s in sends if s[0] < cut])
        late = _group([s for s in sends if s[0] >= cut])
        if early.of < MIN_GROUP or late.of < MIN_GROUP:
            continue
        early_better = early.rate > late.rate
        better, worse = (early, late) if early_better else (late, early)
        if not _clearly_higher(better, worse):
            continue
        window = _window(opens, closes, cut, early if early_better else late, early_better)
        if window is None or window == (opens, closes):
            continue
        score = (better.rate - worse.rate, min(early.of, late.of), -cut)
        if best is None or score > best[0]:
            best = (score, early, late, window)
    return None if best is None else best[1:]


def _group(sends: list[tuple[int, bool]]) -> Group:
    return Group(
        first=min(day for day, _ in sends),
        last=max(day for day, _ in sends),
        replied=sum(1 for _, answered in sends if answered),
        of=len(sends),
    )


def _clearly_higher(better: Group, worse: Group) -> bool:
    """At least RATIO times the other's rate, and POINTS percentage points above it (whole numbers)."""
    times, over = RATIO
    ratio = better.replied * worse.of * over >= times * worse.replied * better.of
    points = (better.replied * worse.of - worse.replied * better.of) * 100 >= POINTS * better.of * worse.of
    return ratio and points


def _window(opens: int, closes: int, cut: int, better: Group, early_better: bool) -> tuple[int, int] | None:
    """The window cut at `cut`, keeping the better side; moved onto that side when it lies wholly
    outside the window. None when that would break the limits (EARLIEST, LATEST_EXTRA)."""
    if early_better:
        new_closes = min(closes, cut - 1)
        new_opens = opens if opens <= new_closes else better.first
        new_opens = max(EARLIEST, new_opens)
    else:
        new_opens = max(opens, cut)
        new_closes = closes if new_opens <= closes else min(better.last, closes + LATEST_EXTRA)
    if new_closes < EARLIEST or new_opens > new_closes or new_closes > closes + LATEST_EXTRA:
        return None
    return new_opens, new_closes


def _explain(
    what: Measured, opens: int, closes: int, early: Group, late: Group, new_opens: int, new_closes: int
) -> str:
    """One line with the figures: "Your check-ins sent 3 business days after the interview..."."""

    def said(g: Group) -> str:
        return f"{g.rate:.0%} ({g.replied} of {g.of})"

    if new_opens == opens:
        move = f"close the window at day {new_closes} instead of day {closes}"
    elif new_closes == closes:
        move = f"open the window at day {new_opens} instead of day {opens}"
    else:
        move = f"move the window to days {new_opens} to {new_closes} (now {opens} to {closes})"
    return (
        f"Your {what.noun} sent {early.days()} after {what.after} got answers {said(early)}; "
        f"those sent {late.days()} after, {said(late)}: {move}."
    )


def reason(s: Suggestion) -> str:
    """The reason the rule gives once the suggestion is accepted: the evidence for its new window."""
    what = MEASURED[s.id]
    better, other = (s.early, s.late) if s.early.rate > s.late.rate else (s.late, s.early)
    return (
        f"In your own history, {what.noun} sent {better.days()} after {what.after} were answered more "
        f"often ({better.replied} of {better.of}) than those sent {other.days()} after "
        f"({other.replied} of {other.of})."
    )


def accept(svc: Service, suggestion_id: str) -> tuple[Suggestion, Path]:
    """Write suggestion `suggestion_id` into the user's own playbook: the suggestion and the file."""
    chosen = next((s for s in suggestions(svc) if s.id == suggestion_id), None)
    if chosen is None:
        raise InvalidInput(
            f"there is no suggestion {suggestion_id!r} now; `tactful suggestions` lists the ones there are",
            field="suggestion_id",
        )
    path = svc.playbook_path
    if path is None:
        raise InvalidInput("no playbook file is set; set TACTFUL_PLAYBOOK to the file to write")
    values = {
        "opens": f"{chosen.proposed_opens}d",
        "closes": f"{chosen.proposed_closes}d",
        "why": reason(chosen),
    }
    write_rule(path, chosen.id, values)
    svc.refresh()
    return chosen, path


# -- the user's playbook file ---------------------------------------------------------------------------
def write_rule(path: Path, key: str, values: dict[str, str]) -> None:
    """Set `values` in `[rules."KEY"]` of the user's playbook at `path`, keeping everything else.

    There is no TOML writer among tactful's dependencies, so the table is edited as text: its lines
    for these keys replaced, or the table added at the end. The result must read back as the old
    file with just these values changed, and load as a playbook; otherwise the file is left as it
    was and the error says what to write by hand.
    """
    import tomllib

    load(path)  # a broken file is reported as it is, before anything is written
    before_text = path.read_text(encoding="utf-8") if path.exists() else ""
    before = tomllib.loads(before_text)
    expected = {**before, "rules": dict(before.get("rules", {}))}
    expected["rules"][key] = {**expected["rules"].get(key, {}), **values}
    after_text = _edited(before_text, key, values, key in before.get("rules", {}))
    try:
        same = after_text is not None and tomllib.loads(after_text) == expected
    except tomllib.TOMLDecodeError:
        same = False
    if after_text is None or not same:
        wanted = ", ".join(f"{name} = {_toml(value)}" for name, value in values.items() if name != "why")
        raise InvalidInput(f'{path}: cannot edit [rules."{key}"] safely; write {wanted} there yourself')
    _replace(path, after_text)
    try:
        load(path)
    except InvalidInput:  # not expected, as the text was checked: put the old file back all the same
        if before_text:
            _replace(path, before_text)
        else:
            path.unlink()
        raise


def _edited(text: str, key: str, values: dict[str, str], defined: bool) -> str | None:
    """`text` with `values` in the table `[rules."KEY"]` (None: the rule is written in a way this
    cannot edit, such as dotted keys or an inline table)."""
    lines = text.splitlines()
    header = re.compile(rf"""^\s*\[\s*rules\s*\.\s*(["']){re.escape(key)}\1\s*\]\s*(#.*)?$""")
    start = next((n for n, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        if defined:
            return None
        block = ["# Accepted from `tactful suggestions`.", f'[rules."{key}"]']
        block += [f"{name} = {_toml(value)}" for name, value in values.items()]
        return "\n".join([*lines, *([""] if lines and lines[-1].strip() else []), *block]) + "\n"
    end = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")), len(lines))
    missing = []
    for name, value in values.items():
        setting = re.compile(rf"^\s*{name}\s*=")
        found = next((n for n in range(start + 1, end) if setting.match(lines[n])), None)
        if found is None:
            missing.append(f"{name} = {_toml(value)}")
        else:
            lines[found] = f"{name} = {_toml(value)}"
    lines[start + 1 : start + 1] = missing
    return "\n".join(lines) + "\n"


def _toml(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(value)


def _replace(path: Path, text: str) -> None:
    """Write `path` whole or not at all (a new file beside it, then renamed over it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(f".{path.name}.new")
        fresh.write_text(text, encoding="utf-8")
        if path.exists():
            os.chmod(fresh, path.stat().st_mode & 0o777)
        os.replace(fresh, path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write the playbook ({exc.strerror})") from exc
