"""The words tactful thinks in: people, threads, what happened, and what to do next.

Plain data, no I/O. Times are timezone-aware datetimes in UTC; dates (a decision date, a promised
date) are calendar dates in the user's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache


class Kind(StrEnum):
    """What happened: the `log KIND` of the command line."""

    INTERVIEW = "interview"
    APPLICATION = "application"
    MEETING = "meeting"
    INTRODUCTION = "introduction"
    HELP_PROMISED = "help-promised"
    CALL = "call"
    PRESENTATION = "presentation"
    CLIENT_MEETING = "client-meeting"


class Purpose(StrEnum):
    """What a follow-up is for."""

    THANK_YOU = "thank-you"
    RECAP = "recap"
    CHECK_IN = "check-in"
    APPLICATION_CHECK = "application-check"
    RECONNECT = "reconnect"
    THANK_INTRODUCER = "thank-introducer"
    INTRODUCE_YOURSELF = "introduce-yourself"
    REMINDER = "reminder"
    LINKEDIN_CONNECT = "linkedin-connect"
    HANDWRITTEN_NOTE = "handwritten-note"
    CALL = "call"
    GRACIOUS_CLOSE = "gracious-close"
    THANKS_FOR_HELP = "thanks-for-help"
    CLOSE_THE_LOOP = "close-the-loop"  # to the introducer: how the introduction went
    KEEP_IN_TOUCH = "keep-in-touch"  # a light check-in, by the cadence the user set
    REMINDER_TO_SELF = "reminder-to-self"  # the user's own reminder: nothing to send
    PROMISE = "promise"  # something the user promised someone: a task of their own


#: The user's own tasks (a reminder, a promise to keep): nothing goes out, so nothing is drafted or sent.
OWN_TASKS = frozenset({Purpose.REMINDER_TO_SELF, Purpose.PROMISE})

#: Purposes that are a message to someone: all but the user's own tasks, which the composer never writes.
MESSAGES = tuple(p for p in Purpose if p not in OWN_TASKS)

#: Follow-ups whose point is to say thank you; they survive a reply and a rejection.
GRATITUDE = frozenset(
    {
        Purpose.THANK_YOU,
        Purpose.HANDWRITTEN_NOTE,
        Purpose.THANK_INTRODUCER,
        Purpose.THANKS_FOR_HELP,
        Purpose.GRACIOUS_CLOSE,
    }
)


#: Rules whose outreach may sit beside the thank-you email on another channel (the playbook's
#: one-channel-at-a-time exception): the handwritten card, and the LinkedIn request that follows it.
CHANNEL_COMPANIONS = frozenset({"interview.handwritten-note", "interview.linkedin-connect"})


def channel_companions(rule: str, other: str) -> bool:
    """Whether two outreaches may reach one person on different channels at once: a thank-you
    email and its card or LinkedIn request, and nothing else."""
    return {rule, other} & CHANNEL_COMPANIONS != set() and "interview.thank-you" in {rule, other}


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LINKEDIN = "linkedin"
    LETTER = "letter"


#: How long a message may be on each channel: words for an email body, a handwritten card and a
#: voicemail script (about 30 seconds spoken); characters for a LinkedIn connection note.
LENGTH_LIMITS = {Channel.EMAIL: 200, Channel.LETTER: 120, Channel.PHONE: 75, Channel.LINKEDIN: 300}
#: A free LinkedIn account allows a shorter note.
LINKEDIN_FREE_LIMIT = 200


class Outcome(StrEnum):
    REJECTED = "rejected"
    OFFER = "offer"
    ACCEPTED = "accepted"
    WON = "won"
    LOST = "lost"
    CLOSED = "closed"
    HELPED = "helped"

    @property
    def said(self) -> str:
        """How a sentence says it: "Thread 1: offer received"."""
        return _OUTCOME_SAID[self]


_OUTCOME_SAID = {
    Outcome.REJECTED: "not selected",
    Outcome.OFFER: "offer received",
    Outcome.ACCEPTED: "accepted",
    Outcome.WON: "won",
    Outcome.LOST: "lost",
    Outcome.CLOSED: "closed",
    Outcome.HELPED: "help received",
}


@dataclass(frozen=True)
class KindFacts:
    """What one kind of interaction is, wherever it matters: in planning, drafts, outcomes, forms."""

    group: str  # "job", "deal" or "network": the kind of thread it makes, which sets the drafts' tone
    rounds: bool  # a second one in a thread is its next round, whose nudges replace the last's
    outcomes: frozenset[Outcome]  # how a thread with it can end, beside "closed"
    fields: tuple[str, ...]  # what it records beyond who, where and when


_JOB_ENDS = frozenset({Outcome.REJECTED, Outcome.OFFER, Outcome.ACCEPTED})
_DEAL_ENDS = frozenset({Outcome.ACCEPTED, Outcome.WON, Outcome.LOST})
_HELP_ENDS = frozenset({Outcome.HELPED})

#: Every kind of interaction, and its facts: the one place to read or change them.
KINDS: dict[Kind, KindFacts] = {
    Kind.INTERVIEW: KindFacts(
        "job", True, _JOB_ENDS, ("title", "role", "decision_by", "topics", "questions", "card")
    ),
    Kind.APPLICATION: KindFacts("job", False, _JOB_ENDS, ("title", "role")),
    Kind.MEETING: KindFacts("network", False, frozenset(), ("topics", "note")),
    Kind.INTRODUCTION: KindFacts("network", False, _HELP_ENDS, ("introduced_by", "topics", "note")),
    Kind.HELP_PROMISED: KindFacts("network", False, _HELP_ENDS, ("promised", "promised_by", "note")),
    Kind.CALL: KindFacts("network", False, frozenset(), ("topics", "questions", "note")),
    Kind.PRESENTATION: KindFacts("deal", True, _DEAL_ENDS, ("title", "decision_by", "topics", "questions")),
    Kind.CLIENT_MEETING: KindFacts("deal", True, _DEAL_ENDS, ("title", "decision_by", "topics", "questions")),
}


class Status(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class State(StrEnum):
    """Where a planned follow-up stands at a given moment."""

    WAITING = "waiting"
    DUE = "due"
    OVERDUE = "overdue"


class ThreadStage(StrEnum):
    ACTIVE = "active"
    WAITING = "waiting"
    DORMANT = "dormant"
    CLOSED = "closed"


@dataclass
class Profile:
    """The user: who signs the messages, and whose calendar counts business days."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    signature: str | None = None
    tz: str | None = None
    country: str | None = None
    skills: tuple[str, ...] = ()
    notes: bool = False
    linkedin_free: bool = False


