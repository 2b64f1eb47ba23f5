"""Attacks on a running web app: does `tactful serve` stay small and keep answering others meanwhile?

Run from the repository root with the project's interpreter: `python bench/bench_attack.py [--write]`.
It replays what a security probe sent, against real `tactful serve` processes on free ports of
127.0.0.1 (no log-in there, but `POST /login` answers in both modes), over a database in a temporary
data directory (`TACTFUL_DB`, and `XDG_*` folders of its own so the user's settings stay out). A
password is set first with `tactful password --stdin`, and an interview is logged through the API so
that there is a draft to review. Every attack gets a fresh server, so none inherits another's memory
or a busy event loop; each server is stopped at the end, also when something fails. The attacks:

- `POST /login` with 1 GB bodies streamed in 1 MB pieces: three at once with a Content-Length
  (two `application/x-www-form-urlencoded`, a thousand fields of 1 MB; one `multipart/form-data`,
  the same as parts), then one in chunked transfer encoding. Each sender stops as soon as an answer
  arrives or the connection is closed (a reset or a broken pipe counts as refused);
- 50 KB pathological drafts (50,000 dashes; 50,000 letters and no space; "a'" 25,000 times; an email
  of the same paragraphs over and over) to `/api/v1/check` and to the Compose page's
  `/compose/ID/review`, three at a time, ten in all; then the same again as long as the service lets
  a draft be (`validate.LIMITS["text"]`), so that the reviewer reads them rather than refusing them;
- 10 MB notes, ten times in turn: JSON to `POST /api/v1/interactions` and `PATCH
  /api/v1/interactions/ID`, and the Contact page's form to `POST /contacts/ID/edit`;
- 70 GETs of `/` (Today) without a cookie, as from as many visitors, after logging `--interactions`
  (default 1,000) more interviews, meetings, calls and applications through the API.

During each, a prober GETs `/static/app.css` every 50 ms over a connection of its own and times it,
and the server's resident memory (VmRSS in /proc, its child processes included) is read every
100 ms. Targets, for every attack: peak RSS under 300 MB; the prober's p99 at most 100 ms; every
answer one of those expected (413 for the log-in floods, or a refusal by closing; 413 or 422 for
the notes, 400 too for the form; 200, 413 or 422 for the drafts; 200 for Today), none missing. An
attack is cut short when the server passes 1,500 MB, to spare the machine. The whole run is bounded
(`WATCHDOG_S`, under three minutes), every socket has a timeout, and the script exits 1 when a
target is missed or an attack could not be made. It takes about 40 s on 2 cores.
`--write` puts the table into `docs/security.md` between its `bench-attack:start` and
`bench-attack:end` markers (the page is created with just its heading when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench_web import free_port, http_stack, percentile
from common import ROOT, SAMPLE_EMAIL

TACTFUL = Path(sys.executable).parent / "tactful"
DOC = ROOT / "docs" / "security.md"
START, END = "<!-- bench-attack:start -->", "<!-- bench-attack:end -->"
HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"

MB = 1_000_000
RSS_TARGET_MB, P99_TARGET_MS = 300.0, 100.0
ABORT_RSS_MB = 1_500.0  # an attack is stopped here: the target is missed anyway, and the machine spared
FIELD = MB  # one form field of a log-in flood: under Starlette's 1 MiB limit for a field
PROBE_EVERY_S, SAMPLE_EVERY_S = 0.05, 0.1
PROBE_TIMEOUT_S, IO_TIMEOUT_S, CONNECT_TIMEOUT_S = 10.0, 10.0, 5.0
START_LIMIT_S, STOP_LIMIT_S = 30.0, 5.0
#: Wall time each attack may take, in seconds; a request under way when it runs out still has its timeout.
LIMITS = {"login": 15.0, "chunked": 10.0, "review": 25.0, "notes": 20.0, "today": 20.0, "logging": 25.0}
WATCHDOG_S = 170  # the whole run, servers started and stopped included
REVIEW_TIMEOUT_S = 15.0
REVIEWS, NOTES, VISITS = 10, 10, 70
#: The probe's drafts, in characters; and the longest draft the service takes, when it cannot say.
DRAFT_SIZE, DRAFT_BOUND = 50_000, 20_000
BOUNDARY = b"tactful-bench-attack-boundary"
PHASES = ("login-form", "login-chunked", "review", "review-max", "notes", "today")


class Watchdog(Exception):
    """The run took longer than `WATCHDOG_S`: raised in the main thread by SIGALRM."""


# -- the server, and what watches it ------------------------------------------------------------------


def environment(work: Path) -> dict[str, str]:
    """A user whose every folder is in `work`: the database, the config, the caches."""
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(work / name.lower())
    env["TACTFUL_DB"] = str(work / "data" / "tactful.db")
    env["TACTFUL_CACHE"] = str(work / "cache" / "tactful")
    for key in ("TACTFUL_PLAYBOOK", "TACTFUL_PHRASES", "TACTFUL_TEMPLATES"):
        env.pop(key, None)
    (work / "data").mkdir(parents=True, exist_ok=True)
    return env


class Server:
    """`tactful serve` on a free loopback port; a context manager that always stops it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log_path, self.port = env, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> Server:
        command = [str(TACTFUL), "serve", "--host", HOST, "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            self.show_log()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.stop()
        if kind is not None and kind not in (SystemExit, Watchdog, KeyboardInterrupt):
            self.show_log()

    def show_log(self) -> None:
        log = self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""
        print(f"tactful serve's output ({self.log_path.name}):\n{log}", file=sys.stderr)

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"tactful serve exited ({self.proc.returncode}):\n{self.log_path.read_text()}"
                )
            try:
                status, _ = request(self.port, "GET", "/static/app.css", timeout=5)
                time.sleep(0.2)  # a server that failed to bind (port taken meanwhile) has exited by now
                if status == 200 and self.proc.poll() is None:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"tactful serve did not answer within {START_LIMIT_S:.0f} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # uvicorn waits for the requests under way: not for long
        try:
            self.proc.wait(timeout=STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            pass
        finally:  # also when the watchdog fires meanwhile
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = IO_TIMEOUT_S,
) -> tuple[int, bytes]:
    """One request on a connection of its own; (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def api(port: int, method: str, path: str, payload: object, timeout: float = IO_TIMEOUT_S) -> object:
    status, body = request(
        port, method, path, json.dumps(payload).encode(), {"Content-Type": "application/json"}, timeout
    )
    if status >= 300:
        raise RuntimeError(f"{method} {path} answered {status}: {body[:300]!r}")
    return json.loads(body)


def rss_mb(pid: int) -> float | None:
    """The resident memory of `pid` and of every process under it, in MB; None once it is gone."""
    total, seen, todo = 0, set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            if current == pid:
                return None
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
    return total / MB


@dataclass
class Probe:
    ms: float
    ok: bool


class Monitor:
    """While open: the server's RSS every 100 ms, and a timed GET of a static file every 50 ms."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.rss: list[float] = []
        self.probes: list[Probe] = []
        self.done = threading.Event()
        self.over = threading.Event()  # the server passed ABORT_RSS_MB: attacks stop sending
        self.threads = [
            threading.Thread(target=self.sample, daemon=True),
            threading.Thread(target=self.probe, daemon=True),
        ]

    def __enter__(self) -> Monitor:
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # a few quiet samples of each before the attack
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.3)  # and a few after it
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=PROBE_TIMEOUT_S + 2)

    def sample(self) -> None:
        while not self.done.is_set():
            found = rss_mb(self.server.pid)
            if found is None:
                return
            self.rss.append(found)
            if found > ABORT_RSS_MB:
                self.over.set()
            self.done.wait(SAMPLE_EVERY_S)

    def probe(self) -> None:
        conn: http.client.HTTPConnection | None = None
        next_at = time.monotonic()
        while not self.done.is_set():
            if conn is None:
                conn = http.client.HTTPConnection(HOST, self.server.port, timeout=PROBE_TIMEOUT_S)
            started = time.perf_counter()
            try:
                conn.request("GET", "/static/app.css")
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (http.client.HTTPException, OSError):
                ok = False
                conn.close()
                conn = None
            self.probes.append(Probe((time.perf_counter() - started) * 1000, ok))
            next_at = max(next_at + PROBE_EVERY_S, time.monotonic())
            self.done.wait(next_at - time.monotonic())
        if conn is not None:
            conn.close()

    def stop_reason(self, deadline: float) -> str | None:
        """Why an attack should stop sending now, if it should."""
        if self.over.is_set():
            return "stopped at the RSS cap"
        if time.monotonic() > deadline:
            return "stopped at the time limit"
        return None


