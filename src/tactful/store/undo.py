"""Taking back the last change, whatever it touched.

A use case opens a step (`begin`) inside its transaction; until that transaction commits, triggers
on each table of the user's data record, for every row inserted, updated or deleted, the statement
that puts the row back (the technique of SQLite's own "undo/redo" note). `undo` runs the newest
step's statements in reverse order and forgets the step. Only the last `KEPT` steps are kept.

The triggers are made here from the tables' columns, and made again after every migration, so a
column added later is put back too. Tables that are derived (the full-text index), secret (the web
app's keys) or the undo record itself are left out.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..errors import Conflict

#: How many changes can be taken back, newest first.
KEPT = 100

#: Tables whose rows are not the user's to take back: what was sent cannot be unsent (a queued
#: message is taken back with `tactful outbox cancel`), and how far a folder was read is not a change.
SKIPPED = ("undo_steps", "undo_log", "secrets", "outbox", "mail_folders")


def tracked_tables(conn: sqlite3.Connection) -> list[str]:
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in found if str(sql).upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name
        for name, _ in found
        if name not in SKIPPED and not any(name == v or name.startswith(v + "_") for v in virtual)
    ]


def install(conn: sqlite3.Connection) -> None:
    """(Re)make the triggers that record how to put rows back, for the tables as they are now."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'undo_steps'").fetchone():
        return  # a database migrated only part of the way (tests of old versions)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'undo_%'"
    ):
        conn.execute(f"DROP TRIGGER {name}")
    when = "WHEN EXISTS (SELECT 1 FROM undo_steps WHERE open = 1)"
    step = "(SELECT id FROM undo_steps WHERE open = 1)"
    for table in tracked_tables(conn):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        restore_sets = " || ', ' || ".join(f"'{c} = ' || quote(old.{c})" for c in columns)
        restore_values = " || ', ' || ".join(f"quote(old.{c})" for c in columns)
        statements = {
            "insert": f"'DELETE FROM {table} WHERE rowid = ' || new.rowid",
            "update": f"'UPDATE {table} SET ' || {restore_sets} || ' WHERE rowid = ' || old.rowid",
            # OR REPLACE: a row written since outside any change (a calendar token) gives way
            "delete": f"'INSERT OR REPLACE INTO {table} (rowid, {', '.join(columns)}) VALUES (' || old.rowid || ', ' "
            f"|| {restore_values} || ')'",
        }
        for event, statement in statements.items():
            conn.execute(
                f"CREATE TRIGGER undo_{table}_{event} AFTER {event.upper()} ON {table} {when} BEGIN "
                f"INSERT INTO undo_log (step, sql) VALUES ({step}, {statement}); END"
            )


def begin(conn: sqlite3.Connection, kind: str, summary: str, at: dt.datetime) -> None:
    """Open a step inside the caller's transaction; `close` ends it before the commit."""
    conn.execute("UPDATE undo_steps SET open = 0 WHERE open = 1")
    conn.execute(
        "INSERT INTO undo_steps (kind, summary, at) VALUES (?, ?, ?)",
        (kind, summary, at.astimezone(dt.UTC).isoformat()),
    )
    oldest = conn.execute("SELECT id FROM undo_steps ORDER BY id DESC LIMIT 1 OFFSET ?", (KEPT,)).fetchone()
    if oldest:
        conn.execute("DELETE FROM undo_log WHERE step <= ?", (oldest[0],))
        conn.execute("DELETE FROM undo_steps WHERE id <= ?", (oldest[0],))


def describe(conn: sqlite3.Connection, summary: str) -> None:
    """Say what the open step did, once it is known."""
    conn.execute("UPDATE undo_steps SET summary = ? WHERE open = 1", (summary,))


def close(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE undo_steps SET open = 0 WHERE open = 1")


def last(conn: sqlite3.Connection) -> tuple[int, str, str] | None:
    """The newest step that can be taken back: its id, kind and summary."""
    row = conn.execute(
        "SELECT id, kind, summary FROM undo_steps WHERE open = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def take_back(conn: sqlite3.Connection, step: int) -> None:
    """Put back every row the step touched, newest change first, inside the caller's transaction;
    `Conflict` when what it touched has changed since in a way that cannot be put back."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    try:
        for (statement,) in conn.execute(
            "SELECT sql FROM undo_log WHERE step = ? ORDER BY id DESC", (step,)
        ).fetchall():
            conn.execute(statement)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    except sqlite3.Error as exc:
        raise Conflict(f"what it changed has changed since ({exc})") from None
    if broken:
        raise Conflict(f"what it changed has changed since (a row of {broken[0]} would point at nothing)")
    forget(conn, step)


def forget(conn: sqlite3.Connection, step: int) -> None:
    """Drop a step that cannot be taken back, so that undo goes on with the one before."""
    conn.execute("DELETE FROM undo_log WHERE step = ?", (step,))
    conn.execute("DELETE FROM undo_steps WHERE id = ?", (step,))
