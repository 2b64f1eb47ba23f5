"""No input can freeze tactful: pathological text goes through the reviewer and the composer in
time that grows with its length, not its square. These tests keep only generous hang timeouts (an
alarm), never timings; `make bench` measures."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tactful.domain import Channel
from tactful.review import Draft, default_reviewer
from tactful.service import Service, drafting
from tactful.service.followups import LogRequest, log
from tactful.store import open_store

#: Far beyond what linear work takes on the slowest machine, far below what the old patterns took
#: (2,000 dashes: 33 s; 50,000: minutes).
HANG_SECONDS = 60


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise TimeoutError(f"still working after {seconds} s: something grows faster than its input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


PATHOLOGICAL = {
    "50,000 dashes": "-" * 50_000,
    "a hyphenated run": "a-" * 25_000,
    "a capitalised hyphenated run": "A-" * 25_000,
    "a 20,000-letter word": "a" * 20_000,
    "at signs": "a@" * 10_000,
    "dots": "a." * 10_000,
    "a path": "http://" + "a/" * 10_000,
    "apostrophes": "a'" * 10_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_the_reviewer_reads_pathological_text_without_hanging(name: str) -> None:
    reviewer = default_reviewer()
    with no_hang():
        review = reviewer.review(Draft(channel=Channel.EMAIL, subject="Hi", body=PATHOLOGICAL[name]))
    assert review.verdict == "needs-work"


def test_a_huge_organisation_does_not_stall_drafts(tmp_path: Path) -> None:
    """An import can bring an organisation of 16,000 characters; comparing sibling drafts once took
    88 s per draft on it."""
    service = Service(open_store(tmp_path / "t.db"), now=dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC))
    logged = log(service, LogRequest("interview", ["Priya Natarajan", "Sam Lee"], org="Acme", title="Engineer",
                                     at="2026-03-02 10:00", email="priya@acme.example"))  # fmt: skip
    service.store.conn.execute("UPDATE organisations SET name = ?", (("Acme Widgets " * 1300)[:16_000],))  # type: ignore[attr-defined]
    with no_hang():
        for f in logged.change.added[:2]:
            assert drafting.draft(service, f.id).composed.body


def test_markup_and_terminal_escapes_in_data_are_shown_as_text(run, tmp_path) -> None:
    """A name like "[/]" once crashed `show` and the import report after the import had committed;
    escape sequences from a vCard reached the terminal raw."""
    from .test_cli import setup

    setup(run)
    logged = run("log", "meeting", "--with", "Bob [/] Smith", "--org", "[link=https://evil.example]Acme[/link]",
                 "--at", "2026-03-02 10:00")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    for args in (["show", "contact", "#1"], ["show", "thread", "1"], ["agenda", "--all", "--now", "2026-03-02 11:00"],
                 ["contacts"]):  # fmt: skip
        shown = run(*args)
        assert shown.exit_code == 0, shown.stderr
    assert "Bob [/] Smith" in run("show", "contact", "#1").stdout
    card = tmp_path / "evil.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve \x1b]0;owned\x07Doe [/]\r\nN:Doe;Eve;;;\r\n"
                    "ORG:\x1b[2JClear Corp\r\nEND:VCARD\r\n", encoding="utf-8")  # fmt: skip
    imported = run("import", "vcard", str(card))
    assert imported.exit_code == 0, imported.stderr
    assert "\x1b" not in imported.stdout
    listed = run("contacts")
    assert "\x1b" not in listed.stdout and "Eve" in listed.stdout


def test_the_database_is_the_owners_alone(tmp_path: Path) -> None:
    import os
    import stat
    import subprocess
    import sys

    os.umask(0o022)  # the usual umask, under which files were world-readable
    folder = tmp_path / "data" / "tactful"
    store = open_store(folder / "tactful.db")
    store.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for suffix in ("", "-wal", "-shm"):
        file = folder / f"tactful.db{suffix}"
        if file.exists():
            assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file
    shared = tmp_path / "shared.db"
    open_store(shared).close()
    shared.chmod(0o644)
    done = subprocess.run([sys.executable, "-m", "tactful", "--db", str(shared), "agenda"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "readable by other users" in done.stderr and stat.S_IMODE(shared.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.5.6.7", True), ("::1", True), ("0:0:0:0:0:0:0:1", True), ("[::1]", True),
     ("localhost", True), ("127.evil.example", False), ("0.0.0.0", False), ("192.168.1.2", False), ("::", False)],
)  # fmt: skip
def test_loopback_is_what_the_address_says_not_how_it_begins(host: str, loopback: bool) -> None:
    from tactful.cli.web import _loopback

    assert _loopback(host) is loopback


def test_a_password_from_stdin_loses_its_line_end_and_spaces_do_not_make_one(run, db_path) -> None:
    from tactful.service.access import check_password

    spaces = run("password", "--stdin", input=" " * 10 + "\r\n")
    assert spaces.exit_code == 1 and "besides spaces" in spaces.stderr
    good = run("password", "--stdin", input="correct horse battery\r\n")
    assert good.exit_code == 0, good.stderr
    service = Service(open_store(db_path))
    assert check_password(service, "correct horse battery")  # what was typed, without the "\r"


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("Ana,Silva,,,,,05 Mar 12345678901234567890", "is not a date"),
        ("Ana," + "x" * 140_000 + ",,,,,05 Mar 2024", "cannot be read as CSV"),
        ('Ana,"' + "x" * 140_000 + '",,,,,05 Mar 2024', "cannot be read as CSV"),
    ],
    ids=["a 20-digit year", "a cell past the csv limit", "a quoted cell past the csv limit"],
)
def test_an_import_of_a_broken_csv_is_one_line_and_writes_nothing(
    run, db_location, tmp_path, row, said
) -> None:
    from .snapshots import snapshot
    from .test_cli import setup

    setup(run)
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + row + "\n",
        encoding="utf-8",
    )
    before = snapshot(db_location)
    result = run("import", "linkedin", str(csv))
    assert result.exit_code == 1 and said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and snapshot(db_location) == before


def test_a_lone_surrogate_is_refused_not_a_crash(tmp_path: Path, run) -> None:
    """JSON can carry "\\ud800", and a terminal's undecodable bytes arrive as one; no file can store it."""
    import json

    from .test_web import make

    client = make(tmp_path).client
    for path, body in (("/api/v1/interactions", {"kind": "meeting", "people": ["Ana \ud800"]}),
                       ("/api/v1/interactions", {"kind": "meeting", "people": ["Ana"], "note": "x\ud800"})):  # fmt: skip
        answer = client.post(
            path, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422 and "lone surrogate" in answer.json()["error"]
    typed = run("log", "meeting", "--with", "Ana \udcff", "--at", "2026-03-02 10:00")
    assert typed.exit_code == 1 and "lone surrogate" in typed.stderr


def test_imported_names_lose_nul_and_line_breaks_and_overlong_fields_are_bad_rows(
    run, db_location, tmp_path
) -> None:
    """NUL from an import once reached the calendar feed; a vCard's escaped line break made a name
    that ended an e-mail header; a 16,000-character organisation was stored as given."""
    from .snapshots import snapshot
    from .test_cli import setup

    setup(run)
    csv = tmp_path / "Connections.csv"
    head = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    csv.write_text(head + "Bo\x00b,Lee,,bob@lee.example,Ac\x00me,Eng,01 Mar 2026\n", encoding="utf-8")
    assert run("import", "linkedin", str(csv)).exit_code == 0
    card = tmp_path / "ada.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\\nBcc: eve@evil.example\r\nN:Park;Ada;;;\r\n"
                    "EMAIL:ada@acme.example\r\nEND:VCARD\r\n", encoding="utf-8")  # fmt: skip
    assert run("import", "vcard", str(card)).exit_code == 0
    import json

    names = {c["name"]: c["organisation"] for c in json.loads(run("contacts", "--json").stdout)["contacts"]}
    assert names == {"Bob Lee": "Acme", "Ada Bcc: eve@evil.example": None}
    huge = tmp_path / "huge.csv"
    huge.write_text(head + "Cy,Ng,,cy@ng.example," + "W" * 16_000 + ",Eng,01 Mar 2026\n", encoding="utf-8")
    before = snapshot(db_location)
    refused = run("import", "linkedin", str(huge))
    assert refused.exit_code == 1 and "16,000 characters is too long" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and snapshot(db_location) == before
    skipped = run("import", "linkedin", str(huge), "--skip-bad")
    assert skipped.exit_code == 0 and "Cy Ng" not in run("contacts").stdout


