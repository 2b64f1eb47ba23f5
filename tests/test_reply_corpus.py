"""The reply reader and the mail parser against the reply corpus (tests/corpus/replies/README.md).

Every case is run through what tactful does with a reply: a raw message through `parse`, every text
through `latest` (quoted text and signature cut), then `read`; an out-of-office through `back_on`.
Per split, `pytest -s` prints a table of precision and recall per kind, and the accuracy of the
machine verdict, of out-of-office return dates, of bounced recipients, of "later" dates and of
`latest`.

The targets are asserted on the "tune" split only. The "test" split is held out: the same targets are
measured by a test of its own, expected to fail for now (xfail), and its failures are never listed,
so that nobody tunes the rules on it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pytest

from tactful.formats.away import back_on
from tactful.formats.mail import Mail, html_text, latest, parse
from tactful.formats.replies import Reading, read
from tests.reply_cases import GROUPS, KINDS, SPLITS, Case, cases

REJECTION_PRECISION = 0.95
KIND_RECALL = 0.80
AUTOMATIC_ACCURACY = 0.95
RETURN_DATE_ACCURACY = 0.80


@dataclass(frozen=True)
class Outcome:
    """What tactful made of one case."""

    case: Case
    reading: Reading | None = None  # None for the "automatic" group
    mail: Mail | None = None  # raw cases
    back: dt.date | None = None  # out-of-office cases
    kept: str | None = None  # "quoted" cases: what `latest` kept

    @property
    def kind_right(self) -> bool:
        return self.reading is not None and self.reading.kind == self.case.kind

    @property
    def until_right(self) -> bool:
        """A "later" date is right within three days, or within 15% of the wait when that is more
        ("next month" read as the 1st or the 3rd is the same advice); no date is right only when
        none was expected."""
        assert self.reading is not None
        expected, actual = self.case.until, self.reading.until
        if expected is None or actual is None:
            return expected == actual
        start = (
            self.case.at.date()
            if self.case.at
            else self.mail.at.date()
            if self.mail and self.mail.at
            else expected
        )
        slack = max(3, round(0.15 * (expected - start).days))
        return abs((actual - expected).days) <= slack

    @property
    def automatic_right(self) -> bool:
        return self.mail is not None and self.mail.automatic == self.case.automatic

    @property
    def kept_right(self) -> bool:
        return _words(self.kept) == _words(self.case.kept)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def run(case: Case) -> Outcome:
    if case.is_raw:
        mail = parse(case.raw)
        assert mail.at is not None, f"{case.id}: no readable Date header"
        kept = latest(mail.text)
        reading = read(kept, mail.at) if case.kind is not None else None
        back = back_on(mail.text, mail.at) if case.automatic == "out-of-office" else None
        return Outcome(case, reading, mail, back, kept if case.kept is not None else None)
    assert case.text is not None and case.at is not None
    text = html_text(case.text) if case.html else case.text
    return Outcome(case, read(latest(text), case.at))


@cache
def outcomes(split: str) -> list[Outcome]:
    return [run(case) for case in cases(split=split)]


# -- measuring ------------------------------------------------------------------------------------------


@dataclass
class KindScore:
    expected: int = 0
    read: int = 0
    hits: int = 0

    @property
    def precision(self) -> float:
        return self.hits / self.read if self.read else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0


@dataclass
class Share:
    right: int = 0
    total: int = 0
    wrong: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome, right: bool) -> None:
        self.total += 1
        self.right += right
        if not right:
            self.wrong.append(outcome)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total} ({self.value:.2f})"


@dataclass
class Measure:
    kinds: dict[str, KindScore]
    confusion: Counter[tuple[str, str]]
    until: Share
    automatic: Share
    automatic_confusion: Counter[tuple[str, str]]
    back: Share
    failed: Share
    kept: Share


def measure(results: list[Outcome]) -> Measure:
    kinds = {kind: KindScore() for kind in KINDS}
    confusion: Counter[tuple[str, str]] = Counter()
    automatic_confusion: Counter[tuple[str, str]] = Counter()
    until, automatic, back, failed, kept = Share(), Share(), Share(), Share(), Share()
    for o in results:
        case = o.case
        if case.kind is not None and o.reading is not None:
            kinds[case.kind].expected += 1
            kinds[o.reading.kind].read += 1
            kinds[case.kind].hits += o.kind_right
            confusion[case.kind, o.reading.kind] += 1
            if case.kind == "later" and o.reading.kind == "later":
                until.add(o, o.until_right)
        if o.mail is not None:
            automatic.add(o, o.automatic_right)
            automatic_confusion[str(case.automatic), str(o.mail.automatic)] += 1
            if case.automatic == "out-of-office":
                back.add(o, o.back == case.back)
            if case.automatic == "bounce":
                failed.add(o, o.mail.failed == case.failed)
            if case.kept is not None:
                kept.add(o, o.kept_right)
    return Measure(kinds, confusion, until, automatic, automatic_confusion, back, failed, kept)


def table(split: str, m: Measure) -> str:
    lines = [
        f"\n== reply corpus, {split} split ({len(cases(split=split))} cases) ==",
        f"{'kind':<12}{'expected':>9}{'read':>6}{'hits':>6}{'precision':>11}{'recall':>8}",
    ]
    for kind, s in m.kinds.items():
        lines.append(f"{kind:<12}{s.expected:>9}{s.read:>6}{s.hits:>6}{s.precision:>11.2f}{s.recall:>8.2f}")
    lines.append(
        "expected -> read: "
        + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(m.confusion.items()) if a != b)
    )
    lines.append(f"'later' dates (of those read 'later'): {m.until}")
    lines.append(f"automatic verdict (every .eml): {m.automatic}")
    lines.append(
        "  expected -> parsed: "
        + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(m.automatic_confusion.items()) if a != b)
    )
    lines.append(f"out-of-office return date: {m.back}")
    lines.append(f"bounce failed recipients: {m.failed}")
    lines.append(f"latest() kept text: {m.kept}")
    return "\n".join(lines)


def _said(o: Outcome) -> str:
    return f" [{o.reading.said}]" if o.reading and o.reading.said else ""


def failures(m: Measure, results: list[Outcome]) -> str:
    lines = ["-- failures --"]
    for o in results:
        c = o.case
        if c.kind is not None and o.reading is not None and not o.kind_right:
            lines.append(f"kind   {c.id}: expected {c.kind}, read {o.reading.kind}{_said(o)} — {c.why}")
    lines += [
        f"until  {o.case.id}: expected {o.case.until}, read {o.reading.until if o.reading else None}{_said(o)}"
        for o in m.until.wrong
    ]
    lines += [
        f"auto   {o.case.id}: expected {o.case.automatic}, parsed {o.mail.automatic if o.mail else None} — {o.case.why}"
        for o in m.automatic.wrong
    ]
    lines += [
        f"back   {o.case.id}: expected {o.case.back}, back_on {o.back} — {o.case.why}" for o in m.back.wrong
    ]
    lines += [
        f"failed {o.case.id}: expected {list(o.case.failed)}, parsed {list(o.mail.failed) if o.mail else None}"
        for o in m.failed.wrong
    ]
    lines += [f"kept   {o.case.id}: kept {o.kept!r}" for o in m.kept.wrong]
    return "\n".join(lines)


def shortfalls(m: Measure) -> list[str]:
    found = []
    rejection = m.kinds["rejection"]
    if rejection.precision < REJECTION_PRECISION:
        found.append(f"rejection precision {rejection.precision:.2f} < {REJECTION_PRECISION}")
    found += [
        f"{kind} recall {s.recall:.2f} < {KIND_RECALL}"
        for kind, s in m.kinds.items()
        if s.recall < KIND_RECALL
    ]
    if m.automatic.value < AUTOMATIC_ACCURACY:
        found.append(f"automatic accuracy {m.automatic.value:.2f} < {AUTOMATIC_ACCURACY}")
    if m.back.value < RETURN_DATE_ACCURACY:
        found.append(f"out-of-office date accuracy {m.back.value:.2f} < {RETURN_DATE_ACCURACY}")
    return found


# -- the tests --------------------------------------------------------------------------------------------


def test_corpus_size_and_coverage() -> None:
    every = cases()
    assert len(every) >= 200
    count = Counter(c.group for c in every)
    assert count["rejection"] >= 60 and count["later"] >= 35 and count["invitation"] >= 35
    assert count["reply"] >= 40 and count["automatic"] >= 25 and count["quoted"] >= 15
    assert sum(c.kind != "rejection" for c in cases("rejection")) >= 15, "tricky non-rejections"
    assert {c.automatic for c in cases("automatic")} == {"out-of-office", "bounce", "list", "auto"}
    assert all(c.automatic is None and c.kept for c in cases("quoted"))
    assert 0.35 <= len(cases(split="test")) / len(every) <= 0.45
    for group in GROUPS:
        tune = {c.voice for c in cases(group, "tune")}
        test = {c.voice for c in cases(group, "test")}
        assert tune == test, f"{group}: voices in one split only: {sorted(tune ^ test)}"
    for kind in KINDS:
        assert all(any(c.kind == kind for c in cases(split=s)) for s in SPLITS), kind
    for automatic in ("out-of-office", "bounce", "list", "auto"):
        assert all(any(c.automatic == automatic for c in cases("automatic", s)) for s in SPLITS), automatic


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.id)
def test_every_case_is_read(case: Case) -> None:
    """Whatever the verdict, reading never fails and gives a known kind."""
    outcome = run(case)
    if outcome.reading is not None:
        assert outcome.reading.kind in KINDS
        assert outcome.reading.until is None or outcome.reading.kind == "later"


def test_tune_split_meets_the_targets() -> None:
    results = outcomes("tune")
    m = measure(results)
    print(table("tune", m))
    print(failures(m, results))
    missed = shortfalls(m)
    assert not missed, "tune split: " + "; ".join(missed) + " (run with -s for the cases)"


@pytest.mark.xfail(reason="held-out split: measured with the same targets, not yet required", strict=False)
def test_held_out_split_meets_the_targets() -> None:
    m = measure(outcomes("test"))
    print(table("test", m))
    missed = shortfalls(m)
    assert not missed, "test split: " + "; ".join(missed)
