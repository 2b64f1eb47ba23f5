"""Load on a team server: 50 people at once on `tactful serve` over PostgreSQL, beside one person on a
SQLite file; then the same 50 with the database restarted in the middle.

Run from the repository root with the project's interpreter: `python bench/bench_team.py [--write]`.

- The database is a private PostgreSQL cluster this script makes (`initdb`, `pg_ctl`, in a
  temporary folder, as the `postgres` user when run as root), never the machine's own server.
- 50 accounts, each holding the synthetic history of `synth.py` at a tenth of its size (1,000
  contacts, 10,000 interactions): 10,000 contacts and 100,000 interactions per 10 people.
- Each simulated person logs in (address and password), then for `--seconds` (120) repeats a mix
  of what people do: Today, the threads, a thread, the contacts, a draft, a review of a draft
  (`/api/v1/check`), a new interaction logged through the form, the agenda as JSON; with a pause of
  0.5 to 1.5 s between two, as a person reads. Every request's time is kept: p50, p95, p99, and
  requests per second over the run.
- No lost write: afterwards every account holds its 10,000 interactions plus exactly those its
  person logged with success.
- The restart: the same run, with `pg_ctl restart -m fast` at its middle. Requests in flight then
  must fail cleanly (a 503 or 500 page, never a hang), and the server must serve again by itself:
  how long that took, and how many requests failed, are reported.

`--write` puts the table into `docs/performance.md` between `bench-team:start` and `bench-team:end`.
Targets: p95 at most 100 ms and no error in the plain runs; no lost write in any. Exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import math
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import synth
from common import write_between

HOST = "127.0.0.1"
TACTFUL = Path(sys.executable).parent / "tactful"
START, END = "<!-- bench-team:start -->", "<!-- bench-team:end -->"
PASSWORD = "correct horse battery"
P95_TARGET_MS = 100.0
#: What a person does, and how often (weights).
MIX = {
    "today": 30,
    "threads": 10,
    "thread": 15,
    "contacts": 10,
    "draft": 10,
    "check": 10,
    "log": 10,
    "agenda": 5,
}
DRAFT = (
    "Subject: Thank you\n\nDear Priya,\n\nThank you for taking the time to talk with me about the pipeline "
    "migration. I enjoyed hearing how the team moved from nightly batches to streams.\n\nBest regards,\nRobin\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found and not shutil.which(name):
        sys.exit(f"{name} is not installed (Debian: postgresql)")
    return str(found[-1]) if found else str(shutil.which(name))


class Cluster:
    """A PostgreSQL cluster of the benchmark's own, on a free port, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.data, self.log = folder / "data", folder / "postgres.log"
        folder.mkdir(parents=True, exist_ok=True)
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres", "postgres")

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True)

    def start(self) -> None:
        if not self.data.exists():
            self.run(pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c max_connections=300"
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def restart(self) -> float:
        began = time.monotonic()
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c max_connections=300"
        self.run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-m",
            "fast",
            "-w",
            "restart",
        )
        return time.monotonic() - began

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.as_user, pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
                           capture_output=True)  # fmt: skip

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{db}"


