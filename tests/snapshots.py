"""What "the database untouched" means: every row of every table, in a stable order."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def snapshot(db: Path, undo_record: bool = True) -> dict[str, list[tuple]]:
    """Every row of every table (a full-text index through its own table: the pages it keeps
    depend on the order of the writes, the words it holds do not). `undo_record=False` leaves out
    the record of changes `tactful undo` keeps: what an undo restores is everything else."""
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