@dataclass
class Contact:
    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    organisation: str | None = None
    role: str | None = None
    tz: str | None = None
    prefers: Channel | None = None
    linkedin_connected: bool = False
    note: str | None = None  # the user's own note about them


@dataclass
class Thread:
    id: int
    title: str | None = None
    organisation: str | None = None
    round: int = 1
    outcome: Outcome | None = None
    outcome_at: dt.datetime | None = None
    closed: bool = False
    dormant_at: dt.datetime | None = None
    dormant_why: str | None = None
    created_at: dt.datetime | None = None


def thread_stage(closed: bool, dormant: bool, planned: int) -> ThreadStage:
    """Closed, resting after the cap, with something planned, or waiting for them."""
    if closed:
        return ThreadStage.CLOSED
    if dormant:
        return ThreadStage.DORMANT
    return ThreadStage.ACTIVE if planned else ThreadStage.WAITING


@dataclass
class ThreadSummary:
    """A thread as listed on a board: its stage, how much is planned, when it last moved."""

    id: int
    title: str | None
    organisation: str | None
    stage: str
    planned: int
    last: dt.datetime | None
    why: str | None


@dataclass
class Interaction:
    id: int
    thread_id: int
    kind: Kind
    at: dt.datetime
    contact_ids: tuple[int, ...]
    round: int = 1
    decision_by: dt.date | None = None
    promised_by: dt.date | None = None
    promised: str | None = None
    introducer_id: int | None = None
    time_sensitive: bool = False
    wants_card: bool = False
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class FollowUp:
    id: int
    thread_id: int
    contact_id: int
    rule: str
    purpose: Purpose
    channel: Channel
    nudge: bool
    not_before: dt.datetime
    due_by: dt.datetime
    why: str
    round: int = 1
    interaction_id: int | None = None
    parent_id: int | None = None
    suggested_at: dt.datetime | None = None
    status: Status = Status.PLANNED
    done_at: dt.datetime | None = None
    cancel_reason: str | None = None
    text: str | None = None
    promise: str | None = None  # purpose "promise": what the user promised ("send the deck")

    def state(self, now: dt.datetime) -> State:
        if now < self.not_before:
            return State.WAITING
        if now <= self.due_by:
            return State.DUE
        return State.OVERDUE

    @property
    def moment(self) -> dt.datetime:
        """When it happened, or when it is expected to: what the spacing guards compare."""
        if self.done_at is not None:
            return self.done_at
        return self.suggested_at or self.not_before


@dataclass
class Event:
    """Something the other side did: a reply, or an outcome."""

    id: int
    thread_id: int
    kind: str  # "reply" or "outcome"
    at: dt.datetime
    contact_id: int | None = None
    outcome: Outcome | None = None


@dataclass
class SeenMail:
    """A message matched to a thread: one the user sent, or one that came back from the other side."""

    message_id: str
    direction: str  # "sent" or "received"
    at: dt.datetime
    contact_id: int | None
    thread_id: int | None
    kind: str  # "sent"; "reply", "rejection", "later", "invitation"; "out-of-office", "bounce"
    followup_id: int | None = None  # the follow-up a sent message carried out
    subject: str = ""
    text: str = ""  # what they wrote above the quoted text (received), or what was sent
    until: dt.datetime | None = None  # "later": when to ask again; "out-of-office": when they are back
    said: str | None = None  # the words the reading rests on
    proposal: str | None = None  # what tactful proposes to record, for the user to accept or decline
    decision: str | None = None  # "proposed", "accepted" or "declined"


