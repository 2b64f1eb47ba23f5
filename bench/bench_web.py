"""Benchmarks for the web app: the Today page's latency, and requests per second from `wrk`.

Run from the repository root with the project's interpreter: `python bench/bench_web.py [--write]`.
The database is the synthetic one of `synth.py` (10,000 contacts, 100,000 interactions), in a
temporary directory. `tactful serve` is started on a free port of 127.0.0.1 and stopped at the end,
also when something fails. Then:

- latency: GETs of `/` (and of `/api/v1/agenda`), and of the Stats page `/stats`, one after another
  over one keep-alive connection that sends back the session cookie as a browser does, after a
  warm-up; p50, p95 and p99; then the same pages built afresh, the cache bypassed, in process;
- throughput: `wrk -t2 -c16 -d10s --latency` against `/` and `/api/v1/agenda`, with a small Lua
  script that prints requests per second, latency percentiles and error counts on one line.

`wrk` is the Debian package of that name; run as root, the script installs it when it is missing.
`--write` puts the tables into `docs/performance.md` between its `bench-web:start` and
`bench-web:end` markers. Targets: p95 of `/` at most 50 ms, and of `/stats` at most 100 ms, whether
kept or built afresh; at least 300 requests/s for each path under wrk, with no socket errors and no
error statuses. The script exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib.metadata
import importlib.util
import json
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import synth
from common import write_between

TACTFUL = Path(sys.executable).parent / "tactful"
START, END = "<!-- bench-web:start -->", "<!-- bench-web:end -->"
HOST = "127.0.0.1"
PATHS = ("/", "/api/v1/agenda")
P95_TARGET_MS, RPS_TARGET = 50.0, 300.0
#: The Stats page (#14): the reply rates over the whole history, timed as `/` is but not under wrk.
STATS, STATS_P95_TARGET_MS = "/stats", 100.0
#: The p95 each timed path is held to; the others are shown for comparison.
P95_TARGETS = {"/": P95_TARGET_MS, STATS: STATS_P95_TARGET_MS}
WARMUP, REQUESTS, LOOP_LIMIT_S = 50, 500, 120.0
START_LIMIT_S = 30.0

#: wrk calls `done` once at the end; the line it prints is what `throughput` reads.
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.2f p50=%.3f p95=%.3f p99=%.3f max=%.3f "
      .. "connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
"""


@dataclass
class Latency:
    path: str
    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    worst: float
    size: int


@dataclass
class Throughput:
    path: str
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    socket_errors: int
    status_errors: int

    @property
    def errors(self) -> int:
        return self.socket_errors + self.status_errors


