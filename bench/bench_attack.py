"""Attacks on a running web app: does `tactful serve` stay small and keep answering others meanwhile?

Run from the repository root with the project's interpreter: `python bench/bench_attack.py [--write]`.
It replays what a security probe sent, against real `tactful serve` processes on free ports of
127.0.0.1 (no log-in there, but `POST /login` answers in both modes), over a database in a temporary
data directory, with a password set and an interview logged so that there is a draft to review.
Every attack gets a fresh server, so none inherits another's memory or a busy event loop; each
server is stopped at the end, also when something fails. `attack_server.py` starts, stops and
watches the servers; `attack_cases.py` holds the attacks:

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
import datetime as dt
import math
import os
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from attack_cases import (
    DRAFT_SIZE,
    NOTES,
    REVIEWS,
    VISITS,
    Attack,
    big_notes,
    flood_login,
    log_many,
    longest_draft,
    review_drafts,
    visit_today,
)
from attack_server import (
    ABORT_RSS_MB,
    MB,
    TACTFUL,
    Context,
    Monitor,
    Probe,
    Server,
    Watchdog,
    set_up,
    warm_up,
)
from bench_web import http_stack, percentile
from common import ROOT

DOC = ROOT / "docs" / "security.md"
START, END = "<!-- bench-attack:start -->", "<!-- bench-attack:end -->"
RSS_TARGET_MB, P99_TARGET_MS = 300.0, 100.0
#: Wall time each attack may take, in seconds; a request under way when it runs out still has its timeout.
LIMITS = {"login": 15.0, "chunked": 10.0, "review": 25.0, "notes": 20.0, "today": 20.0, "logging": 25.0}
WATCHDOG_S = 170  # the whole run, servers started and stopped included
PHASES = ("login-form", "login-chunked", "review", "review-max", "notes", "today")


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
    from common import write_between

    if not DOC.exists():
        DOC.write_text(f"# Security\n\n{START}\n{END}\n", encoding="utf-8")
    write_between(START, END, block, DOC)


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
