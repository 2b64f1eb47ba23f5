"""What the fuzz targets share: their settings, the databases they spoil, the check that an input
was either done or refused with nothing written, and what odd text and files are made of.

The targets (`test_fuzz_imports`, `test_fuzz_backup`, `test_fuzz_review`, `test_fuzz_api`): whatever
hypothesis makes of their input, every importer, the backup reader, the reviewer and the JSON API
either do their work or refuse it, and refusing leaves the database as it was.

Each target asserts the same three things of every input: no traceback (the formats and the
service raise only `TactfulError`, in one line; the API answers a 4xx with a JSON {"error": ...},
never a 500), no hang (`no_hang`, an alarm far beyond what linear work takes, never a timing), and
no partial write (a `snapshot` of every row before and after a refusal). The runs are bounded and
derandomized so that they fit in `make test` and a red run always means a change broke something.
Crashes they found are kept as `@example`s.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

from tactful.errors import TactfulError
from tactful.service import Service
from tactful.service import transfer as exchange
from tactful.service.demo import load_sample
from tactful.service.profile import update_profile
from tactful.store import open_store

from .snapshots import snapshot
from .test_backup import valid_backup
from .test_hardening import no_hang

NOW = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)
#: Every target: the same examples on every run, no example database, no deadline (the alarm of
#: `no_hang` stands for one), and no complaint about large or slow inputs (they are the point).
SLOW_IS_FINE = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]


#: `TACTFUL_FUZZ_SCALE=20 pytest tests/test_fuzz_*.py`: twenty times the examples, new ones on each run
#: (not derandomized), for a longer hunt on a developer's machine; `make test` runs the fixed set.
SCALE = int(os.environ.get("TACTFUL_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=SLOW_IS_FINE,
    )


# -- databases to spoil ----------------------------------------------------------------------------------
_FOLDER = Path(tempfile.mkdtemp(prefix="tactful-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)


@functools.cache
def seeded() -> Path:
    """A database holding the sample history: imports merge into it, the API's ids name its rows."""
    db = _FOLDER / "seeded.db"
    service = Service(open_store(db), now=NOW)
    update_profile(
        service, name="Robin Vale", email="robin.vale@example.net", tz="Europe/London", country="GB"
    )
    load_sample(service)
    service.store.close()
    return db


@functools.cache
def empty() -> Path:
    db = _FOLDER / "empty.db"
    open_store(db).close()
    return db


@functools.cache
def restored() -> Path:
    """A database restored from the rich backup of `test_backup`: a restore with --replace spoils it."""
    db, backup = _FOLDER / "restored.db", _FOLDER / "valid.json"
    backup.write_text(json.dumps(valid_backup(), ensure_ascii=False), encoding="utf-8")
    service = Service(open_store(db), now=NOW)
    exchange.import_json(service, backup)
    service.store.close()
    return db


@contextmanager
def copy_of(db: Path) -> Iterator[Path]:
    """A copy of `db` (closed, so its write-ahead log is in the file) for one example to write to."""
    with tempfile.TemporaryDirectory(prefix="tactful-fuzz-") as folder:
        target = Path(folder) / "t.db"
        shutil.copyfile(db, target)
        yield target


def refused_or_done(db: Path, work: Callable[[Service], Any], writes: bool = True) -> Any:
    """`work` on a service over `db`: its result, or the `TactfulError` it raised, in one line and
    with every row as it was. `writes=False`: a success must leave every row as it was too."""
    before = snapshot(db)
    service = Service(open_store(db), now=NOW)
    try:
        with no_hang():
            outcome: Any = work(service)
    except TactfulError as exc:
        outcome = exc
        assert exc.message.strip() and len(exc.message.splitlines()) == 1, repr(exc.message)
    finally:
        service.store.close()
    if currently_in_test_context():  # what the inputs came to: `pytest --hypothesis-show-statistics`
        event(
            f"refused ({type(outcome).__name__})"
            if isinstance(outcome, TactfulError)
            else f"done: {kind(outcome)}"
        )
    if isinstance(outcome, TactfulError) or not writes:
        assert snapshot(db) == before
    return outcome


