"""Undo, and the data version, on PostgreSQL: the same record as SQLite's (`undo`), kept by triggers.

For every row a change inserts, updates or deletes, a trigger writes into `undo_log` the statements
that put it back, as text: a row inserted is deleted again; a row updated gets its old values back;
a row deleted is written again as it was (any row written since in its place gives way). The old
values travel as JSON (`to_jsonb`) and come back through `jsonb_populate_record`, so every type
returns as it was. Steps are opened, described, listed and forgotten by `undo`'s own SQL, which is
the same on both stores; only taking one back differs.

A one-row table, moved by a statement trigger on every table, is the data version: it moves with
the commit of any change and not before (a sequence would move at once, and a page built from the
old rows could be kept under the new number).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Conflict
from .undo import SKIPPED

if TYPE_CHECKING:
    import psycopg

#: Tables that are the store's own bookkeeping, never the user's data.
VERSION = "tactful_data_version"
OWN = ("schema_migrations", "undo_steps", "undo_log", VERSION)


def tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [r[0] for r in rows]


def key_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The columns that name one row of `table`: its primary key (all its columns when it has none)."""
    return primary_key(conn, table) or columns(conn, table)


def primary_key(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
        (_quoted(table),),
    ).fetchall()
    return [r[0] for r in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _match(keys: list[str], record: str, primary: bool = True) -> str:
    """SQL (inside a trigger) that writes `WHERE k1 = 'v1' AND ...` for the row `record` (NEW or OLD):
    `=` on a primary key, which its index answers; NULLs matched too where every column is the key."""
    same = "=" if primary else "IS NOT DISTINCT FROM"
    parts = " || ' AND ' || ".join(f"format('%I {same} %L', '{k}', {record}.{_quoted(k)})" for k in keys)
    return f"' WHERE ' || {parts}"


def install(conn: psycopg.Connection[Any]) -> None:
    """(Re)make the triggers for the tables as they are now; inside the migrations' transaction."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {VERSION} (n BIGINT NOT NULL)")
    conn.execute(f"INSERT INTO {VERSION} (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {VERSION})")
    conn.execute(
        "CREATE OR REPLACE FUNCTION tactful_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN UPDATE {VERSION} SET n = n + 1; RETURN NULL; END $$"
    )
    for table in tables(conn):
        if table in OWN:
            continue
        quoted = _quoted(table)
        conn.execute(f"DROP TRIGGER IF EXISTS tactful_version ON {quoted}")
        conn.execute(
            f"CREATE TRIGGER tactful_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tactful_data_changed()"
        )
        conn.execute(f"DROP TRIGGER IF EXISTS tactful_undo ON {quoted}")
        if table in SKIPPED:
            continue
        names = columns(conn, table)
        keys = primary_key(conn, table)
        primary = bool(keys)
        keys = keys or names
        listed = ", ".join(_quoted(c) for c in names)
        record = f"(SELECT {listed} FROM jsonb_populate_record(NULL::{quoted}, %L))"
        put_back = (
            f"format('DELETE FROM {quoted}') || {_match(keys, 'OLD', primary)} || "
            f"format('; INSERT INTO {quoted} ({listed}) SELECT {listed} FROM jsonb_populate_record(NULL::{quoted}, %L)', "
            "to_jsonb(OLD))"
        )
        body = (
            "DECLARE step BIGINT; BEGIN "
            "SELECT id INTO step FROM undo_steps WHERE open = 1; "
            "IF step IS NULL THEN RETURN NULL; END IF; "
            "IF TG_OP = 'INSERT' THEN "
            f"INSERT INTO undo_log (step, sql) VALUES (step, format('DELETE FROM {quoted}') || {_match(keys, 'NEW', primary)}); "
            "ELSIF TG_OP = 'UPDATE' THEN "
            f"INSERT INTO undo_log (step, sql) VALUES (step, format('UPDATE {quoted} SET ({listed}) = {record}', "
            f"to_jsonb(OLD)) || {_match(keys, 'NEW', primary)}); "
            f"ELSE INSERT INTO undo_log (step, sql) VALUES (step, {put_back}); "
            "END IF; RETURN NULL; END"
        )
        function = f"tactful_undo_{table}"
        conn.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$".encode()
        )
        conn.execute(
            f"CREATE TRIGGER tactful_undo AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(f"SELECT n FROM {VERSION}").fetchone()
    return int(row[0]) if row else 0


def take_back(conn: psycopg.Connection[Any], step: int) -> None:
    """Put back every row the step touched, newest first, in the caller's transaction (its foreign
    keys checked once, at the end); `Conflict` when that can no longer be done."""
    import psycopg

    statements = conn.execute("SELECT sql FROM undo_log WHERE step = %s ORDER BY id DESC", (step,)).fetchall()
    try:
        with conn.transaction():
            conn.execute("SET CONSTRAINTS ALL DEFERRED")
            for (statement,) in statements:
                conn.execute(statement.encode())  # text of our own making; no parameters
            conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except psycopg.errors.ForeignKeyViolation as exc:
        table = exc.diag.table_name or "a table"
        raise Conflict(
            f"what it changed has changed since (a row of {table} would point at nothing)"
        ) from None
    except psycopg.OperationalError:
        raise  # the server, not the rows: the step stays, to be taken back when it answers
    except psycopg.Error as exc:
        raise Conflict(f"what it changed has changed since ({str(exc).strip().splitlines()[0]})") from None
