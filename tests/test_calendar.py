"""Business days and windows, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from tactful.business_days import BusinessCalendar, country_for_zone
from tactful.errors import InvalidInput
from tactful.playbook.rules import Offset, load

from .conftest import at, local

D = dt.date


def test_weekends_are_not_business_days() -> None:
    cal = BusinessCalendar("America/New_York", None)
    assert cal.add_business_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday -> Monday
    assert cal.add_business_days(D(2026, 3, 7), 0) == D(2026, 3, 9)  # a Saturday rolls to Monday
    assert cal.business_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1


def test_public_holidays_of_the_users_country_are_skipped() -> None:
    us = BusinessCalendar("America/New_York", "US")
    gb = BusinessCalendar("Europe/London", "GB")
    # Thanksgiving (Thu 26 Nov 2026) is a holiday in the US, not in Britain.
    assert us.add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 27)
    assert gb.add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 26)
    assert us.holiday_name(D(2026, 11, 26)) == "Thanksgiving Day"
    # Boxing Day falls on a Saturday in 2026; Britain observes it on Monday 28 Dec.
    assert not gb.is_business_day(D(2026, 12, 28))


def test_country_is_guessed_from_the_zone() -> None:
    assert country_for_zone("Europe/London") == "GB"
    assert country_for_zone("America/New_York") == "US"


def test_day_window_opens_at_midnight_and_closes_at_end_of_day_local() -> None:
    cal = BusinessCalendar("America/New_York", "US")
    anchor = at("2026-03-02 10:00")  # a Monday
    opens = Offset(3, "d").resolve(anchor, cal, closing=False)
    closes = Offset(5, "d").resolve(anchor, cal, closing=True)
    assert local(opens) == "2026-03-05 00:00:00"
    assert local(closes) == "2026-03-09 23:59:59"


def test_clock_window_counts_hours_across_a_dst_change() -> None:
    cal = BusinessCalendar("America/New_York", "US")
    anchor = at("2026-03-07 20:00")  # clocks go forward on Sunday 8 March
    assert local(Offset(24, "h").resolve(anchor, cal, closing=True)) == "2026-03-08 21:00:00"


def test_time_sensitive_halves_the_close_and_never_opens_after_it() -> None:
    playbook = load()
    cal = BusinessCalendar("America/New_York", "US")
    anchor = at("2026-03-02 10:00")
    thank = playbook.rules["interview.thank-you"]
    _, closes = thank.window(anchor, cal, time_sensitive=True)
    assert closes - anchor == dt.timedelta(hours=12)
    check = playbook.rules["interview.check-in"]  # 3..5 business days -> 3..3
    opens, closes = check.window(anchor, cal, time_sensitive=True)
    assert (local(opens), local(closes)) == ("2026-03-05 00:00:00", "2026-03-05 23:59:59")
    help_ = playbook.rules["help.reminder"]  # 5..7 -> opens no later than it closes: 4..4
    opens, closes = help_.window(anchor, cal, time_sensitive=True)
    assert (local(opens), local(closes)) == ("2026-03-06 00:00:00", "2026-03-06 23:59:59")
    intro = playbook.rules["introduction.thank-introducer"]  # 0h..2d -> 0h..1d, never below one day
    opens, closes = intro.window(anchor, cal, time_sensitive=True)
    assert local(closes) == "2026-03-03 23:59:59"


def test_business_moment_falls_in_the_recipients_hours() -> None:
    cal = BusinessCalendar("America/New_York", "US")
    earliest = at("2026-03-06 18:30")  # Friday evening
    latest = at("2026-03-12 23:00")
    moment = cal.business_moment(earliest, latest, (9, 17))
    assert local(moment) == "2026-03-09 09:00:00"
    # In London's hours, Monday 09:00 there is 04:00 in New York.
    assert local(cal.business_moment(earliest, latest, (9, 17), tz="Europe/London")) == "2026-03-09 05:00:00"


def test_every_rule_of_the_spec_is_in_the_shipped_playbook() -> None:
    ids = {rule.id for rule in load().rules.values()}
    spec = {
        "interview.thank-you", "interview.handwritten-note", "interview.linkedin-connect", "interview.check-in",
        "interview.check-in-after-deadline", "interview.second-check-in", "application.check", "meeting.reconnect",
        "introduction.thank-introducer", "introduction.introduce-yourself", "help.reminder", "help.thanks",
        "call.recap", "presentation.recap", "client-meeting.recap", "presentation.check-in",
        "client-meeting.check-in", "rejection.gracious-close", "rejection.linkedin-connect",
    }  # fmt: skip
    assert spec <= ids


def test_a_user_override_changes_one_number_and_keeps_the_rest(tmp_path) -> None:
    override = tmp_path / "playbook.toml"
    override.write_text(
        '[rules."interview.thank-you"]\ncloses = "12h"\n[limits]\nspacing_business_days = 3\n'
    )
    playbook = load(override)
    assert str(playbook.rules["interview.thank-you"].closes) == "12h"
    assert playbook.rules["interview.thank-you"].why.startswith("Thank-you")
    assert playbook.limits.spacing_business_days == 3
    assert playbook.limits.cap == 1


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('[rules."interview.thank-you"]\ncloses = "soon"\n', "not a window offset"),
        ("[limits]\nspacing = 3\n", "unknown limit"),
        ("[limits\n", "not valid TOML"),
        ('[rules."interview.thank-you"]\nchannel = "pigeon"\n', "pigeon"),
    ],
)
def test_a_broken_override_says_where_and_what(tmp_path, text: str, complaint: str) -> None:
    override = tmp_path / "playbook.toml"
    override.write_text(text)
    with pytest.raises(InvalidInput, match=complaint) as err:
        load(override)
    assert str(override) in str(err.value) or "TOML" in str(err.value)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[limits]\ntime_sensitive_factor = 0\n", "from 1 to 365"),
        ('[limits]\nbusiness_hours = [9, "x"]\n', "two hours like"),
        ('[limits]\nphone_purpose = "bogus"\n', "not a purpose"),
        ('[rules."interview.thank-you"]\nwhy = "By {deadline}."\n', "cannot fill 'deadline'"),
        ("rules = 5\n", "rules should be tables"),
        ("limits = 5\n", "[limits] should be a table"),
        ('[rules."interview.thank-you"]\nwhy = "A {0} slot."\n', "cannot fill"),
    ],
)
def test_an_override_that_would_break_planning_is_refused_when_read(
    tmp_path, text: str, complaint: str
) -> None:
    override = tmp_path / "playbook.toml"
    override.write_text(text)
    with pytest.raises(InvalidInput, match=complaint.replace("[", r"\[").replace("(", r"\(")):
        load(override)
