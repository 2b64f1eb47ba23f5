"""Storage adapters. The service talks to a `Store` (`base`): a SQLite file (`sqlite`), the default,
or a PostgreSQL database (`pg_store`), for a server several people share.

`open_store(location)` opens the database at `location`, creating and upgrading it as needed: a
file's path, a SQLite URL (`sqlite:///relative.db`, `sqlite:////absolute.db`), or a PostgreSQL URL
(`postgresql://user@host/dbname`). Nothing in the domain or the service depends on which.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StorageError
from .base import Store

__all__ = ["Store", "open_store"]


def open_store(location: str | os.PathLike[str]) -> Store:
    """The store at `location`: a SQLite file's path, or a URL naming a SQLite or PostgreSQL database."""
    from .postgres import is_url

    if is_url(os.fspath(location)):
        from .pg_store import PostgresStore

        return PostgresStore(os.fspath(location))
    from .sqlite import SqliteStore

    return SqliteStore(sqlite_path(location))


def sqlite_path(location: str | os.PathLike[str]) -> Path:
    """The file a location names; a URL of another kind of database is refused, saying which."""
    text = os.fspath(location)
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme.isidentifier():  # a plain path (C:\\... has no "://")
        return Path(text).expanduser()
    if scheme.lower() == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise StorageError(
                f"{text!r}: write a SQLite URL as sqlite:///relative.db or sqlite:////absolute.db"
            )
        return Path(rest[1:]).expanduser()
    if scheme.lower() in ("postgresql", "postgres"):
        raise StorageError(f"{text!r} is a PostgreSQL database, not a SQLite file; give a file path here")
    raise StorageError(
        f"{text!r}: unknown kind of database {scheme!r}; give a file path, a sqlite:/// or a postgresql:// URL"
    )