def test_a_line_break_kept_in_an_older_name_cannot_add_a_header(run, db_path, tmp_path) -> None:
    """`draft --eml` raised, and the page's .eml download answered 500, on a name holding CR/LF."""
    import sqlite3

    from .test_cli import setup
    from .test_web import Web

    setup(run)
    run("log", "interview", "--with", "Ada Park", "--email", "ada@acme.example", "--org", "Acme",
        "--at", "2026-03-02 10:00")  # fmt: skip
    with sqlite3.connect(db_path) as conn:  # as a database written before names were held to one line
        conn.execute("UPDATE contacts SET name = ? WHERE id = 1", ("Ada\r\nBcc: eve@evil.example",))
    out = tmp_path / "draft.eml"
    made = run("draft", "1", "--eml", str(out), "--now", "2026-03-02 12:00")
    assert made.exit_code == 0, made.stderr
    headers = out.read_bytes().split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in headers and b"Ada Bcc: eve@evil.example" in headers
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app

    web = Web(TestClient(create_app(Settings(load(database=db_path))), base_url="http://127.0.0.1"))
    web.get("/compose/1")
    download = web.post("/compose/1/eml")
    assert download.status_code == 200 and b"\r\nBcc:" not in download.content.split(b"\r\n\r\n", 1)[0]


def test_control_characters_in_a_calendar_event_are_dropped_not_a_refusal(run, tmp_path) -> None:
    """A bell in an event's description or an escape in an attendee's name refused the whole .ics."""
    from .test_cli import setup

    setup(run)
    calendar = tmp_path / "events.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1@x\r\n"
        "DTSTART:20260302T100000Z\r\nDTEND:20260302T110000Z\r\nSUMMARY:Interview with Ada Park\r\n"
        'DESCRIPTION:Round one\x07 with the team\r\nATTENDEE;CN="Ada\x1b[2J Park":mailto:ada@acme.example\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    done = run("import", "ics", str(calendar), "--yes")
    assert done.exit_code == 0, done.stderr
    assert "\x1b" not in done.stdout and "Ada Park" in run("contacts").stdout


def test_a_message_id_holds_only_what_a_domain_can() -> None:
    """A profile e-mail with a line break (restored from an old backup) once made `draft --eml` raise."""
    from dataclasses import replace

    from tactful.domain import Profile
    from tactful.formats.eml import eml

    profile = replace(Profile(), name="Robin", email="robin@example.com\nX-Injected: 1")
    data, message_id = eml("Thanks", "Hi Ada,\n\nThank you.", ("Ada", "ada@acme.example"), profile,
                           dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))  # fmt: skip
    assert message_id.endswith("@tactful.invalid>") and b"\r\nX-Injected" not in data
