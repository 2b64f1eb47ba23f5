"""Every rule and guard of the playbook, on concrete dates (New York, US holidays).

The histories live in memory (`memory.MemoryStore`): no database is opened here, which the first
fixture makes sure of.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from tactful.domain import Channel, Purpose, Status
from tactful.service import followups, reading

from .conftest import World, local
from .memory import MemoryStore


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the planner tests open no database")

    monkeypatch.setattr(sqlite3, "connect", refused)


@pytest.fixture
def world() -> World:
    return World(MemoryStore())


@pytest.fixture
def make_world() -> Callable[..., World]:
    return lambda **kwargs: World(MemoryStore(), **kwargs)


def by_rule(followups: list[Any], rule: str) -> list[Any]:
    return [f for f in followups if f.rule == rule]


def one(followups: list[Any], rule: str) -> Any:
    found = by_rule(followups, rule)
    assert len(found) == 1, [f.rule for f in followups]
    return found[0]


def window(f: Any) -> tuple[str, str]:
    return local(f.not_before), local(f.due_by)


# -- interviews ------------------------------------------------------------------------------------


def test_interview_plans_a_thank_you_per_interviewer_within_24_hours(world: World) -> None:
    logged = world.log("interview", "Priya Natarajan", "Sam Lee", org="Acme", at="2026-03-02 10:00")
    thanks = by_rule(logged.change.added, "interview.thank-you")
    assert {world.store.get_contact(f.contact_id).name for f in thanks} == {"Priya Natarajan", "Sam Lee"}
    for f in thanks:
        assert window(f) == ("2026-03-02 10:00:00", "2026-03-03 10:00:00")
        assert f.channel is Channel.EMAIL and not f.nudge
        assert f.why == "Thank-you emails land best within 24 hours of an interview."
        assert "2026-03-02 12:00" <= local(f.suggested_at) <= "2026-03-02 17:00"


def test_check_in_without_a_decision_date_is_3_to_5_business_days_later(world: World) -> None:
    logged = world.log("interview", "Priya Natarajan", org="Acme", at="2026-03-02 10:00")  # Monday
    check = one(logged.change.added, "interview.check-in")
    assert window(check) == ("2026-03-05 00:00:00", "2026-03-09 23:59:59")
    assert check.nudge and check.purpose is Purpose.CHECK_IN


def test_check_in_skips_the_weekend(world: World) -> None:
    logged = world.log("interview", "Priya Natarajan", org="Acme", at="2026-03-06 15:00")  # Friday
    check = one(logged.change.added, "interview.check-in")
    assert window(check) == ("2026-03-11 00:00:00", "2026-03-13 23:59:59")


def test_check_in_skips_a_public_holiday_of_the_users_country(make_world) -> None:
    us = make_world(country="US")
    check = one(
        us.log("interview", "Priya", org="Acme", at="2026-11-24 10:00").change.added, "interview.check-in"
    )
    assert window(check) == ("2026-11-30 00:00:00", "2026-12-02 23:59:59")  # Thanksgiving skipped
    gb = make_world(tz="Europe/London", country="GB")
    check = one(
        gb.log("interview", "Priya", org="Acme", at="2026-11-24 10:00").change.added, "interview.check-in"
    )
    assert local(check.not_before, "Europe/London") == "2026-11-27 00:00:00"


def test_decision_date_moves_the_check_in_two_business_days_past_it(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", decision_by="2026-03-13")
    check = one(logged.change.added, "interview.check-in-after-deadline")
    assert window(check) == ("2026-03-17 00:00:00", "2026-03-19 23:59:59")
    assert "Fri 13 Mar" in check.why
    assert not by_rule(logged.change.added, "interview.check-in")


def test_time_sensitive_interview_gets_sooner_windows(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", time_sensitive=True)
    thanks = one(logged.change.added, "interview.thank-you")
    assert window(thanks) == ("2026-03-02 10:00:00", "2026-03-02 22:00:00")
    assert "time-sensitive" in thanks.why
    check = one(logged.change.added, "interview.check-in")
    assert window(check) == ("2026-03-05 00:00:00", "2026-03-05 23:59:59")


def test_handwritten_note_when_the_profile_enables_notes(make_world) -> None:
    w = make_world(notes=True)
    note = one(
        w.log("interview", "Priya", org="Acme", at="2026-03-06 10:00").change.added,
        "interview.handwritten-note",
    )
    assert note.channel is Channel.LETTER
    assert window(note) == ("2026-03-06 10:00:00", "2026-03-09 23:59:59")  # end of the next business day
    plain = make_world()
    assert not by_rule(plain.log("interview", "Priya", org="Acme", at="2026-03-06 10:00").change.added,
                       "interview.handwritten-note")  # fmt: skip
    asked = plain.log("interview", "Sam", org="Beta", at="2026-03-06 10:00", card=True)
    assert by_rule(asked.change.added, "interview.handwritten-note")


def test_sending_the_thank_you_unlocks_the_linkedin_request(world: World) -> None:
    logged = world.log(
        "interview", "Priya", org="Acme", at="2026-03-02 10:00", linkedin="https://linkedin.com/in/p"
    )
    thanks = one(logged.change.added, "interview.thank-you")
    _, change = world.done(thanks.id, "2026-03-02 15:00")
    connect = one(change.added, "interview.linkedin-connect")
    assert connect.channel is Channel.LINKEDIN
    assert window(connect) == ("2026-03-02 15:00:00", "2026-03-05 23:59:59")
    # Once connected, a later thank-you in the same thread plans no second request.
    world.done(connect.id, "2026-03-03 09:00")
    assert world.store.get_contact(connect.contact_id).linkedin_connected


def test_no_linkedin_request_when_nobody_uses_linkedin(world: World) -> None:
    thanks = one(
        world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00").change.added, "interview.thank-you"
    )
    _, change = world.done(thanks.id, "2026-03-02 15:00")
    assert change.added == []


# -- stopping --------------------------------------------------------------------------------------


def test_a_reply_cancels_the_nudges_and_keeps_the_gratitude(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00")
    tid = logged.interaction.thread_id
    change = followups.reply(world.service, "Priya", at="2026-03-03 08:00")
    left = world.plan(tid)
    check = one(left, "interview.check-in")
    assert check.status is Status.CANCELLED and check.cancel_reason == "they replied"
    assert one(left, "interview.thank-you").status is Status.PLANNED
    assert change.cancelled == [check.id]


def test_rejection_cancels_nudges_and_plans_a_gracious_close(world: World) -> None:
    logged = world.log(
        "interview",
        "Priya",
        org="Acme",
        at="2026-03-02 10:00",
        email="priya@acme.example",
        linkedin="https://linkedin.com/in/p",
    )
    tid = logged.interaction.thread_id
    change = followups.outcome(world.service, tid, "rejected", at="2026-03-04 11:00")
    plan = world.plan(tid)
    assert one(plan, "interview.check-in").cancel_reason == "outcome: rejected"
    assert one(plan, "interview.thank-you").status is Status.PLANNED  # gratitude stays
    close = one(change.added, "rejection.gracious-close")
    assert window(close) == ("2026-03-04 11:00:00", "2026-03-06 23:59:59")
    assert world.store.get_thread(tid).closed
    _, after = world.done(close.id, "2026-03-04 16:00")
    connect = one(after.added, "rejection.linkedin-connect")
    # One channel at a time: the request waits two business days after the email.
    assert local(connect.not_before) == "2026-03-06 00:00:00"


def test_other_outcomes_stop_nudges(world: World) -> None:
    tid = world.log("presentation", "Ola", org="Brightline", at="2026-03-02 10:00").interaction.thread_id
    recap = one(world.planned(tid), "presentation.recap")
    world.done(recap.id, "2026-03-02 16:00")
    assert by_rule(world.planned(tid), "presentation.check-in")
    change = followups.outcome(world.service, tid, "won", at="2026-03-05 10:00")
    # The nudges stop; what is left is the thanks a win calls for.
    assert [f.rule for f in world.planned(tid)] == ["outcome.won.thank-you"]
    assert [f.rule for f in change.added] == ["outcome.won.thank-you"]


@pytest.mark.parametrize(
    ("kind", "result", "rule", "purpose"),
    [
        ("interview", "offer", "outcome.offer.thank-you", Purpose.THANK_YOU),
        ("presentation", "won", "outcome.won.thank-you", Purpose.THANK_YOU),
        ("client-meeting", "lost", "outcome.lost.gracious-close", Purpose.GRACIOUS_CLOSE),
    ],
)
def test_an_offer_a_win_or_a_loss_plans_its_courtesy(
    world: World, kind: str, result: str, rule: str, purpose: Purpose
) -> None:
    tid = world.log(
        kind, "Ola", org="Brightline", at="2026-03-02 10:00", email="ola@brightline.example"
    ).interaction.thread_id
    change = followups.outcome(world.service, tid, result, at="2026-03-05 10:00")
    (planned,) = change.added
    assert planned.rule == rule and planned.purpose is purpose and planned.channel is Channel.EMAIL
    assert planned.not_before == world.service.moment("2026-03-05 10:00", "at")


def test_help_arriving_plans_thanks(world: World) -> None:
    logged = world.log("help-promised", "Alex", at="2026-03-02 10:00", promised_by="2026-03-10")
    reminder = one(logged.change.added, "help.reminder")
    assert window(reminder) == ("2026-03-11 00:00:00", "2026-03-13 23:59:59")
    change = followups.outcome(world.service, logged.interaction.thread_id, "helped", at="2026-03-09 12:00")
    assert change.cancelled == [reminder.id]
    thanks = one(change.added, "help.thanks")
    assert window(thanks) == ("2026-03-09 12:00:00", "2026-03-10 12:00:00")


def test_help_without_a_date_is_reminded_about_a_week_later(world: World) -> None:
    reminder = one(world.log("help-promised", "Alex", at="2026-03-02 10:00").change.added, "help.reminder")
    assert window(reminder) == ("2026-03-09 00:00:00", "2026-03-11 23:59:59")


def test_next_round_replaces_the_pending_nudges_and_restarts_the_count(world: World) -> None:
    first = world.log("interview", "Priya", org="Acme", title="Data Engineer", at="2026-03-02 10:00")
    tid = first.interaction.thread_id
    thanks = one(first.change.added, "interview.thank-you")
    check = one(first.change.added, "interview.check-in")
    world.done(thanks.id, "2026-03-02 15:00")
    world.done(check.id, "2026-03-05 10:00")
    assert world.store.get_thread(tid).dormant_why  # one nudge: the cap
    second = world.log(
        "interview", "Priya", "Lee Chen", org="Acme", title="Data Engineer", at="2026-03-10 14:00"
    )
    assert second.interaction.thread_id == tid and second.interaction.round == 2
    assert world.store.get_thread(tid).dormant_why is None
    new_check = one(second.change.added, "interview.check-in")
    # Spacing: the last nudge to Priya went out on Thu 5 Mar, so this one opens 5 business days after.
    assert local(new_check.not_before) >= "2026-03-12 00:00:00"
    assert len(by_rule(second.change.added, "interview.thank-you")) == 2


def test_next_round_cancels_a_still_pending_check_in(world: World) -> None:
    first = world.log("interview", "Priya", org="Acme", title="Data Engineer", at="2026-03-02 10:00")
    check = one(first.change.added, "interview.check-in")
    second = world.log("interview", "Priya", org="Acme", title="Data Engineer", at="2026-03-04 10:00")
    assert second.change.cancelled == [check.id]
    assert world.store.get_followup(check.id).cancel_reason == "replaced by round 2"


# -- limits ----------------------------------------------------------------------------------------


def test_the_cap_turns_a_thread_dormant(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00")
    tid = logged.interaction.thread_id
    world.done(one(logged.change.added, "interview.thank-you").id, "2026-03-02 15:00")
    _, change = world.done(one(logged.change.added, "interview.check-in").id, "2026-03-06 10:00")
    assert change.added == []
    assert change.dormant_why == "You have followed up twice with no answer; give them room."
    thread = world.store.get_thread(tid)
    assert world.store.history(tid).stage.value == "dormant" and thread.dormant_at is not None
    assert (
        reading.agenda(world.service, now="2026-03-06 12:00").dormant == []
    )  # only --all lists resting threads
    agenda = reading.agenda(world.service, now="2026-03-06 12:00", everything=True)
    assert [t.id for t in agenda.dormant] == [tid]


def test_a_passed_decision_date_allows_one_more_nudge_on_another_channel(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", decision_by="2026-03-06",
                       email="priya@acme.example", phone="+1 212 555 0100")  # fmt: skip
    tid = logged.interaction.thread_id
    world.done(one(logged.change.added, "interview.thank-you").id, "2026-03-02 15:00")
    check = one(logged.change.added, "interview.check-in-after-deadline")
    assert window(check) == ("2026-03-10 00:00:00", "2026-03-12 23:59:59")
    _, change = world.done(check.id, "2026-03-10 10:00")
    second = one(change.added, "interview.second-check-in")
    assert second.channel is Channel.PHONE and second.purpose is Purpose.CALL
    # +5..+7 business days after the check-in; a call also waits 7 days after that email.
    assert window(second) == ("2026-03-17 10:00:00", "2026-03-19 23:59:59")
    assert "wait 7 days after your last email" in second.why
    assert "09:00:00" <= local(second.suggested_at)[11:] <= "17:00:00"
    _, last = world.done(second.id, "2026-03-17 11:00")
    assert last.dormant_why == "You have followed up 3 times with no answer; give them room."
    assert world.planned(tid) == []


def test_no_second_check_in_before_the_decision_date_passed(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", decision_by="2026-03-06")
    check = one(logged.change.added, "interview.check-in-after-deadline")
    _, change = world.done(check.id, "2026-03-05 10:00")  # sent early, before their date
    assert change.added == [] and change.dormant_why


def test_spacing_across_two_threads_with_the_same_person(world: World) -> None:
    a = world.log("interview", "Priya Natarajan", org="Acme", title="Data Engineer", at="2026-03-02 10:00")
    first = one(a.change.added, "interview.check-in")
    b = world.log("application", "Priya Natarajan", org="Acme", title="Platform Lead", at="2026-03-02 11:00")
    assert b.interaction.thread_id != a.interaction.thread_id
    second = one(b.change.added, "application.check")
    gap = world.service.calendar.business_days_between(
        world.service.calendar.local_date(first.suggested_at),
        world.service.calendar.local_date(second.not_before),
    )
    assert gap >= 5
    assert "5 business days since your last nudge to Priya Natarajan" in second.why


def test_the_preferred_channel_carries_every_follow_up_the_first_included(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", prefers="linkedin",
                       email="priya@acme.example", linkedin="https://linkedin.com/in/p")  # fmt: skip
    for rule in ("interview.thank-you", "interview.check-in"):
        planned = one(logged.change.added, rule)
        assert planned.channel is Channel.LINKEDIN and "the channel Priya prefers" in planned.why


def test_someone_reachable_only_by_phone_or_linkedin_is_never_planned_an_email(world: World) -> None:
    by_phone = world.log("interview", "Ann", org="Acme", at="2026-03-02 10:00", phone="+1 212 555 0100")
    for f in by_phone.change.added:
        assert f.channel is Channel.PHONE, f
    assert "no e-mail address is known for Ann" in one(by_phone.change.added, "interview.thank-you").why
    by_linkedin = world.log(
        "meeting", "Bo", org="Beta", at="2026-03-02 10:00", linkedin="https://linkedin.com/in/bo"
    )
    assert {f.channel for f in by_linkedin.change.added} == {Channel.LINKEDIN}
    unknown = world.log(
        "interview", "Cy", org="Gamma", at="2026-03-02 10:00"
    )  # a name only: e-mail, no address
    assert {f.channel for f in unknown.change.added} == {Channel.EMAIL}


def test_phone_nudge_waits_a_week_after_the_last_email(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", email="priya@acme.example",
                       phone="+1 212 555 0100")  # fmt: skip
    thanks = one(logged.change.added, "interview.thank-you")
    assert thanks.channel is Channel.EMAIL
    world.log(
        "call", "Priya", org="Acme", at="2026-03-02 11:00", prefers="phone"
    )  # she asks for calls from now on
    call = one(
        world.log("interview", "Priya", org="Acme", at="2026-03-02 12:00").change.added, "interview.check-in"
    )
    assert call.channel is Channel.PHONE and call.purpose is Purpose.CALL
    assert call.not_before >= thanks.suggested_at + __import__("datetime").timedelta(days=7)
    assert "wait 7 days after your last email" in call.why


def test_one_channel_at_a_time_for_a_new_contact_met_twice(world: World) -> None:
    # A LinkedIn reconnect planned for Mon; an email application-check to the same person is not piled on.
    met = world.log(
        "meeting", "Kenji Mori", org="Harbour", at="2026-03-02 18:00", linkedin="https://linkedin.com/in/k"
    )
    reconnect = one(met.change.added, "meeting.reconnect")
    assert reconnect.channel is Channel.LINKEDIN
    world.done(reconnect.id, "2026-03-03 10:00")
    intro = world.log("introduction", "Kenji Mori", org="Harbour", introduced_by="Alex Osei", at="2026-03-03 11:00",
                      email="kenji@harbour.example", thread_id=None)  # fmt: skip
    hello = one(intro.change.added, "introduction.introduce-yourself")
    assert local(hello.not_before) == "2026-03-05 00:00:00"  # two business days after the LinkedIn message
    assert "one channel at a time" in hello.why


def test_suggested_times_fall_in_the_recipients_business_hours(world: World) -> None:
    logged = world.log("application", "Ines", org="Zurich Re", at="2026-03-02 10:00")
    person = world.store.get_contact(logged.change.added[0].contact_id)
    world.store.update_contact(person.id, tz="Europe/Zurich")
    app = world.log("application", "Ines", org="Zurich Re", title="Analyst", at="2026-03-02 11:00")
    f = app.change.added[0]
    from zoneinfo import ZoneInfo

    there = f.suggested_at.astimezone(ZoneInfo("Europe/Zurich"))
    assert 9 <= there.hour < 17 and there.weekday() < 5


def test_meeting_without_email_reconnects_on_linkedin(world: World) -> None:
    with_mail = world.log("meeting", "Ada", org="Kestrel", email="ada@kestrel.example", at="2026-03-02 15:30")
    assert one(with_mail.change.added, "meeting.reconnect").channel is Channel.EMAIL
    no_mail = world.log(
        "meeting", "Ben", org="Osprey", linkedin="https://linkedin.com/in/ben", at="2026-03-02 15:30"
    )
    reconnect = one(no_mail.change.added, "meeting.reconnect")
    assert reconnect.channel is Channel.LINKEDIN
    assert window(reconnect) == ("2026-03-03 00:00:00", "2026-03-05 23:59:59")


def test_introduction_thanks_the_introducer_and_introduces_you(world: World) -> None:
    logged = world.log("introduction", "Maya Lindqvist", org="Fintrail", introduced_by="Alex Osei",
                       at="2026-03-02 10:00")  # fmt: skip
    thanks = one(logged.change.added, "introduction.thank-introducer")
    hello = one(logged.change.added, "introduction.introduce-yourself")
    assert world.store.get_contact(thanks.contact_id).name == "Alex Osei"
    assert world.store.get_contact(hello.contact_id).name == "Maya Lindqvist"
    assert window(thanks) == ("2026-03-02 10:00:00", "2026-03-04 23:59:59")


def test_call_recap_within_48_hours(world: World) -> None:
    recap = one(world.log("call", "Jo", at="2026-03-02 10:00").change.added, "call.recap")
    assert window(recap) == ("2026-03-02 10:00:00", "2026-03-04 10:00:00")


def test_client_meeting_check_in_follows_the_recap_unless_they_replied(world: World) -> None:
    logged = world.log(
        "client-meeting", "Ola", org="Brightline", at="2026-03-02 10:00", decision_by="2026-03-09"
    )
    recap = one(logged.change.added, "client-meeting.recap")
    _, change = world.done(recap.id, "2026-03-02 17:00")
    check = one(change.added, "client-meeting.check-in")
    assert window(check) == ("2026-03-11 00:00:00", "2026-03-13 23:59:59")
    other = world.log("client-meeting", "Kim", org="Zeta", at="2026-03-02 10:00")
    recap2 = one(other.change.added, "client-meeting.recap")
    followups.reply(world.service, "Kim", at="2026-03-02 12:00")
    _, change2 = world.done(recap2.id, "2026-03-02 11:00")
    assert change2.added == []  # they already answered


def test_a_next_round_is_not_pushed_back_by_the_nudge_it_replaced(world: World) -> None:
    world.log("interview", "Priya", org="Acme", title="Data Engineer", at="2026-03-02 10:00")
    second = world.log("interview", "Priya", org="Acme", title="Data Engineer", at="2026-03-04 10:00")
    check = one(second.change.added, "interview.check-in")
    assert window(check) == ("2026-03-09 00:00:00", "2026-03-11 23:59:59")
    assert "Opens later" not in check.why


def test_a_window_moved_by_a_guard_still_closes_on_a_business_day(world: World) -> None:
    applied = world.log(
        "application", "Priya Natarajan", org="Acme", title="Platform Lead", at="2026-02-25 10:00"
    )
    world.done(one(applied.change.added, "application.check").id, "2026-03-04 10:00")
    b = world.log("interview", "Priya Natarajan", org="Acme", title="Data Engineer", at="2026-03-02 10:00")
    moved = one(b.change.added, "interview.check-in")  # Thu 5 .. Mon 9 March, two business days long
    assert local(moved.not_before) == "2026-03-11 00:00:00"  # five business days after Wed 4 March
    assert local(moved.due_by) == "2026-03-13 23:59:59"  # still two business days long: a Friday, not Sunday


def test_a_late_afternoon_time_sensitive_thank_you_is_suggested_inside_business_hours(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-06 16:30", time_sensitive=True)  # Friday
    thanks = one(logged.change.added, "interview.thank-you")  # 16:30 .. 04:30 on Saturday
    assert local(thanks.suggested_at) == "2026-03-06 16:30:00"


def test_an_email_sent_later_pushes_a_planned_call_back(world: World) -> None:
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-05 10:00", decision_by="2026-03-13",
                       phone="+1 212 555 0100", email="priya@acme.example")  # fmt: skip
    check = one(logged.change.added, "interview.check-in-after-deadline")
    _, change = world.done(check.id, "2026-03-17 10:00")
    call = one(change.added, "interview.second-check-in")
    assert local(call.not_before) == "2026-03-24 10:00:00"
    met = world.log("meeting", "Priya", org="Acme", title="Meetup", at="2026-03-20 18:00")
    reconnect = one(met.change.added, "meeting.reconnect")
    _, sent = world.done(reconnect.id, "2026-03-23 16:00")  # an email, the day before the call opens
    assert sent.moved == [call.id]
    moved = world.store.get_followup(call.id)
    assert local(moved.not_before) == "2026-03-30 16:00:00"  # a week after that email
    assert "a call should wait 7 days after your last email" in moved.why


def test_only_the_thank_you_and_its_card_or_linkedin_request_share_a_moment(world: World) -> None:
    logged = world.log(
        "interview",
        "Priya",
        org="Acme",
        at="2026-03-05 10:00",
        linkedin="https://linkedin.com/in/p",
        email="priya@acme.example",
    )
    _, after_thanks = world.done(one(logged.change.added, "interview.thank-you").id, "2026-03-05 15:00")
    connect = one(after_thanks.added, "interview.linkedin-connect")
    assert local(connect.not_before) == "2026-03-05 15:00:00"  # right after the thank-you: allowed
    world.done(connect.id, "2026-03-06 10:00")
    intro = world.log("introduction", "Priya", org="Acme", title="Platform", introduced_by="Alex",
                      at="2026-03-06 11:00")  # fmt: skip
    hello = one(intro.change.added, "introduction.introduce-yourself")
    assert local(hello.not_before) == "2026-03-10 00:00:00"  # two business days after the LinkedIn request


def test_the_second_check_in_says_which_channel_and_why(make_world) -> None:
    world = make_world()
    logged = world.log("interview", "Priya", org="Acme", at="2026-03-02 10:00", decision_by="2026-03-06",
                       phone="+1 212 555 0100", email="priya@acme.example")  # fmt: skip
    _, change = world.done(
        one(logged.change.added, "interview.check-in-after-deadline").id, "2026-03-10 10:00"
    )
    call = one(change.added, "interview.second-check-in")
    assert "By phone this time, in case your email went unseen." in call.why
    other = make_world()
    logged = other.log("interview", "Sam", org="Beta", at="2026-03-02 10:00", decision_by="2026-03-06")
    _, change = other.done(
        one(logged.change.added, "interview.check-in-after-deadline").id, "2026-03-10 10:00"
    )
    again = one(change.added, "interview.second-check-in")
    assert again.channel is Channel.EMAIL
    assert "No other way to reach Sam is known, so by email again." in again.why
    assert "another channel" not in again.why


def test_application_check_is_2_to_7_business_days_later(world: World) -> None:
    check = one(
        world.log("application", "Dana", org="Northwind", at="2026-05-21 10:00").change.added,
        "application.check",
    )
    assert window(check) == ("2026-05-26 00:00:00", "2026-06-02 23:59:59")  # Memorial Day (25 May) skipped
    assert check.nudge and check.purpose is Purpose.APPLICATION_CHECK


def test_introduce_yourself_within_two_business_days(world: World) -> None:
    intro = world.log(
        "introduction", "Maya", org="Fintrail", introduced_by="Alex", at="2026-03-06 16:00"
    )  # Friday
    hello = one(intro.change.added, "introduction.introduce-yourself")
    assert window(hello) == ("2026-03-06 16:00:00", "2026-03-10 23:59:59")


def test_presentation_recap_then_check_in_5_to_7_business_days_after_it(world: World) -> None:
    logged = world.log("presentation", "Ola", org="Brightline", at="2026-03-02 10:00")
    recap = one(logged.change.added, "presentation.recap")
    assert window(recap) == ("2026-03-02 10:00:00", "2026-03-04 10:00:00")
    assert not by_rule(logged.change.added, "presentation.check-in")  # only once the recap is sent
    _, change = world.done(recap.id, "2026-03-03 11:00")
    check = one(change.added, "presentation.check-in")
    assert window(check) == ("2026-03-10 00:00:00", "2026-03-12 23:59:59")


def test_client_meeting_gets_a_second_check_in_on_another_channel_once_its_date_passed(world: World) -> None:
    logged = world.log("client-meeting", "Ola", org="Brightline", at="2026-03-02 10:00", decision_by="2026-03-06",
                       linkedin="https://linkedin.com/in/ola", email="ola@brightline.example")  # fmt: skip
    _, sent_recap = world.done(one(logged.change.added, "client-meeting.recap").id, "2026-03-02 15:00")
    check = one(sent_recap.added, "client-meeting.check-in")
    assert window(check) == ("2026-03-10 00:00:00", "2026-03-12 23:59:59")
    _, change = world.done(check.id, "2026-03-10 10:00")
    second = one(change.added, "client-meeting.check-in")
    assert second.channel is Channel.LINKEDIN and second.nudge
    assert window(second) == ("2026-03-17 00:00:00", "2026-03-19 23:59:59")
    _, last = world.done(second.id, "2026-03-17 10:00")
    assert last.dormant_why


def test_the_rules_an_interaction_plans_are_listed_for_corrections() -> None:
    """`FROM_INTERACTION` names every rule `after_interaction` can plan, kind by kind: a corrected
    interaction plans those again and leaves the rest (an outcome's, a sent message's) alone."""
    import inspect

    from tactful.playbook import planner

    source = inspect.getsource(planner.Planner.after_interaction)
    proposed = set(re.findall(r"propose\(\s*\"([a-z.-]+)\"", source))
    proposed |= {f"{k}.recap" for k in ("call", "presentation", "client-meeting")}
    listed = set().union(*planner.FROM_INTERACTION.values())
    assert proposed == listed
