"""Fuzz targets: whatever hypothesis makes of their input, every importer, the backup reader, the
reviewer and the JSON API either do their work or refuse it, and refusing leaves the database as it was.

Each target asserts the same three things of every input: no traceback (the formats and the
service raise only `TactfulError`, in one line; the API answers a 4xx with a JSON {"error": ...},
never a 500), no hang (`no_hang`, an alarm far beyond what linear work takes, never a timing), and
no partial write (a `snapshot` of every row before and after a refusal). The runs are bounded and
derandomized so that they fit in `make test` and a red run always means a change broke something.
Crashes they found are kept as `@example`s.
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st

from tactful.domain import Channel, Kind, Outcome, Purpose
from tactful.errors import TactfulError
from tactful.formats.backup import check, tables_of
from tactful.review import CODES, Draft, ReviewContext, default_reviewer, review
from tactful.service import Service, people, reading
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


#: `TACTFUL_FUZZ_SCALE=20 pytest tests/test_fuzz.py`: twenty times the examples, new ones on each run
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


def backup_restores(service: Service) -> None:
    """What the database holds now would restore: a backup of it passes the reader's checks."""
    document = json.dumps(exchange.export_json(service), ensure_ascii=False)
    check(tables_of(document, "backup.json"), service.store.backup_schema(), "backup.json")


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


# -- CSV exports -------------------------------------------------------------------------------------------
#: The headers each export has had (the usual ones twice, to be drawn more often), and broken ones.
LINKEDIN_HEADERS = [
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],  # before 2020
    ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],
    ["\ufeffFirst Name", "Last Name", "Connected On"],
    ["First Name", "Last Name", "URL", "URL", "Connected On", "Connected On"],
    ["First Name", "Last Name", "Company"],  # no Connected On
]
GOOGLE_HEADERS = [
    ["First Name", "Middle Name", "Last Name", "Nickname", "File As", "Organization Name", "Organization Title",
     "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label",
     "Phone 1 - Value", "Website 1 - Label", "Website 1 - Value"],
    ["Name", "Given Name", "Additional Name", "Family Name", "Nickname", "E-mail 1 - Type", "E-mail 1 - Value",
     "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title",
     "Website 1 - Type", "Website 1 - Value"],
    ["First Name", "Middle Name", "Last Name", "Organization Name", "E-mail 1 - Label", "E-mail 1 - Value"],
    ["First Name", "Organization Name", "E-mail 1 - Value", "E-mail 99999999999999999999 - Value",
     "Phone 1 - Label"],
    ["Given Name", "Family Name", "Website 1 - Value", "Website 1 - Value", "E-mail 1 - Label"],
]  # fmt: skip
QUOTING = ["minimal", "minimal", "minimal", "all", "raw", "stray quotes"]
LINE_ENDS = ["\n", "\r\n", "\r"]


NAME = st.one_of(
    st.sampled_from(
        ["Priya", "Natarajan", "Tomás de la Vega", "Zoë", "محمد", "李小龍", "O'Brien", "Anne-Marie", "\u202eevil",
         "Bob [/] Smith", "Ana\x00Lima", "Grace 🌍", "Dr. Ada Lovelace, PhD", "ⅫⅫ", "A" * 500, "", " "]
    ),
    st.builds(str.__add__, st.sampled_from(["Priya", "Dana", "Kenji"]), PIECES),
    st.text(min_size=1, max_size=15),
)  # fmt: skip
ORG = st.one_of(
    st.sampled_from(
        ["Acme Analytics", "Harbour Foods, Inc.", "Northwind", "", "\u200fשלום Ltd", "x" * 16_000]
    ),
    st.builds(str.__add__, st.sampled_from(["Acme ", "Globex "]), PIECES),
)
EMAILS = st.one_of(
    st.sampled_from(
        ["priya@acme.example", "DANA@NORTHWIND.EXAMPLE", "", "zoë@example.org", "a@b.co ::: c@d.co"]
    ),
    st.builds(
        "{}@{}.example".format,
        st.text(alphabet="abcxyz.+_-é1", min_size=1, max_size=8),
        st.text(alphabet="abcxyz-ü", min_size=1, max_size=8),
    ),
)


def with_odd_tail(values: list[str]) -> st.SearchStrategy[str]:
    """One of `values`, or one of them with something odd after it: a NUL, a line break, an emoji..."""
    return st.one_of(st.sampled_from(values), st.builds(str.__add__, st.sampled_from(values), PIECES))


LINKEDIN = with_odd_tail(
    ["https://www.linkedin.com/in/priya-natarajan-4b21a9", "linkedin.com/in/zoë", "", "https://x.example/in/a",
     "https://www.linkedin.com/in/" + "a" * 3000, "https://uk.linkedin.com/in/priya-natarajan-4b21a9/?x=1"]
)  # fmt: skip
LABELS = with_odd_tail(["* Work", "Home", "* ", "", "Work ::: Home", "*", "* myContacts ::: Friends"])
PHONES = with_odd_tail(["+1 212 555 0147", "", "12", "+44 20 7946 0018 ::: 555", "☎"])
CONNECTED = st.one_of(
    st.sampled_from(["05 Mar 2024", "29 Feb 2024", "2024-03-05", ""]),
    st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)).map(lambda d: d.strftime("%d %b %Y")),
    st.dates().map(dt.date.isoformat),
    DATES,
)


