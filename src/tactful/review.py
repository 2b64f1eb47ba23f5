"""Is this message ready to send? Findings, a score and a verdict for a follow-up draft.

A :class:`Reviewer` reads a :class:`Draft` in the light of a :class:`ReviewContext` (who it is for,
what the thread holds, when it would go out) and answers with a :class:`Review`: a list of
:class:`Finding` objects, each with a stable code from :data:`CODES`, a severity, a message a person
understands and the excerpt it points at; a score from 0 to 100; and a verdict, ``ready`` when
nothing is worse than a tip.

The checks themselves live in :mod:`tactful.review_checks`; the words and phrases they look for live
in ``phrases.toml`` beside this module, which a user may extend with files of their own.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache

from tactful.domain import Channel, Purpose

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from typing import Any

    from spellchecker import SpellChecker

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


DEFAULT_PHRASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "phrases.toml")
_OPEN_SECTIONS = frozenset({"nicknames"})  # sections whose keys are data, not a fixed schema

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
        """One compiled, case-insensitive pattern matching any phrase of a list at word boundaries."""
        found = self._patterns.get((section, key))
        if found is None:
            found = self._patterns[(section, key)] = compile_phrases(self.words(section, key))
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


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_NAME = r"[^\W\d_][\w'.-]*"
_CAPITALISED = r"[A-Z][\w'-]*"
_WORD = re.compile(r"\S*[^\W_]\S*")
_QUOTE_HEAD = re.compile(r"-{2,} ?original message ?-{2,}|from: .+|_{8,}", re.IGNORECASE)
_BULLET = r"[ \t]*(?:[-*\u2022]|\d+[.)])[ \t]"
_PARAGRAPH = re.compile(rf"(?m)^[ \t]*\S[^\n]*(?:\n(?!{_BULLET})[ \t]*\S[^\n]*)*")
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"')\]]*(?=\s|$)|$)", re.DOTALL)
#: Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = frozenset(
    {"mr.", "mrs.", "ms.", "mx.", "dr.", "prof.", "e.g.", "i.e.", "vs.", "st.", "no.", "jr.", "sr.", "inc."}
)
_POSTSCRIPT = re.compile(r"\s*p\.?\s?s\b", re.IGNORECASE)
_FILLER = re.compile(r"[ \t,]*(?:again\b[ \t,]*)?", re.IGNORECASE)
_NEXT_NAME = re.compile(rf"[ \t]*({_NAME})")
#: A signature line: "--", or a dash and a name ("\u2014 Sam Lee", "-Sam"; "- Pricing" is a bullet).
_SIGNATURE_DASH = re.compile(
    rf"(?:--|(?:[\u2014\u2013][ \t]*|-){_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,3}})[ \t]*"
)
_PUNCTUATION = re.compile(r"[ \t]*[,:;!.\u2014\u2013-]*")


def fold(text: str) -> str:
    """Compare names without regard to case or accents: "María" and "maria" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip(" .,'")


def tokens(text: str) -> list[str]:
    """The words and numbers of a text, split at apostrophes and hyphens too."""
    return re.findall(r"[^\W_]+", text)


@dataclass(frozen=True)
class Greeting:
    start: int  # offsets into the body
    end: int
    names: tuple[str, ...]  # the names it addresses, courtesy titles left out


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    words: int


