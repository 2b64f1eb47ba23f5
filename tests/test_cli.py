"""The command line through its real entry point: output shapes, exit codes, and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .snapshots import snapshot

FOLLOWUP_KEYS = {"id", "thread_id", "contact", "purpose", "channel", "nudge", "not_before", "due_by", "state",
                 "status", "rule", "why"}  # fmt: skip


def setup(run) -> None:
    result = run("profile", "--name", "Robin Vale", "--tz", "America/New_York", "--country", "US")
    assert result.exit_code == 0, result.stderr


def test_log_json_is_pinned(run, run_json) -> None:
    setup(run)
    out = run_json("log", "interview", "--with", "Priya Natarajan", "--email", "priya@acme.example", "--org", "Acme",
                   "--for", "Data Engineer", "--at", "2026-03-02 10:00", "--topic", "streaming")  # fmt: skip
    assert out["interaction"] == {
        "id": 1, "kind": "interview", "thread_id": 1, "at": "2026-03-02T10:00:00-05:00", "round": 1,
        "contact_ids": [1], "topics": ["streaming"], "questions": [], "decision_by": None, "promised_by": None,
        "time_sensitive": False, "note": None,
    }  # fmt: skip
    thanks, check = out["followups"]
    assert set(thanks) >= FOLLOWUP_KEYS
    assert thanks == {
        "id": 1, "thread_id": 1, "contact": {"id": 1, "name": "Priya Natarajan", "email": "priya@acme.example"},
        "purpose": "thank-you", "channel": "email", "nudge": False,
        "not_before": "2026-03-02T10:00:00-05:00", "due_by": "2026-03-03T10:00:00-05:00",
        "state": thanks["state"], "status": "planned", "rule": "interview.thank-you",
        "why": "Thank-you emails land best within 24 hours of an interview.",
        "suggested_at": "2026-03-02T12:00:00-05:00",
    }  # fmt: skip
    assert check["rule"] == "interview.check-in" and check["nudge"] is True
    assert (
        check["not_before"] == "2026-03-05T00:00:00-05:00" and check["due_by"] == "2026-03-09T23:59:59-04:00"
    )  # after the DST change


def test_agenda_states_and_done_moves_the_plan_on(run, run_json) -> None:
    setup(run)
    run_json("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    agenda = run_json("agenda", "--now", "2026-03-02 13:00")
    assert set(agenda) >= {"now", "items", "dormant"}
    states = {i["purpose"]: i["state"] for i in agenda["items"]}
    assert states == {"thank-you": "due", "check-in": "waiting"}
    late = run_json("agenda", "--now", "2026-03-04 09:00", "--days", "0")
    assert [(i["purpose"], i["state"]) for i in late["items"]] == [("thank-you", "overdue")]
    done = run_json("done", "1", "--at", "2026-03-02 15:00")
    assert done["done"]["id"] == 1
    after = run_json("agenda", "--now", "2026-03-05 09:00")
    assert [(i["purpose"], i["state"]) for i in after["items"]] == [("check-in", "due")]


def test_human_agenda_shows_who_what_and_why(run) -> None:
    setup(run)
    run("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    out = run("agenda", "--now", "2026-03-02 13:00").stdout
    assert "Due now" in out and "Priya Natarajan" in out and "thank-you by email" in out
    assert "within 24 hours" in out


def test_show_thread_and_contact(run, run_json) -> None:
    setup(run)
    run_json("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    thread = run_json("show", "thread", "1")
    assert thread["thread"]["organisation"] == "Acme" and len(thread["followups"]) == 2
    person = run_json("show", "contact", "Priya Natarajan")
    assert person["contact"]["name"] == "Priya Natarajan" and person["threads"][0]["thread"]["id"] == 1
    human = run("show", "thread", "1").stdout
    assert "interview with Priya Natarajan" in human and "Thank-you emails" in human


def test_skip_reply_and_outcome(run, run_json) -> None:
    setup(run)
    run_json("log", "interview", "--with", "Priya", "--org", "Acme", "--at", "2026-03-02 10:00")
    assert run_json("skip", "1", "--reason", "thanked in person")["skipped"]["reason"] == "thanked in person"
    reply = run_json("reply", "--from", "Priya", "--at", "2026-03-03 10:00")
    assert reply["cancelled"] == [2]
    out = run_json("outcome", "1", "offer", "--at", "2026-03-04 10:00")
    assert out["outcome"] == {"thread_id": 1, "outcome": "offer"}


def test_demo_prints_a_real_agenda(run) -> None:
    result = run("demo", "--now", "2026-03-04 11:00")
    assert result.exit_code == 0
    assert "Priya Natarajan" in result.stdout and "Due now" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["log", "dinner", "--with", "Priya"],
            "KIND: unknown value 'dinner'; use one of: interview, application",
        ),
        (["log", "interview", "--with", "Priya", "--at", "2026-02-30 10:00"], "is not a real date"),
        (["log", "interview", "--with", "Priya", "--at", "the day after never"], "cannot read"),
        (
            ["log", "interview", "--with", "Priya", "--at", "2026-03-02", "--decision-by", "2026-03-01"],
            "before the interview",
        ),
        (["log", "introduction", "--with", "Maya"], "--introduced-by: an introduction needs"),
        (["log", "interview", "--with", "Priya", "--prefers", "fax"], "'fax' is not one of 'email'"),
        (["done", "abc"], "'abc' is not a valid integer"),
        (["agenda", "--days", "-1"], "-1 is not in the range"),
        (["check", "no-such-draft.txt"], "No such file or directory"),
        (["show", "thread", "abc"], "'abc' is not a thread id"),
        (["log", "interview", "--frobnicate"], None),
        (["done"], None),
        (["done", "987"], "no follow-up 987"),
        (["skip", "987"], "no follow-up 987"),
        (["outcome", "1", "helped"], "cannot be helped"),
        (["outcome", "1", "promoted"], "OUTCOME: unknown value 'promoted'"),
        (["outcome", "99", "closed"], "no thread 99"),
        (["reply", "--from", "Nobody Here"], "no contact called 'Nobody Here'"),
        (["show", "thread", "42"], "no thread 42"),
        (["profile", "--tz", "Mars/Olympus"], "not a time zone"),
        (["profile", "--country", "XX"], "not a supported country"),
        (["log", "interview", "--with", "Priya", "--thread", "77"], "no thread 77"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(run, db_location, args, message) -> None:
    setup(run)
    assert (
        run("log", "interview", "--with", "Priya", "--org", "Acme", "--at", "2026-03-02 10:00").exit_code == 0
    )
    before = snapshot(db_location)
    result = run(*args)
    if message is None:  # a usage error: one line, with the way to help
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "--help" in lines[0], result.stderr
    else:
        assert result.exit_code == 1, result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert result.stdout == ""
    assert snapshot(db_location) == before


def test_an_ambiguous_name_lists_the_matches_and_how_to_pick(run, db_location) -> None:
    setup(run)
    run("log", "meeting", "--with", "Alex Kim", "--org", "Acme", "--at", "2026-03-02 10:00")
    run("log", "meeting", "--with", "#1", "--at", "2026-03-02 10:00")
    run("log", "meeting", "--with", "Alex Kim", "--org", "Globex", "--at", "2026-03-02 10:00")  # someone else
    before = snapshot(db_location)
    result = run("log", "call", "--with", "Alex Kim", "--at", "2026-03-03 10:00")
    assert result.exit_code == 1
    assert "'Alex Kim' matches 2 contacts: #1 Alex Kim (Acme), #2 Alex Kim (Globex)" in result.stderr
    assert "--with '#1'" in result.stderr and "--org" in result.stderr
    assert snapshot(db_location) == before
    assert (
        run("log", "call", "--with", "Alex Kim", "--org", "Acme", "--at", "2026-03-03 10:00").exit_code == 0
    )


def test_an_outcome_the_thread_cannot_have(run) -> None:
    setup(run)
    run("log", "meeting", "--with", "Ada", "--at", "2026-03-02 10:00")
    result = run("outcome", "1", "rejected")
    assert result.exit_code == 1
    assert "thread 1 has no application, interview, so it cannot be rejected" in result.stderr


def test_natural_dates(run, run_json) -> None:
    setup(run)
    out = run_json(
        "log", "interview", "--with", "Priya", "--at", "yesterday 3pm", "--decision-by", "in 2 weeks"
    )
    assert out["interaction"]["at"].endswith("15:00:00-05:00") or out["interaction"]["at"].endswith(
        "15:00:00-04:00"
    )
    assert out["interaction"]["decision_by"] is not None


def test_log_asks_for_what_it_needs_only_in_a_terminal(run) -> None:
    result = run("log")
    assert result.exit_code == 2 and "missing KIND" in result.stderr


def test_every_command_has_help(run) -> None:
    from tactful.cli import cli

    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        assert run(name, "--help").exit_code == 0


def test_the_database_is_created_with_wal_and_foreign_keys(run, db_path) -> None:
    setup(run)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_the_installed_console_script_speaks_json(tmp_path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    exe = shutil.which("tactful", path=str(Path(sys.executable).parent))
    assert exe, "the tactful console script is not installed beside this Python"
    env = dict(os.environ, TACTFUL_DB=str(tmp_path / "t.db"))
    done = subprocess.run([exe, "agenda", "--json"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["items"] == []
    bad = subprocess.run([exe, "done", "5"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("error: no follow-up 5")


def test_log_in_a_terminal_asks_for_kind_and_names(tmp_path) -> None:
    """Run under a pseudo-terminal, as a person would, and answer the prompts."""
    import os
    import pty
    import select
    import shutil
    import subprocess
    import sys
    import time

    exe = shutil.which("tactful", path=str(Path(sys.executable).parent))
    assert exe
    env = dict(os.environ, TACTFUL_DB=str(tmp_path / "t.db"), NO_COLOR="1")
    master, slave = pty.openpty()
    proc = subprocess.Popen([exe, "log", "--at", "2026-03-02 10:00", "--json"], stdin=slave, stdout=subprocess.PIPE,
                            stderr=slave, env=env)  # fmt: skip
    os.close(slave)
    seen = b""

    def wait_for(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 30
        while text not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                seen += os.read(master, 1024)
        assert text in seen, seen

    wait_for(b"What happened?")
    os.write(master, b"interview\n")
    wait_for(b"With whom?")
    os.write(master, b"Priya Natarajan, Sam Lee\n")
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    data = json.loads(out)
    assert data["interaction"]["kind"] == "interview"
    assert {f["contact"]["name"] for f in data["followups"]} == {"Priya Natarajan", "Sam Lee"}


def test_an_id_too_large_for_any_row_is_simply_not_found(run) -> None:
    result = run("done", "99999999999999999999999")
    assert result.exit_code == 1 and "no follow-up 99999999999999999999999" in result.stderr
    assert run("show", "thread", "-5").exit_code in (1, 2)


def test_a_rule_held_back_by_the_cap_says_so(run, run_json) -> None:
    setup(run)
    run_json("log", "interview", "--with", "Priya", "--at", "2026-03-02 10:00")
    out = run_json(
        "log", "help-promised", "--with", "Priya", "--promised", "a referral", "--at", "2026-03-02 11:00"
    )
    assert out["followups"] == []
    assert out["notes"] == [
        "Not planned: help.reminder. This thread already has a nudge waiting; one at a time."
    ]
    human = run(
        "log", "help-promised", "--with", "Priya", "--promised", "an intro", "--at", "2026-03-02 12:00"
    )
    assert "Not planned: help.reminder" in human.stdout


def test_an_outcome_is_echoed_as_the_playbook_names_it(run, run_json) -> None:
    setup(run)
    run_json("log", "interview", "--with", "Priya", "--at", "2026-03-02 10:00")
    assert run_json("outcome", "1", " Rejected ")["outcome"] == {"thread_id": 1, "outcome": "rejected"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agenda", "--days", "100000000"], "is not in the range"),
        (["log", "meeting", "--with", "Ann", "--at", "9999-12-31"], "too far from today"),
        (["log", "meeting", "--with", "Ann", "--at", "0001-01-01 10:00"], "too far from today"),
        (["log", "interview", "--with", "Ann", "--decision-by", "9999-12-31"], "too far from today"),
    ],
)
def test_dates_and_numbers_out_of_range_are_refused_cleanly(run, args, message) -> None:
    setup(run)
    result = run(*args)
    assert "Traceback" not in (result.stderr or "")
    assert result.exit_code == 1 and message in result.stderr


def test_files_that_are_not_utf8_get_a_clear_error(run, tmp_path) -> None:
    setup(run)
    run("log", "interview", "--with", "Priya", "--at", "2026-03-02 10:00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Subject: Merci\n\nCher Andr\xe9,\n".encode("latin-1"))
    for args in (["check", str(latin)], ["done", "1", "--text", str(latin)]):
        result = run(*args)
        assert result.exit_code == 1 and "is not UTF-8 text" in result.stderr, args
    assert run("show", "thread", "1", "--json").exit_code == 0
    bad_dir = run("draft", "1", "--eml", str(tmp_path / "missing" / "x.eml"))
    assert bad_dir.exit_code == 1 and "cannot write" in bad_dir.stderr


def test_a_reply_from_the_introducer_finds_the_introduction(run, run_json) -> None:
    setup(run)
    run_json(
        "log",
        "introduction",
        "--with",
        "Maya Lindqvist",
        "--introduced-by",
        "Alex Osei",
        "--at",
        "2026-03-02 10:00",
    )
    out = run_json("reply", "--from", "Alex Osei", "--at", "2026-03-03 10:00")
    assert out["reply"] == {"thread_id": 1}


def test_a_folder_of_zones_is_not_a_zone(run) -> None:
    result = run("profile", "--tz", "America")
    assert result.exit_code == 1 and "not a time zone" in result.stderr


def test_their_time_zone_sets_the_hours_of_their_suggested_times(run_json, run) -> None:
    setup(run)
    out = run_json(
        "log", "application", "--with", "Kenji Mori", "--their-tz", "Asia/Tokyo", "--at", "2026-03-02 10:00"
    )
    suggested = out["followups"][0]["suggested_at"]  # shown in New York time
    import datetime as dt
    from zoneinfo import ZoneInfo

    there = dt.datetime.fromisoformat(suggested).astimezone(ZoneInfo("Asia/Tokyo"))
    assert 9 <= there.hour < 17
    bad = run("log", "meeting", "--with", "Ann", "--their-tz", "Moon/Base")
    assert bad.exit_code == 1 and "is not a time zone" in bad.stderr


def test_a_digit_that_is_no_number_is_a_name_not_an_id(run) -> None:
    setup(run)
    result = run("reply", "--from", "#²")
    assert result.exit_code == 1 and "no contact called '#²'" in result.stderr


# -- which thread a log joins ---------------------------------------------------------------------------------
def test_a_coffee_or_an_introduction_at_the_same_company_starts_its_own_thread(run, run_json) -> None:
    setup(run)
    job = run_json("log", "interview", "--with", "Priya", "--org", "Acme", "--for", "Data Engineer",
                   "--at", "2026-03-02 10:00")  # fmt: skip
    assert job["thread"] == {"id": 1, "title": "Data Engineer", "organisation": "Acme", "new": True}
    coffee = run_json("log", "meeting", "--with", "Kenji Mori", "--org", "Acme", "--at", "2026-03-03 10:00")
    assert coffee["thread"]["new"] and coffee["interaction"]["thread_id"] == 2
    intro = run_json("log", "introduction", "--with", "Lee Chen", "--org", "Acme", "--introduced-by", "Kenji Mori",
                     "--at", "2026-03-03 12:00")  # fmt: skip
    assert intro["thread"]["new"] and intro["interaction"]["thread_id"] == 3
    priya_again = run_json("log", "help-promised", "--with", "Priya", "--promised", "a referral",
                           "--at", "2026-03-04 10:00")  # fmt: skip
    assert priya_again["thread"] == {"id": 1, "title": "Data Engineer", "organisation": "Acme", "new": False}


def test_an_opportunity_joins_its_own_thread_and_the_output_says_which(run) -> None:
    setup(run)
    run("log", "application", "--with", "Dana", "--org", "Globex", "--for", "Backend Engineer",
        "--at", "2026-03-02 10:00")  # fmt: skip
    other = run("log", "interview", "--with", "Dana", "--org", "Globex", "--for", "Site Reliability Engineer",
                "--at", "2026-03-03 10:00")  # fmt: skip
    assert "started thread 2 (Site Reliability Engineer · Globex)" in other.stdout
    same = run("log", "interview", "--with", "Dana", "--with", "Marcus", "--org", "Globex",
               "--for", "backend engineer", "--at", "2026-03-04 10:00")  # fmt: skip
    assert "joined thread 1 (Backend Engineer · Globex)" in same.stdout
