"""How a message names people and things: whom to greet and how, the opportunity, an offer, a day.

A person's name is read once with :mod:`nameparser` into its parts: a courtesy title ("Dr."), the given name,
the family name with its particles ("de la Vega"), a suffix ("Jr.") and a nickname ("Robert (Bob)
Smith"). The convention for addressing someone:

- when the name was recorded with a title, the title and the family name ("Dr. de la Vega"), in every
  message; a title that goes with the given name ("Sir", "Dame") takes the given name instead;
- otherwise the name they go by: the nickname when one was given, else the given name ("Tomás").

Suffixes and middle names never appear in a greeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "PersonName",
    "day_name",
    "join",
    "long_date",
    "met_at",
    "offer",
    "opportunity",
    "parse_name",
    "short_date",
    "topic",
    "when",
]

#: Courtesy titles written as abbreviations, with their usual spelling.
_ABBREVIATED = {
    "dr": "Dr.",
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "mx": "Mx.",
    "prof": "Prof.",
    "rev": "Rev.",
    "hon": "Hon.",
}
#: Titles used with the given name rather than the family name.
_WITH_GIVEN_NAME = frozenset({"sir", "dame", "lord", "lady"})


@dataclass(frozen=True)
class PersonName:
    """The parts of one person's name."""

    full: str
    title: str = ""
    first: str = ""
    last: str = ""
    suffix: str = ""
    nickname: str = ""

    @property
    def familiar(self) -> str:
        """The name they go by, without title: "Bob", "Tomás"; the family name when that is all."""
        return self.nickname or self.first or self.last or self.full

    @property
    def address(self) -> str:
        """How a greeting names them: "Dr. de la Vega" when a title was given, else the familiar name."""
        if self.title:
            if self.title.lower().rstrip(".") in _WITH_GIVEN_NAME and self.first:
                return f"{self.title} {self.first}"
            if self.last:
                return f"{self.title} {self.last}"
            if self.first:
                return f"{self.title} {self.first}"
        return self.familiar

    @property
    def plain(self) -> str:
        """Given and family name, without title or suffix: "Elena de la Vega"."""
        return " ".join(part for part in (self.first, self.last) if part) or self.full


def _title(text: str) -> str:
    key = text.strip().lower().rstrip(".")
    if key in _ABBREVIATED:
        return _ABBREVIATED[key]
    return text.strip()[:1].upper() + text.strip()[1:]


#: How a group of people, not one person, is named: "Northwind hiring team".
_TEAMS = ("hiring team", "recruiting team", "recruitment team", "talent team", "team")


@lru_cache(maxsize=4096)
def parse_name(text: str) -> PersonName:
    """Read a name as a person would write it: "Dr. Juan de la Vega III", "Robert (Bob) Smith"."""
    full = " ".join(text.split())
    if not full:
        return PersonName(full="")
    if full.lower().endswith(_TEAMS):  # "Northwind hiring team": greeted as it is
        return PersonName(full=full, first=full)
    from nameparser import HumanName

    parsed = HumanName(full)
    title = _title(parsed.title) if parsed.title else ""
    first = parsed.first.strip()
    last = parsed.last.strip()
    if not first and not last:
        first = full
    return PersonName(
        full=full,
        title=title,
        first=first,
        last=last,
        suffix=parsed.suffix.strip(),
        nickname=parsed.nickname.strip(),
    )


# -- how a message names the rest of the thread ------------------------------------------------------

_ARTICLES = ("the ", "a ", "an ", "our ", "your ", "my ")
_ROLE_WORDS = ("role", "position", "job", "opening", "internship", "vacancy")
#: Words that open a promise written as a verb phrase ("review my portfolio"), not a noun ("a review").
_VERBS = frozenset(
    {
        "arrange", "ask", "call", "check", "connect", "edit", "email", "endorse", "find", "flag", "follow",
        "forward", "get", "give", "help", "introduce", "lend", "look", "loop", "make", "mention", "pass",
        "proofread", "provide", "put", "read", "recommend", "refer", "review", "send", "set", "share",
        "show", "sign", "speak", "talk", "vouch", "walk", "write",
    }
)  # fmt: skip


