"""Drafts that never say what the user did not: every piece traced to a fact or a vetted courtesy.

Over the generated scenarios of test_compose_quality (every kind, purpose and channel, facts missing
in turn): each piece of a draft either fills a slot from the thread (a topic, the organisation, the
day, the user's relevant skills...) or is one of the plain courtesies in fixtures/courtesy.txt,
which a person vetted one by one; nothing else is in the text. Time words count from the day the
message goes out; a nudge repeats no sentence of what was already sent; no sentence recurs across
more than 5% of drafts; and every draft names at least one thing the user logged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from tactful.compose import Composed, compose
from tactful.compose.phrasings import _shipped
from tactful.domain import Channel, Purpose

from .test_compose_quality import SCENARIOS, ZONE, Scenario

COURTESY = Path(__file__).parent / "fixtures" / "courtesy.txt"


def vetted() -> set[str]:
    lines = COURTESY.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line.strip() and not line.startswith("#")}


def _slotless() -> set[str]:
    found: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif hasattr(x, "slots") and hasattr(x, "text") and not x.slots:
            found.add(x.text)

    walk(_shipped())
    return found


def test_every_phrasing_without_a_fact_is_a_vetted_courtesy() -> None:
    """A new phrasing that fills no slot must be read and added to fixtures/courtesy.txt on purpose."""
    unvetted = sorted(_slotless() - vetted())
    assert not unvetted, "phrasings resting on no fact that nobody vetted:\n" + "\n".join(unvetted)


def _signature(composed: Composed, scenario: Scenario) -> list[str]:
    profile = scenario.facts.profile
    lines = [profile.name or "", *(profile.signature or "").splitlines()]
    return [line.strip() for line in lines if line.strip()]


def _rest(composed: Composed, scenario: Scenario) -> str:
    """What is left of a draft once every traced piece and the signature are taken out."""
    text = "\n".join(t for t in (composed.subject, composed.body, composed.voicemail) if t)
    for ground in sorted(composed.grounds, key=lambda g: -len(g.text)):
        for form in (ground.text, ground.text[:1].lower() + ground.text[1:]):
            text = text.replace(form, " ", 1) if form in text else text
    for line in _signature(composed, scenario):
        text = text.replace(line, " ")
    return re.sub(r"[\s\-,.]+", "", text)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_piece_of_a_draft_rests_on_a_fact_or_a_courtesy(scenario: Scenario) -> None:
    composed = compose(scenario.facts)
    courtesies = vetted()
    for ground in composed.grounds:
        if not ground.slots:
            assert ground.text in courtesies, f"not a vetted courtesy: {ground.text!r}"
    assert _rest(composed, scenario) == "", f"text traced to nothing: {_rest(composed, scenario)!r}"


def _on(facts: object, sent: dt.datetime) -> object:
    return dataclasses.replace(facts, sending=sent)  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("after", "said"),
    [(dt.timedelta(hours=3), "today"), (dt.timedelta(days=1), "yesterday"), (dt.timedelta(days=2), "on ")],
)
def test_time_words_count_from_the_day_it_is_sent(after: dt.timedelta, said: str) -> None:
    base = next(
        s for s in SCENARIOS if s.facts.purpose is Purpose.THANK_YOU and s.facts.channel is Channel.EMAIL
    )
    met = dt.datetime(2026, 3, 3, 10, tzinfo=ZONE)  # a Tuesday
    facts = dataclasses.replace(base.facts, interaction_at=met, sending=met + after)
    text = compose(facts).to_text()
    assert re.search(rf"\b{said}", text), text
    if said == "today":
        assert "on Tuesday" not in text and "yesterday" not in text


def test_a_date_long_ago_is_a_date_in_the_users_order() -> None:
    base = next(
        s for s in SCENARIOS if s.facts.purpose is Purpose.THANK_YOU and s.facts.channel is Channel.EMAIL
    )
    met = dt.datetime(2026, 3, 3, 10, tzinfo=ZONE)
    late = dataclasses.replace(base.facts, interaction_at=met, sending=met + dt.timedelta(days=20))
    assert "March 3" in compose(late).to_text()
    british = dataclasses.replace(late, profile=dataclasses.replace(late.profile, country="GB"))
    assert "3 March" in compose(british).to_text()


def _sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=[.?!])\s+|\n+", text) if len(s.split()) >= 4}


def _said(composed: Composed, scenario: Scenario) -> set[str]:
    """The sentences the recipient gets (for a call, the voicemail), but for the signature and the
    user's own number and address, which rightly come back every time."""
    text = composed.voicemail if composed.channel is Channel.PHONE and composed.voicemail else composed.body
    for line in _signature(composed, scenario):
        text = text.replace(line, " ")
    profile = scenario.facts.profile
    mine = [x for x in (profile.phone, profile.email) if x]
    return {s for s in _sentences(text) if not any(m in s for m in mine)}


THANK_YOUS = [s for s in SCENARIOS if s.facts.purpose is Purpose.THANK_YOU]


@pytest.mark.parametrize("scenario", THANK_YOUS, ids=lambda s: s.id)
def test_a_nudge_repeats_nothing_already_sent_in_the_thread(scenario: Scenario) -> None:
    sent = [compose(scenario.facts)]
    for purpose, rule in (
        (Purpose.CHECK_IN, "interview.check-in"),
        (Purpose.CHECK_IN, "interview.second-check-in"),
    ):
        texts = tuple(c.voicemail or c.body for c in sent)
        nudge = dataclasses.replace(
            scenario.facts,
            purpose=purpose,
            rule=rule,
            sent_texts=texts,
            already_sent=(("check-in", "email"),),
        )
        composed = compose(nudge)
        repeated = _said(composed, scenario) & set().union(*(_said(c, scenario) for c in sent))
        assert not repeated, repeated
        sent.append(composed)


def test_no_sentence_recurs_across_more_than_five_percent_of_drafts() -> None:
    """Greetings and closings ("Dear Dr. de la Vega,", "Best regards,") are not sentences of the message."""
    counts: Counter[str] = Counter()
    for scenario in SCENARIOS:
        composed = compose(scenario.facts)
        pieces = {g.text for g in composed.grounds if len(g.text.split()) >= 4 and not g.text.endswith(",")}
        counts.update(pieces)
    limit = 0.05 * len(SCENARIOS)
    common = {text: n for text, n in counts.most_common(10) if n > limit}
    assert not common, f"sentences in more than {limit:.0f} of {len(SCENARIOS)} drafts: {common}"


def _details(scenario: Scenario) -> list[str]:
    f = scenario.facts
    found = [*f.topics, f.organisation or "", f.opportunity or "", *(q.rstrip("?") for q in f.questions)]
    if f.introducer:
        found.append(f.introducer.name)
    found += list(f.other_people)
    return [d for d in found if d]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_draft_names_something_the_user_logged(scenario: Scenario) -> None:
    details = _details(scenario)
    assert details, "every generated scenario logs something to name"
    text = compose(scenario.facts).to_text().lower()
    assert any(d.lower() in text for d in details), text
