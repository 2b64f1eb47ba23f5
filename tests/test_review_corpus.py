"""The reviewer against a corpus of good and bad follow-ups (see tests/corpus/README.md).

Every good draft must come back `ready`; every bad one must trip the codes it was built to trip; and,
across the whole corpus, each code must keep a precision and a recall of at least 0.95.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tactful.domain import Channel, Purpose
from tactful.review import CODES, Draft, Review, ReviewContext, Reviewer

CORPUS = Path(__file__).parent / "corpus"
LISTS = {"topics", "notes", "others", "other-orgs", "skills", "vocabulary", "recent"}
KEY_LINE = re.compile(r"#\s*([a-z-]+):\s?(.*)")


@dataclass
class Case:
    name: str  # "good/acme-thank-you-priya"
    keys: dict[str, str]
    replaces: list[tuple[str, str]]
    siblings: list[tuple[str, str]]
    text: str
    expect: frozenset[str] = field(default_factory=frozenset)

    @property
    def good(self) -> bool:
        return self.name.startswith("good/")


def _read(path: Path) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]], str]:
    keys: dict[str, str] = {}
    replaces: list[tuple[str, str]] = []
    siblings: list[tuple[str, str]] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        if match := KEY_LINE.fullmatch(lines[start].rstrip()):
            key, value = match[1], match[2].strip()
            if key == "replace":
                old, _, new = value.partition(" =>")
                new = new.removeprefix(" ")
                replaces.append((old.replace("\\n", "\n"), new.replace("\\n", "\n")))
            elif key == "sibling":
                name, other = value.split(" = ", 1)
                siblings.append((name.strip(), other.strip()))
            else:
                keys[key] = value
        start += 1
    return keys, replaces, siblings, "\n".join(lines[start:])


@cache
def load(name: str) -> Case:
    """One draft of the corpus, with its thread and base (if any) folded in."""
    keys, replaces, siblings, text = _read(CORPUS / f"{name}.txt")
    merged: dict[str, str] = {}
    if "base" in keys:
        base = load(keys["base"])
        merged |= base.keys
        siblings = siblings or base.siblings
        text = base.text
    elif "thread" in keys:
        merged |= _read(CORPUS / "threads" / f"{keys['thread']}.txt")[0]
    merged |= {k: v for k, v in keys.items() if k != "base"}
    for old, new in replaces:
        assert old in text, f"{name}: '{old}' is not in the base text"
        text = text.replace(old, new)
    expect = frozenset(code.strip() for code in merged.pop("expect", "").split(",") if code.strip())
    return Case(name, merged, replaces, siblings, text, expect)


def corpus() -> list[Case]:
    return [
        load(f"{kind}/{path.stem}")
        for kind in ("good", "bad")
        for path in sorted((CORPUS / kind).glob("*.txt"))
    ]


def _yes(value: str | None) -> bool:
    return (value or "no").strip().lower() in ("yes", "true", "1")


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.strip())
    assert moment.tzinfo is not None, f"{value}: give the offset"
    return moment


def draft_and_context(case: Case) -> tuple[Draft, ReviewContext]:
    k = case.keys
    channel = Channel(k.get("channel", "email"))
    window = [_moment(part) for part in k["window"].split("..")] if "window" in k else [None, None]
    siblings = tuple((name, load(other).text) for name, other in case.siblings)
    context = ReviewContext(
        recipient_name=k.get("recipient"),
        recipient_org=k.get("org"),
        role=k.get("role"),
        purpose=Purpose(k["purpose"]) if "purpose" in k else None,
        nudge=_yes(k.get("nudge")),
        job_thread=_yes(k.get("job")),
        topics=_list(k.get("topics")),
        notes=_list(k.get("notes")),
        other_names=_list(k.get("others")),
        other_orgs=_list(k.get("other-orgs")),
        not_before=window[0],
        due_by=window[1],
        now=_moment(k["now"]) if "now" in k else None,
        nudges_sent=int(k.get("sent", "0")),
        cap=int(k["cap"]) if "cap" in k else None,
        rejected=_yes(k.get("rejected")),
        other_channel_recently=_list(k.get("recent")),
        sibling_texts=siblings,
        user_name=k.get("user"),
        signature=k.get("signature"),
        skills=_list(k.get("skills")),
        vocabulary=_list(k.get("vocabulary")),
        linkedin_free=_yes(k.get("linkedin-free")),
    )
    return Draft.parse(case.text, channel), context


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(results: Iterable[tuple[Case, Review]]) -> dict[str, Score]:
    """Per code: a hit where a draft expects it and gets it; a false alarm where it fires unasked."""
    scores = {code: Score() for code in CODES}
    for case, review in results:
        fired = review.codes
        for code in CODES:
            if code in fired and code in case.expect:
                scores[code].tp += 1
            elif code in fired:
                scores[code].fp += 1
            elif code in case.expect:
                scores[code].fn += 1
    return scores


@cache
def reviewer() -> Reviewer:
    return Reviewer()


@cache
def reviewed() -> list[tuple[Case, Review]]:
    return [(case, reviewer().review(*draft_and_context(case))) for case in corpus()]


def _describe(review: Review) -> str:
    return "; ".join(f"{f.code} ({f.severity}): {f.message} [{f.excerpt}]" for f in review.findings)


CASES = corpus()


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=lambda c: c.name)
def test_good_drafts_are_ready(case: Case) -> None:
    review = reviewer().review(*draft_and_context(case))
    assert review.verdict == "ready", _describe(review)
    assert not review.findings, _describe(review)


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=lambda c: c.name)
def test_bad_drafts_trip_their_code(case: Case) -> None:
    assert case.expect, f"{case.name}: say which code it should trip with '# expect:'"
    assert case.expect <= set(CODES), f"{case.name}: unknown code in {sorted(case.expect)}"
    review = reviewer().review(*draft_and_context(case))
    assert case.expect <= review.codes, _describe(review)


def test_corpus_size_and_coverage() -> None:
    good = [c for c in CASES if c.good]
    bad = [c for c in CASES if not c.good]
    assert len(good) >= 40 and len(bad) >= 60
    assert {Purpose(c.keys["purpose"]) for c in good if "purpose" in c.keys} == set(Purpose)
    assert {c.keys.get("channel", "email") for c in good} == {str(ch) for ch in Channel}
    covered = Counter(code for c in bad for code in c.expect)
    assert set(covered) == set(CODES), f"codes without a bad draft: {set(CODES) - set(covered)}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_precision_and_recall(code: str) -> None:
    result = score(reviewed())[code]
    assert result.precision >= 0.95, f"{code}: precision {result.precision:.2f} ({result.fp} false alarms)"
    assert result.recall >= 0.95, f"{code}: recall {result.recall:.2f} ({result.fn} missed)"
