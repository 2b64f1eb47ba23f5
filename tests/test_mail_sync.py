"""`tactful mail connect` and `tactful mail sync` against real servers on loopback: dovecot for IMAP
(plain with STARTTLS, and TLS) and aiosmtpd for SMTP (STARTTLS and AUTH required)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.mailservers import PASSWORD, USER, Dovecot, Smtp
from tests.snapshots import snapshot
from tests.test_mailbox import ME, PRIYA, THANKS, message, start


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch, dovecot: Dovecot) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", PASSWORD)


def connect(run: Any, dovecot: Dovecot, smtp: Smtp, *more: str) -> Any:
    return run("mail", "connect", "--imap", f"127.0.0.1:{dovecot.plain}", "--imap-security", "starttls",
               "--smtp", f"127.0.0.1:{smtp.port}", "--smtp-security", "starttls", "--user", USER,
               "--address", ME, *more)  # fmt: skip


def test_connect_checks_both_logins_and_finds_the_sent_folder(
    run: Any,
    run_json: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,
) -> None:
    result = connect(run, dovecot, smtp, "--json")
    assert result.exit_code == 0, result.stderr
    assert '"sent": "Sent"' in result.stdout and '"inbox": "INBOX"' in result.stdout
    over_tls = run("mail", "connect", "--imap", f"127.0.0.1:{dovecot.tls}", "--imap-security", "tls",
                   "--smtp", f"127.0.0.1:{smtp.port}", "--smtp-security", "starttls", "--user", USER, "--address", ME, "--json")  # fmt: skip
    assert over_tls.exit_code == 0, over_tls.stderr
    assert '"imap_security": "tls"' in over_tls.stdout and '"smtp_security": "starttls"' in over_tls.stdout


def test_a_refused_login_names_the_server_and_stores_nothing(
    run: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,
    monkeypatch: pytest.MonkeyPatch,
    db_location: Path,
) -> None:
    assert run("profile", "--name", "Robin Vale").exit_code == 0
    before = snapshot(db_location)
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", "wrong")
    result = connect(run, dovecot, smtp)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"IMAP server 127.0.0.1:{dovecot.plain} refused the login" in line
    assert PASSWORD not in result.stderr and "wrong" not in result.stderr
    assert snapshot(db_location) == before


def test_tls_is_checked_and_plain_is_for_loopback_only(
    run: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", PASSWORD)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    untrusted = connect(run, dovecot, smtp)
    assert untrusted.exit_code == 1 and "certificate is not trusted" in untrusted.stderr
    far = run("mail", "connect", "--imap", "mail.example.com:143", "--smtp", "mail.example.com", "--user", USER,
              "--security", "plain")  # fmt: skip
    assert far.exit_code == 1 and "only on this machine" in far.stderr
    assert run("mail", "sync").exit_code == 1  # nothing connected


def test_sync_marks_sent_mail_done_stops_nudges_on_a_reply_and_reads_nothing_twice(
    run: Any,
    run_json: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,
) -> None:
    logged = start(run, run_json)
    assert connect(run, dovecot, smtp).exit_code == 0
    thanks = next(f for f in logged["followups"] if f["purpose"] == "thank-you")
    dovecot.deliver(
        message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<thanks-1@vale.example>"), "Sent"
    )
    dovecot.deliver(
        message("news@other.example", ME, "Mon, 02 Mar 2026 16:00:00 -0500", "News", "<n@other.example>")
    )
    first = run_json("mail", "sync")
    assert first["sent"] == [{"followup_id": thanks["id"], "message_id": "<thanks-1@vale.example>"}]
    assert first["replies"] == [] and first["scanned"] == 2
    check = next(f for f in run_json("agenda", "--all")["items"] if f["purpose"] == "check-in")
    dovecot.deliver(message(PRIYA, ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Thanks Robin, talk soon.", "<r1@acme.example>",
                            reply_to="<thanks-1@vale.example>"))  # fmt: skip
    second = run_json("mail", "sync")
    assert second["scanned"] == 1  # only what is new
    (reply,) = second["replies"]
    assert reply["contact_id"] == 1 and check["id"] in second["cancelled"]
    assert run_json("mail", "sync")["scanned"] == 0


def test_a_new_uidvalidity_reads_the_folder_again_and_counts_nothing_twice(
    run: Any,
    run_json: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,
    db_path: Path,
) -> None:
    import sqlite3

    start(run, run_json)
    assert connect(run, dovecot, smtp).exit_code == 0
    dovecot.deliver(
        message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<thanks-1@vale.example>"), "Sent"
    )
    dovecot.deliver(message(PRIYA, ME, "Wed, 04 Mar 2026 09:00:00 -0500", "Thanks Robin.", "<r1@acme.example>",
                            reply_to="<thanks-1@vale.example>"))  # fmt: skip
    first = run_json("mail", "sync")
    assert len(first["sent"]) == 1 and len(first["replies"]) == 1
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE mail_folders SET uidvalidity = uidvalidity + 1")
    again = run_json("mail", "sync")
    assert again["scanned"] == 2
    assert again["sent"] == [] and again["replies"] == [] and again["cancelled"] == []


def test_a_connection_lost_midway_loses_nothing_and_the_next_sync_goes_on(
    run: Any,
    run_json: Any,
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tactful.mail import imap
    from tactful.service import mailbox

    start(run, run_json)
    assert connect(run, dovecot, smtp).exit_code == 0
    replies = [
        message(
            PRIYA, ME, f"Wed, 04 Mar 2026 09:{n:02d}:00 -0500", f"Reply number {n}.", f"<r{n}@acme.example>"
        )
        for n in range(6)
    ]
    dovecot.deliver_many(replies)
    monkeypatch.setattr(imap, "CHUNK", 2)
    real_apply = mailbox.apply
    calls = []

    def apply_then_drop(*args: Any, **kwargs: Any) -> Any:
        done = real_apply(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:  # after the Inbox's second chunk (of two messages), the server drops us
            dovecot.kick()
        return done

    from tactful.service import mailsync

    monkeypatch.setattr(mailsync, "apply", apply_then_drop)
    cut = run("mail", "sync", "--json")
    assert cut.exit_code == 1, cut.stdout
    (line,) = cut.stderr.strip().splitlines()
    assert "IMAP server" in line and "goes on where it stopped" in line
    monkeypatch.setattr(mailsync, "apply", real_apply)
    kept = run_json("agenda")["proposals"]  # nothing to decide: plain replies
    assert kept == []
    rest = run_json("mail", "sync")
    assert rest["scanned"] == 2  # the two chunks read before the drop were kept
    assert [r["message_id"] for r in rest["replies"]] == ["<r4@acme.example>", "<r5@acme.example>"]
    assert run_json("mail", "sync")["scanned"] == 0


def test_an_out_of_office_and_a_rejection_in_the_inbox(
    run: Any, run_json: Any, dovecot: Dovecot, smtp: Smtp, trusted: None
) -> None:
    start(run, run_json)
    assert connect(run, dovecot, smtp).exit_code == 0
    dovecot.deliver(
        message(ME, PRIYA, "Mon, 02 Mar 2026 15:00:00 -0500", THANKS, "<thanks-1@vale.example>"), "Sent"
    )
    run_json("mail", "sync")
    check = next(f for f in run_json("agenda", "--all")["items"] if f["purpose"] == "check-in")
    away = message(PRIYA, ME, "Mon, 02 Mar 2026 15:01:00 -0500", "I am out of the office until 20 April 2026.",
                   "<ooo@acme.example>", subject="Out of office", reply_to="<thanks-1@vale.example>",
                   Auto_Submitted="auto-replied")  # fmt: skip
    dovecot.deliver(away)
    out = run_json("mail", "sync")
    assert out["replies"] == [] and check["id"] in out["moved"]
    moved = next(f for f in run_json("agenda", "--all")["items"] if f["id"] == check["id"])
    assert moved["not_before"] > "2026-04-20"
    no = "Dear Robin,\n\nThank you for your patience. Unfortunately we have decided to move forward with another candidate."
    dovecot.deliver(message(PRIYA, ME, "Tue, 21 Apr 2026 10:00:00 -0400", no, "<no@acme.example>",
                            reply_to="<thanks-1@vale.example>"))  # fmt: skip
    out = run_json("mail", "sync")
    (reading,) = out["replies"]
    assert reading["reading"] == "rejection" and check["id"] in out["cancelled"]
    accepted = run_json("accept", "<no@acme.example>")
    assert [f["purpose"] for f in accepted["followups"]] == ["gracious-close"]


def test_on_a_server_the_password_is_kept_sealed_in_the_database_and_never_in_a_backup(
    run: Any, dovecot: Dovecot, smtp: Smtp, trusted: None, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """No keyring on a server: TACTFUL_SECRET_KEY seals the password into the database, and sync
    opens it there once the environment no longer holds it."""
    import sqlite3

    key = "k" * 20 + "server-key-of-this-test"
    monkeypatch.setenv("TACTFUL_SECRET_KEY", "too short")
    short = connect(run, dovecot, smtp)
    assert short.exit_code == 1 and "at least 32" in short.stderr
    monkeypatch.setenv("TACTFUL_SECRET_KEY", key)
    assert connect(run, dovecot, smtp).exit_code == 0
    with sqlite3.connect(db_path) as db:
        ((name, value),) = db.execute("SELECT name, value FROM secrets WHERE name LIKE 'mail-password:%'")
    assert name == f"mail-password:{USER}@127.0.0.1" and PASSWORD not in value and len(value) > 60
    monkeypatch.delenv("TACTFUL_MAIL_PASSWORD")
    synced = run("mail", "sync")
    assert synced.exit_code == 0, synced.stderr
    backup = db_path.parent / "backup.json"
    assert run("export", "json", "--out", str(backup)).exit_code == 0
    kept = backup.read_text(encoding="utf-8")
    assert value not in kept and PASSWORD not in kept and "mail-password" not in kept
    monkeypatch.setenv("TACTFUL_SECRET_KEY", "another key of more than thirty-two characters")
    wrong = run("mail", "sync")
    assert wrong.exit_code == 1 and len(wrong.stderr.strip().splitlines()) == 1
    assert "does not open with this TACTFUL_SECRET_KEY" in wrong.stderr and PASSWORD not in wrong.stderr
