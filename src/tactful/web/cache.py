"""What the requests of one server process share: a few open connections, and rendered answers.

Routes run in worker threads, never on the event loop, so a slow review or a write waiting for
another program's lock holds up only its own request. Each request borrows a connection of its own
(`checkout`) and gives it back when done: SQLite in WAL mode lets them read side by side while one
writes. The busiest answers (Today, the agenda) are kept until the data changes or the minute turns:
a connection's `version()` moves whenever anything is committed, by this server or by a `tactful`
command in a terminal. They are bounded in bytes, not in count: a page may be large.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from ..domain import Account
from ..errors import Unavailable
from ..store import Directory, Store, open_store, team_directory

#: Connections kept open between requests; more are opened while more requests run at once.
IDLE = 16
#: The most the kept answers may take, and the largest one worth keeping, in bytes.
CACHE_BYTES, LARGEST = 8 * 2**20, 2**20


class Cache:
    def __init__(self, location: str | os.PathLike[str]) -> None:
        self.location = location
        #: On a team server, its accounts: each request then reads and writes one account's data,
        #: over connections they all share (`take`).
        self.team: Directory | None = team_directory(location)
        self._accounts: dict[int, Account] = {}
        self._idle: list[Store] = []
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @contextmanager
    def checkout(self) -> Iterator[Store]:
        """A connection for one request, alone; back to the idle ones afterwards (or closed)."""
        store = self.idle() or self.open()
        try:
            yield store
        finally:
            self.give_back(store)

    def idle(self) -> Store | None:
        """A connection opened before and free now, if there is one (no waiting, no I/O)."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def open(self) -> Store:
        """A new connection (it reads the file: call it from a worker thread)."""
        return open_store(self.location, server=self.team is not None)

    def take(self, account: Account | None) -> Store:
        """On a team server, a connection serving `account`'s data (None: the server's own, which
        keeps only its session key); from a worker thread."""
        store = self.idle() or self.open()
        try:
            store.serve(account)  # type: ignore[attr-defined]  # a team server's store is PostgreSQL's
        except Unavailable:  # the server restarted: every kept connection is lost; try a new one
            self._drop_idle()
            store.close()
            store = self.open()
            store.serve(account)  # type: ignore[attr-defined]
        return store

    def _drop_idle(self) -> None:
        with self._lock:
            gone, self._idle = self._idle, []
        for store in gone:
            store.close()

    def account(self, account_id: object) -> Account | None:
        """The team server's account with this id (as a session holds it), or None."""
        if self.team is None or not isinstance(account_id, int):
            return None
        found = self._accounts.get(account_id)
        if found is None:
            found = self.team.get(account_id)
            if found is not None:
                with self._lock:
                    self._accounts[account_id] = found
        return found

    def give_back(self, store: Store) -> None:
        """A connection done with: kept for the next request, unless enough are, or it was lost (a
        database server restarted: the next request opens a new one)."""
        if getattr(store, "broken", False):  # one lost: a restart lost them all
            store.close()
            self._drop_idle()
            return
        with self._lock:
            kept = len(self._idle) < IDLE
            if kept:
                self._idle.append(store)
        if not kept:
            store.close()

    def answers_for(self, account: Account | None) -> Answers:
        """The kept answers of one account (on a team server): never another's."""
        return Answers(self, None if account is None else account.id)

    def answer(self, key: Hashable, version: int, now: dt.datetime, build: Callable[[], bytes]) -> bytes:
        """The body built for `key`, reused while the data (`version`, the requesting connection's)
        and the minute stay the same."""
        full = (key, version, now.replace(second=0, microsecond=0))
        with self._lock:
            found = self._answers.get(full)
            if found is not None:
                self._answers.move_to_end(full)
                return found
        built = build()
        if len(built) <= LARGEST:
            with self._lock:
                if full not in self._answers:
                    self._answers[full] = built
                    self._bytes += len(built)
                while self._bytes > CACHE_BYTES:
                    _, dropped = self._answers.popitem(last=False)
                    self._bytes -= len(dropped)
        return built

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def close(self) -> None:
        self._drop_idle()
        if self.team is not None:
            self.team.close()


class Answers:
    """A cache's answers as one account sees them: each key is kept under the account's id."""

    def __init__(self, cache: Cache, account_id: int | None) -> None:
        self.cache, self.account_id = cache, account_id

    def answer(self, key: Hashable, version: int, now: dt.datetime, build: Callable[[], bytes]) -> bytes:
        return self.cache.answer((self.account_id, key), version, now, build)