# -- the attacks -----------------------------------------------------------------------------------


@dataclass
class Sent:
    """What one streamed request got back, and how much of its body went before."""

    answer: str
    sent: int


def status_of(sock: socket.socket, wait: float) -> str:
    """The status code of the answer on `sock`, or what happened instead."""
    sock.settimeout(wait)
    data = b""
    try:
        while b"\r\n" not in data and len(data) < 8192:
            piece = sock.recv(4096)
            if not piece:
                break
            data += piece
    except (ConnectionResetError, BrokenPipeError):
        pass
    except TimeoutError:
        return "no answer" if not data else "partial answer"
    found = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return found.group(1).decode() if found else "refused"


def stream(
    port: int, head: bytes, parts: Iterable[bytes | memoryview], stop: Callable[[], str | None]
) -> Sent:
    """Send `head`, then `parts` one by one until an answer comes, the server hangs up or `stop` says so.

    The answer is its status code; "refused" when the connection was reset or closed without one;
    "stalled" when the server neither read on nor answered within the socket timeout.
    """
    sent = 0
    try:
        sock = socket.create_connection((HOST, port), timeout=CONNECT_TIMEOUT_S)
    except OSError as exc:
        return Sent(f"connect failed ({exc.__class__.__name__})", 0)
    try:
        sock.settimeout(IO_TIMEOUT_S)
        sock.sendall(head)
        for part in parts:
            reason = stop()
            if reason:
                return Sent(reason, sent)
            if select.select([sock], [], [], 0)[0]:  # an answer, or the end, before the body is all sent
                return Sent(status_of(sock, 2.0), sent)
            sock.sendall(part)
            sent += len(part)
        return Sent(status_of(sock, IO_TIMEOUT_S), sent)
    except (BrokenPipeError, ConnectionResetError):
        return Sent(status_of(sock, 1.0), sent)
    except TimeoutError:
        answer = status_of(sock, 1.0)
        return Sent("stalled" if answer in ("no answer", "refused") else answer, sent)
    except OSError as exc:
        return Sent(f"error ({exc.__class__.__name__})", sent)
    finally:
        sock.close()


