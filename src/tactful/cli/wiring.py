"""Where the command line opens its database: the settings in force (`--db` first), the store they
name, and the service over it. Free of click, for `quick` as for every command (`base.App`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import Config, load

if TYPE_CHECKING:
    from ..service import Service
    from ..store.base import Directory, Store


def settings(db: str | None) -> Config:
    """The settings in force, `--db` first (see `tactful.config`)."""
    return load(database=db)


def open_service(config: Config) -> Service:
    import sys

    from ..service import Service
    from ..store import open_store

    store = open_store(config.database, user=config.user)
    for name in getattr(store, "tightened", ()):
        print(
            f"note: {name} was readable by other users of this machine; it is now yours alone",
            file=sys.stderr,
        )
    return Service(store, config=config, account=getattr(store, "account", None))


def open_other(config: Config, location: str) -> Store:
    """Another database, as `tactful copy-to` writes into it (on a team server, `TACTFUL_USER`'s
    part of it)."""
    from ..store import open_store

    return open_store(location, user=config.user)


def open_directory(config: Config) -> Directory:
    """The accounts of the team server the settings name."""
    from ..store import open_directory as directory

    return directory(config.database)


def is_team(config: Config) -> bool:
    """Whether the settings name a team server (a PostgreSQL database with accounts)."""
    from ..store import team_directory

    found = team_directory(config.database)
    if found is None:
        return False
    found.close()
    return True