def join(items: list[str]) -> str:
    """A list as a sentence says it: "Kafka", "Kafka and Airflow", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def long_date(day: dt.date) -> str:
    """A date named in full: "Friday, March 13"."""
    return f"{day:%A}, {day:%B} {day.day}"


#: Countries that write the day before the month ("3 March"); elsewhere the month comes first.
_DAY_FIRST = frozenset({"GB", "IE", "AU", "NZ", "IN", "ZA", "SG", "HK", "MY", "NG", "KE", "GH", "PK"})


def short_date(day: dt.date, country: str | None = None) -> str:
    """A date without its weekday: "March 3", or "3 March" where the day comes first."""
    return f"{day.day} {day:%B}" if (country or "").upper() in _DAY_FIRST else f"{day:%B} {day.day}"


def day_name(day: dt.date, reference: dt.date, country: str | None = None) -> str:
    """A past day as seen from ``reference`` (the day the message goes out), to be named:
    "today", "yesterday", "Tuesday" within the week, "last week", else its date."""
    ago = (reference - day).days
    if ago == 0:
        return "today"
    if ago == 1:
        return "yesterday"
    if 2 <= ago <= 6 or -6 <= ago < 0:
        return f"{day:%A}"
    if 7 <= ago <= 13 and day.isocalendar()[:2] != reference.isocalendar()[:2]:
        return "last week"
    return short_date(day, country)


def when(day: dt.date, reference: dt.date, country: str | None = None) -> str:
    """The same day as an adverb, for "thank you for your time {when}": "today", "on Tuesday"."""
    name = day_name(day, reference, country)
    return name if name in ("today", "yesterday", "last week") else f"on {name}"


_PLACE = re.compile(
    r"\b(?:met|meeting|introduced)\s+(?P<place>(?:at|during|on|in|through|via)\s+[^.;,!?\n]+)", re.IGNORECASE
)
_AT_START = re.compile(r"^\s*(?P<place>(?:at|during)\s+[^.;,!?\n]+)", re.IGNORECASE)


def met_at(note: str | None) -> str | None:
    """Where the note says you met, as a phrase: "met at the Data Council meetup" gives
    "at the Data Council meetup"; None when it does not say."""
    if not note:
        return None
    found = _PLACE.search(note) or _AT_START.search(note)
    if found is None:
        return None
    place = " ".join(found["place"].split())
    return place[0].lower() + place[1:] if len(place.split()[0]) <= 7 else place


#: The user's words for the other side, as the message says them to them: "their cold chain" is
#: "your cold chain" in a message to them.
_TO_THEM = {"their": "your", "theirs": "yours", "them": "you", "they": "you", "they're": "you're",
            "themselves": "yourselves", "they've": "you've", "they'd": "you'd", "they'll": "you'll"}  # fmt: skip
_THEM = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _TO_THEM), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_FUNCTION_WORDS = frozenset(
    {"how", "what", "why", "when", "where", "which", "who", "whether", "the", "a", "an", "our", "your", "my",
     "their", "its", "this", "that", "these", "those", "some", "any", "ways", "possible", "options"}
)  # fmt: skip
_LEAD_VERBS = re.compile(
    r"^(?:we\s+)?(?:discussed|talked\s+about|talk\s+about|discussion\s+of|chatted\s+about|covered)\s+",
    re.IGNORECASE,
)


def topic(text: str) -> str:
    """A topic as the user logged it, made a phrase a sentence can hold: the user's notes-to-self
    ("discussed their cold chain.") become "your cold chain"."""
    cleaned = " ".join(text.split()).strip(" .;:!?")
    cleaned = _LEAD_VERBS.sub("", cleaned)
    first, _, rest = cleaned.partition(" ")
    if first.lower() in _FUNCTION_WORDS:  # "How to cut costs" goes mid-sentence as "how to cut costs"
        cleaned = " ".join(x for x in (first.lower(), rest) if x)

    def swap(match: re.Match[str]) -> str:
        word = _TO_THEM[match[1].lower()]
        return word.capitalize() if match[1][0].isupper() else word

    return _THEM.sub(swap, cleaned)


def opportunity(title: str, job: bool) -> str:
    """A thread's title as a phrase: "the Data Engineer role", "the warehouse automation pilot"."""
    lowered = title.lower()
    if lowered.startswith(_ARTICLES):
        return lowered[:1] + title[1:]
    if job and not lowered.endswith(_ROLE_WORDS):
        return f"the {title} role"
    return f"the {title}"


def offer(promised: str) -> str:
    """What someone offered, as a phrase: "your offer to review my portfolio", "your offer of a review"."""
    text = " ".join(promised.split()).rstrip(".")
    first = text.split()[0].lower()
    if first == "to":
        return f"your offer {text}"
    if first in _VERBS:
        return f"your offer to {text[0].lower()}{text[1:]}"
    return f"your offer of {text}"


#: The past of the verbs a promise most often starts with; others take -ed (by the usual spelling).
_PAST = {
    "find": "found", "get": "got", "give": "gave", "lend": "lent", "make": "made", "put": "put",
    "read": "read", "send": "sent", "set": "set", "show": "showed", "speak": "spoke", "write": "wrote",
    "bring": "brought", "buy": "bought", "do": "did", "take": "took", "think": "thought", "run": "ran",
}  # fmt: skip
_PROMISE_VERBS = (
    _VERBS | set(_PAST) | {"book", "draft", "prepare", "update", "confirm", "schedule", "post", "mail"}
)
_THEM = re.compile(r"\bthem\b", re.IGNORECASE)


def kept(promise: str) -> str | None:
    """A promise the user kept, as they would tell the person it was made to: "send them the deck"
    -> "sent you the deck"; None when it does not start with a verb we know."""
    text = " ".join(promise.split()).rstrip(".")
    if text.lower().startswith("to "):
        text = text[3:]
    words = text.split(" ", 1)
    verb = words[0].lower()
    if verb not in _PROMISE_VERBS:
        return None
    if verb in _PAST:
        past = _PAST[verb]
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        past = verb[:-1] + "ied"
    elif verb in ("flag", "refer"):
        past = verb + verb[-1] + "ed"
    else:
        past = verb + "ed"
    rest = _THEM.sub("you", words[1]) if len(words) > 1 else ""
    return f"{past} {rest}".strip()
