"""Putting mistakes right through the real command line: edit, delete, merge, undo, snooze, wake."""

from __future__ import annotations

import json

import pytest

from .snapshots import snapshot
from .test_cli import setup


def _interview(run_json, at: str = "2026-03-02 10:00", **extra: str) -> dict:
    args = ["log", "interview", "--with", "Priya Natarajan", "--email", "priya@acme.example", "--org", "Acme",
            "--for", "Data Engineer", "--at", at]  # fmt: skip
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    return run_json(*args)


def _plan(run_json, thread: int = 1) -> dict[str, dict]:
    history = run_json("show", "thread", str(thread))
    return {f["rule"]: f for f in history["followups"] if f["status"] == "planned"}


def test_a_mistyped_date_is_corrected_and_the_plan_moves_with_it(run, run_json) -> None:
    setup(run)
    logged = _interview(run_json, at="2026-03-02 10:00")
    before = {f["rule"]: f for f in logged["followups"]}
    out = run_json("edit", "interaction", "1", "--at", "2026-03-04 15:00")
    assert out["interaction"]["at"].startswith("2026-03-04T15:00")
    after = {f["rule"]: f for f in out["followups"]}
    assert set(after) == set(before) and out["cancelled"] == []
    for rule, f in after.items():
        assert f["id"] == before[rule]["id"]  # the same steps, moved: their ids stay
        assert f["not_before"] > before[rule]["not_before"]
    assert any(line.startswith("moved: follow-up") for line in out["changes"])
    assert _plan(run_json)["interview.thank-you"]["not_before"].startswith("2026-03-04T15:00")
    human = run("edit", "interaction", "1", "--at", "2026-03-05 09:00")
    assert human.exit_code == 0 and "Moved: follow-up" in human.stdout


def test_a_decision_date_added_later_replaces_the_check_in(run, run_json) -> None:
    setup(run)
    _interview(run_json)
    out = run_json("edit", "interaction", "1", "--decision-by", "2026-03-20")
    rules = {f["rule"] for f in out["followups"]}
    assert "interview.check-in-after-deadline" in rules and "interview.check-in" not in rules
    assert len(out["cancelled"]) == 1
    assert set(_plan(run_json)) == {"interview.thank-you", "interview.check-in-after-deadline"}


def test_a_sent_thank_you_is_not_planned_again_by_a_correction(run, run_json) -> None:
    setup(run)
    logged = _interview(run_json)
    thanks = next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you")
    assert run("done", str(thanks), "--at", "2026-03-02 15:00").exit_code == 0
    out = run_json("edit", "interaction", "1", "--at", "2026-03-02 09:00")
    assert "interview.thank-you" not in {f["rule"] for f in out["followups"]}


def test_edit_with_nothing_to_change_or_a_missing_interaction_is_one_line(run, db_location) -> None:
    setup(run)
    run("log", "meeting", "--with", "Sam Lee", "--at", "2026-03-02 10:00")
    before = snapshot(db_location)
    for args, said in ((["edit", "interaction", "1"], "nothing to change"),
                       (["edit", "interaction", "9"], "no interaction 9"),
                       (["edit", "interaction", "1", "--at", "tomorrow 25:99"], "--at"),
                       (["edit", "contact", "Sam", "--email", "not-an-address"], "--email")):  # fmt: skip
        result = run(*args)
        assert (
            result.exit_code == 1 and said in result.stderr and len(result.stderr.strip().splitlines()) == 1
        )
    assert snapshot(db_location) == before


def test_deleting_a_mistaken_round_gives_back_the_plan_it_replaced(run, run_json) -> None:
    setup(run)
    first = _interview(run_json, at="2026-03-02 10:00")
    check_in = next(f["id"] for f in first["followups"] if f["rule"] == "interview.check-in")
    second = _interview(run_json, at="2026-03-03 10:00")
    assert second["interaction"]["round"] == 2
    assert run_json("show", "thread", "1")["thread"]["round"] == 2
    out = run_json("delete", "interaction", str(second["interaction"]["id"]))
    assert "planned again" in out["deleted"]
    plan = _plan(run_json)
    assert plan["interview.check-in"]["id"] == check_in
    thread = run_json("show", "thread", "1")
    assert len(thread["interactions"]) == 1 and thread["thread"]["round"] == 1


