"""Sentence patterns: how the reviewer recognises a meaning in wordings nobody listed.

A phrase list catches "per my last email" and misses "did my last email reach you?". A pattern names
the parts of a meaning and lets the words between them vary: a demand aimed at the reader is a need
or an expectation, then something they owe (an answer, a decision), then a time. Written in
``phrases.toml`` as plain text:

- ``need+`` is the word with its endings: needs, needed, needing (irregular forms are known: "hear+"
  is also "heard");
- ``a|b|c`` is any of them; ``get_back`` is "get back" (``_`` joins the words of one choice);
- ``@group`` is any phrase of the list ``[groups] group``, such as ``@deadline`` (by Friday, within
  two days, end of the week...);
- ``*`` is any one word; ``~`` lets up to three other words stand between two parts, ``~6`` up to six;
- everything else is a word as written.

Matching ignores case and treats curly apostrophes as straight ones. A pattern never crosses a
sentence: the checks run it over one sentence at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = ["compile_patterns", "forms"]

#: Forms that the usual endings do not make.
_IRREGULAR: Mapping[str, tuple[str, ...]] = {
    "be": ("am", "is", "are", "was", "were", "been", "being", "'m", "'re", "'s"),
    "have": ("has", "had", "having", "'ve"),
    "do": ("does", "did", "done", "doing"),
    "get": ("gets", "got", "gotten", "getting"),
    "give": ("gives", "gave", "given", "giving"),
    "take": ("takes", "took", "taken", "taking"),
    "hear": ("hears", "heard", "hearing"),
    "send": ("sends", "sent", "sending"),
    "spend": ("spends", "spent", "spending"),
    "make": ("makes", "made", "making"),
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "know": ("knows", "knew", "known", "knowing"),
    "see": ("sees", "saw", "seen", "seeing"),
    "think": ("thinks", "thought", "thinking"),
    "leave": ("leaves", "left", "leaving"),
    "lose": ("loses", "lost", "losing"),
    "choose": ("chooses", "chose", "chosen", "choosing"),
    "go": ("goes", "went", "gone", "going"),
    "come": ("comes", "came", "coming"),
    "feel": ("feels", "felt", "feeling"),
    "keep": ("keeps", "kept", "keeping"),
    "write": ("writes", "wrote", "written", "writing"),
    "find": ("finds", "found", "finding"),
    "put": ("puts", "putting"),
    "run": ("runs", "ran", "running"),
    "begin": ("begins", "began", "begun", "beginning"),
    "forget": ("forgets", "forgot", "forgotten", "forgetting"),
    "pay": ("pays", "paid", "paying"),
    "mean": ("means", "meant", "meaning"),
    "sell": ("sells", "sold", "selling"),
    "buy": ("buys", "bought", "buying"),
    "bring": ("brings", "brought", "bringing"),
    "win": ("wins", "won", "winning"),
    "can": ("could",),
    "will": ("would", "'ll", "'d"),
    "shall": ("should",),
}
_VOWELS = "aeiou"


def forms(word: str) -> frozenset[str]:
    """A word with the endings it takes: "need" gives need, needs, needed, needing."""
    found = {word, *_IRREGULAR.get(word, ())}
    if " " in word or not word.isalpha():
        return frozenset(found)
    last, before = word[-1], word[-2:-1]
    short_cvc = (
        len(word) <= 4
        and last not in _VOWELS + "wxy"
        and before in tuple(_VOWELS)
        and word[-3:-2] not in _VOWELS
    )
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        found.add(word + "es")
    elif last == "y" and before not in _VOWELS:
        found.add(word[:-1] + "ies")
    else:
        found.add(word + "s")
    if last == "e":
        found.add(word + "d")
    elif last == "y" and before not in _VOWELS:
        found.add(word[:-1] + "ied")
    elif short_cvc:
        found.add(word + last + "ed")
    else:
        found.add(word + "ed")
    if word.endswith("ie"):
        found.add(word[:-2] + "ying")
    elif last == "e" and not word.endswith("ee"):
        found.add(word[:-1] + "ing")
    elif short_cvc:
        found.add(word + last + "ing")
    else:
        found.add(word + "ing")
    return frozenset(found)


_WORD = r"[\w'-]+"
_GAP_WORD = r"\w[\w'-]{0,39}+"  # a word of up to 40 characters: the work per start stays bounded


def _phrase(text: str) -> str:
    """One choice: words joined by "_" or spaces, each perhaps with a "+" for its endings."""
    words = [w for w in re.split(r"[_\s]+", text.strip()) if w]
    parts = []
    for word in words:
        if word == "*":
            parts.append(_GAP_WORD)
        elif word.endswith("+") and len(word) > 1:
            options = sorted(forms(word[:-1]), key=len, reverse=True)
            parts.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
        else:
            parts.append(re.escape(word))
    return r"\W+".join(parts)


def _token(token: str, groups: Mapping[str, Iterable[str]]) -> str:
    if token.startswith("@"):
        name = token[1:]
        if name not in groups:
            raise ValueError(f"unknown group @{name} in a pattern; define it under [groups]")
        choices = list(groups[name])
    else:
        choices = token.split("|")
    alternatives = sorted({_phrase(c) for c in choices if c.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(alternatives) + ")"


def _source(pattern: str, groups: Mapping[str, Iterable[str]]) -> str:
    pieces: list[str] = []
    gap: int | None = None
    for token in pattern.replace("\u2019", "'").split():
        if re.fullmatch(r"~\d*", token):
            gap = int(token[1:]) if len(token) > 1 else 3
            continue
        if pieces:
            if not re.search(r"\w", token) and not token.startswith("@"):
                pieces.append(r"\s*")  # punctuation: "or not ?" matches "or not?"
            else:
                # possessive, and a word that starts with a letter: no two ways to read a run of
                # dashes, so the work stays linear in the sentence (a gap once took 40 s on 2,000)
                pieces.append(r"\W+" if gap is None else rf"\W++(?:{_GAP_WORD}\W++){{0,{gap}}}")
        pieces.append(_token(token, groups))
        gap = None
    return "".join(pieces)


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...], groups: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    table = dict(groups)
    body = "|".join(f"(?:{_source(p, table)})" for p in patterns if p.strip())
    if not body:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![\w'])(?:{body})(?!(?<=\w)[\w'])", re.IGNORECASE)


def compile_patterns(patterns: Iterable[str], groups: Mapping[str, Iterable[str]]) -> re.Pattern[str]:
    """One pattern matching any of `patterns` (see the module's notes), with `groups` for @names."""
    frozen = tuple(sorted((k, tuple(v)) for k, v in groups.items()))
    return _compiled(tuple(patterns), frozen)