def free_port() -> int:
    """A port nothing listens on at this moment (the kernel's choice for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def get(conn: http.client.HTTPConnection, path: str, cookie: str | None) -> tuple[int, bytes, str | None]:
    """One GET over `conn`, the whole body read; (status, body, the session cookie it set)."""
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    set_cookie = response.getheader("set-cookie")
    return response.status, body, set_cookie.split(";", 1)[0] if set_cookie else None


class Server:
    """`tactful serve` on a free loopback port over the file at `db`; a context manager that stops it."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db, self.log_path, self.port = db, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["TACTFUL_DB"] = str(self.db)
        command = [str(TACTFUL), "serve", "--host", HOST, "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        alive = self.proc is not None and self.proc.poll() is None
        self.stop()
        if kind is not None and kind is not SystemExit:
            state = "was still running" if alive else f"had exited ({self.proc and self.proc.returncode})"
            log = self.log_path.read_text(errors="replace")[-2000:]
            print(f"tactful serve {state}; its output:\n{log}", file=sys.stderr)

    def wait_ready(self) -> None:
        """Poll until our process answers the API; fail if it exits or does not answer in time."""
        assert self.proc is not None
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"tactful serve exited ({self.proc.returncode}):\n{self.log_path.read_text()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                status, _, _ = get(conn, "/api/v1/agenda", None)
                conn.close()
                time.sleep(0.2)  # a server that failed to bind (port taken meanwhile) has exited by now
                if status == 200 and self.proc.poll() is None:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit(f"tactful serve did not answer within {START_LIMIT_S:.0f} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of an ascending list."""
    return ordered[max(0, min(len(ordered), math.ceil(share * len(ordered))) - 1)]


def session_cookie(server: Server) -> str | None:
    """The session cookie a browser would hold after its first visit."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=10)
    try:
        return get(conn, "/", None)[2]
    finally:
        conn.close()


def latency(server: Server, path: str, count: int, cookie: str | None) -> Latency:
    """`count` sequential GETs of `path` on one keep-alive connection, after a warm-up; in ms.

    A request that fails on the socket counts as an error, and the next one opens a new connection.
    """
    conn = http.client.HTTPConnection(HOST, server.port, timeout=10)

    def one() -> tuple[int, int]:
        try:
            status, body, _ = get(conn, path, cookie)
            return status, len(body)
        except (http.client.HTTPException, OSError):
            conn.close()  # http.client connects again on the next request
            return 0, 0

    times: list[float] = []
    errors, size = 0, 0
    try:
        for _ in range(WARMUP):
            one()
        deadline = time.monotonic() + LOOP_LIMIT_S
        while len(times) < count and time.monotonic() < deadline:
            started = time.perf_counter()
            status, length = one()
            times.append((time.perf_counter() - started) * 1000)
            errors += status != 200
            size = length or size
    finally:
        conn.close()
    times.sort()
    return Latency(
        path,
        len(times),
        errors,
        percentile(times, 0.50),
        percentile(times, 0.95),
        percentile(times, 0.99),
        times[-1],
        size,
    )


def ensure_wrk() -> str | None:
    """The path of `wrk`, installing the Debian package when missing and running as root."""
    found = shutil.which("wrk")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("installing wrk (apt-get install -y wrk)", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    if subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, timeout=600, **quiet).returncode:
        subprocess.run(["apt-get", "update"], check=False, timeout=600, **quiet)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, timeout=600, **quiet)
    return shutil.which("wrk")


def throughput(
    wrk: str, server: Server, path: str, script: Path, args: argparse.Namespace, cookie: str | None
) -> Throughput:
    """`wrk` against `path` for `args.duration` seconds; what its `done` line says."""
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["--timeout", "5s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, server.url(path)], capture_output=True, text=True, timeout=args.duration + 60, check=False
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    v = dict(part.split("=", 1) for part in line.split()[1:])
    socket_errors = sum(int(v[k]) for k in ("connect", "read", "write", "timeout"))
    return Throughput(
        path,
        int(v["requests"]),
        float(v["rps"]),
        float(v["p50"]),
        float(v["p95"]),
        float(v["p99"]),
        socket_errors,
        int(v["status"]),
    )


def http_stack() -> str:
    """uvicorn's version and what its defaults pick here: httptools and uvloop when installed, else h11."""
    uvicorn = f"uvicorn {importlib.metadata.version('uvicorn')}"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{uvicorn} ({parser}, {loop})"


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def measure(work: Path, args: argparse.Namespace) -> tuple[str, bool]:
    """Every measurement; the Markdown block for the markers, and whether every target was met."""
    built = synth.build(work / "web.db")
    print(f"built {built.path.name}: {built.followups:,} follow-ups in {built.seconds:.1f} s", flush=True)
    wrk = ensure_wrk()
    if wrk is None:
        print(
            "wrk is missing: install it with `sudo apt-get install wrk`; throughput is left out", flush=True
        )
    script = work / "report.lua"
    script.write_text(LUA, encoding="utf-8")
    with Server(built.path, work / "serve.log") as server:
        cookie = session_cookie(server)
        conn = http.client.HTTPConnection(HOST, server.port, timeout=10)
        agenda = json.loads(get(conn, "/api/v1/agenda", cookie)[1])
        conn.close()
        states = {
            s: sum(1 for i in agenda["items"] if i["state"] == s) for s in ("overdue", "due", "waiting")
        }
        timed = [latency(server, path, args.requests, cookie) for path in (*PATHS, STATS)]
        for t in timed:
            print(f"{t.path}: p50 {t.p50:.1f} ms, p95 {t.p95:.1f} ms, p99 {t.p99:.1f} ms", flush=True)
        rates = [throughput(wrk, server, path, script, args, cookie) for path in PATHS] if wrk else []
        for r in rates:
            print(f"{r.path}: {r.rps:,.0f} requests/s, p95 {r.p95:.0f} ms, {r.errors} errors", flush=True)
    fresh = afresh(built.path, (*PATHS, STATS))
    for path, p50, p95 in fresh:
        print(f"{path} built afresh: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    today, stats = timed[0], timed[2]
    met = all(t.p95 <= P95_TARGETS.get(t.path, math.inf) and t.errors == 0 for t in timed)
    met = met and all(p95 <= P95_TARGETS.get(path, math.inf) for path, _, p95 in fresh)
    met = met and bool(rates) and all(r.rps >= RPS_TARGET and r.errors == 0 for r in rates)
    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, {http_stack()}, one server process.",
        "",
        f"The Today page lists {len(agenda['items'])} follow-ups ({states['overdue']} overdue, {states['due']} due, "
        f"{states['waiting']} coming up within 7 days) and {len(agenda['dormant'])} resting threads: "
        f"{today.size / 1000:,.0f} kB of HTML; `/api/v1/agenda` returns the same as {timed[1].size / 1000:,.0f} kB "
        f"of JSON. `/stats` draws the reply rates of every follow-up sent over the whole history in "
        f"{stats.size / 1000:,.0f} kB of HTML.",
        "",
        f"Latency: {args.requests} GETs one after another on one keep-alive connection, after {WARMUP} not counted.",
        "",
        "| Path | p50 | p95 | p99 | Slowest | Errors | Target | Result |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for t in timed:
        limit = P95_TARGETS.get(t.path)
        target = f"p95 ≤ {limit:.0f} ms" if limit else ""
        result = verdict(t.p95 <= limit and t.errors == 0) if limit else ""
        lines.append(
            f"| `{t.path}` | {t.p50:.1f} ms | {t.p95:.1f} ms | {t.p99:.1f} ms | {t.worst:.1f} ms "
            f"| {t.errors} | {target} | {result} |"
        )
    lines += [
        "",
        "These answers are kept until the data changes or the minute turns (`web/cache.py`); built afresh,",
        "as after every change, in process through the ASGI app (200 GETs each):",
        "",
        "| Path | p50 | p95 | Target | Result |",
        "|---|---:|---:|---:|---|",
    ]
    for path, p50, p95 in fresh:
        limit = P95_TARGETS.get(path)
        target = f"p95 ≤ {limit:.0f} ms" if limit else ""
        result = verdict(p95 <= limit) if limit else ""
        lines.append(f"| `{path}` | {p50:.1f} ms | {p95:.1f} ms | {target} | {result} |")
    lines += [
        "",
        f"Throughput: `wrk -t{args.threads} -c{args.connections} -d{args.duration}s`, on the same machine.",
    ]
    lines += [""]
    if rates:
        lines += [
            "| Path | Requests | Requests/s | p50 | p95 | p99 | Errors | Target | Result |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in rates:
            lines.append(
                f"| `{r.path}` | {r.requests:,} | {r.rps:,.0f} | {r.p50:.0f} ms | {r.p95:.0f} ms | {r.p99:.0f} ms "
                f"| {r.errors} | ≥ {RPS_TARGET:.0f} /s, no errors | {verdict(r.rps >= RPS_TARGET and r.errors == 0)} |"
            )
    else:
        lines.append("Not measured: `wrk` is not installed.")
    return "\n".join(lines), met


def afresh(db: Path, paths: tuple[str, ...] = PATHS, count: int = 200) -> list[tuple[str, float, float]]:
    """(path, p50 ms, p95 ms) of answers built anew, as after every change: the cache is bypassed.

    In process, through the ASGI app, so the figure is the server's work (service, template, JSON)
    without the network; the first answers after a write cost this much, later ones come from the cache.
    """
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app

    app = create_app(Settings(load(database=db), hosts=("testserver",)))
    app.state.cache.answer = lambda key, version, now, build: build()
    client = TestClient(app)
    out = []
    for path in paths:
        client.get(path)
        times = []
        for _ in range(count):
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out.append((path, percentile(times, 0.5), percentile(times, 0.95)))
    return out


def write(block: str) -> None:
    write_between(START, END, block)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS, help="timed GETs per path (default 500)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per path (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--write", action="store_true", help="put the tables into docs/performance.md")
    args = parser.parse_args()
    args.requests = max(20, min(args.requests, 10_000))
    args.duration = max(1, min(args.duration, 120))
    if not TACTFUL.exists():
        sys.exit(f"{TACTFUL} not found: run this with the project's interpreter (.venv/bin/python)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out, too
    with tempfile.TemporaryDirectory(prefix="tactful-bench-") as tmp:
        block, met = measure(Path(tmp), args)
    print("\n" + block)
    if args.write:
        write(block)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
