"""A synthetic tactful database of a chosen size, built fast with direct SQL.

The file is opened with `tactful.store.open_store` first, so the schema and its migrations are
applied exactly as for a user; the rows are then written with `executemany` in one transaction.

The shape follows what the planner leaves behind after years of use: organisations, contacts
spread over them, threads of one to many interactions with one to three people each, and a
follow-up for every interaction. Almost all follow-ups are finished (done, cancelled or skipped);
only `planned` of them are still open, placed around "now" (some overdue, some due, most coming
up), whatever the size of the history. Older threads are closed or dormant; `recent_dormant`
threads went quiet in the past week. Run it alone with `python bench/synth.py PATH [--interactions N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tactful.domain import Profile
from tactful.store import open_store

HOUR = 3600
DAY = 24 * HOUR
YEAR = 365 * DAY
BATCH = 5_000  # threads generated and written per executemany round
Row = tuple[object, ...]

FIRST = ["Priya", "Tomás", "Dana", "Kenji", "Alex", "Maya", "Samuel", "Grace", "Robin", "Ana", "Omar"]
LAST = ["Natarajan", "Vega", "Whitfield", "Mori", "Osei", "Lindqvist", "Adeyemi", "Holloway", "Novak"]
WORDS = ["Acme", "Northwind", "Harbour", "Fintrail", "Brightline", "Lumen", "Cobalt", "Granite", "Atlas"]
SUFFIX = ["Analytics", "Robotics", "Foods", "Health", "Labs", "Partners", "Systems", "Group"]
JOBS = ["Senior Data Engineer", "Platform Engineer", "Analytics Lead", "Staff Engineer", "Data Scientist"]
DEALS = ["Q3 analytics pilot", "Renewal 2026", "Warehouse rollout", "Dashboard refresh"]

#: Per kind: the rules it plans as (rule, purpose, nudge, opens after, window length, per person).
RULES: dict[str, list[tuple[str, str, bool, int, int, bool]]] = {
    "interview": [
        ("interview.thank-you", "thank-you", False, 0, DAY, True),
        ("interview.check-in", "check-in", True, 4 * DAY, 3 * DAY, False),
    ],
    "application": [("application.check", "application-check", True, 3 * DAY, 7 * DAY, False)],
    "meeting": [("meeting.reconnect", "reconnect", False, DAY, 3 * DAY, True)],
    "introduction": [("introduction.introduce-yourself", "introduce-yourself", False, 0, 3 * DAY, True)],
    "help-promised": [("help.reminder", "reminder", True, 7 * DAY, 3 * DAY, False)],
    "call": [("call.recap", "recap", False, 0, 2 * DAY, False)],
    "presentation": [
        ("presentation.recap", "recap", False, 0, 2 * DAY, False),
        ("presentation.check-in", "check-in", True, 7 * DAY, 3 * DAY, False),
    ],
    "client-meeting": [
        ("client-meeting.recap", "recap", False, 0, 2 * DAY, False),
        ("client-meeting.check-in", "check-in", True, 7 * DAY, 3 * DAY, False),
    ],
}
#: What a thread is about, and the kinds of interaction it is made of.
THEMES = [
    (JOBS, ["application", "interview", "interview"]),
    ([None], ["meeting", "introduction", "help-promised", "call"]),
    (DEALS, ["call", "presentation", "client-meeting", "client-meeting"]),
]
ROUND_KINDS = {"interview", "presentation", "client-meeting"}
OUTCOMES = ["rejected", "offer", "accepted", "won", "lost", "closed", "helped"]
DORMANT = "You have followed up {times} with no answer; give them room."
REASONS = ["they replied", "outcome: rejected", "replaced by round 2", "outcome: closed"]

INTERACTION_SQL = (
    "INSERT INTO interactions (id, thread_id, kind, at, round, topics, note, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
FOLLOWUP_SQL = (
    "INSERT INTO followups (thread_id, contact_id, interaction_id, rule, purpose, channel, nudge, not_before, "
    "due_by, suggested_at, why, round, status, done_at, cancel_reason, sent_channel, created_at) "
    "VALUES (?, ?, ?, ?, ?, 'email', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
THREAD_SQL = (
    "INSERT INTO threads (id, title, organisation_id, round, outcome, outcome_at, closed, dormant_at, "
    "dormant_why, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def iso(ts: float) -> str:
    """Epoch seconds as the store writes times: ISO 8601 in UTC, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(int(ts)))


@dataclass
class Built:
    """What `build` wrote, and how long it took."""

    path: Path
    now: dt.datetime
    contacts: int
    threads: int
    interactions: int
    followups: int
    planned: int
    seconds: float


