"""`tactful check` through the command line: alone, and in a follow-up's context."""

from __future__ import annotations

import json


def setup(run) -> None:
    assert (
        run("profile", "--name", "Robin Vale", "--tz", "America/New_York", "--country", "US").exit_code == 0
    )
    out = run("log", "interview", "--with", "Priya Natarajan", "--email", "priya@acme.example", "--with", "Sam Lee", "--org", "Acme",
              "--for", "Data Engineer", "--at", "2026-03-02 10:00", "--topic", "streaming ingestion", "--json")  # fmt: skip
    assert out.exit_code == 0, out.stderr


GOOD = """Subject: Thank you for the Data Engineer interview

Dear Priya,

Thank you for taking the time to talk with me today about the Data Engineer role at Acme.
I enjoyed our conversation about streaming ingestion, and it made me even more keen on the team.
In my last role I rebuilt a streaming pipeline that cut processing delays by half, which seems close
to what you need.

I look forward to hearing about the next steps.

Best regards,
Robin Vale
"""


def test_a_good_thank_you_is_ready_in_its_context(run) -> None:
    setup(run)
    result = run("check", "-", "--for", "1", "--now", "2026-03-02 15:00", "--json", input=GOOD)
    assert result.exit_code == 0, result.stderr
    review = json.loads(result.stdout)
    assert review["verdict"] == "ready", review["findings"]
    assert 0 <= review["score"] <= 100


def test_a_copy_sent_to_the_wrong_interviewer_is_caught(run) -> None:
    setup(run)
    # Follow-up 2 is Sam Lee's thank-you: Priya's text pasted in names the wrong person.
    review = json.loads(
        run("check", "-", "--for", "2", "--now", "2026-03-02 15:00", "--json", input=GOOD).stdout
    )
    assert "wrong-name" in {f["code"] for f in review["findings"]}
    assert review["verdict"] == "needs-work"


def test_a_check_in_before_its_window_is_too_soon(run) -> None:
    setup(run)
    check_in = json.loads(run("show", "thread", "1", "--json").stdout)["followups"]
    fid = next(f["id"] for f in check_in if f["purpose"] == "check-in")
    text = (
        "Subject: Data Engineer role at Acme\n\nDear Priya,\n\nThank you again for the interview about streaming "
        "ingestion. I remain very interested in the Data Engineer role. Could you share when you expect to decide?"
        "\n\nBest regards,\nRobin Vale\n"
    )
    review = json.loads(
        run("check", "-", "--for", str(fid), "--now", "2026-03-03 09:00", "--json", input=text).stdout
    )
    assert "too-soon" in {f["code"] for f in review["findings"]}


def test_without_context_only_the_text_is_judged(run, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Subject: hi\n\nhey Priya!! gonna send the the file asap\n")
    result = run("check", str(draft), "--json")
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"casual", "shouting", "repeated-word", "no-subject"} <= codes
    assert not codes & {"too-soon", "wrong-name", "over-cap"}


def test_human_output_puts_findings_under_their_line(run, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Subject: Follow up\n\nDear Priya,\n\nThank you for the the interview.\n\nBest regards,\nRobin\n"
    )
    out = run("check", str(draft)).stdout
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if "Thank you for the the interview" in line)
    assert "repeated-word" in lines[at + 1]
    assert "needs work" in lines[0]


def test_an_empty_draft_and_an_unknown_follow_up_are_clear_errors(run) -> None:
    empty = run("check", "-", input="\n\n")
    assert empty.exit_code == 1 and "the draft is empty" in empty.stderr
    unknown = run("check", "-", "--for", "99", input="Dear Priya,\nThanks.\n")
    assert unknown.exit_code == 1 and "no follow-up 99" in unknown.stderr


def test_timing_findings_speak_the_users_time(run) -> None:
    setup(run)
    text = "Subject: Data Engineer at Acme\n\nDear Priya,\n\nThank you again. Is there news on timing?\n\nBest regards,\nRobin Vale\n"
    review = json.loads(
        run("check", "-", "--for", "3", "--now", "2026-03-03 09:00", "--json", input=text).stdout
    )
    soon = next(f for f in review["findings"] if f["code"] == "too-soon")
    assert "opens Thu 05 Mar 2026 00:00 EST" in soon["message"]


def test_a_company_from_a_closed_thread_is_still_the_wrong_one(run) -> None:
    setup(run)
    assert (
        run("log", "interview", "--with", "Ola", "--org", "Globex", "--at", "2026-03-01 10:00").exit_code == 0
    )
    assert run("outcome", "2", "rejected").exit_code == 0
    wrong = GOOD.replace("role at Acme", "role at Globex")
    review = json.loads(
        run("check", "-", "--for", "1", "--now", "2026-03-02 15:00", "--json", input=wrong).stdout
    )
    assert "wrong-company" in {f["code"] for f in review["findings"]}


