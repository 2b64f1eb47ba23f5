"""`tactful worker` on a team server: real worker processes on PostgreSQL's queue, a real SMTP server
(aiosmtpd) and IMAP server (dovecot) on loopback.

Two workers, four accounts, a hundred messages queued: the SMTP server receives exactly a hundred,
each once, and the ticks that queue work are never doubled. A worker killed (SIGKILL) just after the
SMTP server took a message leaves it claimed; another worker takes up the stalled job and, finding
no copy in Sent, marks the message "may have been sent" rather than sending it again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tactful.cli import cli

from .mailservers import PASSWORD, USER, Dovecot, Smtp
from .postgres import pg_url  # noqa: F401  (the fixture)
from .snapshots import query
from .test_mail_send import KILLER
from .test_mail_sync import trusted  # noqa: F401  (the fixture: the test server's certificate trusted)

ROOT = Path(__file__).resolve().parent.parent
KEY = "k" * 40  # the server's key for mail passwords (TACTFUL_SECRET_KEY)
ME = "robin@vale.example"


def tactful(db: str, *args: str, user: str | None = None) -> Any:
    env = {"NO_COLOR": "1", "TACTFUL_SECRET_KEY": KEY, "TACTFUL_MAIL_PASSWORD": PASSWORD}
    if user:
        env["TACTFUL_USER"] = user
    result = CliRunner().invoke(cli, ["--db", db, *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.lstrip().startswith("{") else result.stdout


def queued_team(db: str, dovecot: Dovecot, smtp: Smtp, accounts: int, each: int) -> list[str]:
    """`accounts` people, each with `each` thank-yous queued to leave in a few seconds."""
    emails = [f"user{n}@vale.example" for n in range(accounts)]
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=4)).strftime("%Y-%m-%d %H:%M:%S")
    for n, email in enumerate(emails):
        tactful(db, "users", "add", email)
        tactful(db, "profile", "--name", f"Robin Vale {n}", "--email", ME, "--tz", "UTC", user=email)
        tactful(db, "mail", "connect", "--imap", f"127.0.0.1:{dovecot.plain}", "--imap-security", "starttls",
                "--smtp", f"127.0.0.1:{smtp.port}", "--smtp-security", "starttls", "--user", USER,
                "--address", ME, user=email)  # fmt: skip
        for k in range(each):
            logged = tactful(db, "log", "interview", "--with", f"Person {n}-{k}", "--email", f"p{n}x{k}@acme.example",
                             "--org", "Acme", "--for", "Data Engineer", "--at", "2026-12-01 10:00",
                             "--topic", "streaming ingestion", "--json", user=email)  # fmt: skip
            fid = next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you")
            tactful(db, "send", str(fid), "--at", when, user=email)
    return emails


def start_worker(
    db: str, dovecot: Dovecot, *extra: str, killer_step: str | None = None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TACTFUL_DB": db, "TACTFUL_SECRET_KEY": KEY, "SSL_CERT_FILE": str(dovecot.ca_file)}
    env.pop("TACTFUL_MAIL_PASSWORD", None)  # the sealed one, as on a server
    program = ["-c", KILLER, killer_step] if killer_step else ["-m", "tactful"]
    return subprocess.Popen(
        [sys.executable, *program, "worker", "--every", "1", "--keep-done", *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen[bytes]) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return (worker.stderr.read() if worker.stderr else b"").decode(errors="replace")


def wait_for(condition: Any, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_two_workers_send_a_hundred_queued_messages_exactly_once(
    pg_url: str,  # noqa: F811
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,  # noqa: F811
) -> None:
    emails = queued_team(pg_url, dovecot, smtp, accounts=4, each=25)
    assert smtp.received == []
    workers = [start_worker(pg_url, dovecot), start_worker(pg_url, dovecot)]
    try:
        assert wait_for(lambda: len(smtp.received) >= 100, 120), f"only {len(smtp.received)} arrived"
        time.sleep(3)  # time enough for a second copy, were one coming
    finally:
        logs = [stop(w) for w in workers]
    ids = [message_from_bytes(raw)["Message-ID"] for _, _, raw in smtp.received]
    assert len(ids) == 100 and len(set(ids)) == 100, logs
    for email in emails:
        outbox = tactful(pg_url, "outbox", "--json", user=email)["messages"]
        assert [o["status"] for o in outbox] == ["sent"] * 25
    # each worker says, one JSON line a job, what it sent: both sent, and together a hundred
    said = [[json.loads(line) for line in log.splitlines() if line.startswith("{")] for log in logs]
    sent = [sum(line["sent"] for line in lines if line["job"] == "send") for lines in said]
    assert sum(sent) == 100 and all(n > 0 for n in sent), sent
    ticks = query(pg_url, "SELECT args->>'timestamp', count(*) FROM tactful_queue.procrastinate_jobs "
                          "WHERE task_name = 'tactful.tick' GROUP BY 1")  # fmt: skip
    assert len(ticks) >= 3 and all(n == 1 for _, n in ticks)  # one tick a moment, two workers or not


def test_a_worker_killed_after_the_server_took_a_message_never_sends_it_again(
    pg_url: str,  # noqa: F811
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,  # noqa: F811
) -> None:
    (email,) = queued_team(pg_url, dovecot, smtp, accounts=1, each=1)
    doomed = start_worker(pg_url, dovecot, "--stalled-after", "3", killer_step="accepted")
    doomed.wait(timeout=90)
    assert doomed.returncode == -signal.SIGKILL, stop(doomed)
    assert len(smtp.received) == 1
    (o,) = tactful(pg_url, "outbox", "--json", user=email)["messages"]
    assert o["status"] == "sending"  # claimed, and its fate unknown to tactful
    rescuer = start_worker(pg_url, dovecot, "--stalled-after", "3")
    try:
        settled = wait_for(
            lambda: tactful(pg_url, "outbox", "--json", user=email)["messages"][0]["status"] != "sending", 60
        )
    finally:
        log = stop(rescuer)
    assert settled, log
    (o,) = tactful(pg_url, "outbox", "--json", user=email)["messages"]
    assert o["status"] == "failed" and o["error"] == "may have been sent"
    assert len(smtp.received) == 1  # never sent again by itself
    # the dead worker's job is not left holding the account's mail: taken up, or closed
    doing = query(pg_url, "SELECT count(*) FROM tactful_queue.procrastinate_jobs WHERE status = 'doing'")
    assert doing == [(0,)]


def test_the_worker_needs_postgresql(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "worker", "--burst"])
    assert result.exit_code == 1 and "PostgreSQL" in result.stderr


SYNC_KILLER = """
import os, signal, sys
from tactful.service import mailsync

