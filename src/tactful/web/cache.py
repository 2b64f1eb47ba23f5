"""What the requests of one server process share: one connection, and a cache of rendered answers.

Handlers run on the event loop, one at a time between awaits, and every use case is synchronous, so a
single SQLite connection serves them all without two transactions ever interleaving. The busiest
answers (Today, the agenda) are kept until the data changes or the minute turns: a second connection
watches `PRAGMA data_version`, which moves whenever any other connection (this server's, or a
`tactful` command in a terminal) commits.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from ..store import SqliteStore, open_store

CACHE_SIZE = 64


class Cache:
    def __init__(self, db: Path) -> None:
        self.db = db
        self._store: SqliteStore | None = None
        self._watcher: sqlite3.Connection | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()

    def store(self) -> SqliteStore:
        if self._store is None:
            self._store = open_store(self.db)
        return self._store

    def version(self) -> int:
        """A number that changes whenever the database changed since it was last asked."""
        if self._watcher is None:
            self._watcher = sqlite3.connect(self.db, check_same_thread=False)
        return int(self._watcher.execute("PRAGMA data_version").fetchone()[0])

    def answer(self, key: Hashable, now: dt.datetime, build: Callable[[], bytes]) -> bytes:
        """The body built for `key`, reused while the data and the minute stay the same."""
        full = (key, self.version(), now.replace(second=0, microsecond=0))
        found = self._answers.get(full)
        if found is None:
            found = self._answers[full] = build()
            while len(self._answers) > CACHE_SIZE:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(full)
        return found

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._watcher is not None:
            self._watcher.close()