def codes(run, fid: int, now: str, text: str, *extra: str) -> set[str]:
    out = run("check", "-", "--for", str(fid), "--now", now, "--json", *extra, input=text)
    verdict = json.loads(out.stdout)["verdict"]
    assert out.exit_code == (0 if verdict == "ready" else 3), out.stderr
    return {f["code"] for f in json.loads(out.stdout)["findings"]}


CHECK_IN = (
    "Subject: Data Engineer role at Acme\n\nDear Priya,\n\nThank you again for the interview about streaming "
    "ingestion. I remain very interested in the Data Engineer role. Could you share when you expect to decide?"
    "\n\nBest regards,\nRobin Vale\n"
)


def test_context_codes_from_the_stored_thread(run, tmp_path) -> None:
    setup(run)
    # late: the thank-you's 24 hours are over
    assert "late" in codes(run, 1, "2026-03-04 10:00", GOOD)
    # duplicate: Priya's sent text, re-addressed to Sam
    sent = tmp_path / "sent.txt"
    sent.write_text(GOOD)
    assert run("done", "1", "--text", str(sent), "--at", "2026-03-02 16:00").exit_code == 0
    assert "duplicate" in codes(run, 2, "2026-03-02 17:00", GOOD.replace("Dear Priya", "Dear Sam"))
    # multi-channel: a call to Priya yesterday, and now an email
    assert run("log", "call", "--with", "Priya Natarajan", "--org", "Acme", "--for", "Data Engineer",
               "--at", "2026-03-05 09:00").exit_code == 0  # fmt: skip
    thread = json.loads(run("show", "thread", "1", "--json").stdout)
    check_in = next(f["id"] for f in thread["followups"] if f["purpose"] == "check-in")
    recap = next(f["id"] for f in thread["followups"] if f["purpose"] == "recap")
    assert run("done", str(recap), "--channel", "phone", "--at", "2026-03-05 10:00").exit_code == 0
    assert "multi-channel" in codes(run, check_in, "2026-03-05 15:00", CHECK_IN)
    # over-cap: the check-in was the one nudge; a second one is past the cap
    assert run("done", str(check_in), "--at", "2026-03-06 10:00").exit_code == 0
    assert "over-cap" in codes(run, check_in, "2026-03-09 10:00", CHECK_IN)


def test_pressing_after_a_rejection_in_context_or_when_the_draft_says_so(run) -> None:
    setup(run)
    assert run("outcome", "1", "rejected", "--at", "2026-03-04 10:00").exit_code == 0
    thread = json.loads(run("show", "thread", "1", "--json").stdout)
    close = next(f["id"] for f in thread["followups"] if f["purpose"] == "gracious-close")
    text = (
        "Subject: Data Engineer role at Acme\n\nDear Priya,\n\nThank you for letting me know about the Data "
        "Engineer role. Could you please reconsider my application and explain why I was not chosen?"
        "\n\nBest regards,\nRobin Vale\n"
    )
    assert "presses-after-rejection" in codes(run, close, "2026-03-04 15:00", text)
    # Alone, a request to look again is pressing only when the draft itself says they said no.
    asking = text.replace(" and explain why I was not chosen?", "?")
    alone = json.loads(run("check", "-", "--json", input=asking).stdout)
    assert "presses-after-rejection" not in {f["code"] for f in alone["findings"]}
    told = json.loads(run("check", "-", "--json", input=text).stdout)
    assert "presses-after-rejection" in {f["code"] for f in told["findings"]}


def test_the_exit_status_tells_scripts_the_verdict(run, tmp_path) -> None:
    ready = tmp_path / "ready.txt"
    ready.write_text(
        "Subject: Thank you for the Data Engineer interview\n\nDear Priya,\n\nThank you for talking with me "
        "today about streaming ingestion at Acme. I am keen on the Data Engineer role and would be glad to "
        "help with the migration.\n\nBest regards,\nRobin Vale\n"
    )
    rough = tmp_path / "rough.txt"
    rough.write_text("Subject: hi\n\nhey Priya!! gonna send the the file asap\n")
    assert run("check", str(ready)).exit_code == 0
    assert run("check", str(rough)).exit_code == 3
    assert run("check", str(rough), "--json").exit_code == 3
    assert json.loads(run("check", str(rough), "--json").stdout)["verdict"] == "needs-work"
    assert run("check", str(rough), "--exit-zero").exit_code == 0
    assert run("check", "-", input="\n\n").exit_code == 1  # a user error is still 1
