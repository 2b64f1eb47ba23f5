"""The web app's mail worker: while `tactful serve` runs and an account is connected, it sends what
is due in the outbox every few seconds, reads new mail every few minutes, and sends the morning
digest when it is wanted.

It runs in a thread of its own with a service of its own (`open_service`), so a slow mail server
never holds a request. A failure (the server down, a password changed) is kept in `last_error` for
the Today page and tried again after a pause that grows with each failure in a row (a server
would lock an account that keeps failing to log in); it never stops the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from ..errors import TactfulError
from .base import Service

#: Seconds between looks at the outbox (a queued message leaves within this of its time).
SEND_EVERY = 5.0
#: Seconds between reads of the Inbox and Sent folders.
SYNC_EVERY = 300.0
#: After a failure (a refused login above all: servers lock accounts that keep trying), the worker
#: waits this long, doubling with each failure in a row up to `LONGEST_PAUSE`.
FIRST_PAUSE = 60.0
LONGEST_PAUSE = 900.0

log = logging.getLogger("tactful.mail")


class MailWorker:
    def __init__(
        self,
        open_service: Callable[[], AbstractContextManager[Service]],
        send_every: float = SEND_EVERY,
        sync_every: float = SYNC_EVERY,
    ) -> None:
        self._open = open_service
        self._send_every = send_every
        self._sync_every = sync_every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._synced = 0.0
        self.last_error: str | None = None
        self.turns = 0
        self._paused_until = 0.0
        self._pause = FIRST_PAUSE

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="tactful-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.turn()
            self._stop.wait(self._send_every)

    def turn(self, force: bool = False) -> None:
        """One look: send what is due; read new mail when it is time. After a failure it rests
        (`force` tries anyway)."""
        from . import digest, outbox
        from .mailsync import sync

        if not force and time.monotonic() < self._paused_until:
            return
        try:
            with self._open() as svc:
                if svc.store.get_account() is None:
                    return
                problems: list[str] = []
                if outbox.waiting(svc):
                    done = outbox.deliver(svc)
                    problems += [
                        f"follow-up {o.followup_id} to {o.recipient} was not sent: {o.error}"
                        for o in done.failed
                    ]
                    problems += [n for n in done.notes if "another tactful" not in n]
                if not self._synced or time.monotonic() - self._synced >= self._sync_every:
                    self._synced = time.monotonic()
                    sync(svc)
                if digest.due(svc):
                    digest.send(svc)
                self.last_error = problems[-1] if problems else None
                self._rest(bool(problems))
        except TactfulError as exc:
            self.last_error = exc.message
            self._rest(True)
        except Exception:  # a bug must not end the worker: it is logged and the next turn tries again
            log.exception("the mail worker's turn failed")
        finally:
            self.turns += 1

    def _rest(self, failed: bool) -> None:
        if not failed:
            self._pause = FIRST_PAUSE
            return
        log.warning("mail: %s; trying again in %.0f s", self.last_error, self._pause)
        self._paused_until = time.monotonic() + self._pause
        self._pause = min(self._pause * 2, LONGEST_PAUSE)


def due_work(svc: Service, now: dt.datetime, sync_every: float = SYNC_EVERY) -> tuple[list[int], bool, bool]:
    """What a server's worker should do for this account now: the follow-ups whose message is due
    to leave (or was left claimed by a sender that died), whether its mailbox is due a read, and
    whether its morning digest is due. Nothing when no mail account is connected."""
    from . import digest

    mail = svc.store.get_account()
    if mail is None:
        return [], False, False
    sends = [
        o.followup_id
        for o in svc.store.outgoing(["queued", "sending"])
        if o.status == "sending" or o.send_at <= now
    ]
    read = mail.synced_at is None or (now - mail.synced_at).total_seconds() >= sync_every
    return sends, read, digest.due(svc)
