"""Cold commands for the messages: `tactful check draft.txt --json` and `tactful draft ID --json`.

Run from the repository root with the project's interpreter: `python bench/bench_cold.py [--runs N] [--write]`.
Each figure is the median wall time of N new processes (default 7) after one warm-up run, through
the installed `tactful` script, with `PYTHONDONTWRITEBYTECODE` removed from the environment so that
bytecode is cached as on a user's machine, and a cache folder of its own (`TACTFUL_CACHE`), which the
warm-up run fills with the reviewer's word list; `check` is also timed with that folder emptied
before each run, as the first time on a new machine. The database is a new file in a temporary directory:
`draft` gets a follow-up to write by logging an interview two hours ago first. `--write` puts the
table into `docs/performance.md` between its `bench-cold:start` and `bench-cold:end` markers.
Targets: `check` at most 400 ms, `draft` at most 500 ms; the script exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SAMPLE_EMAIL, write_between

TACTFUL = Path(sys.executable).parent / "tactful"
START, END = "<!-- bench-cold:start -->", "<!-- bench-cold:end -->"
CHECK_TARGET_MS, DRAFT_TARGET_MS = 400.0, 500.0
TIMEOUT_S = 30

DRAFT = SAMPLE_EMAIL


def user_env(db: Path) -> dict[str, str]:
    """A user's shell: bytecode caches allowed, the database given by TACTFUL_DB, and a cache
    folder of its own (TACTFUL_CACHE), empty until the first command fills it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TACTFUL_DB"] = str(db)
    env["TACTFUL_CACHE"] = str(db.parent / "cache")
    return env


def first_run_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of `command` as on a new machine: the cache folder emptied before each run."""
    times = []
    for _ in range(runs):
        shutil.rmtree(env["TACTFUL_CACHE"], ignore_errors=True)
        started = time.perf_counter()
        run(command, env)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(command: list[str], env: dict[str, str]) -> str:
    """Run `command` to completion (no terminal on stdin) and return what it printed."""
    done = subprocess.run(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def median_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of `runs` new processes running `command`, after one warm-up run."""
    run(command, env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run(command, env)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def prepare(db: Path, env: dict[str, str]) -> int:
    """A profile and one logged interview in the file at `db`; the id of its thank-you follow-up."""
    run([str(TACTFUL), "profile", "--name", "Sam Lee", "--tz", "Europe/London", "--country", "GB"], env)
    at = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    logged = json.loads(
        run(
            [
                *(
                    str(TACTFUL),
                    "log",
                    "interview",
                    "--with",
                    "Priya Natarajan",
                    "--email",
                    "priya@acme.example",
                ),
                *("--org", "Acme Robotics", "--for", "Data Engineer", "--at", at, "--json"),
                *(
                    "--topic",
                    "billing pipeline migration to Kafka",
                    "--topic",
                    "backfills during the cut-over",
                ),
            ],
            env,
        )
    )
    return next(f["id"] for f in logged["followups"] if f["purpose"] == "thank-you")


def measure(work: Path, runs: int) -> tuple[str, bool]:
    """Every measurement; the Markdown block for the markers, and whether every target was met."""
    db = work / "cold.db"
    env = user_env(db)
    followup = prepare(db, env)
    draft_file = work / "draft.txt"
    draft_file.write_text(DRAFT, encoding="utf-8")
    words = len(DRAFT.split("\n\n", 1)[1].split())
    check_cmd = [str(TACTFUL), "check", str(draft_file), "--json"]
    draft_cmd = [str(TACTFUL), "draft", str(followup), "--json"]
    verdicts = (
        json.loads(run(check_cmd, env))["verdict"],
        json.loads(run(draft_cmd, env))["review"]["verdict"],
    )
    bare = median_ms([sys.executable, "-c", "pass"], env, runs)
    first = first_run_ms(check_cmd, env, runs)
    check = median_ms(check_cmd, env, runs)
    draft = median_ms(draft_cmd, env, runs)
    print(f"check {check:.0f} ms, draft {draft:.0f} ms, python -c pass {bare:.0f} ms", flush=True)
    met = check <= CHECK_TARGET_MS and draft <= DRAFT_TARGET_MS

    def verdict(value: float, target: float) -> str:
        return "pass" if value <= target else "FAIL"

    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"median of {runs} new processes after one warm-up.",
        "",
        "| Measure | Figure | Target | Result |",
        "|---|---:|---:|---|",
        f"| `python -c pass`, for reference | {bare:.0f} ms | | |",
        f"| `tactful check draft.txt --json` ({words}-word email, verdict: {verdicts[0]}) "
        f"| {check:.0f} ms | ≤ {CHECK_TARGET_MS:.0f} ms | {verdict(check, CHECK_TARGET_MS)} |",
        f"| ... the first time on a new machine, which also caches the word list | {first:.0f} ms | once | |",
        f"| `tactful draft ID --json` (a thank-you after an interview, verdict: {verdicts[1]}) "
        f"| {draft:.0f} ms | ≤ {DRAFT_TARGET_MS:.0f} ms | {verdict(draft, DRAFT_TARGET_MS)} |",
    ]
    return "\n".join(lines), met


def write(block: str) -> None:
    write_between(START, END, block)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs of each command (default 7, at least 5)"
    )
    parser.add_argument("--write", action="store_true", help="put the table into docs/performance.md")
    args = parser.parse_args()
    if not TACTFUL.exists():
        sys.exit(f"{TACTFUL} not found: run this with the project's interpreter (.venv/bin/python)")
    with tempfile.TemporaryDirectory(prefix="tactful-bench-") as tmp:
        block, met = measure(Path(tmp), max(5, args.runs))
    print("\n" + block)
    if args.write:
        write(block)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
