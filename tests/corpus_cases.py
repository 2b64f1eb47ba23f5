"""The reviewer's corpora, read into cases: a draft, the context it is reviewed in, and what to expect.

Two corpora (tests/corpus/README.md):
- the project's own (`tests/corpus/good`, `bad`, `threads`), written with the checks;
- the written corpus (`tests/corpus/written/<batch>/good|bad|threads`), written by other hands in
  many voices without sight of the reviewer, split for good into a development set and a test set
  (`split`): the checks are tuned on the first only, and the second measures them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tactful.domain import Channel, Purpose
from tactful.review import Draft, Review, ReviewContext, Reviewer, Severity

CORPUS = Path(__file__).parent / "corpus"
WRITTEN = CORPUS / "written"
KEY_LINE = re.compile(r"#\s*([a-z-]+):\s?(.*)")
#: One case in three goes to the test set, by a hash of its name: stable, and blind to its content.
TEST_SHARE = 3


@dataclass
class Case:
    name: str  # "good/acme-thank-you-priya", or "written/a/good/a-thank-you-okafor"
    keys: dict[str, str]
    replaces: list[tuple[str, str]]
    siblings: list[tuple[str, str]]
    text: str
    expect: frozenset[str] = field(default_factory=frozenset)

    @property
    def good(self) -> bool:
        return "good/" in self.name

    @property
    def batch(self) -> Path:
        """The folder holding this case's good/, bad/ and threads/."""
        return CORPUS / self.name.rsplit("/", 2)[0] if self.name.startswith("written/") else CORPUS

    @property
    def split(self) -> str:
        """ "dev" or "test" for the written corpus; "own" for the project's."""
        if not self.name.startswith("written/"):
            return "own"
        digest = int(hashlib.sha256(self.name.encode()).hexdigest(), 16)
        return "test" if digest % TEST_SHARE == 0 else "dev"


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
    """One draft, with its thread and base (if any) folded in; `name` is relative to tests/corpus."""
    keys, replaces, siblings, text = _read(CORPUS / f"{name}.txt")
    root = CORPUS / name.rsplit("/", 2)[0] if name.startswith("written/") else CORPUS
    prefix = f"{name.rsplit('/', 2)[0]}/" if name.startswith("written/") else ""
    merged: dict[str, str] = {}
    if "base" in keys:
        base = load(prefix + keys["base"])
        merged |= base.keys
        siblings = siblings or base.siblings
        text = base.text
    elif "thread" in keys:
        merged |= _read(root / "threads" / f"{keys['thread']}.txt")[0]
    merged |= {k: v for k, v in keys.items() if k != "base"}
    for old, new in replaces:
        assert old in text, f"{name}: '{old}' is not in the base text"
        text = text.replace(old, new)
    siblings = [(who, other if other.startswith(prefix) else prefix + other) for who, other in siblings]
    expect = frozenset(code.strip() for code in merged.pop("expect", "").split(",") if code.strip())
    return Case(name, merged, replaces, siblings, text, expect)


def own() -> list[Case]:
    return [
        load(f"{kind}/{p.stem}") for kind in ("good", "bad") for p in sorted((CORPUS / kind).glob("*.txt"))
    ]


def written() -> list[Case]:
    found = []
    for batch in sorted(p for p in WRITTEN.iterdir() if p.is_dir()) if WRITTEN.is_dir() else []:
        for kind in ("good", "bad"):
            for path in sorted((batch / kind).glob("*.txt")):
                found.append(load(f"written/{batch.name}/{kind}/{path.stem}"))
    return found


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
    reachable = k.get("reachable")
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
        reachable=None if reachable is None else _yes(reachable),
    )
    return Draft.parse(case.text, channel), context


def bare(case: Case) -> tuple[Draft, ReviewContext]:
    """The draft with no context at all: what `tactful check FILE` sees."""
    draft, _ = draft_and_context(case)
    return draft, ReviewContext()


# -- scoring ----------------------------------------------------------------------------------------


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


@dataclass
class Measure:
    """How the reviewer does on a set of written cases, counting only findings that hold a message
    back (errors and warnings): a tip never costs a good message its verdict."""

    good: int = 0
    good_ready_in_context: int = 0
    good_ready_bare: int = 0
    bad: int = 0
    bad_caught: int = 0  # every code the case names fired, blocking
    codes: dict[str, Score] = field(default_factory=dict)

    @property
    def good_share(self) -> float:
        return self.good_ready_in_context / self.good if self.good else 1.0

    @property
    def good_bare_share(self) -> float:
        return self.good_ready_bare / self.good if self.good else 1.0

    @property
    def caught_share(self) -> float:
        return self.bad_caught / self.bad if self.bad else 1.0


def blocking(review: Review) -> set[str]:
    return {f.code for f in review.findings if f.severity is not Severity.TIP}


def measure(cases: list[Case], reviewer: Reviewer) -> Measure:
    """Good cases: ready in their context and bare. Bad cases: caught by the codes they name. Per code:
    a hit where a bad case names it and it fires; a false alarm where it fires on a good case; a miss
    where a bad case names it and it stays silent. (A bad case built for one fault may well have
    another, so a code firing on it unasked counts neither way.)"""
    result = Measure()
    for case in cases:
        fired = blocking(reviewer.review(*draft_and_context(case)))
        if case.good:
            result.good += 1
            result.good_ready_in_context += not fired
            result.good_ready_bare += not blocking(reviewer.review(*bare(case)))
            for code in fired:
                result.codes.setdefault(code, Score()).fp += 1
        else:
            result.bad += 1
            result.bad_caught += case.expect <= fired
            for code in case.expect:
                score = result.codes.setdefault(code, Score())
                if code in fired:
                    score.tp += 1
                else:
                    score.fn += 1
    return result
