"""The jobs `tactful worker` runs, on procrastinate's queue in the database's `tactful_queue` schema.

A tick, every `EVERY` seconds, looks at each account (or the database's one person) and queues what
is due: one `send` job per message whose time has come (or that a crashed sender left "sending"),
a `sync` job when the mailbox was last read `SYNC_EVERY` ago, a `digest` job when the morning list
is wanted. Procrastinate defers a periodic job once per moment however many workers run, and
hands each job to one worker.

At most once: two jobs of one account's mail never run at the same time (their `lock`), a message
is queued once however many ticks see it (its `queueing_lock`), and a send goes through the
outbox's own rule: a message is claimed before it leaves, and one a killed worker left claimed is
looked up in the Sent folder, never sent again blindly. A job of a worker that stopped answering
(killed, its machine gone) is retried by the next tick: a sync runs again; a send settles as above.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import TactfulError
from ..service import Service

if TYPE_CHECKING:
    import procrastinate

#: Where the queue's tables are: apart from everyone's data.
SCHEMA = "tactful_queue"
#: Seconds between ticks; between reads of a mailbox.
EVERY, SYNC_EVERY = 15, 300
#: A worker that sent no sign of life for this long is taken for dead, and its job retried.
STALLED_AFTER = 30.0

log = logging.getLogger("tactful.worker")


def make_app(config: Config, every: int = EVERY, stalled_after: float = STALLED_AFTER) -> procrastinate.App:
    """The queue and its jobs, for the database the settings name."""
    import procrastinate

    url = config.database
    connector = procrastinate.PsycopgConnector(conninfo=url, kwargs={"options": f"-c search_path={SCHEMA}"})
    app = procrastinate.App(connector=connector)

    @app.task(name="tactful.send", pass_context=False)
    def send(account: int | None, followup: int) -> str:
        from ..service import outbox

        with _service(config, account) as svc:
            done = outbox.deliver(svc, only=followup)
        _said("send", account, followup=followup, sent=len(done.sent), failed=len(done.failed))
        return f"sent {len(done.sent)}, failed {len(done.failed)}"

    @app.task(name="tactful.sync", retry=procrastinate.RetryStrategy(max_attempts=5, wait=30))
    def sync(account: int | None) -> str:
        from ..service.mailsync import sync as read

        with _service(config, account) as svc:
            found = read(svc)
        _said("sync", account, sent=len(found.sent), replies=len(found.replies))
        return f"{len(found.sent)} sent and {len(found.replies)} replies matched"

    @app.task(name="tactful.digest")
    def digest(account: int | None) -> str:
        from ..service import digest as morning

        with _service(config, account) as svc:
            return morning.send(svc) if morning.due(svc) else "not due"

    @app.periodic(cron=f"* * * * * */{every}", periodic_id="tick")
    @app.task(name="tactful.tick", queueing_lock="tactful.tick")
    async def tick(timestamp: int) -> str:
        due = await asyncio.to_thread(work_due, config, dt.datetime.now(dt.UTC))
        queued = 0
        for kind, account, followup in due:
            key = f"{account or 0}"
            if kind == "send":
                job = send.configure(lock=f"mail:{key}", queueing_lock=f"send:{key}:{followup}")
                queued += await _defer(job, account=account, followup=followup)
            elif kind == "sync":
                job = sync.configure(lock=f"mail:{key}", queueing_lock=f"sync:{key}")
                queued += await _defer(job, account=account)
            else:
                queued += await _defer(digest.configure(queueing_lock=f"digest:{key}"), account=account)
        retried = 0
        for stalled in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
            try:
                await app.job_manager.retry_job(stalled)
            except procrastinate.exceptions.UniqueViolation:  # the same work is queued again already
                await app.job_manager.finish_job(stalled, procrastinate.jobs.Status.FAILED, delete_job=False)
            retried += 1
        return f"queued {queued}, retried {retried}"

    return app


def _said(job: str, account: int | None, **figures: Any) -> None:
    """One JSON line on stderr per job done, for a log collector: when, which worker, what."""
    import json

    line = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "worker": os.getpid()}
    log.info(json.dumps({**line, "job": job, "account": account, **figures}))


async def _defer(job: Any, **arguments: Any) -> int:
    """Queue a job unless one like it (its queueing lock) is queued already: 1 when queued."""
    import procrastinate.exceptions

    try:
        await job.defer_async(**arguments)
    except procrastinate.exceptions.AlreadyEnqueued:
        return 0
    return 1


@contextmanager
def _service(config: Config, account: int | None) -> Iterator[Service]:
    """A service over one account's data (None: the database's one person's), on one connection."""
    from ..store import open_account

    store = open_account(config.database, account)
    try:
        yield Service(store, config=config, account=getattr(store, "account", None))
    finally:
        store.close()


def accounts(config: Config) -> list[int | None]:
    """Whose mail the worker looks after: every account of a team server, else the one person."""
    from ..store import team_directory

    directory = team_directory(config.database)
    if directory is None:
        return [None]
    try:
        return [a.id for a in directory.all()]
    finally:
        directory.close()


def work_due(config: Config, now: dt.datetime) -> list[tuple[str, int | None, int | None]]:
    """What is due, account by account: ("send", account, follow-up), ("sync", account, None),
    ("digest", account, None)."""
    from ..service.mail_worker import due_work

    due: list[tuple[str, int | None, int | None]] = []
    for account in accounts(config):
        try:
            with _service(config, account) as svc:
                sends, read, morning = due_work(svc, now, SYNC_EVERY)
        except TactfulError as exc:  # one account's trouble is not everyone's
            log.warning("account %s: %s", account, exc)
            continue
        due += [("send", account, followup) for followup in sends]
        due += [("sync", account, None)] if read else []
        due += [("digest", account, None)] if morning else []
    return due


def prepare(config: Config) -> None:
    """The queue's tables, made in their own schema the first time (once, however many workers
    start together)."""
    import psycopg

    with psycopg.connect(config.database, autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (0x7AC7F04,))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        made = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.procrastinate_jobs",)).fetchone()
        if made and made[0]:
            return
        from importlib import resources

        sql = resources.files("procrastinate.sql").joinpath("schema.sql").read_text(encoding="utf-8")
        conn.execute(f"SET LOCAL search_path TO {SCHEMA}")
        conn.execute(sql.encode("utf-8"))


def run(
    config: Config,
    every: int = EVERY,
    burst: bool = False,
    stalled_after: float = STALLED_AFTER,
    keep_done: bool = False,
) -> None:
    """Work until stopped (SIGINT, SIGTERM); `burst`: until nothing is left to do; `keep_done`: leave
    finished jobs in the queue's table, to be looked at."""
    scheme = config.database.split("://", 1)[0].lower() if "://" in config.database else ""
    if scheme not in ("postgresql", "postgres"):
        raise TactfulError(
            "the worker runs on a PostgreSQL database (--db postgresql://...); on one computer, "
            "`tactful serve` sends and reads mail by itself"
        )
    prepare(config)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    app = make_app(config, every=every, stalled_after=stalled_after)
    heartbeat = max(1.0, min(10.0, stalled_after / 3))
    app.run_worker(
        wait=not burst,
        update_heartbeat_interval=heartbeat,
        stalled_worker_timeout=stalled_after,
        delete_jobs="never" if keep_done else "successful",
        install_signal_handlers=True,
    )
