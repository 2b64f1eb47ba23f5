"""How the reviewer reads a draft: its greeting, sentences, quoted text, closing and signature.

A :class:`Document` is a draft read once for all the checks. It keeps the body at its offsets and
masks out, in successive layers, what a check should not judge:

- ``unquoted``: the body without the quoted thread ("> ..." lines, "On ... wrote:" and what follows);
- ``tone``: ... and without the signature under the closing: the text judged for tone;
- ``prose``: ... and without the greeting and the closing line: the sentences of the message.

It also finds the greeting and the names it addresses, the closing line and whether a name is signed
under it, and measures the sentences and words; and it builds the :class:`~.model.Finding`
objects the checks yield, with the line and excerpt they point at.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .model import CODES, Finding

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module must load fast
if TYPE_CHECKING:
    from .dictionary import Dictionary
    from .model import Draft, ReviewContext, Severity
    from .phrasebook import PhraseBook
    from .tone import ToneModel, Verdict

__all__ = ["ABBREVIATIONS", "Document", "Greeting", "Sentence", "fold", "tokens"]

_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_NAME = r"[^\W\d_][\w'.-]*"
_CAPITALISED = r"[A-Z][\w'-]*"
_WORD = re.compile(r"(?<!\S)\S*?[^\W_]\S*")  # a run with a letter or digit; tried at run starts only
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
_PREFIXED = re.compile(r"([^\W\d_]+)['-](\w.*)")  # "al-Rashid", "d'Artagnan"
#: A signature line: "--", or a dash and a name ("\u2014 Sam Lee", "-Sam"; "- Pricing" is a bullet).
_SIGNATURE_DASH = re.compile(
    rf"(?:--|(?:[\u2014\u2013][ \t]*|-){_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,3}})[ \t]*"
)
#: A title and a name closed by a full stop: "Ms. Natarajan. My name is..."
_TITLED_STOP = re.compile(
    rf"[ \t]*(?i:mr|mrs|ms|mx|dr|prof|professor)\.?[ \t]+{_CAPITALISED}(?:[ \t]+{_CAPITALISED})?\.[ \t]"
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
    names: tuple[str, ...]  # the names it addresses, courtesy titles and particles ("de la") left out


@dataclass(frozen=True)
class Sentence:
    text: str  # white space folded to single spaces
    start: int  # offsets into the body
    words: int
    end: int = -1


class Document:
    """A draft read once for all the checks."""

    def __init__(
        self,
        draft: Draft,
        context: ReviewContext,
        phrases: PhraseBook,
        dictionary: Dictionary,
        tone_model: ToneModel | None = None,
    ) -> None:
        self.draft = draft
        self.context = context
        self.phrases = phrases
        self.dictionary = dictionary
        self.tone_model = tone_model
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
        bare = _bare_name(self.phrases.pattern("greeting", "particles").pattern)
        if words is None and not bare.fullmatch(line):
            return self._inline_greeting(first, bare)
        names, end = self._addressee(line, lead if words is None else words.end())
        if words is None and not names:
            return None
        offset = self._starts[first]
        return Greeting(offset + lead, offset + end, tuple(names))

    def _inline_greeting(self, first: int, bare: re.Pattern[str]) -> Greeting | None:
        """A name that opens the first sentence: "Terry, thank you for...", "Ms. Natarajan. My name
        is...", "Mori-san, ...". Only a title, a name the thread knows or a word no dictionary holds
        counts as one: "Yesterday, we..." and "Thanks, all" open sentences, not greetings."""
        line = self.lines[first]
        lead = len(line) - len(line.lstrip())
        match = bare.match(line) or _TITLED_STOP.match(line)
        if match is None:
            return None
        names, end = self._addressee(line[: match.end()], lead)
        if not names or len(names) > 3:
            return None
        titled = any(w.lower().rstrip(".") in self.titles for w in line[lead : match.end()].split())
        people = self.recipient_forms | set(self.other_parts)
        openers = frozenset(self.phrases.words("greeting", "openers"))
        unknown_reader = not self.context.recipient_name

        def a_name(word: str) -> bool:
            key = fold(word)
            if key in people or fold(word.split("-")[0]) in people:
                return True
            if key in openers or key.endswith("ly"):
                return False
            return unknown_reader or not self.dictionary.knows(word)

        if not titled and not all(a_name(n) for n in names):
            return None
        end = min(end, match.end())
        offset = self._starts[first]
        return Greeting(offset + lead, offset + end, tuple(names))

    def _addressee(self, line: str, pos: int) -> tuple[list[str], int]:
        """The names after "Dear", "Hi again,", "Good morning Dr."..., and where the greeting ends."""
        filler = _FILLER.match(line, pos)
        pos = filler.end() if filler else pos
        rest = line[pos:].lower()
        generic = self.phrases.words("greeting", "generic")
        for phrase in sorted(generic, key=len, reverse=True):
            if re.match(rf"{re.escape(phrase)}\b", rest):
                if self._next_name(line, pos + len(phrase)) is None:
                    return [], _skip_punctuation(line, pos + len(phrase))
                pos += len(phrase)  # "Dear Sir Patrick": generic only when no name follows
                break
        taken: list[str] = []
        end = pos
        while len(taken) < 4 and (found := self._next_name(line, end)):
            word, end = found
            taken.append(word)
        names = [w for w in taken if w.lower() not in self.titles]
        if " ".join(taken).lower() in generic:
            names = []  # "Dear Hiring Manager"
        return names, _skip_punctuation(line, end)

    def _next_name(self, line: str, pos: int) -> tuple[str, int] | None:
        """The word of a name that follows `pos`, and where it ends: a title, a capitalised word, or
        one with a particle ("al-Rashid"). Particles before it are passed over ("de la Vega")."""
        particles = self.particles
        end = pos
        while (match := _NEXT_NAME.match(line, end)) and match[1].lower() in particles:
            end = match.end()
        if not (match := _NEXT_NAME.match(line, end)):
            return None
        word = match[1].rstrip(".'")
        prefixed = _PREFIXED.fullmatch(word)
        if (
            word.lower() in self.titles
            or (word[0].isupper() and word != "I")
            or fold(word) in self.recipient_forms  # "hi rachel,": the lower case is another check's to judge
            or (prefixed and prefixed[1].lower() in particles and prefixed[2][0].isupper())
        ):
            return word, match.end()
        return None

    @cached_property
    def titles(self) -> frozenset[str]:
        """Courtesy titles, before a family name ("Dr.") or a given name ("Sir")."""
        return frozenset(
            self.phrases.words("greeting", "titles") + self.phrases.words("greeting", "given_name_titles")
        )

    @cached_property
    def particles(self) -> frozenset[str]:
        return frozenset(self.phrases.words("greeting", "particles"))

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
                end = paragraph.start() + match.end()
                found.append(Sentence(" ".join(text.split()), start, len(_WORD.findall(text)), end))
            if pending is not None:
                found.append(
                    Sentence(
                        " ".join(pending[0].split()),
                        pending[1],
                        len(_WORD.findall(pending[0])),
                        pending[1] + len(pending[0]),
                    )
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

    @cached_property
    def moods(self) -> list[tuple[Sentence, Verdict]]:
        """Each sentence with the tone the classifier reads in it (none without a model)."""
        if self.tone_model is None:
            return []
        return [(s, self.tone_model.classify(s.text)) for s in self.sentences]

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


@lru_cache(maxsize=8)
def _bare_name(particles: str) -> re.Pattern[str]:
    """A greeting that is a name alone: "Priya,", "Dr. de la Vega:"."""
    word = rf"{_CAPITALISED}\.?"
    return re.compile(rf"[ \t]*{word}(?:[ \t]+(?:(?i:{particles})[ \t]+)*{word}){{0,2}}[ \t]*[,:!\u2014]")


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
