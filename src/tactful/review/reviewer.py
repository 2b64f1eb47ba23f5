"""Is this message ready to send? The :class:`Reviewer` runs every check on a draft in its context.

How a draft is read (greeting, sentences, quoted text, signature) lives in :mod:`.document`; the
checks in four modules: what a message holds (:mod:`.checks_content`), its wording
(:mod:`.checks_wording`), its tone (:mod:`.checks_tone`) and its fit with the thread
(:mod:`.checks_thread`); :data:`CHECKS` gathers them in the spec's order. The words, phrases and
sentence patterns they look for are in ``phrases.toml``, read by :mod:`.phrasebook`, which a user may
extend with files of their own; the English dictionary is in :mod:`.dictionary`, the tone classifier
in :mod:`.tone`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator

from .checks_content import (
    no_ask,
    no_gratitude,
    no_greeting,
    no_interest,
    no_qualification,
    no_sign_off,
    no_subject,
    not_personal,
    placeholder,
)
from .checks_thread import duplicate, multi_channel, no_address, over_cap, timing, wrong_company, wrong_name
from .checks_tone import asks_favour, desperate, hostile, pitch, presses_after_rejection, pushy, sarcasm
from .checks_wording import (
    casual,
    long_sentences,
    lowercase,
    repeated_word,
    shouting,
    spelling,
    too_long,
)
from .dictionary import Dictionary
from .document import Document
from .model import Draft, Finding, Review, ReviewContext
from .phrasebook import PhraseBook
from .tone import ToneModel

__all__ = ["CHECKS", "Check", "Reviewer", "default_reviewer", "review"]

#: A check: the findings it makes on one draft.
Check = Callable[[Document], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    no_greeting,
    wrong_name,
    wrong_company,
    placeholder,
    no_gratitude,
    not_personal,
    no_interest,
    no_qualification,
    no_ask,
    too_long,
    long_sentences,
    casual,
    shouting,
    desperate,
    pushy,
    presses_after_rejection,
    hostile,
    sarcasm,
    pitch,
    asks_favour,
    spelling,
    repeated_word,
    no_subject,
    no_sign_off,
    timing,
    over_cap,
    multi_channel,
    duplicate,
    lowercase,
    no_address,
)


class Reviewer:
    """Reviews drafts. Build one and keep it: it holds the phrase lists and, from the first review
    that needs it, the English dictionary (a few tenths of a second to load).
    """

    def __init__(
        self,
        extra_phrase_files: Iterable[str | os.PathLike[str]] = (),
        word_cache: str | os.PathLike[str] | None = None,
    ) -> None:
        """`word_cache`: a folder where the dictionary may keep its word list in a form that loads
        several times faster (written on first use; None: always load it from the package)."""
        self.phrases = PhraseBook.load(extra_phrase_files)
        self._checks = CHECKS
        self._dictionary = Dictionary(self.phrases, word_cache)
        self._tone = ToneModel()

    def prepare(self) -> None:
        """Load the dictionary now rather than during the first review."""
        self._dictionary.load()

    def review(self, draft: Draft, context: ReviewContext | None = None) -> Review:
        """Every check on the draft, in the given context (none: only the checks that need none)."""
        doc = Document(draft, context or ReviewContext(), self.phrases, self._dictionary, self._tone)
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
