"""The harness of `bench_attack.py`: `tactful serve` over a database of its own, and what watches it.

`environment` makes a user whose every folder is in a temporary directory (`TACTFUL_DB`, and `XDG_*`
folders of its own so the user's settings stay out); `set_up` sets a password there with
`tactful password --stdin`, then a profile and an interview through the API so that there is a
draft to review, and notes in a `Context` what the attacks need to know of them.
`Server` is `tactful serve` on a free port of 127.0.0.1, waited for until it answers and stopped at
the end, also when something fails; `warm_up` loads what a first visit does, before measuring.
While a `Monitor` is open, a prober GETs `/static/app.css` every 50 ms over a connection of its own
and times it, and the server's resident memory (VmRSS in /proc, its child processes included) is
read every 100 ms; past `ABORT_RSS_MB` it tells the attack under way to stop sending.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_web import free_port
from common import SAMPLE_EMAIL

TACTFUL = Path(sys.executable).parent / "tactful"
HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"

MB = 1_000_000
ABORT_RSS_MB = 1_500.0  # an attack is stopped here: the target is missed anyway, and the machine spared
PROBE_EVERY_S, SAMPLE_EVERY_S = 0.05, 0.1
PROBE_TIMEOUT_S, IO_TIMEOUT_S = 10.0, 10.0
START_LIMIT_S, STOP_LIMIT_S = 30.0, 5.0


class Watchdog(Exception):
    """The run took longer than `bench_attack.WATCHDOG_S`: raised in the main thread by SIGALRM."""


# -- the server ---------------------------------------------------------------------------------------


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


def warm_up(port: int) -> None:
    """What a first visit loads (the Today page, the reviewer's word list), before measuring."""
    request(port, "GET", "/")
    api(port, "POST", "/api/v1/check", {"text": SAMPLE_EMAIL}, timeout=30)


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


# -- the database the attacks meet --------------------------------------------------------------------


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


# -- what watches the server --------------------------------------------------------------------------


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
