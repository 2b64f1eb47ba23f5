"""The core loop as people live it, through the real CLI: what is planned after what happened."""

from __future__ import annotations

from .test_cli import setup


def test_an_application_answered_then_an_interview_gets_its_own_check_in(run, run_json) -> None:
    setup(run)
    run("log", "application", "--with", "Dana Whitfield", "--email", "dana@globex.example", "--org", "Globex",
        "--for", "Backend Engineer", "--at", "2026-03-02 10:00")  # fmt: skip
    assert run("done", "1", "--at", "2026-03-09 10:00").exit_code == 0
    assert run("reply", "--from", "Dana", "--at", "2026-03-10 10:00").exit_code == 0
    after_reply = run_json("show", "thread", "1")["thread"]
    assert after_reply["stage"] != "dormant" and after_reply["dormant_why"] is None
    logged = run_json("log", "interview", "--with", "Dana", "--with", "Marcus Webb", "--org", "Globex",
                      "--at", "2026-03-16 10:00", "--decision-by", "2026-03-20")  # fmt: skip
    assert logged["thread"]["id"] == 1
    purposes = sorted((f["contact"]["name"], f["purpose"]) for f in logged["followups"])
    assert ("Dana Whitfield", "check-in") in purposes
    assert ("Marcus Webb", "thank-you") in purposes and ("Dana Whitfield", "thank-you") in purposes
    thread = run_json("show", "thread", "1")["thread"]
    assert thread["stage"] != "dormant" and thread["dormant_why"] is None


def test_a_thread_is_called_dormant_only_for_nudges_nobody_answered(run, run_json) -> None:
    setup(run)
    run("log", "interview", "--with", "Priya Natarajan", "--email", "p@acme.example", "--org", "Acme",
        "--for", "Data Engineer", "--at", "2026-03-02 10:00")  # fmt: skip
    plan = {f["purpose"]: f["id"] for f in run_json("show", "thread", "1")["followups"]}
    run("done", str(plan["thank-you"]), "--at", "2026-03-02 16:00")  # a thank-you is no nudge
    assert run_json("show", "thread", "1")["thread"]["stage"] != "dormant"
    done = run("done", str(plan["check-in"]), "--at", "2026-03-09 10:00")
    thread = run_json("show", "thread", "1")["thread"]
    assert thread["stage"] == "dormant" and "followed up twice with no answer" in thread["dormant_why"]
    assert "dormant" in done.stdout
    run("reply", "--from", "Priya", "--at", "2026-03-10 10:00")
    thread = run_json("show", "thread", "1")["thread"]
    assert thread["stage"] != "dormant" and thread["dormant_why"] is None
    # Her answer resets what the cap counts: the next round's check-in is planned, not held back.
    logged = run_json("log", "interview", "--with", "Priya", "--org", "Acme", "--for", "Data Engineer",
                      "--at", "2026-03-16 10:00")  # fmt: skip
    assert "check-in" in {f["purpose"] for f in logged["followups"]}


# -- times ------------------------------------------------------------------------------------------


def _setup_in(run, country: str, tz: str) -> None:
    assert run("profile", "--name", "Robin Vale", "--tz", tz, "--country", country).exit_code == 0


def test_a_deadline_in_words_counts_from_when_it_was_set(run, run_json) -> None:
    setup(run)
    logged = run_json("log", "interview", "--with", "Ann", "--at", "2026-03-02 10:00",  # a Monday
                      "--decision-by", "in 2 weeks", "--json")  # fmt: skip
    assert logged["interaction"]["decision_by"] == "2026-03-16"
    helped = run_json("log", "help-promised", "--with", "Bo", "--at", "2026-03-02 10:00",
                      "--promised", "an intro", "--promised-by", "friday", "--json")  # fmt: skip
    assert helped["interaction"]["promised_by"] == "2026-03-06"  # the coming one, after the promise


