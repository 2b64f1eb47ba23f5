"""Keep-in-touch check-ins under random histories: none breaks the spacing or one-channel limits,
none sits beside other planned outreach to the same person, and every one opens a cadence after the
last contact of any kind (so any interaction resets the clock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tactful.domain import MESSAGES, Channel, FollowUp, Status, channel_companions
from tactful.service import Service, followups
from tactful.service.followups import LogRequest
from tactful.service.keep_in_touch import RULE, keep_in_touch, later
from tactful.service.people import retag
from tactful.service.profile import update_profile
from tactful.store import open_store
from tests.test_properties import PEOPLE, START, _run, act_op, log_op

cadence = st.fixed_dictionaries(
    {
        "every": st.sampled_from(["1w", "2w", "10d", "3w"]),
        "who": st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True),
        "linkedin_only": st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True),
    }
)


def _meet_everyone(service: Service, plan: dict[str, Any]) -> None:
    """Everyone met a month before, reconnects sent, the cadence set for some of them."""
    met = START - dt.timedelta(days=30)
    for name in PEOPLE:
        reachable: dict[str, Any] = {"email": f"{name.split()[0].lower()}@example.org"}
        if name in plan["linkedin_only"]:
            reachable = {"linkedin": f"https://www.linkedin.com/in/{name.split()[0].lower()}"}
        logged = followups.log(service, LogRequest("meeting", [name], at=met.isoformat(), **reachable))
        for f in logged.change.added:
            followups.done(service, f.id, at=(met + dt.timedelta(days=1)).isoformat())
    for name in plan["who"]:
        retag(service, name, ["mentor"])
    keep_in_touch(service, tag="mentor", every=plan["every"])


def _check(service: Service, plan: dict[str, Any]) -> None:
    store, cal = service.store, service.calendar
    limits = service.planner.playbook.limits
    everything = store._followups("ORDER BY id", ())
    kits = [f for f in everything if f.rule == RULE and f.status is Status.PLANNED]
    outreach = [f for f in everything if f.status in (Status.PLANNED, Status.DONE) and f.purpose in MESSAGES]
    assert len({f.contact_id for f in kits}) == len(kits), "one check-in per person at a time"
    last = {cid: dt.datetime.fromisoformat(at) for cid, _, _, _, at in store.cadenced()}
    for k in kits:
        assert k.contact_id in last, "a check-in only for someone with a cadence"
        comes = later(last[k.contact_id], plan["every"])
        assert k.not_before >= cal.start_of(cal.local_date(comes)), ("before the cadence came round", k)
        for o in outreach:
            if o.id == k.id or o.contact_id != k.contact_id:
                continue
            assert o.status is not Status.PLANNED, ("a check-in beside other planned outreach", o, k)
            if o.moment > k.not_before:
                continue
            gap = cal.business_days_between(cal.local_date(o.moment), cal.local_date(k.not_before))
            if o.nudge or o.rule == RULE:  # both ask for their attention
                assert gap >= limits.spacing_business_days, ("spacing", o, k)
            if o.channel is not k.channel and not channel_companions(o.rule, k.rule):
                assert gap >= limits.one_channel_business_days, ("one channel", o, k)
    people = {c.id: c for c in store.contacts(last)}
    for k in kits:
        person = people[k.contact_id]
        expected = Channel.EMAIL if person.email else Channel.PHONE if person.phone else Channel.LINKEDIN
        if person.prefers not in (None, Channel.LETTER, Channel.EMAIL):
            expected = person.prefers  # the way they prefer, first contact included
        assert k.channel is expected, (k, person)


def _fresh() -> Service:
    store = open_store(Path(":memory:"))
    service = Service(store, now=START - dt.timedelta(days=30))
    update_profile(service, tz="America/New_York", country="US")
    return service


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cadence, st.lists(st.one_of(log_op, act_op, act_op), min_size=1, max_size=12))
def test_no_history_yields_a_check_in_that_breaks_a_limit(
    plan: dict[str, Any], ops: list[dict[str, Any]]
) -> None:
    service = _fresh()
    _meet_everyone(service, plan)
    service._fixed_now = START
    ops.sort(key=lambda op: op["hours"])
    _run(service, ops, follow_plan=False)
    _check(service, plan)
    service.store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cadence, st.lists(st.one_of(log_op, act_op), min_size=1, max_size=10))
def test_checking_in_as_planned_keeps_the_limits_too(plan: dict[str, Any], ops: list[dict[str, Any]]) -> None:
    service = _fresh()
    _meet_everyone(service, plan)
    service._fixed_now = START
    ops.sort(key=lambda op: op["hours"])
    _run(service, ops, follow_plan=True)
    for k in [f for f in service.store.planned_until(None) if f.rule == RULE]:
        followups.done(service, k.id, at=(k.suggested_at or k.not_before).isoformat())
    _check(service, plan)
    service.store.close()


def test_the_check_ins_of_a_quiet_history_open_a_cadence_after_the_last_contact() -> None:
    """By construction: met on 17 October, reconnect sent on the 18th; every 2 weeks from then."""
    service = _fresh()
    plan = {"every": "2w", "who": ["Sam Lee"], "linkedin_only": []}
    _meet_everyone(service, plan)
    (k,) = [f for f in service.store.planned_until(None) if f.rule == RULE]
    sent: FollowUp = next(
        f
        for f in service.store._followups("ORDER BY id", ())
        if f.status is Status.DONE and f.contact_id == k.contact_id
    )
    assert sent.done_at is not None
    assert sent.done_at == dt.datetime(2026, 10, 18, 9, tzinfo=dt.UTC)
    # Two weeks on is Sunday 1 November: the check-in opens the next business day.
    assert service.calendar.local_date(k.not_before) == dt.date(2026, 11, 2)


@settings(max_examples=300, deadline=None)
@example([(dt.datetime(2027, 2, 28, 18), "1m")], dt.datetime(2027, 3, 31, 12))  # a short month's end
@example([(dt.datetime(2027, 1, 31, 12), "1m"), (dt.datetime(2026, 8, 31), "6m")], dt.datetime(2027, 3, 1))
@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)),
            st.sampled_from(["10d", "2w", "1m", "2m", "3m", "4m", "6m", "1y"]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 3, 31)),
)
def test_the_quick_losing_touch_list_is_the_plain_definition(
    rows: list[tuple[dt.datetime, str]], when: dt.datetime
) -> None:
    """Past `at_most` since the last contact, worked out in full for every row, gives the same list."""
    from types import SimpleNamespace

    from tactful.service.keep_in_touch import losing_touch

    now = when.replace(tzinfo=dt.UTC)
    stored = [
        (n % 7, f"P{n % 7}", "1w", most, last.replace(tzinfo=dt.UTC, microsecond=0).isoformat())
        for n, (last, most) in enumerate(rows)
    ]
    svc: Any = SimpleNamespace(store=SimpleNamespace(cadenced=lambda: stored))
    expected = {cid for cid, _, _, most, last in stored if later(dt.datetime.fromisoformat(last), most) < now}
    assert {x.contact_id for x in losing_touch(svc, now)} == expected
