"""The reviewer's English dictionary: the word list of :mod:`spellchecker`, loaded on first use.

Loading takes a few tenths of a second, so nothing here imports :mod:`spellchecker` until a check
first asks about a word. A word counts as known in its British spelling too ("organise", "colour")
and with the usual endings on a known word ("backfills", "triaged").
"""

from __future__ import annotations

import re
import threading

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from spellchecker import SpellChecker

    from .phrasebook import PhraseBook

__all__ = ["Dictionary"]

_AMERICAN = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1"),
        (r"ys(e|ed|es|ing)$", r"yz\1"),
        (r"our(s|ed|ing|ite|ites|able|ful|fully|less)?$", r"or\1"),
        (r"tre(s)?$", r"ter\1"),
        (r"ll(ed|ing|er|ers)$", r"l\1"),
        (r"ence$", "ense"),
        (r"ogue(s)?$", r"og\1"),
        (r"mme(s)?$", r"m\1"),
        (r"gement(s)?$", r"gment\1"),
        (r"ae", "e"),
        (r"oe", "e"),
    )
)


#: Endings a known word may take, with what the bare word may end in ("backfills", "triaged").
_INFLECTIONS = (
    ("ies", ("y",)),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ied", ("y",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
    ("er", ("", "e")),
    ("ers", ("", "e")),
)


class Dictionary:
    """The English word list (loaded on first use) with the extra words of the phrase lists."""

    def __init__(self, phrases: PhraseBook) -> None:
        self._extra = phrases.words("spelling", "words")
        self._checker: SpellChecker | None = None
        self._lock = threading.Lock()

    def load(self) -> SpellChecker:
        checker = self._checker
        if checker is None:
            with self._lock:
                if self._checker is None:
                    from spellchecker import SpellChecker

                    loaded = SpellChecker(distance=1)
                    loaded.word_frequency.load_words(self._extra)
                    self._checker = loaded
                checker = self._checker
        return checker

    def frequency(self, word: str) -> int:
        return int(self.load()[word.lower()])

    def knows(self, word: str) -> bool:
        """In the dictionary as written, or in its American spelling ("organise", "colour")."""
        checker = self.load()
        word = word.lower()
        if word in checker:
            return True
        for ending, base in _INFLECTIONS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                if any(stem + tail in checker for tail in base):
                    return True
        return any(
            variant != word and variant in checker
            for pattern, replacement in _AMERICAN
            for variant in (pattern.sub(replacement, word, count=1),)
        )

    def suggest(self, word: str) -> str | None:
        candidate = self.load().correction(word.lower())
        return candidate if candidate and candidate != word.lower() else None