class _Maker:
    """Generates the rows; one instance per database."""

    def __init__(self, rng: random.Random, now: float, contacts: int, organisations: int) -> None:
        self.rng = rng
        self.now = now
        self.org_of = {cid: 1 + int(organisations * rng.random() ** 1.5) for cid in range(1, contacts + 1)}
        self.by_org: dict[int, list[int]] = {}
        for cid, org in self.org_of.items():
            self.by_org.setdefault(org, []).append(cid)
        self.orgs = sorted(self.by_org)
        self.next_interaction = 0
        #: Open threads: (latest interaction's time, thread, that interaction, its first person, round, kind).
        self.open: list[tuple[float, int, int, int, int, str]] = []

    def contact_rows(self) -> Iterator[Row]:
        rng, created = self.rng, iso(self.now - 3 * YEAR)
        for cid, org in self.org_of.items():
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{name.split()[0].lower()}.{cid}@example.com" if rng.random() < 0.8 else None
            phone = f"+44 20 7946 {cid % 10_000:04d}" if rng.random() < 0.3 else None
            linkedin = f"https://www.linkedin.com/in/p{cid}" if rng.random() < 0.4 else None
            prefers = rng.choice(["email", "phone", "linkedin"]) if rng.random() < 0.1 else None
            yield (cid, name, name.casefold(), email, phone, linkedin, org, prefers, created)

    def threads(self, first: int, counts: list[int], rows: dict[str, list[Row]]) -> None:
        """Rows for the threads numbered from `first`, holding `counts` interactions each."""
        rng, now = self.rng, self.now
        for tid, count in enumerate(counts, start=first):
            titles, kinds = rng.choice(THEMES)
            org = rng.choice(self.orgs)
            pool = rng.sample(self.by_org[org], min(len(self.by_org[org]), rng.randint(1, 4)))
            start = now - HOUR - rng.random() * 3 * YEAR
            times = sorted(min(now - HOUR, start + rng.random() * 60 * DAY) for _ in range(count))
            round_ = 0
            for at in times:
                kind = rng.choice(kinds)
                round_ += kind in ROUND_KINDS
                people = rng.sample(pool, min(len(pool), rng.choices((1, 2, 3), (70, 22, 8))[0]))
                iid = self.next_interaction = self.next_interaction + 1
                note = "Met at the Data Leaders meetup" if rng.random() < 0.2 else None
                rows["i"].append((iid, tid, kind, iso(at), max(round_, 1), "[]", note, iso(at)))
                rows["ic"].extend((iid, cid, n) for n, cid in enumerate(people))
                for rule, purpose, nudge, opens, length, each in RULES[kind]:
                    for cid in people if each else people[:1]:
                        rows["f"].append(
                            self.finished((tid, cid, iid, rule, purpose), nudge, at + opens, length)
                        )
            latest = (times[-1], tid, iid, people[0], max(round_, 1), kind)
            rows["t"].append(self.thread_row(rng.choice(titles), org, start, latest))

    def finished(self, head: Row, nudge: bool, opens: float, length: int) -> Row:
        """A follow-up the user already dealt with: mostly sent, some cancelled or skipped."""
        rng, due, roll = self.rng, opens + length, self.rng.random()
        if opens > self.now:  # its window has not opened: an answer or an outcome came first
            status, done_at, reason = "cancelled", None, "they replied"
        elif roll < 0.65 or due > self.now:
            status, done_at, reason = "done", iso(min(self.now - 60, opens + roll * length)), None
        else:
            status, done_at = ("cancelled", None) if roll < 0.87 else ("skipped", None)
            reason = rng.choice(REASONS) if status == "cancelled" else "skipped"
        sent = "email" if status == "done" else None
        times = (iso(opens), iso(due), iso(opens + 2 * HOUR), why(head[3], head[4]))
        return (*head, int(nudge), *times, 1, status, done_at, reason, sent, iso(opens))

    def thread_row(self, title: str | None, org: int, start: float, latest: tuple) -> Row:
        """A thread's row: older ones are closed or dormant, the rest stay open and may get a plan."""
        rng, last, tid, round_ = self.rng, latest[0], latest[1], latest[4]
        outcome = outcome_at = dormant_at = dormant_why = None
        closed = 0
        if self.now - last > 60 * DAY and rng.random() < 0.55:
            closed, outcome, outcome_at = 1, rng.choice(OUTCOMES), iso(last + rng.random() * 30 * DAY)
        elif self.now - last > 60 * DAY and rng.random() < 0.35:
            dormant_at, dormant_why = iso(last + 14 * DAY), DORMANT.format(times="twice")
        else:
            self.open.append(latest)
        return (tid, title, org, round_, outcome, outcome_at, closed, dormant_at, dormant_why, iso(start))

    def planned(self, count: int, recent_dormant: int) -> tuple[list[Row], list[tuple[str, str, int]]]:
        """Open follow-ups around now on the latest open threads, and threads that just went quiet."""
        rng, now = self.rng, self.now
        latest = sorted(self.open, reverse=True)
        rows = []
        for n, (_, tid, iid, cid, round_, kind) in enumerate(latest[:count]):
            rule, purpose, nudge, *_ = next((r for r in RULES[kind] if r[2]), RULES[kind][0])
            if n < 0.15 * count:  # overdue
                due = now - 2 * HOUR - rng.random() * 10 * DAY
                opens = due - DAY - rng.random() * 2 * DAY
            elif n < 0.5 * count:  # open now
                opens, due = now - HOUR - rng.random() * 3 * DAY, now + 2 * HOUR + rng.random() * 4 * DAY
            else:  # coming up, within three weeks
                opens = now + 2 * HOUR + rng.random() * 20 * DAY
                due = opens + DAY + rng.random() * 2 * DAY
            head = (tid, cid, iid, rule, purpose, int(nudge), iso(opens), iso(due), iso(opens + 9 * HOUR))
            rows.append((*head, why(rule, purpose), round_, "planned", None, None, None, iso(now - DAY)))
        quiet = [t for t in latest[count:] if now - t[0] > 8 * DAY][:recent_dormant]
        went = DORMANT.format(times="once")
        return rows, [(iso(now - HOUR - rng.random() * 6 * DAY), went, t[1]) for t in quiet]