def test_a_weekday_or_a_date_alone_means_noon(run, run_json) -> None:
    setup(run)
    at = run_json("log", "meeting", "--with", "Ann", "--at", "thursday", "--json")["interaction"]["at"]
    assert at.endswith("T12:00:00-05:00") or at.endswith("T12:00:00-04:00"), at


def test_day_first_or_month_first_follows_the_profiles_country(run, run_json) -> None:
    _setup_in(run, "GB", "Europe/London")
    at = run_json("log", "meeting", "--with", "Ann", "--at", "02/03/2026", "--json")["interaction"]["at"]
    assert at.startswith("2026-03-02T12:00"), at
    _setup_in(run, "US", "America/New_York")
    at = run_json("log", "meeting", "--with", "Bo", "--at", "02/03/2026", "--json")["interaction"]["at"]
    assert at.startswith("2026-02-03T12:00"), at


def test_a_time_of_day_that_is_none_is_an_error(run, db_location) -> None:
    setup(run)
    for bad in ("today 25:99", "yesterday 13pm"):
        result = run("log", "meeting", "--with", "Ann", "--at", bad)
        assert result.exit_code == 1 and "is not a time of day" in result.stderr, bad


def test_sent_before_what_it_follows_is_an_error(run, run_json) -> None:
    setup(run)
    logged = run_json("log", "interview", "--with", "Ann", "--at", "2026-03-02 10:00", "--json")
    thank_you = next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you")
    result = run("done", str(thank_you), "--at", "2026-03-01 18:00")
    assert result.exit_code == 1 and "before the interview it follows" in result.stderr
    assert run_json("show", "thread", "1")["followups"][0]["status"] == "planned"


def test_logging_a_time_still_to_come_says_so(run, run_json) -> None:
    setup(run)
    result = run("log", "meeting", "--with", "Ann", "--at", "tomorrow 10am")
    assert result.exit_code == 0 and "from now" in result.stdout and "--at" in result.stdout
    logged = run_json("log", "meeting", "--with", "Bo", "--at", "tomorrow 10am", "--json")
    assert "from now" in logged["notice"]
    assert "notice" not in run_json("log", "meeting", "--with", "Cy", "--at", "yesterday 10am", "--json")


# -- what is accepted as typed ---------------------------------------------------------------------


