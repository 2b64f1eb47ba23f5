"""How many drafts per second the composer writes, each reviewed as the `draft` command does.

Run: PYTHONPATH=src python bench/bench_compose.py [--drafts N]. Prints the warm rate (the English
dictionary and the templates already loaded); the target is at least 200 drafts per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import time
from zoneinfo import ZoneInfo

from tactful.compose import NUDGES, Facts, compose
from tactful.domain import Channel, Contact, Kind, Profile, Purpose
from tactful.review import Draft, ReviewContext, Reviewer

ZONE = ZoneInfo("America/New_York")
PAIRS = (
    (Kind.INTERVIEW, Purpose.THANK_YOU, "interview.thank-you"),
    (Kind.INTERVIEW, Purpose.CHECK_IN, "interview.check-in"),
    (Kind.INTERVIEW, Purpose.CALL, "interview.second-check-in"),
    (Kind.INTERVIEW, Purpose.GRACIOUS_CLOSE, "rejection.gracious-close"),
    (Kind.APPLICATION, Purpose.APPLICATION_CHECK, "application.check"),
    (Kind.MEETING, Purpose.RECONNECT, "meeting.reconnect"),
    (Kind.INTRODUCTION, Purpose.INTRODUCE_YOURSELF, "introduction.introduce-yourself"),
    (Kind.HELP_PROMISED, Purpose.REMINDER, "help.reminder"),
    (Kind.CALL, Purpose.RECAP, "call.recap"),
    (Kind.PRESENTATION, Purpose.RECAP, "presentation.recap"),
)
PEOPLE = ("Priya Natarajan", "Marcus Webb", "Dr. Elena de la Vega", "Tomás Ruiz", "Grace Kim")
ORGS = ("Acme Robotics", "Northwind Traders", "Lumen Health")
TOPICS = (
    "billing pipeline migration to Kafka",
    "backfills during the cut-over",
    "pricing for the enterprise tier",
)


def workload(count: int) -> list[tuple[Facts, ReviewContext]]:
    met = dt.datetime(2026, 3, 3, 10, tzinfo=ZONE)
    profile = Profile(name="Sam Lee", phone="555-0142", skills=("Kafka", "Airflow"))
    combos = itertools.cycle(itertools.product(PAIRS, Channel, PEOPLE, ORGS))
    items = []
    for (kind, purpose, rule), channel, name, org in itertools.islice(combos, count):
        others = tuple(p for p in PEOPLE[:3] if p != name)
        facts = Facts(
            purpose=purpose,
            channel=channel,
            rule=rule,
            kind=kind,
            recipient=Contact(1, name, email="them@example.com", phone="555-0100"),
            organisation=org,
            opportunity="Data Engineer" if kind in (Kind.INTERVIEW, Kind.APPLICATION) else None,
            interaction_at=met,
            topics=TOPICS[: 1 + len(name) % 3],
            promised="review my portfolio" if kind is Kind.HELP_PROMISED else None,
            other_people=others if kind is Kind.INTERVIEW else (),
            due_by=met + dt.timedelta(days=5 if purpose in NUDGES else 1),
            profile=profile,
            tz="America/New_York",
        )
        context = ReviewContext(
            recipient_name=name,
            recipient_org=org,
            role=facts.opportunity,
            purpose=purpose,
            nudge=purpose in NUDGES,
            job_thread=kind in (Kind.INTERVIEW, Kind.APPLICATION),
            topics=facts.topics,
            other_names=facts.other_people,
            user_name=profile.name,
            skills=profile.skills,
        )
        items.append((facts, context))
    return items


def run(items: list[tuple[Facts, ReviewContext]], reviewer: Reviewer) -> int:
    ready = 0
    for facts, context in items:
        composed = compose(facts)
        body = (
            composed.voicemail if composed.channel is Channel.PHONE and composed.voicemail else composed.body
        )
        draft = Draft(composed.channel, composed.subject, body, composed.to)
        ready += reviewer.review(draft, context).ready
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drafts", type=int, default=2000)
    args = parser.parse_args()
    reviewer = Reviewer()
    reviewer.prepare()
    items = workload(args.drafts)
    run(workload(50), reviewer)  # warm: templates, names, first reviews
    started = time.perf_counter()
    ready = run(items, reviewer)
    elapsed = time.perf_counter() - started
    print(f"{len(items) / elapsed:.0f} drafts/s, each reviewed ({len(items)} drafts, {ready} ready)")


if __name__ == "__main__":
    main()