class Document:
    """A draft read once for all the checks."""

    def __init__(
        self, draft: Draft, context: ReviewContext, phrases: PhraseBook, dictionary: Dictionary
    ) -> None:
        self.draft = draft
        self.context = context
        self.phrases = phrases
        self.dictionary = dictionary
        self.text = draft.body.translate(_TYPOGRAPHY)
        self.lines = self.text.split("\n")
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line) + 1)
        quoted = self._quoted_lines()
        self.sign_off, self.signed = self._find_sign_off(quoted)
        last = len(self.lines) if self.sign_off is None else self.sign_off + 1
        judged = [i < last and i not in quoted for i in range(len(self.lines))]
        #: the body with quoted lines blanked out (same offsets): what the recipient would read anew
        self.unquoted = self._mask([i not in quoted for i in range(len(self.lines))])
        #: ... and without the signature: the text judged for tone
        self.tone = self._mask(judged)
        self.greeting = self._find_greeting(judged)
        prose = self.tone
        if self.sign_off is not None:
            judged[self.sign_off] = False
            prose = self._mask(judged)
        if self.greeting is not None:
            start, end = self.greeting.start, self.greeting.end
            prose = prose[:start] + " " * (end - start) + prose[end:]
        #: ... and without the greeting and the closing: the sentences of the message
        self.prose = prose

    # -- layout -------------------------------------------------------------------------------

    def _mask(self, keep: list[bool]) -> str:
        return "\n".join(
            line if kept else " " * len(line) for line, kept in zip(self.lines, keep, strict=True)
        )

    def _quoted_lines(self) -> set[int]:
        quoted: set[int] = set()
        for i, line in enumerate(self.lines):
            stripped = line.strip()
            if stripped.startswith(">"):
                quoted.add(i)
            elif i and (_QUOTE_HEAD.fullmatch(stripped) or self._introduces_quote(i)):
                return quoted | set(range(i, len(self.lines)))
        return quoted

    def _introduces_quote(self, i: int) -> bool:
        """An "On <date>, <person> wrote:" line, which mail clients sometimes wrap onto two lines."""
        line = self.lines[i].strip()
        if not line.startswith("On "):
            return False
        following = self.lines[i + 1].strip() if i + 1 < len(self.lines) else ""
        return line.endswith("wrote:") or (len(line) < 120 and following.endswith("wrote:"))

    def _find_sign_off(self, quoted: set[int]) -> tuple[int | None, bool]:
        """The closing line ("Best regards,", "Thanks, Sam", "-- "), and whether a name follows it."""
        content = [i for i, line in enumerate(self.lines) if line.strip() and i not in quoted]
        closing, inline = _closings(self.phrases.pattern("sign_off", "phrases").pattern)
        for position in range(max(1, len(content) - 7), len(content)):
            line = self.lines[content[position]].strip()
            after = content[position + 1 :]
            if any(len(self.lines[i].split()) > 8 and not _POSTSCRIPT.match(self.lines[i]) for i in after):
                continue
            if _SIGNATURE_DASH.fullmatch(line):
                return content[position], True
            if closing.fullmatch(line):
                return content[position], bool(after)
            if (
                line.endswith(",")
                and len(line.split()) <= 4
                and 0 < len(after) <= 4
                and not re.search(r"\d", line)
            ):
                return content[position], True  # a closing of the writer's own ("Thanks for reading,")
            named = inline.fullmatch(line)
            if named and named[1][0].isupper():
                return content[position], True
        return None, False

    def _find_greeting(self, judged: list[bool]) -> Greeting | None:
        first = next((i for i, line in enumerate(self.lines) if judged[i] and line.strip()), None)
        if first is None or first == self.sign_off:
            return None
        line = self.lines[first]
        lead = len(line) - len(line.lstrip())
        words = self.phrases.pattern("greeting", "words").match(line, lead)
        if words is None and not re.fullmatch(
            rf"[ \t]*{_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,2}}[ \t]*[,:!\u2014]", line
        ):
            return None
        names, end = self._addressee(line, lead if words is None else words.end())
        if words is None and not names:
            return None
        offset = self._starts[first]
        return Greeting(offset + lead, offset + end, tuple(names))

    def _addressee(self, line: str, pos: int) -> tuple[list[str], int]:
        """The names after "Dear", "Hi again,", "Good morning Dr."..., and where the greeting ends."""
        filler = _FILLER.match(line, pos)
        pos = filler.end() if filler else pos
        rest = line[pos:].lower()
        for generic in sorted(self.phrases.words("greeting", "generic"), key=len, reverse=True):
            if re.match(rf"{re.escape(generic)}\b", rest):
                return [], _skip_punctuation(line, pos + len(generic))
        titles = self.phrases.words("greeting", "titles")
        taken: list[str] = []
        end = pos
        while (match := _NEXT_NAME.match(line, end)) and len(taken) < 4:
            word = match[1].rstrip(".'")
            if not (word.lower() in titles or (word[0].isupper() and word != "I")):
                break
            taken.append(word)
            end = match.end()
        names = [w for w in taken if w.lower() not in titles]
        if " ".join(taken).lower() in self.phrases.words("greeting", "generic"):
            names = []  # "Dear Hiring Manager"
        return names, _skip_punctuation(line, end)

    # -- measures -------------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[Sentence]:
        found: list[Sentence] = []
        for paragraph in _PARAGRAPH.finditer(self.prose):
            pending: tuple[str, int] | None = None
            for match in _SENTENCE.finditer(paragraph[0]):
                text, start = match[0], paragraph.start() + match.start()
                if pending is not None:
                    text, start = f"{pending[0]} {text}", pending[1]
                last = text.split()[-1].lower() if text.split() else ""
                if last in ABBREVIATIONS:
                    pending = (text, start)
                    continue
                pending = None
                found.append(Sentence(" ".join(text.split()), start, len(_WORD.findall(text))))
            if pending is not None:
                found.append(
                    Sentence(" ".join(pending[0].split()), pending[1], len(_WORD.findall(pending[0])))
                )
        return found

    @cached_property
    def words(self) -> list[re.Match[str]]:
        """The words judged for length: greeting, prose and closing, not the signature."""
        return list(_WORD.finditer(self.tone))

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Words the thread and the user vouch for: names, organisations, topics, skills..."""
        ctx = self.context
        sources = [
            ctx.recipient_name,
            ctx.recipient_org,
            ctx.role,
            ctx.user_name,
            ctx.signature,
            self.draft.to,
        ]
        sources += [*ctx.topics, *ctx.notes, *ctx.other_names, *ctx.other_orgs, *ctx.skills, *ctx.vocabulary]
        sources += [name for name, _ in ctx.sibling_texts]
        return frozenset(fold(word) for source in sources if source for word in tokens(source))

    @cached_property
    def recipient_parts(self) -> frozenset[str]:
        return frozenset(fold(word) for word in tokens(self.context.recipient_name or ""))

    @cached_property
    def recipient_forms(self) -> frozenset[str]:
        """The recipient's names and the short forms they may go by."""
        forms = set(self.recipient_parts)
        for full, short in self.phrases.table("nicknames").items():
            family = {full, *short}
            if family & self.recipient_parts:
                forms |= family
        return frozenset(forms)

    @cached_property
    def other_parts(self) -> dict[str, str]:
        """Each part of another known person's name, to that person's full name."""
        return {
            fold(word): name
            for name in self.context.other_names
            for word in tokens(name)
            if len(word) > 1 and fold(word) not in self.recipient_forms
        }

    def addresses_recipient(self, name: str) -> bool:
        key = fold(name)
        return key in self.recipient_forms or (
            len(key) >= 3
            and any(part.startswith(key) or key.startswith(part) for part in self.recipient_parts)
        )

    def looks_like_recipient(self, word: str) -> bool:
        """A near miss of the recipient's name ("Pryia" for "Priya"), not itself a known word."""
        key = fold(word)
        if len(key) < 3 or key in self.known_words or key in self.recipient_forms:
            return False
        return any(_near(key, part) for part in self.recipient_parts) and not self.dictionary.knows(key)

    def line_of(self, offset: int) -> int:
        """The 1-based line of the body an offset falls on."""
        return bisect_right(self._starts, offset)

    def line_span(self, index: int) -> tuple[int, int]:
        """Where the 0-based line `index` starts and ends in the body."""
        return self._starts[index], self._starts[index] + len(self.lines[index])

    def excerpt(self, start: int, end: int, width: int = 36) -> str:
        line = self.line_of(start) - 1
        begin, finish = self._starts[line], self._starts[line] + len(self.lines[line])
        left = max(begin, start - width)
        right = min(finish, max(end, start) + width)
        while left > begin and not self.text[left - 1].isspace():
            left -= 1
        while right < finish and not self.text[right].isspace():
            right += 1
        snippet = " ".join(self.text[left:right].split())
        return ("\u2026" if left > begin else "") + snippet + ("\u2026" if right < finish else "")

    def sentence_around(self, offset: int) -> tuple[int, int]:
        """The bounds, in ``tone``, of the sentence (within its line) holding an offset."""
        left = max(self.tone.rfind(mark, 0, offset) for mark in ".!?\n") + 1
        ends = [i for i in (self.tone.find(mark, offset) for mark in ".!?\n") if i != -1]
        return left, min(ends, default=len(self.tone))

    def finding(
        self,
        code: str,
        message: str,
        start: int | None = None,
        end: int | None = None,
        *,
        severity: Severity | None = None,
        excerpt: str | None = None,
    ) -> Finding:
        if excerpt is None:
            excerpt = "" if start is None else self.excerpt(start, start if end is None else end)
        line = None if start is None else self.line_of(start)
        return Finding(code, severity or CODES[code], message, excerpt, line)