def test_deleting_a_person_with_threads_asks_for_yes(run, run_json) -> None:
    setup(run)
    _interview(run_json)
    refused = run("delete", "contact", "Priya")
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    out = run_json("delete", "contact", "Priya", "--yes")
    assert "Priya Natarajan" in out["deleted"]
    assert run_json("contacts")["contacts"] == []
    assert run_json("agenda", "--all", "--now", "2026-03-02 12:00")["items"] == []


def test_merging_two_records_of_one_person(run, run_json) -> None:
    setup(run)
    run(
        "log",
        "meeting",
        "--with",
        "Dana Whitfield",
        "--email",
        "dana@globex.example",
        "--at",
        "2026-03-02 10:00",
    )
    run("log", "meeting", "--with", "D. Whitfield", "--email", "dwhitfield@gmail.example", "--phone", "+1 555 0100",
        "--at", "2026-03-03 10:00")  # fmt: skip
    out = run_json("merge", "contact", "Dana Whitfield", "#2")
    assert out["contact"]["email"] == "dana@globex.example" and out["contact"]["phone"] == "+1 555 0100"
    people = run_json("contacts")["contacts"]
    assert [p["name"] for p in people] == ["Dana Whitfield"]
    shown = run_json("show", "contact", "Dana Whitfield")
    assert len(shown["threads"]) == 2
    assert [p["name"] for p in run_json("contacts", "dwhitfield")["contacts"]] == ["Dana Whitfield"]
    assert {"kind": "email", "value": "dwhitfield@gmail.example", "label": "merged"} in shown["contact"][
        "addresses"
    ]
    same = run("merge", "contact", "Dana Whitfield", "#1")
    assert same.exit_code == 1 and "OTHER" in same.stderr


