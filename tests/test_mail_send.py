"""`tactful send` and the outbox against real servers: aiosmtpd (STARTTLS and AUTH) delivering into
dovecot, whose Sent folder gets the copy. At most once, and never silently lost: the sender is
killed (SIGKILL) at each step of sending, and neither the SMTP server nor the Sent folder ever gets
a second copy."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.mailservers import PASSWORD, USER, Dovecot, Smtp
from tests.snapshots import snapshot
from tests.test_mail_sync import connect
from tests.test_mailbox import ME, PRIYA, message, start

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def account(
    run: Any, run_json: Any, dovecot: Dovecot, smtp: Smtp, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", PASSWORD)
    logged = start(run, run_json)
    assert connect(run, dovecot, smtp).exit_code == 0
    return logged


def in_sent(dovecot: Dovecot, message_id: str) -> int:
    """How many copies of the message the Sent folder holds."""
    from imap_tools import MailBoxUnencrypted

    with MailBoxUnencrypted("127.0.0.1", dovecot.plain).login(USER, PASSWORD, initial_folder="Sent") as box:
        found = box.client.uid("SEARCH", "HEADER", "Message-ID", f'"{message_id}"')
        return len(found[1][0].split()) if found[1] and found[1][0] else 0


def thank_you(logged: dict[str, Any]) -> int:
    return int(next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you"))


def test_send_delivers_files_a_copy_and_marks_the_follow_up_done(
    run: Any, run_json: Any, account: dict[str, Any], dovecot: Dovecot, smtp: Smtp
) -> None:
    fid = thank_you(account)
    out = run_json("send", str(fid))
    assert out["status"] == "sent" and out["followup_id"] == fid
    mid = out["message_id"]
    (envelope,) = smtp.received
    assert envelope[0] == ME and envelope[1] == [PRIYA]
    assert f"Message-ID: {mid}".encode() in envelope[2]
    assert b"X-Unsent" not in envelope[2]
    assert in_sent(dovecot, mid) == 1
    done = next(f for f in run_json("show", "thread", "1")["followups"] if f["id"] == fid)
    assert done["status"] == "done"
    (listed,) = run_json("outbox")["messages"]
    assert listed["status"] == "sent" and listed["filed"] is True and listed["message_id"] == mid
    synced = run_json("mail", "sync")  # the copy in Sent, and the one delivered to the inbox, count once
    assert synced["sent"] == [] and synced["replies"] == []
    assert in_sent(dovecot, mid) == 1 and len(smtp.received) == 1
    again = run("send", str(fid))
    assert again.exit_code == 1 and "already" in again.stderr


def test_a_reply_threads_the_next_message(
    run: Any, run_json: Any, account: dict[str, Any], dovecot: Dovecot, smtp: Smtp
) -> None:
    fid = thank_you(account)
    sent = run_json("send", str(fid))
    from email.utils import format_datetime

    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))  # after the thank-you went
    dovecot.deliver(message(PRIYA, ME, later, "Thanks Robin, we'll be in touch next week.",
                            "<r1@acme.example>", subject="Re: whatever they called it", reply_to=sent["message_id"]))  # fmt: skip
    synced = run_json("mail", "sync")
    assert [r["message_id"] for r in synced["replies"]] == ["<r1@acme.example>"]
    run_json("wake", "1")
    check = next(f for f in run_json("agenda", "--all")["items"] if f["purpose"] == "check-in")
    out = run_json("send", str(check["id"]))
    raw = smtp.received[-1][2]
    assert out["status"] == "sent"
    assert b"In-Reply-To: <r1@acme.example>" in raw
    assert b"Subject: Re: whatever they called it" in raw
    assert (
        sent["message_id"].encode()
        in raw.split(b"References:")[1].split(b"\n")[0] + raw.split(b"References:")[1].split(b"\n")[1]
    )


def test_a_queued_message_can_be_taken_back_and_a_bad_draft_is_not_sent(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp, tmp_path: Path, db_location: Path
) -> None:
    fid = thank_you(account)
    queued = run_json("send", str(fid), "--at", "tomorrow 9am")
    assert queued["status"] == "queued"
    taken = run_json("outbox", "cancel", str(fid))
    assert taken["status"] == "cancelled"
    assert run_json("mail", "sync")["outbox"]["failed"] == [] and smtp.received == []
    late = run("outbox", "cancel", str(fid))
    assert late.exit_code == 1
    bad = tmp_path / "bad.txt"
    bad.write_text("Subject: Thanks\n\nHi [Name],\n\nThank you for your time today.\n\nRobin\n")
    before = snapshot(db_location)
    refused = run("send", str(fid), "--text", str(bad))
    assert refused.exit_code == 1 and "not sent" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert snapshot(db_location) == before and smtp.received == []


KILLER = """
import os, signal, sys
from tactful.service import outbox
step = sys.argv[1]

