"""The reviewer: is a follow-up draft ready to send, and if not, why? Pure.

The documented API: `Reviewer`, `review`, and the types they speak (`Draft`, `ReviewContext`,
`Review`, `Finding`, `Severity`, `CODES`, `PhraseBook`).
"""

from .model import CODES, Draft, Finding, PhraseBook, Review, ReviewContext, Reviewer, Severity, review

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