def why(rule: str, purpose: str) -> str:
    """A reason of about the length the playbook writes."""
    return f"Planned by {rule}: the usual window for a {purpose} after this kind of interaction."


def build(
    path: Path,
    contacts: int = 10_000,
    threads: int = 30_000,
    interactions: int = 100_000,
    planned: int = 300,
    recent_dormant: int = 12,
    organisations: int = 2_000,
    now: dt.datetime | None = None,
    seed: int = 7,
) -> Built:
    """Write a fresh synthetic database at `path` (replacing any file there)."""
    if not 0 < threads <= interactions:
        raise ValueError("need 0 < threads <= interactions")
    started = time.perf_counter()
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    moment = (now or dt.datetime.now(dt.UTC)).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    organisations = min(organisations, contacts)
    counts = [1] * threads
    for _ in range(interactions - threads):  # a few long threads, many short ones
        counts[int(threads * rng.random() ** 1.5)] += 1
    maker = _Maker(rng, moment.timestamp(), contacts, organisations)
    store = open_store(path)
    conn = store.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # rows are written parents first; checks only slow this
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    with store.transaction():
        store.save_profile(
            Profile(name="Robin Vale", email="robin.vale@example.net", tz="Europe/London", country="GB")
        )
        conn.executemany(
            "INSERT INTO organisations (id, name, norm) VALUES (?, ?, ?)",
            (
                (o, f"{rng.choice(WORDS)} {rng.choice(SUFFIX)} {o}", f"org {o}")
                for o in range(1, organisations + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO contacts (id, name, norm, email, phone, linkedin, organisation_id, prefers, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            maker.contact_rows(),
        )
        written = 0
        for first in range(1, threads + 1, BATCH):
            last = min(threads, first + BATCH - 1)
            rows: dict[str, list[Row]] = {"t": [], "i": [], "ic": [], "f": []}
            maker.threads(first, counts[first - 1 : last], rows)
            conn.executemany(THREAD_SQL, rows["t"])
            conn.executemany(INTERACTION_SQL, rows["i"])
            conn.executemany("INSERT INTO interaction_contacts VALUES (?, ?, ?)", rows["ic"])
            conn.executemany(FOLLOWUP_SQL, rows["f"])
            written += len(rows["f"])
        open_rows, quiet = maker.planned(planned, recent_dormant)
        conn.executemany(FOLLOWUP_SQL, open_rows)
        conn.executemany(
            "UPDATE threads SET dormant_at = ?, dormant_why = ? WHERE id = ?",
            quiet,
        )
    conn.execute("PRAGMA journal_mode = WAL")  # as tactful leaves a file it created
    store.close()
    seconds = time.perf_counter() - started
    total = written + len(open_rows)
    return Built(path, moment, contacts, threads, interactions, total, len(open_rows), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--planned", type=int, default=300)
    args = parser.parse_args()
    built = build(args.path, args.contacts, args.threads, args.interactions, args.planned)
    print(
        f"{built.path}: {built.contacts} contacts, {built.threads} threads, {built.interactions} interactions, "
        f"{built.followups} follow-ups ({built.planned} planned) in {built.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
