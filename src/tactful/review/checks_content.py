"""The checks of what a message holds: greeting, filled slots, thanks, a personal touch, interest,
qualification, an ask, subject and sign-off.

Each check takes the :class:`~.document.Document` the reviewer made of a draft and yields the
findings it makes. A check that needs a part of the context the caller did not give stays silent.
Tone checks read ``Document.tone`` (no quoted text, no signature); sentence checks read
``Document.prose`` (no greeting or closing either). The checks of a message's wording are in
:mod:`.checks_wording`, those of its fit with the thread in :mod:`.checks_thread`;
:data:`.reviewer.CHECKS` gathers them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..domain import Channel, Purpose
from .document import ABBREVIATIONS, Document, fold, tokens
from .model import Finding, Severity
from .phrasebook import compile_phrases

_THANKS_FIRST = frozenset(
    {Purpose.THANK_YOU, Purpose.THANK_INTRODUCER, Purpose.THANKS_FOR_HELP, Purpose.GRACIOUS_CLOSE}
)
#: Purposes whose message need not thank anyone: reminding a new acquaintance, introducing yourself.
_NO_THANKS_NEEDED = frozenset({Purpose.RECONNECT, Purpose.INTRODUCE_YOURSELF, Purpose.KEEP_IN_TOUCH})
#: Purposes whose point is a next step, whether or not they count as nudges.
_ASKING = frozenset({Purpose.RECONNECT, Purpose.INTRODUCE_YOURSELF})
#: How common a word must be (occurrences in the dictionary's corpus) to say nothing about one
#: conversation: "work", "three", "hours" are in every message; "induction" and "pricing" are not.
_EVERYDAY = 200_000
#: A telephone number: seven digits or more, perhaps grouped ("416-555-0193", "+44 20 7946 0018").
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{5,}\d(?![\w.])")
#: Notes for a call rather than a script to read out: a heading line ending in ":" or bullet points.
_CALL_NOTES = re.compile(r"^[ \t]*(?:[^\n]{1,40}:[ \t]*$|[-*\u2022][ \t])", re.MULTILINE)
_PLACEHOLDER = re.compile(
    r"\[(?!(?i:sic)\])[^\[\]\n]{0,40}[^\W\d_][^\[\]\n]{0,40}\](?!\()"  # [Name], not a Markdown link
    r"|\{\{?[^{}\n]{1,40}\}?\}"  # {company}, {{name}}
    r"|<[A-Za-z][A-Za-z _]{0,30}>"  # <Company>, not <someone@example.com>
    r"|\b(?:XXX+|TODO|FIXME|TKTK)\b|\bINSERT\b[^.,\n]{0,30}|_{3,}|(?i:\blorem ipsum\b)"  # capitals only
    # an instruction left in parentheses: "(fill in the organization)", "(insert date)"
    r"|\((?i:fill[ -]in|insert|enter|add|put|type|replace|mention|include|specify)\b[^()\n]{0,50}\)"
    # a slot named in parentheses: "(company name)", "(your name)", "(date)"
    r"|\((?i:(?:the|your|their|his|her|recipient'?s|hiring manager'?s|company'?s|job|interviewer'?s)[ \t]+)?"
    r"(?i:name|first name|company|company name|organi[sz]ation|role|position|job title|title|date|day|time"
    r"|topic|skill|detail|details|city|team|product|project)\)"
)
#: The ending a light stemmer takes off, leaving at least four letters: "migrating" and
#: "migration" both become "migr".
_SUFFIX = re.compile(r"(?<=\w{4})(?:ations?|ating|ated|ates?|ings?|ers|ies|ied|ed|es|er|s|e)$")


def _stem(word: str) -> str:
    return _SUFFIX.sub("", word.lower(), count=1)


def _key(word: str) -> str:
    """How a word is compared across texts: acronyms as written ("IT" is not "it"), others stemmed."""
    return word if word.isupper() and len(word) > 1 else _stem(word)


#: Words after a name that are no part of how one greets them.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})


def _address(doc: Document) -> str | None:
    """How a greeting should name the recipient: with their title, the family name or, for "Sir" and
    "Dame", the given name ("Dr. de la Vega", "Sir Patrick"); else the name they go by ("Bob" for
    "Robert (Bob) Smith Jr."); None when the context does not name them."""
    full = (doc.context.recipient_name or "").split(",")[0]  # "Jane Doe, PhD"
    nickname = re.search(r"[(\"]([^()\"]+)[)\"]", full)
    words = (full[: nickname.start()] + full[nickname.end() :] if nickname else full).split()
    title = ""
    while words and words[0].lower().rstrip(".") in doc.titles:
        title = title or words[0]
        words.pop(0)
    while len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:
        words.pop()
    if title:
        key = title.lower().rstrip(".")
        title = f"{key.capitalize()}." if f"{key}." in ABBREVIATIONS else title[0].upper() + title[1:]
        family = len(words) - 1
        while family > 0 and words[family - 1].lower() in doc.particles:
            family -= 1
        if words and key in doc.phrases.words("greeting", "given_name_titles"):
            return f"{title} {words[0]}"
        if words:
            return f"{title} {' '.join(words[family:])}"
    if nickname:
        return nickname[1].strip()
    return words[0] if words else None


def no_greeting(doc: Document) -> Iterator[Finding]:
    greeting = doc.greeting
    if greeting is not None and greeting.names:
        return
    if doc.draft.channel is Channel.PHONE and _CALL_NOTES.search(doc.tone):
        return  # notes for a call ("Talking points:", bullets) are for the caller, not the callee
    name = _address(doc)
    example = f", e.g. 'Dear {name},'." if name else "."
    if greeting is None:
        first = len(doc.tone) - len(doc.tone.lstrip())
        yield doc.finding("no-greeting", f"Open with a greeting that uses their name{example}", first)
    else:
        said = " ".join(doc.text[greeting.start : greeting.end].split())
        message = f"'{said}' does not address them by name: use theirs{example}"
        yield doc.finding("no-greeting", message, greeting.start, greeting.end)


def placeholder(doc: Document) -> Iterator[Finding]:
    subject = doc.draft.subject or ""
    for match in _PLACEHOLDER.finditer(subject):
        yield doc.finding(
            "placeholder", f"The subject has an unfilled slot: {match[0].strip()}", excerpt=subject
        )
    for match in _PLACEHOLDER.finditer(doc.unquoted):
        slot = match[0].strip()
        yield doc.finding(
            "placeholder", f"A template slot is still unfilled: {slot}", match.start(), match.end()
        )


def no_gratitude(doc: Document) -> Iterator[Finding]:
    """A thank-you without thanks misleads (error); elsewhere thanks is a courtesy a reader does not
    miss, in a voicemail, a recap or a nudge (tip), and its place in a thank-you is a matter of style."""
    purpose = doc.context.purpose
    if purpose is None or purpose in _NO_THANKS_NEEDED:
        return
    strict = purpose in _THANKS_FIRST
    thanks = doc.phrases.pattern("gratitude", "markers")
    first = doc.sentences[0].start if doc.sentences else None
    if not thanks.search(doc.tone):
        if strict:
            message = f"A {purpose} message with no thanks in it: say what you are thanking them for."
            yield doc.finding("no-gratitude", message, first, severity=Severity.ERROR)
        else:
            message = "No thanks in it: a word of appreciation for their time would not go amiss."
            yield doc.finding("no-gratitude", message, first, severity=Severity.TIP)
    elif strict and not any(thanks.search(s.text) for s in doc.sentences[:2]):
        message = f"The thanks could come sooner: a {purpose} message reads best when it leads with it."
        yield doc.finding("no-gratitude", message, first, severity=Severity.TIP)


_INTRODUCTION = re.compile(
    r"\bintroduc|\bintro\b|\bput(?:ting)? me in touch\b|\bconnect(?:ed|ing)? (?:me|us)\b", re.IGNORECASE
)


def not_personal(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    generic = set(doc.phrases.words("personal", "generic"))
    role_generic = set(doc.phrases.words("personal", "role_generic"))

    people = doc.recipient_parts | set(doc.other_parts) | {fold(w) for w in tokens(ctx.user_name or "")}
    people -= {fold(w) for w in tokens(ctx.recipient_org or "")}  # "Northwind hiring team": Northwind counts

    def keys(texts: tuple[str, ...], skip: set[str]) -> set[str]:
        skip = skip | {_stem(w) for w in skip}
        words = (w for text in texts for w in tokens(text) if fold(w) not in people)
        return {
            _key(w)
            for w in words
            if (len(w) >= 4 or (w.isupper() and len(w) > 1))
            and w.lower() not in skip
            and _stem(w) not in skip
            and (w[0].isupper() or doc.dictionary.frequency(w) < _EVERYDAY)
        }

    said = {_key(w) for w in tokens(doc.tone)}
    if ctx.purpose is Purpose.CLOSE_THE_LOOP and _INTRODUCTION.search(doc.tone):
        return  # to the introducer, the introduction they made is what is specific
    wanted = keys((*ctx.topics, *ctx.notes), generic)
    wanted |= keys(tuple(t for t in (ctx.role, ctx.recipient_org) if t), generic | role_generic)
    if not wanted or wanted & said:
        return
    hint = f" (e.g. {ctx.topics[0]})" if ctx.topics else ""
    message = f"Nothing in it is specific to this conversation: mention something you discussed{hint}."
    start = doc.sentences[0].start if doc.sentences else None
    yield doc.finding("not-personal", message, start)


def no_interest(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if not (ctx.job_thread and ctx.purpose in (Purpose.THANK_YOU, Purpose.CHECK_IN)) or ctx.decided:
        return
    withdrawn = [m.span() for m in doc.phrases.pattern("interest", "negations").finditer(doc.tone)]
    for key in ("markers", "patterns"):
        for match in doc.phrases.pattern("interest", key).finditer(doc.tone):
            if not any(start <= match.start() < end for start, end in withdrawn):
                return
    what = f"the {ctx.role} role" if ctx.role else "the role"
    yield doc.finding("no-interest", f"Say that you are still interested in {what}.")


def no_qualification(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if not (ctx.job_thread and ctx.purpose is Purpose.THANK_YOU) or ctx.decided:
        return
    if doc.phrases.pattern("qualification", "markers").search(doc.tone) or re.search(
        r"\d\s?%|\b\d+x\b", doc.tone
    ):
        return
    if ctx.skills and _claims(doc.tone, ctx.skills):
        return
    message = "Tie one of your skills or results to what they need; it is what they will remember."
    yield doc.finding("no-qualification", message)


def _claims(text: str, skills: tuple[str, ...]) -> bool:
    """Whether the writer claims a skill: "I know Kafka", "my Airflow work" (not "your Kafka streams")."""
    skill = compile_phrases(skills).pattern
    return (
        re.search(rf"\b(?:I|I'm|I've|I'd|my|me)\b(?:\W+[\w'-]+){{0,4}}?\W+{skill}", text, re.IGNORECASE)
        is not None
    )


def no_ask(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if not (ctx.nudge or ctx.purpose in _ASKING):
        return
    if "?" in doc.prose or _PHONE.search(doc.tone):
        return  # a question, or a number to call them back on
    if any(doc.phrases.pattern("ask", key).search(doc.tone) for key in ("markers", "patterns")):
        return
    yield doc.finding("no-ask", "Make the ask clear: end with a question or a proposed next step.")


def no_subject(doc: Document) -> Iterator[Finding]:
    if doc.draft.channel is not Channel.EMAIL:
        return
    subject = (doc.draft.subject or "").strip()
    plain = re.sub(r"^(?:(?:re|fwd?)\s*:\s*)+", "", subject.lower())
    plain = " ".join(re.sub(r"[^\w\s'-]", " ", plain).split())
    if not plain:
        yield doc.finding("no-subject", "No subject line: say what the email is about.")
    elif plain in doc.phrases.words("subject", "generic"):
        message = f"'{subject}' says nothing: name the role, the meeting or the ask."
        yield doc.finding("no-subject", message, excerpt=subject)


def no_sign_off(doc: Document) -> Iterator[Finding]:
    if doc.draft.channel not in (Channel.EMAIL, Channel.LETTER) or not doc.text.strip():
        return
    if doc.sign_off is None:
        yield doc.finding("no-sign-off", "End with a closing such as 'Best regards,' and your name.")
    elif not doc.signed:
        yield doc.finding("no-sign-off", "Sign your name under the closing.", *doc.line_span(doc.sign_off))


#: Every check, in the order of the codes in the reviewer's documentation.
