"""The reviewer's phrase lists: ``phrases.toml`` beside this module, extended by a user's own files.

A :class:`PhraseBook` holds the lists by section and key (``[casual] words``, ``[greeting] titles``...)
and compiles each list once into a pattern that matches any of its phrases at word boundaries; see
:func:`compile_phrases` for how a phrase is written. Lists whose name ends in ``patterns`` hold sentence patterns
instead, which name the parts of a meaning and let the words between them vary (:mod:`.patterns`);
their ``@groups`` come from the ``[groups]`` section.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

__all__ = ["DEFAULT_PHRASES", "PhraseBook", "compile_phrases"]

DEFAULT_PHRASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "phrases.toml")
_OPEN_SECTIONS = frozenset({"nicknames", "groups"})  # sections whose keys are data, not a fixed schema

PhraseLists = dict[str, dict[str, list[str]]]


class PhraseBook:
    """The phrase lists of ``phrases.toml``, with the entries of any extra files appended."""

    def __init__(self, lists: PhraseLists) -> None:
        self._lists = lists
        self._patterns: dict[tuple[str, str], re.Pattern[str]] = {}

    @classmethod
    def load(cls, extra_files: Iterable[str | os.PathLike[str]] = ()) -> PhraseBook:
        lists = _read_phrase_file(DEFAULT_PHRASES, schema=None)
        for extra in extra_files:
            for section, table in _read_phrase_file(os.fspath(extra), schema=lists).items():
                for key, words in table.items():
                    lists[section].setdefault(key, []).extend(words)
        return cls(lists)

    def words(self, section: str, key: str) -> tuple[str, ...]:
        return tuple(self._lists.get(section, {}).get(key, ()))

    def table(self, section: str) -> Mapping[str, list[str]]:
        return self._lists.get(section, {})

    def pattern(self, section: str, key: str) -> re.Pattern[str]:
        """One compiled, case-insensitive pattern matching any phrase of a list at word boundaries;
        for a list of sentence patterns (a key ending in ``patterns``), any of its patterns."""
        found = self._patterns.get((section, key))
        if found is None:
            if key.endswith("patterns"):
                from .patterns import compile_patterns

                compiled = compile_patterns(self.words(section, key), self.table("groups"))
            else:
                compiled = compile_phrases(self.words(section, key))
            found = self._patterns[(section, key)] = compiled
        return found


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """A pattern for plain phrases: `*` is any one word, a space any white space."""
    alternatives = {_phrase_regex(p) for p in phrases if p.strip()}
    if not alternatives:
        return re.compile(r"(?!)")
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"(?<![\w'.])(?:{body})(?![\w'])(?!\.\w)", re.IGNORECASE)


def _phrase_regex(phrase: str) -> str:
    words = phrase.lower().replace("\u2019", "'").split()
    return r"\s+".join(r"[\w'-]+" if word == "*" else re.escape(word) for word in words)


def _read_phrase_file(path: str, schema: PhraseLists | None) -> PhraseLists:
    """Read one phrase file; with a schema (the default lists), refuse sections and keys it lacks."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise ValueError(f"{path}: cannot read the phrase file ({err.strerror or err})") from err
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML: {' '.join(str(err).split())}") from err
    lists: PhraseLists = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(
                f"{path}: '{section}' must be a [section] of lists, not a {type(table).__name__}"
            )
        if schema is not None and section not in schema:
            raise ValueError(f"{path}: unknown section [{section}]; known: {', '.join(sorted(schema))}")
        for key, words in table.items():
            if schema is not None and section not in _OPEN_SECTIONS and key not in schema[section]:
                known = ", ".join(sorted(schema[section]))
                raise ValueError(f"{path}: unknown list '{key}' in [{section}]; known: {known}")
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValueError(f"{path}: [{section}] {key} must be a list of strings")
            lists.setdefault(section, {})[key.lower()] = [" ".join(w.lower().split()) for w in words]
    return lists
