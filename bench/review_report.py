"""Print how the reviewer does on its corpora, in Markdown, for docs/reviewer.md.

    python bench/review_report.py

The corpora live in tests/corpus (see its README). The project's own corpus is scored as
tests/test_review_corpus.py asserts: a hit where a bad draft expects a code and gets it (any severity),
a false alarm where a code fires on a draft (good or bad) that does not expect it, a miss where an
expected code stays silent. The written corpus is scored on findings that hold a message back (errors
and warnings), for its development and test splits apart (tests/corpus_cases.py, `measure`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.corpus_cases import measure, written  # noqa: E402
from tests.test_review_corpus import reviewed, score  # noqa: E402

from tactful.review import CODES, Reviewer  # noqa: E402


def own_table() -> None:
    results = reviewed()
    good = [case for case, _ in results if case.good]
    ready = sum(1 for case, review in results if case.good and review.verdict == "ready")
    print(f"Own corpus: {len(good)} good drafts ({ready} ready), {len(results) - len(good)} bad drafts.\n")
    print("| code | drafts built to trip it | hits | false alarms | misses | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0]
    for code, result in score(results).items():
        built = sum(1 for case, _ in results if code in case.expect)
        totals = [totals[0] + result.tp, totals[1] + result.fp, totals[2] + result.fn]
        row = f"| `{code}` | {built} | {result.tp} | {result.fp} | {result.fn} "
        print(row + f"| {result.precision:.2f} | {result.recall:.2f} |")
    tp, fp, fn = totals
    print(f"| all codes | | {tp} | {fp} | {fn} | {tp / (tp + fp):.2f} | {tp / (tp + fn):.2f} |")


def written_tables() -> None:
    reviewer = Reviewer()
    cases = written()
    results = {split: measure([c for c in cases if c.split == split], reviewer) for split in ("dev", "test")}
    print("| split | good | ready in context | ready bare | bad | caught by their code |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for split, m in results.items():
        print(
            f"| {split} | {m.good} | {m.good_ready_in_context} ({m.good_share:.1%}) "
            f"| {m.good_ready_bare} ({m.good_bare_share:.1%}) | {m.bad} | {m.bad_caught} ({m.caught_share:.1%}) |"
        )
    print()
    print(
        "| code | dev: bad | hits | false alarms on good | precision | recall "
        "| test: bad | hits | false alarms on good | precision | recall |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for code in CODES:
        cells = []
        for split in ("dev", "test"):
            found = results[split].codes.get(code)
            if found is None:
                cells.append("| 0 | 0 | 0 | | ")
                continue
            built = found.tp + found.fn
            cells.append(
                f"| {built} | {found.tp} | {found.fp} | {found.precision:.2f} | {found.recall:.2f} "
                if built or found.fp
                else "| 0 | 0 | 0 | | "
            )
        print(f"| `{code}` " + "".join(cells) + "|")


def main() -> None:
    own_table()
    print()
    written_tables()


if __name__ == "__main__":
    main()
