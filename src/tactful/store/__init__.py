"""Storage adapters. The service talks to a `Store`; SQLite is the default implementation.

`open_store(path)` opens (creating and upgrading as needed) the SQLite file at `path`. A PostgreSQL
adapter only has to provide the same methods; nothing in the domain or the service changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import Store
from .sqlite import SqliteStore

__all__ = ["SqliteStore", "Store", "default_path", "open_store"]


def default_path() -> Path:
    """`TACTFUL_DB` when set, else `tactful.db` in the platform's user data directory."""
    env = os.environ.get("TACTFUL_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("tactful", appauthor=False)) / "tactful.db"


def open_store(path: Path | str | None = None) -> SqliteStore:
    return SqliteStore(Path(path) if path is not None else default_path())
