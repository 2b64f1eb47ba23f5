"""Storage adapters. The service talks to a `Store` (`base`): a SQLite file (`sqlite`), the default,
or a PostgreSQL database (`pg_store`), for a server several people share.

`open_store(location)` opens the database at `location`, creating and upgrading it as needed: a
file's path, a SQLite URL (`sqlite:///relative.db`, `sqlite:////absolute.db`), or a PostgreSQL URL
(`postgresql://user@host/dbname`). Nothing in the domain or the service depends on which.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InvalidInput, NotFound, StorageError
from .base import Directory, Store

__all__ = ["Directory", "Store", "open_account", "open_directory", "open_store", "team_directory"]


def team_directory(location: str | os.PathLike[str]) -> Directory | None:
    """The accounts of the database at `location` when it is a team server's (a PostgreSQL database
    with accounts); None for one person's database."""
    from .postgres import is_url

    if not is_url(os.fspath(location)):
        return None
    directory = open_directory(location)
    if directory.any():
        return directory
    directory.close()
    return None


def open_directory(location: str | os.PathLike[str]) -> Directory:
    """The accounts of the team server at `location`; a SQLite file has none, and says so."""
    from .postgres import is_url

    if not is_url(os.fspath(location)):
        raise InvalidInput(
            "accounts live on a team server's PostgreSQL database; give it with --db postgresql://... "
            "or TACTFUL_DB"
        )
    from .accounts import Directory as PgDirectory

    return PgDirectory(os.fspath(location))


def open_store(location: str | os.PathLike[str], user: str | None = None, server: bool = False) -> Store:
    """The store at `location`: a SQLite file's path, or a URL naming a SQLite or PostgreSQL database.
    On a PostgreSQL database that holds a team's accounts, `user` (an account's address) says whose
    data; it is needed there, and a file ignores it. `server`: the team server's own part (a web
    server's, whose requests then serve one account each)."""
    from .postgres import is_url

    if not is_url(os.fspath(location)):
        from .sqlite import SqliteStore

        return SqliteStore(sqlite_path(location))
    from .accounts import Directory
    from .pg_store import PostgresStore

    store = PostgresStore(os.fspath(location))  # one connection: the accounts are read over it too
    if server:
        return store
    try:
        directory = Directory(os.fspath(location), conn=store.pg.conn)
        if user:
            account = directory.find(user)
            if account is None:
                raise NotFound(f"TACTFUL_USER: no account is {user!r} here; `tactful users list` shows them")
            store.serve(account)
        elif directory.any():
            raise InvalidInput(
                "this database holds a team's accounts: say whose data by setting TACTFUL_USER to an address "
                "(`tactful users list` shows them)"
            )
    except BaseException:
        store.close()
        raise
    return store


def open_account(location: str | os.PathLike[str], account_id: int | None) -> Store:
    """The data of account `account_id` on the team server at `location` (None: the database's own,
    one person's), over one connection; `NotFound` when there is no such account."""
    from .accounts import Directory
    from .pg_store import PostgresStore

    store = PostgresStore(os.fspath(location))
    if account_id is None:
        return store
    try:
        account = Directory(os.fspath(location), conn=store.pg.conn).get(account_id)
        if account is None:
            raise NotFound(f"account {account_id} is gone")
        store.serve(account)
    except BaseException:
        store.close()
        raise
    return store


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
