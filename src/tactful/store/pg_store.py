"""The PostgreSQL store: the SQLite store's queries, said in PostgreSQL's words (`dialect`).

Every read and write of `Reads`, `Transfers`, `Edits`, `MailRows`, `LongGameRows` and `SqliteStore`
is shared: they call `self.conn.execute` with SQL in SQLite's words, and here `self.conn` is a
`Dialect` that says it to PostgreSQL. What SQLite does its own way is written anew below: opening
and transactions (one writer at a time, as SQLite has it, through an advisory lock held until the
commit), the data version, undo (`pg_undo`), backups (from `information_schema`), and the search
of people (SQLite's full-text index has no counterpart here: the words are matched in Python).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..domain import Account, Contact, fold
from ..errors import Busy, InvalidInput, Unavailable
from . import pg_undo, undo
from .connection import WAIT_MS
from .dialect import translate
from .postgres import PgConnection
from .rows import name_keys_text, to_contact, when
from .sqlite import SqliteStore

if TYPE_CHECKING:
    import psycopg

    from ..formats.backup import Column

#: Each table's key, as an insert reports it back (SQLite's rowid: `id`, or the outbox's follow-up).
_KEYS: dict[str, str] = {}
#: The schemas this process has brought up to date (a team server's accounts).
_MIGRATED: set[str] = set()
#: The advisory lock a writing transaction holds until it commits: one writer at a time.
WRITE_LOCK = 0x7AC7F02


def shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def _lost(exc: Exception) -> Unavailable:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
    return Unavailable(
        f"the PostgreSQL database stopped answering ({reason}); try again in a moment, and check "
        "that what you were saving is there"
    )


class Dialect:
    """What the shared queries call `self.conn`: `execute` and `executemany` in SQLite's words."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> psycopg.Cursor[Any]:
        import psycopg

        named = isinstance(params, Mapping)
        try:
            return self.raw.execute(translate(sql, named), params)
        except psycopg.OperationalError as exc:
            raise _lost(exc) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        import psycopg

        batch = list(rows)
        if not batch:
            return
        try:
            with self.raw.cursor() as cur:
                cur.executemany(translate(sql), batch)
        except psycopg.OperationalError as exc:
            raise _lost(exc) from None


