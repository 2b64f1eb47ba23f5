"""The attacks of `bench_attack.py`, and what each expects; each is made on a server under a `Monitor`.

Each attack returns an `Attack`: one answer per request, a status code or what happened instead
("refused" when the server closed or reset the connection without one, "stalled", "timed out",
"not sent" once the attack was stopped...), and the answers it expects.

- `flood_login`: `POST /login` with bodies of `total` bytes (1 GB by default), one per shape, all
  at once, in fields of 1 MB: urlencoded or multipart with a Content-Length, or urlencoded in
  chunked transfer encoding; 413 or a refusal;
- `review_drafts`: the `pathological_drafts` to `/api/v1/check` and to the Compose page's
  `/compose/ID/review`, three at a time, `REVIEWS` in all; 200, 413 or 422;
- `big_notes`: `NOTES` notes of `size` bytes (10 MB by default) in turn, JSON to `POST
  /api/v1/interactions` and `PATCH /api/v1/interactions/ID`, and the Contact page's form to `POST
  /contacts/ID/edit`; 413 or 422, 400 too for the form, or a refusal;
- `visit_today`: `VISITS` GETs of `/` (Today) without a cookie, after `log_many` has logged
  interviews, meetings, calls and applications through the API; 200.

A large body is streamed in pieces over a socket of its own (`stream`), which stops sending as soon
as an answer arrives, the server hangs up, or the monitor says so (past its RSS cap, or at the
attack's time limit).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import re
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from attack_server import HOST, IO_TIMEOUT_S, MB, Context, Monitor, Server, request
from common import SAMPLE_EMAIL

FIELD = MB  # one form field of a log-in flood: under Starlette's 1 MiB limit for a field
CONNECT_TIMEOUT_S = 5.0
REVIEW_TIMEOUT_S = 15.0
REVIEWS, NOTES, VISITS = 10, 10, 70
#: The probe's drafts, in characters; and the longest draft the service takes, when it cannot say.
DRAFT_SIZE, DRAFT_BOUND = 50_000, 20_000
BOUNDARY = b"tactful-bench-attack-boundary"


@dataclass
class Attack:
    """What an attack got back: one answer per request (a status code or what happened instead)."""

    answers: list[str]
    expected: frozenset[str]
    sent: str = ""  # how much of each body went before the answer, when that matters
    note: str = ""


# -- sending ------------------------------------------------------------------------------------------


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


# -- the attacks --------------------------------------------------------------------------------------


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