def column(name: str) -> st.SearchStrategy[str]:
    """Cells for a column: mostly what the column holds (odd but readable), else anything."""
    for words, fits in (
        (("Label", "Type"), LABELS),
        (("Connected On",), CONNECTED),
        (("URL", "Website"), LINKEDIN),
        (("Email", "E-mail"), EMAILS),
        (("Phone",), PHONES),
        (("Company", "Organization", "Position"), ORG),
        (("Name", "File As"), NAME),
    ):
        if any(word in name for word in words):
            return st.one_of(fits, fits, fits, fits, fits, CELL)
    return st.one_of(st.just(""), CELL)


@st.composite
def csv_text(draw: st.DrawFn, headers: list[list[str]], preamble: str = "") -> str:
    """A header from `headers` and rows of odd cells, written with one of several quotings."""
    header = list(draw(st.sampled_from(headers)))
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        row = [draw(column(name)) for name in header]
        if rarely(draw, 8):  # a row with a field too many or too few
            row = row[:-1] if draw(st.booleans()) else [*row, draw(CELL)]
        rows.append(row)
    if rows and rows[-1] and rarely(draw, 12):  # now and then, a cell past the csv limit
        rows[-1][draw(st.integers(0, len(rows[-1]) - 1))] = draw(HUGE)
    quoting, end = draw(st.sampled_from(QUOTING)), draw(st.sampled_from(LINE_ENDS))
    lines = [header, *rows]
    if quoting in ("minimal", "all"):
        out = io.StringIO()
        writer = csv.writer(
            out, quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL, lineterminator=end
        )
        writer.writerows(lines)
        body = out.getvalue()
    else:
        wraps = st.sampled_from(["{}"] * 6 + ['"{}"', '"{}', '{}"', '"{}""', '""{}'])
        body = "".join(
            ",".join(
                (draw(wraps) if quoting == "stray quotes" and line is not header else "{}").format(cell)
                for cell in line
            )
            + end
            for line in lines
        )
    return (preamble if draw(st.booleans()) else "") + body


LINKEDIN_NOTES = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
LINKEDIN_FILES = to_bytes(csv_text(LINKEDIN_HEADERS, LINKEDIN_NOTES))
GOOGLE_FILES = to_bytes(csv_text(GOOGLE_HEADERS))


# -- vCards ----------------------------------------------------------------------------------------------------
VCARD_NAMES = [
    "FN", "N", "EMAIL", "TEL", "URL", "ORG", "TITLE", "NOTE", "ADR", "BDAY", "PHOTO", "X-ABLABEL",
    "X-SOCIALPROFILE", "UID", "REV", "KIND", "X-UNKNOWN", "item1.EMAIL", "item1.X-ABLabel", "item2.TEL",
    "item2.URL", "BEGIN", "END", "VERSION", "", "email", "a.b.c.FN", "X-" + "A" * 300,
]  # fmt: skip
VCARD_PARAMS = [
    "", ";TYPE=INTERNET", ";type=WORK;type=pref", ';TYPE="voice,cell"', ";PREF=1", ";CELL;PREF",
    ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", ";ENCODING=QUOTED-PRINTABLE", ";ENCODING=b", ";ENCODING=BASE64",
    ";CHARSET=x-nonsense;ENCODING=QUOTED-PRINTABLE", ";CHARSET=ISO-8859-1", ";CHARSET=UTF-16", ";VALUE=uri",
    ';LABEL="a;b:c"', ";=", ";;", ";TYPE=", ';X-"odd', ";TYPE=\x00", ";LANGUAGE=" + "x" * 200,
]  # fmt: skip
VCARD_VALUES = [
    "\\n", "\\N", "\\,", "\\;", "\\\\", "\\", "\\:", "tel:+44 20 7946 0018", "mailto:a@b.co", "=0D=0A", "=E2=82",
    "=", "=ZZ", "=C3=A9=\r\n=A9", "=\r\n", "Doe;Jane;;;", ";;;;", "Doe;Jane;Q;Dr;Jr", "a@b.co",
    "https://www.linkedin.com/in/x", "_$!<Other>!$_", "_$!<", "QUJD", "!!!", "Acme;Sales", "20260302",
]  # fmt: skip
VCARD_VALUE = st.lists(st.one_of(st.sampled_from(VCARD_VALUES), PIECES), max_size=5).map("".join)


#: The properties a contact is read from, with what they usually hold.
VCARD_USUAL: dict[str, st.SearchStrategy[str]] = {
    "FN": NAME,
    "N": st.builds("{};{};;;".format, NAME, NAME),
    "EMAIL": EMAILS,
    "TEL": PHONES,
    "ORG": ORG,
    "TITLE": ORG,
    "URL": LINKEDIN,
}


@st.composite
def vcard_text(draw: st.DrawFn) -> str:
    """Cards with the usual properties (odd values, odd parameters, escapes) and odd properties."""
    end = draw(st.sampled_from(LINE_ENDS))
    params = st.one_of(st.just(""), st.just(""), st.sampled_from(VCARD_PARAMS))
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        lines += ["BEGIN:VCARD", "VERSION:" + draw(st.sampled_from(["3.0", "2.1", "4.0", "9", ""]))]
        props = [(name, draw(st.one_of(fits, fits, VCARD_VALUE))) for name, fits in VCARD_USUAL.items()
                 if name == "FN" or draw(st.booleans())]  # fmt: skip
        props += [
            (draw(st.sampled_from(VCARD_NAMES)), draw(VCARD_VALUE)) for _ in range(draw(st.integers(0, 3)))
        ]
        if rarely(draw, 40):
            props.append((draw(st.sampled_from(["NOTE", "FN", "ORG"])), draw(HUGE)))
        for name, value in props:
            line = f"{name}{draw(params)}{'' if rarely(draw, 20) else ':'}{value}"
            if rarely(draw, 4) and len(line) > 2:  # folded, as long lines are (or broken)
                cut = draw(st.integers(1, len(line) - 1))
                line = line[:cut] + draw(st.sampled_from(["\r\n ", "\n\t", "\r\n"])) + line[cut:]
            lines.append(line)
        if not rarely(draw, 8):
            lines.append(draw(st.sampled_from(["END:VCARD", "end:vcard", " END : VCARD "])))
    return draw(st.sampled_from(["", "\ufeff", "garbage\n"])) + end.join(lines) + end


