"""The reviewer's checks of a draft against its thread: names, organisation, timing, cap, channel, copies.

They hold the draft up to what the context knows: whom and which organisation it should name, when
it may go out, how many follow-ups went before it, which other channels reached them lately and what
went to others at the same organisation.

Each check takes the :class:`~.document.Document` the reviewer made of a draft and yields the
findings it makes; one that needs a part of the context the caller did not give stays silent.
:data:`.reviewer.CHECKS` gathers them with the others, in the spec's order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..domain import Channel
from .document import Document, fold, tokens
from .model import Draft, Finding, ReviewContext

__all__ = ["duplicate", "multi_channel", "no_address", "over_cap", "timing", "wrong_company", "wrong_name"]

_CAPITALISED = r"[A-Z][\w'-]*"
_VOCATIVE = re.compile(
    rf"(?:^|(?<=[.!?])\s)[ \t]*(?P<a>{_CAPITALISED})(?=,)"  # "Marcus, I wanted to..."
    rf"|,[ \t]+(?P<b>{_CAPITALISED})(?=[ \t]*(?:[,.!?;]|$))"  # "...speaking with you, Marcus."
    rf"|\b(?i:thanks|thank you|hi|hello|dear)[ \t,]+(?P<c>{_CAPITALISED})",
    re.MULTILINE,
)
#: A noun phrase before a comma ("your colleague,", "the hiring manager,"): the name after it is in
#: apposition, not addressed.
_APPOSITION = re.compile(r"\b(?i:your|our|my|their|his|her|the)(?:[ \t]+[\w'-]+){1,3}[ \t]*$")
_ORG_SUFFIX = re.compile(
    r"[ ,]+(?:inc|ltd|llc|plc|gmbh|corp|corporation|co|company|limited|group|sa|ag|bv)\.?$", re.IGNORECASE
)


def wrong_name(doc: Document) -> Iterator[Finding]:
    recipient = doc.context.recipient_name
    addressed: list[tuple[str, int, bool]] = []
    if doc.greeting is not None and doc.greeting.names:
        names = doc.greeting.names
        in_greeting = not recipient or any(doc.addresses_recipient(n) for n in names)
        addressed += [(n, doc.greeting.start, not in_greeting and i == 0) for i, n in enumerate(names)]
    ctx = doc.context
    mentioned = {
        fold(w) for t in (*ctx.topics, *ctx.notes, ctx.role or "") for w in tokens(t) if w[0].isupper()
    }
    for match in _VOCATIVE.finditer(doc.prose):
        group = next(g for g in ("a", "b", "c") if match[g])
        if group == "a" and _after_title_mid_sentence(doc.prose, match.start(group)):
            continue  # "...my CV to Ms. Fujimoto, and...": a mention, not an address
        if (
            group == "b"
            and fold(match[group]) in mentioned
            and _APPOSITION.search(doc.prose, max(0, match.start() - 80), match.start())
        ):
            continue  # "introduce me to your colleague, Dana.": someone the thread's notes name, not addressed
        addressed.append((match[group], match.start(group), False))
    if (turn := _greets_recipient_later(doc)) is not None:
        # "Erik, thank you for connecting us (moving you to bcc). / Hi Maja,": the introducer is
        # thanked first, then the message turns to them.
        addressed = [entry for entry in addressed if entry[1] >= turn]
    seen: set[str] = set()
    for name, start, stranger in addressed:
        key = fold(name)
        if key in seen or doc.addresses_recipient(name):
            continue
        seen.add(key)
        if key in doc.other_parts:
            message = (
                f"'{name}' is {doc.other_parts[key]}, but this message is for {recipient or 'someone else'}."
            )
        elif recipient and doc.looks_like_recipient(name):
            message = f"'{name}' looks like a misspelling of {recipient}'s name."
        elif stranger:
            message = f"The greeting names '{name}', but this message is for {recipient}."
        else:
            continue
        yield doc.finding("wrong-name", message, start, start + len(name))


_TITLE_BEFORE = re.compile(r"(?i:\b(?:mr|mrs|ms|mx|dr|prof)\.)[ \t]*$")


def _after_title_mid_sentence(text: str, pos: int) -> bool:
    """The name at `pos` follows a title ("Ms. Fujimoto") that does not itself open a sentence."""
    title = _TITLE_BEFORE.search(text, max(0, pos - 12), pos)
    if title is None:
        return False
    before = text[: title.start()].rstrip(" \t\"'([")
    return bool(before) and before[-1] not in ".!?:\n"


def _greets_recipient_later(doc: Document) -> int | None:
    """Where a greeting line to the recipient starts, when it comes after an opening line addressed
    to someone else; None otherwise."""
    if doc.greeting is None or not doc.context.recipient_name:
        return None
    if any(doc.addresses_recipient(n) for n in doc.greeting.names):
        return None
    words = doc.phrases.pattern("greeting", "words")
    offset = doc.greeting.end
    for line in doc.prose[doc.greeting.end :].split("\n")[:6]:
        stripped = line.lstrip()
        start = offset + len(line) - len(stripped)
        offset += len(line) + 1
        if not stripped:
            continue
        if (found := words.match(stripped)) and any(
            doc.addresses_recipient(w.strip(",:!.")) for w in stripped[found.end() :].split()[:3]
        ):
            return start
    return None


def _org_forms(org: str) -> list[str]:
    core = _ORG_SUFFIX.sub("", org.strip())
    return [form for form in dict.fromkeys((org.strip(), core)) if len(form) >= 2]


def _org_pattern(form: str) -> re.Pattern[str]:
    flags = 0 if any(ch.isupper() for ch in form) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)


def wrong_company(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    own = ctx.recipient_org or ""
    others = [org for org in ctx.other_orgs if org.strip() and fold(org) != fold(own)]
    if not others:
        return
    # The thread's own words: an organisation they name ("introduce me to the hiring manager at
    # Globex") is rightly mentioned.
    thread = "\n".join((*ctx.topics, *ctx.notes, ctx.role or ""))
    text, subject = doc.tone, doc.draft.subject or ""
    for form in _org_forms(own) if own else []:
        pattern = re.compile(re.escape(form), re.IGNORECASE)
        text, subject, thread = (pattern.sub(lambda m: " " * len(m[0]), t) for t in (text, subject, thread))
    for org in others:
        if any(_org_pattern(form).search(thread) for form in _org_forms(org)):
            continue
        for form in _org_forms(org):
            pattern = _org_pattern(form)
            message = f"Mentions {org}, but this thread is with {own or 'another organisation'}."
            if match := pattern.search(subject):
                yield doc.finding("wrong-company", message, excerpt=doc.draft.subject or match[0])
                break
            if match := pattern.search(text):
                yield doc.finding("wrong-company", message, match.start(), match.end())
                break


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    """A moment, and how far it is from now: Thu 05 Mar 2026 14:00 UTC-05:00 (in 2 days)."""
    hours = abs((moment - now).total_seconds()) / 3600
    span = f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"
    relative = f"in {span}" if moment > now else f"{span} ago"
    return f"{moment:%a %d %b %Y %H:%M} {moment:%Z}".strip() + f" ({relative})"


def _aware(moment: dt.datetime) -> dt.datetime:
    """Naive times are taken as UTC, so that they compare with aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def timing(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if ctx.now is None:
        return
    now = _aware(ctx.now)
    opens = None if ctx.not_before is None else _aware(ctx.not_before)
    closed = None if ctx.due_by is None else _aware(ctx.due_by)
    if opens is not None and now < opens:
        message = f"Too soon: the window for it opens {_when(opens, now)}; sending now can look pushy."
        yield doc.finding("too-soon", message)
    elif closed is not None and now > closed:
        message = f"Late: the window closed {_when(closed, now)}. Still send it; no long apology."
        yield doc.finding("late", message)


def over_cap(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if ctx.nudge and ctx.cap is not None and ctx.nudges_sent >= ctx.cap:
        times = {1: "once", 2: "twice"}.get(ctx.nudges_sent, f"{ctx.nudges_sent} times")
        yield doc.finding("over-cap", f"You have already followed up {times} in this thread: give them room.")


_CHANNEL_NAMES = {"email": "email", "phone": "phone", "linkedin": "LinkedIn", "letter": "letter"}


def multi_channel(doc: Document) -> Iterator[Finding]:
    if channels := doc.context.other_channel_recently:
        used = " and ".join(_CHANNEL_NAMES.get(c, c) for c in dict.fromkeys(channels))
        message = f"You reached them by {used} within the last 2 business days: one channel at a time."
        yield doc.finding("multi-channel", message)


#: How many words of two messages are compared for likeness: a message is shorter, and the work of
#: the comparison grows with the product of the two lengths.
COMPARED_WORDS = 400


def _comparable(doc: Document, names: frozenset[str]) -> list[str]:
    return ["<name>" if fold(w) in names else w.lower() for w in tokens(doc.prose)[:COMPARED_WORDS]]


def duplicate(doc: Document) -> Iterator[Finding]:
    siblings, sent = doc.context.sibling_texts, doc.context.sent_texts
    if not siblings and not sent:
        return
    from difflib import SequenceMatcher

    for text in sent:
        other = Document(Draft.parse(text, doc.draft.channel), ReviewContext(), doc.phrases, doc.dictionary)
        mine, theirs = _comparable(doc, doc.recipient_parts), _comparable(other, doc.recipient_parts)
        if min(len(mine), len(theirs)) < 8:
            continue
        matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
        if matcher.quick_ratio() >= 0.8 and (ratio := matcher.ratio()) >= 0.8:
            message = (
                f"It repeats what you already sent them ({ratio:.0%} alike): say something new, or nothing."
            )
            yield doc.finding("duplicate", message)
            return
    for name, text in siblings:
        other = Document(Draft.parse(text, doc.draft.channel), ReviewContext(), doc.phrases, doc.dictionary)
        names = doc.recipient_parts | {fold(word) for word in tokens(name)}
        mine, theirs = _comparable(doc, names), _comparable(other, names)
        if min(len(mine), len(theirs)) < 8:
            continue
        matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
        if (
            matcher.real_quick_ratio() >= 0.8
            and matcher.quick_ratio() >= 0.8
            and (ratio := matcher.ratio()) >= 0.8
        ):
            message = f"Nearly the same text ({ratio:.0%} alike) went to {name}: interviewers compare notes."
            yield doc.finding("duplicate", message)
            return


_ADDRESSES = {
    Channel.EMAIL: "email address",
    Channel.PHONE: "phone number",
    Channel.LINKEDIN: "LinkedIn profile",
    Channel.LETTER: "postal address",
}


def no_address(doc: Document) -> Iterator[Finding]:
    """Fine words reach nobody without an address: the draft cannot go out on this channel as it is."""
    if doc.context.reachable is not False:
        return
    what = _ADDRESSES[doc.draft.channel]
    who = doc.context.recipient_name or "them"
    message = f"There is no {what} for {who}: add it to their contact, or send it another way."
    yield doc.finding("no-address", message)
