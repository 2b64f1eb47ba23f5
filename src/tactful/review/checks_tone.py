"""The reviewer's checks of a draft's tone: pushy, desperate, hostile, sarcastic, selling, or pressing
after a no.

Each reads the draft one sentence at a time, two ways:

- the sentence patterns of ``phrases.toml`` (``[pushy] patterns`` and so on), which name the parts of
  a meaning ("a demand with a deadline aimed at the reader") and let the words between them vary;
- the tone classifier (:mod:`.tone`), which weighs every word of the sentence as it learnt to from a
  few thousand labelled ones, and speaks only when it is sure.

A sentence flagged by either is one finding, quoting the sentence. Pressing after a no is judged only
once they have said no (the thread says so, the draft is a gracious close, or the draft itself
thanks them for the decision); selling only in a first message or a connection note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..domain import Channel, Purpose
from .document import Document, Sentence
from .model import Finding, Severity

__all__ = ["desperate", "hostile", "pitch", "presses_after_rejection", "pushy", "sarcasm"]

#: How sure the classifier must be of a label before it speaks for it. A good message has many
#: sentences, and a false alarm on any of them costs the user's trust: these are set high.
CONFIDENCE = {
    "pushy": 0.85,
    "desperate": 0.85,
    "hostile": 0.85,
    "sarcasm": 0.85,
    "pitch": 0.85,
    "presses": 0.85,
}
#: A price: a currency sign or code beside a number ("€1,900", "AED 4,500", "59 kronor").
_PRICE = re.compile(
    r"[$€£¥₹]\s?\d|\b(?:USD|EUR|GBP|AED|CAD|AUD|NZD|INR|SEK|NOK|DKK|CHF|JPY|ZAR|SGD)\s?\d"
    r"|\d[\d,.]*\s?(?:USD|EUR|GBP|AED|CAD|AUD|INR|SEK|NOK|DKK|CHF|kr|kronor|krona|euros?|dollars?|pounds?|rupees?|rand)\b",
)
#: The classifier reads too little in a shorter sentence ("This is Aisha Khan.") to be trusted alone.
_FEWEST_WORDS = 5
#: Purposes whose message is a first contact, where selling comes before any relationship.
_FIRST_CONTACT = frozenset({Purpose.LINKEDIN_CONNECT, Purpose.INTRODUCE_YOURSELF})


def _quote(sentence: Sentence) -> str:
    text = sentence.text
    return text if len(text) <= 90 else text[:87].rstrip() + "..."


def _sentences(
    doc: Document,
    section: str,
    keys: Sequence[str],
    label: str,
    *,
    spare: Sequence[str] = (),
) -> Iterator[Sentence]:
    """The sentences with the fault: a pattern of ``[section] keys`` matches, or the classifier reads
    `label` in them. Patterns of the keys in `spare` do not count in a sentence that gives a reason of
    the sender's own (the ``[pushy] reasons``)."""
    patterns = [(key, doc.phrases.pattern(section, key)) for key in keys]
    reasons = doc.phrases.pattern("pushy", "reasons")
    harmless = doc.phrases.pattern("pushy", "harmless")
    moods = {id(s): verdict for s, verdict in doc.moods}
    threshold = CONFIDENCE[label]
    for sentence in doc.sentences:
        text = doc.prose[sentence.start : sentence.end] if sentence.end > 0 else sentence.text
        text = harmless.sub(lambda m: " " * len(m[0]), text)  # "the urgent care clinic"
        found = False
        for key, pattern in patterns:
            if pattern.search(text) and not (key in spare and reasons.search(text)):
                found = True
                break
        verdict = moods.get(id(sentence))
        sure = (
            verdict is not None
            and sentence.words >= _FEWEST_WORDS
            and verdict.scores.get(label, 0.0) >= threshold
        )
        if found or sure:
            yield sentence


def _findings(doc: Document, code: str, sentences: Iterator[Sentence], advice: str) -> Iterator[Finding]:
    for sentence in sentences:
        end = sentence.end if sentence.end > 0 else None
        yield doc.finding(code, f"'{_quote(sentence)}' {advice}", sentence.start, end)


def pushy(doc: Document) -> Iterator[Finding]:
    sentences = _sentences(
        doc,
        "pushy",
        ("phrases", "patterns", "demand_patterns", "unless_reason"),
        "pushy",
        spare=("demand_patterns", "unless_reason"),
    )
    yield from _findings(
        doc, "pushy", sentences, "puts pressure on them: keep it courteous and leave them room."
    )


def desperate(doc: Document) -> Iterator[Finding]:
    sentences = _sentences(doc, "desperate", ("phrases", "patterns"), "desperate")
    yield from _findings(doc, "desperate", sentences, "sounds desperate: state your interest calmly.")


def hostile(doc: Document) -> Iterator[Finding]:
    sentences = _sentences(doc, "hostile", ("words", "patterns"), "hostile")
    advice = "reads as angry or insulting: it would burn the bridge. Say what you need, courteously."
    yield from _findings(doc, "hostile", sentences, advice)


def sarcasm(doc: Document) -> Iterator[Finding]:
    sentences = _sentences(doc, "sarcasm", ("patterns",), "sarcasm")
    advice = "reads as sarcastic: a reader hears the reproach, not the words. Say it plainly or drop it."
    yield from _findings(doc, "sarcasm", sentences, advice)


def pitch(doc: Document) -> Iterator[Finding]:
    ctx = doc.context
    first_contact = ctx.purpose in _FIRST_CONTACT or (
        ctx.purpose is None and doc.draft.channel is Channel.LINKEDIN
    )
    if not first_contact:
        return
    flagged = list(_sentences(doc, "pitch", ("patterns",), "pitch"))
    priced = [s for s in doc.sentences if s not in flagged and _PRICE.search(s.text)]
    sentences = iter(sorted(flagged + priced, key=lambda s: s.start))
    advice = "sells before there is a relationship: connect first, and offer the pitch when they ask."
    yield from _findings(doc, "pitch", sentences, advice)


def asks_favour(doc: Document) -> Iterator[Finding]:
    """A keep-in-touch note asks for nothing: a favour asked there reads as the real reason for it."""
    if doc.context.purpose is not Purpose.KEEP_IN_TOUCH:
        return
    pattern = doc.phrases.pattern("favour", "patterns")
    sentences = iter([s for s in doc.sentences if pattern.search(s.text)])
    advice = "asks a favour in a keep-in-touch note: share something or ask how they are, and keep the request for a message of its own."
    yield from _findings(doc, "pitch", sentences, advice)


def _after_a_no(doc: Document) -> bool:
    """Whether they have said no: the thread records it, the draft is a gracious close, or the draft
    thanks them for a decision that went the other way."""
    ctx = doc.context
    if ctx.rejected or ctx.purpose is Purpose.GRACIOUS_CLOSE:
        return True
    return bool(doc.phrases.pattern("after_rejection", "sign_patterns").search(doc.tone))


def presses_after_rejection(doc: Document) -> Iterator[Finding]:
    if not _after_a_no(doc):
        return
    advice = "presses them after a decision: thank them and leave the door open, nothing more."
    sentences = list(_sentences(doc, "after_rejection", ("phrases", "patterns"), "presses"))
    yield from _findings(doc, "presses-after-rejection", iter(sentences), advice)
    if sentences:
        return
    if feedback := doc.phrases.pattern("after_rejection", "feedback").search(doc.tone):
        message = "Asking for feedback is fine once and lightly; make it easy to decline, and never ask them to justify the decision."
        yield doc.finding("presses-after-rejection", message, *feedback.span(), severity=Severity.TIP)
