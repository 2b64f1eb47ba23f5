"""Storage adapters. The service talks to a `Store` (`base`); SQLite is the one shipped (`sqlite`).

`open_store(location)` opens the database at `location`, creating and upgrading it as needed: a
file's path, or a URL (`sqlite:///relative.db`, `sqlite:////absolute.db`). A PostgreSQL adapter
only has to provide the same methods; nothing in the domain or the service changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StorageError
from .base import Store

__all__ = ["Store", "open_store"]


def open_store(location: str | os.PathLike[str]) -> Store:
    """The store at `location`: a SQLite file's path, or a URL naming one."""
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
        raise StorageError(
            f"{text!r}: this tactful stores data in SQLite only; give a file path or a sqlite:/// URL"
        )
    raise StorageError(f"{text!r}: unknown kind of database {scheme!r}; give a file path or a sqlite:/// URL")
