"""Every generated draft is one a careful person would send: the reviewer finds nothing to warn about,
proselint finds nothing, it keeps to its channel's length, and it names the right person, the
thread's organisation and something that was discussed.

The scenarios are generated: every kind of interaction with the purposes the playbook plans after
it, on every channel, with facts missing in turn (no topics, no role, no organisation, no address,
no user name, no skills), names with titles, particles and suffixes, time-sensitive threads,
decision dates that have passed, free LinkedIn accounts, and colleagues in the same thread whose
drafts must not read alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tactful.compose import LIMITS, NUDGES, Composed, Facts, compose
from tactful.compose.names import parse_name
from tactful.domain import MESSAGES, Channel, Contact, Kind, Profile, Purpose
from tactful.review import Draft, Review, ReviewContext, Reviewer, Severity

TZ = "America/New_York"
ZONE = ZoneInfo(TZ)

#: Which follow-ups the playbook plans after each kind of interaction, with the rule that plans them.
PLANS: dict[Kind, tuple[tuple[Purpose, str], ...]] = {
    Kind.INTERVIEW: (
        (Purpose.THANK_YOU, "interview.thank-you"),
        (Purpose.HANDWRITTEN_NOTE, "interview.handwritten-note"),
        (Purpose.LINKEDIN_CONNECT, "interview.linkedin-connect"),
        (Purpose.CHECK_IN, "interview.check-in"),
        (Purpose.CHECK_IN, "interview.check-in-after-deadline"),
        (Purpose.CALL, "interview.second-check-in"),
        (Purpose.GRACIOUS_CLOSE, "rejection.gracious-close"),
        (Purpose.LINKEDIN_CONNECT, "rejection.linkedin-connect"),
    ),
    Kind.APPLICATION: (
        (Purpose.APPLICATION_CHECK, "application.check"),
        (Purpose.GRACIOUS_CLOSE, "rejection.gracious-close"),
    ),
    Kind.MEETING: (
        (Purpose.RECONNECT, "meeting.reconnect"),
        (Purpose.KEEP_IN_TOUCH, "keep-in-touch.check-in"),
    ),
    Kind.INTRODUCTION: (
        (Purpose.THANK_INTRODUCER, "introduction.thank-introducer"),
        (Purpose.INTRODUCE_YOURSELF, "introduction.introduce-yourself"),
        (Purpose.CLOSE_THE_LOOP, "introduction.close-the-loop"),
    ),
    Kind.HELP_PROMISED: ((Purpose.REMINDER, "help.reminder"), (Purpose.THANKS_FOR_HELP, "help.thanks")),
    Kind.CALL: ((Purpose.RECAP, "call.recap"),),
    Kind.PRESENTATION: (
        (Purpose.RECAP, "presentation.recap"),
        (Purpose.CHECK_IN, "presentation.check-in"),
        (Purpose.CALL, "presentation.check-in"),
    ),
    Kind.CLIENT_MEETING: (
        (Purpose.RECAP, "client-meeting.recap"),
        (Purpose.CHECK_IN, "client-meeting.check-in"),
    ),
}

#: Messages to the introducer, which name the person introduced rather than the thread's topics.
TO_INTRODUCER = frozenset({Purpose.THANK_INTRODUCER, Purpose.CLOSE_THE_LOOP})

NAMES = (
    "Priya Natarajan",
    "Dr. Elena de la Vega",
    "Tomás de la Vega",
    "Robert (Bob) Smith Jr.",
    "Prof. Hiroshi Tanaka",
    "Ms. Ana dos Santos",
    "Marcus Webb",
    "Fiona O'Brien",
    "Dana Ortiz",
    "Jean-Luc Moreau",
    "Grace Kim",
    "Olivia Chen",
    "Sir Patrick Doyle",
    "Mary-Kate Lindqvist",
)
COLLEAGUES = ("Oliver Grant", "Hannah Fischer", "Ben Adeyemi", "Chloe Martin")
ORGS = (
    "Acme Robotics",
    "Northwind Traders",
    "Lumen Health",
    "Fernwood Labs",
    "Harbor Analytics",
    "Quill Studio",
)
JOBS = ("Data Engineer", "Senior Product Designer", "Staff Software Engineer", "Marketing Analyst")
DEALS = (
    "warehouse automation pilot",
    "Q3 analytics rollout",
    "platform migration",
    "support contract renewal",
)
TOPICS = (
    "billing pipeline migration to Kafka",
    "backfills during the cut-over",
    "the on-call rotation",
    "design systems for the mobile app",
    "customer churn in the first month",
    "pricing for the enterprise tier",
    "hiring plans for the platform team",
    "accessibility audits",
    "the move to event-driven services",
    "supplier onboarding",
)
SKILLS = (("Kafka", "Airflow", "data quality checks"), ("Figma", "user research"), ("SQL", "forecasting"), ())
QUESTIONS = (
    "How would you handle backfills during the cut-over?",
    "How do you run user research on a tight budget?",
    "forecasting accuracy for new products",
)
PROMISES = (
    "introduce me to the hiring manager at Globex",
    "a review of my portfolio",
    "to share the pricing model",
)
NOTES = ("They want someone who can start in April.", None)


@dataclasses.dataclass(frozen=True)
class Scenario:
    id: str
    facts: Facts
    siblings: tuple[Facts, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.facts.purpose is Purpose.GRACIOUS_CLOSE or self.facts.rule.startswith("rejection.")


def _facts(
    rng: random.Random, kind: Kind, purpose: Purpose, rule: str, channel: Channel, drop: set[str]
) -> Facts:
    met = dt.datetime(2026, 3, 3, 10, tzinfo=ZONE) + dt.timedelta(
        days=rng.randrange(0, 30), hours=rng.randrange(0, 6)
    )
    nudge = purpose in NUDGES
    due = met + dt.timedelta(days=rng.choice((6, 8, 12)) if nudge else 1)
    name = rng.choice(NAMES)
    job = kind in (Kind.INTERVIEW, Kind.APPLICATION)
    if job:
        title: str | None = rng.choice(JOBS)
    elif kind in (Kind.PRESENTATION, Kind.CLIENT_MEETING):
        title = rng.choice(DEALS)
    else:
        title = rng.choice((None, rng.choice(DEALS)))
    org = rng.choice(ORGS)
    topics = tuple(rng.sample(TOPICS, rng.randrange(1, 4)))
    skills = rng.choice(SKILLS)
    others: tuple[str, ...] = ()
    if kind in (Kind.INTERVIEW, Kind.PRESENTATION, Kind.CLIENT_MEETING) and rng.random() < 0.6:
        others = tuple(rng.sample(COLLEAGUES, rng.randrange(1, 3)))
    introducer = None
    if kind is Kind.INTRODUCTION:
        introducer = Contact(9, "Ana Souza", email="ana@example.org")
        if purpose in TO_INTRODUCER:
            others = ("Elena Ruiz",)
    decision = None
    if kind in (Kind.INTERVIEW, Kind.PRESENTATION, Kind.CLIENT_MEETING) and rng.random() < 0.5:
        decision = (met + dt.timedelta(days=rng.choice((3, 4) if nudge else (9, 10)))).date()
    user = rng.choice(("Sam Lee", "Alex Morgan", "Jordan Rivera"))
    profile = Profile(
        name=None if "user" in drop else user,
        email="me@example.com",
        phone=None if "user-phone" in drop else "555-0142",
        signature=rng.choice((None, f"{user}\nData Engineer | 555-0142")) if "user" not in drop else None,
        skills=() if "skills" in drop else skills,
        linkedin_free=rng.random() < 0.5,
    )
    recipient = Contact(
        1,
        name,
        email=None if "address" in drop else "them@example.com",
        phone=None if "address" in drop else "555-0100",
        linkedin=None if "address" in drop else "https://www.linkedin.com/in/them",
        organisation=None if "org" in drop else org,
        role=rng.choice(("Head of Data", "Engineering Manager", None)),
    )
    return Facts(
        purpose=purpose,
        channel=channel,
        rule=rule,
        kind=kind,
        recipient=recipient,
        organisation=None if "org" in drop else org,
        opportunity=None if "title" in drop else title,
        interaction_at=met,
        topics=() if "topics" in drop else topics,
        questions=(rng.choice(QUESTIONS),) if rng.random() < 0.4 and "topics" not in drop else (),
        note=rng.choice(NOTES) if {"topics", "org", "title"} - drop else None,
        promised=None if "promise" in drop else rng.choice(PROMISES),
        promised_by=(met + dt.timedelta(days=4)).date() if rng.random() < 0.5 else None,
        decision_by=decision,
        introducer=None if "introducer" in drop else introducer,
        other_people=others,
        already_sent=((str(Purpose.CHECK_IN), "email"),) if rule == "interview.second-check-in" else (),
        time_sensitive=rng.random() < 0.3,
        due_by=due,
        profile=profile,
        tz=TZ,
    )


DROPS: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"topics"}),
    frozenset({"title"}),
    frozenset({"org"}),
    frozenset({"address", "user-phone"}),
    frozenset({"user", "skills"}),
    frozenset({"topics", "title"}),
    frozenset({"promise", "introducer", "skills"}),
)


def scenarios() -> Iterator[Scenario]:
    rng = random.Random(20260303)
    count = 0
    for kind, plans in PLANS.items():
        for purpose, rule in plans:
            for channel in Channel:
                for drop in [*rng.sample(DROPS, 3), DROPS[count % len(DROPS)]]:
                    facts = _facts(rng, kind, purpose, rule, channel, set(drop))
                    siblings = tuple(
                        dataclasses.replace(
                            facts,
                            recipient=dataclasses.replace(facts.recipient, name=other),
                            other_people=tuple(
                                n for n in (facts.recipient.name, *facts.other_people) if n != other
                            ),
                        )
                        for other in facts.other_people[:1]
                        if purpose not in TO_INTRODUCER
                    )
                    count += 1
                    label = "+".join(sorted(drop)) or "full"
                    yield Scenario(f"{count:03d}-{kind}-{purpose}-{channel}-{label}", facts, siblings)


SCENARIOS = tuple(scenarios())


@lru_cache(maxsize=1)
def reviewer() -> Reviewer:
    return Reviewer()


@lru_cache(maxsize=1)
def _proselint() -> Any:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry

    CheckRegistry().register_many(__register__)
    return CheckRegistry()


def proselint_findings(text: str) -> list[str]:
    from proselint.tools import LintFile

    _proselint()
    return [
        f"{r.check_result.check_path}: {r.check_result.message}" for r in LintFile("<draft>", text).lint()
    ]


def context(facts: Facts, siblings: tuple[tuple[str, str], ...] = ()) -> ReviewContext:
    notes = tuple(n for n in (facts.note, *facts.questions, facts.promised) if n)  # as in tactful.context
    profile = facts.profile
    return ReviewContext(
        recipient_name=facts.recipient.name,
        recipient_org=facts.organisation or facts.recipient.organisation,
        role=facts.opportunity,
        purpose=facts.purpose,
        nudge=facts.purpose in NUDGES,
        job_thread=facts.kind in (Kind.INTERVIEW, Kind.APPLICATION),
        topics=facts.topics,
        notes=notes,
        other_names=tuple(n for n in facts.other_people if n != facts.recipient.name),
        # Globex, an organisation of another thread, is named in a promise ("introduce me to the hiring
        # manager at Globex"): a draft may mention it there.
        other_orgs=tuple(
            o for o in (*ORGS, "Globex") if o != (facts.organisation or facts.recipient.organisation)
        ),
        not_before=facts.interaction_at,
        due_by=facts.due_by,
        now=facts.interaction_at + dt.timedelta(hours=2),
        rejected=facts.purpose is Purpose.GRACIOUS_CLOSE or facts.rule.startswith("rejection."),
        sibling_texts=siblings,
        user_name=profile.name,
        signature=profile.signature,
        skills=profile.skills,
        linkedin_free=profile.linkedin_free,
    )


def drafts(composed: Composed) -> list[Draft]:
    """What the reviewer reads: the message, and for a call both the script and the points."""
    if composed.channel is Channel.PHONE:
        assert composed.voicemail is not None
        return [Draft(Channel.PHONE, None, composed.voicemail), Draft(Channel.PHONE, None, composed.body)]
    return [Draft(composed.channel, composed.subject, composed.body, composed.to)]


def problems(review: Review) -> list[str]:
    return [f"{f.code}: {f.message} [{f.excerpt}]" for f in review.findings if f.severity is not Severity.TIP]


def sibling_texts(scenario: Scenario) -> tuple[tuple[str, str], ...]:
    texts = []
    for other in scenario.siblings:
        composed = compose(other)
        texts.append((other.recipient.name, composed.voicemail or composed.body))
    return tuple(texts)


def test_enough_scenarios_covering_everything() -> None:
    assert len(SCENARIOS) >= 300
    assert {s.facts.kind for s in SCENARIOS} == set(Kind)
    assert {s.facts.purpose for s in SCENARIOS} == set(MESSAGES)
    assert {s.facts.channel for s in SCENARIOS} == set(Channel)
    for field_name in ("topics", "title", "org", "address", "user", "skills"):
        assert sum(field_name in s.id for s in SCENARIOS) >= 20, field_name
    assert sum(s.facts.time_sensitive for s in SCENARIOS) >= 20
    assert sum(bool(parse_name(s.facts.recipient.name).title) for s in SCENARIOS) >= 20
    assert sum(s.facts.decision_by is not None for s in SCENARIOS) >= 20
    assert sum(bool(s.siblings) for s in SCENARIOS) >= 20


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_generated_draft_is_ready(scenario: Scenario) -> None:
    facts = scenario.facts
    composed = compose(facts)
    ctx = context(facts, sibling_texts(scenario))
    for draft in drafts(composed):
        review = reviewer().review(draft, ctx)
        assert not problems(review), f"{draft.body}\n{problems(review)}"
        assert not proselint_findings(draft.body), f"{draft.body}\n{proselint_findings(draft.body)}"
        if draft.subject:
            assert not proselint_findings(draft.subject), draft.subject


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_generated_draft_fits_and_names_the_thread(scenario: Scenario) -> None:
    facts = scenario.facts
    composed = compose(facts)
    words = len(re.findall(r"\S*[^\W_]\S*", composed.body))
    if composed.channel is Channel.LINKEDIN:
        assert len(composed.body) <= (200 if facts.profile.linkedin_free else 300)
    elif composed.channel is Channel.PHONE:
        assert composed.voicemail is not None
        assert len(re.findall(r"\S*[^\W_]\S*", composed.voicemail)) <= LIMITS["voicemail"]
        assert words <= LIMITS["phone"]
    else:
        assert words <= LIMITS[str(composed.channel)] + 12  # the signature is not counted
    text = composed.to_text()
    name = parse_name(facts.recipient.name)
    assert name.address in text
    assert not re.search(r"[{}]|\[[A-Za-z ]+\]", text)
    for other in facts.other_people:
        assert not re.search(rf"\b(?:Dear|Hi|Hello) {re.escape(parse_name(other).familiar)}\b", text)
    org = facts.organisation or facts.recipient.organisation
    mentions = [t for t in facts.topics if t.lower() in text.lower()]
    if facts.topics and facts.purpose not in (
        Purpose.APPLICATION_CHECK,
        Purpose.GRACIOUS_CLOSE,
        Purpose.CLOSE_THE_LOOP,
    ):
        assert mentions or (org and org in text), text
    if org and not facts.topics and facts.purpose not in TO_INTRODUCER:
        assert org in text or (facts.opportunity and facts.opportunity in text), text