def test_a_person_is_corrected_and_found_by_the_new_name(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Zoe Odegard", "--at", "2026-03-02 10:00")
    out = run_json(
        "edit", "contact", "Zoe", "--name", "Zoë Ødegaard", "--org", "Fjord", "--note", "Met at PyData"
    )
    assert set(out["changed"]) == {"name", "note", "org"}
    assert run_json("contacts", "odegaard")["contacts"][0]["organisation"] == "Fjord"
    assert run_json("show", "contact", "zoe odegaard")["contact"]["name"] == "Zoë Ødegaard"


UNDOABLE = {
    "log": ["log", "meeting", "--with", "Sam Lee", "--at", "2026-03-03 10:00"],
    "done": ["done", "1", "--at", "2026-03-02 15:00"],
    "skip": ["skip", "1"],
    "snooze": ["snooze", "2", "--until", "2027-01-11 09:00"],
    "reply": ["reply", "--from", "Priya", "--at", "2026-03-04 10:00"],
    "outcome": ["outcome", "1", "offer", "--at", "2026-03-05 10:00"],
    "edit": ["edit", "interaction", "1", "--at", "2026-03-02 16:00"],
    "delete": ["delete", "interaction", "1"],
    "merge": ["merge", "contact", "Priya", "Marcus"],
}


@pytest.mark.parametrize("kind", list(UNDOABLE))
def test_undo_takes_back_each_kind_of_change_exactly(kind, run, run_json, db_location) -> None:
    setup(run)
    _interview(run_json)
    run("log", "meeting", "--with", "Marcus Webb", "--org", "Acme", "--at", "2026-03-02 12:00")
    before = snapshot(db_location, undo_record=False)
    result = run(*UNDOABLE[kind])
    assert result.exit_code == 0, result.stderr
    assert snapshot(db_location, undo_record=False) != before
    out = run_json("undo")
    assert out["undone"] == kind and out["summary"]
    assert snapshot(db_location, undo_record=False) == before


def test_undo_of_an_import_and_when_there_is_nothing_left(run, run_json, db_location, tmp_path) -> None:
    setup(run)
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Ana,Silva,https://www.linkedin.com/in/ana,ana@x.example,Initech,CTO,05 Mar 2024\n", encoding="utf-8")  # fmt: skip
    before = snapshot(db_location, undo_record=False)
    assert run("import", "linkedin", str(csv)).exit_code == 0
    assert run_json("contacts", "ana")["contacts"]
    assert run_json("undo")["undone"] == "import"
    assert snapshot(db_location, undo_record=False) == before
    empty = run("undo", "--json")
    assert empty.exit_code == 1 and json.loads(empty.stdout)["error"]["message"] == "there is nothing to undo"
    assert empty.stderr.strip() == "error: there is nothing to undo"


def test_undo_goes_back_one_change_at_a_time(run, run_json) -> None:
    setup(run)
    _interview(run_json)
    run("skip", "1")
    run("edit", "interaction", "1", "--at", "2026-03-02 11:00")
    assert run_json("undo")["undone"] == "edit"
    assert run_json("undo")["undone"] == "skip"
    assert run_json("undo")["undone"] == "log"
    assert run_json("contacts")["contacts"] == []


def test_snooze_until_a_time_and_the_limit_that_holds_it(run, run_json) -> None:
    setup(run)
    logged = _interview(run_json, at="yesterday 10am")
    check_in = next(f for f in logged["followups"] if f["rule"] == "interview.check-in")
    out = run_json("snooze", str(check_in["id"]), "--until", "in 3 weeks")
    assert out["followup"]["not_before"] > check_in["not_before"] and out["held"] == []
    earlier = run("snooze", str(check_in["id"]), "--until", "tomorrow 9am")
    assert earlier.exit_code == 1 and "--until" in earlier.stderr and "later" in earlier.stderr
    passed = run("snooze", str(check_in["id"]), "--until", "2020-01-01")
    assert passed.exit_code == 1 and "passed" in passed.stderr


def test_snooze_is_held_by_the_spacing_between_nudges(run, run_json) -> None:
    setup(run)
    other = run_json("log", "help-promised", "--with", "Ana Silva", "--email", "ana@initech.example",
                     "--promised", "a referral", "--at", "yesterday 11am")  # fmt: skip
    first = run_json("log", "application", "--org", "Initech", "--for", "Analyst", "--with", "Ana Silva",
                     "--at", "yesterday 9am")  # fmt: skip
    assert first["interaction"]["thread_id"] != other["interaction"]["thread_id"]
    nudge_a = first["followups"][0]
    nudge_b = other["followups"][0]
    out = run_json("snooze", str(nudge_b["id"]), "--until", nudge_a["not_before"])
    assert out["held"] and "5 business days" in out["held"][0]


def test_wake_plans_a_resting_threads_next_step(run, run_json) -> None:
    setup(run)
    logged = run_json("log", "application", "--org", "Initech", "--for", "Analyst", "--with", "Ana Silva",
                      "--email", "ana@initech.example", "--at", "2026-03-02 09:00")  # fmt: skip
    awake = run("wake", "1")
    assert awake.exit_code == 1 and "not resting" in awake.stderr
    nudge = logged["followups"][0]["id"]
    done = run_json("done", str(nudge), "--at", "2026-03-10 09:00")
    assert done["dormant_why"]
    out = run_json("wake", "1")
    assert out["followups"] and out["followups"][0]["rule"] == "application.check"
    assert run_json("show", "thread", "1")["thread"]["stage"] != "dormant"


def test_a_reminder_of_your_own_is_on_the_agenda_and_has_nothing_to_send(run, run_json) -> None:
    setup(run)
    _interview(run_json, at="yesterday 10am")
    out = run_json("remind", "Priya", "--at", "tomorrow 9am", "--note", "ask about the start date")
    f = out["followup"]
    assert (
        f["purpose"] == "reminder-to-self" and f["nudge"] is False and "ask about the start date" in f["why"]
    )
    agenda = run_json("agenda", "--days", "3")
    assert f["id"] in [i["id"] for i in agenda["items"]]
    draft = run("draft", str(f["id"]))
    assert draft.exit_code == 1 and "reminder to yourself" in draft.stderr
    assert "reminder to yourself" in run("agenda", "--days", "3").stdout
    for args, said in ((["remind", "Priya", "--at", "2020-01-01"], "passed"),
                       (["remind", "Nobody Here", "--at", "tomorrow"], "no contact")):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 1 and said in result.stderr
    assert run_json("undo")["undone"] == "remind"


def test_an_offer_with_a_reply_deadline_reminds_you_before_it(run, run_json) -> None:
    setup(run)
    _interview(run_json, at="2026-03-02 10:00")
    out = run_json("outcome", "1", "offer", "--at", "2026-03-04 10:00", "--reply-by", "2026-03-13")
    reminder = next(f for f in out["followups"] if f["purpose"] == "reminder-to-self")
    assert reminder["rule"] == "outcome.offer.reply-reminder" and reminder["channel"] == "email"
    assert reminder["not_before"].startswith("2026-03-11")  # two business days before Fri 13 Mar
    assert reminder["due_by"].startswith("2026-03-13") and "Fri 13 Mar" in reminder["why"]
    assert any(f["rule"] == "outcome.offer.thank-you" for f in out["followups"])
    setup_again = run("outcome", "1", "rejected", "--reply-by", "2026-03-13")
    assert setup_again.exit_code == 1 and "--reply-by" in setup_again.stderr


def test_two_emails_to_one_person_on_the_same_day_are_one(run, run_json) -> None:
    setup(run)
    run("log", "introduction", "--with", "Sam Lee", "--email", "sam@x.example", "--introduced-by", "Alex Kim",
        "--at", "2026-03-02 09:00")  # fmt: skip
    run("log", "meeting", "--with", "Alex Kim", "--email", "alex@y.example", "--at", "2026-03-02 09:30",
        "--topic", "data contracts")  # fmt: skip
    items = run_json("agenda", "--now", "2026-03-02 12:00")["items"]
    to_alex = [i for i in items if i["contact"]["name"] == "Alex Kim"]
    assert len(to_alex) == 1 and to_alex[0]["purpose"] == "thank-introducer"
    assert to_alex[0]["also"] == ["reconnect"] and len(to_alex[0]["also_ids"]) == 1
    assert [i["purpose"] for i in items if i["contact"]["name"] == "Sam Lee"] == ["introduce-yourself"]
    draft = run_json("draft", str(to_alex[0]["id"]), "--now", "2026-03-02 12:00")
    assert draft["also"] == ["reconnect"]
    body = draft["body"]
    assert body.count("Hi Alex") + body.count("Hello Alex") + body.count("Dear Alex") == 1  # one greeting
    assert (
        "putting me in touch with Sam Lee" in body
        and "data contracts" in body
        and body.count("Robin Vale") == 1
    )
    done = run_json("done", str(to_alex[0]["id"]), "--at", "2026-03-02 13:00")
    assert done["also_done"] == to_alex[0]["also_ids"]
    left = run_json("agenda", "--now", "2026-03-02 13:30")["items"]
    assert [i["contact"]["name"] for i in left] == ["Sam Lee"]


def test_show_thread_shows_what_was_sent(run, run_json, tmp_path) -> None:
    setup(run)
    logged = _interview(run_json)
    thanks = next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you")
    sent = tmp_path / "sent.txt"
    sent.write_text(
        "Dear Priya,\n\nThank you for Monday's conversation about [streaming].\n\nRobin", encoding="utf-8"
    )
    assert run("done", str(thanks), "--at", "2026-03-02 15:00", "--text", str(sent)).exit_code == 0
    shown = run("show", "thread", "1")
    assert "What you sent" in shown.stdout and "Monday's conversation about [streaming]" in shown.stdout
    assert next(f for f in run_json("show", "thread", "1")["followups"] if f["id"] == thanks)[
        "text"
    ].startswith("Dear")


def test_a_correction_after_their_answer_plans_no_new_nudge(run, run_json) -> None:
    setup(run)
    _interview(run_json)
    run("reply", "--from", "Priya", "--at", "2026-03-03 09:00")
    out = run_json("edit", "interaction", "1", "--decision-by", "2026-03-20")
    assert all(not f["nudge"] for f in out["followups"])
    assert not [f for f in _plan(run_json).values() if f["nudge"]]


def test_undo_gets_past_a_row_written_since_outside_any_change(run, run_json, tmp_path) -> None:
    """The calendar feed's token is written outside any change: a restore undone puts the old one
    back over the one made since, rather than failing for good."""
    setup(run)
    run("log", "meeting", "--with", "Sam Lee", "--at", "2026-03-02 10:00")
    backup = tmp_path / "b.json"
    assert run("export", "json", "--out", str(backup)).exit_code == 0  # no feed yet
    first = run_json("feed", "show")["token"]
    assert run("import", "json", str(backup), "--replace").exit_code == 0  # the token goes
    assert run_json("feed", "show")["token"] != first  # a new one, written outside any change
    assert run_json("undo")["undone"] == "import"
    assert run_json("feed", "show")["token"] == first
    assert run_json("undo")["undone"] == "log"


def test_two_records_in_one_meeting_merged_get_one_follow_up(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Dana Scully", "--with", "Dana S", "--at", "2026-03-02 10:00")
    run("merge", "contact", "1", "2")
    planned = [f for f in _plan(run_json).values()]
    reconnects = [f for f in run_json("show", "thread", "1")["followups"] if f["status"] == "planned"]
    assert len(reconnects) == 1 and planned[0]["contact"]["id"] == 1
    out = run_json("edit", "interaction", "1", "--at", "2026-03-09 10:00")
    assert [f["not_before"][:10] for f in out["followups"]] == ["2026-03-10"]
    assert len([f for f in run_json("show", "thread", "1")["followups"] if f["status"] == "planned"]) == 1


def test_a_new_time_must_still_come_before_the_dates_it_keeps(run, run_json, db_location) -> None:
    setup(run)
    _interview(run_json, at="2026-03-02 10:00", decision_by="2026-03-06")
    before = snapshot(db_location)
    late = run("edit", "interaction", "1", "--at", "2026-03-20 10:00")
    assert late.exit_code == 1 and "--decision-by" in late.stderr and snapshot(db_location) == before
    out = run_json("edit", "interaction", "1", "--at", "2026-03-20 10:00", "--decision-by", "")
    assert "interview.check-in" in {f["rule"] for f in out["followups"]}


def test_correcting_only_a_note_leaves_the_plan_and_its_snoozes_alone(run, run_json) -> None:
    setup(run)
    logged = _interview(run_json, at="yesterday 10am")
    check_in = next(f for f in logged["followups"] if f["rule"] == "interview.check-in")
    moved = run_json("snooze", str(check_in["id"]), "--until", "in 4 weeks")["followup"]
    out = run_json("edit", "interaction", "1", "--note", "They use Kafka", "--topic", "Kafka")
    assert out["changes"] == ["the plan stays as it was"] and out["cancelled"] == []
    assert _plan(run_json)["interview.check-in"]["not_before"] == moved["not_before"]


def test_a_detail_given_empty_is_cleared_and_nothing_changed_says_so(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Sam Lee", "--email", "sam@x.example", "--org", "Initech",
        "--prefers", "phone", "--phone", "+1 555 0100", "--at", "2026-03-02 10:00")  # fmt: skip
    out = run_json("edit", "contact", "Sam", "--email", "", "--org", "", "--prefers", "")
    assert set(out["changed"]) == {"email", "org", "prefers"}
    shown = run_json("show", "contact", "Sam")["contact"]
    assert shown["email"] is None and shown["organisation"] is None and shown.get("prefers") is None
    same = run("edit", "contact", "Sam", "--phone", "+1 555 0100")
    assert same.exit_code == 0 and "Nothing changed" in same.stdout
    assert run_json("undo")["undone"] == "edit"
    assert run_json("show", "contact", "Sam")["contact"]["email"] == "sam@x.example"
    cleared_name = run("edit", "contact", "Sam", "--name", "")
    assert cleared_name.exit_code == 1 and "--name" in cleared_name.stderr
