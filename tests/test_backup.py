"""Backups: `export json` then `import json` gives back every row of every table, and nothing else."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tactful.cli import cli
from tactful.domain import Profile
from tactful.errors import Conflict, InvalidInput, TactfulError
from tactful.formats.backup import PROFILE, Column, check
from tactful.service import Service, followups, reading
from tactful.service import transfer as exchange
from tactful.service.followups import LogRequest
from tactful.service.profile import update_profile
from tactful.store import open_store

from .conftest import World
from .postgres import new_location
from .snapshots import snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PEOPLE = ["Priya Natarajan", "Tomás de la Vega", "Dana Whitfield", "Kenji Mori", "Zoë Lindqvist"]
ORGS = ["Acme Analytics", "Harbour Foods, Inc.", "Lumen Health"]
KINDS = ["interview", "application", "meeting", "call", "presentation", "client-meeting", "help-promised"]
OUTCOMES = ["rejected", "offer", "accepted", "won", "lost", "closed", "helped"]


def restore_into(document: dict, path: Path, replace: bool = False, into: Any = None) -> Service:
    """`document` restored into the database at `into` (default: the file `path`)."""
    backup = path.parent / f"{path.stem}.json"
    backup.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    service = Service(open_store(into or path))
    exchange.import_json(service, backup, replace=replace)
    return service


def rich_history(world: World) -> None:
    update_profile(
        world.service, email="robin.vale@example.net", skills=["Python", "data pipelines"], notes=True
    )
    world.log("interview", "Priya Natarajan", "Tomás de la Vega", org="Acme Analytics", title="Data Engineer",
              email="priya@acme.example", at="2026-03-02 10:00", topics=["streaming"], questions=["on-call?"],
              decision_by="2026-03-09")  # fmt: skip
    world.log("introduction", "Kenji Mori", introduced_by="Dana Whitfield", at="2026-03-02 11:00")
    thanks = [f for f in world.plan(1) if f.rule == "interview.thank-you"]
    world.clock("2026-03-02 16:00")
    world.done(thanks[0].id, "2026-03-02 15:00", text="Dear Priya, thank you...")
    followups.skip(world.service, thanks[1].id, reason="thanked in person")
    world.clock("2026-03-04 10:00")
    followups.reply(world.service, "Priya Natarajan", at="2026-03-04 09:00")
    followups.outcome(world.service, 1, "rejected", at="2026-03-04 10:00")
    exchange.import_contacts(world.service, "vcard", FIXTURES / "apple_30.vcf")
    exchange.import_contacts(world.service, "linkedin", FIXTURES / "Connections.csv")
    report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10 09:00")
    exchange.log_events(world.service, report, [1])
    exchange.feed_show(world.service)


def test_the_backup_document(world) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    assert document["format"] == "tactful-backup" and document["schema"] == 1
    assert document["database_version"] >= 3
    tables = document["tables"]
    for table in ("profile", "organisations", "contacts", "contact_addresses", "threads", "interactions",
                  "interaction_contacts", "followups", "events", "imported_events", "calendar_feed"):  # fmt: skip
        assert tables[table], table
        assert document["counts"][table] == len(tables[table])
    statuses = {f["status"] for f in tables["followups"]}
    assert statuses == {"planned", "done", "skipped", "cancelled"}
    assert any(f["text"] == "Dear Priya, thank you..." for f in tables["followups"])
    assert json.loads(json.dumps(document)) == document


def test_round_trip_restores_every_row(world, tmp_path) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    target = new_location(tmp_path, "restored.db")
    restored = restore_into(document, tmp_path / "restored.db", into=target)
    # what undo keeps is not part of a backup: a restored database starts its own
    assert snapshot(target, undo_record=False) == snapshot(world.store.location, undo_record=False)
    token = exchange.feed_show(world.service).token
    assert exchange.feed_token_matches(restored, token)
    assert restored.profile == world.service.profile
    agenda = reading.agenda(restored, "2026-03-05 09:00", everything=True)
    assert [i.followup.id for i in agenda.items] == [
        i.followup.id for i in reading.agenda(world.service, "2026-03-05 09:00", everything=True).items
    ]


def test_a_database_with_data_is_left_alone_unless_replaced(world, tmp_path) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    target = new_location(tmp_path, "busy.db")
    busy = World(open_store(target))
    busy.log("meeting", "Alex Kim", org="Globex", at="2026-03-02 10:00")
    before = snapshot(target)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Conflict, match=r"already holds data \(.*1 contacts.*\); restore into a new one"):
        exchange.import_json(busy.service, backup)
    assert snapshot(target) == before
    exchange.import_json(busy.service, backup, replace=True)
    assert snapshot(target, undo_record=False) == snapshot(world.store.location, undo_record=False)
    assert busy.service.profile.email == "robin.vale@example.net"  # the cached profile is dropped
    from tactful.service.corrections import undo

    assert undo(busy.service).kind == "import"  # a restore over data can be taken back whole
    assert snapshot(target, undo_record=False) == {
        t: rows for t, rows in before.items() if not t.startswith("undo_")
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "is not a tactful backup"),
        (lambda d: d.update(schema=2), "schema 2 backup, newer than this tactful reads"),
        (lambda d: d.update(schema="one"), "must be a positive number"),
        (lambda d: d.update(tables=[]), '"tables" must be an object'),
        (
            lambda d: d["tables"].update(telepathy=[{"id": 1}]),
            "a table 'telepathy' this tactful does not know",
        ),
        (
            lambda d: d["tables"]["contacts"][0].update(aura="blue"),
            "columns this tactful does not know (aura)",
        ),
        (lambda d: d["tables"].pop("threads"), "points at a missing row of 'threads'"),
        (
            lambda d: d["tables"]["followups"][0].update(status="maybe"),
            "followups row 1 (id 1), field 'status': 'maybe' is not one of: planned, done, skipped, cancelled",
        ),
        (
            lambda d: d["tables"]["contacts"][0].update(name=["a", "list"]),
            "contacts row 1 (id 1), field 'name': ['a', 'list'] is not a plain value",
        ),
        (
            lambda d: d["tables"]["organisations"].append(dict(d["tables"]["organisations"][0])),
            "a row of 'organisations' cannot be restored: UNIQUE constraint failed",
        ),
    ],
)
def test_a_broken_backup_restores_nothing(world, tmp_path, change, message) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    change(document)
    target = tmp_path / "empty.db"
    with pytest.raises(InvalidInput, match=re.escape(message)):
        restore_into(document, target)
    empty = snapshot(target)
    assert all(not rows for rows in empty.values())


def test_not_json(tmp_path) -> None:
    path = tmp_path / "backup.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"backup.json line 1: not JSON"):
        exchange.import_json(Service(open_store(tmp_path / "t.db")), path)


# -- random histories ----------------------------------------------------------------------------------------
log_step = st.tuples(
    st.just("log"),
    st.sampled_from(KINDS),
    st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True),
    st.none() | st.sampled_from(ORGS),
    st.booleans(),
    st.lists(st.text(max_size=12), max_size=2),
)
#: One thing a user does; logging is the commonest, so it is drawn more often.
step = st.one_of(
    log_step,
    log_step,
    st.tuples(st.just("done"), st.integers(0, 50), st.none() | st.text(max_size=40)),
    st.tuples(st.just("skip"), st.integers(0, 50), st.none() | st.text(max_size=20)),
    st.tuples(st.just("reply"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("outcome"), st.integers(1, 4), st.sampled_from(OUTCOMES)),
    st.tuples(
        st.just("import"),
        st.sampled_from(["linkedin:Connections.csv", "google:google_contacts.csv", "vcard:android_21.vcf"]),
    ),
    st.tuples(st.just("calendar"), st.lists(st.integers(0, 3), max_size=4)),
    st.tuples(st.just("feed"), st.booleans()),
)


def play(world: World, steps: list[tuple], hours: list[int]) -> None:
    moment = dt.datetime(2026, 3, 2, 8, 0)
    for action, gap in zip(steps, hours, strict=False):
        moment += dt.timedelta(hours=gap)
        when = moment.strftime("%Y-%m-%d %H:%M")
        world.clock(when)
        try:
            if action[0] == "log":
                _, kind, people, org, urgent, topics = action
                extra = {"introduced_by": "Dana Whitfield"} if kind == "introduction" else {}
                followups.log(world.service, LogRequest(kind=kind, people=people, org=org, at=when, time_sensitive=urgent,
                                             topics=topics, **extra))  # fmt: skip
            elif action[0] in ("done", "skip"):
                planned = world.store.planned_until(None)
                if planned:
                    f = planned[action[1] % len(planned)]
                    if action[0] == "done":
                        followups.done(world.service, f.id, at=when, text=action[2])
                    else:
                        followups.skip(world.service, f.id, reason=action[2])
            elif action[0] == "reply":
                followups.reply(world.service, action[1], at=when)
            elif action[0] == "outcome":
                followups.outcome(world.service, action[1], action[2], at=when)
            elif action[0] == "import":
                source, name = action[1].split(":")
                exchange.import_contacts(world.service, source, FIXTURES / name)
            elif action[0] == "calendar":
                report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10")
                exchange.log_events(
                    world.service, report, [n for n in action[1] if n < len(report.proposals)]
                )
            elif action[0] == "feed":
                (exchange.feed_rotate if action[1] else exchange.feed_show)(world.service)
        except TactfulError:
            pass  # e.g. an outcome that does not fit the thread: refused, and the history goes on


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=14), st.lists(st.integers(0, 72), min_size=14, max_size=14))
def test_any_history_survives_a_backup(steps, hours) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.db"
        world = World(open_store(source))
        play(world, steps, hours)
        document = json.loads(json.dumps(exchange.export_json(world.service), ensure_ascii=False))
        restored = restore_into(document, Path(folder) / "restored.db")
        assert snapshot(Path(folder) / "restored.db", undo_record=False) == snapshot(
            source, undo_record=False
        )
        again = exchange.export_json(restored)
        assert again["tables"] == document["tables"]
        world.store.close()
        restored.store.close()


# -- corrupted backups through the command line ------------------------------------------------------------
@functools.cache
def _valid_backup_text() -> str:
    with tempfile.TemporaryDirectory() as folder:
        world = World(open_store(Path(folder) / "source.db"))
        rich_history(world)
        text = json.dumps(exchange.export_json(world.service), ensure_ascii=False)
        world.store.close()
    return text


def valid_backup() -> dict:
    """A backup of a rich history (every table holds rows): a fresh copy to corrupt."""
    return json.loads(_valid_backup_text())


def tactful(db: Path, *args: str) -> Result:
    """The real command group against `db`, as `run` in conftest, usable inside hypothesis tests."""
    env = {"TACTFUL_DB": str(db), "NO_COLOR": "1", "COLUMNS": "200", "TACTFUL_PLAYBOOK": str(db) + ".toml"}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def row_of(document: dict, table: str, **match: object) -> dict:
    return next(r for r in document["tables"][table] if all(r.get(k) == v for k, v in match.items()))


def setting(key: str, value: str) -> Callable[[dict], None]:
    return lambda d: row_of(d, "profile", key=key).update(value=value)


def field(table: str, name: str, value: object, n: int = 0) -> Callable[[dict], None]:
    return lambda d: d["tables"][table][n].update({name: value})


#: (how the backup is spoilt, what the one line of error says)
CORRUPTIONS = [
    (setting("tz", "5"), "profile row 10 (key 'tz'), field 'value': 5 is not a time zone"),
    (setting("tz", '"Mars/Olympus_Mons"'), "field 'value': 'Mars/Olympus_Mons' is not a time zone"),
    (setting("tz", '"America"'), "field 'value': 'America' is not a time zone"),
    (setting("tz", '""'), "field 'value': '' is not a time zone"),
    (setting("country", '"ZZ"'), "(key 'country'), field 'value': 'ZZ' is not a supported country"),
    (setting("country", "44"), "(key 'country'), field 'value': 44 is not a supported country"),
    (setting("notes", '"yes"'), "(key 'notes'), field 'value': 'yes' is not true or false"),
    (setting("skills", '"Python"'), "(key 'skills'), field 'value': 'Python' is not a list of text"),
    (setting("skills", "[1, 2]"), "(key 'skills'), field 'value': [1, 2] is not a list of text"),
    (setting("email", "42"), "(key 'email'), field 'value': 42 is not text"),
    (setting("name", "{not json"), "(key 'name'), field 'value': '{not json' is not JSON"),
    (field("profile", "value", 5), "profile row 1 (key 'country'), field 'value': 5 is not text"),
    (field("profile", "key", "mood"), "field 'key': 'mood' is not a profile setting this tactful knows"),
    (field("profile", "key", None), "profile row 1, field 'key': is empty (null) but needs a value"),
    (field("contacts", "name", {"base64": "abc"}), "contacts row 1 (id 1), field 'name': 'abc' is not base64"),
    (field("contacts", "name", {"base64": "QUJD"}), "field 'name': b'ABC' is not text"),
    (field("contacts", "name", None), "contacts row 1 (id 1), field 'name': is empty (null)"),
    (field("contacts", "name", "\ud800"), "field 'name': '\\ud800' is not valid text (a lone surrogate)"),
    (lambda d: d["tables"]["contacts"][0].pop("name"), "contacts row 1 (id 1), field 'name': missing"),
    (field("contacts", "id", 2**70), "field 'id': 1180591620717411303424 is too large for the database"),
    (field("contacts", "id", "1"), "contacts row 1, field 'id': '1' is not a whole number"),
    (field("contacts", "id", 0), "contacts row 1 (id 0), field 'id': 0 is not an id"),
    (field("contacts", "id", 1.5), "contacts row 1, field 'id': 1.5 is not a whole number"),
    (field("contacts", "linkedin_connected", True), "field 'linkedin_connected': True is not a whole number"),
    (field("contacts", "prefers", "pigeon"), "field 'prefers': 'pigeon' is not one of: email, phone"),
    (field("contacts", "tz", "Nowhere/City"), "field 'tz': 'Nowhere/City' is not a time zone"),
    (field("contacts", "created_at", "yesterday"), "field 'created_at': 'yesterday' is not an ISO time"),
    (field("contacts", "created_at", "2026-03-02T10:00:00"), "'2026-03-02T10:00:00' has no UTC offset"),
    (field("contacts", "created_at", "9999-12-31T23:00:00-05:00"), "is not between 1900 and 2199"),
    (field("contacts", "connected_on", "05 Mar 2024", n=-1), "field 'connected_on': '05 Mar 2024' is not an ISO date"),
    (field("contact_addresses", "kind", "fax"), "contact_addresses row 1, field 'kind': 'fax' is not one of"),
    (field("threads", "outcome", "maybe"), "threads row 1 (id 1), field 'outcome': 'maybe' is not one of"),
    (field("threads", "dormant_at", 1772463600), "field 'dormant_at': 1772463600 is not a time like"),
    (field("interactions", "kind", "dinner"), "interactions row 1 (id 1), field 'kind': 'dinner' is not one of"),
    (field("interactions", "at", "2026-02-30T10:00:00+00:00"), "field 'at': '2026-02-30T10:00:00+00:00' is not"),
    (field("interactions", "decision_by", "next week"), "field 'decision_by': 'next week' is not an ISO date"),
    (field("interactions", "topics", "streaming"), "field 'topics': 'streaming' is not JSON"),
    (field("interactions", "questions", '{"a": 1}'), "field 'questions': {'a': 1} is not a list of text"),
    (field("followups", "purpose", "bribe"), "followups row 1 (id 1), field 'purpose': 'bribe' is not one of"),
    (field("followups", "channel", "fax"), "field 'channel': 'fax' is not one of: email, phone, linkedin, letter"),
    (field("followups", "sent_channel", "smoke"), "field 'sent_channel': 'smoke' is not one of"),
    (field("followups", "not_before", "tomorrow"), "field 'not_before': 'tomorrow' is not an ISO time"),
    (field("followups", "round", float("nan")), "field 'round': nan is not a number a database keeps"),
    (field("events", "kind", "email"), "events row 1 (id 1), field 'kind': 'email' is not one of: reply, outcome"),
    (field("events", "outcome", "won?", n=-1), "field 'outcome': 'won?' is not one of"),
    (lambda d: d["tables"]["imported_events"][0].pop("uid"), "imported_events row 1, field 'uid': missing"),
    (field("calendar_feed", "created_at", 5), "calendar_feed row 1 (id 1), field 'created_at': 5 is not a time"),
    (lambda d: d["tables"].update(secrets=[]), "a backup never holds 'secrets'"),
    (lambda d: d["tables"].update(contacts={}), "'contacts' must be a list of objects, one per row"),
    (lambda d: d.update(schema=True), '"schema" must be a positive number, not True'),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), CORRUPTIONS)
def test_a_corrupted_backup_is_one_line_of_error_and_changes_nothing(tmp_path, change, message) -> None:
    document = valid_backup()
    change(document)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    empty, busy = tmp_path / "empty.db", tmp_path / "busy.db"
    restore_into(valid_backup(), busy).store.close()
    for db, args in ((empty, ()), (busy, ("--replace",))):
        before = snapshot(db) if db.exists() else None
        result = tactful(db, "import", "json", str(backup), *args)
        assert result.exit_code == 1, result.stdout
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error: backup.json") and message in result.stderr, result.stderr
        if before is None:
            assert all(not rows for rows in snapshot(db).values())
        else:
            assert snapshot(db) == before
    assert tactful(busy, "agenda", "--all").exit_code == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "backup.json line 1: not JSON (Expecting value)"),
        (b"[" * 100_000, "backup.json: not JSON a backup can hold (maximum recursion depth exceeded"),
        (b'{"format": "tactful-backup", "schema": 1, "tables": {"x": ' + b"9" * 5000 + b"}}",
         "backup.json: not JSON a backup can hold (Exceeds the limit"),
        (b"\xff\xfe{\x00\x00\xd8", "backup.json is not readable UTF-16 text, as its first bytes say"),
        (b"\xff\xfe{\x00x", "backup.json is not readable UTF-16 text"),
        (b'{"format": "tactful-backup", "schema": 1, "tables": {"contacts": [{"name": "Zo\xeb"}]}}',
         "backup.json is not UTF-8 text (byte 0xeb at 78); is it the file tactful wrote?"),
        ("[1, 2]".encode("utf-16"), 'backup.json is not a tactful backup (no "format"'),
    ],
)  # fmt: skip
def test_a_file_that_is_no_backup_is_one_line_of_error(tmp_path, raw, message) -> None:
    backup = tmp_path / "backup.json"
    backup.write_bytes(raw)
    result = tactful(tmp_path / "t.db", "import", "json", str(backup))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert all(not rows for rows in snapshot(tmp_path / "t.db").values())


#: Values that break a column of one type or another, and some that fit.
ODD_VALUES = st.sampled_from(
    [None, 0, -1, 5, 2**63, 1.5, float("inf"), True, "", "x", "maybe", "5", "[]", '["a"]', "{}", "null", "true",
     "2026-13-01", "2026-03-02", "2026-03-02T10:00:00", "2026-03-02T10:00:00-05:00", "2026-03-02 10:00:00Z",
     "1800-01-01T00:00:00+00:00", "America", "Europe/London", "ZZ", "GB", "email", "done", "offer", "reply",
     "interview", "thank-you", {"base64": "abc"}, {"base64": "QUJD"}, [], {}, "\ud800", '"Europe/Paris"',
     '"Nowhere/Town"', '"us"', '"ZZ"', "12"]
)  # fmt: skip


@st.composite
def corruption(draw: st.DrawFn) -> tuple[str, ...]:
    """One change to a valid backup: a value replaced, a field dropped or added, a row dropped or doubled."""
    document = valid_backup()
    table = draw(st.sampled_from(sorted(t for t, rows in document["tables"].items() if rows)))
    n = draw(st.integers(0, len(document["tables"][table]) - 1))
    name = draw(st.sampled_from(sorted(document["tables"][table][n])))
    how = draw(
        st.sampled_from(["value", "value", "value", "drop field", "add field", "drop row", "double row"])
    )
    value = draw(ODD_VALUES) if how == "value" else None
    return (table, str(n), name, how, json.dumps(value, ensure_ascii=False))


def spoil(document: dict, table: str, n: str, name: str, how: str, value: str) -> None:
    rows = document["tables"][table]
    row = rows[int(n)]
    if how == "value":
        row[name] = json.loads(value)
    elif how == "drop field":
        row.pop(name)
    elif how == "add field":
        row["aura"] = "blue"
    elif how == "drop row":
        rows.remove(row)
    else:
        rows.append(dict(row))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruption())
def test_any_corrupted_backup_is_refused_in_one_line_or_restores_a_usable_database(change) -> None:
    """Whatever is spoilt: exit 1 with one line and the database as it was, or every command works."""
    document = valid_backup()
    spoil(document, *change)
    with tempfile.TemporaryDirectory() as folder:
        db, backup = Path(folder) / "t.db", Path(folder) / "backup.json"
        restore_into(valid_backup(), db).store.close()
        before = snapshot(db)
        backup.write_text(json.dumps(document), encoding="utf-8")
        result = tactful(db, "import", "json", str(backup), "--replace")
        event("restored" if result.exit_code == 0 else "refused")
        if result.exit_code != 0:
            assert result.exit_code == 1 and result.stdout == ""
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert snapshot(db) == before
        for command in (["agenda", "--all"], ["export", "ics", "--all"], ["export", "json"], ["profile"],
                        ["show", "contact", "1"], ["show", "thread", "1"]):  # fmt: skip
            later = tactful(db, *command)
            assert later.exit_code == 0, (command, later.stderr)


# -- the checker alone ---------------------------------------------------------------------------------------
def test_every_profile_setting_has_a_check() -> None:
    assert set(PROFILE) == set(Profile.__dataclass_fields__)


def test_times_are_kept_in_utc_and_left_out_columns_get_their_defaults(tmp_path) -> None:
    document = valid_backup()
    thread = document["tables"]["threads"][0]
    thread["created_at"] = "2026-03-02T05:00:00-05:00"
    thread.pop("round")  # the column's default, 1, fills in
    restored = restore_into(document, tmp_path / "t.db")
    row = restored.store.conn.execute("SELECT created_at, round FROM threads WHERE id = ?", (thread["id"],))
    assert row.fetchone() == ("2026-03-02T10:00:00+00:00", 1)


def test_bytes_restore_where_a_column_takes_them() -> None:
    schema = {"blobs": [Column("id", "INTEGER"), Column("data", "BLOB"), Column("note", "")]}
    rows = check({"blobs": [{"id": 1, "data": {"base64": "QUJD"}, "note": 2.5}]}, schema, "b.json")
    assert rows == {"blobs": [{"id": 1, "data": b"ABC", "note": 2.5}]}
    with pytest.raises(
        InvalidInput, match=r"^b\.json: blobs row 1 \(id 1\), field 'data': 'QU\*D' is not base64$"
    ):
        check({"blobs": [{"id": 1, "data": {"base64": "QU*D"}}]}, schema, "b.json")
