"""Benchmarks for imports and calendar exports: a 10,000-row LinkedIn export, 10,000 follow-ups as .ics.

Run from the repository root with the project's interpreter: `python bench/bench_exchange.py`.
Everything lives in a temporary directory. Targets: the import takes at most 2 s, the export at
most 2 s (each the best of three runs on a fresh database, as a user would run it once); the script
prints the measured figures and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tactful.domain import Channel, FollowUp, Purpose, Status
from tactful.service import Service
from tactful.service import transfer as exchange
from tactful.service.profile import update_profile
from tactful.store import open_store

T = TypeVar("T")
TARGET_S = 2.0
ROWS = 10_000
FIRST = ["Priya", "Tomás", "Dana", "Kenji", "Alex", "Maya", "Samuel", "Grace", "Robin", "Ana", "Omar", "Zoë"]
LAST = ["Natarajan", "de la Vega", "Whitfield", "Mori", "Osei", "Lindqvist", "Adeyemi", "Holloway", "Novak"]
COMPANIES = ["Acme Analytics", "Northwind Robotics", "Harbour Foods, Inc.", "Lumen Health", "Fintrail", ""]
ROLES = ["Staff Engineer", "Recruiter", "VP Engineering", "Data Scientist", "Founder & CEO", "Open to work"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PURPOSES = [Purpose.THANK_YOU, Purpose.CHECK_IN, Purpose.RECONNECT, Purpose.RECAP, Purpose.CALL]
STATUSES = [Status.PLANNED] * 6 + [Status.DONE, Status.DONE, Status.SKIPPED, Status.CANCELLED]


def linkedin_export(path: Path, rows: int, rng: random.Random) -> None:
    lines = ["Notes:", '"Some email addresses may be missing from this export."', "",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]  # fmt: skip
    for n in range(rows):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{n}"
        company = rng.choice(COMPANIES)
        company = f'"{company}"' if "," in company else company
        email = f"{first.lower()}.{n}@example.org" if n % 50 == 0 else ""
        when = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2012, 2026)}"
        lines.append(f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{n},{email},{company},"
                     f"{rng.choice(ROLES)},{when}")  # fmt: skip
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def service_at(path: Path) -> Service:
    service = Service(open_store(path), now=dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC))
    update_profile(service, name="Robin Vale", tz="Europe/London", country="GB")
    return service


def add_followups(service: Service, count: int, rng: random.Random) -> None:
    """`count` follow-ups over the imported contacts, one thread per ten, in every status."""
    store = service.store
    now = service.now()
    contacts = [c.id for c in store.contacts(range(1, ROWS + 1))]
    with store.transaction():
        for n in range(count):
            if n % 10 == 0:
                thread = store.add_thread(now, f"Opportunity {n // 10}", rng.choice(COMPANIES[:-1]))
            opens = now + dt.timedelta(hours=rng.randint(-24 * 30, 24 * 30))
            purpose = rng.choice(PURPOSES)
            f = FollowUp(
                id=0, thread_id=thread, contact_id=rng.choice(contacts), rule=f"bench.{purpose.value}",
                purpose=purpose, channel=Channel.PHONE if purpose is Purpose.CALL else Channel.EMAIL,
                nudge=purpose in (Purpose.CHECK_IN, Purpose.CALL), not_before=opens,
                due_by=opens + dt.timedelta(days=rng.randint(1, 5)), suggested_at=opens + dt.timedelta(hours=2),
                why="A polite check-in 3 to 5 business days after the interview shows interest.",
            )  # fmt: skip
            f.id = store.add_followup(f)
            status = rng.choice(STATUSES)
            if status is Status.DONE:
                store.finish_followup(f.id, status, at=opens + dt.timedelta(hours=3), channel=f.channel)
            elif status is not Status.PLANNED:
                store.finish_followup(f.id, status, reason="bench")


def best_of(runs: int, make: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `runs` calls, in seconds, and what the last one returned."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rows", type=int, default=ROWS, help="LinkedIn rows and follow-ups (default 10,000)"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="tactful-bench-") as folder:
        root = Path(folder)
        csv = root / "Connections.csv"
        linkedin_export(csv, args.rows, rng)
        runs = iter(range(3))

        def import_once() -> exchange.ImportReport:
            service = service_at(root / f"import{next(runs)}.db")
            return exchange.import_contacts(service, "linkedin", csv)

        import_s, report = best_of(3, import_once)
        assert report.count("created") == args.rows
        service = service_at(root / "import0.db")
        add_followups(service, args.rows, rng)
        export_s, (data, count) = best_of(3, lambda: exchange.export_ics(service, everything=True))
        todo_s, _ = best_of(3, lambda: exchange.export_ics(service, todo=True, everything=True))
        assert count == args.rows
    results = [
        (f"import linkedin ({args.rows:,} rows)", import_s),
        (f"export ics, events ({count:,} follow-ups, {len(data) / 1e6:.1f} MB)", export_s),
        (f"export ics, to-dos ({count:,} follow-ups)", todo_s),
    ]
    width = max(len(name) for name, _ in results)
    missed = False
    for name, seconds in results:
        ok = seconds <= TARGET_S
        missed |= not ok
        print(f"{name:<{width}}  {seconds:6.3f} s  (target {TARGET_S:.0f} s: {'ok' if ok else 'MISSED'})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
