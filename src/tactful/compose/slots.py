"""What the thread holds, as the values the templates fill in.

:class:`Slots` reads the :class:`~.facts.Facts` of one follow-up into the values of the
templates' slots: whom to greet (``name``), the organisation and the opportunity (``org``,
``title``, ``target``), the topics and the open question of the conversation, the others in the
thread, the user's skills that meet the thread's need, dates. A slot the thread has nothing for is
left out, and the phrasings that need it are passed over. It also says what a draft must name
(:meth:`Slots.needs`) and, where the thread lacks it, what the draft wrote around
(:meth:`Slots.missing`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..domain import Purpose
from . import names
from .phrasings import GROUPS

if TYPE_CHECKING:
    from .facts import Facts

__all__ = ["Slots", "fold"]

#: What each purpose would name, to list as missing when the thread lacks it.
_WANTS: Mapping[Purpose, tuple[str, ...]] = {
    Purpose.THANK_YOU: ("org", "title", "topic", "skill"),
    Purpose.RECAP: ("topic", "org", "title"),
    Purpose.CHECK_IN: ("org", "title", "topic"),
    Purpose.APPLICATION_CHECK: ("org", "title", "skill"),
    Purpose.RECONNECT: ("topic", "org"),
    Purpose.THANK_INTRODUCER: ("contact", "topic"),
    Purpose.INTRODUCE_YOURSELF: ("introducer", "skill", "topic", "org", "role"),
    Purpose.REMINDER: ("offer",),
    Purpose.LINKEDIN_CONNECT: ("topic", "org"),
    Purpose.HANDWRITTEN_NOTE: ("topic", "org", "title"),
    Purpose.CALL: ("org", "title", "topic"),
    Purpose.GRACIOUS_CLOSE: ("org", "title"),
    Purpose.THANKS_FOR_HELP: ("offer",),
    Purpose.CLOSE_THE_LOOP: ("contact",),
    Purpose.KEEP_IN_TOUCH: ("topic", "org"),
}
_MISSING = {
    "org": "the organisation",
    "title": "the opportunity (a job title or deal)",
    "topic": "a topic from the conversation",
    "skill": "your skills (profile --skills)",
    "contact": "the person you were introduced to",
    "introducer": "who introduced you",
    "offer": "what they offered to help with",
    "role": "their role",
}
_JOB_ONLY = frozenset({"skill", "title"})  # wanted only where the thread is about a job
_STOP = frozenset(
    {"about", "after", "with", "from", "that", "this", "what", "your", "their", "have", "would"}
)
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """The text as compared: case folded, runs of white space made one space."""
    return " ".join(text.casefold().split())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _keywords(text: str) -> set[str]:
    """The telling words of a text, to match skills to topics and questions."""
    found = set()
    for word in _TOKEN.findall(text.lower()):
        if len(word) >= 4 and word not in _STOP:
            found.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return found


class Slots:
    """The slot values of one draft: ``values`` maps each slot the thread fills to its text.

    ``people`` are the thread's people as (folded name, name), sorted; ``rank`` is the recipient's
    place among them, so each of them is drafted a different topic first. ``nudge`` is true for a
    follow-up whose point is to get an answer (it goes out later after the interaction).
    """

    def __init__(self, facts: Facts, nudge: bool) -> None:
        self.facts, self.nudge = facts, nudge
        self.zone = ZoneInfo(facts.tz)
        self.name = names.parse_name(facts.recipient.name)
        self.people = sorted(
            {fold(n): n for n in (facts.recipient.name, *facts.other_people) if n.strip()}.items()
        )
        keys = [key for key, _ in self.people]
        me = fold(facts.recipient.name)
        self.rank = keys.index(me) if me in keys else 0
        self.job = GROUPS[facts.kind] == "job"
        self.values = self._values()

    def local(self, moment: dt.datetime) -> dt.date:
        """The calendar date of a moment in the user's time zone."""
        return moment.astimezone(self.zone).date()

    def _reference(self) -> dt.date:
        """The day the message goes out, as near as the facts tell."""
        if self.facts.sending is not None:
            return self.local(self.facts.sending)
        if self.facts.due_by is not None:
            return self.local(self.facts.due_by)
        return self.local(self.facts.interaction_at) + dt.timedelta(days=5 if self.nudge else 1)

    def _values(self) -> dict[str, str]:
        f, profile = self.facts, self.facts.profile
        happened, sent, country = self.local(f.interaction_at), self._reference(), profile.country
        values = {
            "name": self.name.address or "there",
            "day": names.day_name(happened, sent, country),
            "when": names.when(happened, sent, country),
        }
        org, title = _clean(f.organisation or f.recipient.organisation), _clean(f.opportunity)
        topics = [names.topic(t) for t in f.topics if names.topic(t)]
        if org:
            values["org"] = org
        if title:
            values["title"] = title
            values["opportunity"] = names.opportunity(title, self.job)
            values["target"] = values["opportunity"] + (
                f"{' at ' if self.job else ' with '}{org}" if org else ""
            )
        elif org and self.job:
            values["target"] = f"the role at {org}"
        if met_at := names.met_at(f.note):
            values["met_at"] = met_at
        if topics:
            values["topic"] = topics[self.rank % len(topics)]
            if len(topics) > 1:
                values["topic2"] = topics[(self.rank + 1) % len(topics)]
            values["topics"] = names.join(topics[:4])
        if f.promised and f.promised.strip():
            values["offer"] = names.offer(f.promised)
        if f.decision_by is not None:
            passed = f.decision_by < self._reference()
            values["decision_past" if passed else "decision_next"] = names.long_date(f.decision_by)
        if f.promised_by is not None:
            values["promised_date"] = names.long_date(f.promised_by)
        if role := _clean(f.recipient.role):
            values["role"] = role
        if user := _clean(profile.name):
            values["user"] = names.parse_name(user).plain
            values["user_first"] = names.parse_name(user).familiar
        for slot, text in (("user_phone", profile.phone), ("user_email", profile.email)):
            if text and text.strip():
                values[slot] = text.strip()
        self._people(values)
        self._skills(values, topics)
        return values

    def _question(self) -> str | None:
        """The open question to answer: one naming this recipient, else the first naming no one else."""
        mine = names.parse_name(self.facts.recipient.name)
        me = _keywords(f"{mine.familiar} {mine.last}")
        others = {w for n in self.facts.other_people for w in _keywords(names.parse_name(n).familiar)} - me
        chosen = None
        for question in (_clean(q) for q in self.facts.questions if q.strip()):
            words = _keywords(question)
            if words & me:
                return question
            if chosen is None and not words & others:
                chosen = question
        return chosen

    def _people(self, values: dict[str, str]) -> None:
        f = self.facts
        me, intro = fold(f.recipient.name), fold(f.introducer.name) if f.introducer else ""
        others = [n for n in f.other_people if n.strip() and fold(n) not in (me, intro)]
        if others:
            values["others"] = names.join([names.parse_name(n).familiar for n in others[:2]])
            values["contact"] = names.parse_name(others[0]).plain
            values["contact_first"] = names.parse_name(others[0]).familiar
        if f.introducer is not None and f.introducer.name.strip() and intro != me:
            values["introducer"] = names.parse_name(f.introducer.name).plain
        if (question := self._question()) is not None:
            values["question"] = question
            if question.endswith("?"):
                values["asked"] = f"You asked, \u201c{question}\u201d"
            else:
                values["asked"] = f"You asked about {question.rstrip('.')}."

    def _skills(self, values: dict[str, str], topics: list[str]) -> None:
        """The user's skills that meet the thread's need (its topics, questions, opportunity and their
        role), best first, and one that answers the question. A skill the thread gives no reason to
        mention is left out: it would read as boilerplate."""
        skills = [_clean(s) for s in self.facts.profile.skills if s.strip()]
        f = self.facts
        need = _keywords(" ".join((*topics, *f.questions, f.opportunity or "", f.recipient.role or "")))
        relevant = sorted((s for s in skills if _keywords(s) & need), key=lambda s: -len(_keywords(s) & need))
        if not relevant:
            return
        values["skill"], values["skills"] = relevant[0], names.join(relevant[:2])
        asked = _keywords(values.get("question", ""))
        if answering := [s for s in skills if _keywords(s) & asked]:
            values["answer_skill"] = answering[0]

    def needs(self) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """What the draft must name (the organisation, a topic; else the opportunity): the slots
        that name each, and the texts that show it was named."""
        v, groups = self.values, list[tuple[frozenset[str], tuple[str, ...]]]()
        # Writing to "Northwind hiring team", the organisation is in the greeting: the role is what
        # shows the message is about this application.
        team = "org" in v and fold(v["org"]) in fold(self.facts.recipient.name)
        if "org" in v and not team:
            groups.append((frozenset({"org", "target"}), (v["org"],)))
        if "topic" in v:
            groups.append((frozenset({"topic", "topic2", "topics"}), tuple(self.facts.topics)))
        if not groups and "title" in v:
            groups.append((frozenset({"title", "opportunity", "target"}), (v["title"],)))
        return groups

    def missing(self) -> list[str]:
        """What the draft wrote around: the facts its purpose would name that the thread lacks."""
        wanted = _WANTS[self.facts.purpose]
        lacking = [_MISSING[w] for w in wanted if w not in self.values and (self.job or w not in _JOB_ONLY)]
        if "user" not in self.values:
            lacking.insert(0, "your name (profile --name)")
        if not self.name.full:
            lacking.insert(0, "their name")
        return lacking
