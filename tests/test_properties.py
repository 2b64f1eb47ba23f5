"""Property tests: no random history yields a plan that breaks a limit of the playbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tactful.domain import Channel, Status, channel_companions
from tactful.errors import TactfulError
from tactful.service import Service, followups, reading
from tactful.service.followups import LogRequest
from tactful.service.profile import update_profile
from tactful.store import open_store

START = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)  # a Monday, ten days before Thanksgiving
PEOPLE = ["Priya Natarajan", "Sam Lee", "Ines Duarte", "Kenji Mori"]
ORGS = [None, "Acme", "Globex"]
KINDS = [
    "interview",
    "application",
    "meeting",
    "introduction",
    "help-promised",
    "call",
    "presentation",
    "client-meeting",
]

log_op = st.fixed_dictionaries(
    {
        "op": st.just("log"),
        "kind": st.sampled_from(KINDS),
        "people": st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True),
        "org": st.sampled_from(ORGS),
        "hours": st.integers(0, 24 * 20),
        "decision_days": st.none() | st.integers(0, 15),
        "time_sensitive": st.booleans(),
        "prefers": st.none() | st.sampled_from(["email", "phone", "linkedin"]),
        "phone": st.booleans(),
        "linkedin": st.booleans(),
    }
)
act_op = st.fixed_dictionaries(
    {
        "op": st.sampled_from(["done", "done", "done", "skip", "reply", "outcome"]),
        "pick": st.integers(0, 1000),
        "outcome": st.sampled_from(["rejected", "offer", "won", "lost", "closed", "helped"]),
        "hours": st.integers(0, 24 * 20),
    }
)


def _run(service: Service, ops: list[dict[str, Any]], follow_plan: bool = True) -> None:
    for op in ops:
        when = (START + dt.timedelta(hours=op["hours"])).isoformat()
        try:
            if op["op"] == "log":
                decision = None
                if op["decision_days"] is not None:
                    decision = (
                        (START + dt.timedelta(hours=op["hours"], days=op["decision_days"])).date().isoformat()
                    )
                followups.log(service,
                    LogRequest(
                        op["kind"], op["people"], org=op["org"], at=when, decision_by=decision,
                        time_sensitive=op["time_sensitive"], prefers=op["prefers"],
                        phone="+1 212 555 0100" if op["phone"] else None,
                        linkedin="https://linkedin.com/in/x" if op["linkedin"] else None,
                        introduced_by="Alex Osei" if op["kind"] == "introduction" else None,
                    )
                )  # fmt: skip
                continue
            planned = service.store.planned_until(None)
            if op["op"] in ("done", "skip") and planned:
                f = planned[op["pick"] % len(planned)]
                if op["op"] == "skip":
                    followups.skip(service, f.id)
                elif follow_plan:  # the user sends at the suggested moment
                    followups.done(service, f.id, at=(f.suggested_at or f.not_before).isoformat())
                else:  # ... or whenever they like
                    followups.done(service, f.id, at=when)
            elif op["op"] == "reply":
                name = PEOPLE[op["pick"] % len(PEOPLE)]
                thread = None
                try:
                    person = reading.contact(service, name)
                    thread = service.store.find_open_thread_for_contact(person.id)
                except TactfulError:
                    pass
                followups.reply(service, name, at=when)
                if thread is not None:
                    left = [f for f in service.store.history(thread).followups if f.status is Status.PLANNED]
                    assert not any(f.nudge for f in left), "a reply must stop the thread's nudges"
            elif op["op"] == "outcome":
                count = service.store.conn.execute("SELECT count(*) FROM threads").fetchone()[0]
                if count:
                    tid = op["pick"] % count + 1
                    followups.outcome(service, tid, op["outcome"], at=when)
                    left = [f for f in service.store.history(tid).followups if f.status is Status.PLANNED]
                    assert not any(f.nudge for f in left), "an outcome must stop the thread's nudges"
        except TactfulError:
            pass  # invalid for this history (an outcome that does not fit, a name that fits two): refused whole


def _check(service: Service) -> None:
    store = service.store
    cal = service.calendar
    limits = service.planner.playbook.limits
    everything = store._followups("ORDER BY id", ())
    live = [f for f in everything if f.status in (Status.PLANNED, Status.DONE)]
    for f in everything:
        assert f.not_before <= f.due_by, f
        if f.suggested_at is not None:
            assert f.not_before <= f.suggested_at <= f.due_by, f
        assert f.why and "\n" not in f.why
    for tid in {f.thread_id for f in everything}:
        history = store.history(tid)
        for round_ in {f.round for f in history.followups}:
            nudges = [
                f
                for f in history.followups
                if f.nudge and f.round == round_ and f.status in (Status.PLANNED, Status.DONE)
            ]
            decided = any(i.decision_by for i in history.interactions if i.round == round_)
            cap = limits.cap_after_decision_date if decided else limits.cap
            assert len(nudges) <= cap, (tid, round_, nudges)
        if history.thread.dormant_at is not None:
            assert not [f for f in history.followups if f.nudge and f.status is Status.PLANNED]
    for later in live:
        if not later.nudge:
            continue
        for earlier in live:
            if earlier.id >= later.id or earlier.contact_id != later.contact_id:
                continue
            if earlier.nudge and earlier.moment <= later.not_before:
                gap = cal.business_days_between(
                    cal.local_date(earlier.moment), cal.local_date(later.not_before)
                )
                assert gap >= limits.spacing_business_days, ("spacing", earlier, later)
            if (
                later.channel is Channel.PHONE
                and earlier.channel is Channel.EMAIL
                and earlier.moment <= later.not_before
            ):
                assert later.not_before - earlier.moment >= dt.timedelta(days=limits.phone_after_email_days)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(log_op, act_op), min_size=1, max_size=14))
def test_no_history_breaks_a_limit(ops: list[dict[str, Any]]) -> None:
    store = open_store(Path(":memory:"))
    service = Service(store, now=START)
    update_profile(service, tz="America/New_York", country="US", linkedin="https://linkedin.com/in/me")
    ops.sort(key=lambda op: op["hours"])
    _run(service, ops)
    _check(service)
    store.close()


def _check_against_sent(service: Service) -> None:
    """Whatever was sent, and whenever: no planned follow-up breaks a limit against it."""
    cal = service.calendar
    limits = service.planner.playbook.limits
    everything = service.store._followups("ORDER BY id", ())
    planned = [f for f in everything if f.status is Status.PLANNED]
    sent = [f for f in everything if f.status is Status.DONE and f.done_at is not None]
    for p in planned:
        for s in sent:
            if s.contact_id != p.contact_id or s.done_at is None or s.done_at > p.not_before:
                continue
            gap = cal.business_days_between(cal.local_date(s.done_at), cal.local_date(p.not_before))
            if p.nudge and s.nudge:
                assert gap >= limits.spacing_business_days, ("spacing", s, p)
            if p.nudge and p.channel is Channel.PHONE and s.channel is Channel.EMAIL:
                assert p.not_before - s.done_at >= dt.timedelta(days=limits.phone_after_email_days), (
                    "phone",
                    s,
                    p,
                )
            if p.channel is not s.channel and not channel_companions(s.rule, p.rule):
                assert gap >= limits.one_channel_business_days, ("one channel", s, p)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(log_op, act_op, act_op), min_size=1, max_size=14))
def test_a_send_at_any_time_pushes_the_plan_back_within_the_limits(ops: list[dict[str, Any]]) -> None:
    store = open_store(Path(":memory:"))
    service = Service(store, now=START)
    update_profile(service, tz="America/New_York", country="US", linkedin="https://linkedin.com/in/me")
    ops.sort(key=lambda op: op["hours"])
    _run(service, ops, follow_plan=False)
    _check_against_sent(service)
    store.close()
