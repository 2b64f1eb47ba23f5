"""Benchmarks for tactful: the agenda from a cold start, in process, planning, and how they scale.

Run from the repository root with the project's interpreter: `python bench/bench.py [--quick] [--write]`.
Every database is synthetic (see `synth.py`) and lives in a temporary directory. `--quick` leaves
out the one-million-interaction case; `--write` puts the tables into `docs/performance.md`
between its `bench:start` and `bench:end` markers. Nothing else in the repository is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import synth
from common import write_between

from tactful import domain
from tactful.business_days import BusinessCalendar
from tactful.playbook import rules as playbook
from tactful.playbook.planner import Planner
from tactful.service import Service, followups, reading
from tactful.service.followups import LogRequest
from tactful.service.keep_in_touch import keep_in_touch
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.store.rows import LAST_CONTACT

BIN = Path(sys.executable).parent
TACTFUL = BIN / "tactful"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
CLI_TARGET_MS, AGENDA_TARGET_MS = 150.0, 20.0
#: `tactful stats --json` over the 100,000-interaction history, from a new process (#14).
STATS_TARGET_MS = 500.0
#: `tactful agenda --json` from a new process when KEPT people have a keep-in-touch cadence, so that the
#: agenda works out who is losing touch among them (#14).
KEEP_TARGET_MS, KEPT = 100.0, 2_000
#: Each person's last interaction and last contact of any kind, as the store keeps them (`synth.py`
#: writes interactions around it).
LAST_AT = (
    "UPDATE contacts SET last_at = (SELECT max(i.at) FROM interaction_contacts ic "
    f"JOIN interactions i ON i.id = ic.interaction_id WHERE ic.contact_id = contacts.id), last_contact_at = {LAST_CONTACT}"
)
CLI_RUNS, AGENDA_RUNS = 11, 200
#: The last commit of the flat layout, before the modules moved into packages by layer: the cold
#: agenda of this checkout must stay within LAYOUT_MARGIN of its figure.
BEFORE_LAYOUT, LAYOUT_MARGIN, LAYOUT_ROUNDS = "26ab765", 1.10, 21
ROOT = Path(__file__).resolve().parent.parent
PROFILE = domain.Profile(name="Robin Vale", email="robin.vale@example.net", tz="Europe/London", country="GB")


def median_ms(func: Callable[[], object], runs: int) -> float:
    """The median wall time of `func()` in milliseconds (after one call that is not counted)."""
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def user_env(db: Path) -> dict[str, str]:
    """The environment of a user's shell: bytecode caches allowed, the database given by TACTFUL_DB."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TACTFUL_DB"] = str(db)
    return env


def process_ms(command: list[str], env: dict[str, str]) -> float:
    """Median wall time of a fresh process running `command`: one warm-up, then CLI_RUNS runs."""

    def once() -> None:
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)

    return median_ms(once, CLI_RUNS)


def cli_ms(db: Path) -> float:
    return process_ms([str(TACTFUL), "agenda", "--json"], user_env(db))


def agenda_ms(
    db: Path, now: dt.datetime, everything: bool = False, runs: int = AGENDA_RUNS
) -> tuple[float, int, int]:
    """Median in-process `reading.agenda` time over one open store, with its item and dormant counts."""
    store = open_store(db)
    moment = now.isoformat()
    result = reading.agenda(Service(store), now=moment, days=7, everything=everything)
    ms = median_ms(lambda: reading.agenda(Service(store), now=moment, days=7, everything=everything), runs)
    store.close()
    return ms, len(result.items), len(result.dormant)


