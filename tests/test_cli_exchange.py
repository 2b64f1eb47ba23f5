"""`tactful export`, `import` and `feed` through the real command group, as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from tactful.cli import transfer as cli_exchange
from tactful.service import Service
from tactful.service import transfer as exchange
from tactful.store import open_store

from .postgres import new_location
from .snapshots import snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def setup(run) -> None:
    result = run("profile", "--name", "Robin Vale", "--email", "robin.vale@example.net",
                 "--tz", "America/New_York", "--country", "US")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = run("log", "interview", "--with", "Priya Natarajan", "--org", "Acme Analytics",
                 "--for", "Data Engineer", "--at", "2026-03-02 10:00")  # fmt: skip
    assert result.exit_code == 0, result.stderr


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def test_every_new_command_has_help(run) -> None:
    out = run("--help").stdout
    assert "export" in out and "import" in out and "feed" in out
    for group in (cli_exchange.export, cli_exchange.import_, cli_exchange.feed):
        assert group.help and run(str(group.name), "--help").exit_code == 0
        for name, command in group.commands.items():
            assert command.help, f"{group.name} {name} has no help text"
            assert run(str(group.name), name, "--help").exit_code == 0


# -- export ics ---------------------------------------------------------------------------------------------
def test_export_ics_to_stdout_and_to_a_file(run, tmp_path) -> None:
    setup(run)
    result = run("export", "ics")
    assert result.exit_code == 0
    cal = icalendar.Calendar.from_ical(result.stdout_bytes)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Check in with Priya Natarajan (Acme Analytics) by email",
                         "Thank Priya Natarajan (Acme Analytics) by email"]  # fmt: skip
    out = tmp_path / "cal" / "followups.ics"
    result = run("export", "ics", "--todo", "--out", str(out), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": str(out), "format": "ics", "kind": "to-dos", "followups": 2}
    assert len(icalendar.Calendar.from_ical(out.read_bytes()).walk("VTODO")) == 2
    human = run("export", "ics", "--out", str(out)).stdout
    assert human.strip() == f"Wrote 2 follow-ups as events to {out}."


def test_export_ics_json_needs_a_file(run) -> None:
    setup(run)
    result = run("export", "ics", "--json")
    assert result.exit_code == 2 and "--json needs --out FILE" in result.stderr


def test_export_to_an_unwritable_place(run, tmp_path) -> None:
    setup(run)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_error_line(run("export", "ics", "--out", str(blocker / "sub" / "x.ics")))
    assert line.startswith("error: cannot write") and "choose another --out" in line


# -- backups --------------------------------------------------------------------------------------------------
def test_backup_round_trip_through_the_command_line(run, db_location, tmp_path) -> None:
    setup(run)
    run("feed", "show")
    backup = tmp_path / "backup.json"
    assert run("export", "json", "--out", str(backup)).exit_code == 0
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["format"] == "tactful-backup" and document["schema"] == 1
    assert json.loads(run("export", "json").stdout)["tables"] == document["tables"]

    refused = one_error_line(run("import", "json", str(backup)))
    assert "already holds data" in refused and "--replace" in refused

    fresh = new_location(tmp_path, "fresh.db")  # the same kind of store
    restored = run("--db", str(fresh), "import", "json", str(backup), "--json")
    assert restored.exit_code == 0, restored.stderr
    assert json.loads(restored.stdout)["restored"]["followups"] == 2
    assert snapshot(fresh, undo_record=False) == snapshot(db_location, undo_record=False)
    again = run("import", "json", str(backup), "--replace")
    assert again.exit_code == 0 and again.stdout.startswith("Restored ")


# -- contact imports ------------------------------------------------------------------------------------------
def test_import_linkedin_reports_counts(run, run_json) -> None:
    setup(run)
    human = run("import", "linkedin", str(FIXTURES / "Connections.csv"))
    assert human.exit_code == 0
    assert "Imported Connections.csv (LinkedIn): 7 created, 1 updated, 0 skipped." in human.stdout
    report = run_json("import", "linkedin", str(FIXTURES / "Connections.csv"))
    assert (report["created"], report["updated"], report["skipped"]) == (0, 0, 8)
    assert report["contacts"][0] == {"line": 5, "name": "Priya Natarajan", "action": "skipped", "contact_id": 1,
                                     "matched_by": "linkedin", "filled": [], "added": []}  # fmt: skip
    agenda = run_json("agenda", "--now", "2026-03-02 13:00", "--all")
    assert {i["contact"]["name"] for i in agenda["items"]} == {
        "Priya Natarajan"
    }  # nothing planned for imports


def test_import_google_keeps_what_differs(run, run_json) -> None:
    setup(run)
    run_json("import", "linkedin", str(FIXTURES / "Connections.csv"))
    report = run_json("import", "google", str(FIXTURES / "google_contacts.csv"))
    assert (report["created"], report["updated"], report["skipped"]) == (3, 3, 0)
    assert report["kept"] == [{"line": 6, "contact_id": 4, "name": "Kenji Mori", "field": "organisation",
                               "kept": "Lumen Health", "ignored": "Lumen Health KK"}]  # fmt: skip
    human = run("import", "vcard", str(FIXTURES / "contacts_40.vcf")).stdout
    assert "Imported contacts_40.vcf (vCard): 0 created, 2 updated, 0 skipped." in human


def test_dry_run_changes_nothing(run, db_location) -> None:
    setup(run)
    before = snapshot(db_location)
    result = run("import", "google", str(FIXTURES / "google_contacts.csv"), "--dry-run", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["created"] == 5 and report["updated"] == 1
    assert snapshot(db_location) == before
    assert (
        "Dry run: nothing was written."
        in run("import", "vcard", str(FIXTURES / "apple_30.vcf"), "--dry-run").stdout
    )


@pytest.mark.parametrize(
    ("source", "name", "message"),
    [
        ("linkedin", "contacts.csv",
         "error: contacts.csv line 14, field 'Connected On': '31 Foo 2024' is not a date like '05 Mar 2024'"),
        ("google", "google_bad.csv",
         "error: google_bad.csv line 6, field 'E-mail 1 - Value': 'robin.fairweather(at)granite.example' is not"),
        ("vcard", "vcard_bad.vcf", "error: vcard_bad.vcf line 6, field 'FN': the card has no name"),
        ("ics", "calendar_bad.ics", "error: calendar_bad.ics line 13, field 'DTSTART': unreadable value"),
        ("linkedin", "google_contacts.csv",
         "error: google_contacts.csv line 1, field 'Connected On': the header lacks Connected On: is this LinkedIn"),
        ("vcard", "google_contacts.csv", "error: google_contacts.csv line 1: no BEGIN:VCARD found"),
        ("google", "android_21.vcf", "error: android_21.vcf line 1: the header is neither Google's"),
        ("json", "Connections.csv", "error: Connections.csv line 1: not JSON"),
    ],
)  # fmt: skip
def test_bad_files_import_nothing(run, db_location, source, name, message) -> None:
    setup(run)
    before = snapshot(db_location)
    line = one_error_line(run("import", source, str(FIXTURES / name)))
    assert line.startswith(message), line
    assert snapshot(db_location) == before


def test_skip_bad_imports_the_rest_and_lists_what_it_skipped(run, run_json) -> None:
    setup(run)
    human = run("import", "linkedin", str(FIXTURES / "contacts.csv"), "--skip-bad")
    assert human.exit_code == 0
    assert "9 created, 1 updated, 2 skipped" in human.stdout and "Skipped 2 bad entries:" in human.stdout
    assert "contacts.csv line 15, field 'First Name': no name" in human.stdout
    report = run_json("import", "vcard", str(FIXTURES / "vcard_bad.vcf"), "--skip-bad")
    assert report["created"] == 1 and [b["line"] for b in report["bad"]] == [6, 15, 17]


def test_a_missing_file_is_a_user_error_on_one_line(run) -> None:
    result = run("import", "linkedin", "/no/such/Connections.csv")
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- calendar events --------------------------------------------------------------------------------------------
def test_import_ics_without_a_terminal_lists_and_logs_nothing(run, db_location) -> None:
    setup(run)
    before = snapshot(db_location)
    result = run("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00")
    assert result.exit_code == 0
    assert "4 events in calendar.ics look like interactions" in result.stdout
    assert "Nothing logged: pass --yes" in result.stdout
    assert snapshot(db_location) == before
    report = json.loads(run("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00",
                            "--json").stdout)  # fmt: skip
    assert report["confirmed"] is False and report["created"] == 0
    assert [p["kind"] for p in report["proposed"]] == ["interview", "meeting", "call", "presentation"]
    assert report["proposed"][0]["at"] == "2026-03-02T10:00:00-05:00"
    reasons = {u["summary"]: u["reason"] for u in report["left_alone"]}
    assert reasons["Final interview at Northwind Robotics"] == "in the future: import it after it happened"


def test_import_ics_yes_logs_them_with_their_followups(run, run_json) -> None:
    setup(run)
    report = run_json("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00", "--yes")
    assert report["created"] == 4 and all(p["logged"] for p in report["proposed"])
    assert report["proposed"][0]["followups"] >= 2
    agenda = run_json("agenda", "--now", "2026-03-03 09:00", "--all")
    assert "Tomás de la Vega" in {i["contact"]["name"] for i in agenda["items"]}
    again = run_json("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00", "--yes")
    assert again["created"] == 0 and again["proposed"] == []


def test_import_ics_asks_in_a_terminal(run, run_json, monkeypatch) -> None:
    setup(run)
    monkeypatch.setattr(cli_exchange, "_interactive", lambda: True)
    result = run("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00", input="2,3\n")
    assert result.exit_code == 0, result.stderr
    assert "Log which?" in result.stderr and "Coffee with Dana Whitfield" in result.stderr
    assert "Logged 2 interactions" in result.stdout
    kinds = [
        i["kind"] for t in run_json("show", "contact", "Dana Whitfield")["threads"] for i in t["interactions"]
    ]
    assert kinds == ["meeting"]
    bad = run("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00", input="9\n")
    assert bad.exit_code == 1 and "'9' is not one of the numbers 1 to 2" in bad.stderr


def test_import_ics_dry_run(run, db_location) -> None:
    setup(run)
    before = snapshot(db_location)
    result = run("import", "ics", str(FIXTURES / "calendar.ics"), "--now", "2026-03-10 09:00", "--dry-run")
    assert result.exit_code == 0 and "Dry run: would log 4 interactions" in result.stdout
    assert snapshot(db_location) == before


# -- the feed -----------------------------------------------------------------------------------------------------
def test_feed_show_makes_one_token_and_rotate_replaces_it(run, run_json, db_path) -> None:
    setup(run)
    first = run_json("feed", "show")
    assert first["path"] == f"/calendar/{first['token']}.ics" and len(first["token"]) >= 43
    assert run_json("feed", "show")["token"] == first["token"]
    human = run("feed", "show").stdout
    assert f"Feed path: {first['path']}" in human
    rotated = run_json("feed", "rotate")
    assert rotated["token"] != first["token"]
    store = open_store(db_path)
    try:
        assert exchange.feed_token_matches(Service(store), rotated["token"])
        assert not exchange.feed_token_matches(Service(store), first["token"])
        assert not exchange.feed_token_matches(Service(store), "")
        assert not exchange.feed_token_matches(Service(store), "é" * 43)
        served = exchange.feed_ics(Service(store))
        assert b"Thank Priya Natarajan (Acme Analytics) by email" in served
    finally:
        store.close()
    assert "the old one no longer works" in run("feed", "rotate").stdout


def test_no_feed_token_matches_nothing(fresh_db) -> None:
    assert not exchange.feed_token_matches(Service(fresh_db), "anything")


def test_progress_is_only_for_large_files_in_a_terminal() -> None:
    small = list(range(10))
    assert cli_exchange._progress(small, "x") is small
    large = list(range(cli_exchange.PROGRESS_FROM + 1))
    assert cli_exchange._progress(large, "x") is large  # stderr is not a terminal under pytest


# -- the shared --json option and emit ------------------------------------------------------------------------
def test_every_command_has_one_json_option_and_prints_through_cli_emit(run, monkeypatch) -> None:
    for group in (cli_exchange.export, cli_exchange.import_, cli_exchange.feed):
        for name, command in group.commands.items():
            flags = [p for p in command.params if p.name == "as_json"]
            assert len(flags) == 1, f"{group.name} {name}"
            assert "--json" in run(str(group.name), name, "--help").stdout
    printed = []
    monkeypatch.setattr("tactful.cli.transfer.emit", printed.append)
    setup(run)
    assert run("feed", "show", "--json").exit_code == 0
    assert printed and printed[0]["path"].startswith("/calendar/")


def test_either_module_may_be_imported_first() -> None:
    script = (
        "import tactful.cli.transfer, tactful.cli\n"
        "from click.testing import CliRunner\n"
        "for args in ([], ['export'], ['import'], ['import', 'json']):\n"
        "    result = CliRunner().invoke(tactful.cli.cli, [*args, '--help'])\n"
        "    assert result.exit_code == 0 and 'Usage' in result.output, result.output\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


# -- bad input: one line on stderr, exit 1, nothing written --------------------------------------------------------
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@pytest.mark.parametrize(
    ("source", "content", "message"),
    [
        *[(source, b"", "error: bad.txt line 1: ") for source in ("linkedin", "google", "vcard", "ics", "json")],
        *[(source, b"\xff\xfeF\x00i\x00r", "error: bad.txt is not readable UTF-16 text")
          for source in ("linkedin", "google", "vcard", "ics", "json")],
        ("linkedin", LINKEDIN_HEADER.encode(), "error: bad.txt line 1: only the header, no connection below it"),
        ("google", b"First Name,Middle Name,Last Name,Organization Name\r\n",
         "error: bad.txt line 1: only the header, no contact below it"),
        ("json", b'{"format": "tactful-backup", "schema": 1, "tables": {"profile": [{"key": "tz", "value": "5"}]}}',
         "error: bad.txt: profile row 1 (key 'tz'), field 'value': 5 is not a time zone"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(
    run, db_location, tmp_path, source, content, message
) -> None:
    setup(run)
    before = snapshot(db_location)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    args = ["--replace"] if source == "json" else []
    line = one_error_line(run("import", source, str(bad), *args))
    assert line.startswith(message), line
    assert snapshot(db_location) == before


def test_a_file_that_is_not_utf8_is_read_as_windows_1252(run, run_json, tmp_path) -> None:
    setup(run)
    path = tmp_path / "Connections.csv"
    path.write_bytes((LINKEDIN_HEADER + "Zoë,Lindqvist,,,Ørsted,Analyst,05 Mar 2024\n").encode("cp1252"))
    report = run_json("import", "linkedin", str(path))
    assert [c["name"] for c in report["contacts"]] == ["Zoë Lindqvist"]


@pytest.mark.parametrize("what", ["ics", "json"])
def test_an_export_to_a_place_it_cannot_write_writes_nothing(run, tmp_path, what) -> None:
    setup(run)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_error_line(run("export", what, "--out", str(blocker / "x.out")))
    assert line.startswith(f"error: cannot write {blocker / 'x.out'}") and "choose another --out" in line
    assert blocker.read_text() == "x" and not list(tmp_path.rglob("*x.out*"))  # no half-written file
