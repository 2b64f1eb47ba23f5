"""The reviewer's checks: one function per finding code (two for the window), in the spec's order.

Each check takes the :class:`~tactful.review.Document` the reviewer made of a draft and yields the
findings it makes. A check that needs a part of the context the caller did not give stays silent.
Tone checks read ``Document.tone`` (no quoted text, no signature); sentence checks read
``Document.prose`` (no greeting or closing either).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from tactful.domain import Channel, Purpose
from tactful.review import (
    ABBREVIATIONS,
    Document,
    Draft,
    Finding,
    ReviewContext,
    Severity,
    compile_phrases,
    fold,
    tokens,
)

Check = Callable[[Document], Iterator[Finding]]

_THANKS_FIRST = frozenset(
    {Purpose.THANK_YOU, Purpose.THANK_INTRODUCER, Purpose.THANKS_FOR_HELP, Purpose.GRACIOUS_CLOSE}
)
#: Purposes whose message need not thank anyone: reminding a new acquaintance, introducing yourself.
_NO_THANKS_NEEDED = frozenset({Purpose.RECONNECT, Purpose.INTRODUCE_YOURSELF})
#: Purposes whose point is a next step, whether or not they count as nudges.
_ASKING = frozenset({Purpose.RECONNECT, Purpose.INTRODUCE_YOURSELF})
_LIMITS = {
    Channel.EMAIL: (200, "an email body"),
    Channel.LETTER: (120, "a handwritten note"),
    Channel.PHONE: (75, "a voicemail script (about 30 seconds)"),
}
_CAPITALISED = r"[A-Z][\w'-]*"
_TOKEN = re.compile(r"(?<![\w'-])[^\W\d_]+(?:['-][^\W\d_]+)*'?(?![\w-])")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]|(?<!\w)[:;]-?[)(DPp](?!\w)")
_PLACEHOLDER = re.compile(
    r"\[(?!(?i:sic)\])[^\[\]\n]{0,40}[^\W\d_][^\[\]\n]{0,40}\](?!\()"  # [Name], not a Markdown link
    r"|\{\{?[^{}\n]{1,40}\}?\}"  # {company}, {{name}}
    r"|<[A-Za-z][A-Za-z _]{0,30}>"  # <Company>, not <someone@example.com>
    r"|\b(?:XXX+|TODO|FIXME|TKTK)\b|\bINSERT\b[^.,\n]{0,30}|_{3,}|(?i:\blorem ipsum\b)"  # capitals only
)
_PLACEHOLDER_WORDS = frozenset({"todo", "fixme", "tktk", "insert", "xxx", "xxxx"})
_SHOUT = re.compile(r"(?<![\w'-])[A-Z][A-Z']*[A-Z](?![\w'-])")
_REPEATED = re.compile(r"(?<![\w'-])([^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2})(?:\s+\1)+(?![\w'-])", re.IGNORECASE)
_NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+|\S*[/\\]\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|uk|app)\b\S*"
)
_VOCATIVE = re.compile(
    rf"(?:^|(?<=[.!?])\s)[ \t]*(?P<a>{_CAPITALISED})(?=,)"  # "Marcus, I wanted to..."
    rf"|,[ \t]+(?P<b>{_CAPITALISED})(?=[ \t]*(?:[,.!?;]|$))"  # "...speaking with you, Marcus."
    rf"|\b(?i:thanks|thank you|hi|hello|dear)[ \t,]+(?P<c>{_CAPITALISED})",
    re.MULTILINE,
)
_ORG_SUFFIX = re.compile(
    r"[ ,]+(?:inc|ltd|llc|plc|gmbh|corp|corporation|co|company|limited|group|sa|ag|bv)\.?$", re.IGNORECASE
)
#: The ending a light stemmer takes off, leaving at least four letters: "migrating" and
#: "migration" both become "migr".
_SUFFIX = re.compile(r"(?<=\w{4})(?:ations?|ating|ated|ates?|ings?|ers|ies|ied|ed|es|er|s|e)$")


def _stem(word: str) -> str:
    return _SUFFIX.sub("", word.lower(), count=1)


def _first_name(ctx: ReviewContext) -> str:
    return (ctx.recipient_name or "").split(" ")[0] or "them"


def no_greeting(doc: Document) -> Iterator[Finding]:
    greeting = doc.greeting
    if greeting is not None and greeting.names:
        return
    name = _first_name(doc.context)
    if greeting is None:
        first = len(doc.tone) - len(doc.tone.lstrip())
        yield doc.finding(
            "no-greeting", f"Open with a greeting that uses their name, e.g. 'Dear {name},'.", first
        )
    else:
        said = " ".join(doc.text[greeting.start : greeting.end].split())
        message = f"'{said}' does not address them by name: use theirs, e.g. 'Dear {name},'."
        yield doc.finding("no-greeting", message, greeting.start, greeting.end)


def wrong_name(doc: Document) -> Iterator[Finding]:
    recipient = doc.context.recipient_name
    addressed: list[tuple[str, int, bool]] = []
    if doc.greeting is not None and doc.greeting.names:
        names = doc.greeting.names
        in_greeting = not recipient or any(doc.addresses_recipient(n) for n in names)
        addressed += [(n, doc.greeting.start, not in_greeting and i == 0) for i, n in enumerate(names)]
    for match in _VOCATIVE.finditer(doc.prose):
        group = next(g for g in ("a", "b", "c") if match[g])
        addressed.append((match[group], match.start(group), False))
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


def _org_forms(org: str) -> list[str]:
    core = _ORG_SUFFIX.sub("", org.strip())
    return [form for form in dict.fromkeys((org.strip(), core)) if len(form) >= 2]


def _org_pattern(form: str) -> re.Pattern[str]:
    flags = 0 if any(ch.isupper() for ch in form) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)


def wrong_company(doc: Document) -> Iterator[Finding]:
    own = doc.context.recipient_org or ""
    others = [org for org in doc.context.other_orgs if org.strip() and fold(org) != fold(own)]
    if not others:
        return
    text, subject = doc.tone, doc.draft.subject or ""
    for form in _org_forms(own) if own else []:
        pattern = re.compile(re.escape(form), re.IGNORECASE)
        text = pattern.sub(lambda m: " " * len(m[0]), text)
        subject = pattern.sub(lambda m: " " * len(m[0]), subject)
    for org in others:
        for form in _org_forms(org):
            pattern = _org_pattern(form)
            message = f"Mentions {org}, but this thread is with {own or 'another organisation'}."
            if match := pattern.search(subject):
                yield doc.finding("wrong-company", message, excerpt=doc.draft.subject or match[0])
                break
            if match := pattern.search(text):
                yield doc.finding("wrong-company", message, match.start(), match.end())
                break


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
    purpose = doc.context.purpose
    if purpose is None or purpose in _NO_THANKS_NEEDED:
        return
    strict = purpose in _THANKS_FIRST
    severity = Severity.ERROR if strict else Severity.WARNING
    thanks = doc.phrases.pattern("gratitude", "markers")
    first = doc.sentences[0].start if doc.sentences else None
    if not thanks.search(doc.tone):
        message = "There is no thanks or appreciation in it: thank them for their time or help."
        yield doc.finding("no-gratitude", message, first, severity=severity)
    elif strict and not any(thanks.search(s.text) for s in doc.sentences[:2]):
        message = f"Lead with the thanks: a {purpose} message should say it in its first two sentences."
        yield doc.finding("no-gratitude", message, first, severity=severity)


def not_personal(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    generic = set(doc.phrases.words("personal", "generic"))
    role_generic = set(doc.phrases.words("personal", "role_generic"))

    people = doc.recipient_parts | set(doc.other_parts) | {fold(w) for w in tokens(ctx.user_name or "")}

    def keys(texts: tuple[str, ...], skip: set[str]) -> set[str]:
        words = (w for text in texts for w in tokens(text) if fold(w) not in people)
        return {
            _stem(w) for w in words if (len(w) >= 4 or (w.isupper() and len(w) > 1)) and w.lower() not in skip
        }

    wanted = keys((*ctx.topics, *ctx.notes), generic)
    wanted |= keys(tuple(t for t in (ctx.role, ctx.recipient_org) if t), generic | role_generic)
    if not wanted or wanted & {_stem(w) for w in tokens(doc.tone)}:
        return
    hint = f" (e.g. {ctx.topics[0]})" if ctx.topics else ""
    message = f"Nothing in it is specific to this conversation: mention something you discussed{hint}."
    start = doc.sentences[0].start if doc.sentences else None
    yield doc.finding("not-personal", message, start)


def no_interest(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if not (ctx.job_thread and ctx.purpose in (Purpose.THANK_YOU, Purpose.CHECK_IN)):
        return
    withdrawn = [m.span() for m in doc.phrases.pattern("interest", "negations").finditer(doc.tone)]
    for match in doc.phrases.pattern("interest", "markers").finditer(doc.tone):
        if not any(start <= match.start() < end for start, end in withdrawn):
            return
    what = f"the {ctx.role} role" if ctx.role else "the role"
    yield doc.finding("no-interest", f"Say that you are still interested in {what}.")


def no_qualification(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    if not (ctx.job_thread and ctx.purpose is Purpose.THANK_YOU):
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
    if "?" in doc.prose or doc.phrases.pattern("ask", "markers").search(doc.tone):
        return
    yield doc.finding("no-ask", "Make the ask clear: end with a question or a proposed next step.")


def too_long(doc: Document) -> Iterator[Finding]:
    channel = doc.draft.channel
    if channel is Channel.LINKEDIN:
        limit, what, unit = (200 if doc.context.linkedin_free else 300), "a LinkedIn note", "characters"
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
        message = f"{len(marks)} exclamation marks: keep one at most."
        yield doc.finding("casual", message, marks[1].start(), marks[1].end())


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


def _phrase_findings(doc: Document, code: str, section: str, message: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for match in doc.phrases.pattern(section, "phrases").finditer(doc.tone):
        phrase = " ".join(match[0].lower().split())
        if phrase not in seen:
            seen.add(phrase)
            yield doc.finding(code, message.format(match[0]), *match.span())


def desperate(doc: Document) -> Iterator[Finding]:
    yield from _phrase_findings(
        doc, "desperate", "desperate", "'{}' sounds desperate: state your interest calmly."
    )


def pushy(doc: Document) -> Iterator[Finding]:
    message = "'{}' puts pressure on them: keep it courteous and leave them room."
    yield from _phrase_findings(doc, "pushy", "pushy", message)
    reasons = doc.phrases.pattern("pushy", "reasons")
    harmless = [m.span() for m in doc.phrases.pattern("pushy", "harmless").finditer(doc.tone)]
    for match in doc.phrases.pattern("pushy", "unless_reason").finditer(doc.tone):
        if any(start <= match.start() < end for start, end in harmless):
            continue
        start, end = doc.sentence_around(match.start())
        if not reasons.search(doc.tone, start, end):
            text = f"'{match[0]}' with no reason given puts pressure on them: say why, or drop it."
            yield doc.finding("pushy", text, *match.span())
            return


def presses_after_rejection(doc: Document) -> Iterator[Finding]:
    if not doc.context.rejected:
        return
    message = "'{}' presses them after a decision: thank them and leave the door open, nothing more."
    yield from _phrase_findings(doc, "presses-after-rejection", "after_rejection", message)


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'([")
    if before.endswith(".") and before.rsplit(None, 1)[-1].lower() in ABBREVIATIONS:
        return False  # "Dr. Okonkwo"
    return not before or before[-1] in ".!?:\n-*\u2022"


def spelling(doc: Document) -> Iterator[Finding]:
    subject = doc.draft.subject or ""
    sources = [(_NOT_PROSE.sub(lambda m: " " * len(m[0]), subject), False)]
    sources.append((_NOT_PROSE.sub(lambda m: " " * len(m[0]), doc.tone), True))
    reported: set[str] = set(doc.phrases.words("casual", "words"))  # slang is the casual check's to judge
    greeting = doc.greeting
    flagged = 0
    for text, in_body in sources:
        for match in _TOKEN.finditer(text):
            word = match[0].rstrip("'")
            word = word[:-2] if word.endswith("'s") else word
            key = word.lower()
            if len(word) < 2 or key in reported or any(ch.isupper() for ch in word[1:]):
                continue
            if word[0].isupper() and not _sentence_initial(text, match.start()):
                continue  # a proper noun
            if in_body and greeting and greeting.start <= match.start() < greeting.end:
                continue  # the names in the greeting are the wrong-name check's to judge
            if _known(doc, key) or (word[0].isupper() and doc.looks_like_recipient(word)):
                continue
            suggestion = doc.dictionary.suggest(key)
            if word[0].isupper() and suggestion is None:
                continue  # a capitalised word that is not near any known word: a name, most likely
            reported.add(key)
            flagged += 1
            hint = f"; did you mean '{suggestion}'?" if suggestion else "."
            message = f"'{word}' is not in the dictionary{hint} (If it is right, add it to your vocabulary.)"
            if in_body:
                yield doc.finding("spelling", message, match.start(), match.end())
            else:
                yield doc.finding("spelling", message, excerpt=subject)
            if flagged >= 8:
                return


def _known(doc: Document, word: str) -> bool:
    if fold(word) in doc.known_words or doc.dictionary.knows(word):
        return True
    if "-" in word:
        return all(_known(doc, part) for part in word.split("-") if part)
    if "'" in word:
        stem, suffix = word.rsplit("'", 1)
        if suffix == "t" and stem.endswith("n"):
            return doc.dictionary.knows(stem[:-1])
        return suffix in ("s", "re", "ve", "ll", "d", "m") and _known(doc, stem)
    return False


def repeated_word(doc: Document) -> Iterator[Finding]:
    for match in _REPEATED.finditer(doc.tone):
        if match[1].lower() not in ("had", "that"):
            yield doc.finding("repeated-word", f"'{match[1]}' is repeated.", *match.span())


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


def _comparable(doc: Document, names: frozenset[str]) -> list[str]:
    return ["<name>" if fold(w) in names else w.lower() for w in tokens(doc.prose)]


def duplicate(doc: Document) -> Iterator[Finding]:
    siblings = doc.context.sibling_texts
    if not siblings:
        return
    from difflib import SequenceMatcher

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


#: Every check, in the order of the codes in the reviewer's documentation.
CHECKS: tuple[Check, ...] = (
    no_greeting,
    wrong_name,
    wrong_company,
    placeholder,
    no_gratitude,
    not_personal,
    no_interest,
    no_qualification,
    no_ask,
    too_long,
    long_sentences,
    casual,
    shouting,
    desperate,
    pushy,
    presses_after_rejection,
    spelling,
    repeated_word,
    no_subject,
    no_sign_off,
    timing,
    over_cap,
    multi_channel,
    duplicate,
)