def test_bad_fields_are_one_clear_line_and_change_nothing(run, db_location) -> None:
    from .snapshots import snapshot

    setup(run)
    run("log", "meeting", "--with", "Ann Lee", "--at", "2026-03-02 10:00")
    before = snapshot(db_location)
    cases = [
        (("profile", "--name", "  "), "--name: an empty name"),
        (("log", "meeting", "--with", "Bo", "--email", "bo@"), "--email: 'bo@' is not an e-mail address"),
        (("log", "meeting", "--with", "Bo", "--email", "bo at example.com"), "is not an e-mail address"),
        (("profile", "--email", "robin@@example.net"), "--email:"),
        (("log", "meeting", "--with", "Bo\nBaggins"), "--with:"),
        (("log", "meeting", "--with", "B" * 121), "--with: 121 characters is too long; keep it to 120"),
        (("log", "meeting", "--with", "Bo", "--topic", "t" * 301), "--topic: 301 characters"),
        (("log", "meeting", "--with", "Bo", "--phone", "call me"), "--phone: 'call me' is not a telephone"),
        (("log", "meeting", "--with", "Bo", "--note", "n" * 2001), "--note: 2,001 characters"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
    assert snapshot(db_location) == before


def test_fields_are_kept_as_cleaned(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "  Bo Baggins ", "--email", " Bo@Example.COM ", "--phone", "+44 (20) 7946-0018",
        "--at", "2026-03-02 10:00")  # fmt: skip
    contact = run_json("show", "contact", "Bo")["contact"]
    assert contact["name"] == "Bo Baggins" and contact["email"] == "Bo@example.com"
    assert contact["phone"] == "+44 (20) 7946-0018"


# -- channels ---------------------------------------------------------------------------------------


def test_channels_follow_what_is_known_of_the_person(run, run_json) -> None:
    setup(run)
    by_phone = run_json("log", "interview", "--with", "Ann Lee", "--phone", "+1 212 555 0100",
                        "--at", "2026-03-02 10:00")  # fmt: skip
    assert {f["channel"] for f in by_phone["followups"]} == {"phone"}
    preferred = run_json("log", "interview", "--with", "Bo Chen", "--email", "bo@beta.example", "--linkedin",
                         "linkedin.com/in/bo", "--prefers", "linkedin", "--at", "2026-03-02 11:00")  # fmt: skip
    thank_you = next(f for f in preferred["followups"] if f["purpose"] == "thank-you")
    assert thank_you["channel"] == "linkedin" and "prefers" in thank_you["why"]
    # A name only: planned by e-mail, and its draft says the address is missing: not ready to send.
    unknown = run_json("log", "interview", "--with", "Cy Park", "--at", "2026-03-02 12:00")
    thanks = next(f for f in unknown["followups"] if f["purpose"] == "thank-you")
    assert thanks["channel"] == "email"
    drafted = run_json("draft", str(thanks["id"]), "--now", "2026-03-02 15:00")
    assert drafted["review"]["verdict"] == "needs-work"
    assert "no-address" in {f["code"] for f in drafted["review"]["findings"]}


def test_a_portal_application_goes_to_the_hiring_team(run, run_json) -> None:
    setup(run)
    logged = run_json("log", "application", "--org", "Northwind", "--for", "Backend Engineer",
                      "--email", "jobs@northwind.example", "--at", "2026-03-02 10:00")  # fmt: skip
    check = logged["followups"][0]
    assert check["purpose"] == "application-check" and check["contact"]["name"] == "Northwind hiring team"
    drafted = run_json("draft", str(check["id"]), "--now", "2026-03-09 10:00")
    assert drafted["to"] == "jobs@northwind.example"
    assert drafted["body"].startswith("Dear Northwind hiring team,") and "Dear Hiring," not in drafted["body"]
    assert "Backend Engineer" in drafted["body"] + drafted["subject"]
    assert drafted["review"]["verdict"] == "ready", drafted["review"]["findings"]
    again = run_json(
        "log", "application", "--org", "Northwind", "--for", "Data Analyst", "--at", "2026-03-03 10:00"
    )
    assert again["followups"][0]["contact"]["id"] == check["contact"]["id"]  # the same team, not a second one
    missing = run("log", "application", "--for", "Backend Engineer")
    assert missing.exit_code == 1 and "--org" in missing.stderr


# -- outcomes ---------------------------------------------------------------------------------------


def test_an_offer_is_said_plainly_and_planned_a_thank_you_about_the_offer(run, run_json) -> None:
    setup(run)
    run("log", "interview", "--with", "Priya Natarajan", "--email", "p@acme.example", "--org", "Acme",
        "--for", "Data Engineer", "--topic", "streaming ingestion", "--at", "2026-03-02 10:00")  # fmt: skip
    said = run("outcome", "1", "offer", "--at", "2026-03-10 09:00")
    assert said.exit_code == 0 and "Thread 1: offer received." in said.stdout and "is now" not in said.stdout
    planned = [f for f in run_json("show", "thread", "1")["followups"] if f["status"] == "planned"]
    thanks = next(f for f in planned if f["rule"] == "outcome.offer.thank-you")
    drafted = run_json("draft", str(thanks["id"]), "--now", "2026-03-10 10:00")
    body = drafted["body"]
    assert "offer" in (drafted["subject"] + body).lower()
    assert "streaming ingestion" not in body and "I remain interested" not in body  # said before the offer
    assert any("answer" in p for p in drafted["prompts"])  # when they will answer is the user's to say
    assert drafted["review"]["verdict"] == "ready", drafted["review"]["findings"]