# -- the data ----------------------------------------------------------------------------------------------
def load_accounts(url: str, history: Path, people: int) -> list[tuple[str, list[int], list[int]]]:
    """`people` accounts with a password each, every one holding the rows of the SQLite file
    `history` (written with COPY, triggers off, as a restore of many would be); per account its
    address, thread ids and planned follow-up ids."""
    import psycopg

    from tactful.service import Service
    from tactful.service.access import set_password
    from tactful.store import open_directory
    from tactful.store.dialect import translate
    from tactful.store.postgres import schema_of
    from tactful.store.rows import LAST_CONTACT, name_keys_text
    from tactful.store.sqlite import SqliteStore

    source = SqliteStore(history)
    tables = [t for t in source.backup_tables() if t not in ("calendar_feed",)]
    columns = {t: source._columns(t) for t in tables}
    rows = {t: source.conn.execute(f"SELECT {', '.join(columns[t])} FROM {t}").fetchall() for t in tables}
    names = source.conn.execute("SELECT id, name FROM contacts").fetchall()
    threads = [r[0] for r in source.conn.execute("SELECT id FROM threads ORDER BY id")]
    planned = [r[0] for r in source.conn.execute("SELECT id FROM followups WHERE status = 'planned'")]
    source.close()
    directory = open_directory(url)
    made = []
    now = dt.datetime.now(dt.UTC)
    for n in range(people):
        account = directory.add(f"person{n}@team.example", n == 0, now)
        store = directory.open(account)
        set_password(Service(store, account=account), PASSWORD)
        store.close()
        with psycopg.connect(url, autocommit=False) as conn:
            conn.execute(f'SET search_path TO "{schema_of(account.id)}"')
            conn.execute("SET session_replication_role = replica")  # no triggers: no undo record of a load
            for table in tables:
                if not rows[table]:
                    continue
                listed = ", ".join(f'"{c}"' for c in columns[table])
                with conn.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
            with conn.cursor() as cur:
                cur.executemany("UPDATE contacts SET name_keys = %s WHERE id = %s",
                                [(name_keys_text(name), i) for i, name in names])  # fmt: skip
            conn.execute(
                translate(
                    "UPDATE contacts SET last_at = (SELECT max(i.at) FROM interaction_contacts ic JOIN interactions i "
                    "ON i.id = ic.interaction_id WHERE ic.contact_id = contacts.id), "
                    f"last_contact_at = {LAST_CONTACT}"
                )
            )
            for table in tables:
                if "id" in columns[table]:
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")  # fmt: skip
            conn.commit()
        made.append((account.email, threads, planned))
    directory.close()
    return made


