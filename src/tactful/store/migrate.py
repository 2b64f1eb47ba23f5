"""Numbered SQL migrations, applied from code, each in its own transaction.

A database records the last migration it has in `PRAGMA user_version`; opening it with a newer
tactful applies the missing ones in order, in place, keeping every row.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from ..errors import StorageError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
FOLDER = Path(__file__).with_name("migrations")


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every shipped migration, in order."""
    found = []
    for name in os.listdir(FOLDER):
        match = _NAME.match(name)
        if match:
            found.append((int(match.group(1)), name, (FOLDER / name).read_text(encoding="utf-8")))
    found.sort()
    for position, (number, name, _) in enumerate(found, start=1):
        if number != position:
            raise StorageError(f"migration {name} is out of sequence; expected number {position:04d}")
    return found


def latest() -> int:
    """The newest schema version, counted without reading the files (every open asks)."""
    return sum(1 for name in os.listdir(FOLDER) if _NAME.match(name))


def upgrade(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the database up to `target` (default: the newest); the version it ends at."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    steps = migrations()
    goal = len(steps) if target is None else target
    if current > len(steps):
        raise StorageError(
            f"this database has schema version {current}, newer than this tactful knows ({len(steps)}); "
            "upgrade tactful"
        )
    for number, name, sql in steps[current:goal]:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StorageError(f"could not apply migration {name}: {exc}") from exc
    if goal > current:
        from . import undo

        conn.execute("BEGIN IMMEDIATE")
        undo.install(conn)  # the tables may have new columns to put back
        conn.execute("COMMIT")
    return max(current, goal)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements: a statement ends at the first `;` that completes it, so a
    trigger's body stays whole (no statement in our migrations holds a semicolon in text)."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines():
        if line.lstrip().startswith("--"):
            continue
        for piece in line.split(";")[:-1] if ";" in line else []:
            pending += piece + ";"
            if sqlite3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        pending += line.rsplit(";", 1)[-1] + "\n" if ";" in line else line + "\n"
    if pending.strip():
        statements.append(pending.strip())
    return statements
