"""The web app under hostile input: bodies too large to read, fields too long to keep, writes that
wait on a lock, sessions that must end, and a throttle that cannot be fooled."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import serving
from tests.test_web import make

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"a" * piece


def test_a_large_login_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    web = make(tmp_path)
    declared = web.client.post(
        "/login",
        content=b"password=" + b"x" * (2 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert declared.status_code == 413
    assert "larger than tactful takes here (16 KB)" in declared.text
    assert declared.headers.get("x-content-type-options") == "nosniff"
    streamed = web.client.post(
        "/login", content=_chunks(200 * 1024), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    assert "content-length" not in streamed.request.headers  # sent chunked: caught while reading


def test_the_api_refuses_a_body_over_a_megabyte_in_json(tmp_path: Path) -> None:
    web = make(tmp_path)
    note = "n" * (1024 * 1024)
    body = {"kind": "interview", "people": ["Ada Park"], "at": "2026-03-02 10:00", "note": note}
    answer = web.client.post("/api/v1/interactions", json=body)
    assert answer.status_code == 413
    assert answer.json()["error"].startswith("That request is larger than tactful takes here (1 MB)")
    streamed = web.client.post(
        "/api/v1/interactions", content=_chunks(2 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert web.client.get("/api/v1/agenda").json()["items"] == []  # nothing was logged


def test_every_text_the_api_takes_has_a_limit_and_is_not_echoed_whole(tmp_path: Path) -> None:
    """A 10 MB note was once stored; a draft of any length was reviewed; a name or a time of any
    length was looked up and said back in full."""
    web = make(tmp_path)
    client = web.client
    logged = client.post("/api/v1/interactions", json={"kind": "interview", "people": ["Ada Park"],
                                                       "at": "2026-03-02 10:00"})  # fmt: skip
    assert logged.status_code == 201
    big = "x" * 300_000
    for method, path, body, field in (
        ("post", "/api/v1/interactions", {"kind": "interview", "people": ["Ada Park"], "note": big}, "note"),
        ("post", "/api/v1/interactions", {"kind": "interview", "people": ["Ada Park"], "at": big}, "at"),
        ("post", "/api/v1/check", {"text": big}, "text"),
        ("post", "/api/v1/replies", {"from": big}, "from"),
        ("post", "/api/v1/reminders", {"who": "Ada Park", "at": big}, "at"),
        ("post", "/api/v1/followups/1/snooze", {"until": big}, "until"),
        ("patch", "/api/v1/interactions/1", {"note": big}, "note"),
        ("put", "/api/v1/profile", {"signature": big}, "signature"),
    ):
        answer = client.request(method.upper(), path, json=body)
        assert answer.status_code == 422, (path, field, answer.text[:200])
        assert answer.json()["field"] == field and "too long" in answer.json()["error"]
        assert len(answer.content) < 500
    assert client.get("/api/v1/contacts/" + "x" * 5000).status_code == 422
    assert len(client.get("/api/v1/agenda").json()["items"]) >= 1


def call(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    """A request over a connection of its own: the status, and the body (read as JSON when it is)."""
    import json
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"content-type": "application/json"}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers.get("content-type", "")
    except urllib.error.HTTPError as refused:
        status, raw, kind = refused.code, refused.read(), refused.headers.get("content-type", "")
    return status, json.loads(raw) if kind.startswith("application/json") else raw


def hold_lock(db: Path) -> subprocess.Popen[str]:
    """Another program writing to `db` (as a long import does): it holds the write lock until killed."""
    code = (  # on several lines, as a script is: the message naming it stays on one
        "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.sqlite_only  # another program holding the SQLite file's write lock
def test_a_write_waiting_on_a_lock_holds_up_only_itself(tmp_path: Path, monkeypatch: Any) -> None:
    """A web write waiting on another writer once blocked the whole server, then answered 500."""
    from tactful.config import load
    from tactful.store import connection
    from tactful.web import Settings, create_app

    monkeypatch.setattr(connection, "WAIT_MS", 3000)  # the wait is 15 s; the test need not take as long
    db = make(tmp_path).client.app.state.settings.config.database  # type: ignore[attr-defined]
    body = {"kind": "meeting", "people": ["Ada Park"], "at": "2026-03-02 10:00"}
    with serving(create_app(Settings(load(database=db)))) as url:
        holder = hold_lock(db)
        try:
            answers: dict[str, Any] = {}
            writing = threading.Thread(
                target=lambda: answers.update(write=call(f"{url}/api/v1/interactions", "POST", body))
            )
            writing.start()
            time.sleep(0.5)  # the write is waiting now
            started = time.monotonic()
            assert call(f"{url}/static/app.css")[0] == 200
            assert call(f"{url}/api/v1/agenda")[0] == 200  # WAL: reads go on meanwhile
            waited = time.monotonic() - started
            assert writing.is_alive(), "the write should still be waiting"
            assert waited < 2.5  # generous: the point is that it did not wait for the lock
            writing.join(timeout=60)
            status, refused = answers["write"]
            assert status == 503
            said = refused["error"]
            assert "is busy" in said and f"process {holder.pid}" in said and "nothing was changed" in said
        finally:
            holder.kill()
            holder.wait()
        assert call(f"{url}/api/v1/interactions", "POST", body)[0] == 201


def test_the_command_line_says_who_holds_the_lock_in_one_line(
    run: Any, db_path: Path, monkeypatch: Any
) -> None:
    """ "database is locked" was once a 41-line traceback."""
    from tactful.store import connection

    from .snapshots import snapshot
    from .test_cli import setup

    setup(run)
    monkeypatch.setattr(connection, "WAIT_MS", 1000)
    holder = hold_lock(db_path)
    try:
        result = run("log", "meeting", "--with", "Ada Park", "--at", "2026-03-02 10:00")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is busy" in lines[0] and f"process {holder.pid}" in lines[0], result.stderr
    before = snapshot(db_path)
    assert run("agenda").exit_code == 0 and snapshot(db_path) == before


def test_the_throttle_doubles_the_wait_forgets_success_and_stays_bounded() -> None:
    from tactful.web.auth import FREE_TRIES, LONGEST_WAIT, REMEMBERED, Throttle

    throttle = Throttle()
    at_once = [throttle.attempt("203.0.113.9", 1000.0) for _ in range(40)]  # sent side by side
    assert at_once.count(0.0) == FREE_TRIES and at_once[FREE_TRIES:] == [1.0] * (40 - FREE_TRIES)
    now, waits = 1000.0, []
    for _ in range(12):  # one who waits each time, and is wrong each time
        now += throttle.attempt("203.0.113.9", now)
        assert throttle.attempt("203.0.113.9", now) == 0.0
        waits.append(throttle.attempt("203.0.113.9", now))
    assert waits[:4] == [2.0, 4.0, 8.0, 16.0] and max(waits) == LONGEST_WAIT
    assert throttle.attempt("198.51.100.7", now) == 0.0  # another address is not slowed
    throttle.succeeded("203.0.113.9")
    assert throttle.attempt("203.0.113.9", now) == 0.0
    for n in range(REMEMBERED + 500):
        throttle.attempt(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 1000.0)
    assert len(throttle) == REMEMBERED


def test_a_forwarded_address_is_believed_only_from_a_named_proxy(tmp_path: Path) -> None:
    """Any local program once got 200 guesses through, naming a new X-Forwarded-For each time."""
    import urllib.request

    from tactful.cli.web import proxy_options
    from tactful.config import load
    from tactful.errors import TactfulError
    from tactful.service import Service
    from tactful.service.access import set_password
    from tactful.store import open_store
    from tactful.web import Settings, create_app

    db = tmp_path / "web.db"
    service = Service(open_store(db))
    set_password(service, "correct horse battery")
    service.store.close()
    app = create_app(Settings(load(database=db), require_login=True, hosts=("*",)))
    assert proxy_options("") == {"proxy_headers": False, "forwarded_allow_ips": None}
    with pytest.raises(TactfulError, match="not an address"):
        proxy_options("127.0.0.1, evil")
    with serving(app, **proxy_options("")) as url:
        import http.cookiejar
        import re

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = browser.open(f"{url}/login", timeout=30).read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        codes = []
        for n in range(6):
            request = urllib.request.Request(
                f"{url}/login", b"password=guess", method="POST",
                headers={"X-Forwarded-For": f"198.51.100.{n}", "content-type": "application/x-www-form-urlencoded",
                         "X-CSRF-Token": token.group(1)},
            )  # fmt: skip
            try:
                codes.append(browser.open(request, timeout=30).status)
            except urllib.error.HTTPError as refused:
                codes.append(refused.code)
    assert codes[-1] == 429, codes  # one client, however many addresses it claims


def test_logging_out_or_a_new_password_ends_every_session_copied_before(tmp_path: Path) -> None:
    """A cookie copied before logout, or before `tactful password`, once worked for 14 days."""
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.service import Service
    from tactful.service.access import set_password
    from tactful.store import open_store
    from tactful.web import Settings, create_app

    from .test_web import Web

    db = tmp_path / "web.db"
    service = Service(open_store(db))
    set_password(service, "correct horse battery")
    app = create_app(Settings(load(database=db), require_login=True, hosts=("*",)))

    def logged_in() -> Web:
        web = Web(TestClient(app))
        web.get("/login")
        assert web.post("/login", {"password": "correct horse battery"}).status_code == 200
        return web

    web = logged_in()
    copied = dict(web.client.cookies)
    page = web.get("/threads")
    assert '<form method="post" action="/logout"' in page.text and "Log out" in page.text
    assert web.post("/logout").url.path == "/login"
    thief = TestClient(app, cookies=copied)
    assert thief.get("/api/v1/agenda").status_code == 401
    assert thief.get("/threads", follow_redirects=False).status_code == 303

    web = logged_in()
    copied = dict(web.client.cookies)
    assert TestClient(app, cookies=copied).get("/api/v1/agenda").status_code == 200
    set_password(service, "a new horse battery staple")  # as `tactful password` does, from a terminal
    assert TestClient(app, cookies=copied).get("/api/v1/agenda").status_code == 401
    service.store.close()


def test_kept_pages_are_bounded_in_bytes_not_in_count(tmp_path: Path) -> None:
    """70 cookie-less visits to a 10 MB Today page once took the server from 292 to 859 MB."""
    import datetime as dt

    from tactful.web.cache import CACHE_BYTES, LARGEST, Cache

    cache = Cache(tmp_path / "c.db")
    now = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    built = []
    for visit in range(70):  # each visit without a cookie is a new key
        cache.answer(("today", visit), 1, now, lambda: built.append(1) or b"x" * (LARGEST - 10))
    assert cache.kept_bytes <= CACHE_BYTES and len(built) == 70
    cache.answer(("today", 69), 1, now, lambda: built.append(1) or b"")  # the newest is still kept
    assert len(built) == 70
    huge = cache.answer("huge", 1, now, lambda: b"y" * (LARGEST + 1))
    assert len(huge) == LARGEST + 1 and cache.kept_bytes <= CACHE_BYTES
    assert cache.answer("huge", 1, now, lambda: b"built again") == b"built again"  # never kept
    cache.close()


def test_reviews_in_the_worker_process_are_the_reviews_of_this_one() -> None:
    """`tactful serve` reviews in a process of its own: one long regular expression holds the
    interpreter's lock, and in a thread a 20,000-character draft stalled the style sheet 300 ms."""
    import os
    import signal as signals

    from tactful.domain import Channel
    from tactful.review import Draft, default_reviewer
    from tactful.service.workers import ReviewWorker

    worker = ReviewWorker(None, None)
    try:
        for body in ("Dear Priya,\n\nThank you for today.\n\nBest,\nSam", "-" * 20_000, "a'" * 10_000):
            draft = Draft(channel=Channel.EMAIL, subject="Thank you", body=body)
            assert worker.review(draft).to_dict() == default_reviewer().review(draft).to_dict()
        pool = worker._executor()
        for pid in list(pool._processes):  # the worker dies (out of memory, killed)
            os.kill(pid, signals.SIGKILL)
        draft = Draft(channel=Channel.EMAIL, subject="Hi", body="Hi Sam, thanks.")
        assert worker.review(draft).to_dict() == default_reviewer().review(draft).to_dict()
        assert worker.review(draft).verdict  # and a new worker takes the next one
    finally:
        worker.close()