def checkpoint(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)

outbox._checkpoint = checkpoint
from tactful.cli import main
sys.argv = ["tactful", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    ("step", "delivered", "status", "copies"),
    [
        ("claimed", 0, "failed", 0),  # before the SMTP server saw it: not in Sent, so "may have been sent"
        ("accepted", 1, "failed", 0),  # the server took it, nothing recorded: the same, and never again
        ("recorded", 1, "sent", 1),  # recorded, not yet filed: the next pass files one copy
        ("filed", 1, "sent", 1),  # filed, not yet marked: the next pass finds it there, files no second
    ],
)
def test_killing_the_sender_at_each_step_never_makes_two_copies(
    run_json: Any, account: dict[str, Any], dovecot: Dovecot, smtp: Smtp, db_path: Path,
    step: str, delivered: int, status: str, copies: int,
) -> None:  # fmt: skip
    fid = thank_you(account)
    env = {**os.environ, "TACTFUL_DB": str(db_path), "TACTFUL_PLAYBOOK": str(db_path.parent / "none.toml")}
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, step, "send", str(fid)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr.decode()
    assert len(smtp.received) == delivered
    first = run_json("mail", "sync")
    second = run_json("mail", "sync")
    (o,) = run_json("outbox")["messages"]
    assert o["status"] == status
    if status == "failed":
        assert o["error"] == "may have been sent"
        assert [f["followup_id"] for f in first["outbox"]["failed"]] == [fid]
    assert len(smtp.received) == delivered  # never sent again by itself
    assert in_sent(dovecot, o["message_id"]) == copies
    assert second["sent"] == [] and second["outbox"]["failed"] == []


def test_the_morning_digest_lists_what_is_due_once_a_day(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp, db_path: Path
) -> None:
    from tactful.config import load
    from tactful.service import Service, digest
    from tactful.store import open_store

    out = run_json("mail", "digest")
    assert out == {"sent_to": ME}
    (envelope,) = smtp.received
    assert envelope[1] == [ME]
    assert b"thank-you to Priya Natarajan (Acme) by email" in envelope[2]
    assert b"Auto-Submitted: auto-generated" in envelope[2]
    assert run_json("mail", "digest", "--daily") == {"daily": True}
    morning = dt.datetime(2030, 3, 4, 14, 0, tzinfo=dt.UTC)  # 9:00 in New York
    svc = Service(open_store(db_path), config=load(database=db_path), now=morning)
    try:
        assert digest.due(svc)
        digest.send(svc)
        assert not digest.due(svc)  # once a day
        early = Service(svc.store, config=load(database=db_path), now=morning + dt.timedelta(hours=21))
        assert not digest.due(early)  # not before eight, their time
    finally:
        svc.store.close()
    assert len(smtp.received) == 2


def test_a_message_the_server_refuses_after_data_is_failed_not_sent(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp
) -> None:
    fid = thank_you(account)
    smtp.answers.append("554 5.7.1 Message rejected as spam")
    refused = run("send", str(fid), "--json")
    assert refused.exit_code == 1
    (o,) = run_json("outbox")["messages"]
    assert o["status"] == "failed" and "554" in o["error"] and smtp.received == []
    planned = next(f for f in run_json("show", "thread", "1")["followups"] if f["id"] == fid)
    assert planned["status"] == "planned"


