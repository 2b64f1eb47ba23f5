"""The reviewer's checks of a draft's wording: its length, register and spelling.

Each check takes the :class:`~.document.Document` the reviewer made of a draft and yields the
findings it makes. They read ``Document.tone`` (no quoted text, no signature) or, for sentences,
``Document.sentences`` (no greeting or closing either). :data:`.reviewer.CHECKS` gathers them with
the others, in the spec's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..domain import LENGTH_LIMITS, LINKEDIN_FREE_LIMIT, Channel
from .document import ABBREVIATIONS, Document, fold
from .model import Finding, Severity

__all__ = [
    "casual",
    "long_sentences",
    "lowercase",
    "repeated_word",
    "shouting",
    "spelling",
    "too_long",
]

_LIMITS = {
    Channel.EMAIL: (LENGTH_LIMITS[Channel.EMAIL], "an email body"),
    Channel.LETTER: (LENGTH_LIMITS[Channel.LETTER], "a handwritten note"),
    Channel.PHONE: (LENGTH_LIMITS[Channel.PHONE], "a voicemail script (about 30 seconds)"),
}
_TOKEN = re.compile(r"(?<![\w'-])[^\W\d_]+(?:['-][^\W\d_]+)*'?(?![\w-])")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]|(?<!\w)[:;]-?[)(DPp](?!\w)")
#: Template words in capitals ("TODO", "XXX"): the placeholder check's to judge, not shouting.
_PLACEHOLDER_WORDS = frozenset({"todo", "fixme", "tktk", "insert", "xxx", "xxxx"})
_SHOUT = re.compile(r"(?<![\w'-])[A-Z][A-Z']*[A-Z](?![\w'-])")
_REPEATED = re.compile(r"(?<![\w'-])([^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2})(?:\s+\1)+(?![\w'-])", re.IGNORECASE)
_NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+|\S*[/\\]\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|uk|app)\b\S*"
)


_TOKENS = re.compile(r"\S+")
#: A run of characters without a space longer than this is no word: it is blanked whole. It also
#: bounds the work `_NOT_PROSE` does, which grows with the square of the run it is searching.
LONGEST_WORD = 100


def not_prose_blanked(text: str) -> str:
    """`text` with addresses, handles, paths and domains (and any run longer than a word can be)
    replaced by spaces of the same length, in time linear in the text."""

    def token(m: re.Match[str]) -> str:
        if len(m[0]) > LONGEST_WORD:
            return " " * len(m[0])
        return _NOT_PROSE.sub(lambda n: " " * len(n[0]), m[0])

    return _TOKENS.sub(token, text)


def too_long(doc: Document) -> Iterator[Finding]:
    channel = doc.draft.channel
    if channel is Channel.LINKEDIN:
        full = LENGTH_LIMITS[Channel.LINKEDIN]
        limit, what, unit = (
            (LINKEDIN_FREE_LIMIT if doc.context.linkedin_free else full),
            "a LinkedIn note",
            "characters",
        )
        text = doc.unquoted.strip()
        size, lead = len(text), len(doc.unquoted) - len(doc.unquoted.lstrip())
        at = lead + limit if size > limit else None
    else:
        limit, what = _LIMITS[channel]
        unit, words = "words", doc.words
        size = len(words)
        at = words[limit].start() if size > limit else None
    if at is None:
        return
    over = size > 2 * limit
    extent = "more than twice" if over else "over"
    message = f"{size} {unit}, {extent} the {limit} {what} should keep to: cut it down."
    severity = Severity.ERROR if over else Severity.WARNING
    yield doc.finding("too-long", message, at, severity=severity)


def long_sentences(doc: Document) -> Iterator[Finding]:
    if not doc.sentences:
        return
    longest = max(doc.sentences, key=lambda s: s.words)
    average = sum(s.words for s in doc.sentences) / len(doc.sentences)
    if longest.words > 40:
        message = f"A sentence of {longest.words} words: split it in two."
    elif average > 25:
        message = f"Sentences average {average:.0f} words: shorter ones read faster."
    else:
        return
    yield doc.finding("long-sentences", message, longest.start, excerpt=longest.text[:80])


def casual(doc: Document) -> Iterator[Finding]:
    seen: set[str] = set()
    for match in doc.phrases.pattern("casual", "words").finditer(doc.tone):
        word = match[0].lower()
        if word not in seen:
            seen.add(word)
            yield doc.finding(
                "casual", f"'{match[0]}' is too casual for a professional message.", *match.span()
            )
    if doc.draft.channel is Channel.EMAIL and (emoji := _EMOJI.search(doc.tone)):
        yield doc.finding("casual", "Leave emoji out of a professional email.", *emoji.span())
    marks = list(re.finditer(r"!+", doc.tone))
    if len(marks) > 1:
        # Two or three in a warm note read as enthusiasm; past that, as gushing.
        many = len(marks) > 3
        message = f"{len(marks)} exclamation marks: " + (
            "keep one at most." if many else "one is usually enough."
        )
        severity = Severity.WARNING if many else Severity.TIP
        yield doc.finding("casual", message, marks[1].start(), marks[1].end(), severity=severity)


def shouting(doc: Document) -> Iterator[Finding]:
    acronyms = set(doc.phrases.words("shouting", "acronyms")) | {"asap", "a.s.a.p"} | _PLACEHOLDER_WORDS
    sources = [(doc.draft.subject or "", False), (doc.tone, True)]
    for text, in_body in sources:
        for match in _SHOUT.finditer(text):
            word = match[0].lower()
            if word in acronyms or fold(word) in doc.known_words or doc.dictionary.frequency(word) < 5000:
                continue
            message = f"'{match[0]}' in capitals reads as shouting."
            if in_body:
                yield doc.finding("shouting", message, *match.span())
            else:
                yield doc.finding("shouting", message, excerpt=text)
            break
    if repeated := re.search(r"[!?]{2,}", doc.tone):
        yield doc.finding(
            "shouting", f"'{repeated[0]}' reads as shouting: one mark is enough.", *repeated.span()
        )


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'([")
    if before.endswith(".") and before.rsplit(None, 1)[-1].lower() in ABBREVIATIONS:
        return False  # "Dr. Okonkwo"
    return not before or before[-1] in ".!?:\n-*\u2022"


def spelling(doc: Document) -> Iterator[Finding]:
    """A word the dictionary lacks is a finding only when it is shaped like a slip on a common word
    ("recieve", "untill"): trade words, borrowings and names are unknown too, and are left alone."""
    subject = doc.draft.subject or ""
    sources = [(not_prose_blanked(subject), False)]
    sources.append((not_prose_blanked(doc.tone), True))
    reported: set[str] = set(doc.phrases.words("casual", "words"))  # slang is the casual check's to judge
    greeting = doc.greeting
    flagged = 0
    for text, in_body in sources:
        for match in _TOKEN.finditer(text):
            word = match[0].rstrip("'")
            word = word[:-2] if word.endswith("'s") else word
            key = word.lower()
            if len(word) < 3 or key in reported or any(ch.isupper() for ch in word[1:]):
                continue
            capitalised = word[0].isupper()
            if capitalised and not _sentence_initial(text, match.start()):
                continue  # a proper noun
            if in_body and greeting and greeting.start <= match.start() < greeting.end:
                continue  # the names in the greeting are the wrong-name check's to judge
            if capitalised and doc.looks_like_recipient(word):
                continue
            suggestion = _slip(doc, key, strict=capitalised)
            if suggestion is None:
                continue
            reported.add(key)
            flagged += 1
            message = f"'{word}' looks misspelt; did you mean '{suggestion}'? (If it is right, add it to your vocabulary.)"
            if in_body:
                yield doc.finding("spelling", message, match.start(), match.end())
            else:
                yield doc.finding("spelling", message, excerpt=subject)
            if flagged >= 8:
                return


def _slip(doc: Document, word: str, *, strict: bool) -> str | None:
    """The common word `word` is a slip of, if it is one (a hyphenated word: any of its parts)."""
    if fold(word) in doc.known_words:
        return None
    if "-" in word:
        for part in word.split("-"):
            if len(part) >= 3 and (found := _slip(doc, part, strict=strict)):
                return found
        return None
    if "'" in word:
        stem, suffix = word.rsplit("'", 1)
        if suffix == "t" and stem.endswith("n"):
            return _slip(doc, stem[:-1], strict=strict) if len(stem) > 3 else None
        return _slip(doc, stem, strict=strict) if suffix in ("s", "re", "ve", "ll", "d", "m") else None
    return doc.dictionary.typo_of(word, strict=strict)


def repeated_word(doc: Document) -> Iterator[Finding]:
    for match in _REPEATED.finditer(doc.tone):
        if match[1].lower() not in ("had", "that"):
            yield doc.finding("repeated-word", f"'{match[1]}' is repeated.", *match.span())


_LETTER = re.compile(r"[^\W\d_]")


def lowercase(doc: Document) -> Iterator[Finding]:
    """A message typed all in lower case, greeting and names included, reads as careless."""
    text = not_prose_blanked(doc.tone)
    letters = _LETTER.findall(text)
    if len(letters) < 40 or any(ch.isupper() for ch in letters):
        return
    first = len(doc.tone) - len(doc.tone.lstrip())
    message = "It is all in lower case, names included: capitalise names, 'I' and the start of each sentence."
    yield doc.finding("lowercase", message, first, first + 1)
