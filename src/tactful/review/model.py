"""The reviewer's words: a draft, the context it is read in, its findings, and the review they make.

A :class:`Draft` is read in the light of a :class:`ReviewContext` (who it is for, what the thread
holds, when it would go out); the answer is a :class:`Review`: a list of :class:`Finding` objects,
each with a stable code from :data:`CODES`, a severity, a message a person understands and the
excerpt it points at; a score from 0 to 100; and a verdict, ``ready`` when nothing is worse than a
tip. A leaf: every other module of the reviewer imports it, and it imports none of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import Channel, Purpose

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CODES", "Draft", "Finding", "Review", "ReviewContext", "Severity"]


class Severity(StrEnum):
    ERROR = "error"  # do not send as is
    WARNING = "warning"  # worth fixing
    TIP = "tip"


#: What one finding takes off the score of 100.
PENALTY: Mapping[Severity, int] = {Severity.ERROR: 30, Severity.WARNING: 10, Severity.TIP: 3}

_E, _W, _T = Severity.ERROR, Severity.WARNING, Severity.TIP

#: Every finding code with its usual severity. Some checks raise it: `no-gratitude` is an error for
#: thank-you purposes and `too-long` past twice the limit.
CODES: Mapping[str, Severity] = {
    "no-greeting": _W,
    "wrong-name": _E,
    "wrong-company": _E,
    "placeholder": _E,
    "no-gratitude": _W,
    "not-personal": _W,
    "no-interest": _W,
    "no-qualification": _T,
    "no-ask": _W,
    "too-long": _W,
    "long-sentences": _T,
    "casual": _W,
    "shouting": _W,
    "desperate": _W,
    "pushy": _W,
    "presses-after-rejection": _E,
    "spelling": _W,
    "repeated-word": _W,
    "no-subject": _W,
    "no-sign-off": _T,
    "too-soon": _W,
    "late": _T,
    "over-cap": _E,
    "multi-channel": _W,
    "duplicate": _W,
    "pitch": _W,
    "hostile": _E,
    "sarcasm": _W,
    "lowercase": _W,
    "no-address": _E,
}

_HEADER = re.compile(r"(subject|to|cc|bcc|from)[ \t]*:[ \t]*(.*?)[ \t]*", re.IGNORECASE)


@dataclass
class Draft:
    """A message as it would be sent: its channel, subject (email), body and addressee."""

    channel: Channel
    subject: str | None
    body: str
    to: str | None = None

    @classmethod
    def parse(cls, text: str, channel: Channel = Channel.EMAIL) -> Draft:
        """Read a draft that may open with mail-style ``Subject:`` / ``To:`` lines and a blank line."""
        lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        headers: dict[str, str] = {}
        while start < len(lines) and (match := _HEADER.fullmatch(lines[start])):
            headers.setdefault(match[1].lower(), match[2])
            start += 1
        body = "\n".join(lines[start:]).strip("\n").rstrip()
        return cls(channel=channel, subject=headers.get("subject"), body=body, to=headers.get("to") or None)


@dataclass(frozen=True, kw_only=True)
class ReviewContext:
    """What the reviewer knows about the follow-up a draft is for. Every part is optional: a check
    that needs a missing part stays silent, so an empty context runs only the checks that need none.
    """

    recipient_name: str | None = None
    recipient_org: str | None = None  # the thread's organisation
    role: str | None = None  # the opportunity or job title
    purpose: Purpose | None = None
    nudge: bool = False
    job_thread: bool = False  # an interview or application thread
    topics: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # free-text notes and open questions of the interaction
    other_names: tuple[str, ...] = ()  # people who would be the wrong addressee here
    other_orgs: tuple[str, ...] = ()  # organisations that would be the wrong one here
    not_before: dt.datetime | None = None
    due_by: dt.datetime | None = None
    now: dt.datetime | None = None
    nudges_sent: int = 0
    cap: int | None = None
    rejected: bool = False
    decided: bool = False  # the thread has an outcome (an offer, a win...): interest need not be restated
    other_channel_recently: tuple[str, ...] = ()  # channels that reached them in the last 2 business days
    sibling_texts: tuple[tuple[str, str], ...] = ()  # (name, text) sent to others at the same organisation
    sent_texts: tuple[str, ...] = ()  # what already went to this person in the thread
    user_name: str | None = None
    signature: str | None = None
    skills: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()  # the user's own words, never counted as misspelt
    linkedin_free: bool = False
    reachable: bool | None = None  # whether the draft's channel has an address for them (None: unknown)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    excerpt: str
    line: int | None = None  # 1-based line of the body, when the finding points into it

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "excerpt": self.excerpt,
            "line": self.line,
        }


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.TIP: 2}


@dataclass
class Review:
    verdict: str  # "ready" or "needs-work"
    score: int
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Review:
        """Score findings: 100 less each one's penalty; ready when none is an error or a warning."""
        ordered = sorted(findings, key=lambda f: (_RANK[f.severity], f.line or 0))
        score = max(0, min(100, 100 - sum(PENALTY[f.severity] for f in ordered)))
        ready = all(f.severity is Severity.TIP for f in ordered)
        return cls("ready" if ready else "needs-work", score, ordered)

    @property
    def ready(self) -> bool:
        return self.verdict == "ready"

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
        }