def interactions_of(url: str, people: int) -> list[int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [
            int(conn.execute(f"SELECT count(*) FROM account_{n + 1}.interactions").fetchone()[0])  # type: ignore[index]
            for n in range(people)
        ]


# -- the server --------------------------------------------------------------------------------------------
class Server:
    def __init__(self, db: str, log: Path) -> None:
        self.db, self.log, self.port = db, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TACTFUL_USER")}
        env["TACTFUL_DB"] = self.db
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([str(TACTFUL), "serve", "--host", HOST, "--port", str(self.port)],
                                         env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None)
        sys.exit(f"tactful serve did not start:\n{self.log.read_text()[-2000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# -- the people --------------------------------------------------------------------------------------------
@dataclass
class Done:
    at: float  # seconds since the run began
    what: str
    status: int  # 0: no answer (socket error, timeout)
    ms: float


@dataclass
class Person:
    email: str | None  # None: one person's own database, no log-in
    threads: list[int]
    planned: list[int]
    port: int
    rng: random.Random
    cookie: str = ""
    csrf: str = ""
    logged: int = 0
    done: list[Done] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes | None = None, kind: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if kind:
            headers["Content-Type"] = kind
        for attempt in (
            1,
            2,
        ):  # a kept-alive connection the server closed meanwhile: again, as a browser does
            reused = getattr(self, "_conn", None) is not None
            conn = getattr(self, "_conn", None) or http.client.HTTPConnection(HOST, self.port, timeout=30)
            self._conn = conn
            try:
                conn.request(method, path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                self._conn = None
                if not reused or attempt == 2:
                    return 0, b""
        cookie = answer.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = re.search(rb'name="csrf" value="([^"]+)"', data)
        if found:
            self.csrf = found.group(1).decode()
        return answer.status, data

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        body = urllib.parse.urlencode({"csrf": self.csrf, **fields}).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def log_in(self) -> None:
        self.request("GET", "/login")
        if self.email:
            status, _ = self.form("/login", {"email": self.email, "password": PASSWORD})
            if status not in (200, 303):
                raise SystemExit(f"{self.email} could not log in ({status})")
        self.request("GET", "/")

    def act(self, what: str) -> int:
        if what == "today":
            return self.request("GET", "/")[0]
        if what == "threads":
            return self.request("GET", "/threads")[0]
        if what == "thread":
            return self.request("GET", f"/threads/{self.rng.choice(self.threads)}")[0]
        if what == "contacts":
            return self.request("GET", "/contacts")[0]
        if what == "draft":
            return self.request("GET", f"/compose/{self.rng.choice(self.planned)}")[0]
        if what == "agenda":
            return self.request("GET", "/api/v1/agenda")[0]
        if what == "check":
            body = ('{"text": ' + __import__("json").dumps(DRAFT) + "}").encode()
            return self.request("POST", "/api/v1/check", body, "application/json")[0]
        status, _ = self.form("/log", {"kind": "meeting", "people": f"Load Tester {self.rng.randrange(10**6)}",
                                       "at": "2026-12-01 10:00"})  # fmt: skip
        if status in (200, 303):
            self.logged += 1
        return status


def run_people(
    people: list[Person], seconds: float, restart: Cluster | None = None
) -> tuple[list[Done], float]:
    """Every person at once for `seconds`; with `restart`, the cluster restarted at the middle.
    What was done, and how long the restart took (0 without)."""
    for p in people:
        p.log_in()
    for what in MIX:  # a server that has served each page once, as one in use has
        people[0].act(what)
    began = time.monotonic()
    deadline = began + seconds
    choices = list(MIX)
    weights = [MIX[c] for c in choices]

    def live(p: Person) -> None:
        while time.monotonic() < deadline:
            what = p.rng.choices(choices, weights)[0]
            start = time.perf_counter()
            status = p.act(what)
            p.done.append(Done(time.monotonic() - began, what, status, (time.perf_counter() - start) * 1000))
            time.sleep(p.rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=live, args=(p,)) for p in people]
    for t in threads:
        t.start()
    took = 0.0
    if restart is not None:
        time.sleep(seconds / 2)
        took = restart.restart()
    for t in threads:
        t.join()
    return [d for p in people for d in p.done], took


@dataclass
class Figures:
    label: str
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    lost: int


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, min(len(ordered), math.ceil(share * len(ordered))) - 1)] if ordered else 0.0


def figures(label: str, done: list[Done], seconds: float, lost: int) -> Figures:
    times = sorted(d.ms for d in done)
    errors = sum(1 for d in done if not 200 <= d.status < 400)
    return Figures(label, len(done), len(done) / seconds, percentile(times, 0.5), percentile(times, 0.95),
                   percentile(times, 0.99), errors, lost)  # fmt: skip


