"""How fast is the reviewer? Warm review of a 150-word email, and a cold process doing one review.

    python bench/bench_review.py [--runs N]

Warm: one Reviewer, every check on (a full context, with a sibling text to compare), median over
many reviews. Cold: `python -c` importing tactful.review, building a Reviewer and reviewing the same
draft, median wall time of 5 runs, with bytecode caching on as in normal use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from common import SAMPLE_EMAIL  # noqa: E402

from tactful.domain import Purpose  # noqa: E402
from tactful.review import Draft, ReviewContext, Reviewer  # noqa: E402

EMAIL = SAMPLE_EMAIL

SIBLING = """Hi Marcus,

Thanks for the technical conversation this afternoon. I appreciated how candidly you walked me
through the alerting gaps in the nightly batch jobs, especially the failures at month end.

Best,
Sam
"""

NOW = dt.datetime(2026, 3, 3, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))

CONTEXT = ReviewContext(
    recipient_name="Priya Natarajan",
    recipient_org="Acme Robotics",
    role="Data Engineer",
    purpose=Purpose.THANK_YOU,
    job_thread=True,
    topics=("billing pipeline migration to Kafka", "backfills during the cut-over"),
    notes=("Priya asked how I would handle backfills during the cut-over",),
    other_names=("Marcus Webb", "Dana Ortiz"),
    other_orgs=("Globex", "Lumen Health"),
    not_before=NOW - dt.timedelta(hours=5),
    due_by=NOW + dt.timedelta(hours=19),
    now=NOW,
    sibling_texts=(("Marcus Webb", SIBLING),),
    user_name="Sam Lee",
    skills=("Kafka", "Airflow"),
)

COLD = f"""
import datetime as dt
from tactful.domain import Purpose
from tactful.review import Draft, ReviewContext, Reviewer
text = {EMAIL!r}
context = ReviewContext(recipient_name="Priya Natarajan", recipient_org="Acme Robotics", role="Data Engineer",
                        purpose=Purpose.THANK_YOU, job_thread=True, topics=("billing pipeline migration",),
                        other_names=("Marcus Webb",), other_orgs=("Globex",), user_name="Sam Lee")
assert Reviewer().review(Draft.parse(text), context).verdict == "ready"
"""


def warm(runs: int) -> tuple[float, float, int]:
    reviewer = Reviewer()
    draft = Draft.parse(EMAIL)
    first = reviewer.review(draft, CONTEXT)
    assert first.verdict == "ready", first.to_dict()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reviewer.review(Draft.parse(EMAIL), CONTEXT)
        times.append(time.perf_counter() - start)
    words = len(draft.body.split())
    return statistics.median(times) * 1000, max(times) * 1000, words


def cold(runs: int = 5) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")

    def wall(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        return time.perf_counter() - start

    wall(COLD)  # the first run writes the bytecode caches
    review = statistics.median(wall(COLD) for _ in range(runs)) * 1000
    bare = statistics.median(wall("pass") for _ in range(runs)) * 1000
    return review, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="warm reviews to time (default 500)")
    args = parser.parse_args()
    median, worst, words = warm(args.runs)
    cold_ms, bare_ms = cold()
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    print(
        f"| warm review, {words}-word email, median of {args.runs} | {median:.2f} ms (worst {worst:.1f}) | ≤ 10 ms |"
    )
    print(f"| cold `python -c` full review, median of 5 | {cold_ms:.0f} ms | ≤ 400 ms |")
    print(f"| of which bare interpreter start | {bare_ms:.0f} ms | |")


if __name__ == "__main__":
    main()