def importtime(command: list[str], env: dict[str, str]) -> list[tuple[int, str, float, float]]:
    """(depth, module, self ms, cumulative ms) of each import `command` makes, in the order printed."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command], env=env, capture_output=True, text=True
    )
    entries = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            depth = (len(parts[2]) - len(parts[2].lstrip()) - 1) // 2
            entries.append((depth, parts[2].strip(), int(parts[0]) / 1000, int(parts[1]) / 1000))
    return entries


def source_at(commit: str, into: Path) -> Path | None:
    """The project's `src` folder as it was at `commit`, unpacked under `into` (None without git)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], capture_output=True)
    if archive.returncode != 0:
        return None
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def cold_agenda_of(sources: dict[str, Path], db: Path, rounds: int = LAYOUT_ROUNDS) -> dict[str, float]:
    """Median cold `tactful agenda --json` of each source tree, in one process per run, started as the
    `tactful` script starts. The trees take turns, run by run, so that whatever else the machine is
    doing weighs on each alike; each is checked to be the tree that answered."""
    start = "import sys; from tactful.cli import main; sys.argv[0] = 'tactful'; sys.exit(main())"
    envs = {name: {**user_env(db), "PYTHONPATH": str(src)} for name, src in sources.items()}
    for name, src in sources.items():
        where = subprocess.run(
            [sys.executable, "-c", "import tactful; print(tactful.__file__)"],
            env=envs[name], capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert where.stdout.startswith(str(src)), f"{name}: tactful came from {where.stdout.strip()}"
        subprocess.run(
            [sys.executable, "-c", start, "agenda", "--json"],
            env=envs[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in sources}
    for _ in range(rounds):
        for name in sources:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", start, "agenda", "--json"],
                env=envs[name], stdout=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(found) for name, found in times.items()}


def layout_rows(work: Path, db: Path) -> list[str]:
    """The cold agenda before and after the move into packages by layer, measured side by side."""
    before = source_at(BEFORE_LAYOUT, work / "before-layout")
    if before is None:
        return [
            f"| cold agenda at {BEFORE_LAYOUT} (before the move into packages) | not measured: no git here | | |"
        ]
    try:
        found = cold_agenda_of({"before": before, "now": ROOT / "src"}, db)
    except subprocess.CalledProcessError:  # that commit reads older databases only
        return [
            f"| cold agenda at {BEFORE_LAYOUT} (before the move into packages) | not measured: it cannot read "
            "a database of today's schema | | |"
        ]
    limit = found["before"] * LAYOUT_MARGIN
    print(f"cold agenda: {found['before']:.0f} ms before the move, {found['now']:.0f} ms now", flush=True)
    return [
        f"| `tactful agenda --json`, flat layout of commit {BEFORE_LAYOUT} (the same way, turn about) "
        f"| {found['before']:.0f} ms | | |",
        f"| `tactful agenda --json`, this checkout's packages by layer | {found['now']:.0f} ms "
        f"| ≤ {limit:.0f} ms (+{LAYOUT_MARGIN - 1:.0%}) | {verdict(found['now'], limit)} |",
    ]


def import_costs(db: Path, runs: int = 5) -> tuple[float, float, list[tuple[str, str, float, float]]]:
    """`python -X importtime` for `tactful agenda --json`: its total, that of `-c pass`, the largest imports.

    Rows are (module, what imported it, cumulative ms, self ms), medians over `runs` runs, largest
    first: the imports made by running code ("-"), and the modules where the time lands, that is,
    those costing 2.5 ms or more of which no single import of theirs accounts for three quarters.
    """
    env = user_env(db)
    cumulative: dict[str, list[float]] = {}
    own: dict[str, list[float]] = {}
    totals, bare = [], []
    for _ in range(runs):
        bare.append(sum(e[2] for e in importtime(["-c", "pass"], env)))
        entries = importtime([str(TACTFUL), "agenda", "--json"], env)
        totals.append(sum(e[2] for e in entries))
        once: dict[str, tuple[float, float]] = {}  # a package's import may print a module twice
        for _, name, self_ms, cum_ms in entries:
            was = once.get(name, (0.0, 0.0))
            once[name] = (max(was[0], cum_ms), was[1] + self_ms)
        for name, (cum_ms, self_ms) in once.items():
            cumulative.setdefault(name, []).append(cum_ms)
            own.setdefault(name, []).append(self_ms)
    cum = {name: statistics.median(v) for name, v in cumulative.items()}
    parent: dict[str, str | None] = {}
    above: dict[int, str] = {}
    biggest_child: dict[str, float] = {}
    for depth, name, _, _ in reversed(entries):  # an importer is printed after what it imports
        by = parent.setdefault(name, above.get(depth - 1) if depth else None)
        above[depth] = name
        if by:
            biggest_child[by] = max(biggest_child.get(by, 0.0), cum[name])

    def chain(name: str) -> str:
        """The importers of `name`: the nearest tactful module, then the one that imported it."""
        links = []
        while name := parent[name] or "":
            links.insert(0, name)
            if name.startswith("tactful"):
                break
        return " › ".join(links if len(links) <= 2 else [links[0], "…", links[-1]]) or "-"

    rows = [
        (name, chain(name), cum[name], statistics.median(own[name]))
        for name in parent
        if (parent[name] is None and cum[name] >= 1.0)
        or (parent[name] and cum[name] >= 2.5 and biggest_child.get(name, 0.0) < 0.75 * cum[name])
    ]
    rows.sort(key=lambda r: -r[2])
    return statistics.median(totals), statistics.median(bare), rows[:14]


def planner_rate(with_others: bool, seconds: float = 2.0) -> float:
    """`Planner.after_interaction` calls per second for an interview with two interviewers.

    With `with_others`, one interviewer already has a check-in planned in another thread, so the
    spacing guards move the new one.
    """
    cal = BusinessCalendar(PROFILE.tz, PROFILE.country)
    planner = Planner(playbook.load(None), cal, PROFILE)
    at = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
    priya = domain.Contact(1, "Priya Natarajan", email="priya@acme.example", organisation="Acme")
    sam = domain.Contact(2, "Sam Lee", email="sam@acme.example", organisation="Acme", tz="America/New_York")
    thread = domain.Thread(1, title="Senior Data Engineer", organisation="Acme", created_at=at)
    interview = domain.Interaction(1, 1, domain.Kind.INTERVIEW, at, contact_ids=(1, 2))
    history = domain.ThreadHistory(thread, [interview], [], [], {1: priya, 2: sam})
    opens, email = at + dt.timedelta(days=2), domain.Channel.EMAIL
    check = ("application.check", domain.Purpose.APPLICATION_CHECK, email, True)  # a nudge, to Priya
    other = domain.FollowUp(9, 7, 1, *check, opens, opens + dt.timedelta(days=3), why="")
    others = [other] if with_others else []
    planner.after_interaction(history, interview, others)  # loads the holiday calendar once
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        planner.after_interaction(history, interview, others)
        calls += 1
    return calls / (time.perf_counter() - started)


def log_rate(db: Path, count: int = 200) -> float:
    """`followups.log` calls per second on the file at `db`, each in its own committed transaction."""
    service = Service(open_store(db))
    update_profile(service, tz=PROFILE.tz, country=PROFILE.country)
    base = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=30)

    def log(n: int) -> None:
        at = (base + dt.timedelta(minutes=10 * n)).isoformat()
        people = [f"Bench Interviewer {n} A", f"Bench Interviewer {n} B"]
        followups.log(
            service, LogRequest("interview", people, org=f"Bench Org {n % 50}", title="Staff Engineer", at=at)
        )

    for n in range(-5, 0):  # the first one loads the playbook and the holiday calendar
        log(n)
    started = time.perf_counter()
    for n in range(count):
        log(n)
    rate = count / (time.perf_counter() - started)
    service.store.close()
    return rate