VCARD_FILES = to_bytes(vcard_text())


# -- calendars -----------------------------------------------------------------------------------------------
def _moment(year: int, month: int, day: int, hour: int, zone: str) -> str:
    return f"{year:04d}{month:02d}{day:02d}T{hour:02d}0000{zone}"


#: Mostly real moments before the import's "now" (2026-03-10), in each of iCalendar's forms.
REAL_MOMENTS = st.builds(
    dt.datetime.strftime,
    st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2026, 3, 9)),
    st.sampled_from(["%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%dT%H%M00Z"]),
)
MOMENTS = st.one_of(
    REAL_MOMENTS,
    REAL_MOMENTS,
    REAL_MOMENTS,
    st.builds(
        _moment,
        st.sampled_from([2026, 2025, 1899, 1, 0, 9999, 99999, 12345678901234567890]),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.sampled_from(["Z", "", "+0100", "z"]),
    ),
    st.sampled_from(["20260302", "2026-03-02T10:00:00Z", "P1D", "", "T", "20260302T1", "99999999T999999"]),
)
ICS_PROPS: dict[str, st.SearchStrategy[str]] = {
    "DTSTART": MOMENTS,
    "DTEND": MOMENTS,
    "DURATION": st.sampled_from(
        ["PT1H", "PT30M", "P1D", "PT-1H", "P99999999D", "P", "1H", "PT99999999999999999999H"]
    ),
    "SUMMARY": st.one_of(
        st.sampled_from(
            [
                "Interview with Dana Whitfield at Acme",
                "Coffee with Omar Osei and Zoë Lindqvist (Fintrail)",
                "Phone screen: Senior Data Engineer at Acme",
                "Call",
                "Interview: ",
                "with",
                "Chat with A B C D E F",
            ]
        ),
        st.builds("Interview with {} at {}".format, CELL, CELL),
        st.builds(
            "{} with {}".format, st.sampled_from(["Coffee", "Call", "Lunch", "Pitch", "Catch-up"]), NAME
        ),
        VCARD_VALUE,
    ),
    "DESCRIPTION": st.one_of(VCARD_VALUE, st.just("Join Zoom Meeting\\nhttps://zoom.us/j/1"), HUGE),
    "ATTENDEE": st.builds("mailto:{}".format, st.one_of(EMAILS, EMAILS, ADDRESSES, VCARD_VALUE)),
    "ORGANIZER": st.builds("mailto:{}".format, st.one_of(EMAILS, ADDRESSES, VCARD_VALUE)),
    "UID": st.one_of(st.text(max_size=10), with_odd_tail(["uid-1@fuzz", "x" * 5000])),
    "STATUS": st.sampled_from(["CONFIRMED", "CANCELLED", "", "TENTATIVE"]),
    "RRULE": st.sampled_from(["FREQ=WEEKLY", "FREQ=NEVER", "", "FREQ=DAILY;COUNT=99999999999999999999"]),
    "RECURRENCE-ID": MOMENTS,
    "X-FOO": VCARD_VALUE,
}
ICS_PARAMS = [
    "", ";TZID=America/New_York", ";TZID=Europe/London", ";TZID=Nowhere/City", ";TZID=", ";VALUE=DATE",
    ';CN="Dana Whitfield"', ";CN=Omar Osei;PARTSTAT=ACCEPTED", ";CN=", ";CUTYPE=ROOM", ";PARTSTAT=DECLINED",
    ";ROLE=NON-PARTICIPANT", ";CN=Robin Vale", ';CN="\\";', ";X=\x00",
]  # fmt: skip


@st.composite
def ics_text(draw: st.DrawFn) -> str:
    """Calendars of events with the usual properties (odd times, odd people) and odd properties."""
    end = draw(st.sampled_from(LINE_ENDS))
    params = st.one_of(st.just(""), st.just(""), st.sampled_from(ICS_PARAMS))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    for _ in range(draw(st.integers(1, 3))):
        lines.append("BEGIN:VEVENT")
        usual = [name for name in ("UID", "DTSTART", "DTEND", "SUMMARY", "ATTENDEE") if not rarely(draw, 8)]
        for name in usual + draw(st.lists(st.sampled_from(sorted(ICS_PROPS)), max_size=3)):
            lines.append(f"{name}{draw(params)}:{draw(ICS_PROPS[name])}")
        if not rarely(draw, 6):
            lines.append("END:VEVENT")
    if not rarely(draw, 6):
        lines.append("END:VCALENDAR")
    return end.join(lines) + end


ICS_FILES = to_bytes(ics_text())

