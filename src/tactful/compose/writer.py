"""Ready-to-send drafts: a message for every follow-up, on every channel.

:func:`compose` turns the :class:`Facts` of one planned follow-up (whom it is for, what the
conversation covered, the user's profile) into a :class:`Composed` draft: an email with its subject,
a LinkedIn note, talking points and a voicemail script for a call, or a handwritten card with the
date to post it by. It is pure: no storage, no clock, no output.

The phrasings come from :class:`~.phrasings.Templates`; a
:class:`~.phrasings.Chooser` picks one per element of the message, stably, so the same
follow-up always reads the same. The values they fill in are what the thread holds, read by
:class:`~.slots.Slots`. A draft is rendered, then checked: it must keep to its channel's
length, name the organisation and a topic of the conversation where the thread has them, and read
unlike the same follow-up to the thread's other people (interviewers compare notes). Until it does,
optional elements are dropped (the template's ``trim``) and other phrasings tried. Where a fact is
missing, the phrasings that need it are passed over, and :attr:`Composed.missing` says what the
draft wrote around.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache

from ..domain import LENGTH_LIMITS, LINKEDIN_FREE_LIMIT, MESSAGES, Channel, Purpose
from ..errors import InvalidInput
from . import names
from .facts import Composed, Facts, Ground
from .phrasings import GROUPS, Chooser, Part, Templates, labels_for
from .slots import Slots, fold

__all__ = ["LIMITS", "NUDGES", "Composed", "Facts", "Templates", "compose"]

#: Follow-ups whose point is to get an answer.
NUDGES = frozenset({Purpose.CHECK_IN, Purpose.APPLICATION_CHECK, Purpose.REMINDER, Purpose.CALL})
#: How long each part of a draft may be, in words; LinkedIn notes in characters (free accounts: 200).
LIMITS: Mapping[str, int] = {
    "email": LENGTH_LIMITS[Channel.EMAIL],
    "letter": LENGTH_LIMITS[Channel.LETTER],
    "voicemail": LENGTH_LIMITS[Channel.PHONE],
    "phone": LENGTH_LIMITS[Channel.PHONE],
    "linkedin": LENGTH_LIMITS[Channel.LINKEDIN],
}
_LINKEDIN_FREE = LINKEDIN_FREE_LIMIT
_ALIKE = 0.75  # two people of one thread get drafts less alike than this (the reviewer warns at 0.8)
_ATTEMPTS = 8  # phrasings tried per draft: half freely, half steered to what it must name
#: How many words of two drafts are compared for likeness: a message is shorter, and the work of
#: the comparison grows with the product of the two lengths.
COMPARED_WORDS = 400
_WORD = re.compile(r"(?<!\S)\S*?[^\W_]\S*")  # a run with a letter or digit; tried at run starts only
_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _default_templates() -> Templates:
    return Templates()


def compose(facts: Facts, templates: Templates | None = None) -> Composed:
    """The draft for one follow-up, ready to send as it is (a reminder to yourself has none)."""
    if facts.purpose not in MESSAGES:
        raise InvalidInput(f"a {facts.purpose.value} has nothing to send, so nothing to draft")
    writer = _Writer(facts, templates or _default_templates(), {})
    channel, recipient = facts.channel, facts.recipient
    missing = list(writer.missing)
    subject = voicemail = post_by = None
    if channel is Channel.EMAIL:
        subject, body = writer.email()
        to, lacking = recipient.email, "their email address"
    elif channel is Channel.LETTER:
        body, post_by = writer.letter(), writer.post_by()
        to, lacking = None, None
    elif channel is Channel.LINKEDIN:
        body = writer.linkedin()
        to, lacking = recipient.linkedin, "their LinkedIn profile"
    else:
        body, voicemail = writer.talking_points(), writer.voicemail()
        to, lacking = recipient.phone, "their phone number"
        if not facts.profile.phone:
            missing.append("your phone number (for them to call back)")
    if lacking and not to:
        missing.insert(0, lacking)
    return Composed(
        channel,
        to or None,
        subject,
        body,
        voicemail,
        post_by,
        tuple(dict.fromkeys(missing)),
        prompts=tuple(writer.prompts()),
        grounds=tuple(writer.grounds),
    )


#: The facts that make a purpose's message theirs, and the parts that use one when any is known: a
#: reconnect reminds them where you met, a close-the-loop names who you met, a keep-in-touch asks
#: about their work.
_WANTED: dict[Purpose, tuple[frozenset[str], frozenset[str]]] = {
    Purpose.RECONNECT: (frozenset({"met_at"}), frozenset({"opener", "thanks"})),
    Purpose.LINKEDIN_CONNECT: (frozenset({"met_at"}), frozenset({"opener", "thanks"})),
    Purpose.CLOSE_THE_LOOP: (frozenset({"contact", "contact_first"}), frozenset({"thanks", "news"})),
    Purpose.KEEP_IN_TOUCH: (frozenset({"topic", "org"}), frozenset({"question"})),
}
#: Rules that answer an outcome, and the situation their phrasings are written for.
_OUTCOME_RULE = {"outcome.offer.thank-you": "offer", "outcome.won.thank-you": "won"}


def _before_the_outcome(facts: Facts) -> bool:
    """What a thank-you says about the conversation and the fit, it says before the decision only."""
    return facts.rule not in _OUTCOME_RULE


#: Elements written only in some situations.
_GATES: Mapping[str, Callable[[Facts], bool]] = {
    "urgency": lambda facts: facts.time_sensitive,
    "qualification": _before_the_outcome,
    "point": _before_the_outcome,
    "point_org": _before_the_outcome,
    "others": _before_the_outcome,
}
#: Slots whose words keep their capital at the start of a LinkedIn note's first sentence.
_PROPER = ("org", "title", "topic", "topic2", "introducer", "contact", "user", "user_first", "skill", "role")
_METHODS = {"email": "email", "letter": "letter", "linkedin": "linkedin", "phone": "talking_points"}

_Build = Callable[[frozenset[str]], str]
_Measure = Callable[[str], int]


class _Writer:
    """Writes the parts of one draft."""

    def __init__(self, facts: Facts, templates: Templates, drafted: dict[tuple[str, str], str]) -> None:
        self.facts, self.templates = facts, templates
        self.drafted = drafted  # (person, section) -> text, for the thread's people drafted so far
        self.slots = slots = Slots(facts, facts.purpose in NUDGES)
        self.name, self.people, self.rank = slots.name, slots.people, slots.rank
        keys = [key for key, _ in self.people]
        situations = []
        if facts.purpose is Purpose.GRACIOUS_CLOSE or facts.rule.startswith("rejection."):
            situations.append("rejected")
        if outcome := _OUTCOME_RULE.get(facts.rule):  # a thank-you for an offer, or for a deal won
            situations.append(outcome)
        if facts.purpose in NUDGES and any(p in NUDGES for p, _ in facts.already_sent):
            situations.append("again")
        self.labels = labels_for(facts.kind, tuple(situations))
        self.values = slots.values
        groups = slots.needs()
        self.need_texts = tuple(texts for _, texts in groups)
        seed = "|".join((facts.purpose, facts.channel, fold(facts.organisation or ""), *keys))
        self.chooser = Chooser(seed, self.rank, self.values.keys(), tuple(slots for slots, _ in groups))
        event = self.chooser.pick(templates.events(facts.kind), "event")
        self.values["event"] = event.render(self.values) if event else "our conversation"
        self.missing = slots.missing()
        self.avoid: list[str] = []  # texts of the same follow-up to the thread's other people
        self.sent = " ".join(fold(text) for text in facts.sent_texts)
        self._trace: list[Ground] = []  # the pieces of the rendering under way
        self.grounds: list[Ground] = []  # the pieces of the draft as written

    # -- phrasings ---------------------------------------------------------------------------------

    def _phrase(self, section: str, key: str, optional: bool = False) -> str | None:
        gate = _GATES.get(key)
        if gate is not None and not gate(self.facts):
            return None
        variants = self.templates.phrasings(self.facts.purpose, section, key, self.labels)
        if self.sent:  # never repeat a sentence of what already went out in the thread
            variants = (
                tuple(v for v in variants if fold(v.render_known(self.values)) not in self.sent) or variants
            )
        if self.avoid and not self.chooser.steering:  # say it unlike the thread's other people were told
            known = [v for v in variants if v.slots <= self.values.keys()]
            unseen = tuple(v for v in known if not any(fold(v.render(self.values)) in t for t in self.avoid))
            variants = unseen or variants
        wanted, keys = _WANTED.get(self.facts.purpose, (frozenset(), frozenset()))
        theirs = wanted & self.values.keys()
        if key in keys and theirs:  # what makes it theirs: where you met, who you met, what about
            variants = tuple(v for v in variants if v.slots & theirs) or variants
        chosen = self.chooser.pick(variants, f"{section}.{key}", optional)
        if chosen is None:
            return None
        text = chosen.render(self.values)
        text = text[:1].upper() + text[1:]
        self._trace.append(Ground(text, chosen.slots))
        return text

    def _element(self, section: str, part: Part, dropped: frozenset[str]) -> str | None:
        if dropped & set(part.keys):
            return None
        for key in part.keys:
            if (text := self._phrase(section, key, part.optional)) is not None:
                return text
        return None

    def _sentences(self, section: str, dropped: frozenset[str]) -> list[list[str]]:
        """The paragraphs of a message, each a list of sentences; a promise kept since the last
        message follows the first."""
        paragraphs = []
        for parts in self.templates.parts(self.facts.purpose, section):
            if sentences := [s for p in parts if (s := self._element(section, p, dropped)) is not None]:
                paragraphs.append(sentences)
        if self.facts.kept and paragraphs:
            kept = self._kept(section)
            if len(paragraphs) > 1:  # a paragraph of its own, after the opening one
                paragraphs.insert(1, [kept])
            else:  # one run of sentences (a note, points, a voicemail): after the first
                paragraphs[0].insert(min(2 if section == "voicemail" else 1, len(paragraphs[0])), kept)
        return paragraphs

    def _kept(self, section: str) -> str:
        """The promises kept, said once: "As promised, I sent you the deck." Only what the user
        logged as promised and marked done."""
        promises = self.facts.kept
        if section == "phone":
            quoted = names.join([f"\u201c{p}\u201d" for p in promises])
            text = f"Say that what you promised is done ({quoted})."
        else:
            done = [names.kept(p) for p in promises]
            if all(done):
                text = f"As promised, I {names.join([d for d in done if d])}."
            else:
                text = f"Done, as promised: {names.join(list(promises))}."
        self._trace.append(Ground(text, frozenset({"kept"})))
        return text

    # -- fitting: length, what it names, and how it differs from the others' ------------------------

    def _fit(
        self, section: str, build: _Build, limit: int, measure: _Measure, last: tuple[str, ...] = ()
    ) -> str:
        """The first rendering that fits, names what it must and reads unlike the drafts to the
        thread's other people; failing that, the one that comes closest."""
        trim = (*self.templates.trim(self.facts.purpose, section), *last)
        earlier = self._earlier(section)
        self.avoid = [fold(text) for _, text in earlier]
        best: tuple[tuple[bool, bool, int], str, list[Ground]] | None = None
        for attempt in range(_ATTEMPTS):
            self.chooser.attempt, self.chooser.steering = attempt, attempt >= _ATTEMPTS // 2
            for cut in range(len(trim) + 1):
                self.chooser.used = frozenset()
                self._trace = []
                text = build(frozenset(trim[:cut]))
                size = measure(text)
                score = (size <= limit, self._distinct(text, earlier), self._covered(text))
                if best is None or score > best[0]:
                    best = (score, text, self._trace)
                if score == (True, True, len(self.need_texts)):
                    break
            else:
                continue
            break
        self.chooser.attempt, self.chooser.steering, self.avoid = 0, False, []
        assert best is not None
        self.drafted[(fold(self.facts.recipient.name), section)] = best[1]
        self.grounds.extend(best[2])
        self._trace = []
        return best[1]

    def _covered(self, text: str) -> int:
        folded = fold(text)
        return sum(any(fold(t) in folded for t in texts) for texts in self.need_texts)

    def _earlier(self, section: str) -> list[tuple[frozenset[str], str]]:
        """The same follow-up as drafted for the thread's people who come before this one (with
        the words of both names, which do not count): this draft must not read like theirs."""
        f, earlier = self.facts, []
        for key, name in self.people[: self.rank]:
            if (key, section) not in self.drafted:
                others = tuple(n for k, n in self.people if k != key)
                twin = replace(f, recipient=replace(f.recipient, name=name), other_people=others)
                getattr(_Writer(twin, self.templates, self.drafted), _METHODS.get(section, section))()
            both = frozenset(_TOKEN.findall(f"{name} {f.recipient.name}".lower()))
            earlier.append((both, self.drafted[(key, section)]))
        return earlier

    @staticmethod
    def _distinct(text: str, earlier: list[tuple[frozenset[str], str]]) -> bool:
        from difflib import SequenceMatcher

        for both, other in earlier:  # the first words are enough to tell, and bound the work
            mine = ["" if w in both else w for w in _TOKEN.findall(text.lower())[:COMPARED_WORDS]]
            theirs = ["" if w in both else w for w in _TOKEN.findall(other.lower())[:COMPARED_WORDS]]
            if SequenceMatcher(None, mine, theirs, autojunk=False).ratio() >= _ALIKE:
                return False
        return True

    # -- what only the user can add -----------------------------------------------------------------

    def prompts(self) -> list[str]:
        """What the draft leaves to the user's own words, to ask for beside it: never made up inside it."""
        f, v, purpose = self.facts, self.values, self.facts.purpose
        asks = []
        if f.questions and purpose in (Purpose.THANK_YOU, Purpose.RECAP, Purpose.HANDWRITTEN_NOTE):
            question = v.get("question") or f.questions[0]
            asks.append(
                f"They asked \u201c{question}\u201d: if you have a better answer now, add it in a sentence or two."
            )
        personal = (Purpose.THANK_YOU, Purpose.HANDWRITTEN_NOTE, Purpose.RECONNECT, Purpose.GRACIOUS_CLOSE)
        if purpose in personal and "topic" not in v:
            asks.append("Add one specific thing from the conversation, so it reads as written for them.")
        if purpose is Purpose.RECONNECT and "met_at" not in v:
            asks.append("Say where you met, so they can place you.")
        if f.rule == "outcome.offer.thank-you":
            asks.append(
                "Say when you will give your answer, if you know; and ask anything you need to decide."
            )
        if f.rule == "outcome.won.thank-you":
            asks.append("Add the first step you agreed, with its date, if there is one.")
        if purpose is Purpose.RECAP and f.decision_by is None:
            asks.append("Add the next step you agreed, with its date, if there is one.")
        if purpose is Purpose.CHECK_IN:
            asks.append("If you have something useful to share (an article, a result), add a line about it.")
        if purpose is Purpose.THANKS_FOR_HELP:
            asks.append("Say what difference their help made.")
        if purpose is Purpose.REMINDER and f.time_sensitive:
            asks.append("Give the reason the timing matters, in a few words.")
        if purpose is Purpose.KEEP_IN_TOUCH:
            asks.append(
                "Add the one thing worth sharing (a piece of news, an article, an offer of help); "
                "a keep-in-touch note asks them for nothing."
            )
        if purpose is Purpose.CLOSE_THE_LOOP:
            asks.append("Say in a sentence how it went, and what comes next, if anything.")
        if purpose is Purpose.INTRODUCE_YOURSELF and "skills" not in v:
            asks.append("Add a sentence on who you are and what you work on.")
        return asks

    # -- channels -----------------------------------------------------------------------------------

    def _greeting(self, section: str) -> str:
        formal = self.name.title or GROUPS[self.facts.kind] in ("job", "deal")
        key = "greeting" if section == "linkedin" else ("greeting_formal" if formal else "greeting_informal")
        return self._phrase(section, key) or f"Dear {self.values['name']},"

    def _signature(self) -> list[str]:
        signature = (self.facts.profile.signature or "").strip()
        lines = [line.rstrip() for line in signature.splitlines()]
        user = self.values.get("user")
        return [user, *lines] if user and fold(user) not in fold(signature) else lines

    def _written(self, section: str, dropped: frozenset[str]) -> str:
        greeting = self._greeting(section)
        paragraphs = [" ".join(p) for p in self._sentences(section, dropped)]
        closing = self._phrase(section, "closing") or "Best regards,"
        return "\n\n".join([greeting, *paragraphs]) + "\n\n" + "\n".join([closing, *self._signature()])

    @staticmethod
    def _words_to_closing(text: str) -> int:
        """Words up to and including the closing line: the signature is not counted."""
        head, _, tail = text.rpartition("\n\n")
        return len(_WORD.findall(head)) + len(_WORD.findall(tail.split("\n", 1)[0]))

    def email(self) -> tuple[str, str]:
        body = self._fit(
            "email", lambda d: self._written("email", d), LIMITS["email"], self._words_to_closing
        )
        self.chooser.used = frozenset()
        self._trace = []
        subject = self._phrase("email", "subject") or "Following up"
        self.grounds.extend(self._trace)
        return subject.rstrip("."), body

    def letter(self) -> str:
        return self._fit(
            "letter", lambda d: self._written("letter", d), LIMITS["letter"], self._words_to_closing
        )

    def linkedin(self) -> str:
        limit = _LINKEDIN_FREE if self.facts.profile.linkedin_free else LIMITS["linkedin"]

        def build(dropped: frozenset[str]) -> str:
            greeting = self._greeting("linkedin")
            sentences = [s for p in self._sentences("linkedin", dropped) for s in p]
            if sentences and not self._opens_with_name(sentences[0]):
                sentences[0] = sentences[0][:1].lower() + sentences[0][1:]  # "Hi Priya, thank you..."
            signoff = None if "signoff" in dropped else self._phrase("linkedin", "signoff")
            return " ".join([greeting, *sentences, *([signoff] if signoff else [])])

        return self._fit("linkedin", build, limit, lambda text: len(text.strip()), ("signoff",))

    def _opens_with_name(self, sentence: str) -> bool:
        first = re.split(r"[\s,.;:'\u2019]", sentence, maxsplit=1)[0]
        if first == "I" or (len(first) > 1 and first.isupper()):
            return True
        return first in {w for k in _PROPER for w in self.values.get(k, "").split()}

    def talking_points(self) -> str:
        def build(dropped: frozenset[str]) -> str:
            opening = self._phrase("phone", "opening") or f"Hi {self.values['name']}."
            points = [s for p in self._sentences("phone", dropped) for s in p]
            return "\n".join([opening, *(f"- {point}" for point in points)])

        return self._fit("phone", build, LIMITS["phone"], lambda text: len(_WORD.findall(text)))

    def voicemail(self) -> str:
        def build(dropped: frozenset[str]) -> str:
            return " ".join(s for p in self._sentences("voicemail", dropped) for s in p)

        return self._fit("voicemail", build, LIMITS["voicemail"], lambda text: len(_WORD.findall(text)))

    def post_by(self) -> dt.date:
        """The day to post a card by: the follow-up's due date, else the next weekday."""
        if self.facts.due_by is not None:
            return self.slots.local(self.facts.due_by)
        day = self.slots.local(self.facts.interaction_at) + dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day