def kept_in_touch(main: synth.Built, path: Path) -> tuple[int, int]:
    """A copy of the main database at `path` in which KEPT people (every fifth) are tagged `mentor`,
    and the tag has a cadence of two months, at most four (`tactful keep-in-touch --tag mentor --every
    2m --at-most 4m`); the agenda's items and the people on its Losing touch list, in process."""
    shutil.copy(main.path, path)
    service = Service(open_store(path))
    store = service.store
    step = main.contacts // KEPT
    with store.transaction():  # what `tactful tag NAME mentor` writes, for all of them at once
        store.conn.execute(LAST_AT)
        for contact_id in range(step, main.contacts + 1, step):
            store.set_tags(contact_id, ["mentor"])
    keep_in_touch(service, tag="mentor", every="2m", at_most="4m")
    agenda = reading.agenda(service, days=7)
    store.close()
    return len(agenda.items), len(agenda.losing_touch)


def verdict(value: float, target: float) -> str:
    return "pass" if value <= target else "FAIL"


def scaling(work: Path, main: synth.Built, quick: bool) -> list[str]:
    """The agenda on histories of 10k, 100k and (unless `quick`) 1M interactions, same plan size."""
    rows = [
        "| Interactions | Contacts / threads | Follow-ups (planned) | File | Build "
        f"| Agenda in process (≤ {AGENDA_TARGET_MS:.0f} ms) | `tactful agenda --json` (≤ {CLI_TARGET_MS:.0f} ms) "
        "| `--all` in process (dormant threads) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000):
        if size == main.interactions:
            built = main
        else:
            path = work / f"scale-{size}.db"
            built = synth.build(path, size // 10, 3 * size // 10, size, organisations=min(2_000, size // 50))
        in_process, _, _ = agenda_ms(built.path, built.now)
        cold = cli_ms(built.path)
        every, _, dormant = agenda_ms(built.path, built.now, everything=True, runs=10)
        size_mb = built.path.stat().st_size / 1e6
        rows.append(
            f"| {size:,} | {built.contacts:,} / {built.threads:,} | {built.followups:,} ({built.planned}) "
            f"| {size_mb:,.0f} MB | {built.seconds:.1f} s | {in_process:.1f} ms ({verdict(in_process, AGENDA_TARGET_MS)}) "
            f"| {cold:.0f} ms ({verdict(cold, CLI_TARGET_MS)}) | {every:.0f} ms ({dormant:,}) |"
        )
        print(rows[-1], flush=True)
    return rows


def measure(work: Path, quick: bool) -> str:
    """Run every measurement; the Markdown block that goes between the markers."""
    main = synth.build(work / "main.db")
    print(f"built {main.path.name}: {main.followups:,} follow-ups in {main.seconds:.1f} s", flush=True)
    bare = process_ms([sys.executable, "-c", "pass"], user_env(main.path))
    cold = cli_ms(main.path)
    layout = layout_rows(work, main.path)
    in_process, items, dormant = agenda_ms(main.path, main.now)
    total_import, bare_import, imports = import_costs(main.path)
    print(f"agenda: {cold:.0f} ms cold, {in_process:.1f} ms in process", flush=True)
    stats = process_ms([str(TACTFUL), "stats", "--json"], user_env(main.path))
    print(f"stats: {stats:.0f} ms cold", flush=True)
    kept = work / "kept.db"
    kept_items, losing = kept_in_touch(main, kept)
    keeping = cli_ms(kept)
    print(f"agenda with keep-in-touch on: {keeping:.0f} ms cold, {losing:,} losing touch", flush=True)
    plain, guarded = planner_rate(False), planner_rate(True)
    empty = log_rate(work / "empty.db")
    copy = work / "main-copy.db"
    shutil.copy(main.path, copy)
    busy = log_rate(copy)
    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}.",
        "",
        "| Measure | Figure | Target | Result |",
        "|---|---:|---:|---|",
        f"| Build the synthetic database (10,000 contacts, 30,000 threads, 100,000 interactions, "
        f"{main.followups:,} follow-ups, {main.planned} planned) | {main.seconds:.1f} s | | |",
        f"| `python -c pass`, for reference | {bare:.0f} ms | | |",
        f"| `tactful agenda --json`, new process ({items} items, {dormant} dormant threads) "
        f"| {cold:.0f} ms | ≤ {CLI_TARGET_MS:.0f} ms | {verdict(cold, CLI_TARGET_MS)} |",
        *layout,
        f"| `tactful agenda --json`, new process, keep-in-touch on ({KEPT:,} people tagged and on "
        f"`--every 2m --at-most 4m`: {losing:,} losing touch; {kept_items:,} items) "
        f"| {keeping:.0f} ms | ≤ {KEEP_TARGET_MS:.0f} ms | {verdict(keeping, KEEP_TARGET_MS)} |",
        f"| `tactful stats --json`, new process (every follow-up sent, over the whole history) "
        f"| {stats:.0f} ms | ≤ {STATS_TARGET_MS:.0f} ms | {verdict(stats, STATS_TARGET_MS)} |",
        f"| `reading.agenda(days=7)` in process | {in_process:.1f} ms | ≤ {AGENDA_TARGET_MS:.0f} ms "
        f"| {verdict(in_process, AGENDA_TARGET_MS)} |",
        f"| `Planner.after_interaction`: interview, two interviewers | {plain:,.0f} /s | | |",
        f"| ... one of them already has a check-in planned elsewhere | {guarded:,.0f} /s | | |",
        f"| `followups.log` (interview, two people) on an empty file | {empty:,.0f} /s | | |",
        f"| `followups.log` (interview, two people) on the 100,000-interaction file | {busy:,.0f} /s | | |",
        "",
        "Scaling: the same 300 planned follow-ups on ever longer histories.",
        "",
        *scaling(work, main, quick),
        "",
        f"Imports of `tactful agenda --json` (`python -X importtime`, median of 5 runs): {total_import:.0f} ms "
        f"in all, of which {bare_import:.0f} ms are the interpreter's own start-up. The largest:",
        "",
        "| Module | Imported through | Cumulative | Self |",
        "|---|---|---:|---:|",
        *(f"| `{name}` | {by} | {cum:.1f} ms | {own:.1f} ms |" for name, by, cum, own in imports),
    ]
    return "\n".join(lines)


def write(block: str) -> None:
    write_between(START, END, block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 1,000,000-interaction case")
    parser.add_argument("--write", action="store_true", help="put the tables into docs/performance.md")
    args = parser.parse_args()
    if not TACTFUL.exists():
        sys.exit(f"{TACTFUL} not found: run this with the project's interpreter (.venv/bin/python)")
    with tempfile.TemporaryDirectory(prefix="tactful-bench-") as tmp:
        block = measure(Path(tmp), args.quick)
    print("\n" + block)
    if args.write:
        write(block)
    if "| FAIL" in block or "(FAIL)" in block:
        sys.exit("a target was missed")


if __name__ == "__main__":
    main()