class PostgresStore(SqliteStore):
    """The `Store` on a PostgreSQL database, chosen by a `postgresql://` URL."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        # SQLite's opening (Connection.__init__) is not called
        self.path = None  # type: ignore[assignment]
        self.location = shown(url)
        self.tightened = []
        self.pg = PgConnection(url, schema)
        self.account: Account | None = None  # whose data, on a team server
        self.conn = Dialect(self.pg.conn)  # type: ignore[assignment]
        self._opened()

    def close(self) -> None:
        self.pg.close()

    def serve(self, account: Account | None) -> None:
        """Read and write `account`'s data from now on (None: the database's own), on a connection
        a team server's requests share; its tables are brought up to date the first time."""
        import psycopg

        from .postgres import migrate, schema_of

        schema = schema_of(account.id) if account is not None else "public"
        try:
            if self.pg.schema != schema:
                self.pg.use(schema)
                if schema not in _MIGRATED:
                    migrate(self.pg.conn, create=schema)
                    _MIGRATED.add(schema)
        except psycopg.OperationalError as exc:
            raise _lost(exc) from None
        self.account = account

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; inside another, a SAVEPOINT undone alone when it fails. The outermost
        waits for any other writer to commit first, as SQLite's BEGIN IMMEDIATE does."""
        import psycopg

        depth = self._depth
        self._depth = depth + 1
        try:
            with self.pg.conn.transaction():
                if depth == 0:  # one writer at a time in this schema: one person's data
                    self._wait_for_writers()
                yield
                if depth == 0 and self._step_open:
                    undo.close(self.conn)
            if depth == 0:
                self._commits += 1
        except psycopg.OperationalError as exc:
            raise _lost(exc) from None
        finally:
            if depth == 0:
                self._step_open = False
            self._depth = depth

    def _wait_for_writers(self) -> None:
        """Take this schema's write lock, waiting as SQLite does for a file's (`WAIT_MS`), then `Busy`."""
        import psycopg

        self.pg.conn.execute(f"SET LOCAL lock_timeout = {WAIT_MS}")
        try:
            with self.pg.conn.transaction():
                self.conn.execute(
                    "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", (WRITE_LOCK,)
                )
        except psycopg.errors.LockNotAvailable:
            raise Busy(
                f"the database is busy: another program has been writing to it for over {WAIT_MS // 1000} s, "
                "and nothing was changed; try again when it has finished"
            ) from None

    @property
    def broken(self) -> bool:
        """Whether the connection was lost (a server restart): it is closed, not used again."""
        return bool(self.pg.conn.broken or self.pg.conn.closed)

    # -- undo (opening, describing and forgetting a change are `Connection`'s, in shared SQL) --------
    def undo_change(self, step: int) -> None:
        pg_undo.take_back(self.pg.conn, step)
        undo.forget(self.conn, step)

    def version(self) -> int:
        return (
            (self._serial << 48)
            | ((pg_undo.version(self.pg.conn) & 0xFFFFFF) << 24)
            | (self._commits & 0xFFFFFF)
        )

    def schema_version(self) -> int:
        return self.pg.schema_version()

    def check(self) -> None:
        self._one("SELECT 1")

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(f'"{c}"' for c in values)  # quoted: a column may be called "user"
        marks = ", ".join("?" for _ in values)
        key = _KEYS.get(table) or _KEYS.setdefault(table, pg_undo.primary_key(self.pg.conn, table)[0])
        row = self._one(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING {key}", list(values.values())
        )
        return int(row[0])

    # -- people found by the words of their names ----------------------------------------------------------
    def search_contacts(self, terms: Sequence[str], limit: int) -> list[tuple[Contact, dt.datetime | None]]:
        """As SQLite's: every word of `terms` begins a word of a name they go by, an e-mail address of
        theirs, or their organisation; most recently met first."""
        words = [w for term in terms for w in re.findall(r"\w+", term)]
        if terms and not words:
            return []
        select = (
            "SELECT c.id, c.name, c.email, c.phone, c.linkedin, o.name, c.role, c.tz, c.prefers, "
            "c.linkedin_connected, c.note, c.last_at, c.name_keys, "
            "(SELECT string_agg(a.value, ' ') FROM contact_addresses a WHERE a.contact_id = c.id AND a.kind = 'email') "
            "FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id "
            "ORDER BY c.last_at DESC, c.id DESC"
        )
        found = []
        for row in self.conn.execute(select):
            if words:
                text = " ".join(
                    str(v) for v in (row[12], row[2] or "", fold(row[5]) if row[5] else "", row[13] or "")
                )
                have = re.findall(r"[^\W_]+", fold(text))  # split as SQLite's index splits, at "_" too
                if not all(any(h.startswith(w) for h in have) for w in words):
                    continue
            found.append((to_contact(row[:11]), when(row[11])))
            if len(found) >= limit:
                break
        return found

    # -- backups ------------------------------------------------------------------------------------------
    def backup_tables(self) -> list[str]:
        from ..formats.backup import NOT_BACKED_UP
        from .transfer import TABLE_ORDER

        names = [t for t in pg_undo.tables(self.pg.conn) if t not in NOT_BACKED_UP and t not in pg_undo.OWN]
        known = [t for t in TABLE_ORDER if t in names]
        return known + sorted(set(names) - set(known))

    def _columns(self, table: str) -> list[str]:
        return pg_undo.columns(self.pg.conn, table)

    def backup_schema(self) -> dict[str, list[Column]]:
        from ..formats.backup import Column

        kinds = {"bigint": "INTEGER", "integer": "INTEGER", "text": "TEXT", "bytea": "BLOB"}
        out: dict[str, list[Column]] = {}
        for table in self.backup_tables():
            keys = set(pg_undo.key_columns(self.pg.conn, table))
            rows = self.pg.conn.execute(
                "SELECT column_name, data_type, is_nullable, column_default, is_identity "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
                "ORDER BY ordinal_position",
                (table,),
            ).fetchall()
            out[table] = [
                Column(
                    name=r[0],
                    type=kinds.get(r[1], r[1].upper()),
                    not_null=r[2] == "NO",
                    has_default=r[3] is not None or r[4] == "YES",
                    key=r[0] in keys and r[4] != "YES" and not (r[0] == "id" and len(keys) == 1),
                )
                for r in rows
            ]
        return out

    # -- the steps of a restore (`Transfers.backup_load`), in PostgreSQL's way ---------------------------
    def _defer_references(self) -> None:
        self.conn.execute("SET CONSTRAINTS ALL DEFERRED")

    def _restore_rows(self, table: str, insert: str, values: list[list[Any]], file: str) -> None:
        import psycopg

        try:
            with self.pg.conn.transaction():
                self.conn.executemany(insert, values)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0]
            raise InvalidInput(f"{file}: a row of {table!r} cannot be restored: {reason}") from None

    def _derive_name_keys(self) -> None:
        named = self.conn.execute("SELECT id, name FROM contacts").fetchall()
        self.conn.executemany(
            "UPDATE contacts SET name_keys = ? WHERE id = ?", [(name_keys_text(n), i) for i, n in named]
        )

    def _check_references(self, file: str) -> None:
        import psycopg

        try:
            with self.pg.conn.transaction():
                self.conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except psycopg.errors.ForeignKeyViolation as exc:
            raise InvalidInput(
                f"{file}: a row of {exc.diag.table_name!r} points at a missing row; the backup is incomplete"
            ) from None

    def _ids_restored(self) -> None:
        """Move each table's id counter past the ids a copy or a backup brought, so new rows follow."""
        for table in [*self.backup_tables(), "undo_steps", "undo_log"]:
            seq = self._one(
                "SELECT pg_get_serial_sequence(table_name, 'id') FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'",
                (table,),
            )
            if seq and seq[0]:
                self.conn.execute(
                    f"SELECT setval(?, coalesce((SELECT max(id) FROM {table}), 0) + 1, false)", (seq[0],)
                )
