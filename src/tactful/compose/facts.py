"""What a draft is made from, and what it comes out as: the composer's two words.

:class:`Facts` holds everything the thread knows that one follow-up's draft may use; :class:`Composed`
is the draft. A leaf: the composer's other modules import it, and it imports none of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain import Channel, Contact, Kind, Profile, Purpose


@dataclass(frozen=True)
class Facts:
    """Everything a draft may draw on. Dates are calendar dates in the user's time zone ``tz``."""

    purpose: Purpose
    channel: Channel
    rule: str
    kind: Kind  # the interaction the follow-up comes from
    recipient: Contact
    organisation: str | None  # the thread's
    opportunity: str | None  # the thread's title: a job title or a deal
    interaction_at: dt.datetime
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()  # open questions from the conversation
    note: str | None = None
    promised: str | None = None  # the help someone offered
    promised_by: dt.date | None = None
    decision_by: dt.date | None = None
    introducer: Contact | None = None
    other_people: tuple[str, ...] = ()  # the others in the thread, such as the other interviewers
    already_sent: tuple[tuple[str, str], ...] = ()  # (purpose, channel) sent in this thread
    time_sensitive: bool = False
    due_by: dt.datetime | None = None
    sending: dt.datetime | None = None  # when the message goes out: what "today" and "yesterday" count from
    sent_texts: tuple[str, ...] = ()  # what was already sent in this thread, never to be repeated
    kept: tuple[str, ...] = ()  # what the user promised the recipient and has done since last writing
    profile: Profile = field(default_factory=Profile)
    tz: str = "UTC"


@dataclass(frozen=True)
class Ground:
    """One piece of a draft and what it rests on: the slots (facts of the thread) its phrasing fills.

    A piece that fills none is a plain courtesy ("Thank you for your time.")."""

    text: str
    slots: frozenset[str]


@dataclass(frozen=True)
class Composed:
    """A draft: ``body`` is the message (for phone, the talking points; ``voicemail``, the script)."""

    channel: Channel
    to: str | None  # the address on the channel, when known
    subject: str | None  # email only
    body: str
    voicemail: str | None = None  # phone only
    post_by: dt.date | None = None  # letter only: the day to post the card by
    missing: tuple[str, ...] = ()  # facts the draft wrote around
    prompts: tuple[str, ...] = ()  # what only the user can add, to ask for beside the draft
    grounds: tuple[Ground, ...] = ()  # every piece of the text, with the facts it rests on

    def to_text(self) -> str:
        """The draft as one text: mail-style for email, the script after the points for phone."""
        if self.channel is Channel.EMAIL:
            return f"Subject: {self.subject or ''}\n\n{self.body}"
        if self.channel is Channel.PHONE and self.voicemail:
            return f"{self.body}\n\nVoicemail:\n{self.voicemail}"
        return self.body
