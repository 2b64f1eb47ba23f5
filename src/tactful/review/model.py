"""Is this message ready to send? Findings, a score and a verdict for a follow-up draft.

A :class:`Reviewer` reads a :class:`Draft` in the light of a :class:`ReviewContext` (who it is for,
what the thread holds, when it would go out) and answers with a :class:`Review`: a list of
:class:`Finding` objects, each with a stable code from :data:`CODES`, a severity, a message a person
understands and the excerpt it points at; a score from 0 to 100; and a verdict, ``ready`` when
nothing is worse than a tip.

How a draft is read (greeting, sentences, quoted text, signature) lives in :mod:`tactful.draft_text`;
the checks themselves in :mod:`tactful.review_checks` and the modules it gathers; the words and
phrases they look for in ``phrases.toml``, read by :mod:`tactful.phrasebook`, which a user may extend
with files of their own; the English dictionary in :mod:`tactful.dictionary`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import Channel, Purpose
from .phrasebook import PhraseBook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CODES",
    "Draft",
    "Finding",
    "PhraseBook",
    "Review",
    "ReviewContext",
    "Reviewer",
    "Severity",
    "review",
]


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
    other_channel_recently: tuple[str, ...] = ()  # channels that reached them in the last 2 business days
    sibling_texts: tuple[tuple[str, str], ...] = ()  # (name, text) sent to others at the same organisation
    user_name: str | None = None
    signature: str | None = None
    skills: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()  # the user's own words, never counted as misspelt
    linkedin_free: bool = False


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


class Reviewer:
    """Reviews drafts. Build one and keep it: it holds the phrase lists and, from the first review
    that needs it, the English dictionary (a few tenths of a second to load).
    """

    def __init__(self, extra_phrase_files: Iterable[str | os.PathLike[str]] = ()) -> None:
        # The reading of drafts, the checks and the dictionary load with the first reviewer, so that
        # importing this module for its types stays cheap.
        from . import checks_content as review_checks
        from .dictionary import Dictionary

        self.phrases = PhraseBook.load(extra_phrase_files)
        self._checks = review_checks.CHECKS
        self._dictionary = Dictionary(self.phrases)

    def prepare(self) -> None:
        """Load the dictionary now rather than during the first review."""
        self._dictionary.load()

    def review(self, draft: Draft, context: ReviewContext | None = None) -> Review:
        """Every check on the draft, in the given context (none: only the checks that need none)."""
        from .document import Document

        doc = Document(draft, context or ReviewContext(), self.phrases, self._dictionary)
        return Review.of(finding for check in self._checks for finding in check(doc))


_default: Reviewer | None = None
_default_lock = threading.Lock()


def default_reviewer() -> Reviewer:
    """The process-wide reviewer over the default phrase lists, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Reviewer()
        return _default


def review(draft: Draft | str, context: ReviewContext | None = None) -> Review:
    """Review a draft (or the text of an email draft) with the default reviewer."""
    if isinstance(draft, str):
        draft = Draft.parse(draft)
    return default_reviewer().review(draft, context)
