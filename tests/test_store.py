"""The SQLite store: migrations in place, transactions, and what the agenda reads."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tactful.errors import StorageError, TactfulError
from tactful.service import Service, followups
from tactful.service.followups import LogRequest
from tactful.store import migrate, open_store

FIRST_SCHEMA_ROWS = [
    "INSERT INTO profile (key, value) VALUES ('name', '\"Robin Vale\"'), ('tz', '\"Europe/London\"')",
    "INSERT INTO organisations (id, name, norm) VALUES (1, 'Acme', 'acme')",
    "INSERT INTO contacts (id, name, norm, email, organisation_id, created_at) "
    "VALUES (1, 'Priya Natarajan', 'priya natarajan', 'priya@acme.example', 1, '2026-03-02T10:00:00+00:00')",
    "INSERT INTO threads (id, title, organisation_id, created_at) VALUES (1, 'Data Engineer', 1, '2026-03-02T10:00:00+00:00')",
    "INSERT INTO interactions (id, thread_id, kind, at, topics, created_at) "
    "VALUES (1, 1, 'interview', '2026-03-02T10:00:00+00:00', '[\"streaming\"]', '2026-03-02T10:00:00+00:00')",
    "INSERT INTO interaction_contacts VALUES (1, 1, 0)",
    "INSERT INTO followups (id, thread_id, contact_id, interaction_id, rule, purpose, channel, not_before, due_by, "
    "why, created_at) VALUES (1, 1, 1, 1, 'interview.thank-you', 'thank-you', 'email', '2026-03-02T10:00:00+00:00', "
    "'2026-03-03T10:00:00+00:00', 'Thank-you emails land best within 24 hours of an interview.', "
    "'2026-03-02T10:00:00+00:00')",
]


def first_schema_db(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate.upgrade(conn, target=1) == 1
    for sql in FIRST_SCHEMA_ROWS:
        conn.execute(sql)
    conn.close()


def test_a_first_schema_database_is_upgraded_in_place_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_schema_db(path)
    store = open_store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrate.latest() >= 2
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(followups)")}
    assert {"message_id", "sent_channel"} <= columns
    history = store.history(1)
    assert history.thread.title == "Data Engineer" and history.thread.organisation == "Acme"
    assert history.interactions[0].topics == ("streaming",)
    assert history.followups[0].why.startswith("Thank-you emails")
    assert history.contacts[1].email == "priya@acme.example"
    assert store.get_profile().name == "Robin Vale"
    store.check()
    # The upgraded database keeps working: the thank-you can be marked done.
    service = Service(store, now=dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC))
    sent, _ = followups.done(service, 1, at="2026-03-02 15:00")
    assert sent.status.value == "done"


def test_a_newer_database_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StorageError, match="upgrade tactful"):
        open_store(path)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the rows you are looking for\n" * 100)
    with pytest.raises(StorageError, match="not a tactful database"):
        open_store(path)


def test_a_failing_use_case_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(tmp_path / "t.db")
    service = Service(store, now=dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC))

    def broken(*args: object, **kwargs: object) -> None:
        raise TactfulError("the planner broke")

    monkeypatch.setattr(service.planner, "after_interaction", broken)
    with pytest.raises(TactfulError):
        followups.log(service, LogRequest("interview", ["Priya"], org="Acme"))
    for table in ("contacts", "organisations", "threads", "interactions", "followups"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.sqlite_only
def test_agenda_reads_planned_follow_ups_through_the_partial_index(fresh_db) -> None:
    plan = fresh_db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM followups WHERE status = 'planned' AND not_before <= ? ORDER BY due_by",
        ("2026-03-02T00:00:00+00:00",),
    ).fetchall()
    assert any("followups_planned" in row[-1] for row in plan), plan


def test_migrations_are_numbered_in_sequence() -> None:
    numbers = [n for n, _, _ in migrate.migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


# -- transactions, versions and locations -------------------------------------------------------------------
def _names(store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM organisations ORDER BY id")]


def test_a_nested_transaction_is_a_savepoint_undone_alone(fresh_db) -> None:
    with fresh_db.transaction():
        fresh_db.organisation_id("Acme")
        with pytest.raises(TactfulError), fresh_db.transaction():
            fresh_db.organisation_id("Globex")
            raise TactfulError("one bad item of a batch")
        fresh_db.organisation_id("Initech")
    assert _names(fresh_db) == ["Acme", "Initech"]
    with pytest.raises(TactfulError), fresh_db.transaction():
        fresh_db.organisation_id("Umbrella")
        with fresh_db.transaction():
            fresh_db.organisation_id("Hooli")
        raise TactfulError("the outer one fails")
    assert _names(fresh_db) == ["Acme", "Initech"]  # the inner savepoint went with the outer


def test_version_moves_with_every_commit_here_or_elsewhere(db_path: Path) -> None:
    store = open_store(db_path)
    other = open_store(db_path)
    try:
        first = store.version()
        assert store.version() == first  # reading changes nothing
        store.get_profile()
        assert store.version() == first
        with store.transaction():
            store.organisation_id("Acme")
        second = store.version()
        assert second != first
        with other.transaction():
            other.organisation_id("Globex")
        assert store.version() not in (first, second)
    finally:
        store.close()
        other.close()


@pytest.mark.parametrize("form", ["path", "sqlite:///relative", "sqlite:////absolute"])
def test_a_store_opens_from_a_path_or_a_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    monkeypatch.chdir(tmp_path)
    location = {
        "path": str(tmp_path / "a.db"),
        "sqlite:///relative": "sqlite:///a.db",
        "sqlite:////absolute": f"sqlite:///{tmp_path / 'a.db'}",
    }[form]
    store = open_store(location)
    try:
        assert store.location == str(tmp_path / "a.db") or Path(store.location).resolve() == tmp_path / "a.db"
        with store.transaction():
            store.organisation_id("Acme")
    finally:
        store.close()
    assert (tmp_path / "a.db").exists()


@pytest.mark.parametrize(
    ("location", "says"),
    [
        ("mysql://localhost/tactful", "unknown kind of database 'mysql'"),
        ("sqlite://", "sqlite:///relative.db"),
    ],
)
def test_a_location_the_store_cannot_open_is_refused_clearly(location: str, says: str) -> None:
    with pytest.raises(StorageError, match=says):
        open_store(location)


def test_an_older_database_learns_the_names_its_people_go_by(tmp_path: Path) -> None:
    """Migration 5 fills in, for people already there, the names `--with` and `--from` match."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate.upgrade(conn, target=4)
    conn.execute(
        "INSERT INTO contacts (name, norm, created_at) VALUES (?, ?, ?)",
        ("Zoë Ødegaard", "zoë ødegaard", "2026-03-02T10:00:00+00:00"),
    )
    conn.close()
    store = open_store(path)
    try:
        assert store.schema_version() == migrate.latest()
        assert [c.name for c in store.find_contacts("zoe")] == ["Zoë Ødegaard"]
        assert [c.name for c in store.find_contacts("ODEGAARD")] == ["Zoë Ødegaard"]
        assert store.find_contacts("zoe o") == []
    finally:
        store.close()
