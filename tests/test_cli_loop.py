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