def test_what_was_sent_is_not_taken_back_by_undo_and_never_sent_twice(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp
) -> None:
    fid = thank_you(account)
    assert run_json("send", str(fid))["status"] == "sent"
    assert run("undo").exit_code == 0  # takes back the last change: the log, not the message
    again = run("send", str(fid))
    assert again.exit_code == 1
    assert len(smtp.received) == 1
    assert [m["status"] for m in run_json("outbox")["messages"]] == ["sent"]


def test_a_queued_message_is_not_sent_once_its_follow_up_is_settled_otherwise(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp, db_path: Path
) -> None:
    from tactful.config import load
    from tactful.service import Service, outbox
    from tactful.store import open_store

    fid = thank_you(account)
    assert run_json("send", str(fid), "--at", "in 2 hours")["status"] == "queued"
    assert run_json("done", str(fid))["done"]["id"] == fid  # sent another way meanwhile
    svc = Service(
        open_store(db_path),
        config=load(database=db_path),
        now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=3),
    )
    try:
        outbox.deliver(svc)
    finally:
        svc.store.close()
    assert smtp.received == []
    (o,) = run_json("outbox")["messages"]
    assert o["status"] == "cancelled" and "done" in o["error"]


def test_deleting_what_mail_points_at_works_and_a_restore_never_sends_again(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp, tmp_path: Path
) -> None:
    fid = thank_you(account)
    assert run_json("send", str(fid), "--at", "in 2 hours")["status"] == "queued"
    backup = tmp_path / "backup.json"
    assert run("export", "json", "--out", str(backup)).exit_code == 0
    assert run("import", "json", str(backup), "--replace").exit_code == 0
    (o,) = run_json("outbox")["messages"]
    assert o["status"] == "failed" and "may have been sent" in o["error"]
    deleted = run("delete", "interaction", "1")
    assert deleted.exit_code == 0, deleted.stderr
    assert run("delete", "contact", "1", "--yes").exit_code in (
        0,
        1,
    )  # gone with its interaction, or deleted now
    assert smtp.received == []


def test_the_daily_cap_holds_the_rest_back(
    run: Any, run_json: Any, account: dict[str, Any], smtp: Smtp, db_path: Path
) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE mail_account SET daily_cap = 1")
    check = next(f["id"] for f in account["followups"] if f["purpose"] == "check-in")
    assert run_json("send", str(thank_you(account)))["status"] == "sent"
    held = run("send", str(check), "--json")
    assert held.exit_code == 0 and '"status": "queued"' in held.stdout
    assert "daily cap of 1" in held.stderr
    assert len(smtp.received) == 1


def test_a_typed_password_needs_a_keyring_and_nothing_is_kept_without_one(
    run: Any, dovecot: Dovecot, smtp: Smtp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tactful.errors import InvalidInput
    from tactful.service import Service
    from tactful.service.mailsync import ConnectRequest, connect
    from tactful.store import open_store

    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))
    monkeypatch.delenv("TACTFUL_MAIL_PASSWORD", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    svc = Service(open_store(db_path))
    try:
        request = ConnectRequest(imap=f"127.0.0.1:{dovecot.plain}", smtp=f"127.0.0.1:{smtp.port}", user=USER,
                                 security="starttls", address=ME, password=PASSWORD)  # fmt: skip
        with pytest.raises(InvalidInput, match=r"no OS keyring.*TACTFUL_MAIL_PASSWORD"):
            connect(svc, request)
        assert svc.store.get_account() is None
        no_password = ConnectRequest(imap=f"127.0.0.1:{dovecot.plain}", smtp=f"127.0.0.1:{smtp.port}", user=USER,
                                     security="starttls", address=ME)  # fmt: skip
        with pytest.raises(InvalidInput, match="no mail password"):
            connect(svc, no_password)
    finally:
        svc.store.close()
