"""The reviewer's English dictionary: the word list of :mod:`spellchecker`, loaded on first use.

Loading takes a few tenths of a second, so nothing here imports :mod:`spellchecker` until a check
first asks about a word. A word counts as known in its British spelling too ("organise", "colour"),
without its accents ("résumé"), with the usual endings on a known word ("backfills", "triaged"), with
a common prefix ("pre-seed", "reframed") and as a compound of two known words ("dashcam").

Given a cache folder, the finished word list is kept there in marshal form, which loads about five
times faster than the package's compressed JSON; it is written on first use and rebuilt whenever it
cannot be read.

A word the list lacks is not yet a mistake: trade words, names and borrowings are unknown too. Only a
word shaped like a slip of the keyboard on a common word (:meth:`Dictionary.typo_of`) is one.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from typing import Any

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
    ("able", ("", "e")),
    ("ery", ("", "e")),
    ("ship", ("",)),
    ("ly", ("", "le")),
)
#: Prefixes that make new words of known ones ("pre-seed", "reframed", "multi-entity").
_PREFIXES = (
    "re",
    "pre",
    "post",
    "co",
    "non",
    "un",
    "multi",
    "anti",
    "auto",
    "sub",
    "inter",
    "micro",
    "mini",
    "over",
    "under",
    "self",
    "cross",
    "semi",
    "mis",
    "de",
    "e",
    "bi",
    "tri",
    "mid",
    "ex",
    "out",
)
#: How common a word must be (occurrences in the list's corpus) for any near miss of it to be a slip,
#: and for a near miss in a typical misspelling's shape.
_COMMON = 5000
_KNOWN = 100
_VOWEL_LETTERS = frozenset("aeiou")
#: Endings that make a regular form of a listed word ("debits", "funders"): a rare listed word with
#: one of them is that form, not a slip.
_REGULAR_ENDINGS = ("s", "es", "ed", "ing", "er", "ers")


class Dictionary:
    """The English word list (loaded on first use) with the extra words of the phrase lists."""

    def __init__(self, phrases: PhraseBook, cache: str | os.PathLike[str] | None = None) -> None:
        self._extra = phrases.words("spelling", "words")
        self._cache = cache
        self._checker: SpellChecker | None = None
        self._lock = threading.Lock()

    def load(self) -> SpellChecker:
        checker = self._checker
        if checker is None:
            with self._lock:
                if self._checker is None:
                    self._checker = self._from_cache() or self._build()
                checker = self._checker
        return checker

    def _build(self) -> SpellChecker:
        from spellchecker import SpellChecker

        loaded = SpellChecker(distance=1)
        loaded.word_frequency.load_words(self._extra)
        self._save(loaded)
        return loaded

    # -- the cache: the finished word list in marshal form, about five times faster to load --------

    def _cache_file(self) -> str | None:
        if self._cache is None:
            return None
        import hashlib
        from importlib.metadata import version

        key = hashlib.sha256("\n".join(sorted(self._extra)).encode()).hexdigest()[:12]
        return os.path.join(os.fspath(self._cache), f"words-{version('pyspellchecker')}-{key}.marshal")

    def _from_cache(self) -> SpellChecker | None:
        path = self._cache_file()
        if path is None or not os.path.exists(path):
            return None
        import marshal
        from collections import Counter

        from spellchecker import SpellChecker

        try:
            with open(path, "rb") as handle:
                words, longest, total, letters = marshal.loads(handle.read())
            checker = SpellChecker(language=None, distance=1)
            frequency: Any = checker.word_frequency
            frequency._dictionary = Counter(words)
            frequency._longest_word_length = longest
            frequency._total_words = total
            frequency._unique_words = len(words)
            frequency._letters = set(letters)
        except (OSError, EOFError, ValueError, TypeError, AttributeError):
            return None  # unreadable or from another version: built afresh, and written again
        return checker

    def _save(self, checker: SpellChecker) -> None:
        path = self._cache_file()
        if path is None:
            return
        import marshal

        frequency: Any = checker.word_frequency
        data = (
            dict(frequency.dictionary),
            frequency.longest_word_length,
            frequency.total_words,
            "".join(sorted(frequency.letters)),
        )
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                handle.write(marshal.dumps(data))
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written is only slower next time

    def frequency(self, word: str) -> int:
        return int(self.load()[word.lower()])

    def knows(self, word: str) -> bool:
        """In the dictionary as written, without accents, in its American spelling ("organise"), with
        a known word's endings or prefixes, or as two known words run together ("dashcam")."""
        word = _plain(word.lower())
        if self.listed(word):
            return True
        return self._derived(word)

    def _derived(self, word: str) -> bool:
        for prefix in _PREFIXES:
            rest = word.removeprefix(prefix).lstrip("-")
            if rest != word and len(rest) >= 3 and self.listed(rest):
                return True
        return any(self._whole(word[:cut]) and self._whole(word[cut:]) for cut in range(3, len(word) - 2))

    def _whole(self, word: str) -> bool:
        """A part of a compound: a known word of three letters or more, common enough to build with."""
        return self.load()[word] >= 50

    def listed(self, word: str) -> bool:
        """In the list as written, in its American spelling, or with a listed word's endings."""
        checker = self.load()
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

    def typo_of(self, word: str, *, strict: bool = False) -> str | None:
        """The word that `word` is a slip of, or None when nothing says it is one.

        A slip is one edit from a known word. The edits people make in spelling (letters swapped,
        doubled or undoubled, a vowel missing, added or changed: "recieve", "untill", "takng",
        "definately") count against any word of the list's corpus; other edits ("intro" for "into")
        only against a common word, in a word of five letters or more that no prefix or compound
        explains. A rare listed spelling one such edit from a far more common word ("truely") is a
        slip too. `strict` (for capitalised words, which may be names) allows swaps and doubling only:
        "Hana" is a name, not a slip of "hand"."""
        key = _plain(word.lower())
        if self.listed(key):
            return self._rare_variant(key)
        candidate = self.suggest(key)
        if candidate is None:
            return None if strict or len(key) < 6 or self._derived(key) else self._two_slips(key)
        shape = _edit_shape(key, candidate)
        if shape in ("swap", "double") and self.frequency(candidate) >= _KNOWN:
            return candidate  # even where a prefix would explain it: "untill" is not un- + "till"
        if strict:
            return None
        if shape == "vowel" and len(key) >= 4 and self.frequency(candidate) >= _KNOWN:
            return candidate
        if len(key) < 5 or self.frequency(candidate) < _COMMON or self._derived(key):
            return None
        return candidate

    def _two_slips(self, word: str) -> str | None:
        """Two edits away, where one of them is a doubled, undoubled or swapped letter
        ("reccomendation", "tommorow"): that one undone, the other must be a slip as above."""
        variants = {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
        variants |= {word[:i] + word[i] + word[i:] for i in range(len(word)) if word[i] not in _VOWEL_LETTERS}
        variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        checker = self.load()
        for variant in sorted(variants):
            if checker[variant] >= _COMMON:
                return variant
            candidate = checker.correction(variant)
            if (
                candidate
                and candidate != variant
                and checker[candidate] >= _COMMON
                and _edit_shape(variant, candidate) is not None
            ):
                return candidate
        return None

    def _rare_variant(self, word: str) -> str | None:
        """A listed word that is a rare misspelling of a common one ("truely", "occured")."""
        checker = self.load()
        own = checker[word]
        if own >= _KNOWN or len(word) < 5:
            return None
        best = max(
            (w for w in checker.known(checker.edit_distance_1(word)) if w != word),
            key=lambda w: checker[w],
            default=None,
        )
        shape = _edit_shape(word, best) if best is not None else None
        if best is None or checker[best] < 100 * max(own, 1) or shape is None:
            return None
        if shape == "vowel" and any(
            word.endswith(ending) and checker[word[: -len(ending)]] >= _KNOWN for ending in _REGULAR_ENDINGS
        ):
            return None  # "debits" is debit + s, not a slip of "debts"
        american = {pattern.sub(replacement, word, count=1) for pattern, replacement in _AMERICAN}
        return None if best in american else best  # "favour" is British, not a slip of "favor"


def _plain(word: str) -> str:
    """A word without its accents: "résumé" is "resume"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _swapped(word: str, other: str) -> bool:
    """The two differ by two neighbouring letters trading places ("teh", "the")."""
    if len(word) != len(other) or word == other:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == other[diff[1]]
        and word[diff[1]] == other[diff[0]]
    )


def _doubling(word: str, other: str) -> bool:
    """One has a letter doubled where the other has it once ("untill", "until")."""
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    if len(longer) != len(shorter) + 1:
        return False
    for i in range(1, len(longer)):
        if longer[i] == longer[i - 1] and longer[:i] + longer[i + 1 :] == shorter:
            return True
    return False


def _edit_shape(word: str, other: str) -> str | None:
    """How one edit turns `other` into `word`, if it is one the way people misspell: "swap",
    "double" (a letter doubled or undoubled) or "vowel" (a vowel missing, added or changed)."""
    if _swapped(word, other):
        return "swap"
    if _doubling(word, other):
        return "double"
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        if len(diff) == 1 and word[diff[0]] in _VOWEL_LETTERS and other[diff[0]] in _VOWEL_LETTERS:
            return "vowel"
        return None
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    if len(longer) != len(shorter) + 1:
        return None
    for i, letter in enumerate(longer):
        if longer[:i] + longer[i + 1 :] == shorter:
            return "vowel" if letter in _VOWEL_LETTERS else None
    return None
