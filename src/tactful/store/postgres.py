"""PostgreSQL, opened the way tactful needs it: migrations of its own (`pg_migrations/`), applied in
place under an advisory lock so that two processes starting at once apply them once, in the schema
of one account or the database's own.

Its schema mirrors the SQLite file's table for table and column for column (a test holds them
together); the store itself is `pg_store`. psycopg is imported only when a PostgreSQL database is
opened.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import Unavailable

if TYPE_CHECKING:
    import psycopg

#: The advisory lock migrations hold: any number the other users of the database do not take.
MIGRATION_LOCK = 0x7AC7F01


def reason(exc: Exception) -> str:
    """What a refused connection says, in one line ("... port 9 failed: Connection refused")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0].removeprefix("connection failed: ") if lines else "no answer"


def schema_of(account_id: int) -> str:
    """Where an account's data is kept, on a team server."""
    return f"account_{account_id}"


def is_url(location: str) -> bool:
    """Whether `location` names a PostgreSQL database."""
    return location.split("://", 1)[0].lower() in ("postgresql", "postgres") and "://" in location


class PgConnection:
    """One connection to a PostgreSQL database, migrated on opening."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        """Connected to `url`, in `schema` (an account's on a team server; made when missing) or the
        database's own."""
        import psycopg

        try:
            self.conn: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise Unavailable(
                f"cannot reach the PostgreSQL database ({reason(exc)}); check the URL"
            ) from None
        self.schema = schema
        if schema is not None:
            self.use(schema)
        migrate(self.conn, create=schema)

    def use(self, schema: str) -> None:
        """Read and write in `schema` from now on (its tables are found before any other's)."""
        self.conn.execute(f'SET search_path TO "{schema}"')
        self.schema = schema

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.conn.close()


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of each migration shipped, oldest first."""
    found = []
    for entry in resources.files("tactful.store").joinpath("pg_migrations").iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append((int(entry.name[:4]), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(conn: psycopg.Connection[Any], create: str | None = None) -> list[str]:
    """Apply the migrations not yet applied, in one transaction, under the migrations' advisory lock;
    the names of those applied. `create`: the schema to make first, when it is not there yet."""
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        if create is not None:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{create}"')
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in _migrations():
            if version in done:
                continue
            conn.execute(sql.encode("utf-8"))
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
            applied.append(name)
        if applied:  # the tables may have new columns for undo to put back
            from . import pg_undo

            pg_undo.install(conn)
    return applied