def dying(svc):
    os.kill(os.getpid(), signal.SIGKILL)

mailsync.sync = dying
from tactful.cli import main
sys.argv = ["tactful", *sys.argv[1:]]
main()
"""


def test_a_worker_killed_mid_sync_loses_nothing_the_sync_runs_again(
    pg_url: str,  # noqa: F811
    dovecot: Dovecot,
    smtp: Smtp,
    trusted: None,  # noqa: F811
) -> None:
    queued_team(pg_url, dovecot, smtp, accounts=1, each=0)
    assert query(pg_url, "SELECT synced_at FROM account_1.mail_account") == [(None,)]
    env = {
        **os.environ,
        "TACTFUL_DB": pg_url,
        "TACTFUL_SECRET_KEY": KEY,
        "SSL_CERT_FILE": str(dovecot.ca_file),
    }
    doomed = subprocess.run(
        [sys.executable, "-c", SYNC_KILLER, "worker", "--every", "1", "--keep-done", "--stalled-after", "3"],
        env=env, cwd=ROOT, capture_output=True, timeout=90,
    )  # fmt: skip
    assert doomed.returncode == -signal.SIGKILL, doomed.stderr.decode()
    assert query(pg_url, "SELECT synced_at FROM account_1.mail_account") == [(None,)]
    rescuer = start_worker(pg_url, dovecot, "--stalled-after", "3")
    try:
        read = wait_for(
            lambda: query(pg_url, "SELECT synced_at FROM account_1.mail_account") != [(None,)], 60
        )
    finally:
        log = stop(rescuer)
    assert read, log
    doing = query(pg_url, "SELECT count(*) FROM tactful_queue.procrastinate_jobs WHERE status = 'doing'")
    assert doing == [(0,)]