@dataclass
class MailAccount:
    """Where the user's mail is: an IMAP and an SMTP server, and which folders are Inbox and Sent."""

    user: str
    address: str | None
    imap_host: str
    imap_port: int
    imap_security: str  # "tls", "starttls" or "plain" (loopback only)
    smtp_host: str
    smtp_port: int
    smtp_security: str
    inbox: str
    sent: str
    connected_at: dt.datetime | None = None
    synced_at: dt.datetime | None = None
    daily_cap: int = 40  # the most messages sent in 24 hours
    digest: bool = False  # a morning e-mail to yourself of what is due
    digest_on: str | None = None  # the day (ISO date) it last went


@dataclass
class Outgoing:
    """A message in the outbox: what leaves, to whom, when, and how far it got."""

    followup_id: int
    message_id: str
    status: str  # "queued", "sending", "sent", "failed" or "cancelled"
    send_at: dt.datetime
    queued_at: dt.datetime
    recipient: str
    subject: str
    body: str
    raw: bytes
    error: str | None = None
    sent_at: dt.datetime | None = None
    filed: bool = False


@dataclass(frozen=True)
class Account:
    """One person on a team server: their follow-ups are theirs alone (see `tactful users`)."""

    id: int
    email: str
    admin: bool
    created_at: dt.datetime
    has_password: bool = False


@dataclass
class ThreadHistory:
    """Everything the planner may look at for one thread."""

    thread: Thread
    interactions: list[Interaction] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    contacts: dict[int, Contact] = field(default_factory=dict)

    @property
    def stage(self) -> ThreadStage:
        planned = sum(1 for f in self.followups if f.status is Status.PLANNED)
        return thread_stage(self.thread.closed, self.thread.dormant_at is not None, planned)

    def latest_interaction(self) -> Interaction | None:
        return max(self.interactions, key=lambda i: (i.at, i.id), default=None)

    def round_interactions(self) -> list[Interaction]:
        return [i for i in self.interactions if i.round == self.thread.round]

    def last_reply(self) -> dt.datetime | None:
        """When they last answered in this thread (None: never)."""
        return max((e.at for e in self.events if e.kind == "reply"), default=None)


def utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC; naive input is refused, as it would be ambiguous."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone first")
    return moment.astimezone(dt.UTC)


# -- names as people say them ---------------------------------------------------------------------

#: Letters that carry no accent to strip but are written plainly in English text.
_PLAIN_LETTERS = str.maketrans(
    dict(zip("øØłŁđĐðÐı", "oOlLdDdDi", strict=True))
    | {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "Th"}
)


def fold(text: str) -> str:
    """Text as names are compared: case, accents and spacing ignored ("Zoë Ødegaard" is "zoe odegaard")."""
    if text.isascii():
        return " ".join(text.lower().split())
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS).casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


_PLAIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _plain_name(name: str) -> tuple[str, list[str], str] | None:
    """A name of plain words (first, lower-case particles, last), none of the first and last a title,
    particle, conjunction or suffix: its first name, particles and last name."""
    words = name.split()
    if len(words) < 2 or not all(_PLAIN_WORD.fullmatch(w) for w in words):
        return None
    anywhere, last_only = _special_words()
    first, *particles, last = words
    if first.lower() in anywhere or last.lower() in anywhere or last.lower() in last_only:
        return None
    if not all(p.islower() and p in _particles() for p in particles):
        return None
    return first, particles, last


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.prefixes)


@lru_cache(maxsize=1)
def _special_words() -> tuple[frozenset[str], frozenset[str]]:
    """nameparser's titles, particles, conjunctions and bound first names; and its suffixes."""
    from nameparser.config import CONSTANTS

    anywhere = (CONSTANTS.titles, CONSTANTS.prefixes, CONSTANTS.conjunctions, CONSTANTS.bound_first_names)
    suffixes = (CONSTANTS.suffix_acronyms, CONSTANTS.suffix_not_acronyms)
    return frozenset(w for s in anywhere for w in s), frozenset(w for s in suffixes for w in s)


def name_keys(name: str) -> tuple[str, ...]:
    """What a person may be called by, folded: the full name, with and without a title or suffix, the
    first name, the last name (with and without its particles: "de la vega", "vega") and a nickname
    ("Robert (Bob) Smith" is also "bob")."""
    plain = _plain_name(name)
    if plain is not None:  # "Dana Whitfield", "Tomás de la Vega": what nameparser says, far sooner
        first, particles, last = plain
        surname = " ".join([*particles, last])
        return tuple(dict.fromkeys(fold(k) for k in (f"{first} {surname}", first, surname, last)))
    from nameparser import HumanName

    parsed = HumanName(name)
    first, middle, last = parsed.first, parsed.middle, parsed.last
    found = [name, " ".join(p for p in (first, middle, last) if p), f"{first} {last}", first, last]
    found += [parsed.nickname, last.split()[-1] if last.split() else ""]
    keys: dict[str, None] = {}
    for key in found:
        folded = fold(key.replace("|", " "))
        if folded:
            keys[folded] = None
    return tuple(keys)
