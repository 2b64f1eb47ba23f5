"""Reviews in a process of their own, for a server that must keep answering while it reviews.

A review is pure Python and regular expressions; one regular expression over a long draft holds the
interpreter's lock for its whole run, so even in a worker thread it would stall the event loop (and
every style sheet and page with it). `tactful serve` hands reviews to one worker process instead:
the server's threads wait for the answer without holding the lock. The worker builds its reviewer
once, with the user's phrase lists and word cache, and is started on first use.
"""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..review import Draft, Review, ReviewContext

#: A review that takes longer than this is not coming back: the worker is replaced.
PATIENCE = 120.0

_phrases: Path | None = None
_cache: Path | None = None


def _start(phrases: Path | None, cache: Path | None) -> None:
    """In the worker: remember the user's files, build the reviewer before the first request, and
    go when the server does (even killed with -9, when nothing else would tell it)."""
    global _phrases, _cache
    _phrases, _cache = phrases, cache
    import os
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="tactful-parent-watch").start()
    from .base import shared_reviewer

    shared_reviewer(phrases, cache)


def _review(draft: Draft, context: ReviewContext | None) -> Review:
    from .base import shared_reviewer

    return shared_reviewer(_phrases, _cache).review(draft, context)


class ReviewWorker:
    """Looks like a `Reviewer` to the service (`review(draft, context)`), reviews in another process."""

    def __init__(self, phrases: Path | None, cache: Path | None) -> None:
        self._files = (phrases, cache)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                import multiprocessing

                # "spawn": a fresh interpreter, not a fork of a process whose threads hold locks
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=self._files,
                )
            return self._pool

    def review(self, draft: Draft, context: ReviewContext | None = None) -> Review:
        pool = self._executor()
        try:
            return pool.submit(_review, draft, context).result(timeout=PATIENCE)
        except (BrokenProcessPool, CancelledError):  # the worker died or was stopped: review here
            self._replace(pool)
            from .base import shared_reviewer

            return shared_reviewer(*self._files).review(draft, context)
        except TimeoutError:
            self._replace(pool)
            from ..errors import StorageError

            raise StorageError(
                f"the review took longer than {PATIENCE:.0f} s and was stopped; try a shorter draft"
            ) from None

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Stop a worker that died or hangs, for good; the next review starts another. Reviews
        queued behind it are broken off, and done in their own threads instead."""
        with self._lock:
            if self._pool is broken:
                self._pool = None
        _stop(broken)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """The pool's processes ended, a hung one too (`shutdown` alone would wait for it for ever)."""
    processes = list(getattr(pool, "_processes", {}).values())  # the executor keeps them here
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2.0)
        if process.is_alive():
            process.kill()
            process.join(timeout=2.0)
