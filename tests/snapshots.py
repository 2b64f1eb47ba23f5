"""What "the database untouched" means: every row of every table, in a stable order."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any


def snapshot(db: Path | str, undo_record: bool = True, schema: str | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (a full-text index through its own table: the pages it keeps
    depend on the order of the writes, the words it holds do not). `undo_record=False` leaves out
    the record of changes `tactful undo` keeps: what an undo restores is everything else. `db` is a
    SQLite file or a PostgreSQL URL (`schema`: that schema's tables, a team server's account's)."""
    if "://" in os.fspath(db):
        return _pg_snapshot(str(db), undo_record, schema)
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        indexes = {name for name, sql in found if str(sql).upper().startswith("CREATE VIRTUAL TABLE")}
        tables = sorted(
            n
            for n, _ in found
            if not any(n.startswith(i + "_") for i in indexes) and (undo_record or not n.startswith("undo_"))
        )
        return {
            t: sorted(
                conn.execute(f"SELECT {'rowid, ' if t in indexes else ''}* FROM {t}").fetchall(), key=repr
            )
            for t in tables
        }
    finally:
        conn.close()


def _pg_snapshot(url: str, undo_record: bool, schema: str | None) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        if schema is not None:
            conn.execute(f'SET search_path TO "{schema}"'.encode())
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'tactful_data_version') "
                "ORDER BY table_name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
            if undo_record or not t.startswith("undo_")
        }


def query(db: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """The rows `sql` reads from the database at `db` (a SQLite file or a PostgreSQL URL)."""
    if "://" in os.fspath(db):
        import psycopg

        with psycopg.connect(str(db)) as conn:
            return [tuple(r) for r in conn.execute(sql.encode()).fetchall()]
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
