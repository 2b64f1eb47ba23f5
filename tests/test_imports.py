"""Imports: the parsers on golden files, the merge rules, and the import use cases on a database."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tactful.errors import InvalidInput
from tactful.formats.contacts import parse
from tactful.formats.ics_events import parse_events
from tactful.formats.merge import Index, Known, decide, linkedin_key
from tactful.formats.records import Address, ImportedContact, ParseError, Problem, read_text
from tactful.service import transfer as exchange
from tactful.service.profile import update_profile
from tactful.store.sqlite import SqliteStore

from .snapshots import query

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NY = ZoneInfo("America/New_York")
ME = ["robin.vale@example.net", "Robin Vale"]


def contacts(source: str, name: str):
    return parse(source, FIXTURES / name, read_text(FIXTURES / name))


def by_name(parsed) -> dict[str, ImportedContact]:
    return {c.name: c for c in parsed.items}


def rows(db: Path | str, sql: str) -> list[tuple]:
    return query(db, sql)


# -- LinkedIn ------------------------------------------------------------------------------------------------
def test_linkedin_export_with_notes_bom_and_url_column() -> None:
    parsed = contacts("linkedin", "Connections.csv")
    assert not parsed.problems and len(parsed.items) == 8
    priya = parsed.items[0]
    assert priya.line == 5  # after Notes:, the notice, a blank line and the header
    assert priya.name == "Priya Natarajan" and priya.organisation == "Acme Analytics"
    assert priya.linkedin == "https://www.linkedin.com/in/priya-natarajan-4b21a9"
    assert priya.connected_on == dt.date(2024, 3, 5) and priya.linkedin_connected and priya.emails == []
    people = by_name(parsed)
    assert people["Dana Whitfield"].organisation == "Harbour Foods, Inc."
    assert people["Dana Whitfield"].emails == [Address("dana.whitfield@harbourfoods.example")]
    assert people["Tomás de la Vega"].connected_on == dt.date(2023, 11, 18)
    assert people["Alex Novak"].organisation is None and people["Kenji Mori"].connected_on == dt.date(
        2024, 2, 29
    )


def test_older_linkedin_export_without_url_column() -> None:
    parsed = contacts("linkedin", "Connections_2019.csv")
    assert [c.name for c in parsed.items] == ["Samuel Holloway", "Maya Lindqvist", "Ana Vega"]
    assert all(c.linkedin is None for c in parsed.items)
    assert parsed.items[1].emails == [Address("maya.lindqvist@northwind.example")]


def test_bad_linkedin_rows_name_file_line_and_field() -> None:
    parsed = contacts("linkedin", "contacts.csv")
    assert [str(p) for p in parsed.problems] == [
        "contacts.csv line 14, field 'Connected On': '31 Foo 2024' is not a date like '05 Mar 2024'",
        "contacts.csv line 15, field 'First Name': no name: both First Name and Last Name are empty",
    ]
    assert [c.name for c in parsed.items][-2:] == ["Lucía Moreno", "Lena Fischer"]


def test_a_file_that_is_not_a_linkedin_export_is_refused(tmp_path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Name,Phone\nPriya,123\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"notes\.csv line 1: no header line 'First Name,Last Name"):
        parse("linkedin", path, read_text(path))


# -- Google ----------------------------------------------------------------------------------------------------
def test_google_current_layout_splits_values_and_labels() -> None:
    parsed = contacts("google", "google_contacts.csv")
    assert not parsed.problems
    people = by_name(parsed)
    dana = people["Dana Whitfield"]
    assert dana.line == 3 and dana.organisation == "Harbour Foods, Inc." and dana.role == "VP Operations"
    assert dana.emails == [Address("dana.whitfield@harbourfoods.example", "Work"),
                           Address("dana.w@fastmail.example", "Home")]  # fmt: skip
    assert dana.phones == [Address("+1 617 555 0199", "Work"), Address("+1 617 555 0123", "Mobile")]
    assert people["Kenji Mori"].line == 6  # Dana's notes and address span three lines
    assert people["Priya Natarajan"].linkedin == "https://linkedin.com/in/priya-natarajan-4b21a9/"
    assert people["Maria Chiara Rossi"].emails[0] == Address("m.rossi@atlas-labs.example", "Work")
    assert "recruiting@cobalt.example" in people  # no name: known by the address
    assert people["Samuel Holloway"].phones == [Address("+44 20 7946 0321", "Mobile")]


def test_google_older_layout_in_utf16() -> None:
    parsed = contacts("google", "google_legacy.csv")
    people = by_name(parsed)
    assert list(people) == ["Maya Lindqvist", "Omar Adeyemi", "Lena Fischer"]
    assert people["Maya Lindqvist"].emails == [Address("maya.lindqvist@northwind.example", "Work"),
                                               Address("maya@lindqvist.example", "Other")]  # fmt: skip
    assert (
        people["Omar Adeyemi"].organisation == "Fintrail" and people["Omar Adeyemi"].role == "Founder & CEO"
    )
    assert people["Omar Adeyemi"].linkedin == "https://uk.linkedin.com/in/omar-adeyemi-7"
    assert [a.label for a in people["Lena Fischer"].emails] == ["Home", "Work"]


def test_bad_google_row() -> None:
    parsed = contacts("google", "google_bad.csv")
    assert [str(p) for p in parsed.problems] == [
        "google_bad.csv line 6, field 'E-mail 1 - Value': 'robin.fairweather(at)granite.example' is not an "
        "email address"
    ]
    assert len(parsed.items) == 6


# -- vCard --------------------------------------------------------------------------------------------------
def test_vcard_21_quoted_printable_and_soft_breaks() -> None:
    parsed = contacts("vcard", "android_21.vcf")
    assert not parsed.problems
    elodie, omar, jonas = parsed.items
    assert elodie.name == "Élodie Durand" and elodie.line == 1
    assert elodie.organisation == "Société Générale des Données" and elodie.role == "Architecte de données"
    assert elodie.emails == [
        Address("e.durand@sgdd.example", "work"),
        Address("elodie.durand@example.fr", "home"),
    ]
    assert elodie.phones[0] == Address("+33612345678", "cell")
    assert omar.linkedin == "https://www.linkedin.com/in/omar-adeyemi-7" and omar.line == 15
    assert jonas.name == "Jonas Sørensen" and jonas.phones == [Address("+45 32 12 34 56", "home")]


def test_vcard_30_groups_labels_and_escapes() -> None:
    maya, priya = contacts("vcard", "apple_30.vcf").items
    assert maya.emails == [Address("maya@lindqvist.example", "other"),
                           Address("maya.lindqvist@northwind.example", "work")]  # fmt: skip
    assert maya.linkedin == "https://www.linkedin.com/in/maya-lindqvist/"
    assert maya.urls == [Address("https://lindqvist.example", "homepage")]
    assert maya.organisation == "Northwind Robotics" and maya.phones[0].label == "cell"
    assert priya.emails == [Address("PRIYA@acme-analytics.example", "conference")]
    assert priya.linkedin == "https://www.linkedin.com/in/priya-natarajan-4b21a9"  # X-SOCIALPROFILE


def test_vcard_40_typed_uris() -> None:
    kenji, grace = contacts("vcard", "contacts_40.vcf").items
    assert kenji.phones == [Address("+81-90-1234-5678", "cell")]
    assert kenji.emails[0] == Address("kenji.mori@lumen-health.example", "work")
    assert kenji.linkedin == "https://linkedin.com/in/kenjimori"
    assert grace.role == "Partner, Data & AI" and grace.line == 12


def test_bad_vcards_are_each_reported() -> None:
    parsed = contacts("vcard", "vcard_bad.vcf")
    assert [c.name for c in parsed.items] == ["Maya Lindqvist"]
    assert [str(p) for p in parsed.problems] == [
        "vcard_bad.vcf line 6, field 'FN': the card has no name (neither FN nor N)",
        "vcard_bad.vcf line 15, field 'EMAIL': 'robin.fairweather at granite.example' is not an email address",
        "vcard_bad.vcf line 17: BEGIN:VCARD without its END:VCARD",
    ]


def test_bad_21_cards_name_the_line_and_property() -> None:
    parsed = contacts("vcard", "android_bad_21.vcf")
    assert [c.name for c in parsed.items] == ["Élodie Durand"]
    assert [str(p) for p in parsed.problems] == [
        "android_bad_21.vcf line 9, field 'N': unreadable: the value is not UTF-8 text once decoded; check its "
        "CHARSET",
        "android_bad_21.vcf line 16: unreadable: Failed to parse line: this line has no colon and no value",
    ]


# -- calendar events ------------------------------------------------------------------------------------
def test_calendar_events_that_look_like_interactions() -> None:
    parsed = parse_events(read_text(FIXTURES / "calendar.ics"), "calendar.ics", NY, ME)
    assert not parsed.problems
    found = {p.summary: p for p in parsed.items}
    interview = found["Interview: Senior Data Engineer at Acme Analytics"]
    assert interview.kind == "interview" and interview.title == "Senior Data Engineer"
    assert interview.at == dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    assert [(p.name, p.email) for p in interview.people] == [
        ("Priya Natarajan", "priya@acme-analytics.example"),
        ("Tomás de la Vega", "tomas@acme-analytics.example"),
    ]  # you, the room and the duplicate organiser are left out
    assert interview.organisation == "Acme Analytics" and "system design" in (interview.note or "")
    coffee = found["Coffee with Dana Whitfield"]
    assert coffee.kind == "meeting" and [p.name for p in coffee.people] == ["Dana Whitfield"]
    call = found["Intro call — Omar Adeyemi (Fintrail)"]
    assert call.kind == "call" and call.organisation == "Fintrail" and call.note is None  # Zoom text dropped
    pitch = found["Pitch: Q3 analytics pilot"]
    assert pitch.kind == "presentation" and pitch.organisation == "Granite Systems"
    assert found["Final interview at Northwind Robotics"].organisation == "Northwind Robotics"
    assert {u.summary: u.reason for u in parsed.unrelated} == {
        "Dentist": "not an interview, meeting or call",
        "Weekly platform sync meeting": "a recurring event, not a one-off conversation",
        "PyData London: networking and talks": "an all-day event, not a conversation",
        "Phone screen with Harbour Foods": "cancelled",
        "Lunch": "nobody to follow up with: no attendees, and no 'with NAME' in the title",
        "1:1 Kim / Robin": "not an interview, meeting or call",
    }


def test_broken_calendar_events() -> None:
    parsed = parse_events(read_text(FIXTURES / "calendar_bad.ics"), "calendar_bad.ics", NY, ME)
    assert [p.summary for p in parsed.items] == ["Coffee with Dana Whitfield"]
    assert [str(p) for p in parsed.problems] == [
        "calendar_bad.ics line 13, field 'DTSTART': unreadable value (Expected datetime, date, or time. "
        "Got: '2026-13-45')",
        "calendar_bad.ics line 17, field 'DTSTART': the event has no start time",
    ]


def test_not_a_calendar(tmp_path) -> None:
    path = tmp_path / "x.ics"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"x.ics line 1: not an iCalendar file"):
        parse_events(read_text(path), "x.ics", NY)


# -- merge rules --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/priya-n",
        "http://linkedin.com/in/priya-n/",
        "HTTPS://WWW.LINKEDIN.COM/in/Priya-N?trk=public_profile",
        "linkedin.com/in/priya-n",
        "https://uk.linkedin.com/in/priya-n/",
    ],
)
def test_linkedin_addresses_are_normalised(url) -> None:
    assert linkedin_key(url) == "linkedin.com/in/priya-n"


@given(st.from_regex(r"[a-z0-9-]{3,20}", fullmatch=True), st.sampled_from(["https://", "http://", ""]),
       st.sampled_from(["www.", ""]), st.sampled_from(["/", ""]))  # fmt: skip
def test_linkedin_key_ignores_scheme_www_and_slash(slug, scheme, www, slash) -> None:
    assert linkedin_key(f"{scheme}{www}linkedin.com/in/{slug}{slash}") == f"linkedin.com/in/{slug}"


def item(name: str, **fields) -> ImportedContact:
    return ImportedContact(line=fields.pop("line", 2), name=name, **fields)


def test_a_merge_fills_gaps_and_keeps_what_differs() -> None:
    known = Known(id=1, name="Priya Natarajan", email="priya@acme.example", organisation="Acme",
                  emails={"priya@acme.example"})  # fmt: skip
    index = Index([known])
    decision = decide(item("P. Natarajan", emails=[Address("PRIYA@ACME.EXAMPLE")], organisation="Acme Corp",
                           role="Head of Data", phones=[Address("+1 212 555 0147")]), index, "google")  # fmt: skip
    assert decision.action == "updated" and decision.contact_id == 1 and decision.matched_by == "email"
    assert decision.fields == {"role": "Head of Data", "phone": "+1 212 555 0147"}
    assert [(k.field, k.kept, k.ignored) for k in decision.kept] == [("organisation", "Acme", "Acme Corp")]
    again = decide(item("Priya Natarajan", emails=[Address("priya@acme.example")]), index, "google")
    assert again.action == "skipped" and not again.fields


def test_merge_by_linkedin_then_name_and_organisation() -> None:
    index = Index([
        Known(id=1, name="Kenji Mori", linkedin="https://www.linkedin.com/in/kenjimori/"),
        Known(id=2, name="Dana Whitfield", organisation="Harbour Foods"),
        Known(id=3, name="Alex Kim", organisation="Acme"),
        Known(id=4, name="Alex Kim", organisation="Globex"),
        Known(id=5, name="Sam Lee"),
    ])  # fmt: skip
    assert (
        decide(item("K. Mori", linkedin="http://linkedin.com/in/kenjimori"), index, "vcard").contact_id == 1
    )
    assert decide(item("dana  WHITFIELD", organisation="harbour foods"), index, "vcard").contact_id == 2
    assert decide(item("Alex Kim"), index, "vcard").action == "created"  # two of them: not a guess
    assert decide(item("Sam Lee", organisation="Atlas"), index, "vcard").contact_id == 5
    assert decide(item("Dana Whitfield", organisation="Other Co"), index, "vcard").action == "created"


def test_a_file_merges_with_itself() -> None:
    index = Index([])
    first = decide(item("Maya Lindqvist", emails=[Address("maya@x.example")]), index, "google")
    second = decide(item("Maya Lindqvist", line=9, emails=[Address("MAYA@x.example"), Address("m@y.example")]),
                    index, "google")  # fmt: skip
    assert first.action == "created" and second.action == "updated"
    assert second.addresses == [("email", Address("m@y.example"))]


def test_an_email_of_someone_else_is_not_taken() -> None:
    index = Index([Known(id=1, name="Ana Vega", email="ana@atlas.example", emails={"ana@atlas.example"}),
                   Known(id=2, name="Ana Vega", organisation="Atlas Labs", linkedin="linkedin.com/in/ana")])  # fmt: skip
    decision = decide(item("Ana Vega", linkedin="https://linkedin.com/in/ana/", emails=[]), index, "x")
    assert decision.contact_id == 2
    other = decide(item("Ana V", linkedin="linkedin.com/in/ana", emails=[Address("x@y.example")]), index, "x")
    assert other.contact_id == 2 and other.fields == {"email": "x@y.example"}


# -- use cases on a database --------------------------------------------------------------------------------
def test_linkedin_import_merges_records_the_connection_and_plans_nothing(world) -> None:
    world.log("interview", "Priya Natarajan", org="Acme Analytics", at="2026-03-02 10:00")
    planned = len(world.plan(1))
    report = exchange.import_contacts(world.service, "linkedin", FIXTURES / "Connections.csv")
    assert (report.count("created"), report.count("updated"), report.skipped) == (7, 1, 0)
    priya = world.store.get_contact(1)
    assert priya is not None and priya.linkedin_connected and priya.role == "Head of Data Platform"
    db = world.store.location
    assert rows(db, "SELECT connected_on, imported_from FROM contacts WHERE id = 1") == [("2024-03-05", None)]
    assert rows(
        db, "SELECT count(*) FROM contacts WHERE imported_from = 'linkedin' AND linkedin_connected = 1"
    ) == [(7,)]
    assert rows(db, "SELECT count(*) FROM followups") == [(planned,)]  # no follow-up for 10,000 connections
    again = exchange.import_contacts(world.service, "linkedin", FIXTURES / "Connections.csv")
    assert (again.count("created"), again.count("updated"), again.skipped) == (0, 0, 8)


def test_imports_from_every_source_merge_into_one_address_book(world) -> None:
    for source, name in [("linkedin", "Connections.csv"), ("google", "google_contacts.csv"),
                         ("google", "google_legacy.csv"), ("vcard", "apple_30.vcf"),
                         ("vcard", "contacts_40.vcf"), ("vcard", "android_21.vcf")]:  # fmt: skip
        exchange.import_contacts(world.service, source, FIXTURES / name)
    db = world.store.location
    names = [r[0] for r in rows(db, "SELECT name FROM contacts ORDER BY name")]
    assert len(names) == len(set(names)), names  # every person once
    priya = world.store.find_contacts("Priya Natarajan")[0]
    assert priya.email == "priya@acme-analytics.example" and priya.phone == "+1 212 555 0147"
    kenji = world.store.find_contacts("Kenji Mori")[0]
    assert kenji.organisation == "Lumen Health"  # kept, though Google said "Lumen Health KK"
    extra = rows(
        db, f"SELECT kind, value FROM contact_addresses WHERE contact_id = {kenji.id} ORDER BY value"
    )
    assert ("email", "kenji@mori-family.example") in extra


def test_dry_run_reports_the_same_and_writes_nothing(world) -> None:
    db = world.store.location
    before = rows(db, "SELECT * FROM contacts")
    dry = exchange.import_contacts(world.service, "google", FIXTURES / "google_contacts.csv", dry_run=True)
    assert rows(db, "SELECT * FROM contacts") == before
    real = exchange.import_contacts(world.service, "google", FIXTURES / "google_contacts.csv")
    strip = ("contact_id",)
    assert [{k: v for k, v in c.items() if k not in strip} for c in dry.to_dict()["contacts"]] == [
        {k: v for k, v in c.items() if k not in strip} for c in real.to_dict()["contacts"]
    ]


def test_a_bad_row_imports_nothing_unless_skipped(world) -> None:
    db = world.store.location
    with pytest.raises(ParseError) as caught:
        exchange.import_contacts(world.service, "linkedin", FIXTURES / "contacts.csv")
    assert str(caught.value).startswith(
        "contacts.csv line 14, field 'Connected On': '31 Foo 2024' is not a date like '05 Mar 2024' (1 more"
    )
    assert rows(db, "SELECT count(*) FROM contacts") == [(0,)]
    report = exchange.import_contacts(world.service, "linkedin", FIXTURES / "contacts.csv", skip_bad=True)
    assert report.count("created") == 10 and report.skipped == 2
    assert [b["line"] for b in report.to_dict()["bad"]] == [14, 15]


def test_a_failure_while_writing_rolls_the_whole_import_back(world, monkeypatch) -> None:
    calls = []
    real = SqliteStore.apply_import

    def failing(store, decision, at):
        calls.append(decision)
        if len(calls) == 5:
            raise sqlite3.OperationalError("disk I/O error")
        return real(store, decision, at)

    monkeypatch.setattr(SqliteStore, "apply_import", failing)
    with pytest.raises(sqlite3.OperationalError):
        exchange.import_contacts(world.service, "linkedin", FIXTURES / "Connections.csv")
    assert rows(world.store.location, "SELECT count(*) FROM contacts") == [(0,)]


def test_calendar_events_are_proposed_then_logged_with_their_followups(world) -> None:
    update_profile(world.service, email="robin.vale@example.net")
    report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10 09:00")
    assert [p.kind for p in report.proposals] == ["interview", "meeting", "call", "presentation"]
    assert any(u.reason == "in the future: import it after it happened" for u in report.unrelated)
    report = exchange.log_events(world.service, report, [0, 2])
    assert [p.kind for p, _ in report.logged] == ["interview", "call"]
    interview = report.logged[0][1]
    assert interview.interaction.at == dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    assert {f.rule for f in interview.change.added} >= {"interview.thank-you", "interview.check-in"}
    tomas = world.store.find_contacts("Tomás de la Vega")[0]
    assert tomas.email == "tomas@acme-analytics.example" and tomas.organisation == "Acme Analytics"
    again = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10 09:00")
    assert [p.kind for p in again.proposals] == ["meeting", "presentation"]
    assert sum(u.reason.startswith("already logged") for u in again.unrelated) == 2


def test_known_people_in_events_are_found_by_email(world) -> None:
    world.log("meeting", "Omar A.", org="Fintrail", email="omar@fintrail.example", at="2026-02-20 10:00")
    report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10 09:00")
    report = exchange.log_events(world.service, report, [2])
    assert report.logged[0][1].interaction.contact_ids == (1,)
    assert len(world.store.find_contacts("Omar Adeyemi")) == 0


def test_problem_text() -> None:
    assert str(Problem("a.csv", 3, "bad", "X")) == "a.csv line 3, field 'X': bad"
    assert str(Problem("a.vcf", 7, "odd")) == "a.vcf line 7: odd"


# -- files that are not what they say ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "text", "message"),
    [
        ("linkedin", "Notes:\n\"x\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
         "c.csv line 4: only the header, no connection below it"),
        ("linkedin", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n,,,,,,\n",
         "c.csv line 1: only the header, no connection below it"),
        ("google", "First Name,Middle Name,Last Name,Organization Name,E-mail 1 - Value\n",
         "c.csv line 1: only the header, no contact below it"),
    ],
)  # fmt: skip
def test_a_csv_with_only_its_header_is_refused(source, text, message) -> None:
    with pytest.raises(ParseError, match=f"^{message}"):
        parse(source, Path("c.csv"), text)


def test_a_broken_utf16_file_is_refused_in_one_line(tmp_path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xff\xfeF\x00i\x00\x00\xd8")  # a lone surrogate after the byte-order mark
    with pytest.raises(InvalidInput, match=r"^c\.csv is not readable UTF-16 text, as its first bytes say"):
        read_text(path)
    path.write_bytes(b"\xfe\xff\x00F\x00")  # an odd number of bytes
    with pytest.raises(
        InvalidInput,
        match=r"^c\.csv is not readable UTF-16 text, as its first bytes say \(truncated data at byte 4\)",
    ):
        read_text(path)


def test_text_that_is_not_utf8_is_read_as_windows_1252_unless_told_not_to_guess(tmp_path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("Zoë".encode("cp1252"))
    assert read_text(path) == "Zoë"
    with pytest.raises(InvalidInput, match=r"^c\.csv is not UTF-8 text \(byte 0xeb at 2\)"):
        read_text(path, guess=False)


# -- finding people by email ---------------------------------------------------------------------------------
def test_contacts_are_found_by_any_of_their_email_addresses(world) -> None:
    world.log("meeting", "Ana Vega", org="Atlas", email="ana@atlas.example", at="2026-03-02 10:00")
    world.log("meeting", "Ben Okafor", org="Borealis", email="ben@borealis.example", at="2026-03-02 11:00")
    world.store.conn.executemany(
        "INSERT INTO contact_addresses (contact_id, kind, value) VALUES (?, 'email', ?)",
        [(1, "ana.vega@home.example"), (1, "BEN@borealis.example")],
    )
    store = world.store

    def contact_by_email(store, email):
        found = store.find_contact_by_email(email)
        return found.id if found else None

    assert contact_by_email(store, "ANA@atlas.example") == 1
    assert contact_by_email(store, "Ana.Vega@HOME.example") == 1  # a further address, in any case
    assert contact_by_email(store, "ben@borealis.example") == 2  # a first address beats a further one
    assert contact_by_email(store, "nobody@example.com") is None
    for email in ("ana@atlas.example", "ben@borealis.example", "ana.vega@home.example", "nobody@x.example"):
        found = store.find_contact_by_email(email)
        if found is not None:  # wherever the store finds someone, it is the same person
            assert contact_by_email(store, email) == found.id