def measure(work: Path, people_count: int, seconds: float) -> tuple[list[Figures], str]:
    history = work / "one.db"
    built = synth.build(
        history, contacts=1_000, threads=3_000, interactions=10_000, planned=30, organisations=200
    )
    print(f"history per person: {built.contacts} contacts, {built.interactions} interactions", flush=True)
    cluster = Cluster(work / "pg")
    cluster.start()
    results: list[Figures] = []
    notes: list[str] = []
    try:
        import psycopg

        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE tactful")
        url = cluster.url("tactful")
        began = time.monotonic()
        accounts = load_accounts(url, history, people_count)
        print(f"{people_count} accounts loaded in {time.monotonic() - began:.0f} s", flush=True)
        for label, restart in (
            ("PostgreSQL, 50 people", None),
            ("PostgreSQL, 50 people, restarted midway", cluster),
        ):
            before = interactions_of(url, people_count)
            with Server(url, work / "serve-pg.log") as server:
                people = [
                    Person(e, t, p, server.port, random.Random(n)) for n, (e, t, p) in enumerate(accounts)
                ]
                done, took = run_people(people, seconds, restart)
            after = interactions_of(url, people_count)
            lost = sum(abs((a - b) - p.logged) for a, b, p in zip(after, before, people, strict=True))
            result = figures(label, done, seconds, lost)
            results.append(result)
            print(result, flush=True)
            print("errors by request and status:", failures(done), flush=True)
            if restart is not None:
                notes.append(recovery(done, seconds / 2, took))
                if os.environ.get("BENCH_DEBUG"):
                    print([(round(d.at, 1), d.what, d.status) for d in done if not 200 <= d.status < 400])
                    print((work / "serve-pg.log").read_text()[-6000:])
        # one person on a SQLite file, the same mix
        file = work / "file.db"
        shutil.copy(history, file)
        con = sqlite3.connect(file)
        before_one = con.execute("SELECT count(*) FROM interactions").fetchone()[0]
        con.close()
        with Server(str(file), work / "serve-sqlite.log") as server:
            one = Person(None, accounts[0][1], accounts[0][2], server.port, random.Random(99))
            done, _ = run_people([one], seconds)
        con = sqlite3.connect(file)
        after_one = con.execute("SELECT count(*) FROM interactions").fetchone()[0]
        con.close()
        result = figures("SQLite, 1 person", done, seconds, abs(after_one - before_one - one.logged))
        results.append(result)
        print(result, flush=True)
    finally:
        cluster.stop()
    return results, "\n".join(notes)


def failures(done: list[Done]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for d in done:
        if not 200 <= d.status < 400:
            key = f"{d.what} {d.status} at {d.at:.0f}s in {d.ms:.0f}ms"
            counted[key] = counted.get(key, 0) + 1
    return counted


def recovery(done: list[Done], at: float, took: float) -> str:
    """What the restart did to the requests: how many failed, how, and when serving came back."""
    failed = [d for d in done if not 200 <= d.status < 400]
    statuses = sorted({d.status for d in failed})
    back = [d.at for d in done if d.at > at and 200 <= d.status < 400]
    first_ok = min(back) if back else float("nan")
    last_bad = max((d.at for d in failed), default=at)
    slowest = max((d.ms for d in failed), default=0.0)
    return (
        f"Restart (`pg_ctl restart -m fast`, {took:.1f} s) at {at:.0f} s: {len(failed)} requests failed "
        f"(statuses {', '.join(str(s) for s in statuses) or 'none'}; the slowest failure answered in "
        f"{slowest:.0f} ms), the last at {last_bad:.1f} s; serving again from {first_ok:.1f} s, without restarting "
        "tactful."
    )


def table(results: list[Figures], notes: str, people: int, seconds: float) -> str:
    lines = [
        f"Measured {dt.date.today().isoformat()} by `bench/bench_team.py`: {people} people at once for {seconds:.0f} s "
        "each (a pause of 0.5 to 1.5 s between two requests), each on an account of 1,000 contacts and 10,000 "
        "interactions; `tactful serve` over a private PostgreSQL cluster on loopback, and over a SQLite file for one "
        "person. Targets: p95 at most 100 ms, no error, no lost write.",
        "",
        "| Run | Requests | Per second | p50 ms | p95 ms | p99 ms | Errors | Lost writes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.label} | {r.requests:,} | {r.rps:.1f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | "
                     f"{r.errors} | {r.lost} |")  # fmt: skip
    if notes:
        lines += ["", notes]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tactful-team-bench-") as folder:
        work = Path(folder)
        os.chmod(work, 0o755)
        os.environ.setdefault("TACTFUL_CACHE", str(work / "cache"))
        results, notes = measure(work, args.people, args.seconds)
    block = table(results, notes, args.people, args.seconds)
    print(block)
    if args.write:
        write_between(START, END, block)
    plain = [r for r in results if "restarted" not in r.label]
    missed = [r.label for r in plain if r.p95 > P95_TARGET_MS or r.errors] + [
        r.label for r in results if r.lost
    ]
    if missed:
        print(f"missed a target: {', '.join(missed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