def kind(outcome: Any) -> str:
    """What a successful import did, for the statistics (`--hypothesis-show-statistics`)."""
    if isinstance(outcome, exchange.ImportReport):
        return f"{outcome.count('created') + outcome.count('updated')} written, {len(outcome.problems)} bad"
    if isinstance(outcome, exchange.EventReport):
        return f"{len(outcome.logged)} logged, {len(outcome.problems)} bad"
    return type(outcome).__name__


# -- what files are made of -------------------------------------------------------------------------------
#: Characters and runs that trip readers: NUL, every line break, quotes, marks, emoji, escapes.
ODD = [
    "", " ", "\x00", "\r", "\n", "\r\n", "\x85", "\u2028", "\t", "\x0b", "\x0c", '"', '""', "'", ",", ";",
    ":", "\\", "=", "\ufeff", "\u200f", "\u202e", "\u200b", "\ufe0f", "😀", "👩🏽‍💻", "🇬🇧", "\x1b[2J",
    "[/]", "[link=https://evil.example]x[/link]", "=cmd|' /C calc'!A0", "Zoë", "محمد", "李小龍", "Ἀθῆναι",
    "\ufffd", "\ud800", "\udcff", "\U0010ffff", " ::: ", "* ", "a@b.co", "@", "-" * 40,
]  # fmt: skip
#: Cells past the csv module's limit of 131,072 characters, and other long runs.
HUGE = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["x", "é", ",", '"', "😀", "-", "a'", "\x00"]),
    st.sampled_from([131_072, 131_073, 140_000]),
)
MONTHS = ["Mar", "march", "Sept", "MAY", "Foo", "", "Mär"]
DATES = st.one_of(
    st.builds(
        "{} {} {}".format,
        st.integers(-5, 40),
        st.sampled_from(MONTHS),
        st.one_of(st.integers(0, 10_000), st.integers(10**19, 10**20)),
    ),
    st.sampled_from(["2024-03-05", "2024-02-30", "12345678901234567890-01-01", "0000-01-01", "9999-12-31"]),
)
ADDRESSES = st.sampled_from(
    [
        "priya@acme.example", "PRIYA@ACME.EXAMPLE", "dana@northwind.example", "a@b", "not an email",
        "https://www.linkedin.com/in/priya-natarajan", "linkedin.com/in/", "https://linkedin.com/in/x?y#z",
        "+44 20 7946 0018", "tel:+1-555", "mailto:x@y.z", "http://" + "a/" * 200,
    ]
)  # fmt: skip
PIECES = st.one_of(st.sampled_from(ODD), st.text(max_size=6), ADDRESSES)
CELL = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=20),
    st.lists(PIECES, max_size=6).map("".join),
    DATES,
    ADDRESSES,
)
#: How a text becomes a file's bytes: UTF-8 (a lone surrogate goes in as the bytes it would be),
#: with a byte-order mark, UTF-16 with its mark, Windows-1252, and a file cut short.
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "cp1252", "cut"]


def encoded(text: str, how: str) -> bytes:
    if how == "cp1252":
        return text.encode("cp1252", errors="replace")
    if how == "utf-16":
        return text.encode("utf-16", errors="surrogatepass")
    if how == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le", errors="surrogatepass")
    raw = text.encode("utf-8-sig" if how == "utf-8-sig" else "utf-8", errors="surrogatepass")
    return raw[: max(0, len(raw) - 3)] if how == "cut" else raw


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in `one_in` draws (and False as the simpler case, which shrinking tends to)."""
    return bool(draw(st.sampled_from([False] * (one_in - 1) + [True])))


def to_bytes(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.builds(encoded, text, st.sampled_from(ENCODINGS))