def test_a_served_app_reviews_through_its_worker(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app

    db = make(tmp_path).client.app.state.settings.config.database  # type: ignore[attr-defined]
    app = create_app(Settings(load(database=db), review_worker=True))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        checked = client.post(
            "/api/v1/check", json={"text": "Subject: Thanks\n\nHi Ada,\n\nThank you.\n\nSam"}
        )
        assert checked.status_code == 200 and checked.json()["verdict"] in ("ready", "needs-work")
        assert client.app.state.reviews._pool is not None  # type: ignore[attr-defined]
    assert client.app.state.reviews._pool is None  # type: ignore[attr-defined]  # stopped with the app


def test_an_echoed_value_is_cut_and_read_in_time_proportional_to_it(tmp_path: Path) -> None:
    """A 40,000-character outcome was said back in full, through a pattern that backtracked on the
    event loop: 7.6 s, and the style sheet waited with it."""
    from .test_hardening import no_hang

    web = make(tmp_path)
    from .test_web import log_interview

    log_interview(web)
    with no_hang():
        page = web.post("/threads/1/outcome", {"outcome": "Z" * 40_000})
        api = web.client.put("/api/v1/profile", json={"tz": "Z" * 300_000})
    assert page.status_code == 422 and "use one of" in page.text and len(page.text) < 20_000
    assert api.status_code == 422 and api.json()["field"] == "tz" and len(api.content) < 500
    many = web.client.put("/api/v1/profile", json={"skills": [f"skill {n}" for n in range(5_000)]})
    assert many.status_code == 422 and many.json()["field"] == "skills"


def test_answers_kept_for_one_connection_are_not_taken_for_another(tmp_path: Path) -> None:
    """Each connection counts commits from when it opened: a new one once gave the number an older
    one had given before a change, and the page kept from before was served."""
    from tactful.service import Service, reading
    from tactful.service.followups import LogRequest, log
    from tactful.store import open_store
    from tactful.web.cache import Cache

    db = tmp_path / "c.db"
    open_store(db).close()
    cache = Cache(db)
    before = cache.open()
    version = reading.data_version(Service(before))
    writer = Service(open_store(db))
    log(writer, LogRequest("meeting", ["Ada Park"], at="2026-03-02 10:00"))  # as `tactful log` does
    after = cache.open()
    assert reading.data_version(Service(after)) != version
    for store in (before, after, writer.store):
        store.close()


def test_a_commit_that_fails_leaves_no_transaction_open(tmp_path: Path) -> None:
    """A failed COMMIT (disk full; here a deferred foreign key) once sent the connection back to its
    pool inside the transaction, holding the write lock until the server stopped."""
    import sqlite3

    from tactful.store import open_store

    store = open_store(tmp_path / "t.db")
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.conn.execute("PRAGMA defer_foreign_keys = ON")  # type: ignore[attr-defined]
        store.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO interaction_contacts (interaction_id, contact_id, position) VALUES (999, 999, 0)"
        )
    assert not store.conn.in_transaction  # type: ignore[attr-defined]
    with store.transaction():
        pass  # the connection goes on
    store.close()


def _ended(pid: int, within: float = 10.0) -> bool:
    """Whether the process is gone or dead (a zombie) within a few seconds. Asked of the system, not
    of `Process.is_alive`: the pool's own thread may reap the process before it records the exit."""
    import time
    from pathlib import Path

    status = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = status.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_a_hung_review_worker_is_stopped_and_replaced(monkeypatch: Any) -> None:
    import os
    import signal as signals

    from tactful.domain import Channel
    from tactful.errors import StorageError
    from tactful.review import Draft
    from tactful.service import workers

    worker = workers.ReviewWorker(None, None)
    draft = Draft(channel=Channel.EMAIL, subject="Hi", body="Hi Sam, thanks.")
    try:
        assert worker.review(draft).verdict
        hung = next(iter(worker._executor()._processes.values()))  # type: ignore[attr-defined]
        os.kill(hung.pid, signals.SIGSTOP)
        monkeypatch.setattr(workers, "PATIENCE", 3.0)
        with pytest.raises(StorageError, match="took longer"):
            worker.review(draft)
        assert _ended(hung.pid)  # killed, not left stopped
        assert worker.review(draft).verdict  # a new worker takes the next one
    finally:
        worker.close()
