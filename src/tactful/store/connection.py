"""One SQLite file, opened the way tactful needs it: WAL, foreign keys, migrations applied in place.

`transaction()` is all or nothing; a transaction opened inside another is a SAVEPOINT, so an inner
failure the caller catches undoes only its own part. `version()` moves whenever anything was
committed, by this connection or any other. The reads and writes of the store build on this class
(`Reads`, `Transfers`, then `SqliteStore`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..domain import fold
from ..errors import Busy, StorageError, ref
from . import migrate, undo
from .rows import name_keys_text, norm


def _private(path: Path) -> list[str]:
    """Make the database the owner's alone: its folder 0700 when made here, the file (and its WAL
    and shared-memory files, which SQLite creates with the file's mode) 0600. A file or folder
    found readable by others is tightened; their names are returned, to be told."""
    import os
    import stat

    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    tightened = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = file.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                file.chmod(stat.S_IMODE(mode) & 0o600)
                tightened.append(str(file))
        except OSError:
            continue  # not there, or not ours to change
    return tightened


_SERIALS = itertools.count(1)
#: How long a write waits for another program's to finish (SQLite retries, backing off, meanwhile).
WAIT_MS = 15_000


def _locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def holders(path: Path) -> list[str]:
    """The other processes that have the database open, as "`command` (process N)": read from
    /proc where there is one; empty when none can be seen."""
    import os

    found: list[str] = []
    target = os.path.realpath(path)
    try:
        pids = [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) != os.getpid()]
    except OSError:
        return found
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            if not any(os.readlink(f"/proc/{pid}/fd/{fd}") == target for fd in fds):
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                argv = [a.decode(errors="replace") for a in cmdline.read().split(b"\0") if a]
        except OSError:
            continue  # gone meanwhile, or not ours to see
        words = argv[1:] if argv and Path(argv[0]).name.startswith("python") else argv
        if words and words[0] == "-m":
            words = words[1:]
        shown = " ".join([Path(words[0]).name, *words[1:4]]) if words else "a program"
        shown = " ".join("".join(ch if ch.isprintable() else " " for ch in shown).split())  # one line
        found.append(f"`{shown[:60]}{'…' if len(shown) > 60 else ''}` (process {pid})")
    return found


def busy(path: Path) -> Busy:
    """The one line to say when the file stayed locked: who holds it, and what to do."""
    held = holders(path)
    who = " and ".join(held[:2]) if held else "another program"
    return Busy(
        f"the database {path} is busy: {who} has been writing to it for over {WAIT_MS // 1000} s, and "
        "nothing was changed; try again when it has finished"
    )


class Connection:
    """An open SQLite database, with the helpers its queries share."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self.tightened: list[str] = []  # files found readable by others, now the owner's alone
        try:
            if str(path) != ":memory:":
                self.tightened = _private(path)
            self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"cannot open the database at {path}: {exc}; pass another with {ref('db')}"
            ) from exc
        self.conn.create_function("tactful_name_keys", 1, name_keys_text, deterministic=True)
        self.conn.create_function("tactful_fold", 1, lambda t: fold(t) if t else t, deterministic=True)
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            if self.conn.execute("PRAGMA user_version").fetchone()[0] != migrate.latest():
                self.conn.execute("PRAGMA journal_mode = WAL")
                migrate.upgrade(self.conn)
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                raise busy(path) from None
            raise StorageError(
                f"{path} is not a tactful database ({exc}); pass another with {ref('db')}"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"{path} is not a tactful database ({exc}); pass another with {ref('db')}"
            ) from exc
        self._opened()

    def _opened(self) -> None:
        """No transaction open yet, no commit counted, and a serial number of this connection's own."""
        self._depth = 0
        self._commits = 0
        self._serial = next(_SERIALS)
        self._step_open = False
        self._step_depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing. Inside another transaction, a savepoint: undone alone when it fails."""
        depth = self._depth
        try:
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT nested_{depth}")
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                raise busy(self.path) from None
            raise
        self._depth = depth + 1
        try:
            yield
        except BaseException:
            if depth == 0:
                self._step_open = False
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO nested_{depth}")
                self.conn.execute(f"RELEASE nested_{depth}")
            raise
        else:
            if depth == 0:
                try:
                    if self._step_open:
                        undo.close(self.conn)
                        self._step_open = False
                    self.conn.execute("COMMIT")
                except BaseException:
                    self._step_open = False
                    if self.conn.in_transaction:  # a failed commit (disk full) leaves it open
                        self.conn.execute("ROLLBACK")
                    raise
                self._commits += 1
            else:
                self.conn.execute(f"RELEASE nested_{depth}")
        finally:
            self._depth = depth

    # -- undo (see `undo`) ------------------------------------------------------------------------------
    def begin_change(self, kind: str, summary: str, at: dt.datetime) -> None:
        """Inside a transaction: what follows, until it commits, is one change `undo` takes back."""
        if self._depth == 0:
            raise StorageError("a change is recorded inside a transaction")
        if self._step_open:
            return  # part of a larger change already begun (an import logging events)
        undo.begin(self.conn, kind, summary, at)
        self._step_open = True
        self._step_depth = self._depth

    def describe_change(self, summary: str) -> None:
        if self._step_open and self._depth == self._step_depth:
            undo.describe(self.conn, summary)

    def last_change(self) -> tuple[int, str, str] | None:
        return undo.last(self.conn)

    def undo_change(self, step: int) -> None:
        """Take back change `step` (inside a transaction); `Conflict` when it no longer can be."""
        undo.take_back(self.conn, step)

    def forget_change(self, step: int) -> None:
        undo.forget(self.conn, step)

    def version(self) -> int:
        """A number that changes whenever the database changed: SQLite's `data_version` moves with
        other connections' commits, and a count of this connection's own commits with the rest."""
        others = int(self._one("PRAGMA data_version")[0])
        # Both counts start afresh with each connection: its serial number keeps a new connection's
        # numbers from meeting those an older one gave before a change.
        return (self._serial << 48) | ((others & 0xFFFFFF) << 24) | (self._commits & 0xFFFFFF)

    def schema_version(self) -> int:
        """The number of the last migration this database has."""
        return int(self._one("PRAGMA user_version")[0])

    def check(self) -> None:
        """Raise when the file fails SQLite's own integrity and foreign-key checks."""
        if self._one("PRAGMA integrity_check")[0] != "ok" or self._one("PRAGMA foreign_key_check"):
            raise StorageError(f"{self.path} fails its integrity check; restore it from a backup")

    # -- helpers of the queries ---------------------------------------------------------------------
    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(f'"{c}"' for c in values)  # quoted: a column may be called "user"
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])

    def _contacted(self, contact_id: int | None, at: str | None) -> None:
        """A new contact with a person at `at` (stored form): their last contact moves to it if later.
        What takes a contact back (a deletion, a correction) works it out anew (`touch_contacts`)."""
        if contact_id is not None and at:
            self.conn.execute(
                "UPDATE contacts SET last_contact_at = ? WHERE id = ? AND coalesce(last_contact_at, '') < ?",
                (at, contact_id, at),
            )

    def organisation_id(self, name: str | None, create: bool = True) -> int | None:
        """The organisation called `name` (case and spacing aside), made when `create` and missing."""
        if not name:
            return None
        row = self._one("SELECT id FROM organisations WHERE norm = ?", (norm(name),))
        if row:
            return int(row[0])
        return self._insert("organisations", {"name": name.strip(), "norm": norm(name)}) if create else None
