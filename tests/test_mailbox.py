"""Mail matched to follow-ups, end to end through the command line: `import eml|mbox`, `accept`,
`decline`, and the agenda's proposals."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.snapshots import snapshot

ME = "robin@vale.example"
PRIYA = "priya@acme.example"


def message(
    sender: str,
    to: str,
    date: str,
    body: str,
    mid: str,
    subject: str = "Data Engineer interview",
    reply_to: str | None = None,
    **headers: str,
) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Date"] = date
    m["Subject"] = subject
    m["Message-ID"] = mid
    if reply_to:
        m["In-Reply-To"] = reply_to
        m["References"] = reply_to
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(body)
    return bytes(m)


def save(tmp_path: Path, name: str, raw: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(raw)
    return str(path)


def start(run: Any, run_json: Any) -> dict[str, Any]:
    """Robin interviewed with Priya on Monday 2 March 2026, 10:00 New York time."""
    assert (
        run(
            "profile", "--name", "Robin Vale", "--email", ME, "--tz", "America/New_York", "--country", "US"
        ).exit_code
        == 0
    )
    out: dict[str, Any] = run_json("log", "interview", "--with", "Priya Natarajan", "--email", PRIYA, "--org", "Acme",
                                   "--for", "Data Engineer", "--at", "2026-03-02 10:00", "--topic", "streaming")  # fmt: skip
    return out


THANKS = "Hi Priya,\n\nThank you for the conversation about streaming today.\n\nRobin\n"


def sent_thanks(tmp_path: Path) -> str:
    raw = message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<thanks-1@vale.example>")
    return save(tmp_path, "thanks.eml", raw)


def test_a_sent_message_marks_its_follow_up_done_with_its_message_id(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    logged = start(run, run_json)
    thanks = next(f for f in logged["followups"] if f["purpose"] == "thank-you")
    out = run_json("import", "eml", sent_thanks(tmp_path))
    assert out["scanned"] == 1
    assert out["sent"] == [{"followup_id": thanks["id"], "message_id": "<thanks-1@vale.example>"}]
    assert out["replies"] == []  # what the user sent is never their reply
    shown = run_json("show", "thread", str(logged["interaction"]["thread_id"]))
    done = next(f for f in shown["followups"] if f["id"] == thanks["id"])
    assert done["status"] == "done"
    assert done["done_at"].startswith("2026-03-02T15:00")
    planned = run_json("agenda", "--all")["items"]
    assert [f["purpose"] for f in planned] == ["check-in"]  # the nudge stays: no one has answered yet


def test_the_same_mail_read_twice_counts_once(
    run: Any, run_json: Any, tmp_path: Path, db_location: Path
) -> None:
    start(run, run_json)
    file = sent_thanks(tmp_path)
    reply = save(tmp_path, "reply.eml", message(PRIYA, ME, "Tue, 03 Mar 2026 09:00:00 -0500",
                 "Thanks Robin, it was good to meet you.", "<r1@acme.example>", reply_to="<thanks-1@vale.example>"))  # fmt: skip
    first = run_json("import", "eml", file, reply)
    assert len(first["sent"]) == 1 and len(first["replies"]) == 1
    before = snapshot(db_location)
    again = run_json("import", "eml", reply, file)
    assert again["scanned"] == 2
    assert again["sent"] == [] and again["replies"] == [] and again["cancelled"] == []
    after = snapshot(db_location)
    assert {k: v for k, v in after.items() if not k.startswith("undo")} == {
        k: v for k, v in before.items() if not k.startswith("undo")
    }


def test_a_reply_stops_the_nudges_and_a_plain_one_proposes_nothing(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    planned = run_json("agenda", "--all")["items"]
    nudges = [f["id"] for f in planned if f["purpose"] == "check-in"]
    assert nudges
    reply = message(PRIYA, ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Thanks Robin! Talk soon.\n\nOn Mon, Robin wrote:\n> Hi Priya",
                    "<r1@acme.example>", reply_to="<thanks-1@vale.example>")  # fmt: skip
    out = run_json("import", "eml", save(tmp_path, "r.eml", reply))
    (seen,) = out["replies"]
    assert seen["reading"] == "reply" and seen["proposal"] is None
    assert seen["contact_id"] == 1 and seen["thread_id"] == 1
    assert set(nudges) <= set(out["cancelled"])
    assert run_json("agenda", "--all")["proposals"] == []


def test_a_rejection_is_proposed_and_recorded_only_when_accepted(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    body = ("Dear Robin,\n\nThank you for your time. Unfortunately we have decided to move forward with "
            "other candidates.\n\nBest,\nPriya")  # fmt: skip
    out = run_json("import", "eml", save(tmp_path, "no.eml", message(PRIYA, ME, "Tue, 10 Mar 2026 11:00:00 -0400", body,
                   "<no@acme.example>", reply_to="<thanks-1@vale.example>")))  # fmt: skip
    (seen,) = out["replies"]
    assert seen["reading"] == "rejection"
    assert "rejected" in seen["proposal"]
    (waiting,) = run_json("agenda")["proposals"]
    assert waiting["message_id"] == "<no@acme.example>" and waiting["reading"] == "rejection"
    assert run_json("show", "thread", "1")["thread"]["outcome"] is None  # not yet
    accepted = run_json("accept", "no@acme.example")
    assert accepted["accepted"]["decision"] == "accepted"
    assert [f["purpose"] for f in accepted["followups"]] == ["gracious-close"]
    assert run_json("show", "thread", "1")["thread"]["outcome"] == "rejected"
    assert run_json("agenda")["proposals"] == []
    again = run("accept", "<no@acme.example>")
    assert again.exit_code == 1 and "accepted" in again.stderr


def test_declining_keeps_the_reply_and_records_nothing_more(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    body = "Hi Robin, unfortunately we will not be moving forward with your application."
    run_json(
        "import",
        "eml",
        save(
            tmp_path,
            "no.eml",
            message(PRIYA, ME, "Tue, 10 Mar 2026 11:00:00 -0400", body, "<no@acme.example>"),
        ),
    )
    out = run_json("decline", "<no@acme.example>")
    assert out["declined"]["decision"] == "declined"
    assert run_json("show", "thread", "1")["thread"]["outcome"] is None
    assert run_json("agenda")["proposals"] == []


def test_not_now_proposes_checking_back_on_the_day_they_named(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    body = "Hi Robin, we are pausing this role for now. Please check back in 3 weeks.\n\nPriya"
    out = run_json(
        "import",
        "eml",
        save(
            tmp_path,
            "later.eml",
            message(PRIYA, ME, "Tue, 10 Mar 2026 11:00:00 -0400", body, "<later@acme.example>"),
        ),
    )
    (seen,) = out["replies"]
    assert seen["reading"] == "later"
    assert seen["until"].startswith("2026-03-31")
    accepted = run_json("accept", "<later@acme.example>")
    (planned,) = accepted["followups"]
    assert planned["not_before"] >= "2026-03-31"


def test_an_invitation_logs_the_next_round_at_the_time_given(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    body = "Hi Robin, we would like to invite you to a second interview with the team next week."
    run_json(
        "import",
        "eml",
        save(
            tmp_path,
            "inv.eml",
            message(PRIYA, ME, "Tue, 10 Mar 2026 11:00:00 -0400", body, "<inv@acme.example>"),
        ),
    )
    missing = run("accept", "<inv@acme.example>")
    assert missing.exit_code == 1 and "--at" in missing.stderr
    accepted = run_json("accept", "<inv@acme.example>", "--at", "2026-03-17 14:00")
    assert accepted["accepted"]["reading"] == "invitation"
    history = run_json("show", "thread", "1")
    assert [i["kind"] for i in history["interactions"]] == ["interview", "interview"]
    assert history["interactions"][1]["round"] == 2


def test_a_reply_from_another_address_is_matched_by_what_it_answers(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    reply = message("p.natarajan@gmail.example", ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Thanks, Robin!", "<r2@gmail.example>",
                    reply_to="<thanks-1@vale.example>")  # fmt: skip
    out = run_json("import", "eml", save(tmp_path, "r.eml", reply))
    (seen,) = out["replies"]
    assert seen["contact_id"] == 1


def test_a_stranger_or_a_list_is_no_reply(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    stranger = message(
        "someone@else.example", ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Hello", "<s@else.example>"
    )
    listed = message(PRIYA, ME, "Wed, 04 Mar 2026 10:00:00 -0500", "Our newsletter", "<n@acme.example>",
                     List_Id="<news.acme.example>", Precedence="list")  # fmt: skip
    auto = message(PRIYA, ME, "Wed, 04 Mar 2026 11:00:00 -0500", "We have received your message and will answer soon.", "<a@acme.example>",
                   Auto_Submitted="auto-replied")  # fmt: skip
    out = run_json(
        "import", "eml", *(save(tmp_path, f"{n}.eml", raw) for n, raw in enumerate((stranger, listed, auto)))
    )
    assert out["scanned"] == 3
    assert out["replies"] == [] and out["cancelled"] == [] and out["automatic"] == []
    assert any(f["purpose"] == "check-in" for f in run_json("agenda", "--all")["items"])


def test_an_out_of_office_moves_the_windows_past_the_return_date(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    check = next(f for f in run_json("agenda", "--all")["items"] if f["purpose"] == "check-in")
    body = "I am out of the office until 20 April 2026 with limited access to email."
    ooo = message(PRIYA, ME, "Mon, 02 Mar 2026 15:01:00 -0500", body, "<ooo@acme.example>", subject="Automatic reply: Data Engineer interview",
                  reply_to="<thanks-1@vale.example>", Auto_Submitted="auto-replied")  # fmt: skip
    out = run_json("import", "eml", save(tmp_path, "ooo.eml", ooo))
    assert out["replies"] == []
    (away,) = out["automatic"]
    assert away["kind"] == "out-of-office" and away["contact_id"] == 1
    assert away["until"] > "2026-04-20"
    assert check["id"] in out["moved"]
    moved = next(f for f in run_json("agenda", "--all")["items"] if f["id"] == check["id"])
    assert moved["not_before"] > "2026-04-20"
    assert "away" in moved["why"]


def test_a_bounce_marks_the_address_and_proposes_another_channel(
    run: Any, run_json: Any, tmp_path: Path
) -> None:
    start(run, run_json)
    run("edit", "contact", "1", "--phone", "+1 212 555 0100")
    run_json("import", "eml", sent_thanks(tmp_path))
    report = (
        b"From: Mail Delivery System <MAILER-DAEMON@vale.example>\r\nTo: robin@vale.example\r\n"
        b"Date: Mon, 02 Mar 2026 15:02:00 -0500\r\nMessage-ID: <bounce-1@vale.example>\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.vale.example\r\n\r\n"
        b"Final-Recipient: rfc822; priya@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--b1--\r\n"
    )
    out = run_json("import", "eml", save(tmp_path, "bounce.eml", report))
    assert out["replies"] == []
    (bounce,) = out["automatic"]
    assert bounce["kind"] == "bounce" and "phone" in bounce["proposal"]
    accepted = run_json("accept", "<bounce-1@vale.example>")
    assert accepted["moved"]
    channels = {f["id"]: f["channel"] for f in run_json("agenda", "--all")["items"]}
    assert all(channels[i] == "phone" for i in accepted["moved"])


def test_an_mbox_import_and_undo(run: Any, run_json: Any, tmp_path: Path, db_location: Path) -> None:
    start(run, run_json)
    before = snapshot(db_location)
    thanks = message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<thanks-1@vale.example>")
    reply = message(PRIYA, ME, "Tue, 03 Mar 2026 09:00:00 -0500", "From the team: thanks, Robin.\n", "<r1@acme.example>",
                    reply_to="<thanks-1@vale.example>")  # fmt: skip
    box = b"".join(
        b"From x@y Mon Mar  2 15:00:00 2026\n" + raw.replace(b"\nFrom ", b"\n>From ") + b"\n"
        for raw in (reply, thanks)
    )
    out = run_json("import", "mbox", save(tmp_path, "all.mbox", box))
    assert out["scanned"] == 2 and len(out["sent"]) == 1 and len(out["replies"]) == 1
    assert run("undo").exit_code == 0
    after = snapshot(db_location)
    assert {k: v for k, v in after.items() if not k.startswith("undo")} == {
        k: v for k, v in before.items() if not k.startswith("undo")
    }


def test_human_output_and_bad_files(run: Any, run_json: Any, tmp_path: Path, db_location: Path) -> None:
    start(run, run_json)
    shown = run("import", "eml", sent_thanks(tmp_path))
    assert shown.exit_code == 0, shown.stderr
    assert "marked done" in shown.stdout
    missing = run("import", "eml", str(tmp_path / "nope.eml"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    unknown = run("accept", "<nothing@here>")
    assert unknown.exit_code == 1 and "no message" in unknown.stderr
    garbage = save(tmp_path, "junk.eml", bytes(range(256)) * 40)
    before = snapshot(db_location)
    out = run_json("import", "eml", garbage)
    assert out["scanned"] == 1 and out["sent"] == [] and out["replies"] == []
    assert json.dumps(out)
    assert {k: v for k, v in snapshot(db_location).items() if not k.startswith("undo")} == {
        k: v for k, v in before.items() if not k.startswith("undo")
    }


def test_mail_from_before_the_interview_is_no_answer_to_it(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    early = message(
        PRIYA,
        ME,
        "Mon, 23 Feb 2026 09:00:00 -0500",
        "Would Monday at 10 work for the interview?",
        "<early@acme.example>",
    )
    undated = message(PRIYA, ME, "", "Thanks again!", "<undated@acme.example>")
    out = run_json(
        "import", "eml", save(tmp_path, "early.eml", early), save(tmp_path, "undated.eml", undated)
    )
    assert out["replies"] == [] and out["cancelled"] == []
    assert any(f["purpose"] == "check-in" for f in run_json("agenda", "--all")["items"])


def test_what_only_looks_like_an_answer_is_none(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    run_json("import", "eml", sent_thanks(tmp_path))
    ooo = message(PRIYA, ME, "Mon, 02 Mar 2026 16:00:00 -0500", "I am away this week.", "<o@acme.example>",
                  subject="Out of Office: Data Engineer interview")  # fmt: skip
    forged = message("someone@else.example", ME, "Mon, 02 Mar 2026 16:05:00 -0500", "Hello", "<f@else.example>",
                     X_Failed_Recipients=PRIYA)  # fmt: skip
    alias = message("robin.alias@other.example", PRIYA, "Mon, 02 Mar 2026 16:10:00 -0500", "PS: one more thing",
                    "<ps@other.example>", reply_to="<thanks-1@vale.example>")  # fmt: skip
    out = run_json(
        "import", "eml", *(save(tmp_path, f"{n}.eml", raw) for n, raw in enumerate((ooo, forged, alias)))
    )
    assert out["replies"] == [] and out["cancelled"] == []
    assert [a["kind"] for a in out["automatic"]] == ["out-of-office"]


def test_in_reply_to_wins_over_references(run: Any, run_json: Any, tmp_path: Path) -> None:
    start(run, run_json)
    run_json(
        "log",
        "interview",
        "--with",
        "Priya Natarajan",
        "--org",
        "Acme",
        "--for",
        "Analyst",
        "--at",
        "2026-03-03 10:00",
    )
    first = message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<t1@vale.example>")
    second = message(
        ME, PRIYA, "Tue, 03 Mar 2026 15:00:00 -0500", THANKS, "<t2@vale.example>", subject="Analyst"
    )
    run_json("import", "eml", save(tmp_path, "1.eml", first), save(tmp_path, "2.eml", second))
    threads = [h["thread"]["id"] for h in run_json("show", "contact", "#1")["threads"]]
    assert sorted(threads) == [1, 2]
    reply = message(PRIYA, ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Thanks Robin!", "<r@acme.example>",
                    In_Reply_To="<t2@vale.example>", References="<t2@vale.example> <t1@vale.example>")  # fmt: skip
    (seen,) = run_json("import", "eml", save(tmp_path, "r.eml", reply))["replies"]
    assert seen["thread_id"] == 2


def test_marking_one_sent_by_hand_covers_no_follow_up_of_a_later_meeting(run: Any, run_json: Any) -> None:
    start(run, run_json)
    run_json("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--for", "Analyst",
             "--at", "2026-03-03 10:00")  # fmt: skip
    done = run_json("done", "1", "--at", "2026-03-02 15:00")  # before the second interview happened
    assert "also_done" not in done
    later = run_json("show", "thread", "2")["followups"]
    assert [f["status"] for f in later if f["purpose"] == "thank-you"] == ["planned"]
