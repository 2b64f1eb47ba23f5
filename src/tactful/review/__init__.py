"""The reviewer: is a follow-up draft ready to send, and if not, why? Pure: no storage, no output.

The documented API: `Reviewer` (build one per process and keep it) and `review`, and the types they
speak: `Draft`, `ReviewContext`, `Review`, `Finding`, `Severity`, `CODES` and `PhraseBook`.
"""

from .model import CODES, Draft, Finding, Review, ReviewContext, Severity
from .phrasebook import PhraseBook
from .reviewer import Reviewer, default_reviewer, review

__all__ = [
    "CODES",
    "Draft",
    "Finding",
    "PhraseBook",
    "Review",
    "ReviewContext",
    "Reviewer",
    "Severity",
    "default_reviewer",
    "review",
]
