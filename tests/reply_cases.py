"""The reply reader's corpus (tests/corpus/replies/README.md), read into cases.

Six groups, written without tuning to the rules in `tactful.formats.replies` and `tactful.formats.mail`:
- text cases, one JSON Lines file per group: "rejection" (rejections and tricky non-rejections),
  "later", "invitation" and "reply"; each is a reply as it arrived (quoted text and signature
  included, HTML when `html`), with the reading a person would give it;
- raw RFC 5322 messages (.eml) with an `index.json` per folder: "automatic" (out-of-office replies,
  bounces, list mail, other machines) and "quoted" (people's replies whose quoted part and signature
  `latest` must cut).

Every case is in the "tune" split (rules may be tuned on it) or the "test" split (held out: looked at
by nobody who tunes the rules, only measured).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus" / "replies"
TEXT_GROUPS = {
    "rejection": "rejections.jsonl",
    "later": "later.jsonl",
    "invitation": "invitations.jsonl",
    "reply": "replies.jsonl",
}
RAW_GROUPS = ("automatic", "quoted")
GROUPS = (*TEXT_GROUPS, *RAW_GROUPS)
KINDS = ("reply", "rejection", "later", "invitation")
AUTOMATIC = ("out-of-office", "bounce", "list", "auto")
SPLITS = ("tune", "test")
VOICES = (
    "warm",
    "curt",
    "corporate",
    "recruiter",
    "founder",
    "non-native",
    "typos",
    "other-language",
    "machine",
)


@dataclass(frozen=True)
class Case:
    id: str
    group: str
    split: str  # "tune" or "test"
    voice: str
    why: str
    kind: str | None = None  # the reading expected; None for the "automatic" group
    until: dt.date | None = None  # for "later": the day a person would expect to write again
    at: dt.datetime | None = None  # text cases: when the reply came (raw ones carry a Date header)
    text: str | None = None  # text cases: the message as it arrived
    html: bool = False  # the text is an HTML body
    path: Path | None = None  # raw cases: the .eml file
    automatic: str | None = None  # raw cases: the expected `Mail.automatic` (None: a person)
    back: dt.date | None = None  # out-of-office: the day its writer is back (None: it names none)
    failed: tuple[str, ...] = ()  # bounces: the recipients that could not be reached
    kept: str | None = None  # "quoted": what `latest` should keep

    @property
    def raw(self) -> bytes:
        assert self.path is not None, f"{self.id} is a text case"
        return self.path.read_bytes()

    @property
    def is_raw(self) -> bool:
        return self.path is not None


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _moment(value: str, where: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"{where}: give 'at' an offset"
    return moment


def _common(row: dict[str, Any], group: str, where: str) -> dict[str, Any]:
    split, voice = row["split"], row["voice"]
    assert split in SPLITS, f"{where}: split {split!r}"
    assert voice in VOICES, f"{where}: voice {voice!r}"
    return {"id": row["id"], "group": group, "split": split, "voice": voice, "why": row.get("why", "")}


def _text_cases(group: str, name: str) -> list[Case]:
    found = []
    for number, line in enumerate((CORPUS / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        row = json.loads(line)
        assert row["kind"] in KINDS, f"{where}: kind {row['kind']!r}"
        assert row["kind"] == "later" or row.get("until") is None, f"{where}: 'until' is for 'later' only"
        found.append(
            Case(
                **_common(row, group, where),
                kind=row["kind"],
                until=_date(row.get("until")),
                at=_moment(row["at"], where),
                text=row["text"],
                html=bool(row.get("html", False)),
            )
        )
    return found


def _raw_cases(group: str) -> list[Case]:
    folder = CORPUS / group
    found = []
    for row in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        where = f"{group}/{row['file']}"
        path = folder / row["file"]
        assert path.is_file(), f"{where}: no such file"
        automatic = row.get("automatic")
        assert automatic is None or automatic in AUTOMATIC, f"{where}: automatic {automatic!r}"
        kind = row.get("kind")
        assert kind is None or kind in KINDS, f"{where}: kind {kind!r}"
        found.append(
            Case(
                **_common(row, group, where),
                kind=kind,
                until=_date(row.get("until")),
                path=path,
                automatic=automatic,
                back=_date(row.get("back")),
                failed=tuple(row.get("failed", ())),
                kept=row.get("kept"),
            )
        )
    return found


@cache
def _all() -> tuple[Case, ...]:
    found = [case for group, name in TEXT_GROUPS.items() for case in _text_cases(group, name)]
    found += [case for group in RAW_GROUPS for case in _raw_cases(group)]
    ids = [case.id for case in found]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    return tuple(found)


def cases(group: str | None = None, split: str | None = None) -> list[Case]:
    """The corpus's cases, of one group and one split when given."""
    assert group is None or group in GROUPS, f"no group {group!r}: {GROUPS}"
    assert split is None or split in SPLITS, f"no split {split!r}: {SPLITS}"
    return [c for c in _all() if (group is None or c.group == group) and (split is None or c.split == split)]