@lru_cache(maxsize=8)
def _closings(alternatives: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A closing line alone ("Best regards,"), and one with the name after it ("Thanks, Sam")."""
    closing = re.compile(rf"{alternatives}[ \t]*[,.!\u2014-]*", re.IGNORECASE)
    inline = re.compile(
        rf"{alternatives}[ \t]*[,\u2014-][ \t]*({_NAME}(?:[ \t]+{_NAME}){{0,3}})", re.IGNORECASE
    )
    return closing, inline


def _skip_punctuation(line: str, pos: int) -> int:
    match = _PUNCTUATION.match(line, pos)
    return match.end() if match else pos


def _near(a: str, b: str) -> bool:
    """Within one edit (two for longer names), counting a swap of neighbours as one edit."""
    allowed = 1 if max(len(a), len(b)) <= 6 else 2
    if a == b or abs(len(a) - len(b)) > allowed:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1] <= allowed


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


class Reviewer:
    """Reviews drafts. Build one and keep it: it holds the phrase lists and, from the first review
    that needs it, the English dictionary (a few tenths of a second to load).
    """

    def __init__(self, extra_phrase_files: Iterable[str | os.PathLike[str]] = ()) -> None:
        from tactful import review_checks

        self.phrases = PhraseBook.load(extra_phrase_files)
        self._checks = review_checks.CHECKS
        self._dictionary = Dictionary(self.phrases)

    def prepare(self) -> None:
        """Load the dictionary now rather than during the first review."""
        self._dictionary.load()

    def review(self, draft: Draft, context: ReviewContext | None = None) -> Review:
        """Every check on the draft, in the given context (none: only the checks that need none)."""
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