#: Fragments of every format, shuffled: text that is almost a file of each kind.
SOUP = st.lists(
    st.one_of(
        st.sampled_from(
            ["BEGIN:VCARD", "END:VCARD", "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VCALENDAR", "END:VCALENDAR",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On", "First Name",
             "Given Name,Family Name", "FN:", "N:", "DTSTART:", "SUMMARY:Interview with Ana Lima", "\r\n", "\n",
             "\r", ",", '"', ":", ";", "05 Mar 2024", "Notes:"]
        ),
        PIECES,
    ),
    max_size=40,
).map("".join)  # fmt: skip
#: Anything at all: random text (lone surrogates included), random bytes, and the soup.
ANY_FILE = st.one_of(to_bytes(st.text(max_size=300)), st.binary(max_size=600), to_bytes(SOUP))

FILE_NAMES = {
    "linkedin": "Connections.csv",
    "google": "contacts.csv",
    "vcard": "contacts.vcf",
    "ics": "calendar.ics",
}


def import_file(source: str, raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    """Import `raw` as `source` into a copy of the seeded database: done, or refused with nothing
    written; and what was imported can be listed, and a backup of it would restore."""
    with copy_of(seeded()) as db:
        path = db.parent / FILE_NAMES[source]
        path.write_bytes(raw)

        def work(service: Service) -> Any:
            report: Any
            if source == "ics":
                proposed = exchange.propose_events(service, path, skip_bad=skip_bad, now="2026-03-10 09:00")
                report = exchange.log_events(
                    service, proposed, range(len(proposed.proposals)), dry_run=dry_run
                )
                json.dumps(report.to_dict(service.zone))
            else:
                report = exchange.import_contacts(service, source, path, dry_run=dry_run, skip_bad=skip_bad)
                json.dumps(report.to_dict())
            return report

        if not isinstance(refused_or_done(db, work, writes=not dry_run), TactfulError) and not dry_run:
            service = Service(open_store(db), now=NOW)
            try:
                json.dumps([(f.contact.name, f.contact.email) for f in people.find(service, None)])
                backup_restores(service)
            finally:
                service.store.close()


@fuzz(200)
@given(raw=LINKEDIN_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A column named twice: rows as wide as the names, not the header, once read past their end (IndexError).
@example(
    raw=b"First Name,Last Name,URL,URL,Connected On,Connected On\nAna,Lima,,\n", skip_bad=False, dry_run=False
)
# The year 1 was imported, and then no backup of the database could be restored.
@example(raw=b"First Name,Last Name,Connected On\nAna,Lima,05 Mar 0001\n", skip_bad=True, dry_run=False)
def test_a_linkedin_export_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("linkedin", raw, skip_bad, dry_run)


@fuzz(200)
@given(raw=GOOGLE_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in a second address's label, or in a LinkedIn address, was kept, and then no backup of the
# database could be restored.
@example(
    raw=b"First Name,Organization Name,Website 1 - Value\nAna,,https://www.linkedin.com/in/a\x00b\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"First Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value\nAna,,* Work ::: Wo\x00rk,a@b.co ::: c@d.co\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_google_export_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("google", raw, skip_bad, dry_run)


@fuzz(250)
@given(raw=VCARD_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in a second address's label (a TYPE word, or Apple's X-ABLabel) or in a LinkedIn address was
# kept, and then no backup of the database could be restored (found with TACTFUL_FUZZ_SCALE=10).
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nURL:https://www.linkedin.com/in/a\x00b\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nTEL:+1 212 555 0100\r\nTEL;TYPE=\x00:+1 212 555 0147\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nEMAIL:a@b.co\r\nitem1.EMAIL:c@d.co\r\nitem1.X-ABLabel:wo\x00rk\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_vcard_file_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("vcard", raw, skip_bad, dry_run)


@fuzz(200)
@given(raw=ICS_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in an event's UID was kept to recognise it by, and then no backup of the database could be restored.
@example(
    raw=b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ab\x00cd\r\nDTSTART:20260302T100000Z\r\n"
    b"SUMMARY:Coffee with Ana Lima\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_calendar_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("ics", raw, skip_bad, dry_run)


@fuzz(200)
@given(source=st.sampled_from(sorted(FILE_NAMES)), raw=ANY_FILE, skip_bad=st.booleans())
def test_any_file_as_any_source_is_imported_or_refused_whole(source: str, raw: bytes, skip_bad: bool) -> None:
    import_file(source, raw, skip_bad, dry_run=False)


# -- backups ---------------------------------------------------------------------------------------------
@functools.cache
def _backup_shape() -> dict[str, list[list[str]]]:
    """Per table of the rich backup, each row's field names: where a change can land."""
    return {table: [sorted(row) for row in rows] for table, rows in valid_backup()["tables"].items()}


URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Feed tokens as a backup may carry them: of every length, of the right alphabet or not.
TOKENS = st.one_of(
    st.text(alphabet=URL_SAFE, max_size=200),
    st.builds(lambda n: "A" * n, st.sampled_from([0, 1, 15, 16, 43, 128, 129, 5_000, 200_000])),
    st.text(max_size=60),
    st.sampled_from(["../../etc/passwd", "a b", "x" * 20 + "\x00", "x" * 20 + "/", "x" * 20 + ".ics"]),
)
TEXTS = st.one_of(
    st.sampled_from(ODD),
    st.builds(lambda n: "[" * n, st.just(10_000)),  # JSON nested past the recursion limit
    st.text(max_size=30),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "\x00", "😀", "\ud800"]), st.sampled_from([1, 200_000])),
    st.sampled_from(
        ["2026-03-02T10:00:00+00:00", "12345678901234567890-03-02T10:00:00+00:00", "2026-03-02", "0001-01-01",
         "9999-12-31T23:59:59+14:00", "2026-03-02T10:00:00+99:00", "Europe/London", "America", "GB", "ZZ",
         '["a"]', '["a\\u0000b"]', '"x"', "null", "true", '"Europe/Paris"', '"\\u0000"', '"\\ud800"']
    ),
)  # fmt: skip
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
        st.floats(allow_nan=True, allow_infinity=True),
        TEXTS,
        st.builds(lambda v: {"base64": v}, st.one_of(st.text(max_size=8), st.integers(), st.just("QUJD"))),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def backup_change(draw: st.DrawFn) -> list[Any]:
    """One change to the rich backup, as a JSON-ready list for `spoil` (and for an `@example`)."""
    shape = _backup_shape()
    tables = sorted(t for t, rows in shape.items() if rows)
    rare = ["drop field", "add field", "drop row", "double row", "table", "header", "drop header"]
    how = draw(st.sampled_from(["text"] * 8 + ["value"] * 4 + ["token"] * 2 + rare))
    if how == "token":
        return [how, draw(TOKENS)]
    if how in ("header", "drop header"):
        key = draw(st.sampled_from(["format", "schema", "tables", "counts", "exported_at", "tactful"]))
        return [how, key, draw(VALUES)]
    table = draw(st.sampled_from([*tables, "secrets", "undo_log", "nonsense"] if how == "table" else tables))
    if how == "table":
        return [how, table, draw(VALUES)]
    n = draw(st.integers(0, len(shape[table]) - 1))
    name = draw(st.sampled_from(shape[table][n]))
    return [how, table, n, name, draw(st.one_of(st.text(), TEXTS) if how == "text" else VALUES)]


def spoil(document: dict[str, Any], change: list[Any]) -> None:
    """Make `change` to the backup `document` (nothing, when an earlier change took its place away)."""
    how, *rest = change
    if how == "header":
        document[rest[0]] = rest[1]
        return
    if how == "drop header":
        document.pop(rest[0], None)
        return
    tables = document.get("tables")
    if not isinstance(tables, dict):
        return
    if how == "table":
        tables[rest[0]] = rest[1]
        return
    table, n, name, value = rest if how != "token" else ("calendar_feed", 0, "token", rest[0])
    rows = tables.get(table)
    if not isinstance(rows, list) or n >= len(rows) or not isinstance(rows[n], dict):
        return
    row = rows[n]
    if how in ("value", "token"):
        row[name] = value
    elif how == "text":  # other text where text was: odd, but of the column's type
        if isinstance(row.get(name), str):
            row[name] = value
    elif how == "drop field":
        row.pop(name, None)
    elif how == "add field":
        row["aura"] = value
    elif how == "drop row":
        rows.remove(row)
    else:
        rows.append(dict(row))


SURROGATE = re.compile("[\ud800-\udfff]")
#: The columns tactful keeps JSON text in, and reads back decoded.
JSON_COLUMNS = {"profile": ("value",), "interactions": ("topics", "questions")}


def _texts(value: Any) -> Iterator[str]:
    """Every text in a value: itself, or the texts of a list (a decoded JSON column)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def texts_held(db: Path) -> Iterator[tuple[str, str]]:
    """(table, text) for every text the database holds, the decoded JSON columns' included."""
    for table, rows in snapshot(db).items():
        for row in rows:
            yield from ((table, text) for text in _texts(row))
    conn = sqlite3.connect(db)
    try:
        for table, columns in JSON_COLUMNS.items():
            for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                yield from ((table, text) for value in row for text in _texts(json.loads(value)))
    finally:
        conn.close()


def usable(db: Path) -> None:
    """A database every command can read: the agenda, the exports, the calendar feed, and no text a
    backup of it would be refused for (a NUL, a lone surrogate)."""
    service = Service(open_store(db), now=NOW)
    try:
        with no_hang():
            reading.agenda(service, None, 7, True)
            exchange.export_ics(service, everything=True)
            json.dumps(exchange.export_json(service))
            feed = service.store.feed_token()
            if feed is not None:
                token = feed[0]
                assert 16 <= len(token) <= 128 and all(ch in URL_SAFE for ch in token), token[:80]
                assert exchange.feed_token_matches(service, token)
    finally:
        service.store.close()
    for table, text in texts_held(db):
        assert "\x00" not in text and not SURROGATE.search(text), (table, text[:200])


@fuzz(300)
@given(
    changes=st.lists(backup_change(), min_size=1, max_size=3),
    ascii_only=st.booleans(),
    replace=st.booleans(),
)
# A feed token of no characters, and a NUL in a name, were restored as they were; a lone surrogate
# in a profile setting's JSON was too, and then `export ics` and every email draft failed with a
# UnicodeEncodeError.
@example(changes=[["token", ""]], ascii_only=True, replace=False)
@example(changes=[["text", "contacts", 0, "name", "Ana\x00Lima"]], ascii_only=False, replace=True)
@example(changes=[["text", "profile", 4, "value", '"\\ud800"']], ascii_only=True, replace=False)
# A column named "\r" broke the one line of the error that named it (found with TACTFUL_FUZZ_SCALE=12).
@example(changes=[["table", "calendar_feed", [{"\r": None}]]], ascii_only=True, replace=False)
def test_any_spoilt_backup_restores_whole_or_not_at_all(
    changes: list[list[Any]], ascii_only: bool, replace: bool
) -> None:
    document = valid_backup()
    for change in changes:
        spoil(document, change)
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", errors="surrogatepass")
    with copy_of(restored() if replace else empty()) as db:
        backup = db.parent / "backup.json"
        backup.write_bytes(raw)
        outcome = refused_or_done(db, lambda service: exchange.import_json(service, backup, replace=replace))
        if isinstance(outcome, TactfulError):
            assert outcome.message.startswith("backup.json"), outcome.message
        else:
            usable(db)


def restore(document: dict[str, Any], folder: Path) -> Any:
    """Restore `document` into a new database in `folder`: the counts, or the error it was refused with."""
    db, backup = folder / "t.db", folder / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    open_store(db).close()
    return refused_or_done(db, lambda service: exchange.import_json(service, backup))


NOT_A_TOKEN = "is not a feed token (16 to 128 letters, digits, '-' or '_'); remove the calendar_feed row"


@pytest.mark.parametrize(
    ("token", "said"),
    [("A" * 16, None), ("kT9_x-" * 7 + "Q", None), ("A" * 128, None), ("", NOT_A_TOKEN), ("A" * 15, NOT_A_TOKEN),
     ("A" * 129, NOT_A_TOKEN), ("A" * 200_000, NOT_A_TOKEN), ("A" * 20 + "/../x", NOT_A_TOKEN),
     ("A" * 20 + " B", NOT_A_TOKEN), ("A" * 20 + "=", NOT_A_TOKEN), ("Ä" * 20, NOT_A_TOKEN), (43, NOT_A_TOKEN),
     ("A" * 20 + "\x00", "is not valid text (a NUL character)")],
    ids=["16", "43 as made", "128", "empty", "15", "129", "200,000", "a path", "a space", "padding", "not ASCII",
         "a number", "a NUL"],
)  # fmt: skip
def test_a_restored_feed_token_is_one_tactful_could_have_made(
    tmp_path: Path, token: Any, said: str | None
) -> None:
    """tactful makes 43 URL-safe characters; a backup may hold 16 to 128 of them, nothing else."""
    document = valid_backup()
    document["tables"]["calendar_feed"][0]["token"] = token
    outcome = restore(document, tmp_path)
    if said is None:
        assert not isinstance(outcome, TactfulError), outcome
        usable(tmp_path / "t.db")
    else:
        assert isinstance(outcome, TactfulError), outcome
        assert outcome.message.startswith("backup.json: calendar_feed row 1 (id 1), field 'token': ")
        assert said in outcome.message and len(outcome.message) < 300, outcome.message  # not 200,000 "A"s


@pytest.mark.parametrize(
    ("table", "name", "value", "said"),
    [
        (
            "contacts",
            "name",
            "Ana\x00Lima",
            "field 'name': 'Ana\\x00Lima' is not valid text (a NUL character)",
        ),
        ("followups", "text", "Dear Priya,\x00", "field 'text': 'Dear Priya,\\x00' is not valid text (a NUL"),
        ("imported_events", "uid", "\x00", "field 'uid': '\\x00' is not valid text (a NUL character)"),
        (
            "interactions",
            "topics",
            '["stream\\u0000ing"]',
            "field 'topics': 'stream\\x00ing' is not valid text",
        ),
        ("profile", "value", '"Robin\\u0000"', "(key 'name'), field 'value': 'Robin\\x00' is not valid text"),
        ("profile", "value", '"\\ud800"', "(key 'name'), field 'value': '\\ud800' is not valid text (a lone"),
    ],
    ids=[
        "a name",
        "a message",
        "an event's uid",
        "a topic in JSON",
        "the profile's name in JSON",
        "a surrogate",
    ],
)
def test_a_backup_with_a_nul_in_any_text_restores_nothing(
    tmp_path: Path, table: str, name: str, value: str, said: str
) -> None:
    document = valid_backup()
    row = next(r for r in document["tables"][table] if table != "profile" or r["key"] == "name")
    row[name] = value
    outcome = restore(document, tmp_path)
    assert isinstance(outcome, TactfulError), outcome
    assert said in outcome.message and outcome.message.startswith("backup.json: "), outcome.message


# -- the reviewer --------------------------------------------------------------------------------------------
RUNS = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(
        ["-", "a", "'", "a-", "A-", "a'", "—", ".", "a.", " ", "\n", "!", "?", "😀", "ß", "İ", "e\u0301", "@",
         "a@", "http://", "a/", "x ", "Hi ", "THANK YOU ", "\u200f", "\u202e", "ـ", "\t", "\r\n", "*", "_", "#",
         "{name}", "[", "Dear ", "Best,\n"]
    ),
    st.one_of(st.integers(1, 300), st.sampled_from([2_000, 10_000, 25_000])),
)  # fmt: skip
WORDS = st.sampled_from(
    ["Dear Priya,", "Thank you", "interview", "Acme Analytics", "Privet", "Привет", "спасибо", "مرحبا",
     "شكرا", "שלום", "こんにちは", "谢谢", "नमस्ते", "Ελλάδα", "Zoë", "naïve", "straße", "\u200f", "\u200e",
     "Best regards,\nRobin", "Subject: hi", "To: x@y.z", "...", "!!!", "ASAP", "just checking in", "per my last email",
     "?", "\n", "\n\n", " "]
)  # fmt: skip
#: Drafts: runs and words (50,000 characters at most, as in `test_hardening`), many lines, any text.
BODIES = st.one_of(
    st.lists(st.one_of(RUNS, WORDS, st.text(max_size=40)), max_size=12).map(
        lambda parts: " ".join(parts)[:50_000]
    ),
    st.lists(st.one_of(WORDS, st.text(max_size=60)), min_size=50, max_size=300).map("\n".join),
    st.text(),
)
NAMES = st.one_of(
    st.none(), st.sampled_from(["Priya Natarajan", "Zoë", "", "-", "a'" * 50]), st.text(max_size=20)
)
MOMENT = st.one_of(
    st.none(),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2199, 1, 1), timezones=st.just(dt.UTC)),
)
CONTEXTS = st.one_of(
    st.none(),
    st.builds(
        ReviewContext,
        recipient_name=NAMES,
        recipient_org=NAMES,
        role=NAMES,
        purpose=st.none() | st.sampled_from(list(Purpose)),
        nudge=st.booleans(),
        job_thread=st.booleans(),
        topics=st.lists(st.one_of(WORDS, st.text(max_size=20)), max_size=4).map(tuple),
        notes=st.lists(st.text(max_size=40), max_size=3).map(tuple),
        other_names=st.lists(st.text(max_size=20), max_size=3).map(tuple),
        other_orgs=st.lists(st.text(max_size=20), max_size=3).map(tuple),
        not_before=MOMENT,
        due_by=MOMENT,
        now=MOMENT,
        nudges_sent=st.integers(0, 10),
        cap=st.none() | st.integers(0, 5),
        rejected=st.booleans(),
        decided=st.booleans(),
        other_channel_recently=st.lists(st.sampled_from([c.value for c in Channel]), max_size=2).map(tuple),
        sibling_texts=st.lists(st.tuples(st.text(max_size=10), BODIES), max_size=2).map(tuple),
        sent_texts=st.lists(BODIES, max_size=2).map(tuple),
        user_name=NAMES,
        signature=st.none() | st.text(max_size=60),
        skills=st.lists(st.text(max_size=15), max_size=3).map(tuple),
        vocabulary=st.lists(st.text(max_size=15), max_size=3).map(tuple),
        linkedin_free=st.booleans(),
        reachable=st.none() | st.booleans(),
    ),
)


