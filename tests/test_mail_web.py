"""The mailbox in the web app, against real servers: a thank-you sent from Compose (after its undo
window, by the mail worker), a queued one taken back, and a reply on Today with its proposal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tactful.config import load
from tactful.service import Service
from tactful.service.mail_worker import MailWorker
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.web.app import Settings, create_app
from tests.mailservers import PASSWORD, USER, Dovecot, Smtp
from tests.test_mail_send import in_sent
from tests.test_mailbox import ME, PRIYA, message
from tests.test_web import Web

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores


@pytest.fixture
def site(
    tmp_path: Path, dovecot: Dovecot, smtp: Smtp, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Web, Path]]:
    from tactful.service.mailsync import ConnectRequest, connect

    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", PASSWORD)
    db = tmp_path / "web.db"
    svc = Service(open_store(db))
    update_profile(svc, name="Robin Vale", email=ME, tz="Europe/London", country="GB")
    connect(svc, ConnectRequest(imap=f"127.0.0.1:{dovecot.plain}", smtp=f"127.0.0.1:{smtp.port}", user=USER,
                                security="starttls", address=ME))  # fmt: skip
    svc.store.close()
    with TestClient(create_app(Settings(load(database=db))), base_url="http://127.0.0.1") as client:
        yield Web(client), db


@contextmanager
def later(db: Path, seconds: int) -> Iterator[Service]:
    """A service over the same database whose clock is `seconds` ahead (the undo window passed)."""
    svc = Service(
        open_store(db), config=load(database=db), now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    )
    try:
        yield svc
    finally:
        svc.store.close()


def log(web: Web) -> None:
    two_hours_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).astimezone().strftime("%Y-%m-%d %H:%M")
    done = web.post("/log", {"kind": "interview", "people": "Priya Natarajan", "email": PRIYA, "org": "Acme",
                             "title": "Data Engineer", "at": two_hours_ago, "topics": "streaming ingestion"})  # fmt: skip
    assert done.status_code == 200, done.text


def test_a_thank_you_sent_from_compose_is_marked_done_with_its_message_id(
    site: tuple[Web, Path], dovecot: Dovecot, smtp: Smtp
) -> None:
    web, db = site
    log(web)
    page = web.get("/compose/1")
    assert "Send now" in page.text
    text = page.text.split('name="text"')[1].split(">", 1)[1].split("</textarea>")[0]
    import html

    sent = web.post("/compose/1/send", {"text": html.unescape(text), "when": "now"})
    assert sent.status_code == 200 and "Outbox" in sent.text and "Take back" in sent.text
    assert smtp.received == []  # not before the undo window has passed
    worker = MailWorker(lambda: later(db, 30))
    worker.turn()
    assert worker.last_error is None
    (envelope,) = smtp.received
    thread = web.get("/threads/1").text
    assert "Sent <strong>Thank-you</strong> to Priya Natarajan by email" in thread
    with later(db, 0) as svc:
        f = svc.store.get_followup(1)
        o = svc.store.get_outgoing(1)
        assert f is not None and o is not None and f.status.value == "done"
        assert o.status == "sent" and o.filed and f"Message-ID: {o.message_id}".encode() in envelope[2]
        assert in_sent(dovecot, o.message_id) == 1
    assert o.message_id.replace("<", "&lt;").replace(">", "&gt;") in thread  # shown with the message
    assert "Take back" not in web.get("/").text


def test_a_queued_message_is_taken_back_from_today(site: tuple[Web, Path], smtp: Smtp) -> None:
    web, db = site
    log(web)
    web.post(
        "/compose/1/send",
        {"text": "Subject: Thank you\n\nHi Priya,\n\nThank you for today.\n\nRobin", "when": "now"},
    )
    back = web.post("/outbox/1/cancel")
    assert back.status_code == 200 and "Take back" not in back.text
    MailWorker(lambda: later(db, 30)).turn()
    assert smtp.received == []


def test_a_reply_shows_on_today_with_its_proposal_and_is_accepted_there(
    site: tuple[Web, Path], dovecot: Dovecot, smtp: Smtp
) -> None:
    web, db = site
    log(web)
    now = format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30))
    body = "Hi Robin,\n\nThank you for your time. Unfortunately we have decided not to move forward.\n\nPriya"
    dovecot.deliver(message(PRIYA, ME, now, body, "<no@acme.example>"))
    MailWorker(lambda: later(db, 0)).turn()
    today = web.get("/").text
    assert "Priya Natarajan</strong>" in today and "replied" in today and "30 min ago" in today
    assert "gracious thank-you" in today and "Accept" in today and "Decline" in today
    thread = web.get("/threads/1").text
    assert "What they wrote" in thread and "decided not to move forward" in thread
    accepted = web.post("/replies/accept", {"message_id": "<no@acme.example>"})
    assert accepted.status_code == 200 and "/threads/1" in str(accepted.url)
    assert "Gracious close" in accepted.text or "gracious" in accepted.text.lower()
    assert "Accept</button>" not in web.get("/").text


def test_the_worker_reports_a_refused_password_and_goes_on(
    site: tuple[Web, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = site
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", "wrong")
    worker = MailWorker(lambda: later(db, 0))
    worker.turn()
    assert worker.last_error is not None and "refused the login" in worker.last_error
    monkeypatch.setenv("TACTFUL_MAIL_PASSWORD", PASSWORD)
    worker._synced = 0.0
    worker.turn()  # resting after the failure: it does not try again at once
    assert worker.last_error is not None and worker.turns == 1
    worker.turn(force=True)
    assert worker.last_error is None and worker.turns == 2


def test_the_api_queues_lists_takes_back_and_decides(site: tuple[Web, Path], dovecot: Dovecot) -> None:
    web, db = site
    log(web)
    api = web.client
    queued = api.post(
        "/api/v1/followups/1/send", json={"text": "Subject: Thanks\n\nHi Priya,\n\nThank you.\n\nRobin"}
    )
    assert queued.status_code == 201 and queued.json()["status"] == "queued"
    assert [m["status"] for m in api.get("/api/v1/outbox").json()["messages"]] == ["queued"]
    assert api.post("/api/v1/outbox/1/cancel", json={}).json()["status"] == "cancelled"
    body = "Hi Robin, we would love to invite you to a second interview."
    dovecot.deliver(message(PRIYA, ME, format_datetime(dt.datetime.now(dt.UTC)), body, "<inv@acme.example>"))
    MailWorker(lambda: later(db, 0)).turn()
    (waiting,) = api.get("/api/v1/agenda").json()["proposals"]
    assert waiting["reading"] == "invitation"
    missing = api.post("/api/v1/proposals/accept", json={"message_id": "<inv@acme.example>"})
    assert missing.status_code == 422 and "error" in missing.json()
    accepted = api.post(
        "/api/v1/proposals/accept", json={"message_id": "<inv@acme.example>", "at": "in 3 days 2pm"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["accepted"]["reading"] == "invitation"
    assert api.get("/api/v1/agenda").json()["proposals"] == []
