"""Do the reviewer and the composer take time in proportion to their input?

    python bench/bench_linear.py [--write]

For each kind of pathological input a probe once used (a run of dashes, a word of 5,000 letters, a
hyphenated run, apostrophes, a long e-mail of ordinary sentences, a huge organisation name for the
composer), the time at one size and at ten times that size: best of three each, in one warm process.
Linear work takes about ten times as long; the target is at most fifteen times (the quadratic
patterns this guards against took 100 times as long, and more). `--write` puts the table into
docs/security.md between its `bench-linear:start` and `bench-linear:end` markers. Exit 1 when an
input misses the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tactful.domain import Channel  # noqa: E402
from tactful.review import Draft, default_reviewer  # noqa: E402
from tactful.service import Service, drafting  # noqa: E402
from tactful.service.followups import LogRequest, log  # noqa: E402
from tactful.store import open_store  # noqa: E402

DOC = ROOT / "docs" / "security.md"
MOST = 15.0

SENTENCE = "Thank you for the conversation about the billing pipeline and the backfills during the cut-over. "

#: name -> text of about `n` characters
REVIEWED: dict[str, Callable[[int], str]] = {
    "dashes": lambda n: "-" * n,
    "one long word": lambda n: "a" * n,
    "hyphenated run": lambda n: "a-" * (n // 2),
    "apostrophes": lambda n: "a'" * (n // 2),
    "at signs and dots": lambda n: "a@b." * (n // 4),
    "ordinary sentences": lambda n: "Dear Priya,\n\n" + SENTENCE * (n // len(SENTENCE)) + "\nBest,\nSam",
}


def best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def review_times(small: int) -> list[tuple[str, int, float, float]]:
    reviewer = default_reviewer()
    reviewer.review(Draft(channel=Channel.EMAIL, subject="Hi", body="warm up"))
    rows = []
    for name, make in REVIEWED.items():
        one, ten = make(small), make(small * 10)

        def timed(text: str) -> Callable[[], object]:
            return lambda: reviewer.review(Draft(channel=Channel.EMAIL, subject="Thank you", body=text))

        rows.append((f"review: {name}", len(one), best(timed(one)), best(timed(ten))))
    return rows


def draft_times(small: int) -> tuple[str, int, float, float]:
    """A draft whose thread's organisation is `small` characters long, and ten times that."""
    folder = Path(tempfile.mkdtemp(prefix="tactful-linear-"))
    now = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    service = Service(open_store(folder / "t.db"), now=now)
    logged = log(service, LogRequest("interview", ["Priya Natarajan", "Sam Lee"], org="Acme", title="Engineer",
                                     at="2026-03-02 10:00", email="priya@acme.example"))  # fmt: skip
    first = logged.change.added[0].id
    times = []
    for size in (small, small * 10):
        name = ("Acme Widgets " * (size // 13 + 1))[:size]
        service.store.conn.execute("UPDATE organisations SET name = ?", (name,))  # type: ignore[attr-defined]
        drafting.draft(service, first)  # warm: the same path, this size
        times.append(best(lambda: drafting.draft(service, first)))
    service.store.close()
    return ("draft: organisation of that many characters", small, times[0], times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="put the table into docs/security.md")
    args = parser.parse_args()
    rows = [*review_times(5_000), draft_times(1_600)]
    lines = ["| input | characters | time | at 10× | ratio | target |", "|---|---:|---:|---:|---:|---|"]
    missed = []
    for name, size, one, ten in rows:
        ratio = ten / one if one > 0 else float("inf")
        if ratio > MOST:
            missed.append(name)
        lines.append(
            f"| {name} | {size:,} | {one * 1000:.1f} ms | {ten * 1000:.1f} ms | {ratio:.1f}× | ≤ {MOST:.0f}× |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        from common import write_between

        write_between("<!-- bench-linear:start -->", "<!-- bench-linear:end -->", table, DOC)
    if missed:
        print(f"missed: {', '.join(missed)} grew faster than {MOST:.0f}× at ten times the input")
        sys.exit(1)


if __name__ == "__main__":
    main()
