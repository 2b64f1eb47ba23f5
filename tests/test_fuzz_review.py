"""Fuzz target for the reviewer: any draft (long runs, many lines, any script, any context, as a
`Draft` or as the text `tactful check` and the API read) gets a verdict, a score and findings with
known codes, and its report is JSON, within the hang guard. The API's target reuses `BODIES`.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from tactful.domain import Channel, Purpose
from tactful.review import CODES, Draft, ReviewContext, default_reviewer, review

from .fuzzing import fuzz
from .test_hardening import no_hang

RUNS = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(
        ["-", "a", "'", "a-", "A-", "a'", "—", ".", "a.", " ", "\n", "!", "?", "😀", "ß", "İ", "e\u0301", "@",
         "a@", "http://", "a/", "x ", "Hi ", "THANK YOU ", "\u200f", "\u202e", "ـ", "\t", "\r\n", "*", "_", "#",
         "{name}", "[", "Dear ", "Best,\n"]
    ),
    st.one_of(st.integers(1, 300), st.sampled_from([2_000, 10_000, 25_000])),
)  # fmt: skip
WORDS = st.sampled_from(
    ["Dear Priya,", "Thank you", "interview", "Acme Analytics", "Privet", "Привет", "спасибо", "مرحبا",
     "شكرا", "שלום", "こんにちは", "谢谢", "नमस्ते", "Ελλάδα", "Zoë", "naïve", "straße", "\u200f", "\u200e",
     "Best regards,\nRobin", "Subject: hi", "To: x@y.z", "...", "!!!", "ASAP", "just checking in", "per my last email",
     "?", "\n", "\n\n", " "]
)  # fmt: skip
#: Drafts: runs and words (50,000 characters at most, as in `test_hardening`), many lines, any text.
BODIES = st.one_of(
    st.lists(st.one_of(RUNS, WORDS, st.text(max_size=40)), max_size=12).map(
        lambda parts: " ".join(parts)[:50_000]
    ),
    st.lists(st.one_of(WORDS, st.text(max_size=60)), min_size=50, max_size=300).map("\n".join),
    st.text(),
)
NAMES = st.one_of(
    st.none(), st.sampled_from(["Priya Natarajan", "Zoë", "", "-", "a'" * 50]), st.text(max_size=20)
)
MOMENT = st.one_of(
    st.none(),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2199, 1, 1), timezones=st.just(dt.UTC)),
)
CONTEXTS = st.one_of(
    st.none(),
    st.builds(
        ReviewContext,
        recipient_name=NAMES,
        recipient_org=NAMES,
        role=NAMES,
        purpose=st.none() | st.sampled_from(list(Purpose)),
        nudge=st.booleans(),
        job_thread=st.booleans(),
        topics=st.lists(st.one_of(WORDS, st.text(max_size=20)), max_size=4).map(tuple),
        notes=st.lists(st.text(max_size=40), max_size=3).map(tuple),
        other_names=st.lists(st.text(max_size=20), max_size=3).map(tuple),
        other_orgs=st.lists(st.text(max_size=20), max_size=3).map(tuple),
        not_before=MOMENT,
        due_by=MOMENT,
        now=MOMENT,
        nudges_sent=st.integers(0, 10),
        cap=st.none() | st.integers(0, 5),
        rejected=st.booleans(),
        decided=st.booleans(),
        other_channel_recently=st.lists(st.sampled_from([c.value for c in Channel]), max_size=2).map(tuple),
        sibling_texts=st.lists(st.tuples(st.text(max_size=10), BODIES), max_size=2).map(tuple),
        sent_texts=st.lists(BODIES, max_size=2).map(tuple),
        user_name=NAMES,
        signature=st.none() | st.text(max_size=60),
        skills=st.lists(st.text(max_size=15), max_size=3).map(tuple),
        vocabulary=st.lists(st.text(max_size=15), max_size=3).map(tuple),
        linkedin_free=st.booleans(),
        reachable=st.none() | st.booleans(),
    ),
)


@fuzz(250)
@given(
    body=BODIES,
    subject=st.none() | st.text(max_size=80) | RUNS,
    channel=st.sampled_from(list(Channel)),
    context=CONTEXTS,
    as_text=st.booleans(),
)
def test_the_reviewer_reads_any_text(
    body: str, subject: str | None, channel: Channel, context: ReviewContext | None, as_text: bool
) -> None:
    with no_hang():
        if as_text:  # as `tactful check` and the API read a draft: headers, a blank line, the body
            found = review(f"Subject: {subject or ''}\n\n{body}", context)
        else:
            found = default_reviewer().review(Draft(channel=channel, subject=subject, body=body), context)
    assert found.verdict in ("ready", "needs-work") and 0 <= found.score <= 100
    assert found.ready == all(f.severity.value == "tip" for f in found.findings)
    for finding in found.findings:
        assert finding.code in CODES and isinstance(finding.message, str) and finding.message.strip()
        assert isinstance(finding.excerpt, str) and (finding.line is None or finding.line >= 1)
    json.dumps(found.to_dict())