def head(port: int, method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def form_fields(total: int) -> tuple[int, Iterator[bytes | memoryview]]:
    """A urlencoded body of about `total` bytes in fields of `FIELD` bytes: (its exact size, its pieces)."""
    value = memoryview(b"a" * FIELD)
    count = max(1, total // FIELD)
    names = [(b"&" if i else b"") + b"f%d=" % i for i in range(count)]

    def pieces() -> Iterator[bytes | memoryview]:
        for name in names:
            yield name
            yield value

    return sum(map(len, names)) + count * FIELD, pieces()


def multipart_fields(total: int) -> tuple[int, Iterator[bytes | memoryview]]:
    """The same as parts of a multipart body (no file name: fields, kept in memory by the parser)."""
    value = memoryview(b"a" * FIELD)
    count = max(1, total // FIELD)
    heads = [
        b'--%s\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n' % (BOUNDARY, i) for i in range(count)
    ]
    closing = b"--%s--\r\n" % BOUNDARY

    def pieces() -> Iterator[bytes | memoryview]:
        for part_head in heads:
            yield part_head
            yield value
            yield b"\r\n"
        yield closing

    return sum(map(len, heads)) + count * (FIELD + 2) + len(closing), pieces()


def chunked(pieces: Iterator[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """`pieces` in HTTP/1.1 chunked transfer encoding."""
    for piece in pieces:
        yield b"%x\r\n" % len(piece)
        yield piece
        yield b"\r\n"
    yield b"0\r\n\r\n"


def in_threads(tasks: list[Callable[[], object]], workers: int, limit: float) -> list[object]:
    """Run `tasks`, `workers` at a time, on daemon threads; what each returned (None if unfinished)."""
    results: list[object] = [None] * len(tasks)
    queue = iter(list(enumerate(tasks)))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                nxt = next(queue, None)
            if nxt is None:
                return
            index, task = nxt
            results[index] = task()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    ends = time.monotonic() + limit
    for thread in threads:
        thread.join(timeout=max(0.0, ends - time.monotonic()))
    return results


@dataclass
class Attack:
    """What an attack got back: one answer per request (a status code or what happened instead)."""

    answers: list[str]
    expected: frozenset[str]
    sent: str = ""  # how much of each body went before the answer, when that matters
    note: str = ""


@dataclass
class Context:
    """What the attacks need to know about the database, found when setting it up."""

    env: dict[str, str]
    work: Path
    followup_id: int
    interaction_id: int
    contact_id: int
    contact_name: str
    args: argparse.Namespace
    cookie: str = ""  # a browser's session on the server of the attack under way, and its CSRF token
    token: str = ""

    def session(self, path: Callable[[Context], str]) -> Callable[[Server], str]:
        """A step before an attack: open a session as a browser does, on the page at `path`."""

        def open_session(server: Server) -> str:
            self.cookie, self.token = csrf_session(server.port, path(self))
            return ""

        return open_session


def flood_login(server: Server, monitor: Monitor, shapes: list[str], total: int, limit: float) -> Attack:
    """`POST /login` with bodies of `total` bytes, one per shape, all at once."""
    deadline = time.monotonic() + limit

    def one(shape: str) -> Callable[[], Sent]:
        if shape == "multipart":
            size, pieces = multipart_fields(total)
            media = f"multipart/form-data; boundary={BOUNDARY.decode()}"
        else:
            size, pieces = form_fields(total)
            media = "application/x-www-form-urlencoded"
        if shape == "chunked":
            headers = {"Content-Type": media, "Transfer-Encoding": "chunked"}
            pieces = chunked(pieces)
        else:
            headers = {"Content-Type": media, "Content-Length": str(size)}
        start = head(server.port, "POST", "/login", headers)
        return lambda: stream(server.port, start, pieces, lambda: monitor.stop_reason(deadline))

    results = in_threads([one(s) for s in shapes], len(shapes), limit + IO_TIMEOUT_S + 5)
    done = [r if isinstance(r, Sent) else Sent("unfinished", 0) for r in results]
    most = max(r.sent for r in done)
    return Attack(
        [r.answer for r in done],
        frozenset({"413", "refused"}),
        sent=f"≤ {most / MB:,.{1 if most < 10 * MB else 0}f} MB of {total / MB:,.0f} MB",
    )


def pathological_drafts(size: int) -> list[tuple[str, str]]:
    """(name, text) of the drafts of `size` characters: dashes, letters without a space, "a'" over and
    over, and an email whose paragraphs (the sample's) come again and again."""
    letters = "".join(chr(ord("a") + i % 26) for i in range(size))
    middle = SAMPLE_EMAIL.split("\n\n", 2)[2].rsplit("\n\nBest regards", 1)[0]
    block = "\n\n".join(p.replace("\n", " ") for p in middle.split("\n\n")) + "\n\n"
    head, tail = "Subject: Thank you for today's interview\n\nDear Priya,\n\n", "Best regards,\nSam Lee\n"
    email = head + block * max(1, (size - len(head) - len(tail)) // len(block)) + tail
    return [("dashes", "-" * size), ("letters", letters), ("a'", "a'" * (size // 2)), ("email", email)]


def longest_draft() -> int:
    """The most characters a draft to review may have, as the service says, when it says."""
    try:
        from tactful.service.validate import LIMITS as bounds

        return int(bounds["text"])
    except (ImportError, KeyError, TypeError, ValueError):
        return DRAFT_BOUND


def csrf_session(port: int, path: str) -> tuple[str, str]:
    """(the session cookie, its CSRF token), as a browser gets them from the page at `path`."""
    conn = http.client.HTTPConnection(HOST, port, timeout=IO_TIMEOUT_S)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        page = response.read().decode(errors="replace")
        cookie = (response.getheader("set-cookie") or "").split(";", 1)[0]
    finally:
        conn.close()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    if response.status != 200 or not cookie or token is None:
        raise RuntimeError(f"GET {path} gave no session and token ({response.status})")
    return cookie, token.group(1)


def review_drafts(server: Server, monitor: Monitor, ctx: Context, size: int, limit: float) -> Attack:
    """Drafts of `size` characters to the API's check and to the Compose page's review, three at a time."""
    deadline = time.monotonic() + limit
    combos = [(route, text) for _, text in pathological_drafts(size) for route in ("api", "web")]
    slowest = [0.0]

    def one(route: str, text: str) -> Callable[[], str]:
        def send() -> str:
            if monitor.stop_reason(deadline):
                return "not sent"
            if route == "api":
                path, media = "/api/v1/check", "application/json"
                body = json.dumps({"text": text, "followup_id": ctx.followup_id}).encode()
                headers = {"Content-Type": media}
            else:
                path = f"/compose/{ctx.followup_id}/review"
                body = urllib.parse.urlencode({"text": text, "channel": "email"}).encode()
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": ctx.cookie,
                    "X-CSRF-Token": ctx.token,
                    "HX-Request": "true",
                }
            started = time.monotonic()
            try:
                status, _ = request(server.port, "POST", path, body, headers, REVIEW_TIMEOUT_S)
                answer = str(status)
            except TimeoutError:
                answer = "timed out"
            except (http.client.HTTPException, OSError) as exc:
                answer = f"error ({exc.__class__.__name__})"
            slowest[0] = max(slowest[0], time.monotonic() - started)
            return answer

        return send

    tasks = [one(*combos[i % len(combos)]) for i in range(REVIEWS)]
    results = in_threads(tasks, 3, limit + REVIEW_TIMEOUT_S + 5)
    return Attack(
        [r if isinstance(r, str) else "unfinished" for r in results],
        frozenset({"200", "413", "422"}),
        note=f"slowest answer {slowest[0]:.1f} s",
    )


def big_notes(server: Server, monitor: Monitor, ctx: Context, size: int, limit: float) -> Attack:
    """A note of `size` bytes, `NOTES` times, to the API's log and edit routes and the contact form."""
    deadline = time.monotonic() + limit
    note = memoryview(b"n" * size)

    def pieces(prefix: bytes, suffix: bytes) -> Iterator[bytes | memoryview]:
        yield prefix
        for at in range(0, size, MB):
            yield note[at : at + MB]
        yield suffix

    answers, most = [], 0
    for i in range(NOTES):
        route = ("log", "edit", "contact")[i % 3]
        if route == "log":
            prefix = json.dumps({"kind": "meeting", "people": [f"Note Flood {i}"], "note": ""})[:-2].encode()
            method, path, suffix, media = "POST", "/api/v1/interactions", b'"}', "application/json"
        elif route == "edit":
            prefix, suffix, media = b'{"note": "', b'"}', "application/json"
            method, path = "PATCH", f"/api/v1/interactions/{ctx.interaction_id}"
        else:
            prefix = urllib.parse.urlencode({"name": ctx.contact_name, "note": ""}).encode()
            method, path, suffix = "POST", f"/contacts/{ctx.contact_id}/edit", b""
            media = "application/x-www-form-urlencoded"
        headers = {"Content-Type": media, "Content-Length": str(len(prefix) + size + len(suffix))}
        if route == "contact":
            headers |= {"Cookie": ctx.cookie, "X-CSRF-Token": ctx.token}
        start = head(server.port, method, path, headers)
        result = stream(server.port, start, pieces(prefix, suffix), lambda: monitor.stop_reason(deadline))
        answers.append(f"{result.answer}" if route != "contact" else f"{result.answer} (form)")
        most = max(most, result.sent)
        if result.answer.startswith("stopped"):
            break
    answers += ["not sent"] * (NOTES - len(answers))
    return Attack(
        answers,
        frozenset({"413", "422", "400 (form)", "413 (form)", "422 (form)", "refused", "refused (form)"}),
        sent=f"≤ {most / MB:,.{1 if most < 10 * MB else 0}f} MB of {size / MB:,.0f} MB",
    )


def log_many(port: int, count: int, limit: float) -> tuple[int, float]:
    """`count` interactions through the API, spread over the last days so their follow-ups are open."""
    rng = random.Random(7)
    kinds = ["interview", "meeting", "call", "application"]
    first = ["Priya", "Tomás", "Dana", "Kenji", "Alex", "Maya", "Samuel", "Grace", "Robin", "Ana", "Omar"]
    last = ["Natarajan", "Vega", "Whitfield", "Mori", "Osei", "Lindqvist", "Adeyemi", "Holloway", "Novak"]
    now = dt.datetime.now().replace(second=0, microsecond=0)
    conn = http.client.HTTPConnection(HOST, port, timeout=IO_TIMEOUT_S)
    started, deadline, logged = time.monotonic(), time.monotonic() + limit, 0
    try:
        for i in range(count):
            if time.monotonic() > deadline:
                break
            at = now - dt.timedelta(hours=rng.randint(1, 96))
            payload = {
                "kind": rng.choice(kinds),
                "people": [f"{rng.choice(first)} {rng.choice(last)} {i}"],
                "email": f"person{i}@example.com",
                "org": f"Org {i % 50}",
                "title": "Data Engineer",
                "at": at.strftime("%Y-%m-%d %H:%M"),
                "topics": ["billing pipeline", "backfills"],
                "note": "Talked about the migration to streams.",
            }
            conn.request(
                "POST", "/api/v1/interactions", json.dumps(payload), {"Content-Type": "application/json"}
            )
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                raise RuntimeError(f"logging interaction {i} answered {response.status}: {body[:200]!r}")
            logged += 1
    finally:
        conn.close()
    return logged, time.monotonic() - started


def visit_today(server: Server, monitor: Monitor, limit: float) -> Attack:
    """`VISITS` GETs of `/` without a cookie, one after another on one connection."""
    deadline = time.monotonic() + limit
    conn = http.client.HTTPConnection(HOST, server.port, timeout=IO_TIMEOUT_S)
    answers, size, slowest = [], 0, 0.0
    try:
        for _ in range(VISITS):
            reason = monitor.stop_reason(deadline)
            if reason:
                answers.append(reason)
                break
            started = time.monotonic()
            try:
                conn.request("GET", "/")
                response = conn.getresponse()
                size = max(size, len(response.read()))
                answers.append(str(response.status))
            except (http.client.HTTPException, OSError) as exc:
                answers.append(
                    "timed out" if isinstance(exc, TimeoutError) else f"error ({exc.__class__.__name__})"
                )
                conn.close()
            slowest = max(slowest, time.monotonic() - started)
    finally:
        conn.close()
    answers += ["not sent"] * (VISITS - len(answers))
    return Attack(
        answers, frozenset({"200"}), note=f"page {size / 1000:,.0f} kB; slowest {slowest * 1000:,.0f} ms"
    )


# -- the run ---------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    attack: Attack
    rss: list[float]
    probes: list[Probe]
    seconds: float
    setting: str = ""  # what was done before the attack, when it says what the attack met
    remarks: list[str] = field(default_factory=list)  # what went wrong around it

    @property
    def rss_start(self) -> float:
        return self.rss[0] if self.rss else float("nan")

    @property
    def rss_peak(self) -> float:
        return max(self.rss) if self.rss else float("nan")

    def latency(self, share: float) -> float:
        times = sorted(p.ms for p in self.probes)
        return percentile(times, share) if times else float("nan")

    @property
    def probe_errors(self) -> int:
        return sum(not p.ok for p in self.probes)

    @property
    def misses(self) -> list[str]:
        if not self.rss and not self.probes:
            return ["not measured"]
        missed = []
        if not self.rss_peak < RSS_TARGET_MB:
            missed.append("RSS")
        if not (self.latency(0.99) <= P99_TARGET_MS and self.probe_errors == 0):
            missed.append("latency")
        if any(a not in self.attack.expected for a in self.attack.answers):
            missed.append("answers")
        return missed


def warm_up(port: int) -> None:
    """What a first visit loads (the Today page, the reviewer's word list), before measuring."""
    request(port, "GET", "/")
    api(port, "POST", "/api/v1/check", {"text": SAMPLE_EMAIL}, timeout=30)


def phase(
    ctx: Context,
    name: str,
    attack: Callable[[Server, Monitor], Attack],
    before: Callable[[Server], str] | None = None,
) -> Row:
    """A fresh server, warmed up, then `attack` under the monitor; stopped whatever happens."""
    print(f"== {name}", flush=True)
    try:
        with Server(ctx.env, ctx.work / f"serve-{name}.log") as server:
            setting = before(server) if before else ""
            warm_up(server.port)
            started = time.monotonic()
            with Monitor(server) as monitor:
                result = attack(server, monitor)
            row = Row(name, result, monitor.rss, monitor.probes, time.monotonic() - started, setting)
            if server.proc is not None and server.proc.poll() is not None:
                row.remarks.append(f"the server exited ({server.proc.returncode})")
    except Watchdog:
        raise
    except Exception as exc:  # this attack could not be made: say so, and go on to the next
        traceback.print_exc()
        row = Row(name, Attack(["not measured"], frozenset()), [], [], 0.0)
        row.remarks.append(f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    print(
        f"   answers: {summary(row.attack.answers)}; RSS {mb(row.rss_start)} → {mb(row.rss_peak)}; "
        f"/static/app.css p50 {ms(row.latency(0.5))}, p99 {ms(row.latency(0.99))}, "
        f"max {ms(row.latency(1.0))}, {row.probe_errors} failed; {row.seconds:.1f} s"
        + "".join(f"; {r}" for r in row.remarks),
        flush=True,
    )
    return row


def mb(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f} MB"


def ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f} ms"


def set_up(work: Path, args: argparse.Namespace) -> Context:
    """The database: a password, a profile and an interview whose thank-you is to be written."""
    env = environment(work)
    done = subprocess.run(
        [str(TACTFUL), "password", "--stdin"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"tactful password failed ({done.returncode}): {done.stderr or done.stdout}")
    with Server(env, work / "serve-setup.log") as server:
        api(server.port, "PUT", "/api/v1/profile", {"name": "Sam Lee", "email": "sam@example.com"})
        at = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
        logged = api(
            server.port,
            "POST",
            "/api/v1/interactions",
            {
                "kind": "interview",
                "people": ["Priya Natarajan"],
                "email": "priya@example.com",
                "org": "Acme Robotics",
                "title": "Data Engineer",
                "at": at,
            },
        )
    assert isinstance(logged, dict)
    first = logged["followups"][0]
    return Context(
        env,
        work,
        followup_id=int(first["id"]),
        interaction_id=int(logged["interaction"]["id"]),
        contact_id=int(first["contact"]["id"]),
        contact_name=str(first["contact"]["name"]),
        args=args,
    )


def measure(work: Path, args: argparse.Namespace, rows: list[Row]) -> None:
    """Every attack in turn, each row appended to `rows` as it is measured."""
    ctx = set_up(work, args)
    total = args.body_mb * MB
    rows.append(
        phase(
            ctx,
            "login-form",
            lambda s, m: flood_login(s, m, ["urlencoded", "urlencoded", "multipart"], total, LIMITS["login"]),
        )
    )
    rows.append(
        phase(ctx, "login-chunked", lambda s, m: flood_login(s, m, ["chunked"], total, LIMITS["chunked"]))
    )
    compose, contact = (
        ctx.session(lambda c: f"/compose/{c.followup_id}"),
        ctx.session(lambda c: f"/contacts/{c.contact_id}"),
    )
    rows.append(
        phase(ctx, "review", lambda s, m: review_drafts(s, m, ctx, DRAFT_SIZE, LIMITS["review"]), compose)
    )
    most = longest_draft()  # the same as long as a draft may be, so that the reviewer reads them
    rows.append(
        phase(ctx, "review-max", lambda s, m: review_drafts(s, m, ctx, most, LIMITS["review"]), compose)
    )
    notes = args.note_mb * MB
    rows.append(phase(ctx, "notes", lambda s, m: big_notes(s, m, ctx, notes, LIMITS["notes"]), contact))

    def log_first(server: Server) -> str:
        logged, seconds = log_many(server.port, args.interactions, LIMITS["logging"])
        print(f"   logged {logged} interactions through the API in {seconds:.1f} s", flush=True)
        return f"after {logged:,} interactions logged"

    rows.append(phase(ctx, "today", lambda s, m: visit_today(s, m, LIMITS["today"]), log_first))


def summary(answers: list[str]) -> str:
    return ", ".join(f"{a} ×{n}" if n > 1 else a for a, n in Counter(answers).most_common())


def describe(row: Row, args: argparse.Namespace) -> str:
    size = f"{args.body_mb / 1000:g} GB" if args.body_mb >= 1000 else f"{args.body_mb} MB"
    return {
        "login-form": f"`POST /login` ×3 at once, {size} each with a Content-Length: "
        "2 urlencoded, 1 multipart, fields of 1 MB",
        "login-chunked": f"`POST /login`, {size} urlencoded in chunked transfer encoding",
        "review": f"{REVIEWS} drafts of {DRAFT_SIZE / 1000:g} KB (dashes, letters, `a'`, a long email) to "
        "`/api/v1/check` and `/compose/ID/review`, 3 at a time",
        "review-max": f"The same at {longest_draft():,} characters, the longest draft the service takes",
        "notes": f"{NOTES} notes of {args.note_mb} MB: `POST` and `PATCH /api/v1/interactions`, "
        "`POST /contacts/ID/edit`",
        "today": f"{VISITS} GETs of `/` without a cookie, "
        + (row.setting or f"after {args.interactions:,} interactions logged"),
    }[row.name]


def table(rows: list[Row], args: argparse.Namespace, unfinished: str | None = None) -> tuple[str, bool]:
    """The Markdown block for the markers, and whether every target was met."""
    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{http_stack()}: `tactful serve` on 127.0.0.1, a fresh process for each attack, over a temporary "
        "database. Meanwhile `/static/app.css` is fetched every 50 ms on a connection of its own "
        "(the prober), and the server's RSS read every 100 ms.",
        "",
        f"Targets, for each attack: peak RSS under {RSS_TARGET_MB:.0f} MB; the prober's p99 at most "
        f"{P99_TARGET_MS:.0f} ms, none failed; every answer as expected. An attack stops sending at "
        f"{ABORT_RSS_MB:,.0f} MB of RSS.",
        "",
        "| Attack | Answers | Expected | Body sent before the answer | RSS at start | Peak RSS "
        "| Prober p50 / p95 / p99 / max | Result |",
        "|---|---|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        notes = [n for n in (row.attack.note, *row.remarks) if n]
        note = f" ({'; '.join(notes)})" if notes else ""
        failed = f", {row.probe_errors} failed" if row.probe_errors else ""
        expected = ", ".join(sorted({e.replace(" (form)", "") for e in row.attack.expected})) or "–"
        shares = [row.latency(share) for share in (0.5, 0.95, 0.99, 1.0)]
        times = "–" if math.isnan(shares[0]) else " / ".join(f"{t:,.0f}" for t in shares) + " ms"
        missed = row.misses
        lines.append(
            f"| {describe(row, args)} | {summary(row.attack.answers)}{note} | {expected} "
            f"| {row.attack.sent or '–'} | {mb(row.rss_start)} | {mb(row.rss_peak)} "
            f"| {times}{failed} | {'pass' if not missed else 'FAIL: ' + ', '.join(missed)} |"
        )
    met = len(rows) == len(PHASES) and not any(row.misses for row in rows) and unfinished is None
    lines += [
        "",
        'A body "sent" is what the client had written when the answer came, socket buffers included: '
        "the server read no more, and often less.",
    ]
    if unfinished:
        lines += ["", f"Unfinished: {unfinished}"]
    return "\n".join(lines), met


def write(block: str) -> None:
    """Put `block` between the markers of docs/security.md, creating the page when it is missing."""
    if not DOC.exists():
        DOC.write_text(f"# Security\n\n{START}\n{END}\n", encoding="utf-8")
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        sys.exit(f"{DOC} lacks the {START} and {END} markers")
    DOC.write_text(pattern.sub(lambda _: f"{START}\n{block}\n{END}", text), encoding="utf-8")
    print(f"updated {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--body-mb", type=int, default=1000, help="size of each log-in body (default 1000)")
    parser.add_argument("--note-mb", type=int, default=10, help="size of each note (default 10)")
    parser.add_argument("--interactions", type=int, default=1000, help="logged before Today (default 1000)")
    parser.add_argument("--write", action="store_true", help="put the table into docs/security.md")
    args = parser.parse_args()
    args.body_mb = max(2, min(args.body_mb, 10_000))
    args.note_mb = max(1, min(args.note_mb, 100))
    args.interactions = max(0, min(args.interactions, 5_000))
    if not TACTFUL.exists():
        sys.exit(f"{TACTFUL} not found: run this with the project's interpreter (.venv/bin/python)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out, too

    def overrun(*_: object) -> None:
        raise Watchdog(f"the run took more than {WATCHDOG_S} s")

    signal.signal(signal.SIGALRM, overrun)
    signal.alarm(WATCHDOG_S)
    started, rows, unfinished = time.monotonic(), [], None
    try:
        with tempfile.TemporaryDirectory(prefix="tactful-bench-attack-") as tmp:
            measure(Path(tmp), args, rows)
    except Exception as exc:  # the watchdog, a server that would not start, an answer not understood
        if not isinstance(exc, Watchdog | RuntimeError):
            traceback.print_exc()
        unfinished = f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        signal.alarm(0)
    block, met = table(rows, args, unfinished)
    print(f"\n{block}\n\n({time.monotonic() - started:.0f} s in all)")
    if args.write and unfinished is None:
        write(block)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
