"""A small sample history, so a newcomer sees real output before typing anything.

Every entry goes through the same use cases a user's would, relative to "now", so the agenda it
produces shows each state: something overdue, something due, and what comes next.
"""

from __future__ import annotations

import datetime as dt

from .base import Service
from .followups import LogRequest, done, log, outcome
from .profile import update_profile


def _ago(now: dt.datetime, **delta: float) -> str:
    return (now - dt.timedelta(**delta)).isoformat()


def start(service: Service, now_text: str | None = None) -> None:
    """Give a new, empty database the sample's profile and history, as of `now_text` (default now)."""
    update_profile(
        service,
        name="Robin Vale",
        email="robin.vale@example.net",
        tz="Europe/London",
        country="GB",
        skills=["data pipelines", "Python", "team leadership"],
    )
    service.use_clock(service.moment(now_text, "now"))
    load_sample(service)


def load_sample(service: Service) -> None:
    """Log the sample history through `service`, relative to its clock."""
    now = service.now()

    log(
        service,
        LogRequest(
            "interview",
            ["Priya Natarajan", "Tomás de la Vega"],
            email="priya@acme.example",
            org="Acme Analytics",
            title="Senior Data Engineer",
            at=_ago(now, hours=3),
            topics=["streaming ingestion", "on-call rotation"],
            questions=["How would you cut pipeline costs?"],
        ),
    )
    log(
        service,
        LogRequest(
            "application",
            ["Dana Whitfield"],
            email="dana@northwind.example",
            org="Northwind",
            title="Platform Engineer",
            at=_ago(now, days=4),
        ),
    )
    log(
        service,
        LogRequest(
            "meeting",
            ["Kenji Mori"],
            linkedin="https://www.linkedin.com/in/kenji-mori-example",
            org="Harbour Robotics",
            at=_ago(now, days=1),
            topics=["warehouse automation"],
            note="Met at the Data Leaders meetup",
        ),
    )
    log(
        service,
        LogRequest(
            "help-promised",
            ["Alex Osei"],
            promised="an introduction to the Fintrail data team",
            at=_ago(now, days=9),
        ),
    )
    log(
        service,
        LogRequest(
            "introduction",
            ["Maya Lindqvist"],
            org="Fintrail",
            introduced_by="Alex Osei",
            email="maya@fintrail.example",
            at=_ago(now, hours=20),
        ),
    )
    meeting = log(
        service,
        LogRequest(
            "client-meeting",
            ["Samuel Adeyemi"],
            org="Brightline Foods",
            title="Q3 analytics pilot",
            at=_ago(now, days=12),
            topics=["pilot scope", "pricing"],
            phone="+44 20 7946 0001",
        ),
    )
    recap = meeting.change.added[0]
    done(service, recap.id, at=_ago(now, days=11))
    old = log(
        service,
        LogRequest(
            "interview", ["Grace Holloway"], org="Lumen Health", title="Analytics Lead", at=_ago(now, days=20)
        ),
    )
    for f in old.change.added:
        if not f.nudge:
            done(service, f.id, at=_ago(now, days=19, hours=22))
    outcome(service, old.interaction.thread_id, "rejected", at=_ago(now, days=1))
