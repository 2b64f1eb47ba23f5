"""The PostgreSQL store's foundation, on a real PostgreSQL server: its migrations, its nested
transactions, and its schema, held to the SQLite file's table for table and column for column."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tactful.errors import StorageError
from tactful.store import migrate as migrate_sqlite
from tactful.store import open_store
from tactful.store.dialect import translate
from tactful.store.pg_store import PostgresStore
from tactful.store.postgres import PgConnection, migrate
from tests.postgres import pg_url  # noqa: F401  (the fixture)


def test_the_schema_has_every_table_and_column_the_sqlite_file_has(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Same tables, same columns; a column SQLite keeps NOT NULL, PostgreSQL does too."""
    sqlite = open_store(tmp_path / "mirror.db")
    conn = sqlite.conn  # type: ignore[attr-defined]
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith(("sqlite_", "contact_words"))
    ]
    columns = {(t, r[1]): bool(r[3]) for t in tables for r in conn.execute(f"PRAGMA table_info({t})")}
    sqlite.close()
    pg = PgConnection(pg_url)
    found = {
        (t, col): nullable == "NO"
        for t, col, nullable in pg.conn.execute(
            "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name NOT IN ('schema_migrations', 'tactful_data_version')"
        )
    }
    pg.close()
    assert set(found) == set(columns), sorted(set(found) ^ set(columns))
    loose = [key for key, required in columns.items() if required and not found[key]]
    assert not loose, f"NOT NULL in SQLite, nullable in PostgreSQL: {loose}"


def test_migrations_apply_once_even_when_two_processes_open_the_database_at_once(pg_url: str) -> None:  # noqa: F811
    opened: list[PgConnection] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(PgConnection(pg_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=open_it) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors and len(opened) == 4
    first = opened[0]
    assert [r[0] for r in first.conn.execute("SELECT name FROM schema_migrations")] == ["0012_schema.sql"]
    assert migrate(first.conn) == []  # nothing left to apply
    # numbered as the SQLite migration whose schema it holds, so that both report one version
    assert first.schema_version() == migrate_sqlite.latest() == 12
    for c in opened:
        c.close()


def test_an_inner_transaction_undoes_only_its_own_part(pg_url: str) -> None:  # noqa: F811
    db = PostgresStore(pg_url)
    with db.transaction():
        db.conn.execute("INSERT INTO profile (key, value) VALUES (?, ?)", ("name", "Robin Vale"))
        with pytest.raises(RuntimeError), db.transaction():
            db.conn.execute("INSERT INTO profile (key, value) VALUES (?, ?)", ("tz", "Europe/London"))
            raise RuntimeError("the inner part fails")
    assert list(db.conn.execute("SELECT key, value FROM profile")) == [("name", "Robin Vale")]
    with pytest.raises(RuntimeError), db.transaction():
        db.conn.execute("INSERT INTO profile (key, value) VALUES (?, ?)", ("email", "robin@example.net"))
        raise RuntimeError("the whole fails")
    assert [r[0] for r in db.conn.execute("SELECT key FROM profile")] == ["name"]
    db.close()


def test_ids_given_are_kept_and_new_ones_follow(pg_url: str) -> None:  # noqa: F811
    """A copy keeps its ids (`copy-to` relies on it); the identity is then set past them."""
    db = PostgresStore(pg_url)
    with db.transaction():
        db.conn.execute("INSERT INTO organisations (id, name, norm) VALUES (?, ?, ?)", (41, "Acme", "acme"))
        db.conn.execute("SELECT setval(pg_get_serial_sequence('organisations', 'id'), 41)")
        assert db.organisation_id("Globex") == 42
    db.close()


def test_placeholders_and_percent_signs_are_written_for_psycopg() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE 'x?%' AND c = ?") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE 'x?%%' AND c = %s"
    )
    assert translate('SELECT "why?" FROM t WHERE d = ?') == 'SELECT "why?" FROM t WHERE d = %s'
    assert translate("UPDATE t SET a = :keep WHERE b = :other AND c::text = 'x:y'", named=True) == (
        "UPDATE t SET a = %(keep)s WHERE b = %(other)s AND c::text = 'x:y'"
    )


def test_what_sqlite_says_its_own_way_is_said_in_postgresql_words() -> None:
    assert (
        translate("INSERT OR IGNORE INTO t (a) VALUES (?)")
        == "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    )
    assert translate("SELECT max(a, (SELECT max(b) FROM u), c) FROM t") == (
        "SELECT greatest(a, (SELECT max(b) FROM u), c) FROM t"
    )
    assert translate("SELECT 1 FROM t WHERE instr(k, ?) > 0 AND x IS NOT (SELECT y FROM u)") == (
        "SELECT 1 FROM t WHERE strpos(k, %s) > 0 AND x IS DISTINCT FROM (SELECT y FROM u)"
    )
    # NULLs where SQLite puts them: first going up, last going down; a window's own ORDER BY too
    assert translate("SELECT a FROM t ORDER BY a DESC, lower(b), c ASC LIMIT ?") == (
        "SELECT a FROM t ORDER BY a DESC NULLS LAST, lower(b) NULLS FIRST, c ASC NULLS FIRST LIMIT %s"
    )
    assert translate("SELECT rank() OVER (ORDER BY a) FROM t") == (
        "SELECT rank() OVER (ORDER BY a NULLS FIRST) FROM t"
    )


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StorageError, match="cannot reach the PostgreSQL database"):
        PgConnection("postgresql://nobody@127.0.0.1:9/none")