@fuzz(250)
@given(
    body=BODIES,
    subject=st.none() | st.text(max_size=80) | RUNS,
    channel=st.sampled_from(list(Channel)),
    context=CONTEXTS,
    as_text=st.booleans(),
)
def test_the_reviewer_reads_any_text(
    body: str, subject: str | None, channel: Channel, context: ReviewContext | None, as_text: bool
) -> None:
    with no_hang():
        if as_text:  # as `tactful check` and the API read a draft: headers, a blank line, the body
            found = review(f"Subject: {subject or ''}\n\n{body}", context)
        else:
            found = default_reviewer().review(Draft(channel=channel, subject=subject, body=body), context)
    assert found.verdict in ("ready", "needs-work") and 0 <= found.score <= 100
    assert found.ready == all(f.severity.value == "tip" for f in found.findings)
    for finding in found.findings:
        assert finding.code in CODES and isinstance(finding.message, str) and finding.message.strip()
        assert isinstance(finding.excerpt, str) and (finding.line is None or finding.line >= 1)
    json.dumps(found.to_dict())


# -- the JSON API -----------------------------------------------------------------------------------------------
TIMES = st.sampled_from(
    ["2026-03-02 10:00", "2026-03-04 10:00", "friday 9am", "tomorrow", "in 3 days", "yesterday", "next week",
     "2026-13-45", "12345678901234567890-01-01", "9999-12-31 23:59", "0001-01-01", "1899-12-31", "", "  ",
     "2026-03-02T10:00:00+99:00", "now", "in 99999999999999999999 days", "2026-03-02 10:00 Nowhere/City"]
)  # fmt: skip
IDS = st.one_of(
    st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 10**30])
)
JUNK = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.sampled_from(ODD)
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
LONG_TEXT = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["x", "\x00", "😀", "-", "\ud800"]),
    st.sampled_from([121, 2_001, 20_001]),
)
SOME_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(ODD), LONG_TEXT)
PERSON = st.sampled_from(
    ["Priya Natarajan", "Dana Whitfield", "Tomás de la Vega", "#1", "#999", "#0", "priya@acme.example", "Priya",
     "Robin Vale", "Ana \ud800", "A\nB", "A,B", "Zoë Lindqvist", "محمد علي", "Grace 🌍", "O'Brien", "Ana"]
)  # fmt: skip
PEOPLE = st.one_of(PERSON, PERSON, SOME_TEXT)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([k.value for k in Kind] + ["dinner", ""]),
    "people": st.one_of(st.lists(PEOPLE, min_size=1, max_size=3), st.lists(PEOPLE, max_size=22)),
    "from": PEOPLE,
    "who": PEOPLE,
    "introduced_by": PEOPLE,
    "email": st.sampled_from(["priya@acme.example", "a@b", "not an email", "x@" + "y" * 300 + ".com", ""]),
    "phone": st.sampled_from(["+44 20 7946 0018", "12", "phone", "+" + "1" * 50]),
    "linkedin": st.sampled_from(["linkedin.com/in/priya", "nope", "http://" + "a/" * 200]),
    "tz": st.sampled_from(["Asia/Tokyo", "America", "Nowhere/City", "../../etc/passwd", "UTC", "", "\x00"]),
    "their_tz": st.sampled_from(["Asia/Tokyo", "America", "Nowhere/City", "UTC", "Etc/GMT+99"]),
    "country": st.sampled_from(["GB", "US", "ZZ", "gb", "", "GBR"]),
    "channel": st.sampled_from([c.value for c in Channel] + ["pigeon"]),
    "prefers": st.sampled_from([c.value for c in Channel] + ["pigeon"]),
    "outcome": st.sampled_from([o.value for o in Outcome] + ["maybe"]),
    "at": TIMES,
    "decision_by": TIMES,
    "promised_by": TIMES,
    "reply_by": TIMES,
    "until": TIMES,
    "now": TIMES,
    "thread_id": IDS,
    "followup_id": IDS,
    "change": IDS,
    "topics": st.lists(SOME_TEXT, max_size=55),
    "questions": st.lists(SOME_TEXT, max_size=55),
    "skills": st.lists(SOME_TEXT, max_size=5),
    "time_sensitive": st.booleans(),
    "card": st.booleans(),
    "notes": st.booleans(),
    "linkedin_free": st.booleans(),
    "text": st.one_of(BODIES, SOME_TEXT),
}
ROUTES: list[tuple[str, str, list[str]]] = [
    ("POST", "/api/v1/interactions",
     ["kind", "people", "email", "phone", "linkedin", "org", "role", "title", "at", "decision_by", "promised_by",
      "promised", "introduced_by", "prefers", "their_tz", "topics", "questions", "note", "time_sensitive", "card",
      "thread_id"]),
    ("POST", "/api/v1/followups/{id}/done", ["at", "channel", "text"]),
    ("POST", "/api/v1/followups/{id}/skip", ["reason"]),
    ("POST", "/api/v1/replies", ["from", "thread_id", "at"]),
    ("POST", "/api/v1/threads/{id}/outcome", ["outcome", "at", "reply_by"]),
    ("POST", "/api/v1/followups/{id}/snooze", ["until"]),
    ("POST", "/api/v1/reminders", ["who", "at", "note"]),
    ("POST", "/api/v1/threads/{id}/wake", []),
    ("POST", "/api/v1/undo", ["change"]),
    ("POST", "/api/v1/check", ["text", "followup_id", "now", "channel"]),
    ("PATCH", "/api/v1/interactions/{id}",
     ["at", "decision_by", "promised_by", "promised", "title", "org", "topics", "questions", "note"]),
    ("PUT", "/api/v1/profile",
     ["name", "email", "phone", "linkedin", "signature", "tz", "country", "skills", "notes", "linkedin_free"]),
]  # fmt: skip
#: Bodies that are not the JSON an endpoint expects, or no JSON at all.
RAW_BODIES = st.one_of(
    st.sampled_from(
        [b"", b"{", b"[]", b"null", b'"x"', b'{"kind":', b"[" * 50_000, b"{" * 50_000, b'{"a": 1e999999}',
         b'{"a": NaN}', b'{"text": "\\ud800"}', b'{"text": "' + b"x" * 1_100_000 + b'"}', b"\xff\xfe{\x00}\x00",
         b'{"people": ["A"], "kind": "meeting", "kind": "call"}', b'{"at": ' + b"9" * 5_000 + b"}"]
    ),
    st.binary(max_size=100),
)  # fmt: skip


