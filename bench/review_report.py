"""Print the reviewer's precision and recall per finding code over the test corpus, in Markdown.

    python bench/review_report.py

The corpus lives in tests/corpus (see its README); the scoring is the one tests/test_review_corpus.py
asserts on: a hit where a bad draft expects a code and gets it, a false alarm where a code fires on
a draft (good or bad) that does not expect it, a miss where an expected code stays silent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("review_corpus", ROOT / "tests" / "test_review_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    corpus = _corpus_module()
    results = corpus.reviewed()
    good = [case for case, _ in results if case.good]
    ready = sum(1 for case, review in results if case.good and review.verdict == "ready")
    print(f"Corpus: {len(good)} good drafts ({ready} ready), {len(results) - len(good)} bad drafts.\n")
    print("| code | drafts built to trip it | hits | false alarms | misses | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0]
    for code, score in corpus.score(results).items():
        built = sum(1 for case, _ in results if code in case.expect)
        totals = [totals[0] + score.tp, totals[1] + score.fp, totals[2] + score.fn]
        row = f"| `{code}` | {built} | {score.tp} | {score.fp} | {score.fn} "
        print(row + f"| {score.precision:.2f} | {score.recall:.2f} |")
    tp, fp, fn = totals
    print(f"| all codes | | {tp} | {fp} | {fn} | {tp / (tp + fp):.2f} | {tp / (tp + fn):.2f} |")


if __name__ == "__main__":
    main()
