"""What the requests of one server process share: one store, and a cache of rendered answers.

Handlers run on the event loop, one at a time between awaits, and every use case is synchronous, so a
single connection serves them all without two transactions ever interleaving. The busiest answers
(Today, the agenda) are kept until the data changes or the minute turns: the store's `version()`
moves whenever anything is committed, by this server or by a `tactful` command in a terminal.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from collections.abc import Callable, Hashable

from ..store import Store, open_store

CACHE_SIZE = 64


class Cache:
    def __init__(self, location: str | os.PathLike[str]) -> None:
        self.location = location
        self._store: Store | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.location)
        return self._store

    def answer(self, key: Hashable, now: dt.datetime, build: Callable[[], bytes]) -> bytes:
        """The body built for `key`, reused while the data and the minute stay the same."""
        full = (key, self.store().version(), now.replace(second=0, microsecond=0))
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