#: What each route cannot do without (the rest of its fields are optional).
REQUIRED = {
    "/api/v1/interactions": ("kind", "people"),
    "/api/v1/replies": ("from",),
    "/api/v1/threads/{id}/outcome": ("outcome",),
    "/api/v1/reminders": ("who", "at"),
    "/api/v1/check": ("text",),
}


@st.composite
def api_request(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(method, path, body) of one request to the API: mostly its own fields with odd values (a
    person's mistakes, to reach the use cases), else a field of the wrong shape, any JSON, or bytes."""
    method, route, fields = draw(st.sampled_from(ROUTES))
    path = route.replace(
        "{id}", str(draw(st.one_of(IDS, IDS, IDS, st.sampled_from(["abc", "1.5", "%00", "1e3"]))))
    )
    kind = draw(st.sampled_from(["fields"] * 6 + ["a wrong field"] * 2 + ["any JSON", "bytes"]))
    if kind == "bytes":
        return method, path, draw(RAW_BODIES)
    if kind == "any JSON":
        return method, path, json.dumps(draw(JUNK)).encode()
    needed = [name for name in REQUIRED.get(route, ()) if not rarely(draw, 10)]
    optional = [name for name in fields if name not in needed]
    chosen = needed + draw(
        st.lists(st.sampled_from(optional), max_size=3, unique=True) if optional else st.just([])
    )
    body = {name: draw(FIELDS.get(name, SOME_TEXT)) for name in chosen}
    if kind == "a wrong field" and fields:
        body[draw(st.sampled_from(fields))] = draw(JUNK)
    return method, path, json.dumps(body).encode()


@fuzz(300)
@given(request=api_request())
def test_the_api_answers_any_body_in_words_and_writes_nothing_it_refuses(
    request: tuple[str, str, bytes],
) -> None:
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app

    method, path, body = request
    with copy_of(seeded()) as db:
        app = create_app(Settings(load(database=db), now=NOW))
        before = snapshot(db)
        with TestClient(app, base_url="http://127.0.0.1") as client, no_hang():
            answer = client.request(method, path, content=body, headers={"content-type": "application/json"})
        said = f"{method} {path} {body[:300]!r}: {answer.status_code} {answer.text[:300]}"
        event(f"{method} {path.split('/')[3]}: {answer.status_code}")
        assert answer.status_code < 500, said
        assert answer.headers["content-type"].startswith("application/json"), said
        shaped = answer.json()
        if answer.status_code >= 400:
            assert isinstance(shaped, dict) and isinstance(shaped.get("error"), str) and shaped["error"], said
            assert snapshot(db) == before, said


def test_the_seeded_database_has_the_rows_the_api_names() -> None:
    """The ids the API target draws (1 to 12) name real threads, follow-ups and interactions."""
    conn = sqlite3.connect(seeded())
    try:
        for table in ("threads", "followups", "interactions", "contacts"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 3, table
    finally:
        conn.close()
